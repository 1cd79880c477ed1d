import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, uploadFeed, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Nothing guessed or dropped in silence, through the real API, worker and database: a declared format the
 * file contradicts fails the run at once; a publish says which items it left out and why; a run's counters
 * and issue summary say what its catalog version holds, images included, and whether images were checked.
 */
const SAMPLES = join(process.cwd(), 'test', 'fixtures', 'feeds');

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const row = (id: string, image: string, title = `Product ${id}`) =>
  [id, title, 'Made to last.', `https://shop.example/${id}`, image, 'in stock', '10.00 USD', 'Acme', `M-${id}`].join(
    ',',
  );

const RUN = `query($id: ID!) { ingestionRun(id: $id) {
  status rowsRead rowsSkipped itemsAccepted itemsRejected errors warnings issuesStored imagesChecked versionId
  error { code message hint } issueSummary { code severity attribute count } } }`;
const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication {
  created updated unchanged removed leftOut leftOutByReason { reason count } } userErrors { code } } }`;

describe('what a run reads (images off)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Formats')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['CSV', 'xml/velofant_prisjakt_feed.xml', 'XML'],
    ['TSV', 'xml/airfeel_gmc_feed.xml', 'XML'],
    ['XML', 'shopify/products_export_velofant.csv', 'CSV'],
  ])('a %s feed given %s fails at once with FORMAT_MISMATCH', async (format, file, found) => {
    const feedId = await createFeed(api, key, { name: `${format} feed`, format });
    const run = await ingest(api, key, feedId, readFileSync(join(SAMPLES, file)));
    expect(run).toMatchObject({ status: 'FAILED', rowsRead: 0, itemsAccepted: 0, itemsRejected: 0, versionId: null });
    expect(run.error?.code).toBe('FORMAT_MISMATCH');
    expect(run.error?.message).toContain(`set to ${format}`);
    expect(run.error?.message).toContain(found);
    // One issue, the failure itself: no ragged rows, no malformed-XML noise.
    expect(run.issueSummary.map((entry) => entry.code)).toEqual(['FORMAT_MISMATCH']);
  });

  it('a WooCommerce variable product without variation rows is a rejected row with its reason, not a gap', async () => {
    // The core sample without the hoodie's four variation rows (IDs 79, 80, 81, 90).
    const lines = readFileSync(join(SAMPLES, 'csv/woocommerce_sample_products.csv'), 'utf8').split('\n');
    const file = lines.filter((line) => !/^(79|80|81|90),variation,/.test(line)).join('\n');
    const feedId = await createFeed(api, key, { name: 'Woo', defaultCurrency: 'USD' });
    const run = await ingest(api, key, feedId, file);
    // 21 rows: 18 items (14 simple, the external pennant, 3 V-neck variations), the V-neck parent and the
    // grouped collection skipped, and the hoodie parent rejected.
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 21,
      rowsSkipped: 2,
      itemsAccepted: 1,
      // 17 items without a link (only the external pennant has a URL), and the hoodie parent's row.
      itemsRejected: 17 + 1,
    });
    expect(run.rowsSkippedByReason).toEqual([
      { reason: 'GROUPED_PRODUCT', count: 1 },
      { reason: 'VARIANT_PARENT', count: 1 },
    ]);
    expect(run.issueSummary).toContainEqual(
      expect.objectContaining({ code: 'VARIABLE_WITHOUT_VARIATIONS', severity: 'ERROR', count: 1, sampleRows: [3] }),
    );
  });
});

describe('counters, summaries and publishes that say what the version holds (images on)', () => {
  let api: TestApi;
  let key: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 640, height: 640, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    server = createServer((req, res) => {
      if (req.url?.startsWith('/ok')) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      else res.writeHead(404).end('gone');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Accounting')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    server?.closeAllConnections();
    server?.close();
  });

  const runView = async (id: string) => (await api.gqlOk(RUN, { id }, key)).ingestionRun;

  it('publishRun of a run whose main images all failed says how many items it left out and why', async () => {
    const feedId = await createFeed(api, key, { name: 'Dead images' });
    const staged = await ingest(
      api,
      key,
      feedId,
      [HEADER, row('A', `${base}/a.jpg`), row('B', `${base}/b.jpg`), row('C', `${base}/c.jpg`)].join('\n'),
    );
    expect(staged).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 0, itemsRejected: 3 });
    const publication = (await api.gqlOk(PUBLISH, { runId: staged.id }, key)).publishRun.publication;
    expect(publication).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      leftOut: 3,
      leftOutByReason: [{ reason: 'IMAGE_UNREACHABLE', count: 3 }],
    });
  });

  it('keeps errors first in issueSummary when image issues join the validator’s warnings', async () => {
    const feedId = await createFeed(api, key, { name: 'Ordered' });
    // Three warnings (titles in capitals) and one image error: the warning is the more frequent code.
    const run = await ingest(
      api,
      key,
      feedId,
      [
        HEADER,
        row('A', `${base}/ok-a.jpg`, 'LOUD LAMP'),
        row('B', `${base}/ok-b.jpg`, 'LOUD CHAIR'),
        row('C', `${base}/ok-c.jpg`, 'LOUD TABLE'),
        row('D', `${base}/missing.jpg`),
      ].join('\n'),
    );
    const view = await runView(run.id);
    expect(view.issueSummary.map((entry: { code: string; severity: string }) => [entry.severity, entry.code])).toEqual([
      ['ERROR', 'IMAGE_UNREACHABLE'],
      ['WARNING', 'TITLE_ALL_CAPS'],
    ]);
  });

  it('a re-ingest that writes no new version counts the failed main images of the version it matched', async () => {
    const feedId = await createFeed(api, key, { name: 'Again' });
    const file = [HEADER, row('A', `${base}/ok-1.jpg`), row('B', `${base}/gone-1.jpg`), row('C', `${base}/ok-2.jpg`)];
    const first = await ingest(api, key, feedId, file.join('\n'));
    const firstView = await runView(first.id);
    expect(firstView).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2, itemsRejected: 1, imagesChecked: true });

    const second = await ingest(api, key, feedId, file.join('\n'));
    const view = await runView(second.id);
    // Same items, so the same version (no new one, no image fetched again)…
    expect(view.versionId).toBe(firstView.versionId);
    // …and the same account of it: B's main image failed, so B is not accepted.
    expect(view).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 3,
      rowsSkipped: 0,
      itemsAccepted: 2,
      itemsRejected: 1,
      errors: firstView.errors,
      warnings: firstView.warnings,
      issuesStored: firstView.issuesStored,
      imagesChecked: true,
    });
    expect(view.issueSummary).toEqual(firstView.issueSummary);
    const issues = await api.gqlOk(
      `query($id: ID!) { ingestionRun(id: $id) { issues(filter: { code: IMAGE_UNREACHABLE }) { nodes { itemId row } } } }`,
      { id: second.id },
      key,
    );
    expect(issues.ingestionRun.issues.nodes).toEqual([{ itemId: 'B', row: 3 }]);
  });

  it('validateOnly says its counts have not checked images, and which may fall', async () => {
    const feedId = await createFeed(api, key, { name: 'Dry run' });
    const body = [HEADER, row('A', `${base}/ok-v.jpg`), row('B', `${base}/gone-v.jpg`)].join('\n');
    const upload = await uploadFeed(api, key, feedId, body, '?validateOnly=true');
    expect(upload.status).toBe(202);
    let dry = await runView(upload.json.runId);
    for (let i = 0; i < 300 && !['SUCCEEDED', 'FAILED'].includes(dry.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      dry = await runView(upload.json.runId);
    }
    // Both items would be accepted as far as the file goes; images were not fetched, and the run says so.
    expect(dry).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2, imagesChecked: false });
    const real = await runView((await ingest(api, key, feedId, body)).id);
    expect(real).toMatchObject({ itemsAccepted: 1, itemsRejected: 1, imagesChecked: true });
  });
});
