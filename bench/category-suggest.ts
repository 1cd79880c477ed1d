/**
 * bench/category-suggest: the cost of category suggestions on the validation path. N generated items without a
 * google_product_category (varied titles, product types and descriptions) are validated with suggestions off,
 * on, and on with a threshold that applies them, in the same run; prints items/s of each, the suggester alone,
 * and the one-off index build (time and heap).
 *
 *   npm run bench:category-suggest [-- --n 100000]
 */
import { parseArgs } from 'node:util';
import { ItemValidator, suggestCategoryForItem, warmCategorySuggester, type RawItem } from '@brandshelf/catalog-rules';

const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' } } });
const n = Number(values.n);

const ADJECTIVES = ['Organic', 'Slim', 'Classic', 'Wireless', 'Stainless', 'Vintage', 'Kids', 'Waterproof', 'Handmade'];
const NOUNS = [
  'cotton t-shirt',
  'leather wallet',
  'coffee mug',
  'yoga mat',
  'bluetooth speaker',
  'running shoes',
  'desk lamp',
  'water bottle',
  'wooden puzzle',
  'dog collar',
  'face serum',
  'hiking backpack',
  'throw pillow',
  'phone case',
  'wall clock',
  'chef knife',
  'baby stroller',
  'board game',
  'green tea',
  'road bike',
];
const TYPES = ['', 'Clothing > Tops', 'Home', 'Accessories', 'Kitchen', 'Outdoor', 'Toys'];

function makeItem(i: number): RawItem {
  const noun = NOUNS[(i * 7) % NOUNS.length];
  return {
    row: i + 2,
    fields: {
      id: `SKU-${i}`,
      title: `${ADJECTIVES[i % ADJECTIVES.length]} ${noun} – model ${i % 97}`,
      description: `<p>Our ${noun} is made to last, designed in Lisbon and tested for daily use.</p><ul><li>Care: wipe clean</li><li>Ships in 2 days</li></ul>`,
      link: `https://shop.example.com/products/${i}`,
      image_link: `https://cdn.example.com/img/${i}.jpg`,
      availability: 'in stock',
      price: '24.90 EUR',
      brand: 'Acme',
      mpn: `AC-${i}`,
      product_type: TYPES[i % TYPES.length],
    },
  };
}

const items = Array.from({ length: n }, (_, i) => makeItem(i));

function time(label: string, run: () => number): number {
  const start = process.hrtime.bigint();
  const count = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = Math.round(count / seconds);
  console.log(`${label.padEnd(52)} ${rate.toLocaleString('en-US').padStart(10)} items/s`);
  return rate;
}

const heapBefore = process.memoryUsage().heapUsed;
const buildStart = process.hrtime.bigint();
const size = warmCategorySuggester();
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
(globalThis as { gc?: () => void }).gc?.();
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `index: ${size.nodes} categories, ${size.words} words, ${size.keywords} keywords; built in ${buildMs.toFixed(0)} ms, ` +
    `heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB (with the taxonomy's own index)`,
);
console.log(`${n.toLocaleString('en-US')} items without google_product_category\n`);

const validateWith = (opts: { suggestCategories?: boolean; acceptCategorySuggestionsAbove?: number | null }) => () => {
  const validator = new ItemValidator({ mode: 'REPLACE', ...opts });
  let accepted = 0;
  for (const item of items) if (validator.validate(item).product) accepted++;
  return accepted && items.length;
};

for (const pass of ['warm-up', 'measured']) {
  console.log(`-- ${pass}`);
  const off = time('validate, suggestions off', validateWith({}));
  const on = time('validate, suggestions on (WARNING only)', validateWith({ suggestCategories: true }));
  time('validate, suggestions applied above 0.3', validateWith({ acceptCategorySuggestionsAbove: 0.3 }));
  time('suggestCategoryForItem alone', () => {
    let found = 0;
    for (const item of items) {
      const f = item.fields as Record<string, string>;
      const input = { title: f.title, productType: f.product_type, description: f.description, brand: f.brand };
      if (suggestCategoryForItem(input)) found++;
    }
    return found && items.length;
  });
  console.log(`validation cost of suggestions: ${(((off - on) / off) * 100).toFixed(0)}% fewer items/s\n`);
}
