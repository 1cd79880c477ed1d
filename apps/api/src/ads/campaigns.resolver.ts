import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdsClock, CampaignsService, STATS_MAX_DAYS, type CampaignEntity } from '@brandshelf/ads';
import type { BrandContext } from '@brandshelf/core';
import { money } from '@brandshelf/search';
import type { Money } from '../catalog/catalog.types.js';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { pageRequest } from '../graphql/page-size.js';
import { AGGREGATE, STATEMENT, cost } from '../graphql/query-limits.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { ProductSet } from './ads.types.js';
import { productSetView } from './product-sets.resolver.js';
import { mutationPayload } from '../graphql/user-error.js';
import {
  AdsTerms,
  Campaign,
  CampaignConnection,
  CampaignDayStats,
  CampaignIdInput,
  CampaignPayload,
  CampaignStatus,
  CreateCampaignInput,
} from './campaigns.types.js';

const cash = (minor: bigint | string | number, currency: string) => money(String(minor), currency) as Money;

type ApiCampaign = Campaign & { entity: CampaignEntity };

/** A stored campaign as the API answers it at `now` (also node(id:)). */
export function campaignView(c: CampaignEntity, now: Date): ApiCampaign {
  return {
    id: toGlobalId('Campaign', c.id),
    productSetId: toGlobalId('ProductSet', c.productSetId),
    status: c.status as CampaignStatus,
    running: c.status === 'ACTIVE' && c.startsAt <= now && (!c.endsAt || c.endsAt > now),
    dailyBudget: cash(c.dailyBudgetMinor, c.currency),
    maxCpc: cash(c.maxCpcMinor, c.currency),
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    entity: c,
  };
}

@Auth('brand')
@Resolver(() => Campaign)
export class CampaignsResolver {
  constructor(
    @Inject(CampaignsService) private readonly service: CampaignsService,
    @Inject(AdsClock) private readonly clock: AdsClock,
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
  ) {}

  private toApi = (c: CampaignEntity): ApiCampaign => campaignView(c, this.clock.now());

  @Query(() => CampaignConnection, {
    description: "The brand's campaigns, oldest first, a page at a time.",
    complexity: cost.connection(),
  })
  async campaigns(@Ctx() ctx: BrandContext, @Args() page: ConnectionArgs) {
    return toConnection(await this.service.page(ctx, pageRequest(page)), this.toApi);
  }

  @Query(() => AdsTerms, {
    description:
      'What campaigns bid and budget in here (ADS_CURRENCY and ADS_RESERVE_CPC), for a form to offer only what ' +
      'createCampaign accepts.',
  })
  adsTerms(): AdsTerms {
    const currency = this.service.currency();
    return { currency, reserveCpc: cash(this.service.reserveMinor(), currency) };
  }

  @Query(() => Campaign, { description: "One of the brand's campaigns; NOT_FOUND otherwise.", complexity: STATEMENT })
  async campaign(
    @Ctx() ctx: BrandContext,
    @Args('id', { type: () => ID, description: 'Campaign.id of one of the brand’s campaigns.' }) id: string,
  ): Promise<ApiCampaign> {
    return this.toApi(await this.service.get(ctx, fromGlobalId(id, 'Campaign')));
  }

  @ResolveField(() => ProductSet, {
    nullable: true,
    description:
      'The set whose live products it sponsors; null once the set is deleted. Read for a whole page at once.',
    complexity: STATEMENT,
  })
  async productSet(@Context() caller: CallerContext, @Parent() campaign: ApiCampaign) {
    const set = await this.loaders.of(caller, caller.context).productSet.load(campaign.entity.productSetId);
    return set && productSetView(set);
  }

  @ResolveField(() => [CampaignDayStats], {
    description:
      `The campaign's results per UTC day from \`from\` to \`to\` (inclusive, at most ${STATS_MAX_DAYS} days), ` +
      'one row per day, days without activity included.',
    complexity: AGGREGATE,
  })
  async stats(
    @Ctx() ctx: BrandContext,
    @Parent() campaign: ApiCampaign,
    @Args('from', { description: 'First day, YYYY-MM-DD (UTC).' }) from: string,
    @Args('to', { description: 'Last day, YYYY-MM-DD (UTC), inclusive.' }) to: string,
  ): Promise<CampaignDayStats[]> {
    const currency = campaign.entity.currency;
    const days = await this.service.stats(ctx, campaign.entity, from, to);
    return days.map((d) => ({
      day: d.day,
      impressions: d.impressions,
      clicks: d.clicks,
      spend: cash(d.spendMinor, currency),
      ctr: d.impressions > 0 ? d.clicks / d.impressions : null,
      cpc: d.clicks > 0 ? cash(roundedDiv(d.spendMinor, BigInt(d.clicks)), currency) : null,
      attributedOrders: d.attributedOrders,
      attributedRevenue: cash(d.attributedRevenueMinor, currency),
      roas: d.spendMinor > 0n ? Number(d.attributedRevenueMinor) / Number(d.spendMinor) : null,
    }));
  }

  @Mutation(() => CampaignPayload, {
    description:
      'Starts a campaign on one of the brand’s product sets: its live products compete for the sponsored slots of ' +
      'creator search, bidding maxCpc, within dailyBudget per UTC day, from startsAt to endsAt.',
  })
  createCampaign(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The set, the money and the dates.' }) input: CreateCampaignInput,
  ) {
    return mutationPayload(async () => ({
      campaign: this.toApi(
        await this.service.create(ctx, {
          productSetId: fromGlobalId(input.productSetId, 'ProductSet', 'productSetId'),
          dailyBudget: input.dailyBudget,
          maxCpc: input.maxCpc,
          startsAt: input.startsAt,
          endsAt: input.endsAt ?? null,
        }),
      ),
    }));
  }

  @Mutation(() => CampaignPayload, { description: 'Pauses a campaign: no sponsored result until it is resumed.' })
  pauseCampaign(@Ctx() ctx: BrandContext, @Args('input', { description: 'The campaign.' }) input: CampaignIdInput) {
    return mutationPayload(async () => ({
      campaign: this.toApi(await this.service.pause(ctx, fromGlobalId(input.campaignId, 'Campaign', 'campaignId'))),
    }));
  }

  @Mutation(() => CampaignPayload, { description: 'Resumes a paused campaign.' })
  resumeCampaign(@Ctx() ctx: BrandContext, @Args('input', { description: 'The campaign.' }) input: CampaignIdInput) {
    return mutationPayload(async () => ({
      campaign: this.toApi(await this.service.resume(ctx, fromGlobalId(input.campaignId, 'Campaign', 'campaignId'))),
    }));
  }

  @Mutation(() => CampaignPayload, { description: 'Ends a campaign for good; its stats stay readable.' })
  endCampaign(@Ctx() ctx: BrandContext, @Args('input', { description: 'The campaign.' }) input: CampaignIdInput) {
    return mutationPayload(async () => ({
      campaign: this.toApi(await this.service.end(ctx, fromGlobalId(input.campaignId, 'Campaign', 'campaignId'))),
    }));
  }
}

/** a / b rounded half up, for an average in minor units. */
function roundedDiv(a: bigint, b: bigint): bigint {
  return (a * 2n + b) / (2n * b);
}
