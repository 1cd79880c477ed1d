import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  registerBrand,
  startTestApi,
  waitForRun,
  type RunView,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { PublishService } from '@brandshelf/catalog';
import { FeedScheduler } from '@brandshelf/ingestion';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const item = (id: string, title = `Product ${id}`, price = '10.00 USD') =>
  [
    id,
    title,
    'Made to last.',
    `https://shop.example/${id}`,
    `https://img.example/${id}.jpg`,
    'in stock',
    price,
    'Acme',
    `M-${id}`,
  ].join(',');
const csv = (rows: string[], extraHeader = '') => [HEADER + extraHeader, ...rows].join('\n');

/**
 * A publish in another process (a second session holding the feed's row lock) needs a PostgreSQL server: embedded
 * PGlite is one process's database, running every connection in one session. CI runs it against the real server.
 */
const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;

const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) {
  publication { id kind versionId created updated unchanged removed } userErrors { code message field } } }`;

describe('publishing (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;
  let brandId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi, { CATALOG_VERSION_RETENTION: '2' });
    ({ apiKey: key, id: brandId } = await registerBrand(api, 'Publisher'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const live = async (feedId: string) =>
    (await api.runtime.dataSource.query(
      'SELECT offer_id, title, price_minor, id FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id',
      [rawId(feedId)],
    )) as { offer_id: string; title: string; price_minor: string; id: string }[];
  const publish = async (runId: string) => (await api.gqlOk(PUBLISH, { runId }, key)).publishRun.publication;

  it('publishes a run with its diff, keeps ids across removal, and rolls back', async () => {
    const feedId = await createFeed(api, key, { name: 'Main' });
    const v1 = await ingest(api, key, feedId, csv([item('A'), item('B'), item('C')]));
    expect(await publish(v1.id)).toMatchObject({ kind: 'PUBLISH', created: 3, updated: 0, unchanged: 0, removed: 0 });
    const first = await live(feedId);
    expect(first.map((p) => p.offer_id)).toEqual(['A', 'B', 'C']);
    const run = await api.gqlOk(
      'query($id: ID!) { ingestionRun(id: $id) { publishStatus publishedAt } }',
      { id: v1.id },
      key,
    );
    expect(run.ingestionRun.publishStatus).toBe('PUBLISHED');

    const v2 = await ingest(api, key, feedId, csv([item('A', 'Product A v2'), item('B'), item('D')]));
    expect(await publish(v2.id)).toMatchObject({ created: 1, updated: 1, unchanged: 1, removed: 1 });
    const second = await live(feedId);
    expect(second.map((p) => p.offer_id)).toEqual(['A', 'B', 'D']);
    expect(second.find((p) => p.offer_id === 'A')!.title).toBe('Product A v2');

    const versions = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { liveVersionId versions { nodes { number isLive itemCount } } } }',
      { id: feedId },
      key,
    );
    expect(versions.feed.versions.nodes.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect(versions.feed.versions.nodes[0].isLive).toBe(true);

    const rollback = await api.gqlOk(
      `mutation($f: ID!) { rollbackFeed(input: { feedId: $f, toVersion: 1 }) {
        publication { kind created updated unchanged removed } userErrors { code } } }`,
      { f: feedId },
      key,
    );
    expect(rollback.rollbackFeed.userErrors).toEqual([]);
    expect(rollback.rollbackFeed.publication).toMatchObject({
      kind: 'ROLLBACK',
      created: 1,
      updated: 1,
      unchanged: 1,
      removed: 1,
    });
    const back = await live(feedId);
    expect(back.map((p) => [p.offer_id, p.title])).toEqual(first.map((p) => [p.offer_id, p.title]));
    // C was removed and came back with the id it had.
    expect(back.find((p) => p.offer_id === 'C')!.id).toBe(first.find((p) => p.offer_id === 'C')!.id);
  });

  it('refuses to publish runs that staged nothing publishable, as the userError RUN_NOT_PUBLISHABLE', async () => {
    const feedId = await createFeed(api, key, { name: 'Refusals' });
    const dry = await ingest(api, key, feedId, csv([item('X')]), '?validateOnly=true');
    const failed = await ingest(api, key, feedId, '');
    for (const run of [dry, failed]) {
      const res = await api.gql(PUBLISH, { runId: run.id }, key);
      expect(res.errors).toBeUndefined();
      expect(res.data?.publishRun).toEqual({
        publication: null,
        userErrors: [{ code: 'RUN_NOT_PUBLISHABLE', message: expect.any(String), field: ['input', 'runId'] }],
      });
    }
    expect(await live(feedId)).toEqual([]);
  });

  it('applies a supplemental feed over existing products only', async () => {
    const primary = await createFeed(api, key, { name: 'Primary' });
    await publish((await ingest(api, key, primary, csv([item('P1'), item('P2')]))).id);
    const supplemental = await createFeed(api, key, { name: 'Sale prices', mode: 'UPDATE_ONLY' });
    const run = await ingest(api, key, supplemental, 'id,price,availability\nP1,7.50 USD,out of stock\n');
    const pub = await publish(run.id);
    expect(pub).toMatchObject({ created: 0, removed: 0, updated: 1 });
    const rows = await live(primary);
    expect(rows.map((r) => [r.offer_id, Number(r.price_minor)])).toEqual([
      ['P1', 750],
      ['P2', 1000],
    ]);
    expect(rows[0].title).toBe('Product P1'); // only the supplied attributes change
    // Re-publishing the primary keeps the overlay.
    const again = await ingest(api, key, primary, csv([item('P1', 'Renamed P1'), item('P2')]));
    await publish(again.id);
    const after = await live(primary);
    expect(after.map((r) => [r.title, Number(r.price_minor)])).toEqual([
      ['Renamed P1', 750],
      ['Product P2', 1000],
    ]);
  });

  it("overlays a supplemental feed's custom labels and attributes one by one, keeping the primary's others", async () => {
    const primary = await createFeed(api, key, { name: 'Labelled' });
    const body = [
      `${HEADER},custom_label_0,custom_label_1,custom_label_2,season,shipping_weight`,
      `${item('L1')},summer,bestseller,outlet,SS26,1 kg`,
      `${item('L2')},winter,,,AW26,2 kg`,
      `${item('L3')},spring,,,SS27,3 kg`,
    ].join('\n');
    await publish((await ingest(api, key, primary, body)).id);
    // A promotions feed: one label and a sale window (kept with the product's other attributes, such as its weight).
    const promotions = await createFeed(api, key, { name: 'Promotions', mode: 'UPDATE_ONLY' });
    const run = await ingest(
      api,
      key,
      promotions,
      'id,custom_label_1,sale_price,sale_price_effective_date\nL1,clearance,5.00 USD,2020-01-01/2099-12-31\nL2,,5.00 USD,2020-01-01/2099-12-31\n',
    );
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });
    await publish(run.id);
    // A second supplemental feed, published later, sets another label of L1.
    const labels = await createFeed(api, key, { name: 'Labels', mode: 'UPDATE_ONLY' });
    await publish((await ingest(api, key, labels, 'id,custom_label_3\nL1,new-in\n')).id);
    const rows: {
      offer_id: string;
      custom_labels: string[];
      custom_attributes: Record<string, string>;
      sale_price_minor: string | null;
    }[] = await api.runtime.dataSource.query(
      `SELECT offer_id, custom_labels, custom_attributes, sale_price_minor
         FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id`,
      [rawId(primary)],
    );
    const window = '2020-01-01/2099-12-31';
    expect(rows.map((r) => [r.offer_id, r.custom_labels, r.custom_attributes, r.sale_price_minor])).toEqual([
      [
        'L1',
        ['summer', 'clearance', 'outlet', 'new-in'],
        { season: 'SS26', shipping_weight: '1 kg', sale_price_effective_date: window },
        '500',
      ],
      ['L2', ['winter'], { season: 'AW26', shipping_weight: '2 kg', sale_price_effective_date: window }, '500'],
      ['L3', ['spring'], { season: 'SS27', shipping_weight: '3 kg' }, null],
    ]);
  });

  it('auto-publishes within the safety limits and waits, saying why, beyond them', async () => {
    const feedId = await createFeed(api, key, { name: 'Auto', autoPublish: true });
    const waitPublished = async (run: RunView, status: string) => {
      for (let i = 0; i < 100; i++) {
        const r = await api.gqlOk(
          'query($id: ID!) { ingestionRun(id: $id) { publishStatus publishBlockedReason } }',
          { id: run.id },
          key,
        );
        if (r.ingestionRun.publishStatus === status) return r.ingestionRun;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`run never reached ${status}`);
    };
    const ids = Array.from({ length: 10 }, (_, i) => `AP${i}`);
    const first = await ingest(api, key, feedId, csv(ids.map((id) => item(id))));
    await waitPublished(first, 'PUBLISHED');
    expect(await live(feedId)).toHaveLength(10);

    const shrunk = await ingest(api, key, feedId, csv(ids.slice(0, 5).map((id) => item(id))));
    const held = await waitPublished(shrunk, 'WAITING');
    expect(held.publishBlockedReason).toMatch(/remove 50% of the live products \(5 of 10\).*limit of 20%/);
    expect(await live(feedId)).toHaveLength(10); // nothing changed

    const messy = await ingest(
      api,
      key,
      feedId,
      csv([...ids.map((id) => item(id, `Changed ${id}`)), ...ids.map((id) => item(`${id}x`, 'Bad', 'free'))]),
    );
    const heldBad = await waitPublished(messy, 'WAITING');
    expect(heldBad.publishBlockedReason).toMatch(/rejected 50% of its rows/);

    // A person can still publish a held run.
    expect(await publish(shrunk.id)).toMatchObject({ removed: 5 });
    expect(await live(feedId)).toHaveLength(5);
  });

  it('never shows a reader a mix of two versions during a large publish', async () => {
    const feedId = await createFeed(api, key, { name: 'Atomic' });
    const ids = Array.from({ length: 3000 }, (_, i) => `AT${i}`);
    await publish((await ingest(api, key, feedId, csv(ids.map((id) => item(id, `Old ${id}`))))).id);
    const next = await ingest(api, key, feedId, csv(ids.map((id) => item(id, `New ${id}`))));

    const reader = new pg.Client({ connectionString: api.database.url });
    await reader.connect();
    const seen: { old: number; new: number }[] = [];
    let publishing = true;
    const loop = (async () => {
      while (publishing) {
        const { rows } = await reader.query(
          `SELECT count(*) FILTER (WHERE title LIKE 'Old %')::int AS old, count(*) FILTER (WHERE title LIKE 'New %')::int AS new
             FROM catalog_product WHERE feed_id = $1`,
          [rawId(feedId)],
        );
        seen.push(rows[0]);
      }
    })();
    try {
      expect(await publish(next.id)).toMatchObject({ updated: 3000 });
    } finally {
      publishing = false;
      await loop;
      await reader.end();
    }
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) {
      expect([s.old, s.new].sort()).toEqual([0, 3000]);
    }
    expect(seen.at(-1)).toEqual({ old: 0, new: 3000 });
  });

  it('refuses a second publish of a feed while one is in progress, then publishes it once that has finished', async () => {
    const feedId = await createFeed(api, key, { name: 'Busy' });
    const big = await ingest(api, key, feedId, csv(Array.from({ length: 3000 }, (_, i) => item(`B${i}`))));
    const small = await ingest(api, key, feedId, csv([item('B1', 'Only one')]));
    const publisher = api.app.get(PublishService);
    let settled = false;
    const first = api.gql(PUBLISH, { runId: big.id }, key).finally(() => (settled = true));
    // The first publish holds its feed; the second request arrives while it does.
    while (!settled && !publisher.publishInProgress(rawId(brandId), rawId(feedId)))
      await new Promise((r) => setImmediate(r));
    const second = await api.gql(PUBLISH, { runId: small.id }, key);
    expect(second.errors).toBeUndefined();
    expect(second.data?.publishRun.publication).toBeNull();
    expect(second.data?.publishRun.userErrors).toEqual([
      { code: 'PUBLISH_IN_PROGRESS', message: expect.stringMatching(/in progress/), field: null },
    ]);
    expect((await first).data?.publishRun.publication).toMatchObject({ created: 3000 });
    expect((await live(feedId)).length).toBe(3000); // the refused publish changed nothing
    expect(await publish(small.id)).toMatchObject({ updated: 1, removed: 2999 });
  });

  onServer('refuses a publish while another process holds the feed', async () => {
    const feedId = await createFeed(api, key, { name: 'Locked' });
    const run = await ingest(api, key, feedId, csv([item('L1')]));
    const holder = new pg.Client({ connectionString: api.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [rawId(feedId)]); // a publish in progress
      const res = await api.gql(PUBLISH, { runId: run.id }, key);
      expect(res.errors).toBeUndefined();
      expect(res.data?.publishRun.publication).toBeNull();
      expect(res.data?.publishRun.userErrors).toEqual([
        { code: 'PUBLISH_IN_PROGRESS', message: expect.stringMatching(/in progress/), field: null },
      ]);
      expect(await live(feedId)).toEqual([]); // the refused publish changed nothing
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await publish(run.id)).toMatchObject({ created: 1 });
  });

  it('leaves the previous version live when a publish fails half-way', async () => {
    const feedId = await createFeed(api, key, { name: 'Crashy' });
    await publish((await ingest(api, key, feedId, csv([item('K1'), item('K2')]))).id);
    const before = await live(feedId);
    const next = await ingest(api, key, feedId, csv([item('K1', 'Changed'), item('K3'), item('BOOM')]));
    const db = api.runtime.dataSource;
    // The database itself fails part-way through the publish's statements.
    await db.query(`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN
      IF NEW.offer_id = 'BOOM' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.query('CREATE TRIGGER boom BEFORE INSERT ON catalog_product FOR EACH ROW EXECUTE FUNCTION boom()');
    try {
      const res = await api.gql(PUBLISH, { runId: next.id }, key);
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.query('DROP TRIGGER boom ON catalog_product; DROP FUNCTION boom()');
    }
    expect(await live(feedId)).toEqual(before);
    const feed = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { liveVersionId publications { nodes { kind } } } }',
      { id: feedId },
      key,
    );
    expect(feed.feed.publications.nodes).toHaveLength(1);
  });

  it('a version rolled back to applies the sale windows that passed since it was made', async () => {
    const feedId = await createFeed(api, key, { name: 'Sale rollback' });
    const start = Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000;
    const window = `${new Date(start).toISOString().slice(0, 16)}Z/${new Date(start + 86_400_000).toISOString().slice(0, 16)}Z`;
    const sale = async () =>
      (
        await api.runtime.dataSource.query('SELECT sale_price_minor FROM catalog_product WHERE feed_id = $1', [
          rawId(feedId),
        ])
      ).map((p: { sale_price_minor: string | null }) => p.sale_price_minor);
    const saleWindowRun = async (at: number) => {
      expect(await api.app.get(FeedScheduler).runSaleWindows(new Date(at))).toBe(1);
      const runs = await api.gqlOk(
        'query($id: ID!) { feed(id: $id) { runs(first: 1) { nodes { id trigger } } } }',
        { id: feedId },
        key,
      );
      expect(runs.feed.runs.nodes[0].trigger).toBe('SALE_WINDOW');
      return waitForRun(api, key, runs.feed.runs.nodes[0].id);
    };
    await publish(
      (
        await ingest(
          api,
          key,
          feedId,
          csv([`${item('SR1')},8.00 USD,${window}`], ',sale_price,sale_price_effective_date'),
        )
      ).id,
    );
    expect(await sale()).toEqual([null]);
    // The sale starts: the scheduler reads version 1's file again (version 2), which is published by hand.
    await publish((await saleWindowRun(start + 60_000)).id);
    expect(await sale()).toEqual(['800']);
    // Back to version 1, judged before the start: its boundary, acted on before, holds again, so the next tick
    // applies the sale to it rather than leaving the rolled-back catalog without it until the next upload.
    const rollback = await api.gqlOk(
      `mutation($f: ID!) { rollbackFeed(input: { feedId: $f, toVersion: 1 }) { publication { kind } userErrors { code } } }`,
      { f: feedId },
      key,
    );
    expect(rollback.rollbackFeed.userErrors).toEqual([]);
    expect(await sale()).toEqual([null]);
    const again = await saleWindowRun(start + 120_000);
    expect(again).toMatchObject({ status: 'SUCCEEDED', diff: { created: 0, updated: 1, unchanged: 0, removed: 0 } });
    await publish(again.id);
    expect(await sale()).toEqual(['800']);
  });

  it('prunes versions beyond the retention setting, never the live one', async () => {
    const feedId = await createFeed(api, key, { name: 'Pruned' });
    let firstRun: RunView | null = null;
    for (let i = 1; i <= 4; i++) {
      const run = await ingest(api, key, feedId, csv([item('R1', `Rev ${i}`)]));
      firstRun ??= run;
      if (i === 1) await publish(run.id);
    }
    // Version 1 is live; 3 and 4 are the newest two; 2 is pruned.
    await publish((await ingest(api, key, feedId, csv([item('R1', 'Rev 5')]))).id);
    const versions = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { versions { nodes { number isLive } } } }',
      { id: feedId },
      key,
    );
    expect(versions.feed.versions.nodes.map((v: { number: number }) => v.number)).toEqual([5, 4]);
    const res = await api.gql(
      'mutation($f: ID!) { rollbackFeed(input: { feedId: $f, toVersion: 2 }) { publication { id } } }',
      { f: feedId },
      key,
    );
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const revisions = await api.runtime.dataSource.query(
      'SELECT count(*)::int AS n FROM item_revision WHERE feed_id = $1',
      [rawId(feedId)],
    );
    expect(revisions[0].n).toBe(2);
    expect(firstRun).not.toBeNull();
    expect(brandId).toBeTruthy();
  });
});
