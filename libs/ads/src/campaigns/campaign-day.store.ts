import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { SystemPath } from '@brandshelf/db';

type Sql = { query(sql: string, params?: unknown[]): Promise<any> };

/** One UTC day of a campaign, as stats read it. */
export interface CampaignDayRow {
  day: string;
  impressions: number;
  clicks: number;
  spendMinor: bigint;
}

/** campaign_day: counters per campaign and UTC day. Impressions come in batches; clicks and spend with the clicks. */
@Injectable()
export class CampaignDayStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** System method (the impression flush): adds impressions per (campaign, day) in one statement. */
  @SystemPath('campaign-day.store.systemAddImpressions')
  async systemAddImpressions(rows: Array<{ campaignId: string; day: string; count: number }>): Promise<void> {
    if (!rows.length) return;
    await this.db.query(
      `INSERT INTO campaign_day (campaign_id, brand_id, day, impressions)
       SELECT c.id, c.brand_id, v.day, v.n
         FROM unnest($1::uuid[], $2::date[], $3::bigint[]) AS v(campaign, day, n)
         JOIN campaign c ON c.id = v.campaign
       ON CONFLICT (campaign_id, day) DO UPDATE SET impressions = campaign_day.impressions + excluded.impressions`,
      [rows.map((r) => r.campaignId), rows.map((r) => r.day), rows.map((r) => r.count)],
    );
  }

  /**
   * System method (the click flush, in its transaction): the (campaign, day) rows of a batch, created when missing
   * and locked, with the day's spend so far and the campaign's budget. Clicks of one campaign and day are then
   * charged one at a time against these, whichever process flushes them.
   */
  @SystemPath('campaign-day.store.systemLockDays')
  async systemLockDays(
    sql: Sql,
    keys: Array<{ campaignId: string; day: string }>,
  ): Promise<Map<string, { spentMinor: number; budgetMinor: number }>> {
    const campaigns = keys.map((k) => k.campaignId);
    const days = keys.map((k) => k.day);
    await sql.query(
      `INSERT INTO campaign_day (campaign_id, brand_id, day)
       SELECT c.id, c.brand_id, v.day FROM unnest($1::uuid[], $2::date[]) AS v(campaign, day)
         JOIN campaign c ON c.id = v.campaign
       ON CONFLICT (campaign_id, day) DO NOTHING`,
      [campaigns, days],
    );
    const rows: Array<{ campaign_id: string; day: string; spent: string; budget: string }> = await sql.query(
      `SELECT d.campaign_id, d.day::text AS day, d.spend_minor::text AS spent, c.daily_budget_minor::text AS budget
         FROM campaign_day d JOIN campaign c ON c.id = d.campaign_id
         JOIN unnest($1::uuid[], $2::date[]) AS v(campaign, day) ON d.campaign_id = v.campaign AND d.day = v.day
        ORDER BY d.campaign_id, d.day
          FOR UPDATE OF d`,
      [campaigns, days],
    );
    return new Map(
      rows.map((r) => [`${r.campaign_id}|${r.day}`, { spentMinor: Number(r.spent), budgetMinor: Number(r.budget) }]),
    );
  }

  /** System method (the click flush, in its transaction): adds counted clicks and their charges to locked days. */
  @SystemPath('campaign-day.store.systemAddClicks')
  async systemAddClicks(
    sql: Sql,
    rows: Array<{ campaignId: string; day: string; clicks: number; spendMinor: number }>,
  ): Promise<void> {
    if (!rows.length) return;
    await sql.query(
      `UPDATE campaign_day d SET clicks = d.clicks + v.clicks, spend_minor = d.spend_minor + v.spend
         FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[]) AS v(campaign, day, clicks, spend)
        WHERE d.campaign_id = v.campaign AND d.day = v.day`,
      [rows.map((r) => r.campaignId), rows.map((r) => r.day), rows.map((r) => r.clicks), rows.map((r) => r.spendMinor)],
    );
  }

  /** The campaign's days from `from` to `to` (inclusive), every day listed (zeros where nothing happened). */
  async days(ctx: BrandContext, campaignId: string, from: string, to: string): Promise<CampaignDayRow[]> {
    const rows: Array<{ day: string; impressions: string; clicks: string; spend: string }> = await this.db.query(
      `SELECT g.day::date::text AS day, coalesce(d.impressions, 0)::text AS impressions,
              coalesce(d.clicks, 0)::text AS clicks, coalesce(d.spend_minor, 0)::text AS spend
         FROM generate_series($3::date, $4::date, interval '1 day') AS g(day)
         LEFT JOIN campaign_day d ON d.day = g.day::date AND d.campaign_id = $2 AND d.brand_id = $1
        ORDER BY g.day`,
      [ctx.principal.brandId, campaignId, from, to],
    );
    return rows.map((r) => ({
      day: r.day,
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      spendMinor: BigInt(r.spend),
    }));
  }
}
