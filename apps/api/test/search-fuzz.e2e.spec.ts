import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  createFeed,
  ingest,
  registerBrand,
  startTestApi,
  type TestApi,
  fuzzOptions,
  fuzzRuns,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * What creators type into search, fuzzed against the real API and database: any text (full-text operators, quotes,
 * backslashes, accents, emoji, very long words), any filter values and cursors. Every answer is either a page no
 * longer than asked, with counts that hold it, or a BAD_USER_INPUT naming what was wrong: never an internal error.
 * FUZZ_RUNS scales the runs, FUZZ_SEED replays one.
 */

const HEADER = 'id,title,description,link,image_link,availability,price,sale_price,brand,color,google_product_category';
const TITLES = [
  'Trail Running Shoe',
  'Crème brûlée Torch',
  'Café Espresso Cup',
  'Žlutý Kůň Mug',
  'Smörgåsbord Board',
  "Men's Rain Jacket",
  'C++ Programming Tee',
  '100% Wool Socks',
  'Back-to-School Backpack',
  'Naïve Art Print',
];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'SEK'];

const feed = () =>
  [
    HEADER,
    ...Array.from({ length: 40 }, (_, i) => {
      const currency = CURRENCIES[i % CURRENCIES.length];
      const price = currency === 'JPY' ? `${1000 + i * 37} JPY` : `${(5 + i * 3.25).toFixed(2)} ${currency}`;
      const sale = i % 5 === 0 && currency !== 'JPY' ? `${(4 + i * 2.5).toFixed(2)} ${currency}` : '';
      return [
        `F-${i}`,
        `"${TITLES[i % TITLES.length]} ${i}"`,
        `"Made for long days; item ${i} of the fuzz catalog"`,
        `https://shop.example/p/${i}`,
        `https://img.example/${i}.jpg`,
        i % 7 === 0 ? 'out of stock' : 'in stock',
        price,
        sale,
        i % 2 ? 'Acme' : 'Ünicorn & Co',
        ['Red', 'Blue', 'Grün', 'Black'][i % 4],
        i % 3 ? '187' : 'Home & Garden > Kitchen & Dining',
      ].join(',');
    }),
  ].join('\n');

const SEARCH = `query($query: String, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount totalCountExact matchMode
    nodes { id title }
    pageInfo { hasNextPage endCursor }
    facets { exact brand { id count } availability { value count } }
  }
}`;

/** Text as people (and attackers) type it. */
const typed = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc
    .array(
      fc.constantFrom(
        'shoe',
        'running',
        'crème',
        'CAFÉ',
        'kůň',
        '&',
        '|',
        '!',
        '(',
        ')',
        ':*',
        '<->',
        '<2>',
        '"',
        "'",
        '\\',
        '-',
        '+',
        '*',
        '%',
        '_',
        'OR',
        'AND',
        'NOT',
        "'; DROP TABLE catalog_product; --",
        '$1',
        '🏃',
        'ß',
        'İ',
        '\u0301',
        '\u200B',
        ' ',
        'x'.repeat(300),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(' ')),
);

// Mostly amounts a client would send, sometimes anything: a refused filter is an answer too, but not the usual one.
const decimal = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('0', '5', '19.99', '40', '120.5', '1000', '0.01') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom('-1', '1e3', '0.00001', '12,50', ' 5 ', 'NaN', 'Infinity', '999999999999999999999', ''),
      fc.float({ noNaN: true, min: -1e6, max: 1e9 }).map(String),
      fc.string({ maxLength: 8 }),
    ),
  },
);
const currency = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('USD', 'EUR', 'JPY', 'SEK') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('usd', 'XXX', 'EURO', ''), fc.string({ maxLength: 4 })) },
);

const filter = fc.record(
  {
    category: fc.oneof(fc.constantFrom('187', 'Apparel & Accessories', 'Home & Garden >', '0', '-1'), typed),
    color: fc.array(fc.oneof(fc.constantFrom('red', 'GRÜN', 'Black'), typed), { maxLength: 3 }),
    onSale: fc.boolean(),
    price: fc.record(
      {
        min: decimal,
        max: decimal,
        currency,
      },
      { requiredKeys: [] },
    ),
    availability: fc.array(fc.constantFrom('IN_STOCK', 'OUT_OF_STOCK', 'PREORDER', 'BACKORDER'), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const ALLOWED_ERRORS = new Set(['BAD_USER_INPUT']);

describe('search with any input (fuzzed, e2e)', () => {
  let api: TestApi;
  const cursors: string[] = [];

  beforeAll(async () => {
    api = await startTestApi(createApi);
    const { apiKey } = await registerBrand(api, 'Fuzz Goods');
    const feedId = await createFeed(api, apiKey, { name: 'Fuzz catalog' });
    const run = await ingest(api, apiKey, feedId, feed());
    await api.gqlOk(
      `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }`,
      { runId: run.id },
      apiKey,
    );
    // Real cursors to page from, beside made-up ones.
    for (const sort of ['RELEVANCE', 'NEWEST', 'PRICE_ASC']) {
      const page: any = await api.gqlOk(SEARCH, { query: sort === 'RELEVANCE' ? 'shoe' : null, sort, first: 3 });
      if (page.products.pageInfo.endCursor) cursors.push(page.products.pageInfo.endCursor);
    }
    expect(cursors.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await api?.close();
  });

  // Found by the property below (seed -526361349): unaccent folds ⑴ to "(1)", and the mistyped word's prefix was
  // handed to to_tsquery unquoted, "(1:*", a syntax error answered as INTERNAL_SERVER_ERROR.
  it('searches for words whose folded form holds tsquery punctuation', async () => {
    for (const query of ['⑴𐀀0', '⑴walle', 'wal(let', "o'neil!", '⒜⒝⒞⒟']) {
      const res = await api.gql<any>(SEARCH, { query, first: 5 });
      expect(res.errors ?? []).toEqual([]);
      expect(res.data.products.nodes.length).toBeLessThanOrEqual(5);
    }
  });

  it('answers a page no longer than asked, or BAD_USER_INPUT, never an internal error', async () => {
    let pages = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.option(typed, { nil: null }),
        fc.option(filter, { nil: null }),
        fc.option(fc.constantFrom('RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC'), { nil: null }),
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.oneof(
              fc.constantFrom(...cursors),
              fc.string({ maxLength: 24 }),
              fc.base64String({ maxLength: 40 }),
            ),
          },
        ),
        async (query, productFilter, sort, first, after) => {
          const res = await api.gql<any>(SEARCH, { query, filter: productFilter, sort, first, after });
          if (res.errors?.length) {
            for (const error of res.errors) {
              expect({ code: error.extensions?.code, message: error.message }).toEqual({
                code: expect.stringMatching(/^BAD_USER_INPUT$/),
                message: expect.any(String),
              });
              expect(ALLOWED_ERRORS.has(error.extensions?.code as string)).toBe(true);
            }
            return;
          }
          pages++;
          const { nodes, totalCount, facets } = res.data.products;
          expect(nodes.length).toBeLessThanOrEqual(first);
          expect(new Set(nodes.map((n: { id: string }) => n.id)).size).toBe(nodes.length);
          if (!after) expect(totalCount).toBeGreaterThanOrEqual(nodes.length);
          for (const entry of facets.brand) expect(entry.count).toBeGreaterThan(0);
        },
      ),
      fuzzOptions(120),
    );
    // Many inputs are answered with a page, not refused (the generator is not all mistakes).
    if (process.env.FUZZ_LOG) console.log('pages', pages);
    expect(pages).toBeGreaterThan(fuzzRuns(120) / 6);
  });
});
