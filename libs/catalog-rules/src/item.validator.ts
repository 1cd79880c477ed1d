import { FirstRowIndex } from './first-row.index.js';
import { ATTRIBUTE_BY_NAME, ATTRIBUTES, CUSTOM_PREFIX, type AttributeSpec } from './attribute-table.js';
import { currencyExponent } from './currency.table.js';
import { validateGtin } from './gtin.rule.js';
import { htmlToText } from './html.stripper.js';
import { type IssueSeverity, type ItemIssue, truncateValue } from './issue.js';
import { finding, type RuleCode, type RuleFinding } from './code.catalog.js';
import {
  emptyProduct,
  type NormalizedProduct,
  type RawItem,
  type ValidationResult,
  type ValidatorOptions,
} from './normalized-product.model.js';
import { formatPrice, parsePrice } from './price.parser.js';
import { hasKeysInOrder } from './product.hash.js';
import { lookupCategory, suggestCategory } from './taxonomy.lookup.js';
import { suggestCategoryForItem } from './category.suggester.js';
import {
  cleanText,
  describeCodePoint,
  isAllCaps,
  removedCharacters,
  removeInvalid,
  truncateAtWord,
  type CleanedText,
  type RemovedKind,
} from './text.normalizer.js';
import { checkUrl } from './url.rule.js';
import { parseShipping, parseTax } from './shipping-tax.rule.js';
import { setOwn } from './own-property.js';

export const MAX_ADDITIONAL_IMAGES = 10;

/** Attribute name → its place in the table: presentAttributes are listed in this order. */
const ATTRIBUTE_ORDER = new Map(ATTRIBUTES.map((spec, i) => [spec.name, i]));

const VARIANT_ATTRIBUTES = ['color', 'size', 'material', 'pattern'] as const;
const WHOLE_NUMBER = /^[+-]?\d+(?:\.0+)?$/;
// Several image URLs in one cell: split where a separator is followed by another URL, so commas inside a URL
// (image CDNs use them for transformations) survive.
const URL_LIST_SEPARATOR = /\s*[,;|]\s*(?=(?:https?:)?\/\/)|\s+(?=(?:https?:)?\/\/)/i;
// Without any of these a cell holds one URL and needs no split.
const MAY_LIST_SEVERAL = /[\s,;|]/;
// What a spreadsheet writes for a long number in an identifier column: "3.65275E+11", "4,6347E+11", "7E+12". The
// explicit "+" (which spreadsheets always write) keeps SKUs such as "12E40" from looking damaged.
const SPREADSHEET_SCIENTIFIC = /^\d(?:[.,]\d+)?E\+\d{1,3}$/i;
// Merchant Center's shipping_weight: a number and one of its units ("0.5 kg", "145 g", "2 lb", "12 oz").
const SHIPPING_WEIGHT = /^\d+(?:\.\d+)?\s*(?:lb|oz|g|kg)$/i;
/** What would read as a tag: htmlToText leaves none in what it returns. */
const TAG_LIKE = /<[a-zA-Z/!?]/;

const MISSING_HINTS: Readonly<Record<string, string>> = {
  id: 'Give the item a unique id of at most 50 characters; your SKU works.',
  title: 'Add a product title of at most 150 characters.',
  description: 'Add a plain-text description of the product, at most 5,000 characters.',
  // Shop exports (Shopify, WooCommerce, Vendure, Medusa) carry no product-page URL: the feed settings build one.
  link: "Add the https:// address of the product page in a link column, or set the feed's storeUrl (e.g. https://shop.example.com) so links are built from each product's handle; set linkTemplate too (e.g. {store}/products/{handle}) when your product pages live elsewhere.",
  image_link: 'Add the https:// address of the main product image.',
  availability: 'Add availability: in_stock, out_of_stock, preorder or backorder.',
  price: 'Add the price with its currency, e.g. 19.99 USD.',
};

/** Issues and state of the one item being validated. */
class ItemRun {
  readonly issues: ItemIssue[] = [];
  itemId: string | null = null;
  hasError = false;
  /** The item repeats an earlier id: DUPLICATE_ID says all there is to say about it. */
  repeatsId = false;

