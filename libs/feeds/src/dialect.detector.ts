import type { CsvDialectDefinition } from './csv.dialect.js';
import type { CsvDialect } from './feed.types.js';
import { GENERIC_CSV_DIALECT, metaCsvDialect } from './generic-csv.dialect.js';
import { SHOPIFY_CSV_DIALECT } from './shopify-csv.dialect.js';
import { VENDURE_CSV_DIALECT } from './vendure-csv.dialect.js';
import { WIX_CSV_DIALECT } from './wix-csv.dialect.js';
import { WOOCOMMERCE_CSV_DIALECT } from './woocommerce-csv.dialect.js';

/** Which shop export a CSV is, from its header row alone. */
export function detectDialect(headers: readonly string[]): CsvDialect {
  const keys = new Set(
    headers.map((header) =>
      header
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase(),
    ),
  );
  const has = (...names: string[]) => names.every((name) => keys.has(name));
  const any = (...names: string[]) => names.some((name) => keys.has(name));
  if (has('handle', 'title') && any('variant price', 'variant sku', 'body (html)', 'option1 value')) return 'SHOPIFY';
  if (has('handleid', 'fieldtype')) return 'WIX';
  if (has('type', 'sku', 'name') && any('regular price', 'in stock?', 'parent', 'visibility in catalog'))
    return 'WOOCOMMERCE';
  if (has('name', 'slug', 'sku') && any('optiongroups', 'optionvalues', 'stockonhand', 'variantassets', 'facets')) {
    return 'VENDURE';
  }
  if (
    [...keys].some((key) => /^image\[\d+\]\.url$/.test(key)) ||
    any('additional_variant_attribute', 'fb_product_category', 'ios_url', 'android_package', 'rich_text_description')
  ) {
    return 'META';
  }
  return 'GENERIC';
}

export function csvDialectDefinition(dialect: CsvDialect, headers: readonly string[]): CsvDialectDefinition {
  switch (dialect) {
    case 'SHOPIFY':
      return SHOPIFY_CSV_DIALECT;
    case 'WIX':
      return WIX_CSV_DIALECT;
    case 'WOOCOMMERCE':
      return WOOCOMMERCE_CSV_DIALECT;
    case 'VENDURE':
      return VENDURE_CSV_DIALECT;
    case 'META':
      return metaCsvDialect(headers);
    case 'GENERIC':
      return GENERIC_CSV_DIALECT;
  }
}
