// Throughput of ItemValidator and contentHash on one core, on synthetic but realistic items.
// Run: npm run build && node dist/libs/catalog-rules/bench/item-validator.bench.js [items]
import { contentHash, ItemValidator, type RawItem } from '../src/index.js';

const count = Number(process.argv[2] ?? 100_000);

function makeItem(i: number): RawItem {
  return {
    row: i + 2,
    fields: {
      id: `SKU-${i}`,
      title: `Organic Cotton T-Shirt – Crew Neck, Size ${i % 5}`,
      description: `<p>Soft organic cotton tee with a relaxed fit.</p><ul><li>100% cotton</li><li>Machine wash 40°C</li></ul> Item ${i}`,
      link: `https://shop.example.com/products/tee-${i}`,
      image_link: `https://cdn.example.com/img/${i}.jpg?v=123&width=1100`,
      additional_image_link: [`https://cdn.example.com/img/${i}-b.jpg`, `https://cdn.example.com/img/${i}-c.jpg`],
      availability: i % 3 ? 'in stock' : 'out_of_stock',
      price: '24.90 EUR',
      sale_price: i % 4 ? '' : '19.90 EUR',
      brand: 'Acme',
      gtin: '4006381333931',
      mpn: `AC-${i}`,
      condition: 'new',
      google_product_category: i % 2 ? '212' : 'Apparel & Accessories > Clothing > Shirts & Tops',
      product_type: 'Clothing > Tops',
      item_group_id: `G-${i >> 2}`,
      color: 'Navy',
      size: 'M',
      gender: 'unisex',
      age_group: 'adult',
      quantity: '12',
      'custom:Material Care': 'Wash cold',
    },
  };
}

const items = Array.from({ length: count }, (_, i) => makeItem(i));

function perSecond(start: bigint, n: number): string {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return `${Math.round(n / seconds).toLocaleString('en-US')} items/s`;
}

// Products are not kept while validating, as in the pipeline, so the garbage collector sees the real load.
for (const pass of ['cold', 'warm']) {
  const validator = new ItemValidator({ mode: 'REPLACE' });
  const start = process.hrtime.bigint();
  let accepted = 0;
  for (const item of items) if (validator.validate(item).product) accepted++;
  console.log(`validate (${pass}): ${perSecond(start, items.length)}; ${accepted} accepted`);
}

const validator = new ItemValidator({ mode: 'REPLACE' });
const products = items.slice(0, 20_000).map((item) => validator.validate(item).product!);
const start = process.hrtime.bigint();
for (const product of products) contentHash(product);
console.log(`contentHash: ${perSecond(start, products.length)}`);