  constructor(readonly row: number) {}

  add(attribute: string | null, found: RuleFinding, value: unknown, severity: IssueSeverity = found.severity): void {
    if (severity === 'ERROR') this.hasError = true;
    this.issues.push({
      severity,
      code: found.code,
      attribute,
      row: this.row,
      value: truncateValue(value),
      message: found.message,
      hint: found.hint,
      itemId: this.itemId,
    });
  }

  raise(
    attribute: string | null,
    code: RuleCode,
    value: unknown,
    message: string,
    hint?: string,
    severity?: IssueSeverity,
  ): void {
    this.add(attribute, finding(code, message, hint, severity), value);
  }
}

/**
 * Validates and normalizes the items of one feed run, in order. Stateful: it remembers ids and GTINs to report
 * duplicates, so use one instance per run (the pipeline counts the run's issues itself).
 */
export class ItemValidator {
  private readonly replace: boolean;
  private readonly defaultCurrency: string | null;
  private readonly suggestCategories: boolean;
  private readonly acceptSuggestionsAbove: number | null;
  private readonly now: number;
  /** Id → row of its first item, compact (see FirstRowIndex): the one per-item state a run keeps. */
  private readonly firstRowById = new FirstRowIndex();
  /** GTIN → row of the first item that carried it. */
  private readonly firstRowByGtin = new FirstRowIndex();

  constructor(opts: ValidatorOptions) {
    if (opts.mode !== 'REPLACE' && opts.mode !== 'UPDATE_ONLY') throw new TypeError(`Unknown feed mode "${opts.mode}"`);
    this.replace = opts.mode === 'REPLACE';
    const currency = opts.defaultCurrency?.trim().toUpperCase() || null;
    if (currency && currencyExponent(currency) === undefined) {
      throw new RangeError(`defaultCurrency "${opts.defaultCurrency}" is not a current ISO 4217 code`);
    }
    this.defaultCurrency = currency;
    const above = opts.acceptCategorySuggestionsAbove ?? null;
    if (above !== null && !(above >= 0 && above <= 1)) {
      throw new RangeError(`acceptCategorySuggestionsAbove ${above} is not between 0 and 1`);
    }
    this.acceptSuggestionsAbove = above;
    this.suggestCategories = above !== null || opts.suggestCategories === true;
    this.now = opts.now ?? Date.now();
  }

  validate(item: RawItem): ValidationResult {
    const run = new ItemRun(item.row);
    const fields = item.fields;
    const product = emptyProduct();
    const present: string[] = [];

    for (const spec of ATTRIBUTES) {
      const accepted =
        spec.kind === 'url-list'
          ? this.applyUrlList(spec, fields[spec.name], product, run)
          : spec.kind === 'group'
            ? this.applyGroup(spec, fields[spec.name], product, run)
            : this.applyOne(spec, fields, product, run);
      if (accepted) present.push(spec.name);
    }
    const saleChangeAt = present.includes('sale_price_effective_date')
      ? applySaleWindow(product, present, this.now, run)
      : null;
    collectCustomAttributes(fields, product, run);
    if (this.replace) checkCompleteness(fields, product, run);
    if (this.suggestCategories && product.googleProductCategoryId === null) {
      // An UPDATE_ONLY item without a category leaves the primary feed's alone; one with an unknown category is
      // told what it may have meant.
      const given = firstValue(fields.google_product_category);
      if ((this.replace || given !== null) && this.suggestCategory(product, given, run)) {
        present.push('google_product_category');
        present.sort((a, b) => ATTRIBUTE_ORDER.get(a)! - ATTRIBUTE_ORDER.get(b)!);
      }
    }

    product.presentAttributes = present;
    if (product.customLabels.length) product.customLabels = denseLabels(product.customLabels);
    if (!hasKeysInOrder(product.customAttributes)) product.customAttributes = sortedRecord(product.customAttributes);
    const result: ValidationResult = { product: run.hasError ? null : product, issues: run.issues };
    if (saleChangeAt !== null && result.product) result.saleChangeAt = saleChangeAt;
    return result;
  }

