import type { AgeGroup, Availability, Condition, Gender } from './enum.normalizer.js';
import type { ItemIssue } from './issue.js';
import type { ShippingEntry, TaxEntry } from './shipping-tax.rule.js';

/** One item as a reader hands it over, before validation. */
export interface RawItem {
  /** CSV line number / XML item index, 1-based. */
  row: number;
  /**
   * Keys are canonical attribute names (from ATTRIBUTES) or `custom:<original header>`; repeated attributes may be
   * string[]. A key that is neither is kept as a custom attribute under its own name.
   */
  fields: Record<string, string | string[]>;
}

/**
 * What a feed's publish does to the live catalog, defined here once (the validator is its lowest user): the feed
 * stores it, ingestion passes it on, the GraphQL enum FeedMode derives from this list.
 * REPLACE: the feed is the whole catalog, required attributes apply. UPDATE_ONLY: only `id` is required.
 */
export const FEED_MODES = ['REPLACE', 'UPDATE_ONLY'] as const;
export type FeedMode = (typeof FEED_MODES)[number];

export interface ValidatorOptions {
  mode: FeedMode;
  /** ISO 4217 code for bare-number prices ("6900"). */
  defaultCurrency?: string | null;
  /**
   * Suggest a category (GOOGLE_PRODUCT_CATEGORY_SUGGESTED, a WARNING) for items without a usable
   * google_product_category. Implied by acceptCategorySuggestionsAbove.
   */
  suggestCategories?: boolean;
  /** 0–1: a suggestion more confident than this becomes the item's google_product_category. Null: none is applied. */
  acceptCategorySuggestionsAbove?: number | null;
  /**
   * The time a sale_price_effective_date window is judged at (ms since the epoch); default: when the validator is
   * made, so one run judges all its items at the same instant.
   */
  now?: number;
}

export interface ValidationResult {
  /** Null when any issue is an ERROR. */
  product: NormalizedProduct | null;
  issues: ItemIssue[];
  /**
   * When the item's sale next starts or ends after the validator's `now` (ms since the epoch): the start of a sale
   * not begun yet, the end of one in effect. Absent when the item has no sale window that will change (and for a
   * rejected item). The run that read the item is done again then (see the feed scheduler's sale windows).
   */
  saleChangeAt?: number;
}

export interface NormalizedProduct {
  offerId: string;
  title: string | null;
  /** Plain text: HTML stripped, paragraphs kept as line breaks. */
  description: string | null;
  link: string | null;
  mobileLink: string | null;
  imageLink: string | null;
  additionalImageLinks: string[];
  availability: Availability | null;
  /** ISO 8601 as given. */
  availabilityDate: string | null;
  /** Integer in the currency's minor unit (cents). */
  priceMinor: number | null;
  currency: string | null;
  salePriceMinor: number | null;
  brand: string | null;
  /** Digits as given (8, 12, 13 or 14), check digit verified. */
  gtin: string | null;
  mpn: string | null;
  identifierExists: boolean | null;
  condition: Condition | null;
  googleProductCategoryId: number | null;
  googleProductCategoryPath: string | null;
  productType: string | null;
  itemGroupId: string | null;
  color: string | null;
  size: string | null;
  gender: Gender | null;
  ageGroup: AgeGroup | null;
  material: string | null;
  pattern: string | null;
  quantity: number | null;
  /** The valid `shipping` entries, in feed order (an unreadable one is left out with INVALID_SHIPPING). */
  shipping: ShippingEntry[];
  /** The valid `tax` entries, in feed order (an unreadable one is left out with INVALID_TAX). */
  tax: TaxEntry[];
  /** custom_label_0 … custom_label_4 by position; '' for a label not given, trailing empty labels left out. */
  customLabels: string[];
  /**
   * Unknown columns, keyed by their header without `custom:`, plus table attributes that have no field above
   * (shipping_weight, sale_price_effective_date) under their canonical name. Keys are in sorted order.
   */
  customAttributes: Record<string, string>;
  /**
   * Canonical attribute names the item provided with a usable value, in table order. A value that was empty, or
   * dropped with a warning, is not listed, so an UPDATE_ONLY merge never overwrites stored data with nothing.
   */
  presentAttributes: string[];
}

/** A product with every field unset: the validator starts each item from one. */
export function emptyProduct(): NormalizedProduct {
  // Every property present from the start, so all products share one object shape; in key order, so that
  // contentHash can serialize a product without re-sorting it. The model's one list of fields (product.hash.ts).
  return {
    additionalImageLinks: [],
    ageGroup: null,
    availability: null,
    availabilityDate: null,
    brand: null,
    color: null,
    condition: null,
    currency: null,
    customAttributes: {},
    customLabels: [],
    description: null,
    gender: null,
    googleProductCategoryId: null,
    googleProductCategoryPath: null,
    gtin: null,
    identifierExists: null,
    imageLink: null,
    itemGroupId: null,
    link: null,
    material: null,
    mobileLink: null,
    mpn: null,
    offerId: '',
    pattern: null,
    presentAttributes: [],
    priceMinor: null,
    productType: null,
    quantity: null,
    salePriceMinor: null,
    shipping: [],
    size: null,
    tax: [],
    title: null,
  };
}
