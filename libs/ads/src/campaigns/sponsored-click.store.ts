import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { SystemPath } from '@brandshelf/db';

type Sql = { query(sql: string, params?: unknown[]): Promise<any> };

/** A sponsored click as buffered in memory, ready to be written. */
export interface SponsoredClickRecord {
  clickId: string;
  campaignId: string;
  brandId: string;
  productId: string;
  visitorHash: string;
  /** The hash of the cookie this click set (the visitor had none), so its next click is the same visitor. */
  cookieVisitorHash: string | null;
  priceMinor: number;
  clickedAt: Date;
}

/** Orders attributed to a campaign on one UTC day (see SponsoredClickStore.attributed). */
export interface AttributedDay {
  day: string;
  orders: number;
  /** Sum of the attributed lines' amounts, a decimal string in major units of the campaign's currency. */
  revenue: string;
}

/** sponsored_click: written only in batches by the sponsored click recorder; read for dedupe and attribution. */
@Injectable()
export class SponsoredClickStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * System method (the click flush, in its transaction): of a batch, the clicks whose visitor already has a written
   * click on the same campaign in the 30 minutes before it (by visitor hash or by the cookie an earlier click set):
   * those are repeats, not written and not charged. Takes the flushes' advisory lock first: flushes of all
   * processes run one at a time, so two cannot both write the same visitor's click.
   */
  @SystemPath('sponsored-click.store.systemRepeats')
  async systemRepeats(sql: Sql, clicks: readonly SponsoredClickRecord[]): Promise<Set<string>> {
    if (!clicks.length) return new Set();
    await sql.query('SELECT pg_advisory_xact_lock(7254190318)');
    const rows: Array<{ click_id: string }> = await sql.query(
      `SELECT v.click_id FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[])
                                AS v(click_id, campaign, visitor, at)
        WHERE EXISTS (SELECT 1 FROM sponsored_click c
                       WHERE c.campaign_id = v.campaign AND c.visitor_hash = v.visitor
                         AND c.clicked_at > v.at - interval '30 minutes' AND c.clicked_at <= v.at)
           OR EXISTS (SELECT 1 FROM sponsored_click c
                       WHERE c.campaign_id = v.campaign AND c.cookie_visitor_hash = v.visitor
                         AND c.clicked_at > v.at - interval '30 minutes' AND c.clicked_at <= v.at)`,
      [
        clicks.map((c) => c.clickId),
        clicks.map((c) => c.campaignId),
        clicks.map((c) => c.visitorHash),
        clicks.map((c) => c.clickedAt),
      ],
    );
    return new Set(rows.map((r) => r.click_id));
  }

  /** System method (the click flush, in its transaction): writes counted clicks with what each was charged. */
  @SystemPath('sponsored-click.store.systemInsert')
  async systemInsert(sql: Sql, clicks: ReadonlyArray<SponsoredClickRecord & { chargedMinor: number }>): Promise<void> {
    if (!clicks.length) return;
    await sql.query(
      `INSERT INTO sponsored_click (click_id, campaign_id, brand_id, product_id, visitor_hash, cookie_visitor_hash,
                                    price_minor, charged_minor, clicked_at)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::bigint[],
                            $8::bigint[], $9::timestamptz[])
       ON CONFLICT (click_id) DO NOTHING`,
      [
        clicks.map((c) => c.clickId),
        clicks.map((c) => c.campaignId),
        clicks.map((c) => c.brandId),
        clicks.map((c) => c.productId),
        clicks.map((c) => c.visitorHash),
        clicks.map((c) => c.cookieVisitorHash),
        clicks.map((c) => c.priceMinor),
        clicks.map((c) => c.chargedMinor),
        clicks.map((c) => c.clickedAt),
      ],
    );
  }

  /**
   * Orders attributed to the campaign, per UTC day of the order, from `from` to `to` inclusive. The rule: a line of
   * an order the brand reported (conversion reports, libs/earnings; any outcome but SELF_REFERRAL, since a sponsored
   * click earns no creator commission and the order is the brand's sale either way) is attributed to the campaign
   * when the last sponsored click of the brand on that line's product, at or before the order and within the
   * brand's attribution window (affiliate settings, 7 days by default), was a click of this campaign. An order
   * counts once; its revenue is the sum of its attributed lines' amounts, orders in the campaign's currency only.
   */
  async attributed(
    ctx: BrandContext,
    campaignId: string,
    currency: string,
    from: string,
    to: string,
  ): Promise<AttributedDay[]> {
    const rows: Array<{ day: string; orders: string; revenue: string }> = await this.db.query(
      `WITH w AS (
         SELECT make_interval(days => coalesce(
                  (SELECT attribution_window_days FROM affiliate_settings WHERE brand_id = $1), 7)) AS window
       ), lines AS (
         SELECT c.id AS conversion_id, c.ordered_at, (l->>'productId')::uuid AS product_id, l->>'amount' AS amount
           FROM conversion c CROSS JOIN LATERAL jsonb_array_elements(c.lines) l
          WHERE c.brand_id = $1 AND c.currency = $3 AND c.outcome <> 'SELF_REFERRAL'
            AND c.ordered_at >= ($4::date::timestamp AT TIME ZONE 'UTC')
            AND c.ordered_at < (($5::date + 1)::timestamp AT TIME ZONE 'UTC')
            AND l->>'productId' ~ '^[0-9a-f-]{36}$'
       ), hit AS (
         SELECT lines.*, (SELECT k.campaign_id FROM sponsored_click k, w
                           WHERE k.brand_id = $1 AND k.product_id = lines.product_id
                             AND k.clicked_at <= lines.ordered_at AND k.clicked_at > lines.ordered_at - w.window
                           ORDER BY k.clicked_at DESC LIMIT 1) AS campaign_id
           FROM lines
       )
       SELECT (ordered_at AT TIME ZONE 'UTC')::date::text AS day, count(DISTINCT conversion_id)::text AS orders,
              sum(amount::numeric)::text AS revenue
         FROM hit WHERE campaign_id = $2 GROUP BY 1 ORDER BY 1`,
      [ctx.principal.brandId, campaignId, currency, from, to],
    );
    return rows.map((r) => ({ day: r.day, orders: Number(r.orders), revenue: r.revenue }));
  }
}
