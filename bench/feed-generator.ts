import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const ADJECTIVES = ['Classic', 'Urban', 'Trail', 'Organic', 'Vintage', 'Ultra', 'Cozy', 'Sleek', 'Rugged', 'Everyday'];
const NOUNS = ['Runner', 'Hoodie', 'Backpack', 'Mug', 'Lamp', 'Jacket', 'Sneaker', 'Bottle', 'Chair', 'Tote'];
const COLORS = ['Black', 'White', 'Navy', 'Olive', 'Sand', 'Red'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const BRANDS = ['Acme', 'Northwind', 'Fabrikam', 'Contoso', 'Tailspin'];
const WORDS = 'soft durable light breathable recycled cotton wool steel water resistant everyday travel comfort'.split(
  ' ',
);

/** A GTIN-13 with a correct check digit. */
function gtin13(n: number): string {
  const body = `400${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + ((10 - (sum % 10)) % 10);
}

export const BENCH_HEADER = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'additional_image_link',
  'availability',
  'price',
  'sale_price',
  'brand',
  'gtin',
  'mpn',
  'condition',
  'google_product_category',
  'product_type',
  'item_group_id',
  'color',
  'size',
  'gender',
  'age_group',
];

/**
 * Writes an N-row Merchant Center CSV with realistic values; about 3% of rows are bad in the ways real
 * feeds are (no price, a broken GTIN, an unknown availability). Streams: memory stays flat for any N.
 */
export async function generateFeed(path: string, rows: number, seed = 1): Promise<{ bytes: number; bad: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  let bad = 0;
  let state = seed;
  const rand = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(BENCH_HEADER.join(',') + '\n');
  for (let i = 1; i <= rows; i++) {
    const group = Math.ceil(i / 3);
    const price = (5 + rand() * 200).toFixed(2);
    const onSale = rand() < 0.2;
    const badKind = rand() < 0.03 ? Math.floor(rand() * 3) : -1;
    if (badKind >= 0) bad++;
    const words = Array.from({ length: 12 }, () => pick(WORDS)).join(' ');
    const cells = [
      `SKU-${i}`,
      `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i}`,
      `"A ${words}, made to last. Machine washable; ships in 2 days."`,
      `https://shop.example.com/products/${group}?variant=${i}`,
      `https://cdn.example.com/img/${group}/${i}.jpg`,
      `https://cdn.example.com/img/${group}/${i}-2.jpg`,
      badKind === 0 ? 'sometimes' : pick(['in stock', 'in stock', 'out of stock', 'preorder']),
      badKind === 1 ? '' : `${price} USD`,
      onSale ? `${(Number(price) * 0.8).toFixed(2)} USD` : '',
      pick(BRANDS),
      badKind === 2 ? gtin13(i).slice(0, 12) + '0' : gtin13(i),
      `MPN-${i}`,
      'new',
      '1604',
      'Apparel & Accessories > Clothing',
      `G-${group}`,
      pick(COLORS),
      pick(SIZES),
      pick(['male', 'female', 'unisex']),
      'adult',
    ];
    await write(cells.join(',') + '\n');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, bad };
}
