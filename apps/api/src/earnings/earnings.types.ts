import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  CONVERSION_OUTCOMES,
  EARNING_STATUSES,
  LEDGER_KINDS,
  REVERSAL_REASONS,
  type ConversionOutcome as ConversionOutcomeValue,
  type EarningStatus as EarningStatusValue,
  type LedgerEntryKind as LedgerEntryKindValue,
  type ReversalReason as ReversalReasonValue,
} from '@brandshelf/earnings';
import { Money, MoneyInput } from '../catalog/catalog.types.js';
import { connectionType } from '../graphql/connection.js';
import { enumOf } from '../graphql/enum-of.js';
import { Node } from '../graphql/node.js';
import { UserError } from '../graphql/user-error.js';

export const EarningStatus = enumOf(EARNING_STATUSES);
export const LedgerEntryKind = enumOf(LEDGER_KINDS);
export const ReversalReason = enumOf(REVERSAL_REASONS);
export const ConversionOutcome = enumOf(CONVERSION_OUTCOMES);

registerEnumType(EarningStatus, {
  name: 'EarningStatus',
  description: 'Where commission stands: PENDING → APPROVED → PAID, or REVERSED by a refund or cancellation.',
  valuesMap: {
    PENDING: { description: "Earned on an order whose return window (the brand's, 30 days by default) is still open." },
    APPROVED: { description: 'The return window ended: the brand owes it.' },
    PAID: { description: 'The brand marked it paid out.' },
    REVERSED: { description: 'Taken back by a refund or cancellation (the amount reversed, counted positive).' },
  },
});
registerEnumType(LedgerEntryKind, {
  name: 'LedgerEntryKind',
  description: 'What a ledger entry records. Entries are never changed: a correction is a new entry.',
  valuesMap: {
    COMMISSION: { description: 'Commission earned on an attributed order line, into PENDING.' },
    APPROVAL: { description: 'The line’s pending commission became APPROVED when its return window ended.' },
    PAYOUT: { description: 'The line’s approved commission was marked PAID by the brand.' },
    REVERSAL: {
      description:
        'A negative entry taking back commission after a refund or cancellation, naming the COMMISSION entry.',
    },
  },
});
registerEnumType(ReversalReason, {
  name: 'ReversalReason',
  description: 'Why commission was reversed.',
  valuesMap: {
    REFUND: { description: 'The customer got money back for some or all of the order.' },
    CANCELLATION: { description: 'The order was cancelled.' },
  },
});
registerEnumType(ConversionOutcome, {
  name: 'ConversionOutcome',
  description: 'What attribution made of a reported order; every outcome but ATTRIBUTED earns nothing.',
  valuesMap: {
    ATTRIBUTED: { description: 'A click within the window brought it: the linked product’s lines earn commission.' },
    OUTSIDE_WINDOW: { description: "The click is older than the brand's attribution window, or came after the order." },
    SELF_REFERRAL: { description: "The brand marked it the creator's own purchase." },
    UNKNOWN_CLICK: { description: "No click of the brand's share links matches the click id or link code." },
    NO_COMMISSION: { description: 'No commission program applied to the product at click time.' },
    NO_LINKED_PRODUCT: { description: 'No line of the order is for the product the creator linked.' },
  },
});

// ---- Brand settings ----

@ObjectType({ description: "A brand's affiliate settings: its windows and whether a conversion secret exists." })
export class AffiliateSettings {
  @Field(() => Int, { description: 'Days from click to order within which an order is attributed (1–90, default 7).' })
  attributionWindowDays: number;
  @Field(() => Int, {
    description: 'Days after the order before its commission is approved (0–365, default 30): the return window.',
  })
  returnWindowDays: number;
  @Field(() => String, {
    nullable: true,
    description: 'The first characters of the current conversion secret, to tell secrets apart; null when none.',
  })
  conversionSecretPrefix: string | null;
  @Field(() => Date, { nullable: true, description: 'When the current conversion secret was created; null when none.' })
  conversionSecretCreatedAt: Date | null;
}

@InputType({ description: "Changes to the brand's affiliate settings; fields left out keep their value." })
export class UpdateAffiliateSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Attribution window in days, 1 to 90.' })
  attributionWindowDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'Return window in days, 0 to 365.' })
  returnWindowDays?: number | null;
}

@ObjectType({ description: 'The result of updateAffiliateSettings.' })
export class UpdateAffiliateSettingsPayload {
  @Field(() => AffiliateSettings, { nullable: true, description: 'The settings now; null on a user error.' })
  settings?: AffiliateSettings | null;
  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors: UserError[];
}

