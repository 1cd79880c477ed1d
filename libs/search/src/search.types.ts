import type { AgeGroup, Availability, Condition, Gender } from '@brandshelf/catalog-rules';
import type { MatchMode } from './cursor.js';
import type { SearchPlan } from './search.sql.js';

export type ProductSortKey = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'NEWEST';

/** Every filter is optional; list filters match any of their values, filters combine with AND. */
export interface ProductFilter {
  brandIds?: string[] | null;
  /** A Google taxonomy id ("1604") or a path prefix ("Apparel & Accessories > Clothing"); descendants included. */
  category?: string | null;
  /**
   * Decimal strings in major units ("19.99"), inclusive, with no more decimals than the currency has; without a
   * currency they apply to every currency (at most 4 decimals, each currency's bound rounded towards the inside).
   */
  price?: { min?: string | null; max?: string | null; currency?: string | null } | null;
  availability?: Availability[] | null;
  condition?: Condition[] | null;
  /** Case-insensitive exact values. */
  color?: string[] | null;
  size?: string[] | null;
  gender?: Gender[] | null;
  onSale?: boolean | null;
}

export interface ProductSearchInput {
  query?: string | null;
  filter?: ProductFilter | null;
  /** RELEVANCE by default when a query is given, else NEWEST. */
  sort?: ProductSortKey | null;
  /** Page size, 1 to 100 (default 20). */
  first?: number | null;
  /** The endCursor of the previous page. */
  after?: string | null;
}

/** A sponsored result (libs/ads): the product, the campaign that won the slot and the tracking URL of a click. */
export interface SponsoredPick {
  product: CatalogProduct;
  campaignId: string;
  clickUrl: string;
}

/**
 * Picks the sponsored results of a search, inside its snapshot: `query` runs a statement on the search's connection;
 * `plan` and `mode` are the organic search's (its lexicon read, its match mode chosen), so sponsored products match
 * exactly as organic ones do.
 */
export type SponsoredSource = (
  query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, any>>>,
  plan: SearchPlan,
  mode: MatchMode,
  /** The live catalog's generation in the search's snapshot (see GENERATION_SQL): what cached candidates key on. */
  generation: string,
) => Promise<SponsoredPick[]>;

export interface SearchOptions {
  /**
   * Sponsored results above the organic ones (first page only): the products they show are left out of the organic
   * results of that page.
   */
  sponsored?: SponsoredSource;
  /** Compute totalCount (exact up to a cap, then a sampled estimate). */
  withTotal?: boolean;
  /** Compute facets (over the same matches as totalCount). */
  withFacets?: boolean;
}

export interface ProductImageRendition {
  size: number;
  width: number;
  height: number;
  format: string;
  url: string;
}

export interface ProductImageData {
  /** The largest rendition, or the source URL while the image is not processed yet. */
  url: string;
  sourceUrl: string;
  role: 'MAIN' | 'ADDITIONAL';
  width: number | null;
  height: number | null;
  placeholder: string | null;
  dominantColor: string | null;
  renditions: ProductImageRendition[];
}

export interface MoneyValue {
  /** Decimal string in major units ("19.99"). */
  amount: string;
  currency: string;
  /** "$19.99", or "19.99 XYZ" for a currency the runtime cannot format. */
  formatted: string;
}

/** One of a product's Merchant Center shipping entries (feed `shipping`); a part the feed left out is null. */
export interface ShippingOptionData {
  country: string;
  region: string | null;
  postalCode: string | null;
  locationId: string | null;
  locationGroupName: string | null;
  service: string | null;
  price: MoneyValue;
  minHandlingTime: number | null;
  maxHandlingTime: number | null;
  minTransitTime: number | null;
  maxTransitTime: number | null;
}

/** One of a product's Merchant Center tax entries (feed `tax`). */
export interface TaxRuleData {
  country: string;
  region: string | null;
  postalCode: string | null;
  locationId: string | null;
  /** Percent of the price (8.25). */
  rate: number;
  /** Whether shipping is taxed too. */
  taxShip: boolean;
}

export interface CatalogBrand {
  id: string;
  name: string;
  createdAt: Date;
}

/** A live product as the public catalog shows it. */
export interface CatalogProduct {
  id: string;
  brandId: string;
  offerId: string;
  title: string;
  description: string;
  brand: CatalogBrand;
  /** The brand attribute of the item itself (a retailer may sell other makers' products). */
  brandName: string | null;
  link: string | null;
  imageLink: string | null;
  additionalImageLinks: string[];
  price: MoneyValue | null;
  salePrice: MoneyValue | null;
  onSale: boolean;
  availability: Availability | null;
  condition: Condition | null;
  gtin: string | null;
  mpn: string | null;
  category: { id: number | null; path: string | null } | null;
  productType: string | null;
  itemGroupId: string | null;
  color: string | null;
  size: string | null;
  gender: Gender | null;
  ageGroup: AgeGroup | null;
  quantity: number | null;
  shipping: ShippingOptionData[];
  tax: TaxRuleData[];
  /** custom_label_0 … custom_label_4 by position ('' for a label not given; trailing empty ones left out). */
  customLabels: string[];
  /** The sale's window (sale_price_effective_date as the feed wrote it), read only while the product is on sale. */
  salePriceEffectiveDate: string | null;
  /** identifier_exists as the feed gave it (false: the product has no GTIN or MPN, e.g. custom made); null if not. */
  identifierExists: boolean | null;
  /** availability_date as the feed wrote it (when a preorder or backorder ships); null if not given. */
  availabilityDate: string | null;
  material: string | null;
  pattern: string | null;
  mobileLink: string | null;
  /** `shipping_weight` as the feed wrote it (`0.5 kg`; the validator keeps only a number and lb, oz, g or kg). */
  shippingWeight: string | null;
  images: ProductImageData[];
  publishedAt: Date;
  updatedAt: Date;
}

export interface ProductEdgeData {
  node: CatalogProduct;
  cursor: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface BrandFacetCount {
  id: string;
  name: string;
  count: number;
}

export interface CategoryFacetCount {
  /** A path of the taxonomy: top-level segments, or the level below the category filter. */
  path: string;
  /** Its Google taxonomy id when the path is a taxonomy path. */
  id: number | null;
  count: number;
}

export interface PriceBucketCount {
  currency: string;
  /** Inclusive bounds in major units, ready for `filter.price`; max null for the open-ended top bucket. */
  min: string;
  max: string | null;
  count: number;
}

export interface ProductFacetsData {
  brand: BrandFacetCount[];
  category: CategoryFacetCount[];
  availability: FacetCount[];
  color: FacetCount[];
  size: FacetCount[];
  price: PriceBucketCount[];
  /** False when the matches were too many to count one by one: counts are then scaled from a random sample. */
  exact: boolean;
}

export interface ProductSearchResult {
  edges: ProductEdgeData[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** How the query text was matched: full-text, or full-text plus typo-tolerant trigram matching. */
  matchMode: 'NONE' | 'FULL_TEXT' | 'FUZZY';
  sort: ProductSortKey;
  totalCount: number | null;
  totalCountExact: boolean;
  facets: ProductFacetsData | null;
  /** Sponsored results (SearchOptions.sponsored), shown above `edges`; none of their products is in `edges`. */
  sponsored: SponsoredPick[];
}
