import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1764000000002 implements MigrationInterface {
  name = 'Catalog1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE EXTENSION IF NOT EXISTS btree_gin;

      -- A product's id is stable for (feed, offer id): removed and published again, it comes back with it.
      CREATE TABLE product_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        offer_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (feed_id, offer_id)
      );

      -- The live, shoppable catalog: one row per published product, replaced per feed in one transaction
      -- at publish time, so readers see the old catalog or the new one, never a mix.
      CREATE TABLE catalog_product (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        version_id uuid NOT NULL,
        offer_id text NOT NULL,
        content_hash text NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        brand_name text,
        link text,
        image_link text,
        additional_image_links text[] NOT NULL DEFAULT '{}',
        price_minor bigint,
        sale_price_minor bigint,
        effective_price_minor bigint,
        currency text,
        on_sale boolean NOT NULL DEFAULT false,
        availability text,
        condition text,
        gtin text,
        mpn text,
        google_category_id integer,
        google_category_path text,
        product_type text,
        item_group_id text,
        color text,
        size text,
        gender text,
        age_group text,
        quantity integer,
        custom_attributes jsonb NOT NULL DEFAULT '{}',
        images jsonb NOT NULL DEFAULT '[]',
        published_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(brand_name, '')), 'B') ||
          setweight(to_tsvector('english', coalesce(product_type, '') || ' ' || coalesce(google_category_path, '')), 'B') ||
          setweight(to_tsvector('english', left(coalesce(description, ''), 2000)), 'C')
        ) STORED,
        UNIQUE (feed_id, offer_id)
      );
      CREATE INDEX catalog_product_search_idx ON catalog_product USING gin (search);
      CREATE INDEX catalog_product_brand_search_idx ON catalog_product USING gin (brand_id, search);
      CREATE INDEX catalog_product_title_trgm_idx ON catalog_product USING gin (title gin_trgm_ops);
      CREATE INDEX catalog_product_brand_idx ON catalog_product (brand_id, published_at DESC, id);
      CREATE INDEX catalog_product_price_idx ON catalog_product (currency, effective_price_minor, id);
      CREATE INDEX catalog_product_newest_idx ON catalog_product (published_at DESC, id);
      CREATE INDEX catalog_product_category_idx ON catalog_product (google_category_path text_pattern_ops);
      CREATE INDEX catalog_product_group_idx ON catalog_product (brand_id, item_group_id);

      -- Every publish and rollback, with its diff.
      CREATE TABLE publication (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        version_id uuid NOT NULL,
        previous_version_id uuid,
        run_id uuid,
        kind text NOT NULL CHECK (kind IN ('PUBLISH', 'ROLLBACK', 'AUTO_PUBLISH')),
        created integer NOT NULL,
        updated integer NOT NULL,
        unchanged integer NOT NULL,
        removed integer NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX publication_feed_idx ON publication (brand_id, feed_id, published_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE publication; DROP TABLE catalog_product; DROP TABLE product_identity;');
  }
}
