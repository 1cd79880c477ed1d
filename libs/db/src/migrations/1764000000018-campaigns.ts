import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sponsored products (libs/ads/src/campaigns): a brand's campaigns over one of its product sets, their counters per
 * UTC day (impressions, clicks, spend: what stats read and what budgets are checked against) and the sponsored
 * clicks themselves (what dedupe and attribution read). Money in minor units of the campaign's currency.
 *
 * A product set with campaigns cannot be deleted (RESTRICT): a campaign's spend history stays readable.
 */
export class Campaigns1764000000018 implements MigrationInterface {
  name = 'Campaigns1764000000018';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        product_set_id uuid NOT NULL REFERENCES product_set(id) ON DELETE RESTRICT,
        currency text NOT NULL,
        daily_budget_minor bigint NOT NULL CHECK (daily_budget_minor > 0),
        max_cpc_minor bigint NOT NULL CHECK (max_cpc_minor > 0),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at IS NULL OR ends_at > starts_at)
      );
      CREATE INDEX campaign_brand_idx ON campaign (brand_id, created_at, id);
      -- What search reads (a second at a time): the running campaigns only.
      CREATE INDEX campaign_active_idx ON campaign (starts_at) WHERE status = 'ACTIVE';

      -- One row per campaign and UTC day with activity: impressions (flushed from memory in batches), counted clicks
      -- and the spend they were charged (written with the clicks, under this row's lock).
      CREATE TABLE campaign_day (
        campaign_id uuid NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        day date NOT NULL,
        impressions bigint NOT NULL DEFAULT 0,
        clicks bigint NOT NULL DEFAULT 0,
        spend_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (campaign_id, day)
      );

      -- A counted click on a sponsored result (repeats by the same visitor within 30 minutes are not rows).
      -- charged_minor is the auction price, or 0 for a click that came after the day's budget was spent.
      CREATE TABLE sponsored_click (
        click_id text PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        product_id uuid NOT NULL,
        visitor_hash text NOT NULL,
        -- The visitor's new cookie, when the click set one: its next click (with the cookie) is the same visitor.
        cookie_visitor_hash text,
        price_minor bigint NOT NULL,
        charged_minor bigint NOT NULL,
        clicked_at timestamptz NOT NULL
      );
      CREATE INDEX sponsored_click_visitor_idx ON sponsored_click (campaign_id, visitor_hash, clicked_at);
      CREATE INDEX sponsored_click_cookie_idx ON sponsored_click (campaign_id, cookie_visitor_hash, clicked_at)
        WHERE cookie_visitor_hash IS NOT NULL;
      -- Attribution: the last sponsored click on a product of the brand before an order.
      CREATE INDEX sponsored_click_product_idx ON sponsored_click (brand_id, product_id, clicked_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sponsored_click; DROP TABLE campaign_day; DROP TABLE campaign`);
  }
}
