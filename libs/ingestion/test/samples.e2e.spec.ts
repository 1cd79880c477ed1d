import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ItemValidator, type ItemIssue } from '@brandshelf/catalog-rules';
import { readFeed } from '@brandshelf/feeds';
import { createFeed, ingest, registerBrand, startTestApi, type RunView, type TestApi } from '@brandshelf/testing';
import { createApi } from '../../../apps/api/src/create-api.js';

/**
 * Three of the test/fixtures/feeds feeds uploaded through the real API and worker: the run must count what
 * samples.spec.ts counts by reading and validating the same file in-process, and issues.csv must hold
 * the issue rows that test expects. The expected numbers are the ones derived there by reading the files.
 */
const SAMPLES = join(process.cwd(), 'test', 'fixtures', 'feeds');

interface Expected {
  file: string;
  defaultCurrency: string | null;
  format: string;
  dialect: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  skipped: Record<string, number>;
  /** Issue rows of issues.csv by `CODE:attribute`. */
  issues: Record<string, number>;
}

/** The pure path of samples.spec.ts: reader then a REPLACE validator, counted as the pipeline counts. */
async function readAndValidate(file: string, defaultCurrency: string | null) {
  const validator = new ItemValidator({ mode: 'REPLACE', defaultCurrency });
  const out = {
    rowsRead: 0,
    accepted: 0,
    rejected: 0,
    skipped: {} as Record<string, number>,
    issues: [] as ItemIssue[],
  };
  for await (const event of readFeed(createReadStream(join(SAMPLES, file)))) {
    if (event.type === 'item') {
      const result = validator.validate(event.item);
      out.issues.push(...result.issues);
      if (result.product) out.accepted++;
      else out.rejected++;
    } else if (event.type === 'issue') {
      out.issues.push(event.issue);
      if (event.issue.severity === 'ERROR' && event.issue.row > 0) out.rejected++;
    } else if (event.type === 'skip') {
      out.skipped[event.reason] = (out.skipped[event.reason] ?? 0) + 1;
    } else if (event.type === 'rows') {
      out.rowsRead = event.rowsRead;
    }
  }
  return out;
}

