import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  COMMISSION_RULE_KINDS,
  OFFER_STATUSES,
  SHARE_CHANNELS,
  type CommissionRuleKind as Kind,
  type OfferStatus,
  type ShareChannel as Channel,
} from '@brandshelf/affiliate';
import { Brand } from '../accounts/accounts.types.js';
import { Product, ProductCategory } from '../catalog/catalog.types.js';
import { connectionType } from '../graphql/connection.js';
import { enumOf } from '../graphql/enum-of.js';
import { Node } from '../graphql/node.js';
import { cost } from '../graphql/query-limits.js';
import { UserError } from '../graphql/user-error.js';

export const CommissionRuleKind = enumOf(COMMISSION_RULE_KINDS);
export type CommissionRuleKind = Kind;
export const ShareChannel = enumOf(SHARE_CHANNELS);
export type ShareChannel = Channel;
export const CommissionOfferStatus = enumOf(OFFER_STATUSES);
export type CommissionOfferStatus = OfferStatus;
export enum CommissionOfferDecision {
  ACCEPT = 'ACCEPT',
  DECLINE = 'DECLINE',
}

registerEnumType(CommissionRuleKind, {
  name: 'CommissionRuleKind',
  description:
    'Which rule chose a rate. Precedence, most specific first: TARGETED_PRODUCT > TARGETED_ITEM_GROUP and ' +
    'TARGETED_CATEGORY > TARGETED_BRAND > OPEN_PRODUCT > OPEN_ITEM_GROUP and OPEN_CATEGORY > OPEN_DEFAULT. Within a ' +
    'level an item group comes before a category, and a deeper category before a shallower one.',
  valuesMap: {
    TARGETED_PRODUCT: { description: "An accepted offer's rate for this very product." },
    TARGETED_ITEM_GROUP: { description: "An accepted offer's rate for the product's item group (its variants)." },
    TARGETED_CATEGORY: { description: "An accepted offer's rate for the product's Google category or one above it." },
    TARGETED_BRAND: { description: "An accepted offer's brand-wide rate." },
    OPEN_PRODUCT: { description: "The open program's override for this product, for every creator." },
    OPEN_ITEM_GROUP: { description: "The open program's override for the product's item group." },
    OPEN_CATEGORY: { description: "The open program's override for the product's Google category or one above it." },
    OPEN_DEFAULT: { description: "The brand's default open rate, for every creator and product." },
  },
});
registerEnumType(ShareChannel, {
  name: 'ShareChannel',
  description: 'Where a share link is posted; the redirect passes it on as utm_source (lower case).',
  valuesMap: {
    TIKTOK: { description: 'TikTok.' },
    INSTAGRAM: { description: 'Instagram.' },
    YOUTUBE: { description: 'YouTube.' },
    PINTEREST: { description: 'Pinterest.' },
    FACEBOOK: { description: 'Facebook.' },
    X: { description: 'X (Twitter).' },
    SNAPCHAT: { description: 'Snapchat.' },
    BLOG: { description: "The creator's blog or website." },
    EMAIL: { description: 'A newsletter or email.' },
    OTHER: { description: 'Anywhere else.' },
  },
});
registerEnumType(CommissionOfferStatus, {
  name: 'CommissionOfferStatus',
  description: 'Where a targeted offer stands.',
  valuesMap: {
    PENDING: { description: 'Made by the brand, not answered by the creator yet; it does not apply.' },
    ACCEPTED: { description: 'Accepted by the creator: it applies between startsAt and endsAt.' },
    DECLINED: { description: 'Declined by the creator; it never applies.' },
    WITHDRAWN: { description: 'Ended by the brand; it applies no more from withdrawnAt on.' },
  },
});
registerEnumType(CommissionOfferDecision, {
  name: 'CommissionOfferDecision',
  description: "A creator's answer to a pending offer.",
  valuesMap: {
    ACCEPT: { description: 'Take the offer: its rates apply to your clicks from now on (within its dates).' },
    DECLINE: { description: 'Refuse the offer; it never applies.' },
  },
});

