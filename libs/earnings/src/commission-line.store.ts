import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  returnedRows,
  type KeysetPage,
  type KeysetRequest,
  SystemPath,
} from '@brandshelf/db';
import type { Sql } from './earnings.types.js';

/** A commission line as the ledger needs it: who, what currency and month, and where its money is now. */
export interface LineRow {
  id: string;
  conversion_id: string;
  brand_id: string;
  creator_id: string;
  product_id: string;
  currency: string;
  earned_month: string;
  base_minor: string;
  rate_percent: string;
  commission_minor: string;
  refunded_base_minor: string;
  pending_minor: string;
  approved_minor: string;
  paid_minor: string;
  reversed_minor: string;
}

export interface NewLine {
  productId: string;
  lineNo: number;
  quantity: number;
  baseMinor: bigint;
  ratePercent: string;
  commissionMinor: bigint;
}

export interface LineDelta {
  id: string;
  pending: bigint;
  approved: bigint;
  paid: bigint;
  reversed: bigint;
  refunded: bigint;
}

const COLUMNS = `id, conversion_id, brand_id, creator_id, product_id, currency, to_char(earned_month, 'YYYY-MM-DD') AS
  earned_month, base_minor, rate_percent, commission_minor, refunded_base_minor, pending_minor, approved_minor,
  paid_minor, reversed_minor`;

export interface ReportRow {
  creatorId: string;
  creatorHandle: string;
  productId: string;
  offerId: string | null;
  title: string | null;
  clicks: number;
  orders: number;
  /** Per currency: revenue (line amounts less refunds) and net commission, minor units. */
  money: { currency: string; revenueMinor: bigint; commissionMinor: bigint }[];
}

/**
 * commission_line: the attributed lines of orders. Amounts are fixed when written; the balance columns are the
 * line's ledger entries summed by status, changed only by the ledger poster in the entries' own transaction.
 */
