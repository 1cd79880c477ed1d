import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nothing dropped in silence: a run counts the rows it skipped, by reason (inactive, image-only continuation
 * row, parent of variants, grouped product), and a publication counts the version's items it left out, by
 * reason (the main image's failure code, or not processed yet).
 */
export class RowAccounting1764000000008 implements MigrationInterface {
  name = 'RowAccounting1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ingestion_run
        ADD COLUMN rows_skipped integer NOT NULL DEFAULT 0,
        ADD COLUMN rows_skipped_by_reason jsonb NOT NULL DEFAULT '[]'::jsonb;
      ALTER TABLE publication
        ADD COLUMN left_out integer NOT NULL DEFAULT 0,
        ADD COLUMN left_out_by_reason jsonb NOT NULL DEFAULT '[]'::jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ingestion_run DROP COLUMN rows_skipped, DROP COLUMN rows_skipped_by_reason;
      ALTER TABLE publication DROP COLUMN left_out, DROP COLUMN left_out_by_reason;
    `);
  }
}
