import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MAX_ADDITIONAL_IMAGES } from '@brandshelf/catalog-rules';
import { Brand } from '../accounts/accounts.types.js';
import { AGGREGATE, cost } from '../graphql/query-limits.js';
import { PageInfo } from '../ingestion/ingestion.types.js';

/** Renditions of one image at most: four WebP sizes, the source's own size when smaller, and the JPEG. */
const MAX_RENDITIONS = 6;

export enum Availability {
  IN_STOCK = 'IN_STOCK',
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  PREORDER = 'PREORDER',
  BACKORDER = 'BACKORDER',
}
export enum Condition {
  NEW = 'NEW',
  REFURBISHED = 'REFURBISHED',
  USED = 'USED',
}
export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
  UNISEX = 'UNISEX',
}
export enum AgeGroup {
  NEWBORN = 'NEWBORN',
  INFANT = 'INFANT',
  TODDLER = 'TODDLER',
  KIDS = 'KIDS',
  ADULT = 'ADULT',
}
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
registerEnumType(Availability, { name: 'Availability' });
registerEnumType(Condition, { name: 'Condition' });
registerEnumType(Gender, { name: 'Gender' });
registerEnumType(AgeGroup, { name: 'AgeGroup' });
registerEnumType(ProductSort, {
  name: 'ProductSort',
  description:
    'RELEVANCE (the default with a query; NEWEST without one), PRICE_ASC / PRICE_DESC (by effective price, sale ' +
    'price when on sale; grouped by currency, as amounts in different currencies are not comparable), NEWEST.',
});
registerEnumType(ImageRole, { name: 'ImageRole' });
registerEnumType(SearchMatchMode, {
  name: 'SearchMatchMode',
  description:
    'NONE: no query. FULL_TEXT: full-text search, in the language of each product. FUZZY: full-text found (almost) nothing, so words were ' +
    'also matched by similarity to titles (typos).',
});

@ObjectType({ description: 'An amount of money.' })
export class Money {
  @Field({ description: 'Decimal amount in major units, e.g. "19.99".' }) amount: string;
  @Field(() => Float, { description: 'Integer amount in minor units (cents), e.g. 1999.' }) amountMinor: number;
  @Field({ description: 'ISO 4217 code.' }) currency: string;
  @Field({ description: 'For display, e.g. "$19.99".' }) formatted: string;
}

@ObjectType({ description: 'Google product taxonomy category.' })
export class ProductCategory {
  @Field(() => Int, { nullable: true }) id: number | null;
  @Field(() => String, { nullable: true, description: 'e.g. "Apparel & Accessories > Clothing > Shirts & Tops".' })
  path: string | null;
}

@ObjectType()
export class ImageRendition {
  @Field(() => Int, { description: 'Long-side bound of this rendition in pixels.' }) size: number;
  @Field(() => Int) width: number;
  @Field(() => Int) height: number;
  @Field() format: string;
  @Field() url: string;
}

@ObjectType({ description: 'A product image: renditions once processed, the source URL until then.' })
export class ProductImage {
  @Field({ description: 'The largest rendition, or the source URL while the image is not processed yet.' })
  url: string;
  @Field({ description: 'The URL the feed gave.' }) sourceUrl: string;
  @Field(() => ImageRole) role: ImageRole;
  @Field(() => Int, { nullable: true }) width: number | null;
  @Field(() => Int, { nullable: true }) height: number | null;
  @Field(() => String, { nullable: true, description: 'ThumbHash (base64) to draw while the image loads.' })
  placeholder: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. "#aa3322".' }) dominantColor: string | null;
  @Field(() => [ImageRendition], {
    description:
      'WebP renditions smallest first, then a JPEG the size of the largest (for consumers that take no WebP).',
    complexity: cost.list(MAX_RENDITIONS),
  })
  renditions: ImageRendition[];
}

