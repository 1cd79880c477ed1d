/**
 * bench/category-accuracy: how often the category suggestion matches the google_product_category the sample feeds
 * give their own items, with that category hidden (see category-accuracy.data.ts). Prints the top-level and
 * full-path match rates for all labelled items, for the items whose labels describe them, per feed, per distinct
 * product, and each item's suggestion beside its label.
 *
 *   npm run bench:category-accuracy [-- --quiet]
 */
import { parseArgs } from 'node:util';
import { suggestCategoryForItem } from '@brandshelf/catalog-rules';
import {
  LABELLED_FEEDS,
  PLACEHOLDER_LABEL_FEEDS,
  distinctProducts,
  loadLabelledItems,
  measure,
  type AccuracyFigures,
  type LabelledItem,
} from './category-accuracy.data.js';

const { values } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } });

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const line = (label: string, f: AccuracyFigures) =>
  `${label.padEnd(44)} items ${String(f.items).padStart(3)}  top level ${String(f.topLevel).padStart(3)} (${pct(f.topLevelRate).padStart(6)})  full path ${String(f.fullPath).padStart(3)} (${pct(f.fullPathRate).padStart(6)})`;

const items = await loadLabelledItems();
const described = items.filter((item) => !PLACEHOLDER_LABEL_FEEDS.has(item.feed));

console.log('Category suggestions vs the sample feeds’ own google_product_category (hidden while suggesting)\n');
console.log(line('all labelled items', measure(items)));
console.log(line('items whose labels describe them', measure(described)));
console.log(line('  distinct products among them', measure(distinctProducts(described))));
console.log('');
for (const feed of LABELLED_FEEDS) {
  const of: LabelledItem[] = items.filter((item) => item.feed === feed);
  console.log(line(`${feed}${PLACEHOLDER_LABEL_FEEDS.has(feed) ? ' (placeholder labels)' : ''}`, measure(of)));
}
if (!values.quiet) {
  console.log('\nfeed row | title | product_type => suggestion (confidence) | label');
  for (const item of items) {
    const s = suggestCategoryForItem(item);
    const mark =
      s?.id === item.truth.id ? '==' : s && s.path.split(' > ')[0] === item.truth.path.split(' > ')[0] ? '~=' : '!=';
    console.log(
      `${item.feed}:${item.row} | ${item.title} | ${item.productType ?? ''}\n    ${mark} ${s ? `${s.path} (${s.confidence})` : 'none'}\n       ${item.truth.path}`,
    );
  }
}
