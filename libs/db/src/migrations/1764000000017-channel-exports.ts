import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channel exports (libs/ads/src/exports): a brand's live catalog, or one product set, served to Google Merchant,
 * Meta or TikTok at a URL with an unguessable token. Only sha256(token) is stored (like API keys); rotating the
 * token replaces the hash, so the old URL answers 404. Deleting the set deletes its exports.
 */
export class ChannelExports1764000000017 implements MigrationInterface {
  name = 'ChannelExports1764000000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channel_export (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('GOOGLE', 'META', 'TIKTOK')),
        product_set_id uuid REFERENCES product_set(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        token_rotated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX channel_export_brand_idx ON channel_export (brand_id, created_at, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE channel_export`);
  }
}