@ObjectType({
  description: 'One commission rate of a brand: its open default, an open override, or part of an offer.',
  implements: () => [Node],
})
export class CommissionRule {
  @Field(() => ID, { description: 'Global id of this version of the rule (a change of rate makes a new one).' })
  id: string;
  @Field(() => CommissionRuleKind, { description: 'What the rule covers, and whether it is open or targeted.' })
  kind: CommissionRuleKind;
  @Field({ description: 'Decimal percentage of the sale, 1 to 80, e.g. "12.5".' }) ratePercent: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The product it covers (global Product id); null otherwise.',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string | null;
  @Field(() => String, { nullable: true, description: "The item group it covers (the feed's item_group_id)." })
  itemGroupId: string | null;
  @Field(() => ProductCategory, {
    nullable: true,
    description: 'The Google category it covers, subcategories included; null for other rules.',
  })
  category: ProductCategory | null;
  @Field({ description: 'From when the rate is in force; clicks before it keep the rate of their time.' })
  validFrom: Date;
}

@ObjectType({ description: "A brand's invitation to one creator, with rates of its own.", implements: () => [Node] })
export class CommissionOffer {
  @Field(() => ID, { description: 'Global id of the offer.' }) id: string;
  @Field(() => Brand, { description: 'The brand making the offer.' }) brand: Brand;
  @Field({ description: 'Handle of the creator it is made to.' }) creatorHandle: string;
  @Field(() => CommissionOfferStatus, { description: 'Pending, accepted, declined or withdrawn.' })
  status: CommissionOfferStatus;
  @Field(() => String, { nullable: true, description: "The brand's note to the creator; null when none." })
  message: string | null;
  @Field({ description: 'From when an accepted offer applies.' }) startsAt: Date;
  @Field(() => Date, { nullable: true, description: 'Until when it applies (exclusive); null: no end.' })
  endsAt: Date | null;
  @Field({ description: 'When the brand made it.' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When the creator accepted or declined it; null until then.' })
  decidedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the brand withdrew it; null unless withdrawn.' })
  withdrawnAt: Date | null;
  @Field(() => [CommissionRule], {
    description: "The offer's rates: its brand-wide rate (TARGETED_BRAND) and its overrides; at most 51.",
    complexity: cost.list(51),
  })
  rules: CommissionRule[];
}

@ObjectType({ description: "A brand's commission program: what every creator earns on its products." })
export class CommissionProgram {
  @Field(() => String, {
    nullable: true,
    description: 'The default open rate for every creator, e.g. "10"; null: no open collaboration.',
  })
  openRatePercent: string | null;
}

@ObjectType({ description: 'A rule that matched, in precedence order.' })
export class CommissionCandidate {
  @Field(() => CommissionRuleKind, { description: 'The kind of rule.' }) kind: CommissionRuleKind;
  @Field({ description: 'Its rate, a decimal percentage.' }) ratePercent: string;
  @Field(() => ID, { description: 'Global id of the rule.', deprecationReason: 'Use rule { id }.' }) ruleId: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Global id of its offer, for targeted rules.',
    deprecationReason: 'Use offer { id }.',
  })
  offerId: string | null;
}

@ObjectType({ description: 'The commission on one product: the rate, the rule that chose it and why.' })
export class CommissionQuote {
  @Field(() => ID, {
    description: 'The product (global Product id).',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field(() => String, { nullable: true, description: 'The rate that applies now; null: no commission.' })
  ratePercent: string | null;
  @Field(() => CommissionRuleKind, { nullable: true, description: 'The rule that chose it; null when none applies.' })
  rule: CommissionRuleKind | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Global id of that rule.',
    deprecationReason: 'Use appliedRule { id } (rule is the kind of rule, kept as it was).',
  })
  ruleId: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Global id of its offer, for a targeted rule.',
    deprecationReason: 'Use offer { id }.',
  })
  offerId: string | null;
  @Field({ description: 'Why, in a sentence: the rule and what it took precedence over.' }) reason: string;
  @Field(() => [CommissionCandidate], {
    description: 'Every rule that matched, the one applied first (at most one per rule of the brand that applies).',
    complexity: cost.list(10),
  })
  candidates: CommissionCandidate[];
  @Field({ description: 'The instant the quote is for (now).' }) at: Date;
}

