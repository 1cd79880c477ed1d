import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type BrandContext } from '@brandshelf/core';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import type {
  CreatorContext,
  EarningStatus,
  LedgerEntryKind,
  LedgerEntryView,
  ReversalReason,
  Sql,
} from './earnings.types.js';
import type { LineRow } from './commission-line.store.js';

/** One entry to append: an amount moving into `to` (from `from`, or new money when from is null). */
export interface NewEntry {
  line: LineRow;
  kind: LedgerEntryKind;
  from: Exclude<EarningStatus, 'REVERSED'> | null;
  to: EarningStatus;
  /** Signed: positive for COMMISSION, APPROVAL and PAYOUT, zero or negative for a REVERSAL. */
  amountMinor: bigint;
  reversesId?: string | null;
  refundedBaseMinor?: bigint | null;
  reason?: ReversalReason | null;
  note?: string | null;
  refundId?: string | null;
  payoutId?: string | null;
}

interface EntryRow {
  id: string;
  seq: string;
  kind: LedgerEntryKind;
  from_status: EarningStatus | null;
  to_status: EarningStatus;
  amount_minor: string;
  currency: string;
  brand_id: string;
  brand_name: string;
  order_id: string;
  product_id: string;
  rate_percent: string;
  base_minor: string;
  refunded_base_minor: string | null;
  reverses_id: string | null;
  reason: ReversalReason | null;
  note: string | null;
  earned_month: string;
  ordered_at: Date;
  created_at: Date;
}

const view = (r: EntryRow): LedgerEntryView => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  amountMinor: BigInt(r.amount_minor),
  currency: r.currency,
  brandId: r.brand_id,
  brandName: r.brand_name,
  orderId: r.order_id,
  productId: r.product_id,
  ratePercent: r.rate_percent,
  baseMinor: BigInt(r.base_minor),
  refundedBaseMinor: r.refunded_base_minor === null ? null : BigInt(r.refunded_base_minor),
  reversesId: r.reverses_id,
  reason: r.reason,
  note: r.note,
  earnedMonth: r.earned_month,
  orderedAt: r.ordered_at,
  createdAt: r.created_at,
});

const SELECT_ENTRY = `SELECT e.id, e.seq::text AS seq, e.kind, e.from_status, e.to_status, e.amount_minor, e.currency,
              e.brand_id, b.name AS brand_name, c.order_id, l.product_id, l.rate_percent::text AS rate_percent,
              l.base_minor, e.refunded_base_minor, e.reverses_id, e.reason, e.note,
              to_char(e.earned_month, 'YYYY-MM') AS earned_month, c.ordered_at, e.created_at
         FROM ledger_entry e
         JOIN commission_line l ON l.id = e.line_id
         JOIN conversion c ON c.id = e.conversion_id
         JOIN brand b ON b.id = e.brand_id`;

/** ledger_entry: append-only (the database refuses updates); read by creators, written by the poster. */
@Injectable()
export class LedgerEntryStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async append(ctx: BrandContext, sql: Sql, entries: NewEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const brandId = ctx.principal.brandId;
    if (entries.some((e) => e.line.brand_id !== brandId)) throw new Error('entries of another brand');
    await sql.query(
      `INSERT INTO ledger_entry (line_id, conversion_id, brand_id, creator_id, kind, from_status, to_status,
                                 amount_minor, currency, earned_month, reverses_id, refunded_base_minor, reason,
                                 note, refund_id, payout_id)
       SELECT x.line_id, x.conversion_id, $1, x.creator_id, x.kind, x.from_status, x.to_status, x.amount_minor,
              x.currency, x.earned_month, x.reverses_id, x.refunded_base_minor, x.reason, x.note, x.refund_id,
              x.payout_id
         FROM jsonb_to_recordset($2::jsonb) AS x(line_id uuid, conversion_id uuid, creator_id uuid,
              kind text, from_status text, to_status text, amount_minor bigint, currency text, earned_month date,
              reverses_id uuid, refunded_base_minor bigint, reason text, note text, refund_id text, payout_id uuid, n integer)
        ORDER BY x.n`,
      [
        brandId,
        JSON.stringify(
          entries.map((e, n) => ({
            n,
            line_id: e.line.id,
            conversion_id: e.line.conversion_id,
            creator_id: e.line.creator_id,
            kind: e.kind,
            from_status: e.from,
            to_status: e.to,
            amount_minor: e.amountMinor.toString(),
            currency: e.line.currency,
            earned_month: e.line.earned_month,
            reverses_id: e.reversesId ?? null,
            refunded_base_minor: e.refundedBaseMinor?.toString() ?? null,
            reason: e.reason ?? null,
            note: e.note ?? null,
            refund_id: e.refundId ?? null,
            payout_id: e.payoutId ?? null,
          })),
        ),
      ],
    );
  }

  /** The COMMISSION entry of each line (what a reversal names), by line id. */
  async commissionEntryIds(ctx: BrandContext, sql: Sql, lineIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; line_id: string }[] = await sql.query(
      `SELECT id, line_id FROM ledger_entry WHERE brand_id = $1 AND line_id = ANY($2::uuid[]) AND kind = 'COMMISSION'`,
      [ctx.principal.brandId, lineIds],
    );
    return new Map(rows.map((r) => [r.line_id, r.id]));
  }

  /** The creator's entries among `ids` (another creator's are not read), in one statement. */
  async byIdsForCreator(ctx: CreatorContext, ids: readonly string[]): Promise<LedgerEntryView[]> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return [];
    const rows: EntryRow[] = await this.db.query(`${SELECT_ENTRY} WHERE e.creator_id = $1 AND e.id = ANY($2::uuid[])`, [
      ctx.principal.creatorId,
      wanted,
    ]);
    return rows.map(view);
  }

  /** The creator's entries, newest first, a keyset page at a time (on seq: reads only the page's rows). */
  async pageForCreator(
    ctx: CreatorContext,
    request: KeysetRequest,
    totalCount: number,
  ): Promise<KeysetPage<LedgerEntryView>> {
    const after = request.after ? BigInt(decodeKeysetCursor('seq', request.after, 'after').key) : null;
    const before = request.before ? BigInt(decodeKeysetCursor('seq', request.before, 'before').key) : null;
    const params: unknown[] = [ctx.principal.creatorId];
    const conditions = ['e.creator_id = $1'];
    // Newest first: "after" a cursor means a smaller seq.
    if (after !== null) conditions.push(`e.seq < $${params.push(after.toString())}`);
    if (before !== null) conditions.push(`e.seq > $${params.push(before.toString())}`);
    const direction = request.fromEnd ? 'ASC' : 'DESC';
    params.push(request.limit + 1);
    const rows: EntryRow[] = await this.db.query(
      `${SELECT_ENTRY}
        WHERE ${conditions.join(' AND ')}
        ORDER BY e.seq ${direction} LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > request.limit;
    const page = rows.slice(0, request.limit);
    if (request.fromEnd) page.reverse();
    return {
      rows: page.map((r) => ({ node: view(r), cursor: encodeKeysetCursor('seq', r.seq, r.id) })),
      hasNextPage: request.fromEnd ? before !== null : more,
      hasPreviousPage: request.fromEnd ? more : after !== null,
      totalCount,
    };
  }
}
