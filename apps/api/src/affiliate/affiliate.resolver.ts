import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CommissionService,
  formatRate,
  ShareLinksService,
  toOffer,
  type CommissionQuote as Quote,
  type OfferRecord,
  type OfferStatus,
  type RuleRecord,
  type ShareLinkRecord,
  type ShowcaseEntry,
} from '@brandshelf/affiliate';
import type { RequestContext } from '@brandshelf/core';
import type { KeysetPage } from '@brandshelf/db';
import { SearchService, type CatalogProduct } from '@brandshelf/search';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { pageRequest } from '../graphql/page-size.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload } from '../graphql/user-error.js';
import { Product } from '../catalog/catalog.types.js';
import {
  CommissionOffer,
  CommissionOfferConnection,
  CommissionOfferDecision,
  CommissionOfferPayload,
  CommissionOfferStatus,
  CommissionProgram,
  CommissionQuote,
  CommissionRule,
  CommissionRuleConnection,
  CreateCommissionOfferInput,
  CreateCommissionOfferPayload,
  CreateShareLinkInput,
  CreateShareLinkPayload,
  PlaceShowcaseItemInput,
  RemoveShowcaseItemInput,
  RespondToCommissionOfferInput,
  SetCommissionRateInput,
  SetCommissionRatePayload,
  ShareLink,
  ShareLinkConnection,
  ShowcaseItem,
  ShowcaseItemConnection,
  ShowcaseItemPayload,
  WithdrawCommissionOfferInput,
  type CommissionTargetInput,
} from './affiliate.types.js';

const productGid = (rawId: string) => toGlobalId('Product', rawId);
const optionalGid = (type: string, rawId: string | null) => (rawId ? toGlobalId(type, rawId) : null);

export function ruleView(rule: RuleRecord): CommissionRule {
  const targeted = rule.offerId !== null;
  const kind =
    rule.scope === 'BRAND'
      ? targeted
        ? 'TARGETED_BRAND'
        : 'OPEN_DEFAULT'
      : (`${targeted ? 'TARGETED' : 'OPEN'}_${rule.scope}` as CommissionRule['kind']);
  return {
    id: toGlobalId('CommissionRule', rule.id),
    kind,
    ratePercent: formatRate(rule.rate),
    productId: rule.scope === 'PRODUCT' ? productGid(rule.target) : null,
    itemGroupId: rule.scope === 'ITEM_GROUP' ? rule.target : null,
    category: rule.scope === 'CATEGORY' ? { id: Number(rule.target), path: rule.categoryPath } : null,
    validFrom: rule.validFrom,
  };
}

export function offerView(
  offer: OfferRecord,
  rules: RuleRecord[],
  brand: CommissionOffer['brand'] | undefined,
): CommissionOffer {
  return {
    id: toGlobalId('CommissionOffer', offer.id),
    brand: brand!,
    creatorHandle: offer.creatorHandle,
    status: offer.status as CommissionOfferStatus,
    message: offer.message,
    startsAt: offer.startsAt,
    endsAt: offer.endsAt,
    createdAt: offer.createdAt,
    decidedAt: offer.acceptedAt ?? offer.declinedAt,
    withdrawnAt: offer.withdrawnAt,
    rules: rules.filter((r) => r.offerId === offer.id).map(ruleView),
  };
}

function quoteView(quote: Quote): CommissionQuote {
  const applied = quote.choice.applied;
  return {
    productId: productGid(quote.productId),
    ratePercent: applied ? formatRate(applied.rate) : null,
    rule: applied?.kind ?? null,
    ruleId: optionalGid('CommissionRule', applied?.ruleId ?? null),
    offerId: optionalGid('CommissionOffer', applied?.offerId ?? null),
    reason: quote.choice.reason,
    candidates: quote.choice.candidates.map((c) => ({
      kind: c.kind,
      ratePercent: formatRate(c.rate),
      ruleId: toGlobalId('CommissionRule', c.ruleId),
      offerId: optionalGid('CommissionOffer', c.offerId),
    })),
    at: quote.at,
  };
}

