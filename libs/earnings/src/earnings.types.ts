import type { Principal, RequestContext } from '@brandshelf/core';

/** A creator acting for itself: the creator-side reads of earnings take one of these first. */
export interface CreatorContext extends RequestContext {
  principal: Extract<Principal, { kind: 'creator' }>;
}

/** Something that runs SQL: the DataSource, or a transaction's EntityManager. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export const EARNING_STATUSES = ['PENDING', 'APPROVED', 'PAID', 'REVERSED'] as const;
export type EarningStatus = (typeof EARNING_STATUSES)[number];

export const LEDGER_KINDS = ['COMMISSION', 'APPROVAL', 'PAYOUT', 'REVERSAL'] as const;
export type LedgerEntryKind = (typeof LEDGER_KINDS)[number];

export const REVERSAL_REASONS = ['REFUND', 'CANCELLATION'] as const;
export type ReversalReason = (typeof REVERSAL_REASONS)[number];

export const CONVERSION_OUTCOMES = [
  'ATTRIBUTED',
  'OUTSIDE_WINDOW',
  'SELF_REFERRAL',
  'UNKNOWN_CLICK',
  'NO_COMMISSION',
  'NO_LINKED_PRODUCT',
] as const;
export type ConversionOutcome = (typeof CONVERSION_OUTCOMES)[number];

export type ConversionSource = 'SIGNED_POST' | 'API_KEY';

/** One line of a reported order, as the caller sent it (ids already decoded to raw ids). */
export interface ReportedLine {
  productId?: string | null;
  offerId?: string | null;
  quantity: number;
  /**
   * The line's total, in the order's currency: { amount: "59.90", currency: "USD" } (GraphQL's MoneyInput). A bare
   * decimal string is the older form, still taken from the signed REST body (unambiguous in JSON: a string is in
   * the order's currency).
   */
  amount: LineAmount;
}

/** A line amount: the MoneyInput shape, or (REST only, older form) a decimal string in the order's currency. */
export type LineAmount = { amount: string; currency: string } | string;

export interface ConversionReport {
  clickId?: string | null;
  linkCode?: string | null;
  orderId: string;
  currency: string;
  /** ISO 8601 with a time zone. */
  orderedAt: string;
  lines: ReportedLine[];
  selfReferral?: boolean | null;
}

export interface RefundedLine {
  productId?: string | null;
  offerId?: string | null;
  /** The refunded amount, in the order's currency (see ReportedLine.amount). */
  amount: LineAmount;
}

export interface RefundReport {
  orderId: string;
  /** The brand's id for this refund: the same refund reported twice reverses once. */
  refundId: string;
  reason: ReversalReason;
  note?: string | null;
  /** Absent or empty: the whole order. */
  lines?: RefundedLine[] | null;
}

export interface ConversionView {
  id: string;
  brandId: string;
  orderId: string;
  outcome: ConversionOutcome;
  reason: string;
  creatorId: string | null;
  currency: string;
  orderedAt: Date;
  clickedAt: Date | null;
  receivedAt: Date;
  /** Net commission of the order now (after reversals), minor units. */
  commissionMinor: bigint;
  attributedLines: number;
}

export interface LedgerEntryView {
  id: string;
  seq: string;
  kind: LedgerEntryKind;
  fromStatus: EarningStatus | null;
  toStatus: EarningStatus;
  amountMinor: bigint;
  currency: string;
  brandId: string;
  brandName: string;
  orderId: string;
  productId: string;
  ratePercent: string;
  baseMinor: bigint;
  refundedBaseMinor: bigint | null;
  reversesId: string | null;
  reason: ReversalReason | null;
  note: string | null;
  earnedMonth: string;
  orderedAt: Date;
  createdAt: Date;
}

/** A balance in each status, for one currency and one key (all, a brand or a month). */
export interface EarningsBalance {
  id: string;
  currency: string;
  brandId: string | null;
  brandName: string | null;
  month: string | null;
  byStatus: Record<EarningStatus, bigint>;
  entries: number;
}
