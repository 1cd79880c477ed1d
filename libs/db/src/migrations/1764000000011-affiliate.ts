import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creators earn (libs/affiliate): brands' commission programs (open rates, overrides, targeted offers), creators'
 * showcases, share links and the clicks they bring. Each click snapshots the commission rate and the rule that
 * applied at click time, so a later change of the brand's program never touches clicks already made; attribution
 * (libs/earnings) reads clicks, never writes them.
 *
 * Rates are kept as history: a change closes the rule in force (valid_to) and opens a new one (valid_from), so the
 * rate in force at any instant can be answered exactly, also for clicks still buffered in memory when it changed.
 */
export class Affiliate1764000000011 implements MigrationInterface {
  name = 'Affiliate1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A brand's commission program: the row every change of its rules locks, so one rule per target is in force.
      CREATE TABLE commission_program (
        brand_id uuid PRIMARY KEY REFERENCES brand(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- A brand's invitation to one creator, with rates of its own (its rules), from starts_at to ends_at (open
      -- ended when null). It applies only once the creator accepts it, and no longer once the brand withdraws it.
      CREATE TABLE commission_offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN')),
        message text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        created_at timestamptz NOT NULL,
        accepted_at timestamptz,
        declined_at timestamptz,
        withdrawn_at timestamptz,
        CHECK (ends_at IS NULL OR ends_at > starts_at)
      );
      CREATE INDEX commission_offer_brand_idx ON commission_offer (brand_id, created_at DESC, id DESC);
      CREATE INDEX commission_offer_creator_idx ON commission_offer (creator_id, created_at DESC, id DESC);
      CREATE INDEX commission_offer_pair_idx ON commission_offer (brand_id, creator_id) WHERE status = 'ACCEPTED';

      -- One rate: the brand's open default (scope BRAND, no offer), an open override (PRODUCT, ITEM_GROUP, CATEGORY
      -- with its target), or an offer's (offer_id set; BRAND there is the offer's brand-wide rate). target is the
      -- product id, the item group id or the Google taxonomy id ('' for BRAND). In force from valid_from until
      -- valid_to (null: still in force); rows are closed, never updated otherwise.
      CREATE TABLE commission_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        offer_id uuid REFERENCES commission_offer(id) ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('BRAND', 'PRODUCT', 'ITEM_GROUP', 'CATEGORY')),
        target text NOT NULL DEFAULT '',
        rate_percent numeric(5,2) NOT NULL CHECK (rate_percent >= 1 AND rate_percent <= 80),
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CHECK ((scope = 'BRAND') = (target = ''))
      );
      CREATE UNIQUE INDEX commission_rule_current_key ON commission_rule
        (brand_id, coalesce(offer_id, '00000000-0000-0000-0000-000000000000'::uuid), scope, target)
        WHERE valid_to IS NULL;
      CREATE INDEX commission_rule_lookup_idx ON commission_rule (brand_id, scope, target, valid_from);
      CREATE INDEX commission_rule_offer_idx ON commission_rule (offer_id) WHERE offer_id IS NOT NULL;

      -- A creator's showcase: products in the creator's order (position ascending).
      CREATE TABLE showcase_item (
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES product_identity(id) ON DELETE CASCADE,
        position integer NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (creator_id, product_id)
      );
      CREATE INDEX showcase_item_order_idx ON showcase_item (creator_id, position, product_id);

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
      -- Dedupe against written clicks: the same visitor on the same link within 30 minutes.
      CREATE INDEX affiliate_click_visitor_idx ON affiliate_click (share_link_id, visitor_hash, clicked_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE affiliate_click; DROP TABLE share_link; DROP TABLE showcase_item; DROP TABLE commission_rule;
       DROP TABLE commission_offer; DROP TABLE commission_program;`,
    );
  }
}
