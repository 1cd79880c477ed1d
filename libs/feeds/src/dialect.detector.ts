import type { CsvDialectDefinition } from './csv.dialect.js';
import type { CsvDialect } from './feed.types.js';
import { GENERIC_CSV_DIALECT, metaCsvDialect } from './generic-csv.dialect.js';
import { isMedusaExport, medusaCsvDialect } from './medusa-csv.dialect.js';
import { SHOPIFY_CSV_DIALECT } from './shopify-csv.dialect.js';
import { vendureBaseKey, vendureCsvDialect } from './vendure-csv.dialect.js';
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
  // Medusa before the generic checks: its "Product Id" would otherwise become the id.
  if (isMedusaExport(keys)) return 'MEDUSA';
  // Vendure writes translatable columns per language: `name:en`, `slug:de`.
  const vendure = new Set([...keys].map(vendureBaseKey));
  const vendureHas = (...names: string[]) => names.every((name) => vendure.has(name));
  if (
    vendureHas('name', 'slug', 'sku') &&
    ['optiongroups', 'optionvalues', 'stockonhand', 'variantassets', 'facets'].some((name) => vendure.has(name))
  ) {
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

export function csvDialectDefinition(
  dialect: CsvDialect,
  headers: readonly string[],
  options: { language?: string | null; defaultCurrency?: string | null } = {},
): CsvDialectDefinition {
  switch (dialect) {
    case 'SHOPIFY':
      return SHOPIFY_CSV_DIALECT;
    case 'WIX':
      return WIX_CSV_DIALECT;
    case 'WOOCOMMERCE':
      return WOOCOMMERCE_CSV_DIALECT;
    case 'VENDURE':
      return vendureCsvDialect(headers, options.language);
    case 'MEDUSA':
      return medusaCsvDialect(options.defaultCurrency);
    case 'META':
      return metaCsvDialect(headers);
    case 'GENERIC':
      return GENERIC_CSV_DIALECT;
  }
}