  /** Validates one single-valued attribute into `product`; true when the item provided a usable value. */
  private applyOne(spec: AttributeSpec, fields: RawItem['fields'], product: NormalizedProduct, run: ItemRun): boolean {
    const raw = firstValue(fields[spec.name]);
    if (raw === null) {
      if (spec.required && (this.replace || spec.name === 'id')) this.missing(spec, run, null);
      return false;
    }
    switch (spec.kind) {
      case 'id':
        return this.applyId(spec, raw, product, run);
      case 'text':
        return this.applyText(spec, raw, product, run);
      case 'url':
        return applyUrl(spec, raw, product, run);
      case 'enum':
        return applyEnum(spec, raw, product, run);
      case 'price':
        return this.applyPrice(spec, raw, product, run);
      case 'gtin':
        return this.applyGtin(spec, raw, product, run);
      case 'category':
        return applyCategory(spec, raw, product, run);
      case 'integer':
        return applyQuantity(spec, raw, product, run);
      case 'date':
        return applyDate(spec, raw, product, run);
      case 'url-list':
      case 'group':
        return false; // handled by applyUrlList and applyGroup
    }
  }

  /** Raises GOOGLE_PRODUCT_CATEGORY_SUGGESTED; true when the suggestion was applied to the product. */
  private suggestCategory(product: NormalizedProduct, given: string | null, run: ItemRun): boolean {
    const suggestion = suggestCategoryForItem(product);
    if (!suggestion) return false;
    const applied = this.acceptSuggestionsAbove !== null && suggestion.confidence > this.acceptSuggestionsAbove;
    const what =
      given === null ? 'The item has no google_product_category' : `"${given.trim()}" is not in the taxonomy`;
    const outcome = applied
      ? `applied as its google_product_category (confidence above the feed's ${this.acceptSuggestionsAbove})`
      : this.acceptSuggestionsAbove === null
        ? 'not applied'
        : `not applied (the feed accepts suggestions above ${this.acceptSuggestionsAbove})`;
    run.raise(
      'google_product_category',
      'GOOGLE_PRODUCT_CATEGORY_SUGGESTED',
      given,
      `${what}; suggested ${suggestion.id} "${suggestion.path}" with confidence ${suggestion.confidence.toFixed(2)}, ${outcome}.`,
    );
    if (!applied) return false;
    product.googleProductCategoryId = suggestion.id;
    product.googleProductCategoryPath = suggestion.path;
    return true;
  }

  private missing(spec: AttributeSpec, run: ItemRun, raw: string | null, why = 'is missing'): void {
    run.raise(spec.name, 'MISSING_REQUIRED', raw, `${spec.name} ${why}.`, MISSING_HINTS[spec.name]);
  }

  private applyId(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
    const cleaned = cleanText(raw);
    const text = cleaned.text;
    const isOfferId = spec.name === 'id';
    if (isOfferId) run.itemId = text || null;
    reportRemoved(spec, raw, cleaned, run);
    if (!text) {
      if (isOfferId) this.missing(spec, run, raw, 'has only invisible characters');
      return false;
    }
    if (text.length > spec.maxLength!) return tooLong(spec, raw, text.length, run);
    if (SPREADSHEET_SCIENTIFIC.test(text)) {
      run.raise(
        spec.name,
        'ID_SPREADSHEET_DAMAGED',
        text,
        `${spec.name} "${text}" is a number that a spreadsheet program turned into scientific notation; its digits are lost, so it may not match the item's real ${spec.name}.`,
      );
    }
    if (isOfferId) {
      const firstRow = this.firstRowById.firstOrRecord(text, run.row);
      if (firstRow !== null) {
        run.raise(
          'id',
          'DUPLICATE_ID',
          text,
          `id "${text}" was already used by the item at row ${firstRow}; this item is rejected.`,
        );
        run.repeatsId = true;
        return false;
      }
    }
    setField(product, spec, text);
    return true;
  }

