import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ad creatives (libs/ads/src/creatives): which creatives a brand has rendered, by content key. The file lives in
 * media storage at the key (`creative/ab/cd/<sha256>.jpg`, the hash of everything drawn), so a key names its pixels;
 * a row says the brand rendered it (or asked for it once stored), so Product.creatives can list a product's current
 * ones in one query. Deleting the brand deletes its rows.
 */
export class Creatives1764000000019 implements MigrationInterface {
  name = 'Creatives1764000000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE creative (
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        key text NOT NULL,
        product_id uuid NOT NULL,
        template text NOT NULL CHECK (template IN ('SQUARE_1080', 'STORY_1080x1920', 'LANDSCAPE_1200x628')),
        width integer NOT NULL,
        height integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (brand_id, key)
      );
      CREATE INDEX creative_product_idx ON creative (product_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE creative`);
  }
}
