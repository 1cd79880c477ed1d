import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StorageUsage1764000000012 implements MigrationInterface {
  name = 'StorageUsage1764000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Bytes the renditions of this image's sha256 take in storage, so a brand's usage is one sum; NULL for
      -- images stored before it was recorded.
      ALTER TABLE image_source ADD COLUMN stored_bytes bigint;
      -- The retention sweep and a brand's usage read the runs that still hold a source file.
      CREATE INDEX ingestion_run_source_idx ON ingestion_run (brand_id, feed_id) WHERE source_key IS NOT NULL;
      -- Renditions are deleted only once no image row of any brand has their sha256 (image_source_sha_idx);
      -- an image row is kept while a run of a kept version lists it.
      CREATE INDEX run_image_image_idx ON run_image (image_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX run_image_image_idx; DROP INDEX ingestion_run_source_idx;
      ALTER TABLE image_source DROP COLUMN stored_bytes;
    `);
  }
}