@ObjectType({ description: "A creator's short link to one product, public at /l/<code>.", implements: () => [Node] })
export class ShareLink {
  @Field(() => ID, { description: 'Global id of the link.' }) id: string;
  @Field({ description: 'The short code: 12 random letters and digits, unguessable.' }) code: string;
  @Field({ description: 'The public URL to share: PUBLIC_BASE_URL/l/<code>.' }) url: string;
  @Field(() => ShareChannel, { nullable: true, description: 'Where the creator posts it; null when not said.' })
  channel: ShareChannel | null;
  @Field(() => ID, {
    description: 'The product it leads to (global Product id).',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field(() => Product, { nullable: true, description: 'The product, while live; null once it left the catalog.' })
  product: unknown;
  @Field({ description: 'When the creator made it.' }) createdAt: Date;
}

@ObjectType({ description: "A product in a creator's showcase, at its place.", implements: () => [Node] })
export class ShowcaseItem {
  @Field(() => ID, { description: 'Global id of the item.' }) id: string;
  @Field(() => Int, { description: 'Its place, 1 first.' }) position: number;
  @Field(() => ID, {
    description: 'The product (global Product id).',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field(() => Product, { nullable: true, description: 'The product, while live; null once it left the catalog.' })
  product: unknown;
  @Field({ description: 'When it was added.' }) addedAt: Date;
}

export const CommissionRuleConnection = connectionType(CommissionRule, 'CommissionRule', {
  one: 'A rule',
  many: 'rules',
  description: "A page of the brand's open rules in force (the default and the overrides), newest first.",
});
export type CommissionRuleConnection = InstanceType<typeof CommissionRuleConnection>;
export const CommissionOfferConnection = connectionType(CommissionOffer, 'CommissionOffer', {
  one: 'An offer',
  many: 'offers',
  description: 'A page of offers, newest first.',
});
export type CommissionOfferConnection = InstanceType<typeof CommissionOfferConnection>;
export const ShareLinkConnection = connectionType(ShareLink, 'ShareLink', {
  one: 'A share link',
  many: 'links',
  description: 'A page of share links, newest first.',
});
export type ShareLinkConnection = InstanceType<typeof ShareLinkConnection>;
export const ShowcaseItemConnection = connectionType(ShowcaseItem, 'ShowcaseItem', {
  one: 'A showcase item',
  many: 'items',
  description: "A page of the creator's showcase, in the creator's order.",
});
export type ShowcaseItemConnection = InstanceType<typeof ShowcaseItemConnection>;

// ---- inputs and payloads ----------------------------------------------------------------------------------------

@InputType({ description: 'What a rate covers: one of productId, itemGroupId or categoryId.' })
export class CommissionTargetInput {
  @Field(() => ID, { nullable: true, description: 'One of your products (Product.id).' }) productId?: string | null;
  @Field(() => String, { nullable: true, description: "An item group of yours (the feed's item_group_id)." })
  itemGroupId?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'A Google product taxonomy id (e.g. 187 Shoes); its subcategories are included.',
  })
  categoryId?: number | null;
}

@InputType({ description: 'A change of the open program, applying to clicks from now on.' })
export class SetCommissionRateInput {
  @Field(() => CommissionTargetInput, {
    nullable: true,
    description: 'What the rate covers; omit for the default open rate of every product.',
  })
  target?: CommissionTargetInput | null;
  @Field(() => String, {
    nullable: true,
    description: 'Decimal percentage, 1 to 80, at most two decimals ("12.5"); null removes the rate.',
  })
  ratePercent?: string | null;
}

@ObjectType({ description: 'The open program after the change.' })
export class SetCommissionRatePayload {
  @Field(() => CommissionRule, { nullable: true, description: 'The rule now in force; null when it was removed.' })
  rule?: CommissionRule | null;
  @Field(() => CommissionProgram, { nullable: true, description: 'The program as it is now.' })
  program?: CommissionProgram | null;
  @Field(() => [UserError], { description: 'Why nothing changed; empty on success.' }) userErrors: UserError[];
}

@InputType({ description: "One of an offer's overrides." })
export class CommissionOfferRuleInput {
  @Field(() => CommissionTargetInput, { description: 'The product, item group or category it covers.' })
  target: CommissionTargetInput;
  @Field({ description: 'Decimal percentage, 1 to 80.' }) ratePercent: string;
}

@InputType({ description: 'A targeted offer to one creator.' })
export class CreateCommissionOfferInput {
  @Field({ description: 'The creator, by handle (with or without the @).' }) creatorHandle: string;
  @Field(() => String, {
    nullable: true,
    description: 'Brand-wide rate of the offer (TARGETED_BRAND), 1 to 80; needed unless rules are given.',
  })
  ratePercent?: string | null;
  @Field(() => [CommissionOfferRuleInput], {
    nullable: true,
    description: 'Rates for products, item groups or categories (at most 50).',
  })
  rules?: CommissionOfferRuleInput[] | null;
  @Field(() => Date, { nullable: true, description: 'From when it applies once accepted; default now.' })
  startsAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Until when it applies (exclusive); default no end.' })
  endsAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'A note to the creator, at most 1000 characters.' })
  message?: string | null;
}

