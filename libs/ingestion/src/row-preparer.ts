import {
  ATTRIBUTE_BY_NAME,
  ItemValidator,
  compactProductJson,
  hashCanonicalJson,
  type ItemIssue,
  type NormalizedProduct,
} from '@brandshelf/catalog-rules';
import type { FeedEvent, FeedReadMeta, RowSkipReason } from '@brandshelf/feeds';

/**
 * A feed event after the CPU-heavy part of a run: an item validated, normalized, serialized and hashed,
 * ready to be written to the stage. This module imports only the pure libs (feeds, catalog-rules), so
 * the read worker thread (read-worker.ts) can load it without the database or NestJS.
 */
export type PreparedEvent =
  | {
      type: 'item';
      row: number;
      issues: ItemIssue[];
      /** Set when the item is accepted: what goes into the stage. */
      staged: { offerId: string; contentHash: string; data: string } | null;
    }
  | { type: 'issue'; issue: ItemIssue }
  | { type: 'skip'; row: number; reason: RowSkipReason }
  | { type: 'rows'; rowsRead: number }
  | { type: 'meta'; meta: FeedReadMeta };

export interface PrepareOptions {
  mode: 'REPLACE' | 'UPDATE_ONLY';
  defaultCurrency: string | null;
  /** See ValidatorOptions: suggest categories, and apply those more confident than the threshold. */
  suggestCategories?: boolean;
  acceptCategorySuggestionsAbove?: number | null;
}

/** Validates and serializes every item of `events`, in order; other events pass through. */
export async function* prepareEvents(
  events: AsyncIterable<FeedEvent>,
  options: PrepareOptions,
): AsyncGenerator<PreparedEvent> {
  const validator = new ItemValidator({
    mode: options.mode,
    defaultCurrency: options.defaultCurrency,
    suggestCategories: options.suggestCategories,
    acceptCategorySuggestionsAbove: options.acceptCategorySuggestionsAbove,
  });
  for await (const event of events) {
    if (event.type === 'item') {
      const result = validator.validate(event.item);
      let staged: { offerId: string; contentHash: string; data: string } | null = null;
      if (result.product) {
        // Serialized once: the compact canonical JSON is both what is hashed and what is stored.
        const json = compactProductJson(result.product);
        const data = options.mode === 'UPDATE_ONLY' ? JSON.stringify(supplementalFields(result.product)) : json;
        staged = { offerId: result.product.offerId, contentHash: hashCanonicalJson(json), data };
      }
      yield { type: 'item', row: event.item.row, issues: result.issues, staged };
    } else {
      yield event as PreparedEvent;
    }
  }
}

/**
 * A supplemental item carries only what its feed provided, so publishing overlays exactly those fields
 * on the primary feed's product and nothing else.
 */
export function supplementalFields(product: NormalizedProduct): Partial<NormalizedProduct> {
  const out: Record<string, unknown> = { offerId: product.offerId };
  const custom: Record<string, string> = {};
  for (const attribute of product.presentAttributes) {
    const field = ATTRIBUTE_BY_NAME.get(attribute)?.field;
    if (field) {
      out[field] = product[field];
      if (attribute === 'price' || attribute === 'sale_price') out.currency = product.currency;
      if (attribute === 'google_product_category') out.googleProductCategoryPath = product.googleProductCategoryPath;
    } else if (attribute in product.customAttributes) {
      custom[attribute] = product.customAttributes[attribute];
    }
  }
  if (Object.keys(custom).length) out.customAttributes = custom;
  return out as Partial<NormalizedProduct>;
}
