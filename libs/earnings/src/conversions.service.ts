import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, BadInputError, checkInputTime, isUuid, type BrandContext } from '@brandshelf/core';
import { currencyExponent } from '@brandshelf/catalog-rules';
import { decimalToMinor, parseDecimal } from '@brandshelf/search';
import { AffiliateSettingsStore } from './affiliate-settings.store.js';
import { commissionMinor, reversalMinor } from './commission.js';
import { CommissionLineStore, type LineRow, type NewLine } from './commission-line.store.js';
import { ConversionStore, type OrderLine } from './conversion.store.js';
import {
  REVERSAL_REASONS,
  type ConversionOutcome,
  type ConversionReport,
  type ConversionSource,
  type ConversionView,
  type RefundReport,
  type Sql,
} from './earnings.types.js';
import { LedgerEntryStore, type NewEntry } from './ledger-entry.store.js';
import { LedgerPoster } from './ledger.poster.js';

export const MAX_LINES = 500;
const MAX_ID = 200;

interface ClickRow {
  id: string;
  creator_id: string;
  product_id: string;
  rate_percent: string | null;
  clicked_at: Date;
  in_window: boolean;
  after_order: boolean;
}

interface ValidLine {
  productId: string | null;
  offerId: string | null;
  quantity: number;
  amount: string;
  amountMinor: bigint;
}

const text = (value: unknown, field: string, max = MAX_ID): string => {
  if (typeof value !== 'string' || !value.trim()) throw new BadInputError(`${field} is required.`, field);
  const trimmed = value.trim();
  if (trimmed.length > max) throw new BadInputError(`${field} is longer than ${max} characters.`, field);
  return trimmed;
};

const optionalText = (value: unknown, field: string): string | null =>
  value === null || value === undefined || value === '' ? null : text(value, field);

/**
 * A line's amount as a decimal string of the order's `currency`: from { amount, currency } (MoneyInput), whose
 * currency must be the order's (BAD_USER_INPUT on `<field>.currency` otherwise: lines are never converted), or from
 * a bare decimal string (the older form, which the signed REST body still sends).
 */
function lineAmount(value: unknown, currency: string, field: string): string {
  if (typeof value === 'string') return parseDecimal(value, currency, field);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInputError(
      `${field} must be an amount with its currency: { "amount": "59.90", "currency": "${currency}" }.`,
      field,
    );
  }
  const money = value as Record<string, unknown>;
  const given = typeof money.currency === 'string' ? money.currency.trim().toUpperCase() : money.currency;
  if (given !== currency) {
    throw new BadInputError(
      `${field}.currency is ${JSON.stringify(money.currency ?? null)}, but the order is in ${currency}: every line is in the order's currency.`,
      `${field}.currency`,
    );
  }
  return parseDecimal(money.amount as string, currency, `${field}.amount`);
}

function productRef(
  line: Record<string, unknown>,
  field: string,
): { productId: string | null; offerId: string | null } {
  const productId = optionalText(line.productId, `${field}.productId`);
  const offerId = optionalText(line.offerId, `${field}.offerId`);
  if ((productId === null) === (offerId === null)) {
    throw new BadInputError(`${field}: give productId or offerId (one of them).`, field);
  }
  if (productId !== null && !isUuid(productId)) {
    throw new BadInputError(`${field}.productId is not a product id.`, `${field}.productId`);
  }
  return { productId: productId?.toLowerCase() ?? null, offerId };
}

/**
 * Runs a write whose sums may pass PostgreSQL's bigint: each line's amount fits, but a creator's balances add up the
 * lines of every order (500 lines of 14-digit amounts in a 4-decimal currency, or many such orders). PostgreSQL
 * refuses the sum (22003, numeric_value_out_of_range) and the transaction rolls back, nothing written: that is the
 * report's amounts being too large, BAD_USER_INPUT, not a 500.
 */
