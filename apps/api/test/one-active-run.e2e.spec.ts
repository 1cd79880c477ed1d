import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FeedScheduler } from '@brandshelf/ingestion';
import { ShopifyScheduler } from '@brandshelf/shopify';
import {
  FakeShopifyAdmin,
  createFeed,
  fakeProduct,
  registerBrand,
  startTestApi,
  uploadFeed,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { OneActiveRun1764000000015 } from '../../../libs/db/src/migrations/1764000000015-one-active-run.js';
import { createApi } from '../src/create-api.js';
import { toGlobalId } from '../src/graphql/global-id.js';

const TOKEN = 'shpat_one_active_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SECRET = 'one-active-webhook-secret-9f8e7d6c5b4a3928';
const CSV =
  'id,title,link,image_link,availability,price,brand,mpn\nA1,Item,https://s.example/1,https://i.example/1.jpg,in stock,1.00 EUR,Acme,M1\n';

/**
 * A feed has one run queued or running at a time, whichever triggers race for it: many uploads, fetches,
 * scheduler ticks, Shopify syncs and webhooks started at once create exactly one run. No worker consumes jobs
 * here, so the run that wins stays QUEUED for the whole race and every other trigger must meet it.
 */
describe('one active run per feed (concurrent triggers)', () => {
  let api: TestApi;
  let key: string;
  let domain: string;
  const fake = new FakeShopifyAdmin({ accessToken: TOKEN, bucketSize: 2000, restoreRate: 2000 });
  const saved = process.env.SHOPIFY_WEBHOOK_DELAY_SECONDS;

  beforeAll(async () => {
    process.env.SHOPIFY_WEBHOOK_DELAY_SECONDS = '0';
    fake.put(fakeProduct(1, 1));
    domain = await fake.listen();
    api = await startTestApi(createApi, { RUN_WORKERS: 'false', SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Racing Brand')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await fake.close();
    if (saved === undefined) delete process.env.SHOPIFY_WEBHOOK_DELAY_SECONDS;
    else process.env.SHOPIFY_WEBHOOK_DELAY_SECONDS = saved;
  });

  const runsOf = (feedId: string): Promise<{ id: string; status: string; trigger: string }[]> =>
    api.runtime.dataSource.query('SELECT id, status, trigger FROM ingestion_run WHERE feed_id = $1', [rawId(feedId)]);
  const jobsFor = async (runId: string): Promise<number> =>
    (
      await api.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ingestion.run' AND data->>'runId' = $1`,
        [rawId(runId)],
      )
    )[0].n;

  it('ten uploads at once start one run; the others answer CONFLICT naming it and keep no file', async () => {
    const feedId = await createFeed(api, key, { source: 'UPLOAD' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => uploadFeed(api, key, feedId, CSV)));
    const runs = await runsOf(feedId);
    expect(runs).toHaveLength(1);
    expect(answers.filter((a) => a.status === 202).map((a) => rawId(a.json.runId))).toEqual([runs[0].id]);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused).toHaveLength(9);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.json.code).toBe('CONFLICT');
      // The message names the run by the same global id (it quoted the raw UUID before).
      expect(answer.json.message).toContain(toGlobalId('IngestionRun', runs[0].id));
      expect(answer.json.message).toContain(feedId);
      expect(answer.json.message).not.toContain(runs[0].id);
      // The run it names by the id the API gives out everywhere else (the accepted upload's 202, node(id:)).
      expect(answer.json.runId).toBe(answers.find((a) => a.status === 202)!.json.runId);
    }
    expect(await jobsFor(runs[0].id)).toBe(1);
    // Only the accepted upload's source is kept.
    const usage = await api.gqlOk<{ me: { brand: { storageUsage: { sourceBytes: string } } } }>(
      '{ me { ... on BrandPrincipal { brand { storageUsage { sourceBytes } } } } }',
      {},
      key,
    );
    expect(usage.me.brand.storageUsage.sourceBytes).toBe(String(Buffer.byteLength(CSV)));

    // Cancelling the active run frees the feed for the next one.
    await api.gqlOk(
      'mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { id } userErrors { code } } }',
      { id: runs[0].id },
      key,
    );
    expect((await uploadFeed(api, key, feedId, CSV)).status).toBe(202);
    expect((await runsOf(feedId)).filter((r) => r.status === 'QUEUED')).toHaveLength(1);
  });

  it('fetchFeedNow calls and scheduler ticks racing on one URL feed start one run', async () => {
    const feedId = await createFeed(api, key, {
      source: 'URL',
      url: 'http://127.0.0.1:9/feed.csv',
      schedule: 'hourly',
    });
    const scheduler = api.app.get(FeedScheduler);
    const later = new Date(Date.now() + 2 * 3_600_000);
    const fetches = Array.from({ length: 6 }, () =>
      api.gql<{ fetchFeedNow: { run: { id: string } | null; userErrors: { code: string; message: string }[] } }>(
        'mutation($id: ID!) { fetchFeedNow(input: { feedId: $id }) { run { id } userErrors { code message } } }',
        { id: feedId },
        key,
      ),
    );
    const ticks = Array.from({ length: 4 }, () => scheduler.runDueFeeds(later));
    const [answers, created] = await Promise.all([Promise.all(fetches), Promise.all(ticks)]);
    const runs = await runsOf(feedId);
    expect(runs).toHaveLength(1);
    expect(answers.filter((a) => a.errors)).toEqual([]);
    const won = answers.filter((a) => a.data!.fetchFeedNow.run).length + created.reduce((sum, n) => sum + n, 0);
    expect(won).toBe(1);
    // The others are told, as a userError, which run is already fetching the feed.
    for (const answer of answers.filter((a) => !a.data!.fetchFeedNow.run)) {
      expect(answer.data!.fetchFeedNow.userErrors).toEqual([
        { code: 'RUN_ALREADY_ACTIVE', message: expect.stringContaining(toGlobalId('IngestionRun', runs[0].id)) },
      ]);
    }
    expect(await jobsFor(runs[0].id)).toBe(1);
  });

  it('Shopify syncs, scheduled syncs and webhooks racing on one store start one run', async () => {
    const connected = await api.gqlOk<{
      connectShopifyStore: { shopifyStore: { feedId: string; shopDomain: string } };
    }>(
      `mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) {
        shopifyStore { feedId shopDomain } userErrors { code message } } }`,
      { input: { shopDomain: domain, accessToken: TOKEN, webhookSecret: SECRET } },
      key,
    );
    const { feedId, shopDomain } = connected.connectShopifyStore.shopifyStore;
    const body = JSON.stringify({ id: 1 });
    const hmac = createHmac('sha256', SECRET).update(body).digest('base64');
    const webhook = () =>
      fetch(`${api.url}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': hmac,
          'x-shopify-shop-domain': shopDomain,
          'x-shopify-topic': 'products/update',
          'x-shopify-webhook-id': randomUUID(),
        },
        body,
      }).then((res) => res.status);
    const sync = () =>
      api.gql<{ syncShopifyStore: { run: { id: string } | null; userErrors: { code: string }[] } }>(
        'mutation($id: ID!) { syncShopifyStore(input: { feedId: $id, full: true }) { run { id } userErrors { code } } }',
        { id: feedId },
        key,
      );
    const scheduler = api.app.get(ShopifyScheduler);
    const [syncs, ticks, hooks] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, sync)),
      Promise.all(Array.from({ length: 3 }, () => scheduler.runDueStores(new Date(Date.now() + 60_000)))),
      Promise.all(Array.from({ length: 3 }, webhook)),
    ]);
    expect(hooks.every((status) => status === 200)).toBe(true);
    expect(syncs.filter((a) => a.errors)).toEqual([]);
    const started = (a: (typeof syncs)[number]) => a.data!.syncShopifyStore.run !== null;
    for (const answer of syncs.filter((a) => !started(a)))
      expect(answer.data!.syncShopifyStore.userErrors).toEqual([{ code: 'RUN_ALREADY_ACTIVE' }]);
    const runs = await runsOf(feedId);
    expect(runs).toHaveLength(1);
    // The run is a sync's, a tick's or a webhook's; the others created nothing.
    expect(syncs.filter(started).length + ticks.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(1);
    expect(await jobsFor(runs[0].id)).toBe(1);
    // A refused full sync requests nothing: the flag is set only when the run that wins is that full sync.
    const [store] = await api.runtime.dataSource.query(
      'SELECT full_sync_requested FROM shopify_store WHERE feed_id = $1',
      [rawId(feedId)],
    );
    expect(store.full_sync_requested).toBe(runs[0].trigger === 'SYNC' && syncs.some(started));
  });

  it('a webhook during a running sync makes the store due, and the first tick after that sync queues the next', async () => {
    const db = api.runtime.dataSource;
    const [store]: { feed_id: string; shop_domain: string }[] = await db.query(
      'SELECT feed_id, shop_domain FROM shopify_store LIMIT 1',
    );
    const [run]: { id: string }[] = await db.query(
      `SELECT id FROM ingestion_run WHERE feed_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
      [rawId(store.feed_id)],
    );
    // As if a worker had claimed it.
    await db.query(`UPDATE ingestion_run SET status = 'RUNNING', phase = 'READING' WHERE id = $1`, [rawId(run.id)]);
    await db.query('UPDATE shopify_store SET next_sync_at = NULL WHERE feed_id = $1', [rawId(store.feed_id)]);
    const body = JSON.stringify({ id: 1 });
    const res = await fetch(`${api.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
        'x-shopify-shop-domain': store.shop_domain,
        'x-shopify-topic': 'products/update',
        'x-shopify-webhook-id': randomUUID(),
      },
      body,
    });
    expect(res.status).toBe(200);
    const scheduler = api.app.get(ShopifyScheduler);
    const soon = new Date(Date.now() + 60_000);
    expect(await scheduler.runDueStores(soon)).toBe(0); // still running: nothing queued, the store stays due
    expect((await runsOf(store.feed_id)).length).toBe(1);
    await db.query(`UPDATE ingestion_run SET status = 'SUCCEEDED', phase = 'DONE' WHERE id = $1`, [rawId(run.id)]);
    expect(await scheduler.runDueStores(soon)).toBe(1);
    const runs = await runsOf(store.feed_id);
    expect(runs.filter((r) => r.status === 'QUEUED')).toHaveLength(1);
  });

  it('the migration keeps the newest of duplicate active runs and cancels the rest', async () => {
    const feedId = await createFeed(api, key, { source: 'UPLOAD' });
    const db = api.runtime.dataSource;
    const [{ brand_id: brandId }] = await db.query('SELECT brand_id FROM feed WHERE id = $1', [rawId(feedId)]);
    await db.query('DROP INDEX ingestion_run_one_active_idx');
    const ids: string[] = [];
    for (const [status, minutesAgo] of [
      ['RUNNING', 30],
      ['QUEUED', 20],
      ['QUEUED', 10],
    ] as const) {
      const [row] = await db.query(
        `INSERT INTO ingestion_run (brand_id, feed_id, trigger, status, queued_at)
         VALUES ($1, $2, 'UPLOAD', $3, now() - make_interval(mins => $4)) RETURNING id`,
        [rawId(brandId), rawId(feedId), status, minutesAgo],
      );
      ids.push(row.id);
    }
    const runner = db.createQueryRunner();
    try {
      await new OneActiveRun1764000000015().up(runner);
    } finally {
      await runner.release();
    }
    const rows: { id: string; status: string; cancel_requested: boolean }[] = await db.query(
      'SELECT id, status, cancel_requested FROM ingestion_run WHERE feed_id = $1',
      [rawId(feedId)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[2])!.status).toBe('QUEUED');
    expect([byId.get(ids[0])!.status, byId.get(ids[1])!.status]).toEqual(['CANCELLED', 'CANCELLED']);
    expect(byId.get(ids[0])!.cancel_requested).toBe(true);
    // And the index is back: a second active run is refused by the database itself.
    await expect(
      db.query(`INSERT INTO ingestion_run (brand_id, feed_id, trigger) VALUES ($1, $2, 'UPLOAD')`, [
        rawId(brandId),
        rawId(feedId),
      ]),
    ).rejects.toThrow(/ingestion_run_one_active_idx/);
  });
});
