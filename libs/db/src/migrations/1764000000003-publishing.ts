import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Publishing1764000000003 implements MigrationInterface {
  name = 'Publishing1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE feed
        ADD COLUMN auto_publish boolean NOT NULL DEFAULT false,
        ADD COLUMN max_removal_share real NOT NULL DEFAULT 0.2,
        ADD COLUMN max_rejected_share real NOT NULL DEFAULT 0.2;
      ALTER TABLE ingestion_run
        ADD COLUMN publish_status text NOT NULL DEFAULT 'NOT_PUBLISHED',
        ADD COLUMN publish_blocked_reason text,
        ADD COLUMN published_at timestamptz;
      CREATE INDEX catalog_version_feed_idx ON catalog_version (feed_id, number DESC);
      -- Hash of the supplemental (UPDATE_ONLY) data overlaid on a product, so a changed overlay is an update.
      ALTER TABLE catalog_product ADD COLUMN overlay_hash text;
      -- Merges supplemental data objects in order: later keys win, like || .
      CREATE AGGREGATE jsonb_merge_agg(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{}');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP AGGREGATE jsonb_merge_agg(jsonb); ALTER TABLE catalog_product DROP COLUMN overlay_hash;
      DROP INDEX catalog_version_feed_idx;
      ALTER TABLE ingestion_run DROP COLUMN publish_status, DROP COLUMN publish_blocked_reason, DROP COLUMN published_at;
      ALTER TABLE feed DROP COLUMN auto_publish, DROP COLUMN max_removal_share, DROP COLUMN max_rejected_share;
    `);
  }
}
