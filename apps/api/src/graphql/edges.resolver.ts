import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { SearchService, type CatalogBrand, type CatalogProduct } from '@brandshelf/search';
import { ApiKey, Brand, BrandPrincipal, CreatorPrincipal } from '../accounts/accounts.types.js';
import { ChannelExportIssue } from '../ads/channel-exports.types.js';
import { Creative } from '../ads/creatives.types.js';
import { CommissionCandidate, CommissionOffer, CommissionQuote, CommissionRule } from '../affiliate/affiliate.types.js';
import { Product } from '../catalog/catalog.types.js';
import { AffiliateReportRow, EarningsBalance, LedgerEntry } from '../earnings/earnings.types.js';
import { FeedRulesPreview } from '../ingestion/feed-rules.types.js';
import { IngestionRun } from '../ingestion/ingestion.types.js';
import { decodeGlobalId } from './global-id.js';
import { RequestLoaders, type Loaders } from './loaders.js';
import { STATEMENT } from './query-limits.js';
import type { CallerContext } from './request-context.decorator.js';

/**
 * Edges in place of foreign-key ids (issue 11): each `product` and `brand` beside a `productId` or `brandId` is
 * read through a batch loader, so a page of rows costs one query per field and level, never one per row.
 */
const rawOf = (globalId: string | null | undefined) => (globalId ? decodeGlobalId(globalId).rawId : null);

/** The live product behind a view's global `productId`, in one batch per page; null once it left the catalog. */
function productEdge(type: new () => object, of: string) {
  @Resolver(() => type)
  class ProductEdgeResolver {
    constructor(@Inject(SearchService) readonly search: SearchService) {}

    @ResolveField(() => Product, {
      nullable: true,
      description: `${of}, while live; null once it left the catalog (or for no product). Read for a whole page at once.`,
      complexity: STATEMENT,
    })
    product(@Parent() parent: { productId?: string | null }): Promise<CatalogProduct | null> {
      const id = rawOf(parent.productId);
      return id ? this.search.productBatched(id) : Promise.resolve(null);
    }
  }
  Object.defineProperty(ProductEdgeResolver, 'name', { value: `${type.name}ProductResolver` });
  return ProductEdgeResolver;
}

/** The brand behind a view's global `brandId`, as node(id:) answers a Brand; in one batch per page. */
function brandEdge(type: new () => object, of: string) {
  @Resolver(() => type)
  class BrandEdgeResolver {
    constructor(@Inject(RequestLoaders) readonly loaders: RequestLoaders) {}

    @ResolveField(() => Brand, {
      nullable: true,
      description: `${of}; null when none, or when the brand has no live product left (as Query.brands lists them).`,
      complexity: STATEMENT,
    })
    brand(
      @Context() caller: CallerContext,
      @Parent() parent: { brandId?: string | null },
    ): Promise<CatalogBrand | null> {
      const id = rawOf(parent.brandId);
      return id ? this.loaders.of(caller, caller.context).brand.load(id) : Promise.resolve(null);
    }
  }
  Object.defineProperty(BrandEdgeResolver, 'name', { value: `${type.name}BrandResolver` });
  return BrandEdgeResolver;
}

/**
 * An edge read through one of the caller's loaders, so it answers what node(id:) would (null where node(id:) would
 * refuse). `id` is the parent's field holding the id: a global id, or a raw one (`raw`) where the view keeps the raw
 * id and a GlobalIdField encodes it on output.
 */
interface LoaderEdge {
  name: string;
  returns: () => object;
  loader: keyof Loaders;
  id: string;
  raw?: boolean;
  description: string;
}

function loaderEdge(type: new () => object, edge: LoaderEdge) {
  @Resolver(() => type)
  class LoaderEdgeResolver {
    constructor(@Inject(RequestLoaders) readonly loaders: RequestLoaders) {}

    @ResolveField(edge.name, edge.returns, { nullable: true, description: edge.description, complexity: STATEMENT })
    load(@Context() caller: CallerContext, @Parent() parent: Record<string, string | null | undefined>) {
      const value = parent[edge.id];
      const id = edge.raw ? (value ?? null) : rawOf(value);
      const loader = this.loaders.of(caller, caller.context)[edge.loader] as { load(id: string): Promise<unknown> };
      return id ? loader.load(id) : Promise.resolve(null);
    }
  }
  Object.defineProperty(LoaderEdgeResolver, 'name', { value: `${type.name}${edge.name}EdgeResolver` });
  return LoaderEdgeResolver;
}

/** Either kind of principal's key, read alike. */
const API_KEY_EDGE: LoaderEdge = {
  name: 'apiKey',
  returns: () => ApiKey,
  loader: 'apiKey',
  id: 'apiKeyId',
  raw: true,
  description: 'The key this request used.',
};

export const EDGE_RESOLVERS = [
  loaderEdge(BrandPrincipal, API_KEY_EDGE),
  loaderEdge(CreatorPrincipal, API_KEY_EDGE),
  loaderEdge(FeedRulesPreview, {
    name: 'sourceRun',
    returns: () => IngestionRun,
    loader: 'run',
    id: 'sourceRunId',
    raw: true,
    description: 'The run whose stored source was read; null when none was.',
  }),
  loaderEdge(CommissionQuote, {
    name: 'appliedRule',
    returns: () => CommissionRule,
    loader: 'commissionRule',
    id: 'ruleId',
    description: 'The rule version that chose the rate (rule is its kind); null when none applies.',
  }),
  loaderEdge(CommissionQuote, {
    name: 'offer',
    returns: () => CommissionOffer,
    loader: 'commissionOffer',
    id: 'offerId',
    description: 'The offer of the applied rule, for a targeted rule; null otherwise.',
  }),
  loaderEdge(CommissionCandidate, {
    name: 'rule',
    returns: () => CommissionRule,
    loader: 'commissionRule',
    id: 'ruleId',
    description: 'The rule version that matched.',
  }),
  loaderEdge(CommissionCandidate, {
    name: 'offer',
    returns: () => CommissionOffer,
    loader: 'commissionOffer',
    id: 'offerId',
    description: 'Its offer, for a targeted rule; null otherwise.',
  }),
  loaderEdge(LedgerEntry, {
    name: 'reverses',
    returns: () => LedgerEntry,
    loader: 'ledgerEntry',
    id: 'reversesId',
    description: 'For a REVERSAL: the COMMISSION entry it corrects; null otherwise.',
  }),
  productEdge(AffiliateReportRow, 'The product'),
  productEdge(ChannelExportIssue, 'The product the check found'),
  productEdge(CommissionRule, 'The product the rule covers'),
  productEdge(CommissionQuote, 'The product quoted'),
  productEdge(Creative, 'The product drawn'),
  productEdge(LedgerEntry, 'The product of the order line'),
  brandEdge(LedgerEntry, 'The brand whose order it is'),
  brandEdge(EarningsBalance, 'The brand, in byBrand'),
];
