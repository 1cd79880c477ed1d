import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Shopify1764000000005 implements MigrationInterface {
  name = 'Shopify1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A connected Shopify store: the SHOPIFY feed it syncs into and its credentials, sealed with the
      -- SecretBox (never returned by any query).
      CREATE TABLE shopify_store (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL UNIQUE REFERENCES feed(id) ON DELETE CASCADE,
        shop_domain text NOT NULL,
        shop_name text,
        access_token_sealed text NOT NULL,
        webhook_secret_sealed text NOT NULL,
        api_version text NOT NULL,
        id_strategy text NOT NULL DEFAULT 'VARIANT_ID' CHECK (id_strategy IN ('VARIANT_ID', 'SKU')),
        full_sync_requested boolean NOT NULL DEFAULT false,
        last_synced_at timestamptz,
        last_full_sync_at timestamptz,
        next_sync_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, shop_domain)
      );
      CREATE INDEX shopify_store_domain_idx ON shopify_store (shop_domain);
      CREATE INDEX shopify_store_due_idx ON shopify_store (next_sync_at) WHERE next_sync_at IS NOT NULL;

      -- The Shopify time up to which a catalog version is known complete: an incremental sync based on
      -- that version asks for products updated since then. Per version, so publishing or rolling back
      -- an older version makes the next sync start from that version's own cursor.
      CREATE TABLE shopify_sync_cursor (
        version_id uuid PRIMARY KEY REFERENCES catalog_version(id) ON DELETE CASCADE,
        store_id uuid NOT NULL REFERENCES shopify_store(id) ON DELETE CASCADE,
        synced_at timestamptz NOT NULL
      );

      -- Webhook deliveries already applied; Shopify retries and may deliver one webhook twice.
      CREATE TABLE shopify_webhook_delivery (
        store_id uuid NOT NULL REFERENCES shopify_store(id) ON DELETE CASCADE,
        webhook_id text NOT NULL,
        topic text NOT NULL,
        resource_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, webhook_id)
      );
      CREATE INDEX shopify_webhook_delivery_age_idx ON shopify_webhook_delivery (received_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shopify_webhook_delivery; DROP TABLE shopify_sync_cursor; DROP TABLE shopify_store;');
  }
}