@ObjectType({ description: 'A live product of the public catalog.' })
export class Product {
  @Field(() => ID) id: string;
  @Field({ description: "The brand's own id for the item (feed `id`)." }) offerId: string;
  @Field() title: string;
  @Field() description: string;
  @Field(() => Brand, { description: 'The brand that publishes it.' }) brand: Brand;
  @Field(() => String, { nullable: true, description: 'The `brand` attribute of the item (its maker).' })
  brandName: string | null;
  @Field(() => String, { nullable: true }) link: string | null;
  @Field(() => Money, { nullable: true }) price: Money | null;
  @Field(() => Money, { nullable: true, description: 'Set while the product is on sale.' }) salePrice: Money | null;
  @Field() onSale: boolean;
  @Field(() => Availability, { nullable: true }) availability: Availability | null;
  @Field(() => Condition, { nullable: true }) condition: Condition | null;
  @Field(() => String, { nullable: true }) gtin: string | null;
  @Field(() => String, { nullable: true }) mpn: string | null;
  @Field(() => ProductCategory, { nullable: true }) category: ProductCategory | null;
  @Field(() => String, { nullable: true }) productType: string | null;
  @Field(() => String, { nullable: true }) itemGroupId: string | null;
  @Field(() => String, { nullable: true }) color: string | null;
  @Field(() => String, { nullable: true }) size: string | null;
  @Field(() => Gender, { nullable: true }) gender: Gender | null;
  @Field(() => AgeGroup, { nullable: true }) ageGroup: AgeGroup | null;
  /** Read with the product row: the main image and at most MAX_ADDITIONAL_IMAGES more. */
  @Field(() => [ProductImage], { complexity: cost.list(1 + MAX_ADDITIONAL_IMAGES) }) images: ProductImage[];
  @Field(() => String, { nullable: true, description: 'Source URL of the main image.' }) imageLink: string | null;
  @Field() publishedAt: Date;
}

@ObjectType()
export class ProductEdge {
  @Field(() => Product) node: Product;
  @Field() cursor: string;
}

@ObjectType()
export class BrandFacet {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Int) count: number;
}

@ObjectType()
export class CategoryFacet {
  @Field({ description: 'Top-level path, or the level below filter.category; pass it back as filter.category.' })
  path: string;
  @Field(() => Int, { nullable: true, description: 'Google taxonomy id of the path.' }) id: number | null;
  @Field(() => Int) count: number;
}

@ObjectType()
export class AvailabilityFacet {
  @Field(() => Availability) value: Availability;
  @Field(() => Int) count: number;
}

@ObjectType()
export class FacetValue {
  @Field() value: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'A fixed price range of one currency; min and max are inclusive, for filter.price.' })
export class PriceBucket {
  @Field() currency: string;
  @Field() min: string;
  @Field(() => String, { nullable: true, description: 'Null for the open-ended top range.' }) max: string | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Counts of the matches of the current query and filter, by value.' })
export class ProductFacets {
  @Field(() => [BrandFacet]) brand: BrandFacet[];
  @Field(() => [CategoryFacet]) category: CategoryFacet[];
  @Field(() => [AvailabilityFacet]) availability: AvailabilityFacet[];
  @Field(() => [FacetValue]) color: FacetValue[];
  @Field(() => [FacetValue]) size: FacetValue[];
  @Field(() => [PriceBucket]) price: PriceBucket[];
  @Field({
    description: 'False when the matches were too many to count one by one: counts are scaled from a random sample.',
  })
  exact: boolean;
}

@ObjectType()
export class ProductConnection {
  @Field(() => [ProductEdge], { complexity: cost.row() }) edges: ProductEdge[];
  @Field(() => [Product], { complexity: cost.row() }) nodes: Product[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, {
    description: 'Matches of the query and filter: exact up to 2,000, estimated from a random sample beyond.',
    complexity: cost.aggregate(AGGREGATE),
  })
  totalCount: number;
  @Field({ description: 'Whether totalCount is an exact count.', complexity: cost.aggregate(AGGREGATE) })
  totalCountExact: boolean;
  /** One grouped count over the matches (shared with totalCount), whatever facets are selected. */
  @Field(() => ProductFacets, { complexity: cost.aggregate(AGGREGATE) }) facets: ProductFacets;
  @Field(() => SearchMatchMode) matchMode: SearchMatchMode;
}

@InputType('PriceFilter')
export class PriceFilterInput {
  @Field(() => Float, { nullable: true, description: 'Inclusive, in major units (19.99).' }) min?: number | null;
  @Field(() => Float, { nullable: true, description: 'Inclusive, in major units.' }) max?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 4217 code; without it min and max apply to every currency in its own units.',
  })
  currency?: string | null;
}

@InputType('ProductFilter', { description: 'Filters combine with AND; a list matches any of its values.' })
export class ProductFilterInput {
  @Field(() => [ID], { nullable: true }) brandIds?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Google taxonomy id ("1604") or path prefix ("Apparel & Accessories > Clothing"); subcategories included.',
  })
  category?: string | null;
  @Field(() => PriceFilterInput, { nullable: true, description: 'Effective price (the sale price when on sale).' })
  price?: PriceFilterInput | null;
  @Field(() => [Availability], { nullable: true }) availability?: Availability[] | null;
  @Field(() => [Condition], { nullable: true }) condition?: Condition[] | null;
  @Field(() => [String], { nullable: true, description: 'Case-insensitive; one value or several.' })
  color?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Case-insensitive; one value or several.' })
  size?: string[] | null;
  @Field(() => [Gender], { nullable: true }) gender?: Gender[] | null;
  @Field(() => Boolean, { nullable: true }) onSale?: boolean | null;
}
