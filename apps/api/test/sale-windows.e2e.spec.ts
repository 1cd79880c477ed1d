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
import { ItemValidator } from '@brandshelf/catalog-rules';
import { MIGRATIONS } from '@brandshelf/db';
import { OverlaidSaleWindows } from '@brandshelf/catalog';
import { FeedScheduler } from '@brandshelf/ingestion';
import { createApi } from '../src/create-api.js';

const HEADER =
  'id,title,description,link,image_link,availability,price,brand,mpn,condition,sale_price,sale_price_effective_date';
const IDS = ['S1', 'N1', 'P1', 'P2', 'G1', 'U1', 'U2', 'H1', 'B1', 'W1', 'W2', 'R1', 'R2', 'M1', 'M2'];
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

  it("applies a supplemental feed's sale window to the primary feed's products when it starts and ends", async () => {
    const primary = await createFeed(api, key, { name: 'Primary', autoPublish: true });
    const base = await ingest(api, key, primary, csv(row('U1'), row('U2')));
    expect(await waitPublished(base)).toBe('PUBLISHED');
    const promotions = await createFeed(api, key, { name: 'Promotions', mode: 'UPDATE_ONLY', autoPublish: true });
    const start = Math.ceil((Date.now() + 3 * DAY) / MINUTE) * MINUTE;
    const end = start + DAY;
    const promo = await ingest(
      api,
      key,
      promotions,
      `id,sale_price,sale_price_effective_date\nU1,44.99 USD,${iso(start)}/${iso(end)}\n`,
    );
    expect(promo).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
    expect(await waitPublished(promo)).toBe('PUBLISHED');
    expect(await liveSales(primary)).toEqual([
      ['U1', '5999', null],
      ['U2', '5999', null],
    ]);

    const started = await tickAt(new Date(start + MINUTE));
    expect(started.map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(await waitPublished(started[0])).toBe('PUBLISHED');
    expect((await runsOf(promotions)).map((r) => r.trigger)).toEqual(['UPLOAD', 'SALE_WINDOW']);
    expect((await runsOf(primary)).map((r) => r.trigger)).toEqual(['UPLOAD']);
    expect(await liveSales(primary)).toEqual([
      ['U1', '5999', '4499'],
      ['U2', '5999', null],
    ]);

    const ended = await tickAt(new Date(end + MINUTE));
    expect(ended.map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(await waitPublished(ended[0])).toBe('PUBLISHED');
    expect(await liveSales(primary)).toEqual([
      ['U1', '5999', null],
      ['U2', '5999', null],
    ]);
  });

  /** The feed's catalog generation: bumped once by every statement that changes its live products. */
  const generationOf = async (feedId: string) =>
    Number(
      (
        (await db().query('SELECT generation FROM catalog_generation WHERE feed_id = $1', [rawId(feedId)])) as {
          generation: string;
        }[]
      )[0]?.generation ?? 0,
    );

  it("judges the primary feed's sale price by a promotions feed's window, and the tick applies its start and end", async () => {
    const primary = await createFeed(api, key, { name: 'Primary with sale prices', autoPublish: true });
    const base = await ingest(api, key, primary, csv(row('W1', '39.99 USD'), row('W2')));
    expect(await waitPublished(base)).toBe('PUBLISHED');
    // No window anywhere yet: the sale holds with no start or end.
    expect(await liveSales(primary)).toEqual([
      ['W1', '5999', '3999'],
      ['W2', '5999', null],
    ]);

    // A promotions feed gives only the window, which has not begun: the live product shows its regular price, as the
    // same window in the primary's item would.
    const promotions = await createFeed(api, key, { name: 'Windows only', mode: 'UPDATE_ONLY', autoPublish: true });
    const start = Math.ceil((Date.now() + 9 * DAY) / MINUTE) * MINUTE;
    const end = start + DAY;
    const promo = await ingest(api, key, promotions, `id,sale_price_effective_date\nW1,${iso(start)}/${iso(end)}\n`);
    expect(promo).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
    expect(await waitPublished(promo)).toBe('PUBLISHED');
    expect(await liveSales(primary)).toEqual([
      ['W1', '5999', null],
      ['W2', '5999', null],
    ]);

    expect(await tickAt(new Date(start - MINUTE))).toEqual([]);
    expect((await liveSales(primary))[0]).toEqual(['W1', '5999', null]);

    // The tick after the start shows the sale, with no upload and no run: neither feed's file changed. Overlapping
    // ticks change the product once.
    const generation = await generationOf(primary);
    expect(await tickAt(new Date(start + MINUTE), 4)).toEqual([]);
    expect(await liveSales(primary)).toEqual([
      ['W1', '5999', '3999'],
      ['W2', '5999', null],
    ]);
    expect(await generationOf(primary)).toBe(generation + 1);
    expect(await tickAt(new Date(start + 2 * MINUTE), 2)).toEqual([]);
    expect(await generationOf(primary)).toBe(generation + 1);

    // After the end the sale goes, and nothing is left to act on.
    expect(await tickAt(new Date(end + MINUTE), 2)).toEqual([]);
    expect(await liveSales(primary)).toEqual([
      ['W1', '5999', null],
      ['W2', '5999', null],
    ]);
    expect(await generationOf(primary)).toBe(generation + 2);
    expect(await tickAt(new Date(end + 365 * DAY))).toEqual([]);
    expect(await generationOf(primary)).toBe(generation + 2);
    expect((await runsOf(primary)).map((r) => r.trigger)).toEqual(['UPLOAD']);
    expect((await runsOf(promotions)).map((r) => r.trigger)).toEqual(['UPLOAD']);
  });

  it("judges a promotions feed's sale price by the primary feed's window, and the tick applies its start and end", async () => {
    const primary = await createFeed(api, key, { name: 'Primary with windows', autoPublish: true });
    const start = Math.ceil((Date.now() + 11 * DAY) / MINUTE) * MINUTE;
    const end = start + DAY;
    const base = await ingest(api, key, primary, csv(row('R1', '', `${iso(start)}/${iso(end)}`), row('R2')));
    expect(base).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });
    expect(await waitPublished(base)).toBe('PUBLISHED');
    const promotions = await createFeed(api, key, { name: 'Prices only', mode: 'UPDATE_ONLY', autoPublish: true });
    const promo = await ingest(api, key, promotions, 'id,sale_price\nR1,34.99 USD\nR2,44.99 USD\n');
    expect(promo).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });
    expect(await waitPublished(promo)).toBe('PUBLISHED');
    // R1's sale waits for its window; R2 has none, so its sale holds.
    expect(await liveSales(primary)).toEqual([
      ['R1', '5999', null],
      ['R2', '5999', '4499'],
    ]);

    // While the feed is being published (its row lock held, as publishing holds it), its products wait for a tick.
    const publishing = api.runtime.dataSource.createQueryRunner();
    try {
      await publishing.startTransaction();
      const locked = await publishing.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [rawId(primary)]);
      expect(locked).toHaveLength(1);
      expect(await tickAt(new Date(start + MINUTE))).toEqual([]);
      expect((await liveSales(primary))[0]).toEqual(['R1', '5999', null]);
    } finally {
      await publishing.rollbackTransaction();
      await publishing.release();
    }
    expect(await tickAt(new Date(start + 2 * MINUTE), 3)).toEqual([]);
    expect(await liveSales(primary)).toEqual([
      ['R1', '5999', '3499'],
      ['R2', '5999', '4499'],
    ]);
    expect(await tickAt(new Date(end + MINUTE))).toEqual([]);
    expect(await liveSales(primary)).toEqual([
      ['R1', '5999', null],
      ['R2', '5999', '4499'],
    ]);
    expect((await runsOf(primary)).map((r) => r.trigger)).toEqual(['UPLOAD']);
    expect((await runsOf(promotions)).map((r) => r.trigger)).toEqual(['UPLOAD']);
  });

  it('judges at the first tick after the upgrade the products published before it, in as many batches as it takes', async () => {
    const primary = await createFeed(api, key, { name: 'Published before the upgrade', autoPublish: true });
    const base = await ingest(api, key, primary, csv(row('M1', '39.99 USD'), row('M2', '29.99 USD')));
    expect(await waitPublished(base)).toBe('PUBLISHED');
    const promotions = await createFeed(api, key, { name: 'Old windows', mode: 'UPDATE_ONLY', autoPublish: true });
    const start = Math.ceil((Date.now() + 13 * DAY) / MINUTE) * MINUTE;
    const window = `${iso(start)}/${iso(start + DAY)}`;
    const promo = await ingest(api, key, promotions, `id,sale_price_effective_date\nM1,${window}\nM2,${window}\n`);
    expect(await waitPublished(promo)).toBe('PUBLISHED');
    // The products as publishing wrote them before migration 34: the sale shown outside its window, no boundary kept.
    const Migration = MIGRATIONS.find((m) => m.name === 'OverlaidSaleWindows1764000000034')!;
    const runner = api.runtime.dataSource.createQueryRunner();
    try {
      await new Migration().down(runner);
      await runner.query(
        `UPDATE catalog_product SET effective_price_minor = CASE offer_id WHEN 'M1' THEN 3999 ELSE 2999 END, on_sale = true,
                sale_price_minor = CASE offer_id WHEN 'M1' THEN 3999 ELSE 2999 END WHERE feed_id = $1`,
        [rawId(primary)],
      );
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    expect(await liveSales(primary)).toEqual([
      ['M1', '5999', '3999'],
      ['M2', '5999', '2999'],
    ]);

    // One product a transaction: the tick goes on while batches come full.
    const judge = api.app.get(OverlaidSaleWindows);
    judge.batchSize = 1;
    try {
      expect(await tickAt(new Date(Date.now() + MINUTE))).toEqual([]);
    } finally {
      judge.batchSize = 1000;
    }
    expect(await liveSales(primary)).toEqual([
      ['M1', '5999', null],
      ['M2', '5999', null],
    ]);
    // And they now keep their boundary.
    expect(await tickAt(new Date(start + MINUTE))).toEqual([]);
    expect(await liveSales(primary)).toEqual([
      ['M1', '5999', '3999'],
      ['M2', '5999', '2999'],
    ]);
  });

  it('reads a window when publishing (SQL) exactly as a run reads it (the validator)', async () => {
    /** The validator's bounds, through what it answers: the start before the sale, the end during it. */
    const validatorBounds = (window: string) => {
      const judge = (now: number) =>
        new ItemValidator({ mode: 'UPDATE_ONLY', now }).validate({
          row: 1,
          fields: { id: 'X', sale_price: '10.00 EUR', sale_price_effective_date: window },
        });
      const before = judge(-8e15);
      // Unreadable (INVALID_DATE), or none at all (an empty value): the sale price applies with no start or end.
      if (before.saleChangeAt === undefined) return null;
      return [before.saleChangeAt, judge(before.saleChangeAt!).saleChangeAt];
    };
    for (const window of [
      '2026-03-01/2026-03-31',
      '2026-03-15/2026-03-15',
      '2026-03-15T12:00Z/2026-03-15T12:01Z',
      '2026-03-15T12:30+0100/2026-03-15T13:01+01:00',
      '2026-03-15T07:00-05:00/2026-03-20',
      '2026-03-15T07:00-05/2026-03-20T01:02:03.4567+14:00',
      '2026-03-15 11:59:59/2026-04-01 00:00:00',
      ' 2024-02-29 / 2024-03-01T00:00:00.999Z ',
      '0099-01-01/0099-12-31',
      '2026-03-01',
      'next week',
      '2026-03-01/2026-02-30',
      '2025-02-29/2025-03-01',
      '2026-03-31/2026-03-01',
      '2026-03-15T12:00Z/2026-03-15T12:00Z',
      '2026-03-15T24:00Z/2026-03-16',
      '2026-03-15T12:00+15:00/2026-03-16',
      '03/01/2026/03/31/2026',
      '',
    ]) {
      const [sql]: { lower: Date | null; upper: Date | null }[] = await db().query(
        'SELECT lower(w), upper(w) FROM (SELECT sale_price_window($1) AS w) x',
        [window],
      );
      const fromSql = sql.lower === null ? null : [sql.lower.getTime(), sql.upper!.getTime()];
      expect([window, fromSql]).toEqual([window, validatorBounds(window)]);
    }
  });

  it('on a feed published by hand, stages the sale for a person to publish, once', async () => {
    const feedId = await createFeed(api, key, { name: 'By hand' });
    const start = Math.ceil((Date.now() + 5 * DAY) / MINUTE) * MINUTE;
    const upload = await ingest(api, key, feedId, csv(row('H1', '29.99 USD', `${iso(start)}/${iso(start + DAY)}`)));
    const published = await api.gqlOk<{ publishRun: { publication: { created: number } } }>(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { created } userErrors { code } } }',
      { id: upload.id },
      key,
    );
    expect(published.publishRun.publication.created).toBe(1);

    const staged = await tickAt(new Date(start + MINUTE), 3);
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({
      status: 'SUCCEEDED',
      diff: { created: 0, updated: 1, unchanged: 0, removed: 0 },
    });
    const run = await api.gqlOk<{
      ingestionRun: { trigger: string; publishStatus: string; version: { isLive: boolean } };
    }>(
      'query($id: ID!) { ingestionRun(id: $id) { trigger publishStatus version { isLive } } }',
      { id: staged[0].id },
      key,
    );
    expect(run.ingestionRun).toEqual({
      trigger: 'SALE_WINDOW',
      publishStatus: 'NOT_PUBLISHED',
      version: { isLive: false },
    });
    // The live catalog waits for the person; the boundary was acted on, so later ticks start nothing more.
    expect(await liveSales(feedId)).toEqual([['H1', '5999', null]]);
    expect(await tickAt(new Date(start + 2 * MINUTE))).toEqual([]);
    expect((await runsOf(feedId)).map((r) => r.trigger)).toEqual(['UPLOAD', 'SALE_WINDOW']);
  });

  it('leaves a boundary of a feed that has a run going to the next tick', async () => {
    const feedId = await createFeed(api, key, { name: 'Busy', autoPublish: true });
    const start = Math.ceil((Date.now() + 7 * DAY) / MINUTE) * MINUTE;
    const upload = await ingest(api, key, feedId, csv(row('B1', '29.99 USD', `${iso(start)}/${iso(start + DAY)}`)));
    expect(await waitPublished(upload)).toBe('PUBLISHED');
    // A run of the feed holds its one active slot (as a long upload would).
    const [busy]: { id: string }[] = await db().query(
      `INSERT INTO ingestion_run (brand_id, feed_id, trigger, status, phase) SELECT brand_id, id, 'UPLOAD', 'RUNNING', 'READING'
         FROM feed WHERE id = $1 RETURNING id`,
      [rawId(feedId)],
    );
    expect(await tickAt(new Date(start + MINUTE))).toEqual([]);
    await db().query(`UPDATE ingestion_run SET status = 'CANCELLED', phase = 'DONE' WHERE id = $1`, [busy.id]);
    const later = await tickAt(new Date(start + 2 * MINUTE));
    expect(later.map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(await waitPublished(later[0])).toBe('PUBLISHED');
    expect(await liveSales(feedId)).toEqual([['B1', '5999', '2999']]);
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
