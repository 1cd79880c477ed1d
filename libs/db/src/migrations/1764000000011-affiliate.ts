import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creators earn (libs/affiliate): share links and the clicks they bring. Each click snapshots the commission rate
 * and the rule that applied at click time, so a later change of the brand's program never touches clicks already
 * made; attribution (libs/earnings) reads clicks, never writes them.
 */
export class Affiliate1764000000011 implements MigrationInterface {
  name = 'Affiliate1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A creator's link to one product: a short, unguessable code, public at /l/:code.
      CREATE TABLE share_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES product_identity(id) ON DELETE CASCADE,
        channel text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX share_link_creator_idx ON share_link (creator_id, created_at DESC, id DESC);
      CREATE INDEX share_link_brand_idx ON share_link (brand_id, product_id);

      -- One visit through a share link (dedupe: one per visitor and link within 30 minutes, done before insert).
      -- click_id is the public id handed to the brand's landing page (the attribution parameter); rate_percent and
      -- commission_rule are the rate in force and the rule that chose it, at click time (null: no program applied).
      CREATE TABLE affiliate_click (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        click_id text NOT NULL UNIQUE,
        share_link_id uuid NOT NULL REFERENCES share_link(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES product_identity(id) ON DELETE CASCADE,
        visitor_hash text NOT NULL,
        rate_percent numeric(5,2),
        commission_rule text,
        clicked_at timestamptz NOT NULL
      );
      CREATE INDEX affiliate_click_brand_idx ON affiliate_click (brand_id, clicked_at DESC);
      CREATE INDEX affiliate_click_link_idx ON affiliate_click (share_link_id, clicked_at DESC);
      CREATE INDEX affiliate_click_creator_idx ON affiliate_click (creator_id, clicked_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE affiliate_click; DROP TABLE share_link;`);
  }
}
