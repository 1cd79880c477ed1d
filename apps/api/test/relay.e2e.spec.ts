import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  FakeShopifyAdmin,
  SEED_ENV,
  createFeed,
  fakeProduct,
  ingest,
  rawId,
  registerBrand,
  seedCatalog,
  settleRuns,
  startTestApi,
  uploadFeed,
  type SeededCatalog,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { decodeGlobalId, fromGlobalId, toGlobalId } from '../src/graphql/global-id.js';

/**
 * Relay's contract: every refetchable object has a global id, node(id:) answers it with the access of the type's
 * own query, ids of one type are refused where another's is wanted, and edges (Publication.feed, .version, .run)
 * are loaded in one batched query per field and level, not one per row.
 */
const TOKEN = 'shpat_relay_0123456789abcdef0123456789abcdef';
const SHOPIFY_ENV: Record<string, string> = {
  SHOPIFY_SYNC_INTERVAL_MINUTES: '0',
  SHOPIFY_RETRY_BASE_MS: '20',
  SHOPIFY_WEBHOOK_DELAY_SECONDS: '0',
};

const CSV_HEADER = 'id,title,description,link,image_link,availability,price,brand';
const csv = (ids: string[], image: string) =>
  [
    CSV_HEADER,
    ...ids.map((id) =>
      [id, `Item ${id}`, 'Plain.', `https://shop.example/${id}`, image, 'in stock', '5.00 USD', 'Acme'].join(','),
    ),
  ].join('\n');