@InputType({ description: 'Creates the conversion secret, or replaces it.' })
export class RotateConversionSecretInput {
  @Field(() => String, { nullable: true, description: 'Echoed in the payload, to match answers to requests.' })
  clientMutationId?: string | null;
}

@ObjectType({ description: 'The result of rotateConversionSecret.' })
export class RotateConversionSecretPayload {
  @Field(() => String, {
    nullable: true,
    description:
      'The new secret, shown this once: sign POST /conversions bodies with it. The previous one stops working now.',
  })
  secret?: string | null;
  @Field(() => AffiliateSettings, { nullable: true, description: 'The settings with the new secret’s prefix.' })
  settings?: AffiliateSettings | null;
  @Field(() => String, { nullable: true, description: 'The clientMutationId of the input.' })
  clientMutationId?: string | null;
  @Field(() => [UserError], { description: 'Why the secret was not created; empty on success.' })
  userErrors: UserError[];
}

// ---- Conversions ----

@InputType({ description: 'One line of a reported order: a product (by id or offer id), quantity and amount.' })
export class ConversionLineInput {
  @Field(() => ID, { nullable: true, description: 'The product (Product.id); or give offerId.' })
  productId?: string | null;
  @Field(() => String, { nullable: true, description: "The brand's own item id (the feed's id); or give productId." })
  offerId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Units ordered, 1 by default.' })
  quantity?: number | null;
  @Field(() => MoneyInput, {
    description:
      'What the customer paid for the line (all units, after discounts, without tax and shipping), in the order ' +
      'currency, e.g. { amount: "59.90", currency: "USD" }; another currency is a BAD_USER_INPUT on its currency.',
  })
  amount: MoneyInput;
}

@InputType({ description: 'An order a share link brought, as the brand reports it.' })
export class ReportConversionInput {
  @Field(() => String, {
    nullable: true,
    description: "The click id the brand's landing page received from the share link's redirect; or give linkCode.",
  })
  clickId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The share link's code: the order goes to the link's last click within the window.",
  })
  linkCode?: string | null;
  @Field({ description: "The brand's order id: a second report of the same order changes nothing." })
  orderId: string;
  @Field({ description: 'ISO 4217 currency of the amounts, e.g. "USD".' }) currency: string;
  @Field(() => Date, { description: 'When the order was placed: the window is measured from the click to this.' })
  orderedAt: Date;
  @Field(() => [ConversionLineInput], { description: 'The order lines, 1 to 500.' })
  lines: ConversionLineInput[];
  @Field(() => Boolean, {
    nullable: true,
    description: "True when the brand knows it is the creator's own purchase: it earns nothing.",
  })
  selfReferral?: boolean | null;
}

@ObjectType({
  description: 'A reported order and what attribution made of it. Only its brand sees it.',
  implements: () => [Node],
})
export class Conversion {
  @Field(() => ID, { description: 'Global id of the conversion.' }) id: string;
  @Field({ description: "The brand's order id." }) orderId: string;
  @Field(() => ConversionOutcome, { description: 'Attributed, or why not.' }) outcome: ConversionOutcomeValue;
  @Field({ description: 'The outcome in words, with the times and rate it was decided on.' }) reason: string;
  @Field(() => ID, { nullable: true, description: 'The creator whose click it was; null when no click matched.' })
  creatorId: string | null;
  @Field(() => Date, { description: 'When the order was placed.' }) orderedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When the attributed click happened; null without one.' })
  clickedAt: Date | null;
  @Field(() => Int, { description: 'Order lines that earn commission.' }) attributedLines: number;
  @Field(() => Money, { description: 'Commission of the order now, net of reversals (0 when not attributed).' })
  commission: Money;
}

@ObjectType({ description: 'The result of reportConversion.' })
export class ReportConversionPayload {
  @Field(() => Conversion, { nullable: true, description: 'The conversion (as first recorded, for a duplicate).' })
  conversion?: Conversion | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'True when the order had been reported already: nothing changed.',
  })
  duplicate?: boolean | null;
  @Field(() => [UserError], { description: 'Why the report was refused; empty on success.' })
  userErrors: UserError[];
}