  private applyText(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
    let cleaned = spec.html ? cleanText(htmlToText(raw), true, false) : cleanText(raw);
    if (spec.html && TAG_LIKE.test(cleaned.text)) {
      // A character cleanText removed sat inside a tag and hid it from the tokenizer: remove first, then read tags.
      const removal = removeInvalid(raw);
      cleaned = { ...removal, text: cleanText(htmlToText(removal.text), true, false).text };
    }
    let text = cleaned.text;
    reportRemoved(spec, raw, cleaned, run);
    if (!text) {
      if (spec.required && this.replace)
        this.missing(spec, run, raw, spec.html ? 'has no text once its HTML is removed' : 'is blank');
      return false;
    }
    if (spec.name === 'mpn' && SPREADSHEET_SCIENTIFIC.test(text)) {
      run.raise(
        spec.name,
        'MPN_SPREADSHEET_DAMAGED',
        text,
        `mpn "${text}" is a number that a spreadsheet program turned into scientific notation; its digits are lost, so mpn was ignored.`,
      );
      return false;
    }
    if (spec.name === 'shipping_weight' && !SHIPPING_WEIGHT.test(text)) {
      run.raise(
        spec.name,
        'INVALID_SHIPPING_WEIGHT',
        raw,
        `shipping_weight "${text}" is not a number followed by lb, oz, g or kg; it was ignored.`,
      );
      return false;
    }
    if (spec.maxLength !== undefined && text.length > spec.maxLength) {
      if (spec.overflow !== 'truncate') return tooLong(spec, raw, text.length, run);
      const cut = truncateAtWord(text, spec.maxLength);
      run.raise(
        spec.name,
        'VALUE_TOO_LONG',
        raw,
        `${spec.name} is ${text.length} characters long; it was truncated at a word boundary to ${cut.length} (the limit is ${spec.maxLength}).`,
        `Shorten ${spec.name} to at most ${spec.maxLength} characters so you choose where it ends.`,
        'WARNING',
      );
      text = cut;
    }
    if (spec.name === 'title' && isAllCaps(text)) {
      run.raise(spec.name, 'TITLE_ALL_CAPS', text, 'The title is written in capital letters only.');
    }
    if (spec.field === 'customLabels') {
      // custom_label_0 … custom_label_4: the position is the label's number.
      product.customLabels[Number(spec.name.slice(-1))] = text;
    } else if (spec.field) {
      setField(product, spec, text);
    } else {
      product.customAttributes[spec.name] = text;
    }
    return true;
  }

  private applyPrice(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
    const isSale = spec.name === 'sale_price';
    // A bare-number sale price is in the currency of the price beside it.
    const parsed = parsePrice(raw, (isSale ? product.currency : null) ?? this.defaultCurrency);
    if (!parsed.ok) {
      run.add(spec.name, parsed.issue, raw);
      return false;
    }
    const { minor, currency } = parsed;
    if (parsed.assumed) run.add(spec.name, parsed.assumed, raw);
    if (minor <= 0) {
      if (isSale && minor === 0) {
        run.raise(
          spec.name,
          'INVALID_PRICE',
          raw,
          'sale_price is 0; it was ignored.',
          'Leave sale_price empty when the item is not on sale.',
          'WARNING',
        );
        return false;
      }
      run.raise(
        spec.name,
        'INVALID_PRICE',
        raw,
        `${spec.name} is ${formatPrice(minor, currency)}; it must be more than 0.`,
        `Write the positive ${isSale ? 'sale ' : ''}price with its currency, e.g. 19.99 ${currency}.`,
      );
      return false;
    }
    if (!isSale) {
      product.priceMinor = minor;
      product.currency = currency;
      return true;
    }
    if (product.currency !== null && currency !== product.currency) {
      run.raise(
        spec.name,
        'CURRENCY_MISMATCH',
        raw,
        `sale_price is in ${currency} but price is in ${product.currency}.`,
      );
      return false;
    }
    if (product.priceMinor !== null && minor > product.priceMinor) {
      run.raise(
        spec.name,
        'SALE_PRICE_ABOVE_PRICE',
        raw,
        `sale_price ${formatPrice(minor, currency)} is higher than price ${formatPrice(product.priceMinor, currency)}.`,
      );
      return false;
    }
    product.salePriceMinor = minor;
    product.currency ??= currency;
    return true;
  }

