import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { BrandContext } from '@brandshelf/core';
import {
  AffiliateSettingsService,
  ConversionsService,
  EarningsService,
  type AffiliateSettings as SettingsValue,
  type ConversionView,
  type CreatorContext,
  type CreatorEarnings as EarningsValue,
  type EarningsBalance as BalanceValue,
  type LedgerEntryView,
  type ReportRow,
} from '@brandshelf/earnings';
import { money } from '@brandshelf/search';
import type { Money } from '../catalog/catalog.types.js';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, pageOfList, toConnection } from '../graphql/connection.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { pageRequest } from '../graphql/page-size.js';
import { cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload } from '../graphql/user-error.js';
import {
  AffiliateReportRowConnection,
  AffiliateSettings,
  Conversion,
  CreatorEarnings,
  EarningsBalance,
  EarningsBalanceConnection,
  LedgerEntry,
  LedgerEntryConnection,
  MarkAffiliatePayoutInput,
  MarkAffiliatePayoutPayload,
  RefundConversionInput,
  RefundConversionPayload,
  ReportConversionInput,
  ReportConversionPayload,
  RotateConversionSecretInput,
  RotateConversionSecretPayload,
  UpdateAffiliateSettingsInput,
  UpdateAffiliateSettingsPayload,
  type AffiliateReportRow,
} from './earnings.types.js';

export const moneyOf = (minor: bigint, currency: string): Money => money(minor, currency)!;

export function conversionView(c: ConversionView): Conversion {
  return {
    id: toGlobalId('Conversion', c.id),
    orderId: c.orderId,
    outcome: c.outcome,
    reason: c.reason,
    creatorId: c.creatorId ? toGlobalId('Creator', c.creatorId) : null,
    orderedAt: c.orderedAt,
    clickedAt: c.clickedAt,
    attributedLines: c.attributedLines,
    commission: moneyOf(c.commissionMinor, c.currency),
  };
}

const settingsView = (s: SettingsValue): AffiliateSettings => ({
  attributionWindowDays: s.attributionWindowDays,
  returnWindowDays: s.returnWindowDays,
  conversionSecretPrefix: s.conversionSecretPrefix,
  conversionSecretCreatedAt: s.conversionSecretCreatedAt,
});

const balanceView = (b: BalanceValue): EarningsBalance => ({
  id: toGlobalId('EarningsBalance', b.id),
  currency: b.currency,
  brandId: b.brandId ? toGlobalId('Brand', b.brandId) : null,
  brandName: b.brandName,
  month: b.month,
  pending: moneyOf(b.byStatus.PENDING, b.currency),
  approved: moneyOf(b.byStatus.APPROVED, b.currency),
  paid: moneyOf(b.byStatus.PAID, b.currency),
  reversed: moneyOf(b.byStatus.REVERSED, b.currency),
});

export const entryView = (e: LedgerEntryView): LedgerEntry => ({
  id: toGlobalId('LedgerEntry', e.id),
  kind: e.kind,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  amount: moneyOf(e.amountMinor, e.currency),
  brandId: toGlobalId('Brand', e.brandId),
  brandName: e.brandName,
  orderId: e.orderId,
  productId: toGlobalId('Product', e.productId),
  ratePercent: e.ratePercent,
  lineAmount: moneyOf(e.baseMinor, e.currency),
  refundedAmount: e.refundedBaseMinor === null ? null : moneyOf(e.refundedBaseMinor, e.currency),
  reversesId: e.reversesId ? toGlobalId('LedgerEntry', e.reversesId) : null,
  reason: e.reason,
  note: e.note,
  month: e.earnedMonth,
  orderedAt: e.orderedAt,
  createdAt: e.createdAt,
});

const reportView = (r: ReportRow): AffiliateReportRow => ({
  id: toGlobalId('AffiliateReportRow', `${r.creatorId}/${r.productId}`),
  creatorId: toGlobalId('Creator', r.creatorId),
  creatorHandle: r.creatorHandle,
  productId: toGlobalId('Product', r.productId),
  offerId: r.offerId,
  title: r.title,
  clicks: r.clicks,
  orders: r.orders,
  amounts: r.money.map((m) => ({
    revenue: moneyOf(m.revenueMinor, m.currency),
    commission: moneyOf(m.commissionMinor, m.currency),
  })),
});

/** Product ids in report and refund lines: global Product ids (raw UUIDs accepted). */
/**
 * The order time as the service reads it: an ISO string, or, for a time JavaScript cannot write as one (the
 * scalar's Invalid Date), the text "invalid", which the service refuses as BAD_USER_INPUT on orderedAt.
 */
const isoTime = (time: Date | null | undefined): string | undefined =>
  time instanceof Date ? (Number.isNaN(time.getTime()) ? 'invalid' : time.toISOString()) : undefined;

const decodeLines = <L extends { productId?: string | null }>(lines: L[] | null | undefined, field: string) =>
  lines?.map((line, i) => ({
    ...line,
    productId: line.productId ? fromGlobalId(line.productId, 'Product', `${field}.${i}.productId`) : null,
  }));

/** The creator's earnings value, with what its connection fields page through. */
type EarningsParent = CreatorEarnings & { source: EarningsValue };

@Resolver(() => CreatorEarnings)
export class EarningsResolver {
  constructor(@Inject(EarningsService) private readonly earningsService: EarningsService) {}

