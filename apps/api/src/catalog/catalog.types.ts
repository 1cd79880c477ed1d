import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GlobalIdField, Node } from '../graphql/node.js';
import {
  AGE_GROUPS,
  AVAILABILITIES,
  CONDITIONS,
  GENDERS,
  MAX_ADDITIONAL_IMAGES,
  MAX_SHIPPING_ENTRIES,
  MAX_TAX_ENTRIES,
  type AgeGroup as AgeGroupValue,
  type Availability as AvailabilityValue,
  type Condition as ConditionValue,
  type Gender as GenderValue,
} from '@brandshelf/catalog-rules';
import { RENDITION_FORMATS, type RenditionFormat as RenditionFormatValue } from '@brandshelf/media';
import { Brand } from '../accounts/accounts.types.js';
import { enumOf } from '../graphql/enum-of.js';
import { AGGREGATE, cost } from '../graphql/query-limits.js';
import { PageInfo, connectionType } from '../graphql/connection.js';

/** Renditions of one image at most: four WebP sizes, the source's own size when smaller, and the JPEG. */
const MAX_RENDITIONS = 6;

export const Availability = enumOf(AVAILABILITIES);
export type Availability = AvailabilityValue;
export const Condition = enumOf(CONDITIONS);
export type Condition = ConditionValue;
export const Gender = enumOf(GENDERS);
export type Gender = GenderValue;
export const AgeGroup = enumOf(AGE_GROUPS);
export type AgeGroup = AgeGroupValue;
export const RenditionFormat = enumOf(RENDITION_FORMATS);
export type RenditionFormat = RenditionFormatValue;
export enum ProductSort {
  RELEVANCE = 'RELEVANCE',
  PRICE_ASC = 'PRICE_ASC',
  PRICE_DESC = 'PRICE_DESC',
  NEWEST = 'NEWEST',
}
export enum ImageRole {
  MAIN = 'MAIN',
  ADDITIONAL = 'ADDITIONAL',
}
export enum SearchMatchMode {
  NONE = 'NONE',
  FULL_TEXT = 'FULL_TEXT',
  FUZZY = 'FUZZY',
}
registerEnumType(Availability, {
  name: 'Availability',
  description: "Whether a product can be bought now (Merchant Center's availability).",
  valuesMap: {
    IN_STOCK: { description: 'In stock: ships now.' },
    OUT_OF_STOCK: { description: 'Not available and not taking orders.' },
    PREORDER: { description: 'Not released yet; orders are taken.' },
    BACKORDER: { description: 'Temporarily out of stock; orders are taken and ship when it is back.' },
  },
});
registerEnumType(Condition, {
  name: 'Condition',
  description: "The product's condition (Merchant Center's condition).",
  valuesMap: {
    NEW: { description: 'Brand new, in its original packaging.' },
    REFURBISHED: { description: 'Restored to working order, possibly with a warranty.' },
    USED: { description: 'Previously used, or its original packaging opened or missing.' },
  },
});
registerEnumType(Gender, {
  name: 'Gender',
  description: "Who the product is made for (Merchant Center's gender).",
  valuesMap: {
    MALE: { description: 'Men.' },
    FEMALE: { description: 'Women.' },
    UNISEX: { description: 'Anyone.' },
  },
});
registerEnumType(AgeGroup, {
  name: 'AgeGroup',
  description: "The age the product is made for (Merchant Center's age_group).",
  valuesMap: {
    NEWBORN: { description: 'Up to 3 months old.' },
    INFANT: { description: '3 to 12 months old.' },
    TODDLER: { description: '1 to 5 years old.' },
    KIDS: { description: '5 to 13 years old.' },
    ADULT: { description: 'Teenagers and adults.' },
  },
});
registerEnumType(RenditionFormat, {
  name: 'RenditionFormat',
  description: 'The file format of an image rendition (values in lower case, as file types are written).',
  valuesMap: {
    webp: { description: 'WebP: every size, for browsers.' },
    jpeg: { description: 'JPEG: one rendition, for clients that cannot show WebP.' },
  },
});
registerEnumType(ProductSort, {
  name: 'ProductSort',
  description:
    'Order of search results: RELEVANCE by default with a query, NEWEST without one. Prices sort by effective price ' +
    '(the sale price when on sale), grouped by currency, as amounts in different currencies are not comparable.',
  valuesMap: {
    RELEVANCE: { description: 'Best matches of the query first; without a query it is NEWEST.' },
    PRICE_ASC: { description: 'Cheapest first within each currency.' },
    PRICE_DESC: { description: 'Dearest first within each currency.' },
    NEWEST: { description: 'Most recently published first.' },
  },
});
registerEnumType(ImageRole, {
  name: 'ImageRole',
  description: "Which of the feed's image attributes an image comes from.",
  valuesMap: {
    MAIN: { description: 'The image_link: the picture that represents the product.' },
    ADDITIONAL: { description: 'One of up to ten additional_image_link pictures.' },
  },
});
registerEnumType(SearchMatchMode, {
  name: 'SearchMatchMode',
  description: 'How a search matched products to its query.',
  valuesMap: {
    NONE: { description: 'No query: the filters alone chose the products.' },
    FULL_TEXT: { description: 'Full-text search, in the language of each product.' },
    FUZZY: {
      description: 'Full-text found (almost) nothing, so words were also matched by similarity to titles (typos).',
    },
  },
});

