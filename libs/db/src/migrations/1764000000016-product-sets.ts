import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product sets (libs/ads): a brand's saved filters over its live catalog, rules kept as data (an AND/OR tree).
 * Membership is computed when a set is read, so it follows every publish and rollback with nothing to maintain
 * (README: "Product sets"). custom_label_0..4 become a column of the live catalog, which sets filter on.
 */
export class ProductSets1764000000016 implements MigrationInterface {
  name = 'ProductSets1764000000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE product_set (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        name text NOT NULL,
        rules jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX product_set_name_key ON product_set (brand_id, lower(name));
      CREATE INDEX product_set_brand_idx ON product_set (brand_id, created_at, id);

      ALTER TABLE catalog_product ADD COLUMN custom_labels text[] NOT NULL DEFAULT '{}';
      UPDATE catalog_product p
         SET custom_labels = ARRAY(SELECT jsonb_array_elements_text(ir.data->'customLabels'))
        FROM item_revision ir
       WHERE ir.feed_id = p.feed_id AND ir.offer_id = p.offer_id AND ir.content_hash = p.content_hash
         AND jsonb_typeof(ir.data->'customLabels') = 'array';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE product_set; ALTER TABLE catalog_product DROP COLUMN custom_labels;`);
  }
}
