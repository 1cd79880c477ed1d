import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { productId, rawId, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * The public catalog over HTTP on a small fixed catalog. Publishing is not built yet, so live products are
 * inserted into catalog_product directly (with their brand, feed and product identity).
 */

interface Seed {
  key: string;
  brand: 'acme' | 'bolt' | 'cora';
  title: string;
  description?: string;
  productType?: string;
  category?: [number, string];
  price: [number, string];
  sale?: number;
  availability?: string;
  condition?: string;
  color?: string;
  size?: string;
  gender?: string;
  group?: string;
  at: string;
  images?: unknown[];
}

const T1 = '2025-03-01T10:00:00.000001Z';
const T2 = '2025-03-02T10:00:00.000002Z';
const T3 = '2025-03-03T10:00:00.000003Z';
const SHOES: [number, string] = [187, 'Apparel & Accessories > Shoes'];

const CATALOG: Seed[] = [
  {
    key: 'shoeRed',
    brand: 'acme',
    title: 'Trail Running Shoe',
    description: 'Lightweight shoe with a grippy sole.',
    productType: 'Footwear',
    category: SHOES,
    price: [8999, 'USD'],
    color: 'Red',
    size: '42',
    gender: 'UNISEX',
    group: 'TRS',
    at: T1,
  },
  {
    key: 'shoeBlue',
    brand: 'acme',
    title: 'Trail Running Shoe',
    description: 'Lightweight shoe with a grippy sole.',
    productType: 'Footwear',
    category: SHOES,
    price: [8999, 'USD'],
    sale: 6999,
    color: 'Blue',
    size: '43',
    gender: 'UNISEX',
    group: 'TRS',
    at: T1,
  },
  {
    key: 'sneakers',
    brand: 'acme',
    title: 'Canvas Sneakers',
    description: 'Classic low-top in organic cotton canvas.',
    productType: 'Footwear',
    category: SHOES,
    price: [4900, 'USD'],
    color: 'White',
    size: '42',
    gender: 'UNISEX',
    at: T1,
  },
  {
    key: 'backpack',
    brand: 'acme',
    title: 'Hiking Backpack 30L',
    description: 'Light enough for a run up the hill.',
    category: [100, 'Luggage & Bags > Backpacks'],
    price: [7900, 'USD'],
    color: 'Green',
    at: T1,
    images: [
      {
        sourceUrl: 'https://img.example/backpack.jpg',
        role: 'MAIN',
        width: 1200,
        height: 800,
        placeholder: 'AbCd',
        dominantColor: '#336633',
        renditions: [
          { size: 1024, width: 1024, height: 683, format: 'webp', url: 'https://cdn.example/b/1024.webp' },
          { size: 256, width: 256, height: 171, format: 'webp', url: 'https://cdn.example/b/256.webp' },
        ],
      },
    ],
  },
  {
    key: 'jacket',
    brand: 'acme',
    title: 'Rain Jacket',
    description: 'Waterproof shell that packs into its own backpack pocket.',
    category: [5598, 'Apparel & Accessories > Clothing > Outerwear > Coats & Jackets'],
    price: [12000, 'USD'],
    availability: 'OUT_OF_STOCK',
    color: 'Yellow',
    size: 'M',
    gender: 'FEMALE',
    at: T1,
  },
  {
    key: 'socks',
    brand: 'bolt',
    title: "Runner's Socks 3-pack",
    description: 'Cushioned crew socks.',
    category: [209, 'Apparel & Accessories > Clothing > Underwear & Socks > Socks'],
    price: [1250, 'EUR'],
    color: 'Black',
    size: 'm',
    gender: 'MALE',
    at: T2,
  },
  {
    key: 'shorts',
    brand: 'bolt',
    title: 'Running Shorts',
    description: 'Breathable shorts for long runs.',
    category: [207, 'Apparel & Accessories > Clothing > Shorts'],
    price: [3500, 'EUR'],
    availability: 'PREORDER',
    color: 'black',
    size: 'L',
    gender: 'MALE',
    at: T2,
  },
  {
    key: 'mat',
    brand: 'bolt',
    title: 'Yoga Mat',
    description: 'Non-slip mat, 6 mm.',
    category: [499950, 'Sporting Goods > Exercise & Fitness > Yoga & Pilates > Yoga Mats'],
    price: [2500, 'EUR'],
    availability: 'BACKORDER',
    condition: 'REFURBISHED',
    color: 'Purple',
    at: T2,
  },
  {
    key: 'mug',
    brand: 'cora',
    title: 'Ceramic Coffee Mug',
    description: 'Stoneware mug, 350 ml.',
    category: [2169, 'Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs'],
    price: [1500, 'JPY'],
    color: 'White',
    at: T3,
  },
  {
    key: 'tableRunner',
    brand: 'cora',
    title: 'Linen Table Runner',
    description: 'Hand-woven for the dining table.',
    category: [6325, 'Home & Garden > Linens & Bedding > Table Linens > Table Runners'],
    price: [3900, 'USD'],
    color: 'Natural',
    at: T3,
  },
];

const LIST = `query($query: String, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id }
    edges { cursor }
    pageInfo { hasNextPage endCursor }
    matchMode
  }
}`;

const COUNT = `query($query: String, $filter: ProductFilter) {
  products(query: $query, filter: $filter, first: 1) { totalCount totalCountExact }
}`;

describe('public catalog search (e2e)', () => {
  let api: TestApi;
  const ids: Record<string, string> = {};
  const brands: Record<string, string> = {};
  const feeds: Record<string, string> = {};
  const name = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

  const insert = async (s: Seed) => {
    const db = api.runtime.dataSource;
    const brandId = brands[s.brand];
    const feedId = feeds[s.brand];
    // A product keeps its id for (feed, offer id), also when it is published again after a removal.
    const [{ id }] = await db.query(
      `INSERT INTO product_identity (brand_id, feed_id, offer_id) VALUES ($1, $2, $3)
       ON CONFLICT (feed_id, offer_id) DO UPDATE SET offer_id = EXCLUDED.offer_id RETURNING id`,
      [rawId(brandId), rawId(feedId), s.key],
    );
    const [price, currency] = s.price;
    await db.query(
      `INSERT INTO catalog_product (id, brand_id, feed_id, version_id, offer_id, content_hash, title, description,
         brand_name, link, image_link, price_minor, sale_price_minor, effective_price_minor, currency, on_sale,
         availability, condition, google_category_id, google_category_path, product_type, item_group_id, color, size,
         gender, images, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
         $23, $24, $25, $26, $27)`,
      [
        rawId(id),
        rawId(brandId),
        rawId(feedId),
        randomUUID(),
        s.key,
        `hash-${s.key}`,
        s.title,
        s.description ?? '',
        s.brand.toUpperCase(),
        `https://shop.example/${s.key}`,
        `https://img.example/${s.key}.jpg`,
        price,
        s.sale ?? null,
        s.sale ?? price,
        currency,
        s.sale !== undefined,
        s.availability ?? 'IN_STOCK',
        s.condition ?? 'NEW',
        s.category?.[0] ?? null,
        s.category?.[1] ?? null,
        s.productType ?? null,
        s.group ?? null,
        s.color ?? null,
        s.size ?? null,
        s.gender ?? null,
        JSON.stringify(s.images ?? []),
        s.at,
      ],
    );
    ids[s.key] = productId(id); // as the API answers it
    return id;
  };

  const list = async (variables: Record<string, unknown>) => {
    const data = await api.gqlOk<{
      products: {
        nodes: { id: string }[];
        edges: { cursor: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        matchMode: string;
      };
    }>(LIST, variables);
    return { ...data.products, keys: data.products.nodes.map((n) => name(n.id)) };
  };
  const keys = async (variables: Record<string, unknown>) => (await list({ first: 50, ...variables })).keys;
  const total = async (variables: Record<string, unknown>) =>
    (await api.gqlOk<{ products: { totalCount: number; totalCountExact: boolean } }>(COUNT, variables)).products;

  /** Every page of a search, following endCursor. */
  const walk = async (variables: Record<string, unknown>, first: number) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = await list({ ...variables, first, after });
      seen.push(...page.keys);
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  };

  beforeAll(async () => {
    api = await startTestApi(createApi);
    for (const [key, label] of [
      ['acme', 'Acme Outdoor'],
      ['bolt', 'Bolt Sports'],
      ['cora', 'Cora Home'],
      ['empty', 'Empty Co'],
    ]) {
      brands[key] = (await registerBrand(api, label)).id;
      const [feed] = await api.runtime.dataSource.query(
        `INSERT INTO feed (brand_id, name, source) VALUES ($1, 'Main', 'UPLOAD') RETURNING id`,
        [rawId(brands[key])],
      );
      feeds[key] = feed.id;
    }
    for (const s of CATALOG) await insert(s);
    // Staged but never published: must stay invisible.
    await api.runtime.dataSource.query(
      `INSERT INTO item_revision (feed_id, offer_id, content_hash, brand_id, "row", data)
       VALUES ($1, 'secret-1', 'h1', $2, 1, $3)`,
      [
        rawId(feeds.acme),
        rawId(brands.acme),
        JSON.stringify({ offerId: 'secret-1', title: 'Prototype Hoverboard Sneakers' }),
      ],
    );
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  describe('text search', () => {
    it('ranks a title match above a description-only match', async () => {
      expect(await keys({ query: 'backpack' })).toEqual(['backpack', 'jacket']);
    });

    it('stems English words: "running" finds run, runs and running, not runner', async () => {
      const found = await keys({ query: 'running' });
      expect(new Set(found)).toEqual(new Set(['shoeRed', 'shoeBlue', 'shorts', 'backpack']));
      // Titles first: the description-only "run" comes last.
      expect(found.at(-1)).toBe('backpack');
    });

    it('weights brand, product type and category between title and description', async () => {
      const found = await keys({ query: 'footwear' });
      expect(new Set(found)).toEqual(new Set(['shoeRed', 'shoeBlue', 'sneakers']));
    });

    it('tolerates typos: "sneakrs" finds the sneakers', async () => {
      const page = await list({ query: 'sneakrs', first: 10 });
      expect(page.keys[0]).toBe('sneakers');
      expect(page.matchMode).toBe('FUZZY');
      expect(await keys({ query: 'ceramc coffe' })).toEqual(['mug']);
      // Only the unknown word is matched by similarity; the known one must match as it is.
      expect(await keys({ query: 'canvas sneakrs' })).toEqual(['sneakers']);
      expect(await keys({ query: 'hiking sneakrs' })).toEqual([]);
      expect((await list({ query: 'shoe' })).matchMode).toBe('FULL_TEXT');
    });

    it('supports websearch syntax (exclusion)', async () => {
      expect(new Set(await keys({ query: 'running -shorts' }))).toEqual(new Set(['shoeRed', 'shoeBlue', 'backpack']));
    });

    it('never shows staged, unpublished items', async () => {
      expect(await keys({ query: 'hoverboard' })).toEqual([]);
      expect(await keys({ query: 'prototype' })).toEqual([]);
      expect((await total({ query: 'hoverboard' })).totalCount).toBe(0);
      expect(await keys({ query: 'sneakers' })).toEqual(['sneakers']);
    });

    it('rejects an over-long query and a bad page size', async () => {
      const long = await api.gql(LIST, { query: 'x'.repeat(201) });
      expect(long.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const big = await api.gql(LIST, { first: 101 });
      expect(big.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('filters', () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['brandIds', { brandIds: ['<bolt>'] }, ['socks', 'shorts', 'mat']],
      ['category path prefix', { category: 'Apparel & Accessories > Clothing' }, ['jacket', 'socks', 'shorts']],
      ['category id (with subcategories)', { category: '187' }, ['shoeRed', 'shoeBlue', 'sneakers']],
      ['category id of a parent', { category: '1604' }, ['jacket', 'socks', 'shorts']],
      [
        'price in one currency',
        { price: { min: '40', max: '89.99', currency: 'USD' } },
        ['shoeRed', 'shoeBlue', 'sneakers', 'backpack'],
      ],
      ['price below, any currency', { price: { max: '30' } }, ['socks', 'mat']],
      ['price with a sale price', { price: { max: '70', currency: 'USD' } }, ['shoeBlue', 'sneakers', 'tableRunner']],
      ['availability', { availability: ['OUT_OF_STOCK', 'PREORDER'] }, ['jacket', 'shorts']],
      ['condition', { condition: 'REFURBISHED' }, ['mat']],
      ['color (case-insensitive)', { color: 'BLACK' }, ['socks', 'shorts']],
      ['size', { size: ['m'] }, ['jacket', 'socks']],
      ['gender', { gender: 'MALE' }, ['socks', 'shorts']],
      ['onSale', { onSale: true }, ['shoeBlue']],
    ];
    it.each(cases)('%s', async (_label, filter, expected) => {
      const resolved = JSON.parse(JSON.stringify(filter).replace(/<(\w+)>/g, (_m, b: string) => brands[b]));
      expect(new Set(await keys({ filter: resolved }))).toEqual(new Set(expected));
      expect((await total({ filter: resolved })).totalCount).toBe(expected.length);
    });

    it('combines filters with a query', async () => {
      expect(await keys({ query: 'shorts', filter: { brandIds: [brands.bolt] } })).toEqual(['shorts']);
      // A correctly spelled word that matches little is not "corrected" into similar words.
      const running = await list({ query: 'running', filter: { brandIds: [brands.bolt] } });
      expect(running.keys).toEqual(['shorts']);
      expect(running.matchMode).toBe('FULL_TEXT');
      expect(new Set(await keys({ query: 'running', filter: { color: ['red', 'green'] } }))).toEqual(
        new Set(['shoeRed', 'backpack']),
      );
    });

    it('rejects bad filter values', async () => {
      const bad = await api.gql(LIST, { filter: { price: { currency: 'XX1' } } });
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const inverted = await api.gql(LIST, { filter: { price: { min: '10', max: '5' } } });
      expect(inverted.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('takes money as the decimal string it returns, exact to the currency, and refuses anything else', async () => {
      // What Money.amount says goes back into filter.price unchanged and finds the product: "1500" yen, "89.99" USD.
      for (const key of ['mug', 'shoeRed']) {
        const { product } = await api.gqlOk<any>('query($id: ID!) { product(id: $id) { price { amount currency } } }', {
          id: ids[key],
        });
        const { amount, currency } = product.price;
        expect(amount).toMatch(currency === 'JPY' ? /^\d+$/ : /^\d+\.\d{2}$/);
        expect(await keys({ filter: { price: { min: amount, max: amount, currency } } })).toContain(key);
      }
      expect(await keys({ filter: { price: { min: '1500', max: '1500', currency: 'JPY' } } })).toEqual(['mug']);
      expect(await keys({ filter: { price: { min: '1501', currency: 'JPY' } } })).toEqual([]);
      for (const price of [
        { min: '1500.5', currency: 'JPY' }, // yen have no decimals
        { max: '19.999', currency: 'USD' }, // cents have two
        { min: '0.00001' }, // no currency has five
        { min: 'abc' },
        { min: '-5' },
        { min: '1e3' },
        { max: ' ' },
      ]) {
        const res = await api.gql(LIST, { filter: { price } });
        expect([price, res.errors?.[0].extensions?.code]).toEqual([price, 'BAD_USER_INPUT']);
      }
      // A float is not a decimal string: the variable is refused before the search runs.
      const float = await api.gql(LIST, { filter: { price: { min: 19.99, currency: 'USD' } } });
      expect(float.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('sorts', () => {
    const byTime = (group: string[]) => [...group].sort((a, b) => (rawId(ids[a]) < rawId(ids[b]) ? -1 : 1));

    it('NEWEST by default without a query: newest publish first, then by id', async () => {
      const expected = [
        ...byTime(['mug', 'tableRunner']),
        ...byTime(['socks', 'shorts', 'mat']),
        ...byTime(['shoeRed', 'shoeBlue', 'sneakers', 'backpack', 'jacket']),
      ];
      expect(await keys({})).toEqual(expected);
      expect(await keys({ sort: 'NEWEST' })).toEqual(expected);
    });

    it('PRICE_ASC and PRICE_DESC by effective price (sale price when on sale)', async () => {
      const usd = { price: { currency: 'USD' } };
      expect(await keys({ sort: 'PRICE_ASC', filter: usd })).toEqual([
        'tableRunner',
        'sneakers',
        'shoeBlue',
        'backpack',
        'shoeRed',
        'jacket',
      ]);
      expect(await keys({ sort: 'PRICE_DESC', filter: usd })).toEqual([
        'jacket',
        'shoeRed',
        'backpack',
        'shoeBlue',
        'sneakers',
        'tableRunner',
      ]);
      // Across currencies: grouped by currency.
      expect(await keys({ sort: 'PRICE_ASC', filter: { brandIds: [brands.bolt, brands.cora] } })).toEqual([
        'socks',
        'mat',
        'shorts',
        'mug',
        'tableRunner',
      ]);
    });

    it('RELEVANCE by default with a query; an explicit sort overrides it', async () => {
      expect(await keys({ query: 'backpack' })).toEqual(['backpack', 'jacket']);
      expect(await keys({ query: 'backpack', sort: 'PRICE_DESC' })).toEqual(['jacket', 'backpack']);
      expect(await keys({ query: 'backpack', sort: 'PRICE_ASC' })).toEqual(['backpack', 'jacket']);
    });
  });

  describe('pagination', () => {
    it.each([
      ['NEWEST', {}],
      ['PRICE_ASC', {}],
      ['PRICE_DESC', {}],
      ['RELEVANCE', { query: 'running or shoe or socks or mat or mug' }],
    ])('walks %s page by page without duplicates or gaps', async (sort, extra) => {
      const all = await keys({ sort, ...extra });
      for (const size of [1, 2, 3]) expect(await walk({ sort, ...extra }, size)).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
    });

    it('keeps a cursor valid while rows are published and removed between pages', async () => {
      const first = await list({ first: 3 });
      expect(first.keys).toEqual((await keys({})).slice(0, 3));
      const before = await keys({});
      // A publish: one product of the next page removed, a new one added (the newest of all).
      const removed = before[4];
      await api.runtime.dataSource.query('DELETE FROM catalog_product WHERE id = $1', [rawId(ids[removed])]);
      await insert({
        key: 'newHat',
        brand: 'cora',
        title: 'Wool Hat',
        price: [2000, 'USD'],
        at: new Date().toISOString(),
      });
      const rest: string[] = [];
      let after = first.pageInfo.endCursor;
      for (;;) {
        const page = await list({ first: 3, after });
        rest.push(...page.keys);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(rest).toEqual(before.slice(3).filter((k) => k !== removed));
      expect(rest.filter((k) => first.keys.includes(k))).toEqual([]);
      // Restore the fixed catalog for the other tests.
      await api.runtime.dataSource.query('DELETE FROM catalog_product WHERE id = $1', [rawId(ids.newHat)]);
      await insert(CATALOG.find((s) => s.key === removed)!);
    });

    it('refuses a cursor of another search, or garbage', async () => {
      const page = await list({ query: 'running', first: 1 });
      const other = await api.gql(LIST, { query: 'shoe', first: 1, after: page.pageInfo.endCursor });
      expect(other.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const garbage = await api.gql(LIST, { first: 1, after: 'not-a-cursor' });
      expect(garbage.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('totalCount and facets', () => {
    it('counts every facet exactly for a query', async () => {
      const data = await api.gqlOk<any>(
        `{ products(query: "running", first: 1) {
            totalCount totalCountExact
            facets {
              exact
              brand { id name count }
              category { path id count }
              availability { value count }
              color { value count }
              size { value count }
              price { currency min max count }
            }
        } }`,
      );
      const { totalCount, totalCountExact, facets } = data.products;
      expect(totalCount).toBe(4);
      expect(totalCountExact).toBe(true);
      expect(facets.exact).toBe(true);
      expect(facets.brand).toEqual([
        { id: brands.acme, name: 'Acme Outdoor', count: 3 },
        { id: brands.bolt, name: 'Bolt Sports', count: 1 },
      ]);
      expect(facets.category).toEqual([
        { path: 'Apparel & Accessories', id: 166, count: 3 },
        { path: 'Luggage & Bags', id: 5181, count: 1 },
      ]);
      expect(facets.availability).toEqual([
        { value: 'IN_STOCK', count: 3 },
        { value: 'PREORDER', count: 1 },
      ]);
      expect(facets.color).toEqual([
        { value: 'black', count: 1 },
        { value: 'Blue', count: 1 },
        { value: 'Green', count: 1 },
        { value: 'Red', count: 1 },
      ]);
      expect(facets.size).toEqual([
        { value: '42', count: 1 },
        { value: '43', count: 1 },
        { value: 'L', count: 1 },
      ]);
      expect(facets.price).toEqual([
        { currency: 'EUR', min: '25.00', max: '49.99', count: 1 },
        { currency: 'USD', min: '50.00', max: '99.99', count: 3 },
      ]);
    });

    it('gives the next category level below a category filter, and buckets per currency', async () => {
      const data = await api.gqlOk<any>(
        `{ products(filter: { category: "Apparel & Accessories" }, first: 1) {
            totalCount facets { category { path count } price { currency min max count } }
        } }`,
      );
      expect(data.products.totalCount).toBe(6);
      expect(data.products.facets.category).toEqual([
        { path: 'Apparel & Accessories > Clothing', count: 3 },
        { path: 'Apparel & Accessories > Shoes', count: 3 },
      ]);
      const yen = await api.gqlOk<any>(
        `{ products(filter: { brandIds: ["${brands.cora}"] }, first: 1) { facets { price { currency min max count } } } }`,
      );
      expect(yen.products.facets.price).toEqual([
        { currency: 'JPY', min: '1000', max: '2499', count: 1 },
        { currency: 'USD', min: '25.00', max: '49.99', count: 1 },
      ]);
    });
  });

  describe('product and brands', () => {
    it('returns a live product with brand, price, images and variants', async () => {
      const data = await api.gqlOk<any>(
        `query($id: ID!) { product(id: $id) {
            id offerId title brand { id name } brandName onSale
            price { amount currency formatted } salePrice { amount formatted }
            availability condition category { id path } color size gender imageLink publishedAt
            images { url sourceUrl role width height placeholder dominantColor renditions { size url } }
            variants { nodes { id color } }
        } }`,
        { id: ids.shoeBlue },
      );
      const p = data.product;
      expect(p).toMatchObject({
        id: ids.shoeBlue,
        offerId: 'shoeBlue',
        title: 'Trail Running Shoe',
        brand: { id: brands.acme, name: 'Acme Outdoor' },
        brandName: 'ACME',
        onSale: true,
        price: { amount: '89.99', currency: 'USD', formatted: '$89.99' },
        salePrice: { amount: '69.99', formatted: '$69.99' },
        availability: 'IN_STOCK',
        condition: 'NEW',
        category: { id: 187, path: 'Apparel & Accessories > Shoes' },
        gender: 'UNISEX',
        imageLink: 'https://img.example/shoeBlue.jpg',
        publishedAt: '2025-03-01T10:00:00.000Z',
      });
      // Not processed yet: the source URL stands in.
      expect(p.images).toEqual([
        {
          url: 'https://img.example/shoeBlue.jpg',
          sourceUrl: 'https://img.example/shoeBlue.jpg',
          role: 'MAIN',
          width: null,
          height: null,
          placeholder: null,
          dominantColor: null,
          renditions: [],
        },
      ]);
      expect(p.variants.nodes.map((v: { id: string }) => v.id).sort()).toEqual([ids.shoeRed, ids.shoeBlue].sort());

      const backpack = await api.gqlOk<any>(
        `query($id: ID!) { product(id: $id) { images { url width dominantColor renditions { size url } } variants { nodes { id } totalCount } } }`,
        { id: ids.backpack },
      );
      expect(backpack.product.images).toEqual([
        {
          url: 'https://cdn.example/b/1024.webp',
          width: 1200,
          dominantColor: '#336633',
          renditions: [
            { size: 256, url: 'https://cdn.example/b/256.webp' },
            { size: 1024, url: 'https://cdn.example/b/1024.webp' },
          ],
        },
      ]);
      expect(backpack.product.variants).toEqual({ nodes: [], totalCount: 0 });

      const yen = await api.gqlOk<any>(`query($id: ID!) { product(id: $id) { price { amount formatted } } }`, {
        id: ids.mug,
      });
      expect(yen.product.price).toEqual({ amount: '1500', formatted: '¥1,500' });
    });

    it('returns null for an unknown, malformed or unpublished id', async () => {
      const q = 'query($id: ID!) { product(id: $id) { id } }';
      expect((await api.gqlOk<any>(q, { id: randomUUID() })).product).toBeNull();
      expect((await api.gqlOk<any>(q, { id: 'nope' })).product).toBeNull();
      const [identity] = await api.runtime.dataSource.query(
        `INSERT INTO product_identity (brand_id, feed_id, offer_id) VALUES ($1, $2, 'secret-1') RETURNING id`,
        [rawId(brands.acme), rawId(feeds.acme)],
      );
      expect((await api.gqlOk<any>(q, { id: identity.id })).product).toBeNull();
    });

    it('loads the variants of a whole page in one go', async () => {
      const data = await api.gqlOk<any>(
        `{ products(query: "shoe", first: 5) { nodes { itemGroupId variants { nodes { id } } } } }`,
      );
      expect(data.products.nodes).toHaveLength(3);
      for (const node of data.products.nodes) expect(node.variants.nodes).toHaveLength(node.itemGroupId ? 2 : 0);
    });

    it('pages a product’s variants', async () => {
      const q = `query($id: ID!, $after: String) { product(id: $id) {
        variants(first: 1, after: $after) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`;
      const one = (await api.gqlOk<any>(q, { id: ids.shoeBlue })).product.variants;
      expect(one.totalCount).toBe(2);
      expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const two = (await api.gqlOk<any>(q, { id: ids.shoeBlue, after: one.pageInfo.endCursor })).product.variants;
      expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect([...one.nodes, ...two.nodes].map((v: { id: string }) => v.id).sort()).toEqual(
        [ids.shoeRed, ids.shoeBlue].sort(),
      );
    });

    it('lists brands with live products, with their product counts', async () => {
      const data = await api.gqlOk<any>('{ brands { totalCount nodes { id name createdAt productCount } } }');
      expect(data.brands.nodes.map((b: any) => [b.name, b.productCount])).toEqual([
        ['Acme Outdoor', 5],
        ['Bolt Sports', 3],
        ['Cora Home', 2],
      ]);
      expect(data.brands.totalCount).toBe(3);
      expect(data.brands.nodes.map((b: any) => b.id)).not.toContain(brands.empty);
    });

    it('pages brands forwards and backwards by name, without gaps or repeats', async () => {
      const q = `query($first: Int, $after: String, $last: Int, $before: String) {
        brands(first: $first, after: $after, last: $last, before: $before) {
          totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
      const page = async (vars: Record<string, unknown>) => (await api.gqlOk<any>(q, vars)).brands;
      const first = await page({ first: 2 });
      expect(first.nodes.map((b: any) => b.name)).toEqual(['Acme Outdoor', 'Bolt Sports']);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = await page({ first: 2, after: first.pageInfo.endCursor });
      expect(second.nodes.map((b: any) => b.name)).toEqual(['Cora Home']);
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect(second.totalCount).toBe(3);
      const back = await page({ last: 2, before: second.pageInfo.startCursor });
      expect(back.nodes.map((b: any) => b.name)).toEqual(['Acme Outdoor', 'Bolt Sports']);
      expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const tail = await page({ last: 1 });
      expect(tail.nodes.map((b: any) => b.name)).toEqual(['Cora Home']);
      expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it('gives a brand account its live product count too', async () => {
      const { apiKey } = await registerBrand(api, 'Counted');
      const data = await api.gqlOk<any>('{ me { ... on BrandPrincipal { brand { productCount } } } }', {}, apiKey);
      expect(data.me.brand.productCount).toBe(0);
    });

    it('needs no API key', async () => {
      const res = await api.gql('{ products(first: 1) { nodes { id } } brands { nodes { id } } }');
      expect(res.errors).toBeUndefined();
    });
  });

  describe('counting beyond the exact cap', () => {
    it('estimates totalCount and facets from a random sample, close to the truth', async () => {
      const db = api.runtime.dataSource;
      await db.query(
        `INSERT INTO catalog_product (id, brand_id, feed_id, version_id, offer_id, content_hash, title, price_minor,
           effective_price_minor, currency, availability, published_at)
         SELECT gen_random_uuid(), $1, $2, gen_random_uuid(), 'bulk-' || n, 'h', 'Bulk Widget ' || n, 1000 + n,
                1000 + n, 'USD', CASE WHEN n % 4 = 0 THEN 'OUT_OF_STOCK' ELSE 'IN_STOCK' END, '2025-01-01'
           FROM generate_series(1, 3000) AS n`,
        [rawId(brands.cora), rawId(feeds.cora)],
      );
      try {
        const data = await api.gqlOk<any>(
          `{ products(query: "widget", first: 2) {
              totalCount totalCountExact nodes { id } facets { exact availability { value count } }
          } }`,
        );
        const { totalCount, totalCountExact, facets, nodes } = data.products;
        expect(nodes).toHaveLength(2);
        expect(totalCountExact).toBe(false);
        expect(facets.exact).toBe(false);
        expect(Math.abs(totalCount - 3000) / 3000).toBeLessThan(0.2);
        const inStock = facets.availability.find((f: any) => f.value === 'IN_STOCK').count;
        expect(Math.abs(inStock - 2250) / 2250).toBeLessThan(0.25);
        // Under the cap, still exact.
        expect(await total({ query: 'widget', filter: { price: { max: '11', currency: 'USD' } } })).toEqual({
          totalCount: 100,
          totalCountExact: true,
        });
      } finally {
        await db.query(`DELETE FROM catalog_product WHERE offer_id LIKE 'bulk-%'`);
      }
    });
  });
});
