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
 * Product set rules, fuzzed against the real API and database: any tree of AND/OR groups over any attribute,
 * operator and values (prices in any currency, text with SQL and LIKE metacharacters, accents, very long values).
 * previewProductSet answers a count and a sample no larger than asked, with every sampled product among the brand's
 * own, or a BAD_USER_INPUT naming the input at fault: never an internal error. FUZZ_RUNS scales the runs, FUZZ_SEED
 * replays one.
 */

const ATTRIBUTES = [
  'AVAILABILITY',
  'BRAND',
  'CATEGORY',
  'COLOR',
  'CONDITION',
  'CUSTOM_LABEL_0',
  'CUSTOM_LABEL_1',
  'CUSTOM_LABEL_2',
  'CUSTOM_LABEL_3',
  'CUSTOM_LABEL_4',
  'GENDER',
  'ID',
  'ON_SALE',
  'PRICE',
  'PRODUCT_TYPE',
  'SIZE',
  'TITLE',
] as const;
const OPERATORS = ['CONTAINS', 'GREATER_THAN', 'IS', 'IS_ANY_OF', 'IS_NOT', 'LESS_THAN', 'STARTS_WITH'] as const;

const HEADER =
  'id,title,description,link,image_link,availability,price,sale_price,brand,color,size,gender,condition,' +
  'product_type,google_product_category,custom_label_0';
const feed = () =>
  [
    HEADER,
    ...Array.from({ length: 30 }, (_, i) =>
      [
        `S-${i}`,
        `"${['Trail Shoe', 'Crème Jacket', '100% Wool Hat', 'C_ Tee'][i % 4]} ${i}"`,
        'A product.',
        `https://shop.example/s/${i}`,
        `https://img.example/s/${i}.jpg`,
        ['in stock', 'out of stock', 'preorder'][i % 3],
        i % 4 === 3 ? `${1000 + i} JPY` : `${(9.5 + i * 4).toFixed(2)} ${i % 2 ? 'USD' : 'EUR'}`,
        i % 5 === 0 && i % 4 !== 3 ? `${(5 + i).toFixed(2)} ${i % 2 ? 'USD' : 'EUR'}` : '',
        i % 2 ? 'Acme' : 'Ünicorn',
        ['Red', 'Blue', 'Grün'][i % 3],
        ['S', 'M', 'XL'][i % 3],
        ['male', 'female', 'unisex'][i % 3],
        ['new', 'used'][i % 2],
        '"Apparel > Shoes"',
        i % 2 ? '187' : '1604',
        i % 3 ? 'summer' : '',
      ].join(','),
    ),
  ].join('\n');

const value = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'Acme',
      'acme',
      'Ünicorn',
      'red',
      'GRÜN',
      'S',
      'IN_STOCK',
      'in stock',
      'NEW',
      'MALE',
      'unisex',
      '187',
      '1604',
      'Apparel & Accessories',
      'Apparel > Shoes',
      'summer',
      'S-3',
      'shoe',
      'true',
      'false',
      '10',
      '19.99',
      '1000',
      '0',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        '%',
        '_',
        '\\',
        "'",
        '"',
        "'; DROP TABLE catalog_product; --",
        '-1',
        '1e3',
        'NaN',
        '',
        ' ',
        'x'.repeat(5000),
      ),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
  },
);

/** The operators each attribute takes (what the API accepts; anything else is the rarer, refused case). */
const TEXT_OPERATORS = ['IS', 'IS_NOT', 'CONTAINS', 'STARTS_WITH', 'IS_ANY_OF'] as const;
const ENUM_OPERATORS = ['IS', 'IS_NOT', 'IS_ANY_OF'] as const;
const operatorsOf = (attribute: (typeof ATTRIBUTES)[number]): readonly string[] =>
  attribute === 'PRICE'
    ? ['IS', 'LESS_THAN', 'GREATER_THAN']
    : attribute === 'ON_SALE'
      ? ['IS']
      : ['AVAILABILITY', 'CONDITION', 'GENDER'].includes(attribute)
        ? ENUM_OPERATORS
        : TEXT_OPERATORS;

const wellFormed = fc.constantFrom(...ATTRIBUTES).chain((attribute) =>
  fc.constantFrom(...operatorsOf(attribute)).chain((operator) =>
    fc.record({
      attribute: fc.constant(attribute),
      operator: fc.constant(operator),
      values: operator === 'IS_ANY_OF' ? fc.array(value, { minLength: 1, maxLength: 4 }) : value.map((v) => [v]),
      ...(attribute === 'PRICE' ? { currency: fc.constantFrom('USD', 'EUR', 'JPY') } : {}),
    }),
  ),
);

const anything = fc.record(
  {
    attribute: fc.constantFrom(...ATTRIBUTES),
    operator: fc.constantFrom(...OPERATORS),
    values: fc.array(value, { minLength: 0, maxLength: 4 }),
    currency: fc.constantFrom('USD', 'usd', 'XXX', '', '€'),
  },
  { requiredKeys: ['attribute', 'operator', 'values'] },
);

const condition = fc.oneof({ weight: 6, arbitrary: wellFormed }, { weight: 1, arbitrary: anything });

type Rule = { condition?: unknown; all?: Rule[]; any?: Rule[] };
const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: condition.map((c) => ({ condition: c })) },
    { weight: 1, arbitrary: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })) },
    { weight: 1, arbitrary: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })) },
  ),
}));

const PREVIEW = `query($rules: ProductSetRuleInput!, $sample: Int) {
  previewProductSet(rules: $rules, sample: $sample) { count sample { id brand { id } } }
}`;

describe('product set rules with any input (fuzzed, e2e)', () => {
  let api: TestApi;
  let apiKey: string;
  let brandId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ apiKey, id: brandId } = await registerBrand(api, 'Set Fuzz'));
    const feedId = await createFeed(api, apiKey, { name: 'Sets', defaultCurrency: 'USD' });
    const run = await ingest(api, apiKey, feedId, feed());
    await api.gqlOk(
      `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }`,
      { runId: run.id },
      apiKey,
    );
    // Another brand's products must never show.
    const other = await registerBrand(api, 'Other Brand');
    const otherFeed = await createFeed(api, other.apiKey, { name: 'Other' });
    const otherRun = await ingest(api, other.apiKey, otherFeed, feed());
    await api.gqlOk(
      `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }`,
      { runId: otherRun.id },
      other.apiKey,
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('previews a count and a sample of the brand’s own products, or BAD_USER_INPUT, never an internal error', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rule, fc.integer({ min: 0, max: 50 }), async (rules, sample) => {
        const res = await api.gql<any>(PREVIEW, { rules, sample }, apiKey);
        if (res.errors?.length) {
          for (const error of res.errors) {
            expect({ code: error.extensions?.code, message: typeof error.message }).toEqual({
              code: 'BAD_USER_INPUT',
              message: 'string',
            });
          }
          return;
        }
        answered++;
        const { count, sample: products } = res.data.previewProductSet;
        expect(count).toBeGreaterThanOrEqual(0);
        expect(count).toBeLessThanOrEqual(30);
        expect(products.length).toBeLessThanOrEqual(Math.min(sample, count));
        for (const product of products) expect(product.brand.id).toBe(brandId);
      }),
      fuzzOptions(150),
    );
    if (process.env.FUZZ_LOG) console.log('answered', answered);
    expect(answered).toBeGreaterThan(fuzzRuns(150) / 4);
  });
});
