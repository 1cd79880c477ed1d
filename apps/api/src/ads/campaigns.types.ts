import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CAMPAIGN_STATUSES, type CampaignStatus as CampaignStatusValue } from '@brandshelf/ads';
import { Money, MoneyInput } from '../catalog/catalog.types.js';
import { enumOf } from '../graphql/enum-of.js';
import { connectionType } from '../graphql/connection.js';
import { Node } from '../graphql/node.js';
import { UserError } from '../graphql/user-error.js';

export { MoneyInput };

export const CampaignStatus = enumOf(CAMPAIGN_STATUSES);
export type CampaignStatus = CampaignStatusValue;
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Where a campaign is in its life; it runs only while ACTIVE and between startsAt and endsAt.',
  valuesMap: {
    ACTIVE: { description: 'Takes part in auctions between startsAt and endsAt, while its daily budget lasts.' },
    PAUSED: { description: 'Paused by the brand (pauseCampaign): no sponsored result until resumeCampaign.' },
    ENDED: { description: 'Ended by the brand (endCampaign): never runs again; its stats stay readable.' },
  },
});

@ObjectType({
  description:
    'What a campaign’s money must be on this deployment: createCampaign refuses another currency or a lower bid.',
})
export class AdsTerms {
  @Field({
    description:
      'ISO 4217 code every campaign bids and budgets in (ADS_CURRENCY): the one currency createCampaign accepts; ' +
      'another is a BAD_USER_INPUT on its currency.',
  })
  currency: string;
  @Field(() => Money, { description: 'The reserve price (ADS_RESERVE_CPC): the least maxCpc a campaign may bid.' })
  reserveCpc: Money;
}

@ObjectType({
  description: "A brand's sponsored-products campaign over one of its product sets.",
  implements: () => [Node],
})
export class Campaign {
  @Field(() => ID, { description: 'Global id of the campaign.' }) id: string;
  @Field(() => ID, {
    description: 'ProductSet.id of the set whose live products it sponsors.',
    deprecationReason: 'Use productSet { id }.',
  })
  productSetId: string;
  @Field(() => CampaignStatus, { description: 'ACTIVE, PAUSED or ENDED.' }) status: CampaignStatus;
  @Field(() => Boolean, {
    description: 'Whether it may take part in auctions now: ACTIVE and between startsAt and endsAt (budget aside).',
  })
  running: boolean;
  @Field(() => Money, { description: 'The most it spends in one UTC day (exceeded by one click at most).' })
  dailyBudget: Money;
  @Field(() => Money, { description: 'The most one click costs: its bid in the auction.' }) maxCpc: Money;
  @Field({ description: 'When it starts running.' }) startsAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it stops running; null: no end date.' })
  endsAt: Date | null;
  @Field({ description: 'When it was created.' }) createdAt: Date;
  @Field({ description: 'When its status last changed.' }) updatedAt: Date;
}

export const CampaignConnection = connectionType(Campaign, 'Campaign', {
  one: 'A campaign',
  many: 'campaigns',
  description: "A page of the brand's campaigns, oldest first.",
});

@ObjectType({ description: 'One UTC day of a campaign’s results.' })
export class CampaignDayStats {
  @Field({ description: 'The UTC day, YYYY-MM-DD.' }) day: string;
  @Field(() => Int, { description: 'Times one of its products was shown in a sponsored slot.' }) impressions: number;
  @Field(() => Int, {
    description: 'Counted clicks on its sponsored results (one per visitor and campaign within 30 minutes).',
  })
  clicks: number;
  @Field(() => Money, { description: 'What its clicks were charged.' }) spend: Money;
  @Field(() => Float, { nullable: true, description: 'clicks / impressions; null without impressions.' })
  ctr: number | null;
  @Field(() => Money, { nullable: true, description: 'spend / clicks (average cost per click); null without clicks.' })
  cpc: Money | null;
  @Field(() => Int, {
    description:
      'Orders of the day attributed to the campaign: a reported order with a line for a product whose last ' +
      "sponsored click within the brand's attribution window was this campaign's (README: Campaigns).",
  })
  attributedOrders: number;
  @Field(() => Money, { description: 'The amounts of those orders’ attributed lines.' }) attributedRevenue: Money;
  @Field(() => Float, { nullable: true, description: 'attributedRevenue / spend; null without spend.' })
  roas: number | null;
}

@InputType({ description: 'A new campaign.' })
export class CreateCampaignInput {
  @Field(() => ID, { description: 'ProductSet.id of one of the brand’s sets: the products it sponsors.' })
  productSetId: string;
  @Field(() => MoneyInput, { description: 'The most it spends per UTC day; at least maxCpc.' })
  dailyBudget: MoneyInput;
  @Field(() => MoneyInput, { description: 'The most one click may cost (its bid); at least the reserve price.' })
  maxCpc: MoneyInput;
  @Field({ description: 'When it starts running.' }) startsAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it stops; omit for no end date.' }) endsAt?: Date | null;
}

@InputType({ description: 'The campaign to pause, resume or end.' })
export class CampaignIdInput {
  @Field(() => ID, { description: 'Campaign.id of one of the brand’s campaigns.' }) campaignId: string;
}

@ObjectType({ description: 'What a campaign mutation did.' })
export class CampaignPayload {
  @Field(() => Campaign, { nullable: true, description: 'The campaign as it is now; null when userErrors says why.' })
  campaign?: Campaign | null;
  @Field(() => [UserError], { description: 'Why nothing changed (bad input, an ended campaign); empty on success.' })
  userErrors: UserError[];
}