@ObjectType({
  description:
    'An amount of money: the one shape of money in the API. Inputs take the same decimal string with a currency.',
})
export class Money {
  @Field({
    description:
      'Decimal string in major units, exact, with as many decimals as the currency has minor digits: ' +
      '"19.99" USD, "1500" JPY, "1.250" KWD.',
  })
  amount: string;
  @Field({ description: 'ISO 4217 code.' }) currency: string;
  @Field({ description: 'For display, e.g. "$19.99".' }) formatted: string;
}

@InputType({ description: 'An amount of money: a decimal string in major units and its currency, as Money gives.' })
export class MoneyInput {
  @Field({ description: 'Decimal string in major units with at most the currency’s decimals, e.g. "0.45".' })
  amount: string;
  @Field({
    description:
      'ISO 4217 code. Campaigns take ADS_CURRENCY (USD by default); order and refund lines their order’s currency.',
  })
  currency: string;
}

@ObjectType({ description: 'Google product taxonomy category.' })
export class ProductCategory {
  @Field(() => Int, { nullable: true, description: 'Google taxonomy id, e.g. 212; null when the path is not in it.' })
  id: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Full path, e.g. "Apparel & Accessories > Clothing > Shirts & Tops".',
  })
  path: string | null;
}

@ObjectType({ description: 'One stored size and format of a processed image.' })
export class ImageRendition {
  @Field(() => Int, { description: 'Long-side bound of this rendition in pixels.' }) size: number;
  @Field(() => Int, { description: 'Width in pixels.' }) width: number;
  @Field(() => Int, { description: 'Height in pixels.' }) height: number;
  @Field(() => RenditionFormat, { description: 'webp or jpeg.' }) format: RenditionFormat;
  @Field({ description: 'Public URL of the file (immutable: cache it as long as you like).' }) url: string;
}

@ObjectType({ description: 'A product image: renditions once processed, the source URL until then.' })
export class ProductImage {
  @Field({ description: 'The largest rendition, or the source URL while the image is not processed yet.' })
  url: string;
  @Field({ description: 'The URL the feed gave.' }) sourceUrl: string;
  @Field(() => ImageRole, { description: 'Main image or an additional one.' }) role: ImageRole;
  @Field(() => Int, { nullable: true, description: 'Width of the source image in pixels; null until processed.' })
  width: number | null;
  @Field(() => Int, { nullable: true, description: 'Height of the source image in pixels; null until processed.' })
  height: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'ThumbHash (base64) to draw while the image loads; null until processed.',
  })
  placeholder: string | null;
  @Field(() => String, { nullable: true, description: 'Dominant colour as hex, e.g. "#aa3322"; null until processed.' })
  dominantColor: string | null;
  @Field(() => [ImageRendition], {
    description:
      'WebP renditions smallest first, then a JPEG the size of the largest (for consumers that take no WebP).',
    complexity: cost.list(MAX_RENDITIONS),
  })
  renditions: ImageRendition[];
}