@ObjectType({ description: 'The offer made.' })
export class CreateCommissionOfferPayload {
  @Field(() => CommissionOffer, { nullable: true, description: 'The new offer, PENDING; null on failure.' })
  offer?: CommissionOffer | null;
  @Field(() => [UserError], { description: 'Why no offer was made; empty on success.' }) userErrors: UserError[];
}

@InputType({ description: "A creator's answer to an offer." })
export class RespondToCommissionOfferInput {
  @Field(() => ID, { description: 'CommissionOffer.id of an offer made to you.' }) offerId: string;
  @Field(() => CommissionOfferDecision, { description: 'Accept or decline.' }) decision: CommissionOfferDecision;
}

@InputType({ description: 'The offer a brand ends.' })
export class WithdrawCommissionOfferInput {
  @Field(() => ID, { description: 'CommissionOffer.id of one of your offers, pending or accepted.' }) offerId: string;
}

@ObjectType({ description: 'The offer after the change.' })
export class CommissionOfferPayload {
  @Field(() => CommissionOffer, { nullable: true, description: 'The offer as it is now; null on failure.' })
  offer?: CommissionOffer | null;
  @Field(() => [UserError], { description: 'Why nothing changed; empty on success.' }) userErrors: UserError[];
}

@InputType({ description: 'A new share link.' })
export class CreateShareLinkInput {
  @Field(() => ID, { description: 'A live product (Product.id), of any brand.' }) productId: string;
  @Field(() => ShareChannel, { nullable: true, description: 'Where you will post it (utm_source).' })
  channel?: ShareChannel | null;
}

@ObjectType({ description: 'The link made.' })
export class CreateShareLinkPayload {
  @Field(() => ShareLink, { nullable: true, description: 'The new link; null on failure.' })
  shareLink?: ShareLink | null;
  @Field(() => [UserError], { description: 'Why no link was made; empty on success.' }) userErrors: UserError[];
}

@InputType({ description: 'A product to put in your showcase, or to move within it.' })
export class PlaceShowcaseItemInput {
  @Field(() => ID, { description: 'A live product (Product.id).' }) productId: string;
  @Field(() => Int, { nullable: true, description: 'Its place, 1 first; omit (or past the end) for last.' })
  position?: number | null;
}

@InputType({ description: 'A product to take out of your showcase.' })
export class RemoveShowcaseItemInput {
  @Field(() => ID, { description: 'The product (Product.id) in your showcase.' }) productId: string;
}

@ObjectType({ description: 'The showcase item after the change.' })
export class ShowcaseItemPayload {
  @Field(() => ShowcaseItem, { nullable: true, description: 'The item at its place; null on failure or removal.' })
  item?: ShowcaseItem | null;
  @Field(() => [UserError], { description: 'Why nothing changed; empty on success.' }) userErrors: UserError[];
}
