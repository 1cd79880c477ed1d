import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  rawId,
  registerBrand,
  SEED_ENV,
  startImageHost,
  startTestApi,
  testJpeg,
  type ImageHost,
  systemView,
  waitForRun,
  type RunView,
  type TestApi,
} from '@brandshelf/testing';
import { FeedScheduler } from '@brandshelf/ingestion';
import { createApi } from '../src/create-api.js';

const HEADER =
  'id,title,description,link,image_link,availability,price,brand,mpn,condition,sale_price,sale_price_effective_date';
const IDS = ['S1', 'N1', 'P1', 'P2', 'G1'];
let images: ImageHost;
const row = (id: string, sale = '', window = '') =>
  [
    id,
    `Trail Runner ${id}`,
    'A light trail shoe with a grippy sole.',
    `https://shop.example/p/${id}`,
    `${images.base}/${id}.jpg`,
    'in stock',
    '59.99 USD',
    'Acme',
    `MPN-${id}`,
    'new',
    sale,
    window,
  ].join(',');
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A window as a feed writes it: whole minutes, UTC. */
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

/**
 * A sale_price_effective_date window is judged when a run reads the item. A sale starting or ending between two runs
 * used to wait for the next run that read the file: never, for an upload not sent again. The scheduler's tick now
 * reads the live version's file again once a boundary has passed (a SALE_WINDOW run). The tick is called with a
 * `now` past the boundary, as the pg-boss schedule would call it then: no real time passes.
 */