/** Target ids in: global or raw Product ids accepted. */
function targetIn(target: CommissionTargetInput | null | undefined, field: string) {
  if (!target) return null;
  return {
    productId: target.productId ? fromGlobalId(target.productId, 'Product', `${field}.productId`) : null,
    itemGroupId: target.itemGroupId ?? null,
    categoryId: target.categoryId ?? null,
  };
}

export function shareLinkView(link: ShareLinkRecord, url: string): ShareLink {
  return {
    id: toGlobalId('ShareLink', link.id),
    code: link.code,
    url,
    channel: link.channel as ShareLink['channel'],
    productId: productGid(link.productId),
    product: link.productId,
    createdAt: link.createdAt,
  };
}

/** A showcase item's raw id is its creator and product, `<creatorId>:<productId>` (the table's key). */
export function showcaseItemView(creatorId: string, item: ShowcaseEntry): ShowcaseItem {
  return {
    id: toGlobalId('ShowcaseItem', `${creatorId}:${item.productId}`),
    position: item.position,
    productId: productGid(item.productId),
    product: item.productId,
    addedAt: item.addedAt,
  };
}

@Resolver()
export class AffiliateResolver {
  constructor(
    @Inject(CommissionService) private readonly commissions: CommissionService,
    @Inject(ShareLinksService) private readonly links: ShareLinksService,
  ) {}

  // ---- brand: the program -------------------------------------------------------------------------------------

  @Auth('brand')
  @Query(() => CommissionProgram, {
    description: 'Your commission program (brand key): the default open rate; `rules` lists the rates in force.',
    complexity: STATEMENT,
  })
  async commissionProgram(@Ctx() ctx: RequestContext): Promise<CommissionProgram> {
    const rule = await this.commissions.openDefault(ctx);
    return { openRatePercent: rule ? formatRate(rule.rate) : null };
  }