  private applyGtin(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
    if (!applyGtin(spec, raw, product, run)) return false;
    const gtin = product.gtin!;
    if (run.repeatsId) return true;
    const firstRow = this.firstRowByGtin.firstOrRecord(gtin, run.row);
    if (firstRow !== null) {
      run.raise(
        spec.name,
        'DUPLICATE_GTIN',
        gtin,
        `gtin ${gtin} was already used by the item at row ${firstRow}; one GTIN cannot identify two products.`,
      );
    }
    return true;
  }

  /**
   * shipping and tax: each entry read on its own, a bad one left out with a WARNING naming it and its bad part, so
   * one typo does not cost the item its other entries. Read only when the item has the attribute.
   */
  private applyGroup(spec: AttributeSpec, value: unknown, product: NormalizedProduct, run: ItemRun): boolean {
    if (value === undefined) return false;
    const check =
      spec.name === 'tax' ? parseTax(value) : parseShipping(value, product.currency ?? this.defaultCurrency);
    for (const found of check.findings) run.add(spec.name, found.finding, found.value);
    if (check.entries.length === 0) return false;
    (product as unknown as Record<string, unknown>)[spec.field!] = check.entries;
    return true;
  }

  private applyUrlList(spec: AttributeSpec, value: unknown, product: NormalizedProduct, run: ItemRun): boolean {
    const urls = splitUrlList(value);
    if (urls.length === 0) return false;
    const kept: string[] = [];
    for (const raw of urls) {
      const check = checkUrl(raw);
      if (check.url === null) {
        const found = check.finding!;
        run.add(spec.name, { ...found, message: `${found.message} The image was left out.` }, raw, 'WARNING');
        continue;
      }
      if (check.finding) run.add(spec.name, check.finding, raw);
      // The main image or a repeat adds nothing.
      if (check.url !== product.imageLink && !kept.includes(check.url)) kept.push(check.url);
    }
    if (kept.length > MAX_ADDITIONAL_IMAGES) {
      run.raise(
        spec.name,
        'TOO_MANY_ADDITIONAL_IMAGES',
        kept.slice(MAX_ADDITIONAL_IMAGES),
        `${kept.length} additional images were given; the first ${MAX_ADDITIONAL_IMAGES} were kept.`,
      );
      kept.length = MAX_ADDITIONAL_IMAGES;
    }
    product.additionalImageLinks = kept;
    return kept.length > 0;
  }
}

function setField(product: NormalizedProduct, spec: AttributeSpec, value: string | number | boolean): void {
  (product as unknown as Record<string, unknown>)[spec.field!] = value;
}

