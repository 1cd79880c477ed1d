import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ingest, registerBrand, startTestApi, type TestApi, fuzzOptions } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * A brand's feed settings, fuzzed against the real API: createFeed takes any mix of names, schedules, languages,
 * currencies, link templates, store URLs, column mappings and thresholds, and either creates the feed or says what
 * is wrong (userErrors, or BAD_USER_INPUT); a feed it creates then ingests a small file to a run that succeeds or
 * fails with a specific code, never INTERNAL_ERROR, and its settings read back as they were saved. Upload feeds
 * only: nothing here fetches, so no address outside this machine is ever asked for.
 * FUZZ_RUNS scales the runs, FUZZ_SEED replays one.
 */

const CREATE = `mutation($input: CreateFeedInput!) {
  createFeed(input: $input) {
    feed { id name format mode language defaultCurrency linkTemplate storeUrl xmlItemElement schedule
           maxRejectedShare maxRemovalShare columnMapping { column attribute } }
    userErrors { code field message }
  }
}`;

const text = (maxLength = 30) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.constantFrom('', ' ', '\u0000', '{', '}', '{{id}}', '%', '\\', '"', "'; DROP TABLE feed; --", 'x'.repeat(3000)),
  );
/** Mostly what a brand would enter, sometimes a mistake a brand makes, sometimes anything. */
const pick = <T>(valid: T[], mistakes: T[], anything: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...mistakes) },
    { weight: 1, arbitrary: anything },
  );

/** A share (0–1) mostly, sometimes outside it. */
const share = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, min: 0, max: 1 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -2, max: 3 }) },
);

const input = fc.record(
  {
    name: pick(['Main feed', 'Été 2026', 'Feed 🚀', '  Padded  '], ['', ' ', '\u0000', 'x'.repeat(3000)], text()),
    format: fc.constantFrom('AUTO', 'CSV', 'TSV', 'XML'),
    mode: fc.constantFrom('REPLACE', 'UPDATE_ONLY'),
    // An upload feed has no schedule: any is a mistake here.
    schedule: pick([null], ['every 6 hours', 'hourly', '*/5 * * * *', '61 25 * * *'], text()),
    language: pick(['en', 'sv', 'cs', 'FR'], ['fr-CA', 'zz', 'EN_us'], text(8)),
    defaultCurrency: pick(['USD', 'EUR', 'JPY', 'usd'], ['XXX', '$', 'EURO'], text(5)),
    linkTemplate: pick(
      ['https://shop.example/products/{id}', 'https://shop.example/p/{id}?ref=bs'],
      ['{missing}', 'javascript:alert(1)/{id}', '{link}?ref=brandshelf', 'https://shop.example/{{id}}/{id}'],
      text(),
    ),
    storeUrl: pick(
      ['https://shop.example', 'http://127.0.0.1:9', 'https://shop.example/sv/'],
      ['shop.example', 'ftp://x'],
      text(),
    ),
    xmlItemElement: pick(['item', 'entry', 'product', 'g:item'], ['<', '1item', 'a b'], text(12)),
    maxRejectedShare: share,
    maxRemovalShare: share,
    acceptCategorySuggestionsAbove: share,
    suggestCategories: fc.boolean(),
    autoPublish: fc.boolean(),
    columnMapping: fc.array(
      fc.record({
        column: pick(['Name', 'Cost', 'URL', 'Pic', 'SKU', 'id'], ['', ' '], text(12)),
        attribute: pick(
          ['title', 'price', 'link', 'image_link', 'id', 'custom:material', 'g:price'],
          ['', 'nope'],
          text(12),
        ),
      }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ['name'] },
);

/** Headers a mapping can point at, beside the usual ones. */
const FILE = [
  'SKU,Name,Cost,URL,Pic,description,availability,brand',
  'A-1,Trail Shoe,89.99 USD,https://shop.example/a-1,https://img.example/a-1.jpg,Light,in stock,Acme',
  'A-2,Rain Jacket,120.00 USD,https://shop.example/a-2,https://img.example/a-2.jpg,Dry,in stock,Acme',
].join('\n');

describe('feed settings with any input (fuzzed, e2e)', () => {
  let api: TestApi;
  let apiKey: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ apiKey } = await registerBrand(api, 'Settings Fuzz'));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('keeps a share too small for its column as 0, not a database error (the fuzz run found 5e-324)', async () => {
    const res = await api.gql<any>(
      CREATE.replace('maxRemovalShare', 'maxRemovalShare acceptCategorySuggestionsAbove'),
      {
        input: {
          name: 'Tiny shares',
          acceptCategorySuggestionsAbove: 5e-324,
          maxRejectedShare: 1e-320,
          maxRemovalShare: 0.1234567,
        },
      },
      apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createFeed.feed).toMatchObject({
      acceptCategorySuggestionsAbove: 0,
      maxRejectedShare: 0,
      maxRemovalShare: expect.closeTo(0.123457, 6),
    });
  });

  it('creates the feed or says what is wrong, and a created feed ingests to a specific outcome', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(input, async (feedInput) => {
        const res = await api.gql<any>(CREATE, { input: feedInput }, apiKey);
        if (res.errors?.length) {
          for (const error of res.errors) expect(error.extensions?.code).toBe('BAD_USER_INPUT');
          return;
        }
        const { feed, userErrors } = res.data.createFeed;
        if (!feed) {
          expect(userErrors.length).toBeGreaterThan(0);
          for (const e of userErrors) expect(e.message.length).toBeGreaterThan(0);
          return;
        }
        created++;
        expect(userErrors).toEqual([]);
        // Saved as given (names and texts may be trimmed, nothing else changes).
        expect(feed.format).toBe(feedInput.format ?? 'AUTO');
        expect(feed.mode).toBe(feedInput.mode ?? 'REPLACE');
        const run = await ingest(api, apiKey, feed.id, FILE);
        expect(['SUCCEEDED', 'FAILED']).toContain(run.status);
        if (run.status === 'FAILED') expect(run.error?.code).not.toBe('INTERNAL_ERROR');
        for (const entry of run.issueSummary) expect(entry.code.length).toBeGreaterThan(0);
      }),
      fuzzOptions(30),
    );
    if (process.env.FUZZ_LOG) console.log('created', created);
    expect(created).toBeGreaterThan(0);
  });
});
