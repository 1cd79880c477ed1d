import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  FakeShopifyAdmin,
  SEED_ENV,
  createFeed,
  fakeProduct,
  ingest,
  insertTestClick,
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

/** The SQL the API's data source logs while `run` runs (its batching: one query per field and level, not per row). */
async function queriesDuring<T>(api: TestApi, run: () => Promise<T>): Promise<{ result: T; seen: string[] }> {
  const logger = api.runtime.dataSource.logger;
  const original = logger.logQuery;
  const seen: string[] = [];
  logger.logQuery = ((sql: string, ...rest: unknown[]) => {
    seen.push(sql);
    return (original as (...a: unknown[]) => unknown).call(logger, sql, ...rest);
  }) as typeof logger.logQuery;
  try {
    return { result: await run(), seen };
  } finally {
    logger.logQuery = original;
  }
}

/** A running campaign on a product set (its id in `createCampaign.campaign.id`). */
const createCampaign = (api: TestApi, key: string, productSetId: string) =>
  api.gqlOk(
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
    {
      input: {
        productSetId,
        dailyBudget: { amount: '20.00', currency: 'USD' },
        maxCpc: { amount: '0.50', currency: 'USD' },
        startsAt: new Date().toISOString(),
      },
    },
    key,
  );

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
  /** A second creator, to whom nothing of the first creator's is shown. */
  let otherCreator: { id: string; apiKey: string };
  /** The brand's open default rule (any creator may read an open rule). */
  let openRule: string;
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
    const { createCampaign: campaign } = await createCampaign(api, key, set.productSet.id);
    // The affiliate objects: the brand's open rate, an offer to the creator (accepted), the creator's link and
    // showcase item, an order the link brought (a Conversion) and a refund of part of it (a COMMISSION ledger entry
    // and its REVERSAL).
    const creatorKey = seed.creator.apiKey;
    const product = Object.values(seed.products)[0];
    const { me } = await api.gqlOk('{ me { ... on CreatorPrincipal { creator { handle } } } }', {}, creatorKey);
    const { setCommissionRate: rate } = await api.gqlOk(
      'mutation($input: SetCommissionRateInput!) { setCommissionRate(input: $input) { rule { id } } }',
      { input: { ratePercent: '10' } },
      key,
    );
    openRule = rate.rule.id;
    const { createCommissionOffer: made } = await api.gqlOk(
      `mutation($input: CreateCommissionOfferInput!) {
        createCommissionOffer(input: $input) { offer { id rules { id } } } }`,
      { input: { creatorHandle: me.creator.handle, ratePercent: '15' } },
      key,
    );
    await api.gqlOk(
      `mutation($input: RespondToCommissionOfferInput!) { respondToCommissionOffer(input: $input) { offer { id } } }`,
      { input: { offerId: made.offer.id, decision: 'ACCEPT' } },
      creatorKey,
    );
    const { createShareLink: link } = await api.gqlOk(
      'mutation($input: CreateShareLinkInput!) { createShareLink(input: $input) { shareLink { id } } }',
      { input: { productId: product } },
      creatorKey,
    );
    const { placeShowcaseItem: placed } = await api.gqlOk(
      'mutation($input: PlaceShowcaseItemInput!) { placeShowcaseItem(input: $input) { item { id } } }',
      { input: { productId: product } },
      creatorKey,
    );
    const clickId = await insertTestClick(
      api.runtime.dataSource,
      { id: rawId(link.shareLink.id) },
      { clickedAt: new Date(Date.now() - 60_000), ratePercent: '15.00', rule: 'TARGETED_BRAND' },
    );
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    const { reportConversion: reported } = await api.gqlOk(
      `mutation($input: ReportConversionInput!) { reportConversion(input: $input) { conversion { id outcome } } }`,
      {
        input: {
          clickId,
          orderId: 'RELAY-1',
          currency: 'USD',
          orderedAt: new Date().toISOString(),
          lines: [{ productId: product, amount: usd('40.00') }],
        },
      },
      key,
    );
    expect(reported.conversion.outcome).toBe('ATTRIBUTED');
    await api.gqlOk(
      `mutation($input: RefundConversionInput!) { refundConversion(input: $input) { reversed { amount } } }`,
      {
        input: {
          orderId: 'RELAY-1',
          refundId: 'R1',
          reason: 'REFUND',
          lines: [{ productId: product, amount: usd('10.00') }],
        },
      },
      key,
    );
    const { earnings } = await api.gqlOk('{ earnings { entries(first: 10) { nodes { id kind } } } }', {}, creatorKey);
    const reversal = earnings.entries.nodes.find((e: { kind: string }) => e.kind === 'REVERSAL');
    const registered = await api.gqlOk(
      'mutation($input: RegisterCreatorInput!) { registerCreator(input: $input) { creator { id } apiKey } }',
      { input: { email: 'relay-other@example.test', handle: `relayother${Date.now()}` } },
    );
    otherCreator = { id: registered.registerCreator.creator.id, apiKey: registered.registerCreator.apiKey };
    Object.assign(ids, {
      ShareLink: link.shareLink.id,
      ShowcaseItem: placed.item.id,
      CommissionOffer: made.offer.id,
      CommissionRule: made.offer.rules[0].id,
      Conversion: reported.conversion.id,
      LedgerEntry: reversal.id,
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
      ShareLink: 'share_link',
      CommissionOffer: 'commission_offer',
      CommissionRule: 'commission_rule',
      Conversion: 'conversion',
      LedgerEntry: 'ledger_entry',
      // A showcase item's key is its creator and product: its raw id is `<creatorId>:<productId>`.
      ShowcaseItem: 'showcase_item',
    };
    for (const [type, id] of Object.entries(ids)) {
      expect(decodeGlobalId(id).type).toBe(type);
      // The testing helper agrees with the app's decoder.
      expect(rawId(id)).toBe(fromGlobalId(id, type));
      const raw = fromGlobalId(id, type);
      const rows = await api.runtime.dataSource.query(
        type === 'ShowcaseItem'
          ? `SELECT 1 FROM showcase_item WHERE creator_id::text || ':' || product_id::text = $1`
          : `SELECT 1 FROM ${tables[type]} WHERE id = $1`,
        [raw],
      );
      expect([type, rows.length]).toEqual([type, 1]);
    }
  });

  it('refetches every Node type with node(id:), answering the same id and type', async () => {
    const keyFor = (type: string) =>
      ['Creator', 'ShowcaseItem', 'LedgerEntry'].includes(type) ? seed.creator.apiKey : seed.brand.apiKey;
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

  it('refetches the affiliate objects as their own lists answer them, to whom the lists show them', async () => {
    const brand = seed.brand.apiKey;
    const creator = seed.creator.apiKey;
    const node = (id: string, key?: string) =>
      api.gql(
        `query($id: ID!) { node(id: $id) { __typename id
          ... on ShareLink { code url channel createdAt product { id } }
          ... on ShowcaseItem { position addedAt product { id } }
          ... on CommissionOffer { status creatorHandle brand { id } rules { id kind ratePercent } }
          ... on CommissionRule { ruleKind: kind ratePercent validFrom }
          ... on Conversion { orderId outcome commission { amount currency } }
          ... on LedgerEntry { kind amount { amount } orderId reverses { id kind } } } }`,
        { id },
        key,
      );
    const code = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
      res.errors?.[0]?.extensions?.code ?? null;

    // Each round trip answers what the type's own list answers.
    const lists = await api.gqlOk(
      `{ shareLinks(first: 5) { nodes { __typename id code url channel createdAt product { id } } }
         showcase(first: 5) { nodes { __typename id position addedAt product { id } } }
         commissionOffers(first: 5) { nodes { __typename id status creatorHandle brand { id } rules { id kind ratePercent } } }
         earnings { entries(first: 10) { nodes { __typename id kind amount { amount } orderId reverses { id kind } } } } }`,
      {},
      creator,
    );
    const answer = async (id: string, key: string) => {
      const res = await node(id, key);
      expect([decodeGlobalId(id).type, res.errors]).toEqual([decodeGlobalId(id).type, undefined]);
      return res.data!.node;
    };
    expect(await answer(ids.ShareLink, creator)).toEqual(lists.shareLinks.nodes[0]);
    expect(await answer(ids.ShowcaseItem, creator)).toEqual(lists.showcase.nodes[0]);
    expect(await answer(ids.CommissionOffer, creator)).toEqual(lists.commissionOffers.nodes[0]);
    const entries = lists.earnings.entries.nodes;
    expect(await answer(ids.LedgerEntry, creator)).toEqual(
      entries.find((e: { id: string }) => e.id === ids.LedgerEntry),
    );
    const brandLists = await api.gqlOk(
      `{ shareLinks(first: 5) { nodes { id code } }
         commissionOffers(first: 5) { nodes { __typename id status creatorHandle brand { id } rules { id kind ratePercent } } }
         commissionProgram { rules(first: 5) { nodes { __typename id ruleKind: kind ratePercent validFrom } } } }`,
      {},
      brand,
    );
    expect(await answer(ids.CommissionOffer, brand)).toEqual(brandLists.commissionOffers.nodes[0]);
    expect((await answer(ids.ShareLink, brand)).code).toBe(brandLists.shareLinks.nodes[0].code);
    expect(await answer(openRule, brand)).toEqual(brandLists.commissionProgram.rules.nodes[0]);
    expect(await answer(ids.CommissionRule, brand)).toMatchObject({
      id: ids.CommissionRule,
      ruleKind: 'TARGETED_BRAND',
    });
    expect(await answer(ids.CommissionRule, creator)).toMatchObject({ id: ids.CommissionRule, ratePercent: '15' });
    expect(await answer(ids.Conversion, brand)).toMatchObject({
      __typename: 'Conversion',
      orderId: 'RELAY-1',
      outcome: 'ATTRIBUTED',
    });
    // The REVERSAL's edge is the COMMISSION entry it corrects, as node(id:) answers that one.
    const reversal = await answer(ids.LedgerEntry, creator);
    expect(reversal.kind).toBe('REVERSAL');
    expect(reversal.reverses.kind).toBe('COMMISSION');
    expect((await answer(reversal.reverses.id, creator)).kind).toBe('COMMISSION');
    // An open rule is every creator's to read (commissionFor names it); the brand's offer rules are not.
    expect((await answer(openRule, otherCreator.apiKey)).ruleKind).toBe('OPEN_DEFAULT');

    // Refusals: another brand and another creator NOT_FOUND; the other kind of account FORBIDDEN where the type's
    // list is for one kind only; no key UNAUTHENTICATED. Nothing of the object is answered.
    const expected: Record<string, { otherBrand: string; otherCreator: string }> = {
      ShareLink: { otherBrand: 'NOT_FOUND', otherCreator: 'NOT_FOUND' },
      ShowcaseItem: { otherBrand: 'FORBIDDEN', otherCreator: 'NOT_FOUND' },
      CommissionOffer: { otherBrand: 'NOT_FOUND', otherCreator: 'NOT_FOUND' },
      CommissionRule: { otherBrand: 'NOT_FOUND', otherCreator: 'NOT_FOUND' },
      Conversion: { otherBrand: 'NOT_FOUND', otherCreator: 'FORBIDDEN' },
      LedgerEntry: { otherBrand: 'FORBIDDEN', otherCreator: 'NOT_FOUND' },
    };
    for (const [type, codes] of Object.entries(expected)) {
      const byBrand = await node(ids[type], other.apiKey);
      const byCreator = await node(ids[type], otherCreator.apiKey);
      const anonymous = await node(ids[type]);
      expect([type, code(byBrand), code(byCreator), code(anonymous)]).toEqual([
        type,
        codes.otherBrand,
        codes.otherCreator,
        'UNAUTHENTICATED',
      ]);
      for (const res of [byBrand, byCreator, anonymous]) expect(res.data?.node ?? null).toBeNull();
    }
    // The owner's other kind of account: the brand cannot read the creator's showcase or ledger, the creator the
    // brand's conversions.
    expect(code(await node(ids.ShowcaseItem, brand))).toBe('FORBIDDEN');
    expect(code(await node(ids.LedgerEntry, brand))).toBe('FORBIDDEN');
    expect(code(await node(ids.Conversion, creator))).toBe('FORBIDDEN');
    // A showcase id naming another creator is not read for the caller, even for a product in its own showcase.
    const [, productOfItem] = rawId(ids.ShowcaseItem).split(':');
    const forged = toGlobalId('ShowcaseItem', `${rawId(otherCreator.id)}:${productOfItem}`);
    expect(code(await node(forged, creator))).toBe('NOT_FOUND');
  });

  it('answers edges beside the ids of keys, preview runs, quotes and offers, read as node(id:) reads them', async () => {
    const brand = seed.brand.apiKey;
    const creator = seed.creator.apiKey;
    const ME = `{ me { ... on BrandPrincipal { apiKeyId apiKey { id name } }
                        ... on CreatorPrincipal { apiKeyId apiKey { id name } } } }`;
    for (const key of [brand, creator]) {
      const { me } = await api.gqlOk(ME, {}, key);
      expect(me.apiKey.id).toBe(me.apiKeyId);
      expect(decodeGlobalId(me.apiKey.id).type).toBe('ApiKey');
    }
    const { previewFeedRules: preview } = await api.gqlOk(
      `query($feedId: ID!, $rules: [FeedRuleInput!]!) { previewFeedRules(feedId: $feedId, rules: $rules, sample: 0) {
        sourceRunId sourceRun { id status } } }`,
      {
        feedId: seed.feedId,
        rules: [
          {
            ruleId: 'r1',
            name: 'Keep',
            when: { attribute: 'id', operator: 'EQUALS', value: 'none' },
            actions: [{ type: 'EXCLUDE' }],
          },
        ],
      },
      brand,
    );
    expect(preview.sourceRun).toEqual({ id: preview.sourceRunId, status: 'SUCCEEDED' });

    const QUOTE = `query($p: ID!, $h: String) { commissionFor(productId: $p, creatorHandle: $h) {
      rule ruleId appliedRule { id kind } offerId offer { id status }
      candidates { kind ruleId rule { id kind } offerId offer { id } } } }`;
    const product = Object.values(seed.products)[0];
    const { me } = await api.gqlOk('{ me { ... on CreatorPrincipal { creator { handle } } } }', {}, creator);
    for (const [key, handle] of [
      [brand, me.creator.handle],
      [creator, null],
    ] as const) {
      const { commissionFor: quote } = await api.gqlOk(QUOTE, { p: product, h: handle }, key);
      expect(quote.rule).toBe('TARGETED_BRAND');
      expect(quote.appliedRule).toEqual({ id: quote.ruleId, kind: 'TARGETED_BRAND' });
      expect(quote.offer).toEqual({ id: ids.CommissionOffer, status: 'ACCEPTED' });
      expect(quote.offerId).toBe(ids.CommissionOffer);
      // Every candidate's rule is readable by whoever was quoted it: the brand's own, the creator's offer and the
      // open program.
      for (const c of quote.candidates) {
        expect(c.rule).toEqual({ id: c.ruleId, kind: c.kind });
        expect(c.offer?.id ?? null).toBe(c.offerId);
      }
      expect(quote.candidates.map((c: { kind: string }) => c.kind)).toEqual(['TARGETED_BRAND', 'OPEN_DEFAULT']);
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
      await createCampaign(api, key, set.productSet.id);
      await api.gqlOk(
        `mutation($input: CreateChannelExportInput!) { createChannelExport(input: $input) { channelExport { id } } }`,
        { input: { channel: 'GOOGLE', productSetId: set.productSet.id } },
        key,
      );
    }
    const { result: data, seen } = await queriesDuring(api, () =>
      api.gqlOk(
        `{ campaigns(first: 20) { nodes { productSetId productSet { id name } } }
           channelExports(first: 20) { nodes { productSetId productSet { id name } } } }`,
        {},
        key,
      ),
    );
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

    const { result: data, seen } = await queriesDuring(api, () => api.gqlOk(query, { id: feedId }, key));
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