@ObjectType({
  description:
    "A shipping option of the product, from its feed's `shipping` attribute (Merchant Center's sub-attributes).",
})
export class ShippingOption {
  @Field({ description: 'ISO 3166-1 alpha-2 code of the country shipped to, e.g. "US".' }) country: string;
  @Field(() => String, {
    nullable: true,
    description: 'Region, state or postal area within it, e.g. "CA"; null for the whole country.',
  })
  region: string | null;
  @Field(() => String, { nullable: true, description: 'Postal code or range (XML `postal_code`); null if none.' })
  postalCode: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Merchant Center location id (XML `location_id`); null if none.',
  })
  locationId: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Merchant Center location group (XML `location_group_name`); null if none.',
  })
  locationGroupName: string | null;
  @Field(() => String, { nullable: true, description: 'Service or speed class, e.g. "Overnight"; null if none.' })
  service: string | null;
  @Field(() => Money, { description: 'What shipping costs; 0 is free shipping.' }) price: Money;
  @Field(() => Int, { nullable: true, description: 'Fewest business days before the order ships; null if not given.' })
  minHandlingTime: number | null;
  @Field(() => Int, { nullable: true, description: 'Most business days before the order ships; null if not given.' })
  maxHandlingTime: number | null;
  @Field(() => Int, { nullable: true, description: 'Fewest business days in transit; null if not given.' })
  minTransitTime: number | null;
  @Field(() => Int, { nullable: true, description: 'Most business days in transit; null if not given.' })
  maxTransitTime: number | null;
}

@ObjectType({ description: "A tax rule of the product, from its feed's `tax` attribute." })
export class TaxRule {
  @Field({ description: 'ISO 3166-1 alpha-2 code of the country, e.g. "US".' }) country: string;
  @Field(() => String, { nullable: true, description: 'Region or state, e.g. "CA"; null for the whole country.' })
  region: string | null;
  @Field(() => String, { nullable: true, description: 'Postal code or range (XML `postal_code`); null if none.' })
  postalCode: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Merchant Center location id (XML `location_id`); null if none.',
  })
  locationId: string | null;
  @Field(() => Float, { description: 'Tax rate in percent of the price, e.g. 8.25.' }) rate: number;
  @Field({ description: 'Whether shipping is taxed too (`tax_ship`).' }) taxShip: boolean;
}

@ObjectType({ description: 'A live product of the public catalog.', implements: () => [Node] })
export class Product {
  @GlobalIdField('Product', {
    description: 'Global id of the product: kept across updates, and when it is removed and comes back.',
  })
  id: string;
  @Field({ description: "The brand's own id for the item (feed `id`)." }) offerId: string;
  @Field({ description: "The product's name." }) title: string;
  @Field({ description: 'Plain text (HTML stripped); empty when the feed gives none.' }) description: string;
  @Field(() => Brand, { description: 'The brand that publishes it.' }) brand: Brand;
  @Field(() => String, { nullable: true, description: 'The `brand` attribute of the item (its maker).' })
  brandName: string | null;
  @Field(() => String, { nullable: true, description: "The product page on the brand's store; null if it has none." })
  link: string | null;
  @Field(() => Money, { nullable: true, description: 'Regular price; null when the item has none.' })
  price: Money | null;
  @Field(() => Money, { nullable: true, description: 'Set while the product is on sale.' }) salePrice: Money | null;
  @Field({ description: 'Whether the sale price is below the regular price.' }) onSale: boolean;
  @Field(() => Availability, { nullable: true, description: 'Stock status; null when the feed gives none.' })
  availability: Availability | null;
  @Field(() => Condition, { nullable: true, description: 'New, refurbished or used; null when the feed gives none.' })
  condition: Condition | null;
  @Field(() => String, {
    nullable: true,
    description: 'GTIN (EAN, UPC, ISBN) as digits; null when the feed gives none or it is not valid.',
  })
  gtin: string | null;
  @Field(() => String, { nullable: true, description: 'Manufacturer part number; null if none.' })
  mpn: string | null;
  @Field(() => ProductCategory, { nullable: true, description: 'Google product category; null when none is known.' })
  category: ProductCategory | null;
  @Field(() => String, {
    nullable: true,
    description: 'The brand\'s own category (product_type), e.g. "Shoes > Trail"; null if none.',
  })
  productType: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Groups the variants of one product (item_group_id); null for a product without variants.',
  })
  itemGroupId: string | null;
  @Field(() => String, { nullable: true, description: 'Colour as the feed writes it; null if none.' })
  color: string | null;
  @Field(() => String, { nullable: true, description: 'Size as the feed writes it; null if none.' })
  size: string | null;
  @Field(() => Gender, { nullable: true, description: 'Who it is made for; null if the feed does not say.' })
  gender: Gender | null;
  @Field(() => AgeGroup, { nullable: true, description: 'Age it is made for; null if the feed does not say.' })
  ageGroup: AgeGroup | null;
  @Field(() => String, { nullable: true, description: 'Material as the feed writes it (`material`); null if none.' })
  material: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Pattern or print as the feed writes it (`pattern`); null if none.',
  })
  pattern: string | null;
  @Field(() => [ShippingOption], {
    description:
      "Shipping options the feed gives for the product (`shipping`), in feed order, at most 20; empty when it gives none (the brand's Merchant Center account settings apply then). Entries the validator could not read, and any past the 20th, are left out (INVALID_SHIPPING).",
    complexity: cost.list(MAX_SHIPPING_ENTRIES),
  })
  shipping: ShippingOption[];
  @Field(() => [TaxRule], {
    description:
      'Tax rules the feed gives for the product (`tax`), in feed order, at most 20; empty when it gives none. Entries the validator could not read, and any past the 20th, are left out (INVALID_TAX).',
    complexity: cost.list(MAX_TAX_ENTRIES),
  })
  tax: TaxRule[];
  /** Read with the product row: the main image and at most MAX_ADDITIONAL_IMAGES more. */
  @Field(() => [ProductImage], {
    description:
      "Main image first, then up to 10 additional ones: processed images, or the feed's URLs while images are not processed.",
    complexity: cost.list(1 + MAX_ADDITIONAL_IMAGES),
  })
  images: ProductImage[];
  @Field(() => String, { nullable: true, description: 'Source URL of the main image.' }) imageLink: string | null;
  @Field({
    description: 'When the product went live: its first publish (or its return after removal); updates keep it.',
  })
  publishedAt: Date;
}