@InputType({ description: 'Part of a refund: how much of a product’s lines the customer got back.' })
export class RefundLineInput {
  @Field(() => ID, { nullable: true, description: 'The product (Product.id); or give offerId.' })
  productId?: string | null;
  @Field(() => String, { nullable: true, description: "The brand's own item id; or give productId." })
  offerId?: string | null;
  @Field(() => MoneyInput, {
    description: "The refunded amount, in the order's currency; another currency is a BAD_USER_INPUT on its currency.",
  })
  amount: MoneyInput;
}

@InputType({ description: 'A refund or cancellation of a reported order.' })
export class RefundConversionInput {
  @Field({ description: "The brand's order id, as reported." }) orderId: string;
  @Field({ description: "The brand's id of this refund: reporting it again changes nothing." }) refundId: string;
  @Field(() => ReversalReason, { description: 'Refund or cancellation.' }) reason: ReversalReasonValue;
  @Field(() => String, { nullable: true, description: 'A note kept with the reversal (up to 500 characters).' })
  note?: string | null;
  @Field(() => [RefundLineInput], {
    nullable: true,
    description: 'What was refunded, per product; left out or empty: the whole order (all that is left of it).',
  })
  lines?: RefundLineInput[] | null;
}

@ObjectType({ description: 'The result of refundConversion.' })
export class RefundConversionPayload {
  @Field(() => Conversion, { nullable: true, description: 'The conversion after the refund.' })
  conversion?: Conversion | null;
  @Field(() => Money, { nullable: true, description: 'Commission this refund reversed (0 for a duplicate).' })
  reversed?: Money | null;
  @Field(() => Boolean, { nullable: true, description: 'True when this refundId was applied already.' })
  duplicate?: boolean | null;
  @Field(() => [UserError], { description: 'Why the refund was refused; empty on success.' })
  userErrors: UserError[];
}

@InputType({ description: "Marks a creator's approved commission in one currency as paid." })
export class MarkAffiliatePayoutInput {
  @Field(() => ID, { description: 'The creator paid (AffiliateReportRow.creatorId or the payouts CSV).' })
  creatorId: string;
  @Field({ description: 'The currency paid, ISO 4217.' }) currency: string;
}

@ObjectType({ description: 'A payout: approved commission of one creator and currency, now PAID.' })
export class AffiliatePayout {
  @Field(() => ID, { description: 'Global id of the payout (its ledger entries carry it).' }) id: string;
  @Field(() => ID, { description: 'The creator paid.' }) creatorId: string;
  @Field(() => Money, { description: 'The amount marked paid (0 when nothing was approved).' }) amount: Money;
  @Field(() => Int, { description: 'Commission lines paid.' }) lineCount: number;
}

@ObjectType({ description: 'The result of markAffiliatePayout.' })
export class MarkAffiliatePayoutPayload {
  @Field(() => AffiliatePayout, { nullable: true, description: 'The payout; null on a user error.' })
  payout?: AffiliatePayout | null;
  @Field(() => [UserError], { description: 'Why the payout was refused; empty on success.' })
  userErrors: UserError[];
}

// ---- Creator earnings ----

@ObjectType({ description: 'Commission in one currency, in each status.' })
export class EarningsBalance {
  @Field(() => ID, {
    description:
      'Key of this balance (its currency, and its brand or month), stable across reads for caching. A balance is ' +
      'a sum computed on each read, not a stored object: it is not a Node and node(id:) does not take this key.',
  })
  id: string;
  @Field({ description: 'ISO 4217 currency of the amounts.' }) currency: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The brand, in byBrand; null elsewhere.',
    deprecationReason: 'Use brand { id }.',
  })
  brandId: string | null;
  @Field(() => String, { nullable: true, description: "The brand's name, in byBrand; null elsewhere." })
  brandName: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The month the orders were placed (YYYY-MM, UTC), in byMonth; null elsewhere.',
  })
  month: string | null;
  @Field(() => Money, { description: 'Earned, return window still open.' }) pending: Money;
  @Field(() => Money, { description: 'Approved, not paid yet.' }) approved: Money;
  @Field(() => Money, { description: 'Paid out.' }) paid: Money;
  @Field(() => Money, { description: 'Reversed by refunds and cancellations.' }) reversed: Money;
}

export const EarningsBalanceConnection = connectionType(EarningsBalance, 'EarningsBalance', {
  one: 'A balance',
  many: 'balances',
  description: 'Balances a page at a time.',
});
export type EarningsBalanceConnection = InstanceType<typeof EarningsBalanceConnection>;