async function tooLargeAsBadInput<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const e = error as { code?: unknown; driverError?: { code?: unknown } };
    if (e?.code === '22003' || e?.driverError?.code === '22003') {
      throw new BadInputError(
        'The amounts are too large to record: the commission they earn would pass the largest balance a creator can ' +
          'hold. Check that amounts are in major units of the currency (e.g. "129.00").',
        'lines',
      );
    }
    throw error;
  }
}

/**
 * Conversions: orders reported by brands, attributed to the last click within the brand's window, and refunds
 * that reverse what they must. Every write happens in one transaction with its ledger entries.
 */
@Injectable()
export class ConversionsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ConversionStore) private readonly conversions: ConversionStore,
    @Inject(CommissionLineStore) private readonly lines: CommissionLineStore,
    @Inject(LedgerEntryStore) private readonly entries: LedgerEntryStore,
    @Inject(AffiliateSettingsStore) private readonly settings: AffiliateSettingsStore,
    @Inject(LedgerPoster) private readonly poster: LedgerPoster,
  ) {}

  /** The brand's own conversions among `ids` (node(id:)), in one statement. */
  byIds(ctx: BrandContext, ids: readonly string[]): Promise<ConversionView[]> {
    return this.conversions.byIds(ctx, ids);
  }

  /**
   * Records an order once per (brand, order id): a repeated report changes nothing and answers duplicate: true with
   * the conversion as first recorded. The lines for the clicked product earn the rate the click snapshotted.
   */
  async report(
    ctx: BrandContext,
    input: ConversionReport,
    source: ConversionSource,
  ): Promise<{ conversion: ConversionView; duplicate: boolean }> {
    const report = this.validateReport(input);
    const created = await tooLargeAsBadInput(() =>
      this.db.transaction(async (manager) => {
        const settings = await this.settings.get(ctx, manager);
        const click = await this.findClick(ctx, manager, report, settings.attributionWindowDays);
        const products = await this.resolveOffers(ctx, manager, report.lines);
        const productOf = (line: ValidLine) => line.productId ?? products.get(line.offerId!) ?? null;
        let outcome: ConversionOutcome;
        let reason: string;
        const linked = click ? report.lines.filter((l) => productOf(l) === click.product_id) : [];
        if (!click) {
          outcome = 'UNKNOWN_CLICK';
          reason = report.clickId
            ? `No click ${report.clickId} of this brand's share links.`
            : `No click on share link ${report.linkCode} at or before the order time.`;
        } else if (report.selfReferral) {
          outcome = 'SELF_REFERRAL';
          reason = "The brand marked the order as the creator's own purchase: it earns nothing.";
        } else if (click.after_order) {
          outcome = 'OUTSIDE_WINDOW';
          reason = `The click (${click.clicked_at.toISOString()}) came after the order (${report.orderedAt.toISOString()}).`;
        } else if (!click.in_window) {
          outcome = 'OUTSIDE_WINDOW';
          reason =
            `The click (${click.clicked_at.toISOString()}) is more than ${settings.attributionWindowDays} days ` +
            `before the order (${report.orderedAt.toISOString()}).`;
        } else if (click.rate_percent === null) {
          outcome = 'NO_COMMISSION';
          reason = 'No commission program applied to the product when it was clicked.';
        } else if (linked.length === 0) {
          outcome = 'NO_LINKED_PRODUCT';
          reason = 'No line of the order is for the product the creator linked.';
        } else {
          outcome = 'ATTRIBUTED';
          reason =
            `Last click ${click.clicked_at.toISOString()}, within the ${settings.attributionWindowDays}-day window; ` +
            `${linked.length} line${linked.length === 1 ? '' : 's'} at ${click.rate_percent}%.`;
        }
        const conversionId = await this.conversions.insert(ctx, manager, {
          orderId: report.orderId,
          outcome,
          reason,
          source,
          clickRowId: click?.id ?? null,
          creatorId: click?.creator_id ?? null,
          currency: report.currency,
          orderedAt: report.orderedAt,
          clickedAt: click?.clicked_at ?? null,
          lines: report.lines.map((l) => ({
            productId: productOf(l),
            offerId: l.offerId,
            quantity: l.quantity,
            amount: l.amount,
          })),
        });
        if (conversionId === null) return false;
        if (outcome !== 'ATTRIBUTED' || !click) return true;
        const newLines: NewLine[] = [];
        report.lines.forEach((line, index) => {
          if (productOf(line) !== click.product_id) return;
          newLines.push({
            productId: click.product_id,
            lineNo: index + 1,
            quantity: line.quantity,
            baseMinor: line.amountMinor,
            ratePercent: click.rate_percent!,
            commissionMinor: commissionMinor(line.amountMinor, click.rate_percent!),
          });
        });
        const approveAfter = new Date(report.orderedAt.getTime() + settings.returnWindowDays * 86_400_000);
        const inserted = await this.lines.insert(
          ctx,
          manager,
          {
            id: conversionId,
            creatorId: click.creator_id,
            currency: report.currency,
            orderedAt: report.orderedAt,
            approveAfter,
          },
          newLines,
        );
        await this.poster.post(
          ctx,
          manager,
          inserted.map((line) => ({
            line,
            kind: 'COMMISSION',
            from: null,
            to: 'PENDING',
            amountMinor: BigInt(line.commission_minor),
          })),
        );
        return true;
      }),
    );
    return { conversion: await this.conversions.byOrder(ctx, report.orderId), duplicate: !created };
  }

  /**
   * Reverses what a refund or cancellation takes back: per line, the commission on what was left minus the
   * commission on what is left now (see commission.ts), from wherever the line's money is (pending, approved or
   * paid). Idempotent by refundId. Without lines, the whole order's remainder.
   */
  async refund(
    ctx: BrandContext,
    input: RefundReport,
  ): Promise<{ conversion: ConversionView; duplicate: boolean; reversedMinor: bigint }> {
    const orderId = text(input.orderId, 'orderId');
    const refundId = text(input.refundId, 'refundId');
    if (!REVERSAL_REASONS.includes(input.reason)) {
      throw new BadInputError(`reason must be one of ${REVERSAL_REASONS.join(', ')}.`, 'reason');
    }
    const note = input.note ? text(input.note, 'note', 500) : null;
    if (input.lines !== undefined && input.lines !== null && !Array.isArray(input.lines)) {
      throw new BadInputError('lines must be a list of refunded lines (or left out for the whole order).', 'lines');
    }
    let reversed = 0n;
    const applied = await tooLargeAsBadInput(() =>
      this.db.transaction(async (manager) => {
        const conversion = await this.conversions.lockByOrder(ctx, manager, orderId);
        if (conversion.refundIds.includes(refundId)) return false;
        const view = await this.conversions.byOrder(ctx, orderId, manager);
        const lines = await this.lines.lockForConversion(ctx, manager, conversion.id);
        const steps = await this.refundSteps(ctx, manager, input, view.currency, lines, conversion.lines, orderId);
        const commissionIds = await this.entries.commissionEntryIds(
          ctx,
          manager,
          lines.map((l) => l.id),
        );
        const entries: NewEntry[] = [];
        for (const [line, refundMinor] of steps) {
          const base = BigInt(line.base_minor);
          const refunded = BigInt(line.refunded_base_minor);
          const amount = reversalMinor(base, refunded, refundMinor, line.rate_percent);
          reversed += amount;
          const buckets = [
            ['PENDING', BigInt(line.pending_minor)],
            ['APPROVED', BigInt(line.approved_minor)],
            ['PAID', BigInt(line.paid_minor)],
          ] as const;
          // From wherever the line's money is (it never exceeds the line's net commission).
          const parts: ['PENDING' | 'APPROVED' | 'PAID', bigint][] = [];
          let rest = amount;
          for (const [status, balance] of buckets) {
            const take = rest < balance ? rest : balance;
            if (take > 0n) parts.push([status, take]);
            rest -= take;
          }
          // A refund whose commission rounds to nothing still records the refunded amount.
          if (parts.length === 0) parts.push([buckets.find(([, b]) => b > 0n)?.[0] ?? 'PENDING', 0n]);
          parts.forEach(([status, take], i) =>
            entries.push({
              line,
              kind: 'REVERSAL',
              from: status,
              to: 'REVERSED',
              amountMinor: -take,
              reversesId: commissionIds.get(line.id) ?? null,
              refundedBaseMinor: i === 0 ? refundMinor : 0n,
              reason: input.reason,
              note,
              refundId,
            }),
          );
        }
        await this.poster.post(ctx, manager, entries);
        await this.conversions.recordRefund(ctx, manager, conversion.id, refundId);
        return true;
      }),
    );
    return {
      conversion: await this.conversions.byOrder(ctx, orderId),
      duplicate: !applied,
      reversedMinor: reversed,
    };
  }

  /** Marks every approved balance of the creator in `currency` as paid: one PAYOUT entry per line. */
  async markPayout(
    ctx: BrandContext,
    creatorId: string,
    currency: string,
  ): Promise<{ payoutId: string; amountMinor: bigint; lines: number }> {
    if (!isUuid(creatorId)) throw new BadInputError('creatorId is not a creator id.', 'creatorId');
    const code = this.currency(currency, 'currency');
    const payoutId = randomUUID();
    return this.db.transaction(async (manager) => {
      const lines = await this.lines.lockPayable(ctx, manager, creatorId.toLowerCase(), code);
      const entries: NewEntry[] = lines.map((line) => ({
        line,
        kind: 'PAYOUT',
        from: 'APPROVED',
        to: 'PAID',
        amountMinor: BigInt(line.approved_minor),
        payoutId,
      }));
      await this.poster.post(ctx, manager, entries);
      return { payoutId, amountMinor: entries.reduce((sum, e) => sum + e.amountMinor, 0n), lines: lines.length };
    });
  }

  private currency(value: unknown, field: string): string {
    const code = text(value, field, 3).toUpperCase();
    if (!/^[A-Z]{3}$/.test(code) || currencyExponent(code) === undefined) {
      throw new BadInputError(`${field} must be an ISO 4217 code such as "USD"; got ${JSON.stringify(value)}.`, field);
    }
    return code;
  }

  private validateReport(input: ConversionReport) {
    const raw = input as unknown as Record<string, unknown>;
    if (!raw || typeof raw !== 'object') throw new BadInputError('The report must be an object.');
    const clickId = optionalText(raw.clickId, 'clickId');
    const linkCode = optionalText(raw.linkCode, 'linkCode');
    if ((clickId === null) === (linkCode === null)) {
      throw new BadInputError('Give clickId or linkCode (one of them): the click that brought the order.', 'clickId');
    }
    const orderId = text(raw.orderId, 'orderId');
    const currency = this.currency(raw.currency, 'currency');
    const orderedAtText = text(raw.orderedAt, 'orderedAt', 40);
    const orderedAt = new Date(orderedAtText);
    if (!/(Z|[+-]\d\d:?\d\d)$/i.test(orderedAtText) || Number.isNaN(orderedAt.getTime())) {
      throw new BadInputError(
        'orderedAt must be an ISO 8601 time with a zone, e.g. 2026-12-01T10:00:00Z.',
        'orderedAt',
      );
    }
    checkInputTime(orderedAt, 'orderedAt');
    if (!Array.isArray(raw.lines) || raw.lines.length === 0 || raw.lines.length > MAX_LINES) {
      throw new BadInputError(`lines must hold 1 to ${MAX_LINES} order lines.`, 'lines');
    }
    const lines: ValidLine[] = raw.lines.map((value: unknown, i: number) => {
      const field = `lines.${i}`;
      if (!value || typeof value !== 'object') throw new BadInputError(`${field} must be an object.`, field);
      const line = value as Record<string, unknown>;
      const ref = productRef(line, field);
      const quantity = line.quantity ?? 1;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
        throw new BadInputError(`${field}.quantity must be a whole number from 1 to 1000000.`, `${field}.quantity`);
      }
      const amount = lineAmount(line.amount, currency, `${field}.amount`);
      return { ...ref, quantity, amount, amountMinor: decimalToMinor(amount, currency, 'down') };
    });
    if (raw.selfReferral !== undefined && raw.selfReferral !== null && typeof raw.selfReferral !== 'boolean') {
      throw new BadInputError('selfReferral must be true or false.', 'selfReferral');
    }
    return { clickId, linkCode, orderId, currency, orderedAt, lines, selfReferral: raw.selfReferral === true };
  }

  /** The click a report names (by click id, or the link's last click at or before the order), with its window. */
  private async findClick(
    ctx: BrandContext,
    sql: Sql,
    report: { clickId: string | null; linkCode: string | null; orderedAt: Date },
    windowDays: number,
  ): Promise<ClickRow | null> {
    const columns = `c.id, c.creator_id, c.product_id, c.rate_percent::text AS rate_percent, c.clicked_at,
      c.clicked_at > $2::timestamptz AS after_order,
      c.clicked_at <= $2::timestamptz AND $2::timestamptz - c.clicked_at <= make_interval(days => $3) AS in_window`;
    const rows: ClickRow[] = report.clickId
      ? await sql.query(`SELECT ${columns} FROM affiliate_click c WHERE c.brand_id = $1 AND c.click_id = $4`, [
          ctx.principal.brandId,
          report.orderedAt,
          windowDays,
          report.clickId,
        ])
      : await sql.query(
          `SELECT ${columns} FROM affiliate_click c JOIN share_link l ON l.id = c.share_link_id
            WHERE l.brand_id = $1 AND l.code = $4 AND c.brand_id = $1 AND c.clicked_at <= $2::timestamptz
            ORDER BY c.clicked_at DESC LIMIT 1`,
          [ctx.principal.brandId, report.orderedAt, windowDays, report.linkCode],
        );
    return rows[0] ?? null;
  }

  /** Offer ids of the brand → product ids (the first identity when several feeds use the same offer id). */
  private async resolveOffers(
    ctx: BrandContext,
    sql: Sql,
    lines: { offerId: string | null }[],
  ): Promise<Map<string, string>> {
    const offers = [...new Set(lines.map((l) => l.offerId).filter((o): o is string => o !== null))];
    if (offers.length === 0) return new Map();
    const rows: { id: string; offer_id: string }[] = await sql.query(
      `SELECT DISTINCT ON (offer_id) id, offer_id FROM product_identity
        WHERE brand_id = $1 AND offer_id = ANY($2::text[]) ORDER BY offer_id, created_at, id`,
      [ctx.principal.brandId, offers],
    );
    return new Map(rows.map((r) => [r.offer_id, r.id]));
  }

  /**
   * How much of each line's amount this refund takes back (whole order: all that is left). Every refund line must
   * name a product of the order (REFUND_LINE_NOT_IN_ORDER on `lines.<i>` otherwise: a refund for something the order
   * never had is a mistake in the brand's report, not a refund of nothing) and take back at most what the order paid
   * for it: for lines that earned commission, at most what is left of them after earlier refunds.
   */
  private async refundSteps(
    ctx: BrandContext,
    sql: Sql,
    input: RefundReport,
    currency: string,
    lines: LineRow[],
    orderLines: OrderLine[],
    orderId: string,
  ): Promise<[LineRow, bigint][]> {
    const left = (line: LineRow) => BigInt(line.base_minor) - BigInt(line.refunded_base_minor);
    if (!input.lines || input.lines.length === 0) {
      return lines.filter((l) => left(l) > 0n).map((l) => [l, left(l)]);
    }
    if (input.lines.length > MAX_LINES) throw new BadInputError(`lines holds more than ${MAX_LINES}.`, 'lines');
    const refs = input.lines.map((value, i) => {
      const field = `lines.${i}`;
      if (!value || typeof value !== 'object') throw new BadInputError(`${field} must be an object.`, field);
      const ref = productRef(value as unknown as Record<string, unknown>, field);
      const amount = lineAmount(value.amount, currency, `${field}.amount`);
      return { ...ref, field, amountMinor: decimalToMinor(amount, currency, 'down') };
    });
    const products = await this.resolveOffers(ctx, sql, refs);
    const taken = new Map<string, bigint>();
    // What this refund takes back of order lines that earned nothing, by order line: bounded by what they paid.
    const takenUnearned = new Map<OrderLine, bigint>();
    const steps: [LineRow, bigint][] = [];
    for (const ref of refs) {
      const productId = ref.productId ?? products.get(ref.offerId!) ?? null;
      // The order's lines for this product: by the product the order's line resolved to, or by the offer id it named
      // (an offer id no product has, or one whose product came after the order, still matches the line that named it).
      const inOrder = orderLines.filter(
        (l) => (productId !== null && l.productId === productId) || (ref.offerId !== null && l.offerId === ref.offerId),
      );
      if (inOrder.length === 0) throw notInOrder(ref, orderId, orderLines);
      const candidates = lines.filter((l) => inOrder.some((o) => o.productId !== null && o.productId === l.product_id));
      let remaining = ref.amountMinor;
      if (candidates.length === 0) {
        // Lines of the order that earned nothing (another product than the linked one): nothing to reverse, but the
        // amount is still checked against what the order paid for them.
        const paid = (l: OrderLine) => decimalToMinor(l.amount, currency, 'down') - (takenUnearned.get(l) ?? 0n);
        if (remaining > inOrder.reduce((sum, l) => sum + paid(l), 0n)) throw tooMuch(ref.field);
        for (const line of inOrder) {
          const take = remaining < paid(line) ? remaining : paid(line);
          takenUnearned.set(line, (takenUnearned.get(line) ?? 0n) + take);
          remaining -= take;
        }
        continue;
      }
      const available = candidates.reduce((sum, l) => sum + left(l) - (taken.get(l.id) ?? 0n), 0n);
      if (remaining > available) throw tooMuch(ref.field);
      for (const line of candidates) {
        if (remaining === 0n) break;
        const room = left(line) - (taken.get(line.id) ?? 0n);
        const take = remaining < room ? remaining : room;
        if (take === 0n) continue;
        taken.set(line.id, (taken.get(line.id) ?? 0n) + take);
        remaining -= take;
      }
    }
    for (const line of lines) {
      const amount = taken.get(line.id);
      if (amount) steps.push([line, amount]);
    }
    return steps;
  }
}

const tooMuch = (field: string) =>
  new BadInputError(
    `${field}.amount is more than what is left of that product's lines in the order.`,
    `${field}.amount`,
  );

/** A refund line that names no line of the order: 400 with its position (`lines.<i>`) and a code to branch on. */
function notInOrder(
  ref: { productId: string | null; offerId: string | null; field: string },
  orderId: string,
  orderLines: OrderLine[],
): AppError {
  const named = ref.offerId !== null ? `offer "${ref.offerId}"` : 'a product';
  const offers = [...new Set(orderLines.map((l) => l.offerId).filter((o): o is string => o !== null))];
  const listed =
    offers.length === 0
      ? ''
      : ` Its lines name ${offers
          .slice(0, 5)
          .map((o) => `"${o}"`)
          .join(', ')}${offers.length > 5 ? `, and ${offers.length - 5} more` : ''}.`;
  return new AppError(
    'BAD_USER_INPUT',
    `${ref.field} names ${named} that is not in order "${orderId}": a refund line must name a product of the order.${listed} Nothing was refunded.`,
    { field: ref.field, reason: 'REFUND_LINE_NOT_IN_ORDER', userErrorCode: 'REFUND_LINE_NOT_IN_ORDER' },
  );
}