@ObjectType({ description: 'A sponsored result: the campaign that won the slot and the URL a click must go through.' })
export class SponsoredPlacement {
  @Field(() => ID, { description: 'Campaign.id of the campaign that won the slot.' }) campaignId: string;
  @Field({
    description:
      'Open this (GET) for a click on the result: it counts and charges the click, then redirects to the product.',
  })
  clickUrl: string;
}

@ObjectType({ description: 'A product with its cursor.' })
export class ProductEdge {
  @Field(() => Product, { description: 'The product.' }) node: Product;
  @Field({
    description:
      'Opaque keyset cursor: pass it as `after` to continue after this product; stays valid across publishes. ' +
      "A sponsored edge carries the page's endCursor (the organic list continues after the page).",
  })
  cursor: string;
  @Field(() => SponsoredPlacement, {
    nullable: true,
    description:
      'Set on the sponsored results (at most 2, first on the first page of a search with a query or a category ' +
      'filter); null on organic results. A product shown as sponsored is not repeated in the organic results of ' +
      'that page.',
  })
  sponsored?: SponsoredPlacement | null;
}

@ObjectType({ description: 'Matches of one brand.' })
export class BrandFacet {
  @GlobalIdField('Brand', { description: 'Brand id (Brand.id), for filter.brandIds.' }) id: string;
  @Field({ description: "The brand's name." }) name: string;
  @Field(() => Int, { description: 'Matching products of the brand.' }) count: number;
}

@ObjectType({ description: 'Matches in one category.' })
export class CategoryFacet {
  @Field({ description: 'Top-level path, or the level below filter.category; pass it back as filter.category.' })
  path: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Google taxonomy id of the path; null when the path is not in the taxonomy.',
  })
  id: number | null;
  @Field(() => Int, { description: 'Matching products in it or below.' }) count: number;
}

@ObjectType({ description: 'Matches with one availability.' })
export class AvailabilityFacet {
  @Field(() => Availability, { description: 'The availability, for filter.availability.' }) value: Availability;
  @Field(() => Int, { description: 'Matching products with it.' }) count: number;
}

@ObjectType({ description: 'Matches with one value of a text attribute (colour, size).' })
export class FacetValue {
  @Field({ description: 'The value as the catalog writes it; filters match it regardless of case.' }) value: string;
  @Field(() => Int, { description: 'Matching products with it, any case.' }) count: number;
}

@ObjectType({ description: 'A fixed price range of one currency; min and max are inclusive, for filter.price.' })
export class PriceBucket {
  @Field({ description: 'ISO 4217 code, for filter.price.currency.' }) currency: string;
  @Field({ description: 'Lower bound, a decimal amount in major units ("50.00"), for filter.price.min.' })
  min: string;
  @Field(() => String, {
    nullable: true,
    description: 'Upper bound, a decimal amount in major units ("99.99"); null for the open-ended top range.',
  })
  max: string | null;
  @Field(() => Int, { description: 'Matching products priced in the range (effective price).' }) count: number;
}