  @Auth('creator')
  @Query(() => CreatorEarnings, {
    description:
      "The calling creator's earnings (a creator key): balances by status, per currency, brand and month, and the ledger.",
  })
  async earnings(@Ctx() ctx: CreatorContext): Promise<EarningsParent> {
    const source = await this.earningsService.earnings(ctx);
    return { totals: source.totals.map(balanceView), source };
  }

  @ResolveField(() => EarningsBalanceConnection, {
    description: 'Balances per brand and currency, by brand name, a page at a time.',
    complexity: cost.connection(),
  })
  byBrand(@Parent() parent: EarningsParent, @Args() page: ConnectionArgs): EarningsBalanceConnection {
    return toConnection(pageOfList(parent.source.byBrand, pageRequest(page)), balanceView);
  }

  @ResolveField(() => EarningsBalanceConnection, {
    description: 'Balances per month of the orders (UTC) and currency, newest month first, a page at a time.',
    complexity: cost.connection(),
  })
  byMonth(@Parent() parent: EarningsParent, @Args() page: ConnectionArgs): EarningsBalanceConnection {
    return toConnection(pageOfList(parent.source.byMonth, pageRequest(page)), balanceView);
  }

  @ResolveField(() => LedgerEntryConnection, {
    description: 'Every ledger entry, newest first, a page at a time.',
    complexity: cost.connection(),
  })
  async entries(
    @Ctx() ctx: CreatorContext,
    @Parent() parent: EarningsParent,
    @Args() page: ConnectionArgs,
  ): Promise<LedgerEntryConnection> {
    return toConnection(
      await this.earningsService.entriesPage(ctx, pageRequest(page), parent.source.entryCount),
      entryView,
    );
  }
}

@Auth('brand')
@Resolver()
export class AffiliateBrandResolver {
  constructor(
    @Inject(AffiliateSettingsService) private readonly settings: AffiliateSettingsService,
    @Inject(ConversionsService) private readonly conversions: ConversionsService,
    @Inject(EarningsService) private readonly earningsService: EarningsService,
  ) {}

  @Query(() => AffiliateSettings, { description: "The brand's affiliate settings (a brand key)." })
  async affiliateSettings(@Ctx() ctx: BrandContext): Promise<AffiliateSettings> {
    return settingsView(await this.settings.get(ctx));
  }

  @Query(() => AffiliateReportRowConnection, {
    description:
      "The brand's affiliate results per creator and product: clicks, orders, revenue and commission, a page at a time.",
    complexity: cost.connection(),
  })
  async affiliateReport(@Ctx() ctx: BrandContext, @Args() page: ConnectionArgs): Promise<AffiliateReportRowConnection> {
    return toConnection(await this.earningsService.report(ctx, pageRequest(page)), reportView);
  }

  @Mutation(() => UpdateAffiliateSettingsPayload, {
    description: "Sets the brand's attribution window (1–90 days) and return window (0–365 days).",
  })
  updateAffiliateSettings(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The settings to change.' }) input: UpdateAffiliateSettingsInput,
  ) {
    return mutationPayload(async () => ({ settings: settingsView(await this.settings.update(ctx, input)) }));
  }

  @Mutation(() => RotateConversionSecretPayload, {
    description:
      'Creates the conversion secret that signs POST /conversions, or replaces it; the secret is answered this once.',
  })
  rotateConversionSecret(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'Nothing to give but an optional clientMutationId.' })
    input: RotateConversionSecretInput,
  ) {
    return mutationPayload(async () => {
      const { secret, settings } = await this.settings.rotateSecret(ctx);
      return { secret, settings: settingsView(settings), clientMutationId: input.clientMutationId ?? null };
    });
  }

  @Mutation(() => ReportConversionPayload, {
    description:
      'Reports an order a share link brought (the API-key alternative to a signed POST /conversions). Idempotent by orderId.',
  })
  reportConversion(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The order.' }) input: ReportConversionInput,
  ) {
    return mutationPayload(async () => {
      const { conversion, duplicate } = await this.conversions.report(
        ctx,
        { ...input, orderedAt: isoTime(input.orderedAt), lines: decodeLines(input.lines, 'lines')! } as never,
        'API_KEY',
      );
      return { conversion: conversionView(conversion), duplicate };
    });
  }

  @Mutation(() => RefundConversionPayload, {
    description: 'Reports a refund or cancellation of a reported order; the commission it takes back is reversed.',
  })
  refundConversion(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The refund.' }) input: RefundConversionInput,
  ) {
    return mutationPayload(async () => {
      const result = await this.conversions.refund(ctx, { ...input, lines: decodeLines(input.lines, 'lines') });
      return {
        conversion: conversionView(result.conversion),
        reversed: moneyOf(result.reversedMinor, result.conversion.currency),
        duplicate: result.duplicate,
      };
    });
  }

  @Mutation(() => MarkAffiliatePayoutPayload, {
    description: "Marks all of a creator's APPROVED commission in one currency as PAID (after the brand paid it).",
  })
  markAffiliatePayout(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The creator and currency paid.' }) input: MarkAffiliatePayoutInput,
  ) {
    return mutationPayload(async () => {
      const creatorId = fromGlobalId(input.creatorId, 'Creator', 'creatorId');
      const result = await this.conversions.markPayout(ctx, creatorId, input.currency);
      return {
        payout: {
          id: toGlobalId('AffiliatePayout', result.payoutId),
          creatorId: toGlobalId('Creator', creatorId),
          amount: moneyOf(result.amountMinor, input.currency.trim().toUpperCase()),
          lineCount: result.lines,
        },
      };
    });
  }
}

export const EARNINGS_RESOLVERS = [EarningsResolver, AffiliateBrandResolver];