/** The first non-blank value of a field (readers may hand a list for a repeated column); null when there is none. */
function firstValue(value: unknown): string | null {
  if (typeof value === 'string') {
    // Most values start with a visible character; only the others need a trim to tell blank from not.
    const first = value.charCodeAt(0);
    if (first > 32 && first !== 160) return value;
    return value.trim() === '' ? null : value;
  }
  if (Array.isArray(value)) {
    for (const element of value) {
      const text = firstValue(element);
      if (text !== null) return text;
    }
    return null;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function splitUrlList(value: unknown): string[] {
  const out: string[] = [];
  const add = (text: string): void => {
    if (!MAY_LIST_SEVERAL.test(text)) {
      if (text) out.push(text);
      return;
    }
    for (const part of text.split(URL_LIST_SEPARATOR)) {
      const url = part.trim();
      if (url) out.push(url);
    }
  };
  if (typeof value === 'string') add(value);
  else if (Array.isArray(value)) for (const element of value) if (typeof element === 'string') add(element);
  return out;
}

function tooLong(spec: AttributeSpec, raw: string, length: number, run: ItemRun): false {
  const rejected = spec.overflow === 'reject';
  run.raise(
    spec.name,
    'VALUE_TOO_LONG',
    raw,
    `${spec.name} is ${length} characters long; the limit is ${spec.maxLength}. ${rejected ? 'The item is rejected.' : 'The value was ignored.'}`,
    `Shorten ${spec.name} to at most ${spec.maxLength} characters.`,
    rejected ? 'ERROR' : 'WARNING',
  );
  return false;
}

/**
 * What cleaning removed from a value, as warnings the brand can act on: INVALID_CHARACTERS for control and invalid
 * characters, BIDI_CONTROL_CHARACTERS for bidirectional controls, each naming the attribute, the characters and
 * where the first one is in the value as sent.
 */
function reportRemoved(spec: AttributeSpec | string, raw: string, cleaned: CleanedText, run: ItemRun): void {
  if (!cleaned.removed && !cleaned.bidi) return;
  const name = typeof spec === 'string' ? spec : spec.name;
  if (cleaned.removed) {
    const what = removedDescription(raw, 'invalid');
    run.raise(
      name,
      'INVALID_CHARACTERS',
      raw,
      `${cleaned.removed} control or invalid character${cleaned.removed === 1 ? ' was' : 's were'} removed from ${name}${what}.`,
    );
  }
  if (cleaned.bidi) {
    const what = removedDescription(raw, 'bidi');
    run.raise(
      name,
      'BIDI_CONTROL_CHARACTERS',
      raw,
      `${cleaned.bidi} bidirectional control character${cleaned.bidi === 1 ? ' was' : 's were'} removed from ${name}${what}.`,
    );
  }
}

/** ": U+202E (right-to-left override), the first at character 12", or "" when they cannot be found again. */
function removedDescription(raw: string, kind: RemovedKind): string {
  const found = removedCharacters(raw, kind);
  if (!found.codePoints.length) return '';
  const list = found.codePoints.map(describeCodePoint).join(', ');
  const where = found.asEntities
    ? ', written as HTML character references'
    : `, the first at character ${found.position}`;
  return `: ${list}${where}`;
}

function applyUrl(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const check = checkUrl(raw);
  if (check.url === null) {
    const found = check.finding!;
    if (spec.overflow === 'reject') run.add(spec.name, found, raw, 'ERROR');
    else run.add(spec.name, { ...found, message: `${found.message} The value was ignored.` }, raw, 'WARNING');
    return false;
  }
  if (check.finding) run.add(spec.name, check.finding, raw);
  setField(product, spec, check.url);
  return true;
}

function applyEnum(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const value = spec.normalize!(raw);
  if (value === null) {
    const { code, severity } = spec.invalid!;
    const consequence = severity === 'ERROR' ? 'The item is rejected.' : 'The value was ignored.';
    run.raise(
      spec.name,
      code,
      raw,
      `"${raw.trim()}" is not a recognized ${spec.name}. ${consequence}`,
      undefined,
      severity,
    );
    return false;
  }
  setField(product, spec, value);
  return true;
}

function applyGtin(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const check = validateGtin(raw);
  for (const found of check.findings) run.add(spec.name, found, raw);
  if (check.gtin === null) return false;
  setField(product, spec, check.gtin);
  return true;
}

function applyCategory(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const match = lookupCategory(raw);
  if (match === null) {
    const suggestion = suggestCategory(raw);
    run.raise(
      spec.name,
      'UNKNOWN_GOOGLE_PRODUCT_CATEGORY',
      raw,
      `"${raw.trim()}" is not in Google's product taxonomy; the category was ignored.`,
      // Without a suggestion the catalogue's general hint applies.
      suggestion ? `Did you mean "${suggestion.path}" (id ${suggestion.id})? Use that id or path.` : undefined,
    );
    return false;
  }
  product.googleProductCategoryId = match.id;
  product.googleProductCategoryPath = match.path;
  return true;
}

function applyQuantity(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const text = raw.trim();
  if (!WHOLE_NUMBER.test(text)) {
    run.raise(spec.name, 'INVALID_QUANTITY', raw, `"${text}" is not a whole number; quantity was ignored.`);
    return false;
  }
  let quantity = Number.parseInt(text, 10);
  if (quantity < 0) {
    run.raise(spec.name, 'INVALID_QUANTITY', raw, `quantity ${quantity} is negative; it was stored as 0.`);
    quantity = 0;
  }
  setField(product, spec, quantity);
  return true;
}

function applyDate(spec: AttributeSpec, raw: string, product: NormalizedProduct, run: ItemRun): boolean {
  const text = raw.trim();
  // Read as the exports and the API read it (dateInstant): a date matching the pattern but naming a day its month
  // does not have (2027-02-30) or an offset no zone has (+1900) would be stored and then read as no date at all.
  if (dateInstant(text) === null) {
    run.raise(spec.name, 'INVALID_DATE', raw, `"${text}" is not an ISO 8601 date; ${spec.name} was ignored.`);
    return false;
  }
  setField(product, spec, text);
  return true;
}

/** Milliseconds in a day: a date without a time ends at the next midnight. */
const DAY_MS = 86_400_000;

/**
 * A sale_price_effective_date bound as an instant (ms), Merchant Center's way: a date alone is midnight UTC at its
 * start (`end`: the next midnight, so the day is included), a time without an offset is UTC. Null when it is no
 * ISO 8601 date or names a day its month does not have (2025-02-30).
 */
function saleBound(text: string, end: boolean): number | null {
  const match = ISO_DATE_PARTS.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const day = new Date(local);
  // Date.UTC takes year 0-99 as 1900-1999; years before 100 are far enough in the past to be equal here.
  if (day.getUTCDate() !== Number(d) || day.getUTCMonth() !== Number(mo) - 1) return null;
  let instant = local + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  if (h === undefined) return end ? instant + DAY_MS : instant;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    instant -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return instant;
}

/** An ISO 8601 date or date and time as the validator reads one (a date alone: its midnight UTC), in ms; null if none. */
export function dateInstant(text: string): number | null {
  return saleBound(text.trim(), false);
}

/**
 * A sale_price_effective_date window as the validator reads it: its start and its end (exclusive; a date alone
 * ends at the next midnight) in ms since the epoch. Null when it is unreadable or ends before it starts.
 */
export function saleWindowBounds(raw: string): { start: number; end: number } | null {
  const parts = raw.split('/');
  if (parts.length !== 2) return null;
  const start = saleBound(parts[0].trim(), false);
  const end = saleBound(parts[1].trim(), true);
  return start === null || end === null || end <= start ? null : { start, end };
}

const ISO_DATE_PARTS =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d+))?)?(Z|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)?)?$/;

