import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { CURRENCIES } from '@brandshelf/catalog-rules';
import { spreadsheetSafe } from '@brandshelf/ingestion';
import type { CreatorContext, EarningStatus, Sql } from './earnings.types.js';

export interface RollupDelta {
  creatorId: string;
  currency: string;
  /** YYYY-MM-DD, the first of the earning month. */
  month: string;
  status: EarningStatus;
  amountMinor: bigint;
  entries: number;
}

export interface RollupRow {
  brandId: string;
  brandName: string;
  currency: string;
  month: string;
  status: EarningStatus;
  amountMinor: bigint;
  entries: number;
}

/** A VALUES list of every known currency's minor-unit exponent, for formatting amounts inside SQL. */
const EXPONENTS = `(VALUES ${Object.entries(CURRENCIES)
  .filter(([code]) => /^[A-Z]{3}$/.test(code))
  .map(([code, info]) => `('${code}', ${Number(info.exponent)})`)
  .join(', ')})`;

/**
 * earnings_rollup: the ledger summed per creator, brand, currency, month and status, written with the entries.
 * A creator's totals read a few dozen rows of it however many entries the ledger holds.
 */
@Injectable()
export class EarningsRollupStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Adds the deltas (all of ctx's brand), in key order so concurrent posters lock rows in the same order. */
  async apply(ctx: BrandContext, sql: Sql, deltas: RollupDelta[]): Promise<void> {
    const merged = new Map<string, RollupDelta>();
    for (const d of deltas) {
      const key = [d.creatorId, d.currency, d.month, d.status].join('|');
      const m = merged.get(key);
      if (m) {
        m.amountMinor += d.amountMinor;
        m.entries += d.entries;
      } else merged.set(key, { ...d });
    }
    const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO earnings_rollup AS r (creator_id, brand_id, currency, month, status, amount_minor, entries)
       SELECT x.creator_id, $1, x.currency, x.month, x.status, x.amount_minor, x.entries
         FROM jsonb_to_recordset($2::jsonb) AS x(creator_id uuid, currency text, month date,
              status text, amount_minor bigint, entries bigint, n integer)
        ORDER BY x.n
       ON CONFLICT (creator_id, brand_id, currency, month, status) DO UPDATE
          SET amount_minor = r.amount_minor + EXCLUDED.amount_minor, entries = r.entries + EXCLUDED.entries`,
      [
        ctx.principal.brandId,
        JSON.stringify(
          rows.map((d, n) => ({
            n,
            creator_id: d.creatorId,
            currency: d.currency,
            month: d.month,
            status: d.status,
            amount_minor: d.amountMinor.toString(),
            entries: d.entries,
          })),
        ),
      ],
    );
  }

  /** Every rollup row of the creator (brands × currencies × months × 4 statuses: small). */
  async forCreator(ctx: CreatorContext, sql: Sql = this.db): Promise<RollupRow[]> {
    const rows: {
      brand_id: string;
      brand_name: string;
      currency: string;
      month: string;
      status: EarningStatus;
      amount_minor: string;
      entries: string;
    }[] = await sql.query(
      `SELECT r.brand_id, b.name AS brand_name, r.currency, to_char(r.month, 'YYYY-MM') AS month, r.status,
              r.amount_minor, r.entries
         FROM earnings_rollup r JOIN brand b ON b.id = r.brand_id
        WHERE r.creator_id = $1`,
      [ctx.principal.creatorId],
    );
    return rows.map((r) => ({
      brandId: r.brand_id,
      brandName: r.brand_name,
      currency: r.currency,
      month: r.month,
      status: r.status,
      amountMinor: BigInt(r.amount_minor),
      entries: Number(r.entries),
    }));
  }

  /**
   * COPY of the brand's balances in `status` per creator and currency, as CSV: creator id (global), handle,
   * currency, amount in major units. Cells a spreadsheet would run as a formula get an apostrophe first.
   */
  payoutCsvCopy(ctx: BrandContext, status: EarningStatus): string {
    // The brand id is a UUID from an authenticated context and status one of four literals: safe to inline
    // (COPY takes no parameters).
    const brandId = ctx.principal.brandId;
    if (!/^[0-9a-f-]{36}$/i.test(brandId) || !['PENDING', 'APPROVED', 'PAID', 'REVERSED'].includes(status)) {
      throw new Error('bad payout CSV parameters');
    }
    return `COPY (
        SELECT translate(rtrim(encode(convert_to('Creator:' || r.creator_id, 'UTF8'), 'base64'), '='), '+/', '-_')
                 AS creator_id,
               ${spreadsheetSafe('c.handle')} AS creator_handle, r.currency,
               round(sum(r.amount_minor)::numeric / (10::numeric ^ COALESCE(x.exp, 2)), COALESCE(x.exp, 2))::text
                 AS amount
          FROM earnings_rollup r
          JOIN creator c ON c.id = r.creator_id
          LEFT JOIN ${EXPONENTS} AS x(code, exp) ON x.code = r.currency
         WHERE r.brand_id = '${brandId}' AND r.status = '${status}'
         GROUP BY r.creator_id, c.handle, r.currency, x.exp
        HAVING sum(r.amount_minor) <> 0
         ORDER BY c.handle, r.currency
      ) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  }
}
