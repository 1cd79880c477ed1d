/**
 * bench/category-accuracy: how often the category suggestion matches the google_product_category the sample feeds
 * give their own items, with that category hidden (see category-accuracy.data.ts). Prints the top-level and
 * full-path match rates for all labelled items, for the items whose labels describe them, per feed, per distinct
 * product, and each item's suggestion beside its label. Then the same on the held-out split: the feeds without a
 * category of their own, labelled by hand (category-holdout.labels.tsv), which the suggester was not tuned on; their
 * items are listed only with --holdout-items, so that tuning does not look at them.
 *
 *   npm run bench:category-accuracy [-- --quiet] [-- --holdout-items]
 */
import { parseArgs } from 'node:util';
import { suggestCategoryForItem } from '@brandshelf/catalog-rules';
import {
  HOLDOUT_FEEDS,
  LABELLED_FEEDS,
  NON_ENGLISH_FEEDS,
  PLACEHOLDER_LABEL_FEEDS,
  VALIDATION_FEEDS,
  calibration,
  distinctProducts,
  loadHoldoutItems,
  loadLabelledItems,
  measure,
  type AccuracyFigures,
  type LabelledItem,
} from './category-accuracy.data.js';

const { values } = parseArgs({
  options: { quiet: { type: 'boolean', default: false }, 'holdout-items': { type: 'boolean', default: false } },
});

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const line = (label: string, f: AccuracyFigures) =>
  `${label.padEnd(44)} items ${String(f.items).padStart(3)}  top level ${String(f.topLevel).padStart(3)} (${pct(f.topLevelRate).padStart(6)})  full path ${String(f.fullPath).padStart(3)} (${pct(f.fullPathRate).padStart(6)})`;

const items = await loadLabelledItems();
const described = items.filter((item) => !PLACEHOLDER_LABEL_FEEDS.has(item.feed));

console.log('Category suggestions vs the sample feeds’ own google_product_category (hidden while suggesting)');
console.log('Tuning split: the feeds that carry their own category\n');
console.log(line('all labelled items', measure(items)));
console.log(line('items whose labels describe them', measure(described)));
console.log(line('  distinct products among them', measure(distinctProducts(described))));
console.log('');
for (const feed of LABELLED_FEEDS) {
  const of: LabelledItem[] = items.filter((item) => item.feed === feed);
  console.log(line(`${feed}${PLACEHOLDER_LABEL_FEEDS.has(feed) ? ' (placeholder labels)' : ''}`, measure(of)));
}
if (PLACEHOLDER_LABEL_FEEDS.size) {
  console.log(
    '  (placeholder labels: the Meta sample labels its "title DB_n" bowls with camera and audio categories; Prisjakt’s\n' +
      '   three valid ids name a skate helmet, headphones and a blender part for a frame kit, a rack and pedal straps.\n' +
      '   A right suggestion counts as wrong there, so they are left out of the line above that excludes them.)',
  );
}

const holdout = await loadHoldoutItems();
const validation = holdout.filter((item) => VALIDATION_FEEDS.has(item.feed));
const test = holdout.filter((item) => !VALIDATION_FEEDS.has(item.feed) && !NON_ENGLISH_FEEDS.has(item.feed));
console.log('\nHeld-out split: feeds without a category, one item per distinct product, labelled by hand before any');
console.log(
  'suggestion was computed for them. Validation feeds were used to choose between variants; test feeds were not.\n',
);
console.log(line('held-out test (English, not tuned on)', measure(test)));
console.log(line('held-out validation (used to choose)', measure(validation)));
console.log(line('held-out, all English feeds', measure([...test, ...validation])));
console.log(line('held-out, all (with the Swedish feed)', measure(holdout)));
console.log('');
for (const feed of HOLDOUT_FEEDS) {
  const of = holdout.filter((item) => item.feed === feed);
  const role = NON_ENGLISH_FEEDS.has(feed) ? 'Swedish' : VALIDATION_FEEDS.has(feed) ? 'validation' : 'test';
  console.log(line(`${feed} (${role})`, measure(of)));
}

console.log(
  '\nConfidence vs how often the suggestion was right (held-out test feeds, then tuning and validation items)',
);
for (const [label, of] of [
  ['test', test],
  ['tuning + validation', [...distinctProducts(described), ...validation]],
] as const) {
  for (const band of calibration(of)) {
    console.log(
      `${label.padEnd(20)} confidence ${band.from.toFixed(1)}–${band.to.toFixed(1)}  items ${String(band.items).padStart(3)}  mean confidence ${band.meanConfidence.toFixed(2)}  full path right ${pct(band.fullPathRate).padStart(6)}  top level right ${pct(band.topLevelRate).padStart(6)}`,
    );
  }
}

const list = (of: readonly LabelledItem[]) => {
  console.log('\nfeed row | title | product_type => suggestion (confidence) | label');
  for (const item of of) {
    const s = suggestCategoryForItem(item);
    const mark =
      s?.id === item.truth.id ? '==' : s && s.path.split(' > ')[0] === item.truth.path.split(' > ')[0] ? '~=' : '!=';
    console.log(
      `${item.feed}:${item.row} | ${item.title} | ${item.productType ?? ''}\n    ${mark} ${s ? `${s.path} (${s.confidence})` : 'none'}\n       ${item.truth.path}`,
    );
  }
};
if (!values.quiet) list(items);
if (values['holdout-items']) list(holdout);