@ObjectType({
  description: "One entry of the creator's commission ledger. Entries are never changed.",
  implements: () => [Node],
})
export class LedgerEntry {
  @Field(() => ID, { description: 'Global id of the entry.' }) id: string;
  @Field(() => LedgerEntryKind, { description: 'What the entry records.' }) kind: LedgerEntryKindValue;
  @Field(() => EarningStatus, { nullable: true, description: 'The status the amount left; null for a COMMISSION.' })
  fromStatus: EarningStatusValue | null;
  @Field(() => EarningStatus, { description: 'The status the amount went to.' }) toStatus: EarningStatusValue;
  @Field(() => Money, {
    description: 'Positive for COMMISSION, APPROVAL and PAYOUT (the amount moved), zero or negative for a REVERSAL.',
  })
  amount: Money;
  @Field(() => ID, { description: 'The brand whose order it is.', deprecationReason: 'Use brand { id }.' })
  brandId: string;
  @Field({ description: "The brand's name." }) brandName: string;
  @Field({ description: "The brand's order id." }) orderId: string;
  @Field(() => ID, {
    description: 'The product of the order line.',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field({ description: 'Commission rate of the line in percent, as snapshotted at click time, e.g. "12.50".' })
  ratePercent: string;
  @Field(() => Money, { description: 'The order line’s amount the commission is computed on.' }) lineAmount: Money;
  @Field(() => Money, { nullable: true, description: 'For a REVERSAL: the refunded part of the line amount.' })
  refundedAmount: Money | null;
  @Field(() => ID, {
    nullable: true,
    description: 'For a REVERSAL: the COMMISSION entry it corrects.',
    deprecationReason: 'Use reverses { id }.',
  })
  reversesId: string | null;
  @Field(() => ReversalReason, { nullable: true, description: 'For a REVERSAL: why.' })
  reason: ReversalReasonValue | null;
  @Field(() => String, { nullable: true, description: "For a REVERSAL: the brand's note, if any." })
  note: string | null;
  @Field({ description: 'The month of the order (YYYY-MM, UTC), which the entry counts towards.' })
  month: string;
  @Field(() => Date, { description: 'When the order was placed.' }) orderedAt: Date;
  @Field(() => Date, { description: 'When the entry was written.' }) createdAt: Date;
}

export const LedgerEntryConnection = connectionType(LedgerEntry, 'LedgerEntry', {
  one: 'A ledger entry',
  many: 'entries',
  description: 'Ledger entries, newest first, a page at a time.',
});
export type LedgerEntryConnection = InstanceType<typeof LedgerEntryConnection>;

@ObjectType({ description: "A creator's earnings: balances by status, per currency, brand and month, and the ledger." })
export class CreatorEarnings {
  @Field(() => [EarningsBalance], {
    description: 'One balance per currency earned in (a handful: amounts in different currencies never add up).',
  })
  totals: EarningsBalance[];
}

// ---- Brand report ----

@ObjectType({ description: 'Revenue and commission in one currency.' })
export class AffiliateAmounts {
  @Field(() => Money, { description: 'Attributed line amounts, less refunds.' }) revenue: Money;
  @Field(() => Money, { description: 'Commission on them, net of reversals.' }) commission: Money;
}

@ObjectType({ description: "A row of the brand's affiliate report: one creator and one product." })
export class AffiliateReportRow {
  @Field(() => ID, {
    description:
      'Key of the row (creator and product), stable across reads for caching. A row is an aggregate computed on ' +
      'each read, not a stored object: it is not a Node and node(id:) does not take this key.',
  })
  id: string;
  @Field(() => ID, { description: 'The creator.' }) creatorId: string;
  @Field({ description: "The creator's handle." }) creatorHandle: string;
  @Field(() => ID, {
    description: 'The product.',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field(() => String, { nullable: true, description: "The brand's item id of the product." })
  offerId: string | null;
  @Field(() => String, { nullable: true, description: "The product's title, while it is live; null otherwise." })
  title: string | null;
  @Field(() => Int, { description: "Clicks on the creator's links to the product." }) clicks: number;
  @Field(() => Int, { description: 'Orders attributed to the creator with a line for the product.' }) orders: number;
  @Field(() => [AffiliateAmounts], { description: 'Revenue and commission, one per currency of the orders.' })
  amounts: AffiliateAmounts[];
}

export const AffiliateReportRowConnection = connectionType(AffiliateReportRow, 'AffiliateReportRow', {
  one: 'A report row',
  many: 'rows',
  description: 'Report rows by creator and product, a page at a time.',
});
export type AffiliateReportRowConnection = InstanceType<typeof AffiliateReportRowConnection>;
