/**
 * The labelled items category suggestions are measured on: every item of the repository's sample feeds
 * (test/fixtures/feeds, provenance in its README) whose own google_product_category is in the taxonomy. The
 * category is hidden (the item is validated without it) and the suggestion, made from the validated title,
 * product_type and description as the ingest makes it, is compared with it. Shared by bench/category-accuracy.ts
 * and test/category-accuracy.spec.ts, which asserts a floor under the figures.
 */
import { createReadStream, readFileSync } from 'node:fs';
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
  brand: string | null;
  truth: CategoryMatch;
}

/** The sample feeds without google_product_category whose items were labelled by hand (category-holdout.labels.tsv). */
export const HOLDOUT_FEEDS = [
  'csv/woocommerce_sample_products.csv',
  'csv/wix_catalog_products.csv',
  'csv/vendure_products.csv',
  'csv/medusa_product_import_template.csv',
  'shopify/products_export_demo.csv',
  'xml/airfeel_gmc_feed.xml',
  'xml/velofant_custom_feed.txt',
] as const;

/**
 * Held-out feeds whose words are not English: Velofant's own custom feed (Swedish titles and product types such as
 * `Cykellås`, `Ringklockor`), from the same shop as a tuning feed. Reported apart: an English taxonomy and keyword
 * table cannot read them, and they say nothing about how the suggester generalises over English items.
 */
export const NON_ENGLISH_FEEDS: ReadonlySet<string> = new Set(['xml/velofant_custom_feed.txt']);

export const HOLDOUT_LABELS = 'bench/category-holdout.labels.tsv';

/**
 * Held-out feeds that were looked at while choosing between variants of the suggester (and whose misses led to four
 * keyword-table lines): a validation split. The other English held-out feeds were not: a test split.
 */
export const VALIDATION_FEEDS: ReadonlySet<string> = new Set([
  'csv/woocommerce_sample_products.csv',
  'csv/wix_catalog_products.csv',
]);

/**
 * The held-out split: one item per distinct product of the sample feeds that carry no category, with the category
 * chosen by hand before any suggestion was computed for them (HOLDOUT_LABELS). The suggester was tuned on the
 * labelled feeds only; these show whether what was tuned generalises.
 */
export async function loadHoldoutItems(root = process.cwd()): Promise<LabelledItem[]> {
  const labels = new Map<string, CategoryMatch>();
  for (const line of readFileSync(join(root, HOLDOUT_LABELS), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [key, id] = line.split('\t');
    const truth = lookupCategory(id);
    if (!truth) throw new Error(`${HOLDOUT_LABELS}: ${id} (for ${key}) is not a taxonomy id`);
    labels.set(key, truth);
  }
  const items = await readItems(root, HOLDOUT_FEEDS, (feed, row) => labels.get(`${feed}:${row}`) ?? null);
  if (items.length !== labels.size) throw new Error(`${HOLDOUT_LABELS}: ${labels.size} labels, ${items.length} items`);
  return items;
}

export async function loadLabelledItems(root = process.cwd()): Promise<LabelledItem[]> {
  return readItems(root, LABELLED_FEEDS, (_feed, _row, category) => (category ? lookupCategory(category) : null));
}

/** The feeds' items that `truthOf` gives a category, described by their validated text (the category hidden). */
async function readItems(
  root: string,
  feeds: readonly string[],
  truthOf: (feed: string, row: number, category: string | undefined) => CategoryMatch | null,
): Promise<LabelledItem[]> {
  const items: LabelledItem[] = [];
  for (const feed of feeds) {
    // UPDATE_ONLY: nothing but id is required, so every item validates into a product whatever else it lacks.
    const validator = new ItemValidator({ mode: 'UPDATE_ONLY', defaultCurrency: 'USD' });
    for await (const event of readFeed(createReadStream(join(root, 'test/fixtures/feeds', feed)))) {
      if (event.type !== 'item') continue;
      const { google_product_category: category, ...fields } = event.item.fields;
      const value = Array.isArray(category) ? category[0] : category;
      const truth = truthOf(feed, event.item.row, value);
      if (!truth) continue;
      // A rejected item (the template's GTINs are spreadsheet-damaged) is still described by its cleaned text.
      const { product } = validator.validate({ row: event.item.row, fields });
      items.push({
        feed,
        row: event.item.row,
        title: product?.title ?? text(fields.title),
        productType: product?.productType ?? text(fields.product_type),
        description: product?.description ?? (text(fields.description) && stripHtml(text(fields.description)!)),
        brand: product?.brand ?? text(fields.brand),
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

export interface ConfidenceBand {
  from: number;
  to: number;
  items: number;
  meanConfidence: number;
  fullPathRate: number;
  topLevelRate: number;
}

/** How often suggestions in each confidence band were right: a calibrated confidence sits near its band's rate. */
export function calibration(items: readonly LabelledItem[], edges = [0, 0.3, 0.6, 0.8, 1.0001]): ConfidenceBand[] {
  const bands: ConfidenceBand[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    let n = 0;
    let sum = 0;
    let full = 0;
    let top = 0;
    for (const item of items) {
      const suggestion = suggestCategoryForItem(item);
      const confidence = suggestion?.confidence ?? 0;
      if (confidence < edges[b] || confidence >= edges[b + 1]) continue;
      n++;
      sum += confidence;
      if (suggestion?.id === item.truth.id) full++;
      if (suggestion && topLevel(suggestion.path) === topLevel(item.truth.path)) top++;
    }
    if (n === 0) continue;
    bands.push({
      from: edges[b],
      to: Math.min(1, edges[b + 1]),
      items: n,
      meanConfidence: sum / n,
      fullPathRate: full / n,
      topLevelRate: top / n,
    });
  }
  return bands;
}
