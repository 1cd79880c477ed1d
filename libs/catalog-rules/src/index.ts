export * from './attribute-table.js';
export * from './issue.js';
export * from './code.catalog.js';
export * from './normalized-product.model.js';
export * from './item.validator.js';
export { contentHash, canonicalJson, compactProductJson, hashCanonicalJson } from './product.hash.js';
export { parsePrice, formatPrice, type ParsedPrice } from './price.parser.js';
export {
  CURRENCIES,
  CURRENCY_SYMBOLS,
  currencyExponent,
  type CurrencyInfo,
  type CurrencySymbol,
} from './currency.table.js';
export { validateGtin, checkDigit, expandUpcE, type GtinCheck } from './gtin.rule.js';
export * from './enum.normalizer.js';
export { stripHtml } from './html.stripper.js';
export { decodeHtmlEntities } from './html-entity.decoder.js';
export { cleanText, collapseWhitespace, truncateAtWord, isAllCaps, type CleanedText } from './text.normalizer.js';
export { checkUrl, MAX_URL_LENGTH, type UrlCheck } from './url.rule.js';
export {
  encodeAttributeGroup,
  encodeHeaderGroups,
  MAX_SHIPPING_ENTRIES,
  MAX_TAX_ENTRIES,
  parseShipping,
  parseTax,
  readGroupHeader,
  SHIPPING_PARTS,
  TAX_PARTS,
  type GroupHeader,
  type ShippingEntry,
  type TaxEntry,
} from './shipping-tax.rule.js';
export { countryCode, COUNTRY_CODES } from './country.table.js';
export {
  lookupCategory,
  suggestCategory,
  googleTaxonomy,
  parseTaxonomy,
  categoryKey,
  type CategoryMatch,
  type Taxonomy,
} from './taxonomy.lookup.js';
export {
  suggestCategoryForItem,
  warmCategorySuggester,
  tokenize as tokenizeForCategory,
  type CategorySuggestion,
  type SuggestInput,
} from './category.suggester.js';