/**
 * sale_price_effective_date: `start/end`, two ISO 8601 dates. A window Merchant Center cannot read is ignored there
 * (the sale price applies with no end), and so here, with an INVALID_DATE warning. A sale price outside its window
 * when the run reads the item is not the price a shopper pays: it is dropped with SALE_PRICE_NOT_IN_EFFECT, so
 * the catalog, search and channel exports show the regular price instead of a sale that ended (or has not begun).
 * Answers when the item's sale next changes after `now` (its start when it has not begun, its end while it holds),
 * or null when it never will (no sale price, an unreadable window, a sale that has ended).
 */
function applySaleWindow(product: NormalizedProduct, present: string[], now: number, run: ItemRun): number | null {
  const raw = product.customAttributes.sale_price_effective_date;
  const parts = raw.split('/');
  const start = parts.length === 2 ? saleBound(parts[0].trim(), false) : null;
  const end = parts.length === 2 ? saleBound(parts[1].trim(), true) : null;
  const unreadable = start === null || end === null;
  if (unreadable || end <= start) {
    run.raise(
      'sale_price_effective_date',
      'INVALID_DATE',
      raw,
      unreadable
        ? `"${raw}" is not a start and an end date separated by "/" (ISO 8601); sale_price_effective_date was ignored, so sale_price applies with no start or end.`
        : `"${raw}" ends before it starts; sale_price_effective_date was ignored, so sale_price applies with no start or end.`,
      'Write the sale\'s first and last moment separated by "/": 2025-03-01T00:00+01:00/2025-03-31T23:59+01:00, or 2025-03-01/2025-03-31 for whole days (UTC).',
    );
    delete product.customAttributes.sale_price_effective_date;
    present.splice(present.indexOf('sale_price_effective_date'), 1);
    return null;
  }
  if (product.salePriceMinor === null) return null;
  if (now >= start && now < end) return end;
  const sale = formatPrice(product.salePriceMinor, product.currency!);
  const shown =
    product.priceMinor !== null
      ? `the item is shown at its price ${formatPrice(product.priceMinor, product.currency!)}`
      : 'the item has no sale price';
  run.raise(
    'sale_price',
    'SALE_PRICE_NOT_IN_EFFECT',
    raw,
    now >= end
      ? `The sale ended at ${parts[1].trim()} (sale_price_effective_date "${raw}"), so sale_price ${sale} was ignored and ${shown}.`
      : `The sale starts at ${parts[0].trim()} (sale_price_effective_date "${raw}"), so sale_price ${sale} was ignored for now and ${shown}; the first run of the feed after the start shows the sale.`,
  );
  product.salePriceMinor = null;
  if (product.priceMinor === null) product.currency = null;
  present.splice(present.indexOf('sale_price'), 1);
  return now < start ? start : null;
}

