import { Inject } from '@nestjs/common';
import { Args, ID, Info, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { SponsoredSearch } from '@brandshelf/ads';
import { MAX_VARIANTS, SearchService, shipDate, type CatalogBrand, type CatalogProduct } from '@brandshelf/search';
import { BrandAccount, BrandConnection, Brand } from '../accounts/accounts.types.js';
import { ConnectionArgs, pageOfList, toConnection } from '../graphql/connection.js';
import { decodeGlobalId, fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { PAGE_SIZE, checkPageSize, pageRequest } from '../graphql/page-size.js';
import { SEARCH, STATEMENT, cost } from '../graphql/query-limits.js';
import {
  Product,
  ProductConnection,
  ProductFilterInput,
  ProductSort,
  ProductVariantConnection,
} from './catalog.types.js';

/** Names of the fields selected directly on the operation's field (through fragments too). */
function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else visit(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

function isWellFormedId(id: string): boolean {
  try {
    decodeGlobalId(id);
    return true;
  } catch {
    return false;
  }
}

/** The public catalog: no API key needed. */
@Resolver()
export class CatalogResolver {
  constructor(
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(SponsoredSearch) private readonly sponsored: SponsoredSearch,
  ) {}

  @Query(() => ProductConnection, {
    description:
      'Searches the live catalog: full-text search (title first, then brand, product type and category, ' +
      "then description; stemming in each product's feed language, accents folded; websearch syntax: " +
      '"phrase", -word, or) with typo tolerance, filters, sorts, keyset cursors and facets.',
    complexity: cost.connection(PAGE_SIZE, SEARCH),
  })
  async products(
    @Info() info: GraphQLResolveInfo,
    @Args('query', {
      type: () => String,
      nullable: true,
      description: 'Words to search for, at most 200 characters ("phrase", -word, or); omit to list by filter only.',
    })
    query: string | null,
    @Args('filter', { type: () => ProductFilterInput, nullable: true, description: 'Narrows the matches.' })
    filter: ProductFilterInput | null,
    @Args('sort', {
      type: () => ProductSort,
      nullable: true,
      description: 'Result order; RELEVANCE with a query, NEWEST without one by default.',
    })
    sort: ProductSort | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: 'Page size, 1 to 100 (default 20); other values are BAD_USER_INPUT.',
    })
    first: number | null,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'The endCursor of the previous page, with the same query, filter and sort.',
    })
    after: string | null,
  ): Promise<ProductConnection> {
    if (first !== null && first !== undefined) checkPageSize(first, 'first', PAGE_SIZE);
    const fields = selectedFields(info);
    if (filter?.brandIds) {
      filter = {
        ...filter,
        brandIds: filter.brandIds.map((id, i) => fromGlobalId(id, 'Brand', `filter.brandIds[${i}]`)),
      };
    }
    // Sponsored results on creator searches: a query or a category (a first page; README: Campaigns).
    const sponsorable = Boolean(query?.trim() || filter?.category?.trim());
    const result = await this.search.searchProducts(
      { query, filter, sort, first, after },
      {
        withTotal: fields.has('totalCount') || fields.has('totalCountExact'),
        withFacets: fields.has('facets'),
        ...(sponsorable ? { sponsored: this.sponsored.pick } : {}),
      },
    );
    const sponsoredEdges = result.sponsored.map((s) => ({
      node: s.product,
      cursor: result.endCursor ?? '',
      sponsored: { campaignId: toGlobalId('Campaign', s.campaignId), clickUrl: s.clickUrl },
    }));
    const edges = [...sponsoredEdges, ...result.edges.map((e) => ({ ...e, sponsored: null }))];
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: Boolean(after),
        startCursor: result.edges[0]?.cursor ?? null,
        endCursor: result.endCursor,
      },
      totalCount: result.totalCount,
      totalCountExact: result.totalCountExact,
      facets: result.facets,
      matchMode: result.matchMode,
    } as unknown as ProductConnection;
  }

  @Query(() => Product, {
    nullable: true,
    description: 'A live product; null if unknown or no longer published.',
    complexity: STATEMENT,
  })
  product(
    @Args('id', { type: () => ID, description: 'Product.id (a global id), as search results give it.' }) id: string,
  ): Promise<CatalogProduct | null> {
    // A malformed id is an unknown product (null), as before global ids; another type's id is BAD_USER_INPUT.
    if (!isWellFormedId(id)) return Promise.resolve(null);
    return this.search.product(fromGlobalId(id, 'Product', 'id'));
  }

  @Query(() => BrandConnection, {
    description: 'Brands with at least one live product, by name, a page at a time.',
    complexity: cost.connection(),
  })
  async brands(@Args() page: ConnectionArgs): Promise<BrandConnection> {
    return toConnection(await this.search.brandsPage(pageRequest(page)));
  }
}

@Resolver(() => Product)
export class ProductResolver {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  @ResolveField(() => ProductVariantConnection, {
    description:
      'Live products of the same brand and item group (sizes, colours), this one included, a page at a time; ' +
      `empty without a group. At most ${MAX_VARIANTS} in all.`,
    // One batched query per response level (up to MAX_VARIANTS products each), paged in memory.
    complexity: cost.connection(PAGE_SIZE, 1),
  })
  async variants(@Parent() product: CatalogProduct, @Args() page: ConnectionArgs): Promise<ProductVariantConnection> {
    const request = pageRequest(page);
    return toConnection(pageOfList(await this.search.variants(product), request));
  }

  @ResolveField(() => Date, {
    nullable: true,
    description:
      'When a PREORDER or BACKORDER product ships (`availability_date`; a date alone is its midnight UTC); null for ' +
      'any other availability, or when the feed gives none.',
  })
  availabilityDate(@Parent() product: CatalogProduct): Date | null {
    const instant = shipDate(product);
    return instant === null ? null : new Date(instant);
  }
}

@Resolver(() => Brand)
export class BrandCatalogResolver {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  @ResolveField(() => Int, { description: 'Live products of the brand.' })
  productCount(@Parent() brand: CatalogBrand): Promise<number> {
    return this.search.brandProductCount(brand.id);
  }
}

/** BrandAccount inherits Brand's fields, productCount included: it needs the resolver too. */
@Resolver(() => BrandAccount)
export class BrandAccountCatalogResolver {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  @ResolveField(() => Int, { description: 'Live products of the brand.' })
  productCount(@Parent() brand: CatalogBrand): Promise<number> {
    return this.search.brandProductCount(brand.id);
  }
}

/** Every resolver of the public catalog, for the API module's resolver list. */
export const CATALOG_RESOLVERS = [CatalogResolver, ProductResolver, BrandCatalogResolver, BrandAccountCatalogResolver];