@ObjectType({ description: 'Counts of the matches of the current query and filter, by value.' })
export class ProductFacets {
  @Field(() => [BrandFacet], { description: 'Up to 50 brands, most matches first.' }) brand: BrandFacet[];
  @Field(() => [CategoryFacet], {
    description: 'Up to 50 categories one level below filter.category (top level without one), most matches first.',
  })
  category: CategoryFacet[];
  @Field(() => [AvailabilityFacet], { description: 'Each availability present, most matches first.' })
  availability: AvailabilityFacet[];
  @Field(() => [FacetValue], { description: 'Up to 30 colours, most matches first.' }) color: FacetValue[];
  @Field(() => [FacetValue], { description: 'Up to 30 sizes, most matches first.' }) size: FacetValue[];
  @Field(() => [PriceBucket], { description: 'Fixed price ranges with matches, by currency then price.' })
  price: PriceBucket[];
  @Field({
    description: 'False when the matches were too many to count one by one: counts are scaled from a random sample.',
  })
  exact: boolean;
}

@ObjectType({ description: 'A page of search results, with counts and facets over all matches.' })
export class ProductConnection {
  @Field(() => [ProductEdge], {
    description: 'The products of this page with their cursors: sponsored results (marked `sponsored`) first.',
    complexity: cost.row(),
  })
  edges: ProductEdge[];
  @Field(() => [Product], {
    description:
      'The products of this page, without cursors, in the order of edges (read edges for the sponsored mark).',
    complexity: cost.row(),
  })
  nodes: Product[];
  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' }) pageInfo: PageInfo;
  @Field(() => Int, {
    description: 'Matches of the query and filter: exact up to 2,000, estimated from a random sample beyond.',
    complexity: cost.aggregate(AGGREGATE),
  })
  totalCount: number;
  @Field({ description: 'Whether totalCount is an exact count.', complexity: cost.aggregate(AGGREGATE) })
  totalCountExact: boolean;
  /** One grouped count over the matches (shared with totalCount), whatever facets are selected. */
  @Field(() => ProductFacets, {
    description: 'Counts of all matches by brand, category, availability, colour, size and price range.',
    complexity: cost.aggregate(AGGREGATE),
  })
  facets: ProductFacets;
  @Field(() => SearchMatchMode, { description: 'How the query was matched: not at all, full-text or with typos.' })
  matchMode: SearchMatchMode;
}

@InputType('PriceFilter', { description: 'A price range, on the effective price (the sale price when on sale).' })
export class PriceFilterInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Inclusive, a decimal string in major units ("19.99") with at most as many decimals as the currency has; ' +
      'BAD_USER_INPUT otherwise.',
  })
  min?: string | null;
  @Field(() => String, { nullable: true, description: 'Inclusive, a decimal string in major units, as min.' })
  max?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'ISO 4217 code; without it min and max (at most 4 decimals) apply to every currency in its own units, ' +
      'each rounded towards the inside of the range for currencies with fewer decimals.',
  })
  currency?: string | null;
}

@InputType('ProductFilter', { description: 'Filters combine with AND; a list matches any of its values.' })
export class ProductFilterInput {
  @Field(() => [ID], { nullable: true, description: 'Products of these brands (Brand.id, global ids).' })
  brandIds?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Google taxonomy id ("1604") or path prefix ("Apparel & Accessories > Clothing"); subcategories included.',
  })
  category?: string | null;
  @Field(() => PriceFilterInput, { nullable: true, description: 'Effective price (the sale price when on sale).' })
  price?: PriceFilterInput | null;
  @Field(() => [Availability], { nullable: true, description: 'Products with one of these availabilities.' })
  availability?: Availability[] | null;
  @Field(() => [Condition], { nullable: true, description: 'Products in one of these conditions.' })
  condition?: Condition[] | null;
  @Field(() => [String], { nullable: true, description: 'Case-insensitive; one value or several.' })
  color?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Case-insensitive; one value or several.' })
  size?: string[] | null;
  @Field(() => [Gender], { nullable: true, description: 'Products made for one of these genders.' })
  gender?: Gender[] | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only products on sale; false: only those not on sale.' })
  onSale?: boolean | null;
}

export const ProductVariantConnection = connectionType(Product, 'ProductVariant', {
  one: 'A variant',
  many: 'variants',
  description: 'A page of the live products of one brand and item group (sizes, colours).',
});
export type ProductVariantConnection = InstanceType<typeof ProductVariantConnection>;
