/**
 * The one attribute table. Reading (header → attribute), validating, normalizing and exporting
 * are all driven from here, so a new attribute is one entry.
 */
export type AttributeKind =
  | 'text'
  | 'id'
  | 'url'
  | 'url-list'
  | 'price'
  | 'enum'
  | 'gtin'
  | 'category'
  | 'integer'
  | 'date';

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
}

export const ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'id', kind: 'id', required: true, maxLength: 50, aliases: ['offer_id', 'sku', 'product_id', 'item_id', 'retailer_id'] },
  { name: 'title', kind: 'text', required: true, maxLength: 150, aliases: ['name', 'product_name', 'product_title'] },
  { name: 'description', kind: 'text', required: true, maxLength: 5000, aliases: ['body', 'body_html', 'product_description', 'long_description'] },
  { name: 'link', kind: 'url', required: true, maxLength: 2000, aliases: ['url', 'product_url', 'product_link', 'landing_page'] },
  { name: 'mobile_link', kind: 'url', maxLength: 2000 },
  { name: 'image_link', kind: 'url', required: true, maxLength: 2000, aliases: ['image', 'image_url', 'main_image', 'main_image_url', 'imageurl', 'picture'] },
  { name: 'additional_image_link', kind: 'url-list', maxLength: 2000, repeated: true, aliases: ['additional_image_links', 'additional_images', 'additional_image_url', 'images'] },
  { name: 'availability', kind: 'enum', required: true, aliases: ['stock_status', 'stock', 'in_stock'] },
  { name: 'availability_date', kind: 'date' },
  { name: 'price', kind: 'price', required: true, aliases: ['regular_price', 'list_price', 'original_price'] },
  { name: 'sale_price', kind: 'price', aliases: ['discount_price', 'special_price'] },
  { name: 'sale_price_effective_date', kind: 'text' },
  { name: 'brand', kind: 'text', maxLength: 70, aliases: ['manufacturer', 'vendor', 'brand_name'] },
  { name: 'gtin', kind: 'gtin', aliases: ['ean', 'upc', 'barcode', 'isbn', 'jan', 'gtin13', 'gtin12', 'gtin8', 'gtin14', 'ean13'] },
  { name: 'mpn', kind: 'text', maxLength: 70, aliases: ['manufacturer_part_number', 'part_number'] },
  { name: 'identifier_exists', kind: 'enum' },
  { name: 'condition', kind: 'enum', aliases: ['item_condition', 'product_condition'] },
  { name: 'google_product_category', kind: 'category', aliases: ['google_category', 'google_product_category_id', 'fb_product_category', 'product_category_id'] },
  { name: 'product_type', kind: 'text', maxLength: 750, aliases: ['category', 'categories', 'product_category', 'type'] },
  { name: 'item_group_id', kind: 'id', maxLength: 50, aliases: ['group_id', 'parent_id', 'parent_sku', 'parent'] },
  { name: 'color', kind: 'text', maxLength: 100, aliases: ['colour', 'farbe'] },
  { name: 'size', kind: 'text', maxLength: 100 },
  { name: 'gender', kind: 'enum', aliases: ['sex'] },
  { name: 'age_group', kind: 'enum', aliases: ['agegroup'] },
  { name: 'material', kind: 'text', maxLength: 200 },
  { name: 'pattern', kind: 'text', maxLength: 100 },
  { name: 'shipping_weight', kind: 'text', aliases: ['weight'] },
  { name: 'quantity', kind: 'integer', aliases: ['inventory', 'stock_quantity', 'inventory_quantity', 'qty'] },
  { name: 'custom_label_0', kind: 'text', maxLength: 100 },
  { name: 'custom_label_1', kind: 'text', maxLength: 100 },
  { name: 'custom_label_2', kind: 'text', maxLength: 100 },
  { name: 'custom_label_3', kind: 'text', maxLength: 100 },
  { name: 'custom_label_4', kind: 'text', maxLength: 100 },
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
