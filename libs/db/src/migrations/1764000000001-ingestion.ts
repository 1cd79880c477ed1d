import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ingestion1764000000001 implements MigrationInterface {
  name = 'Ingestion1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feed (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        name text NOT NULL,
        source text NOT NULL CHECK (source IN ('UPLOAD', 'URL', 'SHOPIFY')),
        format text NOT NULL DEFAULT 'AUTO' CHECK (format IN ('AUTO', 'CSV', 'TSV', 'XML')),
        url text,
        basic_auth_username text,
        basic_auth_password_sealed text,
        mode text NOT NULL DEFAULT 'REPLACE' CHECK (mode IN ('REPLACE', 'UPDATE_ONLY')),
        default_currency text,
        column_mapping jsonb,
        xml_item_element text,
        schedule text,
        schedule_interval_minutes integer,
        next_fetch_at timestamptz,
        last_etag text,
        last_modified text,
        live_version_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX feed_brand_idx ON feed (brand_id, created_at);
      CREATE INDEX feed_due_idx ON feed (next_fetch_at) WHERE next_fetch_at IS NOT NULL;

      CREATE TABLE ingestion_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        trigger text NOT NULL,
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        phase text NOT NULL DEFAULT 'QUEUED',
        validate_only boolean NOT NULL DEFAULT false,
        source_key text,
        source_name text,
        not_modified boolean NOT NULL DEFAULT false,
        cancel_requested boolean NOT NULL DEFAULT false,
        attempt integer NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        bytes_total bigint,
        rows_read integer NOT NULL DEFAULT 0,
        items_accepted integer NOT NULL DEFAULT 0,
        items_rejected integer NOT NULL DEFAULT 0,
        warnings integer NOT NULL DEFAULT 0,
        errors integer NOT NULL DEFAULT 0,
        items_created integer,
        items_updated integer,
        items_unchanged integer,
        items_removed integer,
        issues_stored integer NOT NULL DEFAULT 0,
        issue_summary jsonb NOT NULL DEFAULT '[]',
        detected_format text,
        dialect text,
        encoding text,
        delimiter text,
        columns jsonb,
        version_id uuid,
        error_code text,
        error_message text,
        error_hint text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ingestion_run_feed_idx ON ingestion_run (brand_id, feed_id, queued_at DESC);

      -- Diagnostics: one row per problem, stored with its run.
      CREATE TABLE run_issue (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES ingestion_run(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        severity text NOT NULL,
        code text NOT NULL,
        attribute text,
        "row" integer NOT NULL,
        item_id text,
        value text,
        message text NOT NULL,
        hint text NOT NULL
      );
      CREATE INDEX run_issue_run_idx ON run_issue (run_id, "row", id);
      CREATE INDEX run_issue_code_idx ON run_issue (run_id, code);

      -- A catalog version of a feed: the set of (offer id, content hash) one successful run staged.
      CREATE TABLE catalog_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        run_id uuid NOT NULL,
        number integer NOT NULL,
        item_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (feed_id, number)
      );

      -- Item data, content-addressed per feed and offer: an unchanged item is never written again.
      CREATE TABLE item_revision (
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        offer_id text NOT NULL,
        content_hash text NOT NULL,
        brand_id uuid NOT NULL,
        "row" integer NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed_id, offer_id, content_hash)
      );

      CREATE TABLE version_item (
        version_id uuid NOT NULL REFERENCES catalog_version(id) ON DELETE CASCADE,
        offer_id text NOT NULL,
        content_hash text NOT NULL,
        PRIMARY KEY (version_id, offer_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE version_item; DROP TABLE item_revision; DROP TABLE catalog_version;
      DROP TABLE run_issue; DROP TABLE ingestion_run; DROP TABLE feed;
    `);
  }
}
