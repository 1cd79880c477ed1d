/**
 * The labelled items category suggestions are measured on: every item of the repository's sample feeds
 * (test/fixtures/feeds, provenance in its README) whose own google_product_category is in the taxonomy. The
 * category is hidden (the item is validated without it) and the suggestion, made from the validated title,
 * product_type and description as the ingest makes it, is compared with it. Shared by bench/category-accuracy.ts
 * and test/category-accuracy.spec.ts, which asserts a floor under the figures.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import {
  ItemValidator,
  lookupCategory,
  stripHtml,
  suggestCategoryForItem,
  type CategoryMatch,
} from '@brandshelf/catalog-rules';
import { readFeed } from '@brandshelf/feeds';

/** The sample feeds that carry google_product_category (the others carry none, README of the fixtures). */
export const LABELLED_FEEDS = [
  'shopify/product_template.csv',
  'shopify/product_template_legacy.csv',
  'shopify/products_export_velofant.csv',
  'csv/meta_dpa_sample_feed.csv',
  'xml/velofant_prisjakt_feed.xml',
] as const;

/**
 * Feeds whose labels do not describe their items, so a right suggestion counts as wrong there: the Meta sample's
 * placeholder items ("title DB_1", product_type "Bowls & Dining > Food & Water Bowls") carry camera and audio
 * categories, and the Prisjakt feed's three ids that exist name a skate helmet, headphones and a blender part for a
 * bicycle frame kit, a front rack and pedal straps (its other six ids are not in the taxonomy).
 */
export const PLACEHOLDER_LABEL_FEEDS: ReadonlySet<string> = new Set([
  'csv/meta_dpa_sample_feed.csv',
  'xml/velofant_prisjakt_feed.xml',
]);

export interface LabelledItem {
  feed: string;
  row: number;
  title: string | null;
  productType: string | null;
  description: string | null;
  truth: CategoryMatch;
}

export async function loadLabelledItems(root = process.cwd()): Promise<LabelledItem[]> {
  const items: LabelledItem[] = [];
  for (const feed of LABELLED_FEEDS) {
    // UPDATE_ONLY: nothing but id is required, so every item validates into a product whatever else it lacks.
    const validator = new ItemValidator({ mode: 'UPDATE_ONLY', defaultCurrency: 'USD' });
    for await (const event of readFeed(createReadStream(join(root, 'test/fixtures/feeds', feed)))) {
      if (event.type !== 'item') continue;
      const { google_product_category: category, ...fields } = event.item.fields;
      const value = Array.isArray(category) ? category[0] : category;
      const truth = value ? lookupCategory(value) : null;
      if (!truth) continue;
      // A rejected item (the template's GTINs are spreadsheet-damaged) is still described by its cleaned text.
      const { product } = validator.validate({ row: event.item.row, fields });
      items.push({
        feed,
        row: event.item.row,
        title: product?.title ?? text(fields.title),
        productType: product?.productType ?? text(fields.product_type),
        description: product?.description ?? (text(fields.description) && stripHtml(text(fields.description)!)),
        truth,
      });
    }
  }
  return items;
}

function text(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || null;
}

export interface AccuracyFigures {
  items: number;
  /** Items with a suggestion at all. */
  suggested: number;
  topLevel: number;
  fullPath: number;
  topLevelRate: number;
  fullPathRate: number;
}

const topLevel = (path: string) => path.split(' > ')[0];

export function measure(items: readonly LabelledItem[]): AccuracyFigures {
  let suggested = 0;
  let top = 0;
  let full = 0;
  for (const item of items) {
    const suggestion = suggestCategoryForItem(item);
    if (!suggestion) continue;
    suggested++;
    if (topLevel(suggestion.path) === topLevel(item.truth.path)) top++;
    if (suggestion.id === item.truth.id) full++;
  }
  const rate = (n: number) => (items.length ? Math.round((n / items.length) * 1000) / 1000 : 0);
  return {
    items: items.length,
    suggested,
    topLevel: top,
    fullPath: full,
    topLevelRate: rate(top),
    fullPathRate: rate(full),
  };
}

/** One item per distinct (title, true category): variants of one product count once. */
export function distinctProducts(items: readonly LabelledItem[]): LabelledItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.title}\u0000${item.truth.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
