import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAsSystem } from '@brandshelf/db';
import { ShopifyScheduler, ShopifyStoreStore } from '@brandshelf/shopify';
import {
  FakeShopifyAdmin,
  fakeProduct,
  registerBrand,
  startTestApi,
  waitForRun,
  type FakeProduct,
  type RunView,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const TOKEN = 'shpat_e2e_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SECRET = 'e2e-webhook-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** Shopify settings come from the environment (README: Settings); fast ones for the test. */
const SHOPIFY_ENV: Record<string, string> = {
  SHOPIFY_PAGE_SIZE: '8',
  SHOPIFY_RETRY_BASE_MS: '20',
  SHOPIFY_SYNC_INTERVAL_MINUTES: '0',
  SHOPIFY_WEBHOOK_DELAY_SECONDS: '0',
};

const STORE_FIELDS = 'id shopDomain feedId apiVersion idStrategy lastSyncedAt createdAt';
const CONNECT = `mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) {
  shopifyStore { ${STORE_FIELDS} } userErrors { code message field } } }`;
const SYNC = `mutation($feedId: ID!, $full: Boolean) { syncShopifyStore(input: { feedId: $feedId, full: $full }) {
  run { id status trigger } userErrors { code message } } }`;
const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) {
  publication { created updated unchanged removed } userErrors { code message } } }`;

/** 300 products over 30+ pages: most with one variant, some with three, a few with more than a page holds. */
function catalog(): FakeProduct[] {
  return Array.from({ length: 300 }, (_, i) => {
    const n = i + 1;
    const variants = n % 50 === 0 ? 24 : n % 7 === 0 ? 3 : 1;
    const status = n % 40 === 5 ? 'DRAFT' : n % 60 === 7 ? 'ARCHIVED' : 'ACTIVE';
    return fakeProduct(n, variants, { status });
  });
}

/** What the catalog should hold: one offer (variant id) per variant of every active product. */
const activeOffers = (fake: FakeShopifyAdmin): string[] =>
  [...fake.products.values()]
    .filter((p) => p.status === 'ACTIVE')
    .flatMap((p) => p.variants.map((v) => String(v.id)))
    .sort();

describe('Shopify stores (e2e against a loopback Admin API)', () => {
  let api: TestApi;
  let key: string;
  let domain: string;
  let feedId: string;
  const fake = new FakeShopifyAdmin({ accessToken: TOKEN, bucketSize: 2000, restoreRate: 2000 });
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [name, value] of Object.entries(SHOPIFY_ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    for (const product of catalog()) fake.put(product);
    domain = await fake.listen();
    api = await startTestApi(createApi, { SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Shopify Brand')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await fake.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const sync = async (full = false): Promise<RunView> => {
    const data = await api.gqlOk<{ syncShopifyStore: { run: { id: string } } }>(SYNC, { feedId, full }, key);
    return waitForRun(api, key, data.syncShopifyStore.run.id);
  };
  const publish = async (runId: string) => (await api.gqlOk(PUBLISH, { runId }, key)).publishRun.publication;
  const live = async (): Promise<string[]> =>
    (
      (await api.runtime.dataSource.query('SELECT offer_id FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id', [
        rawId(feedId),
      ])) as { offer_id: string }[]
    ).map((r) => r.offer_id);
  const runs = async (): Promise<{ id: string; trigger: string; status: string }[]> =>
    (
      await api.gqlOk(
        'query($id: ID!) { feed(id: $id) { runs(first: 100) { nodes { id trigger status } } } }',
        { id: feedId },
        key,
      )
    ).feed.runs.nodes;
  const since = (mark: number) => fake.requests.slice(mark);

  it('refuses a token the store does not accept, and creates nothing', async () => {
    const res = await api.gql(
      CONNECT,
      { input: { shopDomain: domain, accessToken: 'shpat_wrong', webhookSecret: SECRET } },
      key,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.connectShopifyStore).toEqual({
      shopifyStore: null,
      userErrors: [
        {
          code: 'BAD_USER_INPUT',
          message: expect.stringMatching(/refused the access token/),
          field: ['input', 'accessToken'],
        },
      ],
    });
    const other = await api.gql(
      CONNECT,
      { input: { shopDomain: 'evil.example.com', accessToken: TOKEN, webhookSecret: SECRET } },
      key,
    );
    expect(other.data?.connectShopifyStore.userErrors).toEqual([
      { code: 'BAD_USER_INPUT', message: expect.any(String), field: ['input', 'shopDomain'] },
    ]);
    const none = await api.gqlOk('{ feeds { nodes { id } } shopifyStores { totalCount nodes { id } } }', {}, key);
    expect(none.feeds.nodes).toEqual([]);
    expect(none.shopifyStores).toEqual({ totalCount: 0, nodes: [] });
  });

  it('connects a store and syncs several hundred products across many pages', async () => {
    const data = await api.gqlOk(
      CONNECT,
      { input: { shopDomain: domain, accessToken: TOKEN, webhookSecret: SECRET } },
      key,
    );
    const store = data.connectShopifyStore.shopifyStore;
    expect(store).toMatchObject({
      shopDomain: domain,
      apiVersion: '2025-01',
      idStrategy: 'VARIANT_ID',
      lastSyncedAt: null,
    });
    feedId = store.feedId;
    const feed = (
      await api.gqlOk('query($id: ID!) { feed(id: $id) { source defaultCurrency storeUrl } }', { id: feedId }, key)
    ).feed;
    // The shop's primary domain, as the fake Admin API gives it.
    expect(feed).toEqual({ source: 'SHOPIFY', defaultCurrency: 'USD', storeUrl: 'https://fake-store.example' });

    const mark = fake.requests.length;
    const expected = activeOffers(fake);
    expect(expected.length).toBeGreaterThan(300);
    const run = await sync();
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      itemsAccepted: expected.length,
      itemsRejected: 0,
      errors: 0,
      diff: { created: expected.length, updated: 0, unchanged: 0, removed: 0 },
    });
    const pages = since(mark).filter((r) => r.operation === 'products');
    expect(pages.length).toBeGreaterThanOrEqual(28);
    expect(pages.every((r) => r.variables.query === 'status:active')).toBe(true);
    expect(since(mark).some((r) => r.operation === 'productVariants')).toBe(true); // 24-variant products

    expect(await publish(run.id)).toMatchObject({ created: expected.length, removed: 0 });
    expect(await live()).toEqual(expected);
    const [after] = (await api.gqlOk(`{ shopifyStores { nodes { ${STORE_FIELDS} } } }`, {}, key)).shopifyStores.nodes;
    expect(after.lastSyncedAt).not.toBeNull();
  });

  it('answers connecting the same store again with the userError ALREADY_CONNECTED, and creates nothing', async () => {
    const before = await api.gqlOk('{ feeds { totalCount } shopifyStores { totalCount } }', {}, key);
    const again = await api.gql(
      CONNECT,
      { input: { shopDomain: domain, accessToken: TOKEN, webhookSecret: SECRET } },
      key,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.connectShopifyStore).toEqual({
      shopifyStore: null,
      userErrors: [{ code: 'ALREADY_CONNECTED', message: expect.stringContaining('already connected'), field: null }],
    });
    expect(await api.gqlOk('{ feeds { totalCount } shopifyStores { totalCount } }', {}, key)).toEqual(before);
  });

  it('syncs only what changed upstream; a product deleted upstream disappears after publish', async () => {
    fake.update(10_001, (p) => (p.variants[0].price = '99.00')); // 1 variant
    fake.update(10_014, (p) => (p.title = 'Renamed fourteen')); // 3 variants
    fake.put({ ...fakeProduct(301, 1), updatedAt: new Date().toISOString() });
    fake.put({ ...fakeProduct(302, 3), updatedAt: new Date().toISOString() });
    fake.remove(10_002); // deleted: 1 variant
    fake.update(10_003, (p) => (p.status = 'ARCHIVED')); // unpublished: 1 variant
    const mark = fake.requests.length;
    const run = await sync();
    const expected = activeOffers(fake);
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 1 + 3 + 1 + 3,
      diff: { created: 4, updated: 4, removed: 2, unchanged: expected.length - 8 },
    });
    const pages = since(mark).filter((r) => r.operation === 'products');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((r) => /^updated_at:>'[^']+'$/.test(String(r.variables.query)))).toBe(true);
    // No full re-read: only the changed products came back with their fields; deletions came from an id listing.
    expect(pages.reduce((sum, r) => sum + r.productsReturned, 0)).toBe(5);
    expect(since(mark).filter((r) => r.operation === 'productIds').length).toBeGreaterThan(0);

    expect(await publish(run.id)).toMatchObject({ created: 4, updated: 4, removed: 2 });
    const offers = await live();
    expect(offers).toEqual(expected);
    expect(offers).not.toContain(String(fakeProduct(2).variants[0].id));
    expect(offers).not.toContain(String(fakeProduct(3).variants[0].id));
    const [price] = await api.runtime.dataSource.query(
      'SELECT price_minor FROM catalog_product WHERE feed_id = $1 AND offer_id = $2',
      [rawId(feedId), String(fakeProduct(1).variants[0].id)],
    );
    expect(Number(price.price_minor)).toBe(9900);
  });

  it('survives throttling, a 429 with Retry-After and transient 5xx answers', async () => {
    fake.faults = [
      { kind: 'status', status: 429, retryAfterSeconds: 1, operation: 'products' },
      { kind: 'status', status: 503, operation: 'products' },
      { kind: 'drain', operation: 'products' },
      { kind: 'status', status: 502, operation: 'products' },
    ];
    const mark = fake.requests.length;
    const run = await sync(true);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: activeOffers(fake).length });
    expect(run.diff).toMatchObject({ created: 0, updated: 0, removed: 0 });
    const pages = since(mark).filter((r) => r.operation === 'products');
    expect(pages.slice(0, 5).map((r) => r.outcome)).toEqual(['fault', 'fault', 'throttled', 'fault', 'ok']);
    expect(pages[1].at - pages[0].at).toBeGreaterThanOrEqual(1000);
    // Waited for the bucket instead of hammering: a client that retried at once would be throttled on most pages.
    // (A second throttle can happen when the machine is loaded and the bucket estimate drifts.)
    expect(pages.filter((r) => r.outcome === 'throttled').length).toBeLessThanOrEqual(2);
    expect(fake.faults).toEqual([]);
  });

  it('refuses a forged webhook and applies a genuine one exactly once, even when delivered twice', async () => {
    fake.update(10_020, (p) => (p.title = 'Changed by webhook'));
    const body = JSON.stringify({
      id: 10_020,
      title: 'Changed by webhook',
      admin_graphql_api_id: 'gid://shopify/Product/10020',
    });
    const send = (headers: Record<string, string>, payload = body) =>
      fetch(`${api.url}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'products/update',
          'x-shopify-shop-domain': domain,
          'x-shopify-api-version': '2025-01',
          'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
          ...headers,
        },
        body: payload,
      });
    const sign = (payload: string, secret = SECRET) =>
      createHmac('sha256', secret).update(payload, 'utf8').digest('base64');
    const runsBefore = (await runs()).length;

    const forged = [
      await send({ 'x-shopify-hmac-sha256': sign(body, 'not-the-secret') }),
      await send({ 'x-shopify-hmac-sha256': sign(body) }, body.replace('Changed', 'Forged')),
      await send({}),
      await send({ 'x-shopify-hmac-sha256': sign(body), 'x-shopify-shop-domain': 'other.myshopify.com' }),
    ];
    expect(forged.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(((await forged[0].json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    expect(await api.runtime.dataSource.query('SELECT * FROM shopify_webhook_delivery')).toEqual([]);
    expect(await runs()).toHaveLength(runsBefore);

    // Shopify retries and may deliver one webhook twice, even at once.
    const genuine = { 'x-shopify-hmac-sha256': sign(body) };
    const answers = await Promise.all([send(genuine), send(genuine)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const outcomes = (await Promise.all(answers.map((r) => r.json())))
      .map((j) => (j as { outcome: string }).outcome)
      .sort();
    expect(outcomes).toEqual(['DUPLICATE', 'QUEUED']);
    const later = await send(genuine);
    expect(((await later.json()) as { outcome: string }).outcome).toBe('DUPLICATE');

    const created = (await runs()).slice(0, (await runs()).length - runsBefore);
    expect(created).toHaveLength(1);
    expect(created[0].trigger).toBe('SYNC');
    const run = await waitForRun(api, key, created[0].id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', diff: { created: 0, updated: 1, removed: 0 } });
    await publish(run.id);
    const [title] = await api.runtime.dataSource.query(
      'SELECT title FROM catalog_product WHERE feed_id = $1 AND offer_id = $2',
      [rawId(feedId), String(fakeProduct(20).variants[0].id)],
    );
    expect(title.title).toBe('Changed by webhook');
    expect(await api.runtime.dataSource.query('SELECT count(*)::int AS n FROM shopify_webhook_delivery')).toEqual([
      { n: 1 },
    ]);
  });

  it('queues incremental syncs for stores that are due', async () => {
    await api.runtime.dataSource.query(`UPDATE shopify_store SET next_sync_at = now() - interval '1 minute'`);
    expect(await api.app.get(ShopifyScheduler).runDueStores(new Date())).toBe(1);
    const scheduled = (await runs()).find((r) => r.trigger === 'SCHEDULE')!;
    expect(await waitForRun(api, key, scheduled.id)).toMatchObject({
      status: 'SUCCEEDED',
      diff: { updated: 0, removed: 0 },
    });
    // With SHOPIFY_SYNC_INTERVAL_MINUTES=0 nothing is due again.
    expect(await api.app.get(ShopifyScheduler).runDueStores(new Date(Date.now() + 86_400_000))).toBe(0);
  });

  it('counts the next sync from the minute of the tick, so a tick a few seconds earlier in a later minute finds it due', async () => {
    // The minute tick runs when a worker takes it, some seconds into its minute. A store synced by a tick 22 s into
    // a minute, every minute, was not due for the next tick 19 s into the next minute: every other minute.
    const [store] = await api.runtime.dataSource.query('SELECT id, brand_id FROM shopify_store');
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    await runAsSystem('test', () =>
      api.app
        .get(ShopifyStoreStore)
        .advanceSchedule(api.runtime.dataSource.manager, store.brand_id, store.id, new Date(minute + 22_000), 1),
    );
    const [next] = await api.runtime.dataSource.query('SELECT next_sync_at FROM shopify_store WHERE id = $1', [
      store.id,
    ]);
    expect((next.next_sync_at as Date).toISOString()).toBe(new Date(minute + 60_000).toISOString());
    expect(await api.app.get(ShopifyScheduler).runDueStores(new Date(minute + 60_000 + 19_000))).toBe(1);
    const scheduled = (await runs()).filter((r) => r.trigger === 'SCHEDULE');
    for (const run of scheduled) await waitForRun(api, key, run.id);
  });

  it('reads every product again on the first sync after the feed rules changed, then only what changed', async () => {
    const SET_RULES = `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) { userErrors { code message } } }`;
    const setRules = async (rules: unknown[]) =>
      expect((await api.gqlOk(SET_RULES, { input: { feedId, rules } }, key)).setFeedRules.userErrors).toEqual([]);
    const labelled = async (): Promise<number> =>
      (
        await api.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1 AND 'ruled' = ANY(custom_labels)`,
          [rawId(feedId)],
        )
      )[0].n;
    const expected = activeOffers(fake);
    await setRules([
      { ruleId: 'label', name: 'Label', actions: [{ type: 'SET_CUSTOM_LABEL', index: 0, value: 'ruled' }] },
    ]);
    // Nothing changed upstream, but the rules did: an incremental sync would leave every product as the old rules made it.
    const ruled = await sync();
    expect(ruled).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: expected.length,
      diff: { created: 0, updated: expected.length, removed: 0, unchanged: 0 },
    });
    await publish(ruled.id);
    expect(await labelled()).toBe(expected.length);
    // Under the same rules the next sync is incremental again.
    fake.update(10_030, (p) => (p.title = 'Renamed thirty'));
    const next = await sync();
    expect(next).toMatchObject({ status: 'SUCCEEDED', diff: { created: 0, updated: 1, removed: 0 } });
    // (products changed within the cursor's overlap are read again too)
    expect(next.rowsRead).toBeLessThan(20);
    await publish(next.id);
    // Rules removed: every product again, without the label.
    await setRules([]);
    const cleared = await sync();
    expect(cleared).toMatchObject({ rowsRead: expected.length, diff: { updated: expected.length } });
    await publish(cleared.id);
    expect(await labelled()).toBe(0);
  });

  it('reads every product again on the first sync after a setting that changes items (category suggestions) changed', async () => {
    const expected = activeOffers(fake);
    const UPDATE = `mutation($input: UpdateFeedInput!) { updateFeed(input: $input) { userErrors { code message } } }`;
    const categorized = async (): Promise<number> =>
      (
        await api.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1 AND google_category_id IS NOT NULL`,
          [rawId(feedId)],
        )
      )[0].n;
    expect(await categorized()).toBe(0);
    const update = async (above: number | null) =>
      expect(
        (await api.gqlOk(UPDATE, { input: { feedId, acceptCategorySuggestionsAbove: above } }, key)).updateFeed
          .userErrors,
      ).toEqual([]);
    await update(0);
    const applied = await sync();
    expect(applied).toMatchObject({ status: 'SUCCEEDED', rowsRead: expected.length });
    await publish(applied.id);
    expect(await categorized()).toBe(expected.length);
    // Unchanged settings: incremental again.
    await update(0);
    const next = await sync();
    expect(next.rowsRead).toBeLessThan(20);
    await update(null);
    const cleared = await sync();
    expect(cleared).toMatchObject({ rowsRead: expected.length });
    await publish(cleared.id);
    expect(await categorized()).toBe(0);
  });

  it('fails a sync whose token was revoked with a code and a hint, changing nothing', async () => {
    fake.faults = [{ kind: 'status', status: 401 }];
    const liveBefore = await live();
    const run = await sync();
    expect(run).toMatchObject({ status: 'FAILED', versionId: null, error: { code: 'SHOPIFY_UNAUTHORIZED' } });
    expect(run.error!.hint).toMatch(/Connect the store again/);
    expect(await live()).toEqual(liveBefore);
  });

  it('never returns the token or the webhook secret, and stores neither in plain text', async () => {
    const type = await api.gqlOk('{ __type(name: "ShopifyStore") { fields { name } } }', {}, key);
    const fields = type.__type.fields.map((f: { name: string }) => f.name).sort();
    expect(fields).toEqual(['apiVersion', 'createdAt', 'feed', 'id', 'idStrategy', 'lastSyncedAt', 'shopDomain']);
    const everything = [
      await api.gqlOk(
        `{ shopifyStores { nodes { ${STORE_FIELDS} } }
           feeds { nodes { id name source format url hasBasicAuth mode defaultCurrency schedule columnMapping { column attribute } } } }`,
        {},
        key,
      ),
      await api.gqlOk(
        'query($id: ID!) { feed(id: $id) { runs(first: 20) { nodes { id sourceName trigger status error { code message hint } } } } }',
        { id: feedId },
        key,
      ),
    ];
    const answer = JSON.stringify(everything);
    expect(answer).toContain(domain);
    expect(answer).not.toContain(TOKEN);
    expect(answer).not.toContain(SECRET);

    const [row] = await api.runtime.dataSource.query(
      'SELECT access_token_sealed, webhook_secret_sealed FROM shopify_store',
    );
    expect(row.access_token_sealed).toMatch(/^v1\./);
    expect(row.webhook_secret_sealed).toMatch(/^v1\./);
    // Every row of every table, the queue's included.
    const tables: { schema: string; name: string }[] = await api.runtime.dataSource.query(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const hits = await api.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table.schema}"."${table.name}" t WHERE t::text LIKE $1 OR t::text LIKE $2`,
        [`%${TOKEN}%`, `%${SECRET}%`],
      );
      expect([table.name, hits[0].n]).toEqual([table.name, 0]);
    }
  });
});