  @Auth('brand')
  @Mutation(() => SetCommissionRatePayload, {
    description:
      'Sets or removes (ratePercent null) an open rate of your program: the default without a target, or an ' +
      'override for a product, an item group or a Google category. Applies to clicks from now on.',
  })
  setCommissionRate(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => SetCommissionRateInput, description: 'The target and the rate.' })
    input: SetCommissionRateInput,
  ) {
    return mutationPayload(async () => {
      const rule = await this.commissions.setOpenRate(ctx, {
        target: targetIn(input.target, 'target'),
        ratePercent: input.ratePercent,
      });
      return { rule: rule ? ruleView(rule) : null, program: await this.commissionProgram(ctx) };
    });
  }

  @Auth('brand')
  @Mutation(() => CreateCommissionOfferPayload, {
    description:
      'Offers one creator (by handle) rates of their own: brand-wide and/or per product, item group or category, ' +
      'from startsAt to endsAt. It applies once the creator accepts it.',
  })
  createCommissionOffer(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => CreateCommissionOfferInput, description: 'The creator, rates and dates.' })
    input: CreateCommissionOfferInput,
  ) {
    return mutationPayload(async () => {
      const offer = await this.commissions.createOffer(ctx, {
        ...input,
        rules: input.rules?.map((r, i) => ({
          target: targetIn(r.target, `rules.${i}.target`) ?? {},
          ratePercent: r.ratePercent,
        })),
      });
      return { offer: await this.offerWithRules(ctx, offer) };
    });
  }

  @Auth('brand')
  @Mutation(() => CommissionOfferPayload, {
    description: 'Ends one of your offers (pending or accepted): it applies no more from now on.',
  })
  withdrawCommissionOffer(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => WithdrawCommissionOfferInput, description: 'The offer.' })
    input: WithdrawCommissionOfferInput,
  ) {
    return mutationPayload(async () => {
      const offer = await this.commissions.withdrawOffer(
        ctx,
        fromGlobalId(input.offerId, 'CommissionOffer', 'offerId'),
      );
      return { offer: await this.offerWithRules(ctx, offer) };
    });
  }

  // ---- creator: offers ----------------------------------------------------------------------------------------

  @Auth('creator')
  @Mutation(() => CommissionOfferPayload, {
    description: 'Accepts or declines an offer made to you (creator key); only a pending offer can be answered.',
  })
  respondToCommissionOffer(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => RespondToCommissionOfferInput, description: 'The offer and your answer.' })
    input: RespondToCommissionOfferInput,
  ) {
    return mutationPayload(async () => {
      const offer = await this.commissions.respondToOffer(
        ctx,
        fromGlobalId(input.offerId, 'CommissionOffer', 'offerId'),
        input.decision === CommissionOfferDecision.ACCEPT,
      );
      return { offer: await this.offerWithRules(ctx, offer) };
    });
  }

  @Auth('any')
  @Query(() => CommissionOfferConnection, {
    description: 'Offers: a brand sees the ones it made, a creator the ones made to it; newest first.',
    complexity: cost.connection(),
  })
  async commissionOffers(
    @Ctx() ctx: RequestContext,
    @Args() page: ConnectionArgs,
    @Args('status', { type: () => CommissionOfferStatus, nullable: true, description: 'Only offers in this state.' })
    status: CommissionOfferStatus | null,
  ): Promise<CommissionOfferConnection> {
    const result = await this.commissions.offersPage(ctx, (status ?? null) as OfferStatus | null, pageRequest(page));
    const offers = result.rows.map((r) => ({ cursor: r.cursor, node: toOffer(r.node) }));
    const rules = await this.commissions.offerRules(
      ctx,
      offers.map((o) => o.node.id),
    );
    const brands = await this.commissions.brands(offers.map((o) => o.node.brandId));
    return toConnection({ ...result, rows: offers }, (offer: OfferRecord) =>
      offerView(offer, rules, brands.get(offer.brandId)),
    );
  }

  // ---- quotes -------------------------------------------------------------------------------------------------

  @Auth('any')
  @Query(() => CommissionQuote, {
    description:
      'The commission on a product now: the rate, the rule that chose it and why. A brand asks about its own ' +
      'products (its open program, or what the creator it names gets); a creator gets its own rate.',
    complexity: STATEMENT,
  })
  async commissionFor(
    @Ctx() ctx: RequestContext,
    @Args('productId', { type: () => ID, description: 'A live product (Product.id).' }) productId: string,
    @Args('creatorHandle', {
      type: () => String,
      nullable: true,
      description: 'Brands only: quote what this creator gets (their accepted offers included).',
    })
    creatorHandle: string | null,
  ): Promise<CommissionQuote> {
    const id = fromGlobalId(productId, 'Product', 'productId');
    return quoteView(await this.commissions.quote(ctx, id, ctx.principal.kind === 'brand' ? creatorHandle : null));
  }

  // ---- creator: links and showcase ----------------------------------------------------------------------------

  @Auth('creator')
  @Mutation(() => CreateShareLinkPayload, {
    description: 'Makes a short link to a live product (creator key): share `url`; each visit counts a click.',
  })
  createShareLink(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => CreateShareLinkInput, description: 'The product and channel.' })
    input: CreateShareLinkInput,
  ) {
    return mutationPayload(async () => {
      const link = await this.links.create(ctx, {
        productId: fromGlobalId(input.productId, 'Product', 'productId'),
        channel: input.channel ?? null,
      });
      return { shareLink: this.linkView(link) };
    });
  }

  @Auth('any')
  @Query(() => ShareLinkConnection, {
    description: 'Share links: a creator sees its own, a brand the links to its products; newest first.',
    complexity: cost.connection(),
  })
  async shareLinks(@Ctx() ctx: RequestContext, @Args() page: ConnectionArgs): Promise<ShareLinkConnection> {
    return toConnection(await this.links.page(ctx, pageRequest(page)), (l: ShareLinkRecord) => this.linkView(l));
  }

  @Auth('creator')
  @Query(() => ShowcaseItemConnection, {
    description: 'Your showcase (creator key): your products in your order.',
    complexity: cost.connection(),
  })
  async showcase(@Ctx() ctx: RequestContext, @Args() page: ConnectionArgs): Promise<ShowcaseItemConnection> {
    const result: KeysetPage<ShowcaseEntry> = await this.links.showcase(ctx, pageRequest(page));
    return toConnection(result, (item: ShowcaseEntry) => this.itemView(ctx, item));
  }

  @Auth('creator')
  @Mutation(() => ShowcaseItemPayload, {
    description: 'Puts a live product in your showcase at a place (default last), or moves it there if it is in.',
  })
  placeShowcaseItem(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => PlaceShowcaseItemInput, description: 'The product and its place.' })
    input: PlaceShowcaseItemInput,
  ) {
    return mutationPayload(async () => {
      const productId = fromGlobalId(input.productId, 'Product', 'productId');
      const placed = await this.links.placeInShowcase(ctx, productId, input.position ?? null, false);
      return { item: this.itemView(ctx, placed) };
    });
  }

  @Auth('creator')
  @Mutation(() => ShowcaseItemPayload, { description: 'Takes a product out of your showcase.' })
  removeShowcaseItem(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => RemoveShowcaseItemInput, description: 'The product.' })
    input: RemoveShowcaseItemInput,
  ) {
    return mutationPayload(async () => {
      await this.links.removeFromShowcase(ctx, fromGlobalId(input.productId, 'Product', 'productId'));
      return { item: null };
    });
  }

  private linkView(link: ShareLinkRecord): ShareLink {
    return shareLinkView(link, this.links.publicUrl(link.code));
  }

  private itemView(ctx: RequestContext, item: ShowcaseEntry): ShowcaseItem {
    return showcaseItemView(ctx.principal.kind === 'creator' ? ctx.principal.creatorId : '', item);
  }

  private async offerWithRules(ctx: RequestContext, offer: OfferRecord): Promise<CommissionOffer> {
    const rules = await this.commissions.offerRules(ctx, [offer.id]);
    const brands = await this.commissions.brands([offer.brandId]);
    return offerView(offer, rules, brands.get(offer.brandId));
  }
}

