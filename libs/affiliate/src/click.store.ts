import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rateToSql } from './rate.js';
import { SystemPath } from '@brandshelf/db';

/** A click as buffered in memory, ready to be written. */
export interface ClickRecord {
  clickId: string;
  shareLinkId: string;
  brandId: string;
  creatorId: string;
  productId: string;
  visitorHash: string;
  clickedAt: Date;
  /** Snapshotted at click time (hundredths of a percent); null: no rule applied. */
  rate: number | null;
  rule: string | null;
}

/** The dedupe window: the same visitor on the same link within it is one click. */
export const CLICK_DEDUPE_MS = 30 * 60_000;

/** affiliate_click: written only in batches by the click recorder; read by libs/earnings for attribution. */
@Injectable()
export class ClickStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * System method (the click recorder's flush): writes a batch in one multi-row INSERT, leaving out every click
   * whose visitor already has a written click on the same link in the 30 minutes before it (another process's,
   * or this one's before a restart). Flushes of all processes take one advisory lock in turn, so two processes
   * cannot both write the same visitor's click. Answers the clicks written.
   */
  @SystemPath('click.store.systemInsertBatch')
  async systemInsertBatch(clicks: readonly ClickRecord[]): Promise<number> {
    if (!clicks.length) return 0;
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7254190312)');
      const rows = await m.query(
        `INSERT INTO affiliate_click
           (click_id, share_link_id, brand_id, creator_id, product_id, visitor_hash, rate_percent, commission_rule,
            clicked_at)
         SELECT v.click_id, v.link, v.brand, v.creator, v.product, v.visitor, v.rate::numeric, v.rule, v.at
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                     $9::timestamptz[]) AS v(click_id, link, brand, creator, product, visitor, rate, rule, at)
         WHERE EXISTS (SELECT 1 FROM share_link l WHERE l.id = v.link)
           AND NOT EXISTS (
             SELECT 1 FROM affiliate_click c
             WHERE c.share_link_id = v.link AND c.visitor_hash = v.visitor
               AND c.clicked_at > v.at - interval '30 minutes' AND c.clicked_at <= v.at)
         ON CONFLICT (click_id) DO NOTHING
         RETURNING 1`,
        [
          clicks.map((c) => c.clickId),
          clicks.map((c) => c.shareLinkId),
          clicks.map((c) => c.brandId),
          clicks.map((c) => c.creatorId),
          clicks.map((c) => c.productId),
          clicks.map((c) => c.visitorHash),
          clicks.map((c) => (c.rate === null ? null : rateToSql(c.rate))),
          clicks.map((c) => c.rule),
          clicks.map((c) => c.clickedAt),
        ],
      );
      return rows.length;
    });
  }
}
