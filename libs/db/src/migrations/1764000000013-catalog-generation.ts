import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A generation per feed of the live catalog, bumped in the same transaction as every change of its
 * catalog_product rows (publish, rollback, a feed's or brand's deletion, anything else), by statement triggers.
 * The sum of all generations changes with every committed change of the live catalog and never returns to an
 * earlier value (rows are never deleted, so no foreign key): read in a search's snapshot, it names the catalog that
 * snapshot sees, and search caches facet counts under it.
 */
export class CatalogGeneration1764000000013 implements MigrationInterface {
  name = 'CatalogGeneration1764000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog_generation (
        -- A feed id, or the nil uuid for a TRUNCATE of the whole table.
        feed_id uuid PRIMARY KEY,
        generation bigint NOT NULL
      );
      CREATE FUNCTION catalog_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          INSERT INTO catalog_generation (feed_id, generation) VALUES ('00000000-0000-0000-0000-000000000000', 1)
          ON CONFLICT (feed_id) DO UPDATE SET generation = catalog_generation.generation + 1;
        ELSE
          INSERT INTO catalog_generation (feed_id, generation) SELECT DISTINCT feed_id, 1 FROM changed_rows
          ON CONFLICT (feed_id) DO UPDATE SET generation = catalog_generation.generation + 1;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER catalog_generation_insert AFTER INSERT ON catalog_product
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();
      CREATE TRIGGER catalog_generation_update AFTER UPDATE ON catalog_product
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();
      CREATE TRIGGER catalog_generation_delete AFTER DELETE ON catalog_product
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();
      CREATE TRIGGER catalog_generation_truncate AFTER TRUNCATE ON catalog_product
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER catalog_generation_truncate ON catalog_product;
      DROP TRIGGER catalog_generation_delete ON catalog_product;
      DROP TRIGGER catalog_generation_update ON catalog_product;
      DROP TRIGGER catalog_generation_insert ON catalog_product;
      DROP FUNCTION catalog_generation_bump();
      DROP TABLE catalog_generation;
    `);
  }
}
