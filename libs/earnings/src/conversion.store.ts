import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import type { ConversionOutcome, ConversionSource, ConversionView, Sql } from './earnings.types.js';

export interface NewConversion {
  orderId: string;
  outcome: ConversionOutcome;
  reason: string;
  source: ConversionSource;
  clickRowId: string | null;
  creatorId: string | null;
  currency: string;
  orderedAt: Date;
  clickedAt: Date | null;
  lines: unknown;
}

/** A line of a reported order as stored on its conversion: the product it resolved to, the offer id it named. */
export interface OrderLine {
  productId: string | null;
  offerId: string | null;
  quantity: number;
  /** Decimal string in major units of the order's currency. */
  amount: string;
}

interface Row {
  id: string;
  brand_id: string;
  order_id: string;
  outcome: ConversionOutcome;
  reason: string;
  creator_id: string | null;
  currency: string;
  ordered_at: Date;
  clicked_at: Date | null;
  received_at: Date;
  refund_ids: string[];
  commission_minor: string | null;
  attributed_lines: string | number | null;
}

const SELECT = `
  SELECT c.id, c.brand_id, c.order_id, c.outcome, c.reason, c.creator_id, c.currency, c.ordered_at, c.clicked_at,
         c.received_at, c.refund_ids,
         (SELECT sum(l.commission_minor - l.reversed_minor) FROM commission_line l WHERE l.conversion_id = c.id)
           AS commission_minor,
         (SELECT count(*) FROM commission_line l WHERE l.conversion_id = c.id) AS attributed_lines
    FROM conversion c`;

const view = (row: Row): ConversionView & { refundIds: string[] } => ({
  id: row.id,
  brandId: row.brand_id,
  orderId: row.order_id,
  outcome: row.outcome,
  reason: row.reason,
  creatorId: row.creator_id,
  currency: row.currency,
  orderedAt: row.ordered_at,
  clickedAt: row.clicked_at,
  receivedAt: row.received_at,
  refundIds: row.refund_ids,
  commissionMinor: BigInt(row.commission_minor ?? 0),
  attributedLines: Number(row.attributed_lines ?? 0),
});

/** conversion: one reported order per (brand, order id), with how it was attributed. */
@Injectable()
export class ConversionStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The new conversion's id, or null when the brand already reported this order (nothing is written). */
  async insert(ctx: BrandContext, sql: Sql, row: NewConversion): Promise<string | null> {
    const rows: { id: string }[] = await sql.query(
      `INSERT INTO conversion (brand_id, order_id, outcome, reason, source, click_row_id, creator_id, currency,
                               ordered_at, clicked_at, lines)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (brand_id, order_id) DO NOTHING RETURNING id`,
      [
        ctx.principal.brandId,
        row.orderId,
        row.outcome,
        row.reason,
        row.source,
        row.clickRowId,
        row.creatorId,
        row.currency,
        row.orderedAt,
        row.clickedAt,
        JSON.stringify(row.lines),
      ],
    );
    return rows[0]?.id ?? null;
  }

  async byOrder(ctx: BrandContext, orderId: string, sql: Sql = this.db) {
    const rows: Row[] = await sql.query(`${SELECT} WHERE c.brand_id = $1 AND c.order_id = $2`, [
      ctx.principal.brandId,
      orderId,
    ]);
    if (!rows[0]) throw new NotFoundError('Conversion for order', orderId);
    return view(rows[0]);
  }

  /** The brand's conversions among `ids` (another brand's are not read), in one statement. */
  async byIds(ctx: BrandContext, ids: readonly string[]): Promise<ConversionView[]> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return [];
    const rows: Row[] = await this.db.query(`${SELECT} WHERE c.brand_id = $1 AND c.id = ANY($2::uuid[])`, [
      ctx.principal.brandId,
      wanted,
    ]);
    return rows.map(view);
  }

  /**
   * Locks the order's conversion for the transaction (refunds of one order apply one at a time), with the order's
   * lines as reported (every line, whether it earned commission or not).
   */
  async lockByOrder(
    ctx: BrandContext,
    sql: Sql,
    orderId: string,
  ): Promise<{ id: string; refundIds: string[]; lines: OrderLine[] }> {
    const rows: { id: string; refund_ids: string[]; lines: OrderLine[] }[] = await sql.query(
      'SELECT id, refund_ids, lines FROM conversion WHERE brand_id = $1 AND order_id = $2 FOR UPDATE',
      [ctx.principal.brandId, orderId],
    );
    if (!rows[0]) throw new NotFoundError('Conversion for order', orderId);
    return { id: rows[0].id, refundIds: rows[0].refund_ids, lines: Array.isArray(rows[0].lines) ? rows[0].lines : [] };
  }

  async recordRefund(ctx: BrandContext, sql: Sql, id: string, refundId: string): Promise<void> {
    await sql.query('UPDATE conversion SET refund_ids = array_append(refund_ids, $3) WHERE brand_id = $1 AND id = $2', [
      ctx.principal.brandId,
      id,
      refundId,
    ]);
  }
}