/** Unknown columns are kept, never dropped. */
function collectCustomAttributes(fields: RawItem['fields'], product: NormalizedProduct, run: ItemRun): void {
  for (const key in fields) {
    if (ATTRIBUTE_BY_NAME.has(key)) continue;
    const value = fields[key];
    const raw = Array.isArray(value) ? value.filter((v) => v.trim() !== '').join(', ') : value;
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const name = key.startsWith(CUSTOM_PREFIX) ? key.slice(CUSTOM_PREFIX.length) : key;
    const cleaned = cleanText(raw);
    reportRemoved(`${CUSTOM_PREFIX}${name}`, raw, cleaned, run);
    if (cleaned.text) setOwn(product.customAttributes, name, cleaned.text);
  }
}

/** Rules about what a complete (REPLACE) item should have besides its required attributes. */
function checkCompleteness(fields: RawItem['fields'], product: NormalizedProduct, run: ItemRun): void {
  if (firstValue(fields.brand) === null) {
    run.raise('brand', 'MISSING_BRAND', null, 'brand is missing; Merchant Center requires it for most new products.');
  }
  // A GTIN or MPN that was given but rejected already has its own issue.
  if (firstValue(fields.gtin) === null && firstValue(fields.mpn) === null && product.identifierExists !== false) {
    run.raise(
      'gtin',
      'MISSING_IDENTIFIER',
      null,
      'The item has neither gtin nor mpn, and identifier_exists is not "no".',
    );
  }
  if (product.itemGroupId !== null && !VARIANT_ATTRIBUTES.some((name) => firstValue(fields[name]) !== null)) {
    run.raise(
      'item_group_id',
      'MISSING_VARIANT_ATTRIBUTE',
      product.itemGroupId,
      `The item is a variant of group "${product.itemGroupId}" but has none of ${VARIANT_ATTRIBUTES.join(', ')}.`,
    );
  }
  if (
    (product.availability === 'PREORDER' || product.availability === 'BACKORDER') &&
    product.availabilityDate === null
  ) {
    run.raise(
      'availability_date',
      'MISSING_AVAILABILITY_DATE',
      null,
      `availability is ${product.availability.toLowerCase()} but availability_date is missing.`,
    );
  }
}

/** The record with its keys sorted, so that contentHash can serialize the product without copying it. */
function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) setOwn(out, key, record[key]);
  return out;
}

/**
 * The labels without trailing empty ones, a label not given before a given one as ''. A new array: labels are set
 * by position, and an array that had a hole stays "holey" for V8 even once filled, which JSON.stringify serializes
 * several times slower (measured 0.5 µs for four labels, a fifth of a product's canonical JSON).
 */
function denseLabels(labels: string[]): string[] {
  let end = labels.length;
  while (end > 0 && !labels[end - 1]) end--;
  const dense: string[] = [];
  for (let i = 0; i < end; i++) dense.push(labels[i] ?? '');
  return dense;
}