describe('sale windows applied between runs (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;
  let scheduler: FeedScheduler;

  beforeAll(async () => {
    const jpeg = await testJpeg(600, 600, { r: 200, g: 80, b: 40 });
    images = await startImageHost(Object.fromEntries(IDS.map((id) => [`/${id}.jpg`, jpeg])));
    // One kept version: the version a SALE_WINDOW run replaces is pruned at once, and with it its run's hold on the
    // file both runs read, which the live version's run still needs. Images from loopback only.
    api = await startTestApi(createApi, { ...SEED_ENV, CATALOG_VERSION_RETENTION: '1' });
    key = (await registerBrand(api, 'Sales')).apiKey;
    scheduler = api.app.get(FeedScheduler);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await images?.close();
  });
  const fetchesOf = (id: string) => images.requests.filter((url) => url === `/${id}.jpg`).length;
  const imageCounters = async (runId: string) =>
    (
      await api.gqlOk<{ ingestionRun: { imagesTotal: number; imagesDone: number; imagesSkipped: number } }>(
        'query($id: ID!) { ingestionRun(id: $id) { imagesTotal imagesDone imagesSkipped } }',
        { id: runId },
        key,
      )
    ).ingestionRun;

  const db = () => systemView(api.runtime.dataSource);
  const runsOf = async (feedId: string) =>
    (
      await api.gqlOk<{
        feed: { runs: { nodes: { id: string; trigger: string; salesJudgedAt: string; nextSaleChangeAt: string }[] } };
      }>(
        'query($id: ID!) { feed(id: $id) { runs(first: 50) { nodes { id trigger salesJudgedAt nextSaleChangeAt } } } }',
        { id: feedId },
        key,
      )
    ).feed.runs.nodes.reverse();
  const liveSales = async (feedId: string) =>
    (
      (await db().query(
        'SELECT offer_id, price_minor, sale_price_minor FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id',
        [rawId(feedId)],
      )) as { offer_id: string; price_minor: string; sale_price_minor: string | null }[]
    ).map((p) => [p.offer_id, p.price_minor, p.sale_price_minor]);
  const waitPublished = async (run: { id: string }) => {
    for (let i = 0; i < 200; i++) {
      const r = await api.gqlOk<{ ingestionRun: { publishStatus: string } }>(
        'query($id: ID!) { ingestionRun(id: $id) { publishStatus } }',
        { id: run.id },
        key,
      );
      if (r.ingestionRun.publishStatus !== 'NOT_PUBLISHED') return r.ingestionRun.publishStatus;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${run.id} was never published`);
  };
  /** Ticks at `now` and answers the runs they started, each waited for. */
  const tickAt = async (now: Date, ticks = 1): Promise<RunView[]> => {
    const started = await Promise.all(Array.from({ length: ticks }, () => scheduler.runSaleWindows(now)));
    const total = started.reduce((sum, n) => sum + n, 0);
    const runs: RunView[] = [];
    if (!total) return runs;
    const ids: { id: string; brand_id: string }[] = await db().query(
      `SELECT id, brand_id FROM ingestion_run WHERE trigger = 'SALE_WINDOW' AND sales_judged_at = $1`,
      [now],
    );
    for (const { id } of ids) runs.push(await waitForRun(api, key, id));
    return runs;
  };

  it('shows a sale scheduled in an upload from its start, and drops it after its end, with no new upload', async () => {
    const feedId = await createFeed(api, key, { name: 'Scheduled sale', autoPublish: true });
    const start = Math.ceil((Date.now() + DAY) / MINUTE) * MINUTE;
    const end = start + DAY;
    const window = `${iso(start)}/${iso(end)}`;
    const upload = await ingest(api, key, feedId, csv(row('S1', '39.99 USD', window), row('N1')));
    expect(upload).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });
    expect(await waitPublished(upload)).toBe('PUBLISHED');
    // Not begun: the regular price, and the run knows when the sale starts (a date alone would end a day later).
    expect(await liveSales(feedId)).toEqual([
      ['N1', '5999', null],
      ['S1', '5999', null],
    ]);
    expect((await runsOf(feedId))[0].nextSaleChangeAt).toBe(new Date(start).toISOString());
    expect([fetchesOf('S1'), fetchesOf('N1')]).toEqual([1, 1]);

    // Before the start nothing happens.
    expect(await tickAt(new Date(start - MINUTE))).toEqual([]);

    // The tick after the start reads the upload's file again, judged at the tick, and publishes as the feed does.
    // Overlapping ticks start one run.
    const afterStart = new Date(start + 20_000);
    const [onSale, ...others] = await tickAt(afterStart, 4);
    expect(others).toEqual([]);
    expect(onSale).toMatchObject({
      status: 'SUCCEEDED',
      itemsAccepted: 2,
      diff: { created: 0, updated: 1, unchanged: 1, removed: 0 },
    });
    expect(onSale.issueSummary.map((s) => s.code)).not.toContain('SALE_PRICE_NOT_IN_EFFECT');
    expect(await waitPublished(onSale)).toBe('PUBLISHED');
    expect(await liveSales(feedId)).toEqual([
      ['N1', '5999', null],
      ['S1', '5999', '3999'],
    ]);
    const runs = await runsOf(feedId);
    expect(runs.map((r) => r.trigger)).toEqual(['UPLOAD', 'SALE_WINDOW']);
    expect(runs[1]).toMatchObject({
      salesJudgedAt: afterStart.toISOString(),
      nextSaleChangeAt: new Date(end).toISOString(),
    });
    // The same file: its images were processed, and only the sale changed, so none is fetched again.
    expect(await imageCounters(onSale.id)).toEqual({ imagesTotal: 2, imagesDone: 0, imagesSkipped: 2 });
    expect([fetchesOf('S1'), fetchesOf('N1')]).toEqual([1, 1]);
    // Acted on once: the same boundary starts nothing more.
    expect(await tickAt(new Date(start + 2 * MINUTE), 2)).toEqual([]);

    // After the end: the file is read again (the upload's run's version is pruned, but the live one's run holds the
    // file) and the sale goes.
    const ended = await tickAt(new Date(end + 30_000));
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ status: 'SUCCEEDED', diff: { created: 0, updated: 1, unchanged: 1, removed: 0 } });
    expect(ended[0].issueSummary.find((s) => s.code === 'SALE_PRICE_NOT_IN_EFFECT')).toMatchObject({ count: 1 });
    expect(await waitPublished(ended[0])).toBe('PUBLISHED');
    expect(await liveSales(feedId)).toEqual([
      ['N1', '5999', null],
      ['S1', '5999', null],
    ]);
    // Nothing of the window is left to act on.
    expect((await runsOf(feedId)).map((r) => [r.trigger, r.nextSaleChangeAt])).toEqual([
      ['UPLOAD', new Date(start).toISOString()],
      ['SALE_WINDOW', new Date(end).toISOString()],
      ['SALE_WINDOW', null],
    ]);
    expect(await tickAt(new Date(end + 365 * DAY))).toEqual([]);
    expect((await runsOf(feedId)).length).toBe(3);
  });

  it('never reads a feed without sale windows again, nor one whose live file is gone', async () => {
    const plain = await createFeed(api, key, { name: 'No windows', autoPublish: true });
    const first = await ingest(api, key, plain, csv(row('P1'), row('P2', '49.99 USD')));
    expect(await waitPublished(first)).toBe('PUBLISHED');
    expect((await runsOf(plain))[0].nextSaleChangeAt).toBeNull();

    // A window whose file retention deleted cannot be read again: the mark is cleared, no run is started, and no
    // later tick tries again.
    const gone = await createFeed(api, key, { name: 'File gone', autoPublish: true });
    const start = Math.ceil((Date.now() + DAY) / MINUTE) * MINUTE;
    const upload = await ingest(api, key, gone, csv(row('G1', '39.99 USD', `${iso(start)}/${iso(start + DAY)}`)));
    expect(await waitPublished(upload)).toBe('PUBLISHED');
    await db().query('UPDATE ingestion_run SET source_key = NULL WHERE id = $1', [rawId(upload.id)]);

    const later = new Date(start + 2 * DAY);
    await scheduler.runSaleWindows(later);
    await scheduler.runSaleWindows(new Date(later.getTime() + MINUTE));
    expect((await runsOf(plain)).map((r) => r.trigger)).toEqual(['UPLOAD']);
    expect((await runsOf(gone)).map((r) => r.trigger)).toEqual(['UPLOAD']);
    const marks: { next_sale_change_at: Date | null }[] = await db().query(
      'SELECT next_sale_change_at FROM catalog_version WHERE feed_id = $1',
      [rawId(gone)],
    );
    expect(marks).toEqual([{ next_sale_change_at: null }]);
  });
});
