import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { SearchService, type CatalogBrand, type CatalogProduct } from '@brandshelf/search';
import { Brand } from '../accounts/accounts.types.js';
import { ChannelExportIssue } from '../ads/channel-exports.types.js';
import { Creative } from '../ads/creatives.types.js';
import { CommissionQuote, CommissionRule } from '../affiliate/affiliate.types.js';
import { Product } from '../catalog/catalog.types.js';
import { AffiliateReportRow, EarningsBalance, LedgerEntry } from '../earnings/earnings.types.js';
import { decodeGlobalId } from './global-id.js';
import { RequestLoaders } from './loaders.js';
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

export const EDGE_RESOLVERS = [
  productEdge(AffiliateReportRow, 'The product'),
  productEdge(ChannelExportIssue, 'The product the check found'),
  productEdge(CommissionRule, 'The product the rule covers'),
  productEdge(CommissionQuote, 'The product quoted'),
  productEdge(Creative, 'The product drawn'),
  productEdge(LedgerEntry, 'The product of the order line'),
  brandEdge(LedgerEntry, 'The brand whose order it is'),
  brandEdge(EarningsBalance, 'The brand, in byBrand'),
];
