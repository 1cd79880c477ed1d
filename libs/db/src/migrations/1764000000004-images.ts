import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Images1764000000004 implements MigrationInterface {
  name = 'Images1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per image URL a brand's feeds use: what fetching it last gave (the renditions live in
      -- object storage under the sha256 of the source bytes, shared by every URL and brand with those bytes).
      CREATE TABLE image_source (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        url text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PROCESSED', 'FAILED')),
        sha256 text,
        etag text,
        last_modified text,
        format text,
        bytes integer,
        width integer,
        height integer,
        placeholder text,
        dominant_color text,
        renditions jsonb,
        error_code text,
        error_message text,
        size_warning text,
        fetched_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, url)
      );
      CREATE INDEX image_source_sha_idx ON image_source (sha256);

      -- The images one run waits for, and how each went.
      CREATE TABLE run_image (
        run_id uuid NOT NULL REFERENCES ingestion_run(id) ON DELETE CASCADE,
        image_id uuid NOT NULL REFERENCES image_source(id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DONE', 'FAILED', 'SKIPPED')),
        PRIMARY KEY (run_id, image_id)
      );
      CREATE INDEX run_image_pending_idx ON run_image (run_id) WHERE state = 'PENDING';

      ALTER TABLE ingestion_run
        ADD COLUMN images_total integer NOT NULL DEFAULT 0,
        ADD COLUMN images_done integer NOT NULL DEFAULT 0,
        ADD COLUMN images_failed integer NOT NULL DEFAULT 0,
        ADD COLUMN images_skipped integer NOT NULL DEFAULT 0;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ingestion_run DROP COLUMN images_total, DROP COLUMN images_done, DROP COLUMN images_failed,
        DROP COLUMN images_skipped;
      DROP TABLE run_image; DROP TABLE image_source;
    `);
  }
}