/** RFC 4180 records (messages hold commas and quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

type IssueRow = Record<'row' | 'item_id' | 'severity' | 'code' | 'attribute' | 'value' | 'message' | 'hint', string>;

const SAMPLE_RUNS: Expected[] = [
  {
    // 5 items, all accepted; one raw & per g:image_link.
    file: 'xml/airfeel_gmc_feed.xml',
    defaultCurrency: null,
    format: 'XML',
    dialect: 'GOOGLE_RSS',
    rowsRead: 5,
    accepted: 5,
    rejected: 0,
    skipped: {},
    issues: { 'XML_UNESCAPED_AMPERSAND:image_link': 5 },
  },
  {
    // 20 products with bare SEK prices; only the first has a description; product 14 has a placeholder image.
    file: 'xml/velofant_custom_feed.txt',
    defaultCurrency: 'SEK',
    format: 'XML',
    dialect: 'CUSTOM_XML',
    rowsRead: 20,
    accepted: 1,
    rejected: 19,
    skipped: {},
    issues: { 'MISSING_REQUIRED:description': 19, 'MISSING_IDENTIFIER:gtin': 20, 'INVALID_URL:image_link': 1 },
  },
  {
    // 16 variants, 4 of them in a draft or archived product and skipped, and an image-only row; every barcode,
    // and the shirt's MPN, in Excel's scientific notation; a Shopify CSV has no link column.
    file: 'shopify/product_template.csv',
    defaultCurrency: 'USD',
    format: 'CSV',
    dialect: 'SHOPIFY',
    rowsRead: 17,
    accepted: 0,
    rejected: 12,
    skipped: { INACTIVE: 4, IMAGE_ONLY_ROW: 1 },
    issues: {
      'INACTIVE_PRODUCT_SKIPPED:custom:Status': 4,
      'GTIN_SPREADSHEET_DAMAGED:gtin': 12,
      'MPN_SPREADSHEET_DAMAGED:mpn': 12,
      'MISSING_REQUIRED:link': 12,
    },
  },
];

describe('sample feeds through the API (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;
  const runs = new Map<string, { run: RunView; issues: IssueRow[] }>();

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Samples')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  async function upload(expected: Expected) {
    const feedId = await createFeed(api, key, {
      name: expected.file,
      ...(expected.defaultCurrency ? { defaultCurrency: expected.defaultCurrency } : {}),
    });
    const run = await ingest(api, key, feedId, readFileSync(join(SAMPLES, expected.file)));
    const res = await fetch(`${api.url}/runs/${run.id}/issues.csv`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const [header, ...records] = parseCsv(await res.text());
    expect(header).toEqual(['row', 'item_id', 'severity', 'code', 'attribute', 'value', 'message', 'hint']);
    const issues = records.map((cells) => Object.fromEntries(header.map((name, k) => [name, cells[k]])) as IssueRow);
    runs.set(expected.file, { run, issues });
    return { run, issues };
  }

  for (const expected of SAMPLE_RUNS) {
    it(`${expected.file}: the run counts what the reader and validator count`, async () => {
      const { run, issues } = await upload(expected);
      const pure = await readAndValidate(expected.file, expected.defaultCurrency);
      expect(pure).toMatchObject({
        rowsRead: expected.rowsRead,
        accepted: expected.accepted,
        rejected: expected.rejected,
        skipped: expected.skipped,
      });
      expect(run).toMatchObject({
        status: 'SUCCEEDED',
        detectedFormat: expected.format,
        dialect: expected.dialect,
        encoding: 'utf-8',
        rowsRead: pure.rowsRead,
        itemsAccepted: pure.accepted,
        itemsRejected: pure.rejected,
        rowsSkipped: Object.values(pure.skipped).reduce((sum, n) => sum + n, 0),
        rowsSkippedByReason: Object.entries(pure.skipped)
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count),
        errors: pure.issues.filter((issue) => issue.severity === 'ERROR').length,
        warnings: pure.issues.filter((issue) => issue.severity === 'WARNING').length,
        issuesStored: pure.issues.length,
        diff: { created: expected.accepted, updated: 0, unchanged: 0, removed: 0 },
      });
      expect(run.error).toBeNull();

      const byCode: Record<string, number> = {};
      for (const issue of issues) {
        const code = issue.attribute ? `${issue.code}:${issue.attribute}` : issue.code;
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
      expect(byCode).toEqual(expected.issues);
      // The same issues, row for row, as the in-process read (issues.csv is ordered by row).
      const key = (issue: { row: number | string; code: string; attribute: string | null }) =>
        `${issue.row} ${issue.code} ${issue.attribute ?? ''}`;
      expect(issues.map(key).sort()).toEqual(pure.issues.map(key).sort());
      // The summary counts agree with the rows.
      const summary = Object.fromEntries(
        run.issueSummary.map((entry) => [
          entry.attribute ? `${entry.code}:${entry.attribute}` : entry.code,
          entry.count,
        ]),
      );
      expect(summary).toEqual(expected.issues);
    });
  }

  it('issues.csv names the rows, items and values a person needs to fix the files', () => {
    const airfeel = runs.get('xml/airfeel_gmc_feed.xml')!.issues;
    expect(airfeel.map((issue) => [issue.row, issue.item_id])).toEqual([
      ['1', 'AF-714-1'],
      ['2', 'AF-714-2'],
      ['3', 'AF-714-3'],
      ['4', 'AF-616-2'],
      ['5', 'AF-616-4'],
    ]);
    expect(airfeel[0]).toMatchObject({
      severity: 'WARNING',
      code: 'XML_UNESCAPED_AMPERSAND',
      attribute: 'image_link',
      value: 'https://airfeelfilters.com/cdn/shop/files/1-set1.png?v=1748723738&width=1100',
    });
    expect(airfeel[0].hint).toContain('&amp;');

    const velofant = runs.get('xml/velofant_custom_feed.txt')!.issues;
    expect(velofant.filter((issue) => issue.code === 'MISSING_REQUIRED').map((issue) => Number(issue.row))).toEqual(
      Array.from({ length: 19 }, (_, k) => k + 2),
    );
    expect(velofant.find((issue) => issue.code === 'INVALID_URL')).toMatchObject({
      row: '14',
      item_id: 'IZUMI-CHAIN-1-8',
      severity: 'ERROR',
      attribute: 'image_link',
      value: 'BYT_TILL_DIREKT_BILDLANK_FRAN_SHOPIFY_CDN',
    });

    const shopify = runs.get('shopify/product_template.csv')!.issues;
    const damaged = shopify.filter((issue) => issue.code === 'GTIN_SPREADSHEET_DAMAGED');
    expect(damaged.map((issue) => Number(issue.row))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    // A value starting with a digit is no formula: issues.csv gives it as written.
    expect(damaged[1]).toMatchObject({ item_id: 'SRT_COT_122', severity: 'ERROR', value: '4.6347E+11' });
    expect(
      shopify.filter((issue) => issue.code === 'MISSING_REQUIRED').every((issue) => issue.attribute === 'link'),
    ).toBe(true);
    expect(shopify.filter((issue) => issue.code === 'INACTIVE_PRODUCT_SKIPPED')).toEqual([
      expect.objectContaining({ row: '14', item_id: 'PNT_DEN_285', severity: 'WARNING', value: 'draft' }),
      expect.objectContaining({ row: '15', item_id: 'PNT_DEN_305', value: 'draft' }),
      expect.objectContaining({ row: '16', item_id: 'PNT_DEN_405', value: 'draft' }),
      expect.objectContaining({ row: '18', item_id: 'HAT_GRY_275', attribute: 'custom:Status', value: 'archived' }),
    ]);
  });

  it('every sample through the API: rows read = items accepted + items rejected + rows skipped', async () => {
    const files = ['csv', 'shopify', 'xml'].flatMap((dir) =>
      readdirSync(join(SAMPLES, dir)).map((name) => `${dir}/${name}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(11);
    const feedId = await createFeed(api, key, { name: 'Every sample', defaultCurrency: 'USD' });
    for (const file of files) {
      const run = await ingest(api, key, feedId, readFileSync(join(SAMPLES, file)));
      const byReason = run.rowsSkippedByReason.reduce((sum, entry) => sum + entry.count, 0);
      expect({ file, status: run.status, rowsRead: run.rowsRead, byReason }).toEqual({
        file,
        status: 'SUCCEEDED',
        rowsRead: run.itemsAccepted + run.itemsRejected + run.rowsSkipped,
        byReason: run.rowsSkipped,
      });
      expect(run.rowsRead).toBeGreaterThan(0);
    }
  });
});