describe('Relay global ids, node(id:) and batched edges', () => {
  let api: TestApi;
  let seed: SeededCatalog;
  let other: { id: string; apiKey: string };
  const fake = new FakeShopifyAdmin({ accessToken: TOKEN });
  const savedEnv: Record<string, string | undefined> = {};
  /** One id of each Node type, all brand A's (or public), by type name. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const [name, value] of Object.entries(SHOPIFY_ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    fake.put(fakeProduct(1, 1));
    const shopDomain = await fake.listen();
    api = await startTestApi(createApi, SEED_ENV);
    seed = await seedCatalog(api, 'Relay Outdoor');
    other = await registerBrand(api, 'Other Brand');
    const key = seed.brand.apiKey;
    const { connectShopifyStore: store } = await api.gqlOk(
      `mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) { shopifyStore { id } } }`,
      { input: { shopDomain, accessToken: TOKEN, webhookSecret: 'relay-webhook-secret-0123456789', feedName: 'Shop' } },
      key,
    );
    const data = await api.gqlOk(
      `query($feed: ID!, $run: ID!) {
        apiKeys(first: 1) { nodes { id } }
        feed(id: $feed) { id versions(first: 1) { nodes { id } } publications(first: 1) { nodes { id } } }
        ingestionRun(id: $run) { id issues(first: 1) { nodes { id } } }
        products(first: 1) { nodes { id brand { id } } }
      }`,
      { feed: seed.feedId, run: seed.run.id },
      key,
    );
    // The ads objects: a product set, an export of it and a campaign over it.
    const { createProductSet: set } = await api.gqlOk(
      `mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } } }`,
      { input: { name: 'Relay set', rules: { condition: { attribute: 'BRAND', operator: 'IS', values: ['Acme'] } } } },
      key,
    );
    const { createChannelExport: exp } = await api.gqlOk(
      `mutation($input: CreateChannelExportInput!) { createChannelExport(input: $input) { channelExport { id } } }`,
      { input: { channel: 'GOOGLE', productSetId: set.productSet.id } },
      key,
    );
    const { createCampaign: campaign } = await api.gqlOk(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
      {
        input: {
          productSetId: set.productSet.id,
          dailyBudget: { amount: '20.00', currency: 'USD' },
          maxCpc: { amount: '0.50', currency: 'USD' },
          startsAt: new Date().toISOString(),
        },
      },
      key,
    );
    Object.assign(ids, {
      Campaign: campaign.campaign.id,
      ChannelExport: exp.channelExport.id,
      ProductSet: set.productSet.id,
      ApiKey: data.apiKeys.nodes[0].id,
      Brand: seed.brand.id,
      CatalogVersion: data.feed.versions.nodes[0].id,
      Creator: seed.creator.id,
      Feed: data.feed.id,
      IngestionRun: data.ingestionRun.id,
      Product: data.products.nodes[0].id,
      Publication: data.feed.publications.nodes[0].id,
      RunIssue: data.ingestionRun.issues.nodes[0].id,
      ShopifyStore: store.shopifyStore.id,
    });
  }, 240_000);

  afterAll(async () => {
    if (api) await settleRuns(api, 120_000).catch(() => undefined);
    await seed?.imageHost.close();
    await api?.close();
    await fake.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }, 180_000);

  it('gives every Node type global ids that decode to its database rows', async () => {
    const { data } = (await api.gql('{ __type(name: "Node") { possibleTypes { name } } }')) as {
      data: { __type: { possibleTypes: { name: string }[] } };
    };
    const nodeTypes = data.__type.possibleTypes.map((t) => t.name).sort();
    // BrandAccount is the brand's own view of a Brand and carries the Brand's id.
    expect(nodeTypes.filter((t) => t !== 'BrandAccount')).toEqual(Object.keys(ids).sort());
    const tables: Record<string, string> = {
      ApiKey: 'api_key',
      Brand: 'brand',
      Campaign: 'campaign',
      ChannelExport: 'channel_export',
      ProductSet: 'product_set',
      CatalogVersion: 'catalog_version',
      Creator: 'creator',
      Feed: 'feed',
      IngestionRun: 'ingestion_run',
      Product: 'catalog_product',
      Publication: 'publication',
      RunIssue: 'run_issue',
      ShopifyStore: 'shopify_store',
    };
    for (const [type, id] of Object.entries(ids)) {
      expect(decodeGlobalId(id).type).toBe(type);
      // The testing helper agrees with the app's decoder.
      expect(rawId(id)).toBe(fromGlobalId(id, type));
      const rows = await api.runtime.dataSource.query(`SELECT 1 FROM ${tables[type]} WHERE id = $1`, [
        fromGlobalId(id, type),
      ]);
      expect([type, rows.length]).toEqual([type, 1]);
    }
  });

  it('refetches every Node type with node(id:), answering the same id and type', async () => {
    const keyFor = (type: string) => (type === 'Creator' ? seed.creator.apiKey : seed.brand.apiKey);
    for (const [type, id] of Object.entries(ids)) {
      const res = await api.gql(
        `query($id: ID!) { node(id: $id) { __typename id
           ... on Feed { name } ... on Product { title } ... on IngestionRun { status } ... on Creator { handle }
           ... on ProductSet { name } ... on ChannelExport { channel } ... on Campaign { campaignStatus: status maxCpc { amount } } } }`,
        { id },
        keyFor(type),
      );
      expect([type, res.errors]).toEqual([type, undefined]);
      expect(res.data!.node).toMatchObject({ __typename: type, id });
    }
    // nodes(ids:) answers several types at once, in the order asked.
    const list = await api.gqlOk(
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids: [ids.Feed, ids.Publication, ids.Product] },
      seed.brand.apiKey,
    );
    expect(list.nodes.map((n: { __typename: string }) => n.__typename)).toEqual(['Feed', 'Publication', 'Product']);
  });

  it('keeps brand-owned nodes to their brand and public ones public', async () => {
    // Another brand: NOT_FOUND, as feed(id:) answers it, and nothing of the feed.
    const res = await api.gql(
      'query($id: ID!) { node(id: $id) { id ... on Feed { name } } }',
      { id: ids.Feed },
      other.apiKey,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.data?.node ?? null).toBeNull();
    expect(JSON.stringify(res)).not.toContain('Relay Outdoor');
    for (const type of [
      'IngestionRun',
      'CatalogVersion',
      'Publication',
      'ShopifyStore',
      'RunIssue',
      'ApiKey',
      'ProductSet',
      'ChannelExport',
      'Campaign',
    ]) {
      const answer = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: ids[type] }, other.apiKey);
      expect([type, answer.errors?.[0]?.extensions?.code]).toEqual([type, 'NOT_FOUND']);
    }
    // nodes: another brand's id is null at its place; its own ids are answered.
    const ownFeed = await createFeed(api, other.apiKey, { name: 'Mine' });
    const mixed = await api.gql(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: [ids.Feed, ownFeed] },
      other.apiKey,
    );
    expect(mixed.data?.nodes).toEqual([null, { id: ownFeed }]);
    expect(mixed.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['NOT_FOUND', ['nodes', 0]]]);
    // A creator's key cannot read brand objects; anyone reads products and brands with live products.
    const creator = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: ids.Feed }, seed.creator.apiKey);
    expect(creator.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await api.gqlOk(
      'query($p: ID!, $b: ID!) { p: node(id: $p) { id } b: node(id: $b) { ... on Brand { name } } }',
      { p: ids.Product, b: ids.Brand },
    );
    expect(anonymous).toEqual({ p: { id: ids.Product }, b: { name: 'Relay Outdoor' } });
    // A brand without live products is not public (Query.brands does not list it); it sees itself.
    const hidden = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: other.id });
    expect(hidden).toEqual({ data: { node: null } });
    const self = await api.gqlOk('query($id: ID!) { node(id: $id) { id } }', { id: other.id }, other.apiKey);
    expect(self.node).toEqual({ id: other.id });
    // An unknown product is null, as product(id:) answers it.
    const unknown = toGlobalId('Product', '00000000-0000-4000-8000-000000000000');
    expect(await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: unknown })).toEqual({
      data: { node: null },
    });
  });

  it('refuses an id of another type with a BAD_USER_INPUT naming both, in GraphQL and in REST paths', async () => {
    const key = seed.brand.apiKey;
    const wrong = await api.gql('query($id: ID!) { feed(id: $id) { id } }', { id: ids.IngestionRun }, key);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.message).toMatch(/IngestionRun.*Feed/);
    // In a mutation the wrong id is an expected failure: a userError on the input field.
    const publish = await api.gql(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { id } userErrors { code field message } } }',
      { id: ids.Feed },
      key,
    );
    expect(publish.errors).toBeUndefined();
    expect(publish.data?.publishRun.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'runId'] });
    const upload = await uploadFeed(api, key, ids.IngestionRun, 'id,title\nX,Y\n');
    expect([upload.status, upload.json?.code]).toEqual([400, 'BAD_USER_INPUT']);
    const csvRes = await fetch(`${api.url}/runs/${ids.Feed}/issues.csv`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(csvRes.status).toBe(400);
    // node(id:) needs the type the id names: a raw id is refused, not guessed.
    const bare = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: rawId(ids.Feed) }, key);
    expect(bare.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await api.gql(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: Array.from({ length: 101 }, () => ids.Feed) },
      key,
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('still takes raw UUIDs where an id is expected, and answers global ids', async () => {
    const key = seed.brand.apiKey;
    const { feed } = await api.gqlOk('query($id: ID!) { feed(id: $id) { id } }', { id: rawId(ids.Feed) }, key);
    expect(feed.id).toBe(ids.Feed);
    const csvRes = await fetch(`${api.url}/runs/${rawId(ids.IngestionRun)}/issues.csv`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(csvRes.status).toBe(200);
    await csvRes.text();
  });

  it('refetches the ads objects as their own queries answer them, and only for their brand', async () => {
    const key = seed.brand.apiKey;
    const res = await api.gqlOk(
      `query($s: ID!, $e: ID!, $c: ID!) {
        s: node(id: $s) { ... on ProductSet { id name } }
        e: node(id: $e) { ... on ChannelExport { id channel productSet { id name } } }
        c: node(id: $c) { ... on Campaign { id running dailyBudget { amount currency } productSet { id } } }
        campaign(id: $c) { id running dailyBudget { amount currency } productSet { id } }
      }`,
      { s: ids.ProductSet, e: ids.ChannelExport, c: ids.Campaign },
      key,
    );
    expect(res.s).toEqual({ id: ids.ProductSet, name: 'Relay set' });
    expect(res.e).toEqual({ id: ids.ChannelExport, channel: 'GOOGLE', productSet: res.s });
    expect(res.c).toEqual(res.campaign);
    expect(res.c.productSet).toEqual({ id: ids.ProductSet });
    // Another brand, a creator and no key: refused as the types' own queries refuse them.
    for (const id of [ids.ProductSet, ids.ChannelExport, ids.Campaign]) {
      const foreign = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id }, other.apiKey);
      expect([decodeGlobalId(id).type, foreign.errors?.[0]?.extensions?.code, foreign.data?.node ?? null]).toEqual([
        decodeGlobalId(id).type,
        'NOT_FOUND',
        null,
      ]);
      const creator = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id }, seed.creator.apiKey);
      expect(creator.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymous = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('resolves Campaign.productSet and ChannelExport.productSet for a page in one query per field', async () => {
    const key = other.apiKey;
    const { createProductSet: set } = await api.gqlOk(
      `mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } } }`,
      { input: { name: 'Edges', rules: { condition: { attribute: 'BRAND', operator: 'IS', values: ['Acme'] } } } },
      key,
    );
    for (let i = 0; i < 5; i++) {
      await api.gqlOk(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
        {
          input: {
            productSetId: set.productSet.id,
            dailyBudget: { amount: '20.00', currency: 'USD' },
            maxCpc: { amount: '0.50', currency: 'USD' },
            startsAt: new Date().toISOString(),
          },
        },
        key,
      );
      await api.gqlOk(
        `mutation($input: CreateChannelExportInput!) { createChannelExport(input: $input) { channelExport { id } } }`,
        { input: { channel: 'GOOGLE', productSetId: set.productSet.id } },
        key,
      );
    }
    const logger = api.runtime.dataSource.logger;
    const original = logger.logQuery;
    const seen: string[] = [];
    logger.logQuery = ((sql: string, ...rest: unknown[]) => {
      seen.push(sql);
      return (original as (...a: unknown[]) => unknown).call(logger, sql, ...rest);
    }) as typeof logger.logQuery;
    let data;
    try {
      data = await api.gqlOk(
        `{ campaigns(first: 20) { nodes { productSetId productSet { id name } } }
           channelExports(first: 20) { nodes { productSetId productSet { id name } } } }`,
        {},
        key,
      );
    } finally {
      logger.logQuery = original;
    }
    const rows = [...data.campaigns.nodes, ...data.channelExports.nodes];
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.productSet).toEqual({ id: row.productSetId, name: 'Edges' });
    // One batched query per edge field at most (both may share one), never one per row (10 here).
    expect(seen.filter((sql) => /FROM "product_set"/.test(sql)).length).toBeLessThanOrEqual(2);
  }, 120_000);

  it('resolves Publication.feed, .version and .run for a page of 20 in one query per field', async () => {
    const key = other.apiKey;
    const feedId = await createFeed(api, key, { name: 'Batched' });
    for (const items of [['A'], ['A', 'B']]) {
      const run = await ingest(api, key, feedId, csv(items, `${seed.imageHost.base}/shoe-red.jpg`));
      expect(run.status).toBe('SUCCEEDED');
      await api.gqlOk(
        'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { id } } }',
        { id: run.id },
        key,
      );
    }
    for (let i = 0; i < 18; i++) {
      await api.gqlOk(
        'mutation($id: ID!, $v: Int!) { rollbackFeed(input: { feedId: $id, toVersion: $v }) { publication { id } } }',
        { id: feedId, v: i % 2 === 0 ? 1 : 2 },
        key,
      );
    }
    await settleRuns(api);
    const query = `query($id: ID!) { feed(id: $id) {
      liveVersion { id number }
      publications(first: 20) { nodes { id feed { id name } version { id number isLive } run { id status } feedId versionId runId } }
    } }`;

    const logger = api.runtime.dataSource.logger;
    const original = logger.logQuery;
    const seen: string[] = [];
    logger.logQuery = ((sql: string, ...rest: unknown[]) => {
      seen.push(sql);
      return (original as (...a: unknown[]) => unknown).call(logger, sql, ...rest);
    }) as typeof logger.logQuery;
    let data;
    try {
      data = await api.gqlOk(query, { id: feedId }, key);
    } finally {
      logger.logQuery = original;
    }
    const nodes = data.feed.publications.nodes;
    expect(nodes).toHaveLength(20);
    for (const p of nodes) {
      expect(p.feed).toEqual({ id: feedId, name: 'Batched' });
      expect(p.version.id).toBe(p.versionId);
      expect(p.run?.id ?? null).toBe(p.runId);
      expect(decodeGlobalId(p.versionId).type).toBe('CatalogVersion');
    }
    expect(nodes.filter((p: { version: { isLive: boolean } }) => p.version.isLive)).toHaveLength(
      nodes.filter((p: { versionId: string }) => p.versionId === data.feed.liveVersion.id).length,
    );
    const on = (table: string) => seen.filter((sql) => new RegExp(`FROM "${table}"`).test(sql)).length;
    // Per table, whatever the page size: feed(id:), Publication.feed (one for the 20 rows) and CatalogVersion.isLive
    // a level deeper; Feed.liveVersion and Publication.version (two levels); one for the runs. One query per row
    // would be 20 and more of each.
    expect({ feed: on('feed'), version: on('catalog_version'), run: on('ingestion_run') }).toEqual({
      feed: 3,
      version: 2,
      run: 1,
    });
  }, 180_000);
});
