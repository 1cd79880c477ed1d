import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi, fuzzOptions } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Feed rules through the API, fuzzed: any list of rules (conditions, AND/OR, every action, templates, patterns,
 * lookup tables, values with NUL-free oddities) is either stored as a new version or refused with userErrors naming
 * the path; previewFeedRules of the same list answers or refuses alike; and a run under stored rules ends with a
 * specific outcome, never INTERNAL_ERROR. FUZZ_RUNS scales the runs, FUZZ_SEED replays one.
 */

const OPERATORS = [
  'CONTAINS',
  'ENDS_WITH',
  'EQUALS',
  'GREATER_OR_EQUAL',
  'GREATER_THAN',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
  'LESS_OR_EQUAL',
  'LESS_THAN',
  'MATCHES',
  'NOT_EQUALS',
  'STARTS_WITH',
] as const;

const attribute = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'title',
      'description',
      'price',
      'link',
      'brand',
      'color',
      'id',
      'custom:material',
      'handle',
      'google_product_category',
      'custom_label_0',
      'g:price',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('shoe', 'Acme', '20 USD', '150', 'red', '', ' ', 'Crème', '{id}', '$1', '100%'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const pattern = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('\\s+', '(\\w+)-(\\d+)', 'shoe|boot', '^A', '(?<n>\\d+)', '[', '(a+)+$', '\\1'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
const template = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('https://shop.example/p/{id}', '{brand} {title}', '{{', '{missing}', '{custom:Handle}'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);

type Condition = {
  attribute?: string;
  operator?: string;
  value?: string;
  values?: string[];
  all?: Condition[];
  any?: Condition[];
};
const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      weight: 5,
      arbitrary: fc.record(
        { attribute, operator: fc.constantFrom(...OPERATORS), value: text, values: fc.array(text, { maxLength: 3 }) },
        { requiredKeys: ['attribute', 'operator'] },
      ),
    },
    { weight: 1, arbitrary: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })) },
    { weight: 1, arbitrary: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })) },
  ),
}));

const action = fc.oneof(
  fc.record({ type: fc.constant('SET'), attribute, value: text }),
  fc.record({ type: fc.constant('SET'), attribute, template }),
  fc.record({ type: fc.constantFrom('APPEND', 'PREPEND'), attribute, value: text }),
  fc.record({ type: fc.constant('REPLACE'), attribute, pattern, replacement: text }),
  fc.record({ type: fc.constantFrom('LOWERCASE', 'UPPERCASE', 'TITLECASE'), attribute }),
  fc.record({ type: fc.constant('TRUNCATE'), attribute, maxLength: fc.integer({ min: -5, max: 200 }) }),
  fc.record({ type: fc.constant('SET_CUSTOM_LABEL'), index: fc.integer({ min: -1, max: 6 }), value: text }),
  fc.record(
    {
      type: fc.constant('MAP'),
      attribute,
      targetAttribute: attribute,
      table: fc.array(fc.record({ from: text, to: text }), { maxLength: 4 }),
      defaultValue: text,
    },
    { requiredKeys: ['type', 'attribute', 'table'] },
  ),
  fc.constant({ type: 'EXCLUDE' }),
);

const rule = fc.record(
  {
    ruleId: fc.oneof(fc.constantFrom('r1', 'r2', 'r3', 'links'), fc.string({ maxLength: 8 })),
    name: fc.oneof(fc.constantFrom('Rule', 'Links from handle', 'Été'), fc.string({ maxLength: 8 })),
    enabled: fc.boolean(),
    when: condition,
    actions: fc.array(action, { minLength: 0, maxLength: 3 }),
  },
  { requiredKeys: ['ruleId', 'name', 'actions'] },
);

const FILE = [
  'id,title,description,link,image_link,availability,price,brand,color,Handle',
  'A-1,Trail Shoe,Light and fast,https://shop.example/a-1,https://img.example/a-1.jpg,in stock,89.99 USD,Acme,Red,trail-shoe',
  'A-2,Rain Boot,,,https://img.example/a-2.jpg,in stock,19.00 USD,Bolt,Blue,rain-boot',
  'A-3,Crème Tee,Soft  cotton; washed,https://shop.example/a-3,https://img.example/a-3.jpg,out of stock,150 USD,,,',
].join('\n');

const SET = `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) {
  feedRules { version } userErrors { code message field } } }`;
const PREVIEW = `query($feedId: ID!, $rules: [FeedRuleInput!]!) { previewFeedRules(feedId: $feedId, rules: $rules, sample: 5) {
  itemsRead itemsChanged itemsExcluded validBefore validAfter sample { row } } }`;

describe('feed rules through the API with any input (fuzzed, e2e)', () => {
  let api: TestApi;
  let key: string;
  let feedId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Rules Fuzz')).apiKey;
    feedId = await createFeed(api, key, { name: 'Rules fuzz', storeUrl: 'https://shop.example' });
    // A stored source for the previews.
    await ingest(api, key, feedId, FILE);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('previews an item a rule changes and a later rule excludes as excluded only, as a run counts it (the fuzz run found it counted twice)', async () => {
    const rules = [
      {
        ruleId: 'r1',
        name: 'Set then drop',
        actions: [{ type: 'SET', attribute: 'title', value: 'New' }, { type: 'EXCLUDE' }],
      },
    ];
    const preview = (
      await api.gqlOk<any>(
        PREVIEW.replace('itemsRead', 'itemsRead rules { ruleId itemsChanged itemsExcluded }'),
        { feedId, rules },
        key,
      )
    ).previewFeedRules;
    expect(preview).toMatchObject({ itemsRead: 3, itemsChanged: 0, itemsExcluded: 3 });
    expect(preview.rules).toEqual([{ ruleId: 'r1', itemsChanged: 0, itemsExcluded: 3 }]);
  });

  it('stores or refuses any rules with their path, previews them alike, and runs under them to a specific outcome', async () => {
    let stored = 0;
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 0, maxLength: 4 }), fc.boolean(), async (rules, runNow) => {
        const set = await api.gql<any>(SET, { input: { feedId, rules } }, key);
        const preview = await api.gql<any>(PREVIEW, { feedId, rules }, key);
        for (const error of [...(set.errors ?? []), ...(preview.errors ?? [])]) {
          expect(error.extensions?.code).toBe('BAD_USER_INPUT');
        }
        if (set.errors?.length) return;
        const { feedRules, userErrors } = set.data.setFeedRules;
        if (!feedRules) {
          expect(userErrors.length).toBeGreaterThan(0);
          for (const e of userErrors) expect(e.field[0]).toBe('input');
          return;
        }
        stored++;
        // What stores, previews.
        expect(preview.errors).toBeUndefined();
        const p = preview.data.previewFeedRules;
        expect(p.itemsRead).toBe(3);
        expect(p.itemsChanged + p.itemsExcluded).toBeLessThanOrEqual(3);
        if (!runNow) return;
        ran++;
        const run = await ingest(api, key, feedId, FILE);
        expect(['SUCCEEDED', 'FAILED']).toContain(run.status);
        if (run.status === 'FAILED') expect(run.error?.code).not.toBe('INTERNAL_ERROR');
      }),
      fuzzOptions(40),
    );
    if (process.env.FUZZ_LOG) console.log('stored', stored);
    expect(stored).toBeGreaterThan(0);
    expect(ran).toBeGreaterThanOrEqual(0);
  });
});