/** The rules of the caller's own program (a CommissionProgram is only ever answered to its brand). */
@Auth('brand')
@Resolver(() => CommissionProgram)
export class CommissionProgramResolver {
  constructor(@Inject(CommissionService) private readonly commissions: CommissionService) {}

  @ResolveField(() => CommissionRuleConnection, {
    description: 'The open rates in force (the default and every override), newest first.',
    complexity: cost.connection(),
  })
  async rules(@Ctx() ctx: RequestContext, @Args() page: ConnectionArgs): Promise<CommissionRuleConnection> {
    return toConnection(await this.commissions.openRules(ctx, pageRequest(page)), ruleView);
  }
}

/** The product of a link or showcase item, read in one batch per page; null once it left the catalog. */
@Resolver(() => ShareLink)
export class ShareLinkProductResolver {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  @ResolveField(() => Product, {
    nullable: true,
    description: 'The product, while live; null once it left the catalog.',
  })
  product(@Parent() link: { product: string }): Promise<CatalogProduct | null> {
    return this.search.productBatched(link.product);
  }
}

@Resolver(() => ShowcaseItem)
export class ShowcaseItemProductResolver {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  @ResolveField(() => Product, {
    nullable: true,
    description: 'The product, while live; null once it left the catalog.',
  })
  product(@Parent() item: { product: string }): Promise<CatalogProduct | null> {
    return this.search.productBatched(item.product);
  }
}

/** The creator's rate beside every product of `products` and `product`; null for the public and for brands. */
@Resolver(() => Product)
export class ProductCommissionResolver {
  constructor(@Inject(CommissionService) private readonly commissions: CommissionService) {}

  @ResolveField(() => String, {
    nullable: true,
    description:
      'With a creator key: the commission rate you would earn on this product now, a decimal percentage ("12.5"), ' +
      'by the same precedence as commissionFor; null without a rule. Always null for the public and for brands. ' +
      'Read for a whole page at once.',
  })
  async commissionRate(@Ctx() ctx: RequestContext, @Parent() product: CatalogProduct): Promise<string | null> {
    if (ctx.principal.kind !== 'creator') return null;
    const choice = await this.commissions.creatorRate(ctx.principal.creatorId, {
      id: product.id,
      brandId: product.brandId,
      itemGroupId: product.itemGroupId,
      categoryPath: product.category?.path ?? null,
    });
    return choice.applied ? formatRate(choice.applied.rate) : null;
  }
}

export const AFFILIATE_RESOLVERS = [
  AffiliateResolver,
  CommissionProgramResolver,
  ShareLinkProductResolver,
  ShowcaseItemProductResolver,
  ProductCommissionResolver,
];
