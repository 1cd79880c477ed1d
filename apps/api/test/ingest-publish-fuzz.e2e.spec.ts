import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  createFeed,
  registerBrand,
  startTestApi,
  uploadFeed,
  waitForRun,
  type TestApi,
  fuzzOptions,
  fuzzRuns,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Whole runs on fuzzed files, end to end: rows whose cells hold anything a platform export or a hand-edited sheet can
 * (very long values, every kind of whitespace and quote, accents, emoji, repeated ids, prices in any notation) go
 * through upload, reading, validation, staging and publishing on the real database. A run ends SUCCEEDED or FAILED
 * with a specific code, never INTERNAL_ERROR; every row is accounted for; a publish answers a publication or a typed
 * userError; and the catalog it leaves is searchable. FUZZ_RUNS scales the runs, FUZZ_SEED replays one.
 */

const HEADER = 'id,title,description,link,image_link,availability,price,sale_price,brand,gtin,item_group_id,color,size';

/** Mostly a value a good export has, sometimes a mistake exports make, sometimes anything. */
const cell = (valid: string[], mistakes: string[] = ['']) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...mistakes) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        fc.constantFrom('', ' ', '"', '""', '\t', '\r\n', 'x'.repeat(6000), '=1+1', '<b>bold</b>', '&amp;', '\u00a0'),
      ),
    },
  );

const row = fc.record({
  id: cell(['A-1', 'A-2', 'B-7', 'SKU 9', 'Ü-1', 'C-3', 'D-4', 'E-5'], ['', ' A-1 ', 'x'.repeat(200)]),
  title: cell(['Trail Shoe', 'Crème Jacket', 'WOOL HAT', 'Tee 👕', 'Boot  Pro'], ['', 'x'.repeat(200)]),
  description: cell(['Light and fast.', '<p>Soft</p>', 'Dry; packable', 'Warm &amp; dry'], ['', '<p></p>']),
  link: cell(['https://shop.example/p/1', 'http://shop.example/p/2'], ['shop.example/p', '']),
  image_link: cell(['https://img.example/1.jpg', 'https://img.example/2.png'], ['ftp://img.example/3.jpg', '']),
  availability: cell(['in stock', 'out of stock', 'preorder', 'In Stock'], ['available', '']),
  price: cell(['19.99 USD', '100 USD', '5 USD', '$5', '12.50'], ['1000 JPY', '1.234,50 €', '-1 USD', '19.999 USD']),
  sale_price: cell(['', '', '9.99 USD', '4 USD'], ['200 USD', '5 EUR']),
  brand: cell(['Acme', 'Ünicorn'], ['']),
  gtin: cell(['', '4006381333931', '0012345678905'], ['4006381333932', '12345']),
  item_group_id: cell(['', 'G1', 'G2']),
  color: cell(['Red', 'Blue/Green', '']),
  size: cell(['M', 'XL', '42', '']),
});

/** A cell as a CSV writer would quote it. */
const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) {
  publication { created updated removed } userErrors { code message } } }`;

describe('whole runs on fuzzed files (e2e)', () => {
  let api: TestApi;
  let key: string;
  let feedId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Run Fuzz')).apiKey;
    // Safety limits off: fuzzed files reject many rows, and what is tested is every step's outcome, not the limits.
    feedId = await createFeed(api, key, {
      name: 'Fuzzed file',
      defaultCurrency: 'USD',
      maxRejectedShare: 1,
      maxRemovalShare: 1,
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it(
    'ends every run with a specific outcome, accounts for every row, and publishes or says why not',
    async () => {
      let published = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.boolean(), async (rows, crlf) => {
          const lines = [HEADER, ...rows.map((r) => Object.values(r).map(csvCell).join(','))];
          const body = lines.join(crlf ? '\r\n' : '\n');
          const upload = await uploadFeed(api, key, feedId, body);
          expect(upload.status).toBe(202);
          const run = await waitForRun(api, key, upload.json.runId);
          expect(['SUCCEEDED', 'FAILED']).toContain(run.status);
          if (run.status === 'FAILED') {
            // The one refusal a fuzzed run may earn is the safety limit on rejected rows, with its reason.
            expect(run.error?.code).not.toBe('INTERNAL_ERROR');
            return;
          }
          expect(run.itemsAccepted + run.itemsRejected + run.rowsSkipped).toBe(run.rowsRead);
          expect(run.rowsRead).toBe(rows.length);
          const res = await api.gql<any>(PUBLISH, { runId: run.id }, key);
          expect(res.errors).toBeUndefined();
          const { publication, userErrors } = res.data.publishRun;
          if (publication) published++;
          else expect(userErrors.length).toBeGreaterThan(0);
          if (process.env.FUZZ_LOG && !publication) console.log(JSON.stringify(userErrors));
          const search = await api.gql<any>('{ products(first: 50) { totalCount nodes { id title } } }');
          expect(search.errors).toBeUndefined();
        }),
        fuzzOptions(12),
      );
      if (process.env.FUZZ_LOG) console.log('published', published);
      expect(published).toBeGreaterThan(0);
      // A run is a few hundred ms; FUZZ_RUNS makes many.
    },
    60_000 + fuzzRuns(12) * 5_000,
  );
});
