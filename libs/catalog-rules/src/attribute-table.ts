import {
  normalizeAgeGroup,
  normalizeAvailability,
  normalizeCondition,
  normalizeGender,
  normalizeYesNo,
} from './enum.normalizer.js';
import type { IssueSeverity } from './issue.js';
import type { RuleCode } from './code.catalog.js';
import type { NormalizedProduct } from './normalized-product.model.js';

/**
 * The one attribute table. Reading (header → attribute), validating, normalizing and exporting
 * are all driven from here, so a new attribute is one entry. A `group` value has named parts (shipping, tax):
 * `part:part:…` in text feeds, child elements in XML, which the XML reader keeps together (encodeAttributeGroup).
 */
export type AttributeKind =
  'text' | 'id' | 'url' | 'url-list' | 'price' | 'enum' | 'gtin' | 'category' | 'integer' | 'date' | 'group';

export interface AttributeSpec {
  /** Canonical Merchant Center name, e.g. `image_link`. */
  name: string;
  kind: AttributeKind;
  /** Other header spellings seen in real exports (matched after `normalizeHeaderKey`). */
  aliases?: readonly string[];
  /** Required on every item of a REPLACE feed. */
  required?: boolean;
  maxLength?: number;
  /** The attribute may repeat (several columns or elements); values are collected into a list. */
  repeated?: boolean;
  /** The NormalizedProduct property the value lands in; without one it is kept in `customAttributes` under `name`. */
  field?: keyof NormalizedProduct;
  /**
   * What a value longer than `maxLength` (or, for URLs, an unusable one) costs: `reject` the item (ERROR), `truncate`
   * it at a word boundary (WARNING), or `drop` the value and keep the item (WARNING).
   */
  overflow?: 'reject' | 'truncate' | 'drop';
  /** `enum` attributes: the raw value, synonyms included, to its canonical value; null when unrecognized. */
  normalize?: (raw: string) => string | boolean | null;
  /** `enum` attributes: the issue raised for an unrecognized value (then the value is ignored). */
  invalid?: { code: RuleCode; severity: IssueSeverity };
  /** The value may be HTML, reduced to plain text. */
  html?: boolean;
}