@Injectable()
export class CommissionLineStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(
    ctx: BrandContext,
    sql: Sql,
    conversion: { id: string; creatorId: string; currency: string; orderedAt: Date; approveAfter: Date },
    lines: NewLine[],
  ): Promise<LineRow[]> {
    if (lines.length === 0) return [];
    return sql.query(
      `INSERT INTO commission_line (conversion_id, brand_id, creator_id, product_id, line_no, quantity, currency,
                                    base_minor, rate_percent, commission_minor, ordered_at, earned_month,
                                    approve_after)
       SELECT $1, $2, $3, x.product_id, x.line_no, x.quantity, $4, x.base_minor, x.rate_percent, x.commission_minor,
              $5, date_trunc('month', $5::timestamptz AT TIME ZONE 'UTC')::date, $6
         FROM jsonb_to_recordset($7::jsonb) AS x(product_id uuid, line_no integer, quantity integer, base_minor bigint,
                                                 rate_percent numeric, commission_minor bigint)
       RETURNING ${COLUMNS}`,
      [
        conversion.id,
        ctx.principal.brandId,
        conversion.creatorId,
        conversion.currency,
        conversion.orderedAt,
        conversion.approveAfter,
        JSON.stringify(
          lines.map((l) => ({
            product_id: l.productId,
            line_no: l.lineNo,
            quantity: l.quantity,
            base_minor: l.baseMinor.toString(),
            rate_percent: l.ratePercent,
            commission_minor: l.commissionMinor.toString(),
          })),
        ),
      ],
    );
  }

  /** The conversion's lines in line order, locked for the transaction. */
  lockForConversion(ctx: BrandContext, sql: Sql, conversionId: string): Promise<LineRow[]> {
    return sql.query(
      `SELECT ${COLUMNS} FROM commission_line WHERE brand_id = $1 AND conversion_id = $2 ORDER BY line_no FOR UPDATE`,
      [ctx.principal.brandId, conversionId],
    );
  }

  /** The creator's lines with an approved balance in `currency`, locked for the transaction. */
  lockPayable(ctx: BrandContext, sql: Sql, creatorId: string, currency: string): Promise<LineRow[]> {
    return sql.query(
      `SELECT ${COLUMNS} FROM commission_line
        WHERE brand_id = $1 AND creator_id = $2 AND currency = $3 AND approved_minor > 0
        ORDER BY id FOR UPDATE`,
      [ctx.principal.brandId, creatorId, currency],
    );
  }

  /**
   * System (the approval job): up to `limit` lines of any brand with a pending balance whose return window ended by
   * `now`, locked; lines another transaction holds are skipped (a refund in progress, another job), not waited for.
   */
  @SystemPath('commission-line.store.systemLockDue')
  systemLockDue(sql: Sql, now: Date, limit: number): Promise<LineRow[]> {
    return sql.query(
      `SELECT ${COLUMNS} FROM commission_line
        WHERE pending_minor > 0 AND approve_after <= $1
        ORDER BY approve_after LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Adds the deltas to the lines' balances (the poster's half of writing entries). */
  async applyDeltas(ctx: BrandContext, sql: Sql, deltas: LineDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const result: unknown = await sql.query(
      `UPDATE commission_line l
          SET pending_minor = l.pending_minor + d.pending, approved_minor = l.approved_minor + d.approved,
              paid_minor = l.paid_minor + d.paid, reversed_minor = l.reversed_minor + d.reversed,
              refunded_base_minor = l.refunded_base_minor + d.refunded
         FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, pending bigint, approved bigint, paid bigint,
                                                 reversed bigint, refunded bigint)
        WHERE l.id = d.id AND l.brand_id = $1
        RETURNING l.id`,
      [
        ctx.principal.brandId,
        JSON.stringify(
          deltas.map((d) => ({
            id: d.id,
            pending: d.pending.toString(),
            approved: d.approved.toString(),
            paid: d.paid.toString(),
            reversed: d.reversed.toString(),
            refunded: d.refunded.toString(),
          })),
        ),
      ],
    );
    const updated = returnedRows(result).length;
    if (updated !== deltas.length) throw new Error('commission lines of another brand cannot be posted to');
  }

  /**
   * The brand's affiliate report, one row per (creator, product) that had a click or an attributed order, in
   * (creator, product) order, a keyset page at a time.
   */
  async report(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ReportRow>> {
    const brandId = ctx.principal.brandId;
    const after = request.after ? decodeKeysetCursor('report', request.after, 'after') : null;
    const before = request.before ? decodeKeysetCursor('report', request.before, 'before') : null;
    const conditions = ['true'];
    const params: unknown[] = [brandId];
    if (after) {
      params.push(after.key, after.id);
      conditions.push(`(k.creator_id, k.product_id) > ($${params.length - 1}::uuid, $${params.length}::uuid)`);
    }
    if (before) {
      params.push(before.key, before.id);
      conditions.push(`(k.creator_id, k.product_id) < ($${params.length - 1}::uuid, $${params.length}::uuid)`);
    }
    const direction = request.fromEnd ? 'DESC' : 'ASC';
    params.push(request.limit + 1);
    const keys = `
      SELECT creator_id, product_id FROM affiliate_click WHERE brand_id = $1
      UNION
      SELECT creator_id, product_id FROM commission_line WHERE brand_id = $1`;
    const page: { creator_id: string; product_id: string }[] = await this.db.query(
      `SELECT k.creator_id, k.product_id FROM (${keys}) k WHERE ${conditions.join(' AND ')}
        ORDER BY k.creator_id ${direction}, k.product_id ${direction} LIMIT $${params.length}`,
      params,
    );
    const more = page.length > request.limit;
    const rows = page.slice(0, request.limit);
    if (request.fromEnd) rows.reverse();
    const [{ count }]: { count: string }[] = await this.db.query(`SELECT count(*) AS count FROM (${keys}) k`, [
      brandId,
    ]);
    const creators = rows.map((r) => r.creator_id);
    const products = rows.map((r) => r.product_id);
    const stats: {
      creator_id: string;
      product_id: string;
      handle: string;
      offer_id: string | null;
      title: string | null;
      clicks: string;
      orders: string;
      money: { currency: string; revenue: string; commission: string }[] | null;
    }[] = rows.length
      ? await this.db.query(
          `SELECT k.creator_id, k.product_id, cr.handle, pi.offer_id, cp.title,
                  (SELECT count(*) FROM affiliate_click c
                    WHERE c.brand_id = $1 AND c.creator_id = k.creator_id AND c.product_id = k.product_id) AS clicks,
                  (SELECT count(DISTINCT l.conversion_id) FROM commission_line l
                    WHERE l.brand_id = $1 AND l.creator_id = k.creator_id AND l.product_id = k.product_id) AS orders,
                  (SELECT jsonb_agg(jsonb_build_object('currency', m.currency, 'revenue', m.revenue::text,
                                                       'commission', m.commission::text) ORDER BY m.currency)
                     FROM (SELECT l.currency, sum(l.base_minor - l.refunded_base_minor) AS revenue,
                                  sum(l.commission_minor - l.reversed_minor) AS commission
                             FROM commission_line l
                            WHERE l.brand_id = $1 AND l.creator_id = k.creator_id AND l.product_id = k.product_id
                            GROUP BY l.currency) m) AS money
             FROM unnest($2::uuid[], $3::uuid[]) AS k(creator_id, product_id)
             JOIN creator cr ON cr.id = k.creator_id
             LEFT JOIN product_identity pi ON pi.id = k.product_id AND pi.brand_id = $1
             LEFT JOIN catalog_product cp ON cp.id = k.product_id AND cp.brand_id = $1`,
          [brandId, creators, products],
        )
      : [];
    const byKey = new Map(stats.map((s) => [`${s.creator_id}/${s.product_id}`, s]));
    return {
      rows: rows.map((r) => {
        const s = byKey.get(`${r.creator_id}/${r.product_id}`)!;
        return {
          cursor: encodeKeysetCursor('report', r.creator_id, r.product_id),
          node: {
            creatorId: r.creator_id,
            creatorHandle: s?.handle ?? '',
            productId: r.product_id,
            offerId: s?.offer_id ?? null,
            title: s?.title ?? null,
            clicks: Number(s?.clicks ?? 0),
            orders: Number(s?.orders ?? 0),
            money: (s?.money ?? []).map((m) => ({
              currency: m.currency,
              revenueMinor: BigInt(m.revenue),
              commissionMinor: BigInt(m.commission),
            })),
          },
        };
      }),
      hasNextPage: request.fromEnd ? Boolean(before) : more,
      hasPreviousPage: request.fromEnd ? more : Boolean(after),
      totalCount: Number(count),
    };
  }
}