// One line per attribute, so that a new attribute stays one line.
// prettier-ignore
export const ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'id', kind: 'id', required: true, maxLength: 50, overflow: 'reject', field: 'offerId', aliases: ['offer_id', 'sku', 'product_id', 'item_id', 'retailer_id'] },
  { name: 'title', kind: 'text', required: true, maxLength: 150, overflow: 'truncate', field: 'title', aliases: ['name', 'product_name', 'product_title'] },
  { name: 'description', kind: 'text', required: true, maxLength: 5000, overflow: 'truncate', html: true, field: 'description', aliases: ['body', 'body_html', 'product_description', 'long_description'] },
  { name: 'link', kind: 'url', required: true, maxLength: 2000, overflow: 'reject', field: 'link', aliases: ['url', 'product_url', 'product_link', 'landing_page'] },
  { name: 'mobile_link', kind: 'url', maxLength: 2000, overflow: 'drop', field: 'mobileLink' },
  { name: 'image_link', kind: 'url', required: true, maxLength: 2000, overflow: 'reject', field: 'imageLink', aliases: ['image', 'image_url', 'main_image', 'main_image_url', 'imageurl', 'picture', 'image_src'] },
  { name: 'additional_image_link', kind: 'url-list', maxLength: 2000, overflow: 'drop', repeated: true, field: 'additionalImageLinks', aliases: ['additional_image_links', 'additional_images', 'additional_image_url', 'images'] },
  { name: 'availability', kind: 'enum', required: true, field: 'availability', normalize: normalizeAvailability, invalid: { code: 'INVALID_AVAILABILITY', severity: 'ERROR' }, aliases: ['stock_status', 'stock', 'in_stock'] },
  { name: 'availability_date', kind: 'date', field: 'availabilityDate' },
  { name: 'price', kind: 'price', required: true, field: 'priceMinor', aliases: ['regular_price', 'list_price', 'original_price'] },
  { name: 'sale_price', kind: 'price', field: 'salePriceMinor', aliases: ['discount_price', 'special_price'] },
  { name: 'sale_price_effective_date', kind: 'text' },
  { name: 'brand', kind: 'text', maxLength: 70, overflow: 'truncate', field: 'brand', aliases: ['manufacturer', 'vendor', 'brand_name'] },
  { name: 'gtin', kind: 'gtin', field: 'gtin', aliases: ['ean', 'upc', 'barcode', 'isbn', 'jan', 'gtin13', 'gtin12', 'gtin8', 'gtin14', 'ean13', 'variant_barcode'] },
  { name: 'mpn', kind: 'text', maxLength: 70, overflow: 'drop', field: 'mpn', aliases: ['manufacturer_part_number', 'part_number'] },
  { name: 'identifier_exists', kind: 'enum', field: 'identifierExists', normalize: normalizeYesNo, invalid: { code: 'INVALID_IDENTIFIER_EXISTS', severity: 'WARNING' } },
  { name: 'condition', kind: 'enum', field: 'condition', normalize: normalizeCondition, invalid: { code: 'INVALID_CONDITION', severity: 'WARNING' }, aliases: ['item_condition', 'product_condition'] },
  { name: 'google_product_category', kind: 'category', field: 'googleProductCategoryId', aliases: ['google_category', 'google_product_category_id', 'fb_product_category', 'product_category_id'] },
  { name: 'product_type', kind: 'text', maxLength: 750, overflow: 'truncate', field: 'productType', aliases: ['category', 'categories', 'product_category', 'type'] },
  { name: 'item_group_id', kind: 'id', maxLength: 50, overflow: 'drop', field: 'itemGroupId', aliases: ['group_id', 'parent_id', 'parent_sku', 'parent'] },
  { name: 'color', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'color', aliases: ['colour', 'farbe'] },
  { name: 'size', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'size' },
  { name: 'gender', kind: 'enum', field: 'gender', normalize: normalizeGender, invalid: { code: 'INVALID_GENDER', severity: 'WARNING' }, aliases: ['sex'] },
  { name: 'age_group', kind: 'enum', field: 'ageGroup', normalize: normalizeAgeGroup, invalid: { code: 'INVALID_AGE_GROUP', severity: 'WARNING' }, aliases: ['agegroup'] },
  { name: 'material', kind: 'text', maxLength: 200, overflow: 'truncate', field: 'material' },
  { name: 'pattern', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'pattern' },
  { name: 'shipping_weight', kind: 'text', aliases: ['weight'] },
  { name: 'shipping', kind: 'group', repeated: true, field: 'shipping' },
  { name: 'tax', kind: 'group', repeated: true, field: 'tax' },
  { name: 'quantity', kind: 'integer', field: 'quantity', aliases: ['inventory', 'stock_quantity', 'inventory_quantity', 'qty', 'variant_inventory_qty'] },
  { name: 'custom_label_0', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'customLabels' },
  { name: 'custom_label_1', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'customLabels' },
  { name: 'custom_label_2', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'customLabels' },
  { name: 'custom_label_3', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'customLabels' },
  { name: 'custom_label_4', kind: 'text', maxLength: 100, overflow: 'truncate', field: 'customLabels' },
];

/** Prefix for columns that match no attribute: kept, never dropped. */
export const CUSTOM_PREFIX = 'custom:';

/** `G:Image Link`, `image-link`, `IMAGE_LINK` and `imageLink` all become `imagelink`. */
export function normalizeHeaderKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^g:/i, '')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');
}

const byKey = new Map<string, AttributeSpec>();
for (const spec of ATTRIBUTES) {
  byKey.set(normalizeHeaderKey(spec.name), spec);
}
for (const spec of ATTRIBUTES) {
  for (const alias of spec.aliases ?? []) {
    const key = normalizeHeaderKey(alias);
    if (!byKey.has(key)) byKey.set(key, spec);
  }
}

export const ATTRIBUTE_BY_NAME: ReadonlyMap<string, AttributeSpec> = new Map(ATTRIBUTES.map((a) => [a.name, a]));

/** The canonical attribute a header names, or null when it names none (then keep it as `custom:<header>`). */
export function resolveHeader(header: string): AttributeSpec | null {
  return byKey.get(normalizeHeaderKey(header)) ?? null;
}
