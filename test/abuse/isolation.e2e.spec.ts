import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  FakeShopifyAdmin,
  fakeProduct,
  rawId,
  SEED_ENV,
  createFeed,
  seedCatalog,
  settleRuns,
  type GraphQLResponse,
  type SeededCatalog,
  type TestApi,
  startTestApi,
} from '@brandshelf/testing';
import { createApi } from '../../apps/api/src/create-api.js';

/**
 * Tenant isolation, generated from the schema the API serves: every Query, Mutation and Subscription field that
 * takes an id (an ID argument, or an input object with ID fields) is called by brand B (and by a creator) with
 * each of brand A's ids of the matching kind, and must answer NOT_FOUND (a creator: NOT_FOUND or FORBIDDEN),
 * return none of A's data, and change none of A's rows. Which of A's ids goes into an argument is read from its
 * name (`feedId` → Feed, `runId` → IngestionRun; `id` → the field's return type), so a new field is swept without
 * touching this file. A field the sweep cannot classify fails the test: a field without ids must be listed below
 * as public or as acting on the caller's own account, and an id argument of a kind A has no id for needs one
 * added to the seed. The REST routes are enumerated from the router the same way.
 */

/** Fields that are not brand-scoped by design, with the reason. Nothing else may skip the sweep. */
const NOT_BRAND_SCOPED: Record<string, string> = {
  'Query.brands': 'public catalog: brands with live products',
  'Query.product': 'public catalog: any live product, whoever publishes it',
  'Query.products': 'public catalog search; filter.brandIds only narrows public results',
  'Mutation.registerBrand': 'creates a new account',
  'Mutation.registerCreator': 'creates a new account',
  'Query.commissionFor':
    "a creator's own rate on any live product; a brand asking about another's product is NOT_FOUND (affiliate-programs)",
  'Mutation.createShareLink': 'a creator links any live product, whoever publishes it; brand keys are FORBIDDEN',
  'Mutation.placeShowcaseItem': "a creator's own showcase of public products; brand keys are FORBIDDEN",
  'Mutation.removeShowcaseItem': "a creator's own showcase of public products; brand keys are FORBIDDEN",
  'Query.showcase': "creator keys only: the caller's own showcase (brands: FORBIDDEN; affiliate-links)",
  'Query.previewProductSet':
    "rules, not ids, over the caller's own live products; another brand's products never match (product-sets)",
  'Mutation.reportConversion':
    "an order report: its lines' product ids are matched against the caller's own links only; another brand's product earns nothing (earnings e2e)",
  'Mutation.refundConversion':
    "refunds the caller's own order (by its order id); line product ids are matched within that order (earnings e2e)",
  'Mutation.markAffiliatePayout':
    "pays the caller's own approved lines for a creator; a creator id names no brand-owned row (earnings e2e: other brands' lines untouched)",
  'Query.earnings': "creator keys only: the caller's own earnings (brands: FORBIDDEN; earnings e2e)",
  'Query.adsTerms': "the deployment's ads currency and reserve price (ADS_CURRENCY, ADS_RESERVE_CPC): settings, no row",
  'Mutation.respondToCommissionOffer':
    "creator keys only (brands: FORBIDDEN); another creator's offer is NOT_FOUND (affiliate-programs)",
};

/** Fields without id arguments that act on the caller's own account. The read ones are checked for A's data. */
const OWN_ACCOUNT: Record<string, string> = {
  'Query.me': "the caller's account",
  'Query.apiKeys': "the caller's keys",
  'Query.feeds': "the caller's feeds",
  'Query.shopifyStores': "the caller's stores",
  'Mutation.createFeed': 'creates a feed of the caller',
  'Mutation.createApiKey': 'creates a key of the caller',
  'Mutation.connectShopifyStore': 'connects a store to the caller (a shop domain, not an id)',
  'Query.commissionProgram': "the caller's commission program",
  'Query.commissionOffers': 'offers the caller made (a brand) or was made (a creator)',
  'Query.shareLinks': "the caller's links (a creator) or the links to its products (a brand)",
  'Query.productSets': "the caller's product sets",
  'Mutation.createProductSet': 'creates a product set of the caller',
  'Query.channelExports': "the caller's channel exports",
  'Query.campaigns': "the caller's campaigns",
  'Query.affiliateSettings': "the caller's affiliate settings",
  'Query.affiliateReport': "the caller's affiliate report (its own clicks and conversions)",
  'Mutation.updateAffiliateSettings': "changes the caller's affiliate settings",
  'Mutation.rotateConversionSecret': "replaces the caller's conversion secret",
};

/** REST routes (method and Express path) and how each is covered. */
const REST_ROUTES: Record<string, 'swept' | string> = {
  'POST /feeds/:feedId/uploads': 'swept',
  'GET /runs/:runId/issues.csv': 'swept',
  'GET /health': 'no data',
  'POST /webhooks/shopify': 'authenticated by the store webhook secret (HMAC), not by an id',
  'POST /conversions': "authenticated by the brand's conversion secret (HMAC of the raw body); earnings e2e",
  'POST /conversions/refunds': "authenticated by the brand's conversion secret (HMAC of the raw body); earnings e2e",
  'GET /exports/:file': 'an unguessable token (only its hash stored), no id; channel-exports e2e',
  'GET /affiliate/payouts.csv': "the calling brand's own approved lines, no id in the path; earnings e2e",
};

/** Expected failures (userErrors codes) that still say the row was found: the call reached it and refused. */
const FOUND_BUT_REFUSED = [
  'BAD_USER_INPUT',
  'CONFLICT',
  'RUN_ALREADY_ACTIVE',
  'RUN_ALREADY_FINISHED',
  'RUN_NOT_PUBLISHABLE',
  'PUBLISH_IN_PROGRESS',
];

/** `<stem>Id` argument names whose stem is not the type's name. */
const ID_STEMS: Record<string, string> = {
  run: 'IngestionRun',
  version: 'CatalogVersion',
  store: 'ShopifyStore',
  key: 'ApiKey',
  issue: 'RunIssue',
  offer: 'CommissionOffer',
};

const TOKEN = 'shpat_isolation_0123456789abcdef0123456789abcdef';
const WEBHOOK_SECRET = 'isolation-webhook-secret-0123456789abcdef';
const SHOPIFY_ENV: Record<string, string> = {
  SHOPIFY_SYNC_INTERVAL_MINUTES: '0',
  SHOPIFY_RETRY_BASE_MS: '20',
  SHOPIFY_WEBHOOK_DELAY_SECONDS: '0',
};

type Ids = Record<string, string[]>;

interface Tenant {
  seed: SeededCatalog;
  key: string;
  /** Ids of everything the tenant has, by GraphQL type name. */
  ids: Ids;
  /** Strings that only appear in this tenant's data: names, email, its global ids and the uuids behind them. */
  markers: string[];
}

interface Call {
  /** Query.feed, Mutation.deleteFeed, … */
  coordinate: string;
  operation: 'query' | 'mutation' | 'subscription';
  document: string;
  variables: Record<string, unknown>;
  /** Ids placed in the arguments (an error message may echo them, or the raw id behind them; nothing else). */
  idsUsed: string[];
}

interface Answer {
  code: string | null;
  data: unknown;
  text: string;
}

const typeName = (type: GraphQLOutputType): string => getNamedType(type).name;

/** The schema the API serves (set once introspected): an interface's selection needs its implementing types. */
let servedSchema: GraphQLSchema | undefined;

/** Which kind of id an argument or input field wants, from its name; null when its name does not tell. */
function idKind(name: string, returnType: string | null): string | null {
  if (name === 'id' || name === 'ids') return returnType;
  const match = /^(.+?)Ids?$/.exec(name);
  if (!match) return null;
  const stem = match[1];
  return ID_STEMS[stem] ?? stem[0].toUpperCase() + stem.slice(1);
}

function carriesIds(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name === 'ID';
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => carriesIds(field.type, seen));
}

const hasIdArguments = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => carriesIds(arg.type));

/** A harmless value of a scalar or enum, for required arguments the sweep does not aim at. */
function sampleLeaf(type: GraphQLInputType, name: string): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  switch (named.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date().toISOString();
    default:
      return name === 'name' ? 'Renamed by another brand' : 'x';
  }
}

/**
 * The values to try for one argument or input field: every id of the kind it wants (an error when there is none),
 * otherwise one harmless value. Input objects get their required fields, their id fields and a `name`, so an
 * update-like mutation would really change something if it reached A's row.
 */
function candidates(
  type: GraphQLInputType,
  name: string,
  returnType: string | null,
  ids: Ids,
  where: string,
): unknown[] {
  if (isNonNullType(type)) return candidates(type.ofType, name, returnType, ids, where);
  if (isListType(type)) return candidates(type.ofType, name, returnType, ids, where).map((value) => [value]);
  if (isScalarType(type) && type.name === 'ID') {
    const kind = idKind(name, returnType);
    if (!kind || !ids[kind]?.length) {
      throw new Error(
        `${where}: cannot tell which of brand A's ids to pass (kind ${kind ?? 'unknown'}); ` +
          'name the argument <type>Id, add its stem to ID_STEMS, or seed brand A with one',
      );
    }
    return ids[kind];
  }
  if (isInputObjectType(type)) {
    let objects: Record<string, unknown>[] = [{}];
    for (const field of Object.values(type.getFields())) {
      const wanted = isNonNullType(field.type) || carriesIds(field.type) || field.name === 'name';
      if (!wanted || (isNonNullType(field.type) && field.defaultValue !== undefined)) continue;
      const values = candidates(field.type, field.name, null, ids, `${where}.${field.name}`);
      objects = objects.flatMap((object) => values.map((value) => ({ ...object, [field.name]: value })));
    }
    return objects;
  }
  return [sampleLeaf(type, name)];
}

/**
 * Scalar fields of the returned type (those without required arguments), or nothing for a scalar. A connection
 * selects its count, its page's cursors and the scalar fields of its nodes, so a list shows its rows.
 */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  const leavesOf = (object: GraphQLObjectType) =>
    Object.values(object.getFields())
      .filter((field) => !isObjectType(getNamedType(field.type)) && !isUnionType(getNamedType(field.type)))
      .filter((field) => field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined))
      .map((field) => field.name);
  // A union (Me): the leaves of each member, through an inline fragment.
  if (isUnionType(named))
    return `{ __typename ${named
      .getTypes()
      .map((member) => `... on ${member.name} { ${leavesOf(member).join(' ')} }`)
      .join(' ')} }`;
  // An interface (Node): the leaves of each implementing type; a leaf whose type differs between them (versionId:
  // ID on one, ID! on another) is aliased by type, as GraphQL refuses one response name with two shapes.
  if (isInterfaceType(named) && servedSchema) {
    const members = servedSchema.getPossibleTypes(named);
    const shapes = new Map<string, Set<string>>();
    for (const member of members)
      for (const leaf of leavesOf(member))
        shapes.set(leaf, (shapes.get(leaf) ?? new Set()).add(String(member.getFields()[leaf].type)));
    const pick = (member: GraphQLObjectType, leaf: string) =>
      shapes.get(leaf)!.size > 1 ? `${member.name}_${leaf}: ${leaf}` : leaf;
    return `{ __typename ${members
      .map(
        (member) =>
          `... on ${member.name} { ${leavesOf(member)
            .map((leaf) => pick(member, leaf))
            .join(' ')} }`,
      )
      .join(' ')} }`;
  }
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  // A mutation payload: its expected failures too, so an answer shows them.
  const userErrors = fields.userErrors ? ' userErrors { code field }' : '';
  if (named.name.endsWith('Connection') && fields.nodes && fields.pageInfo) {
    const page = '{ hasNextPage hasPreviousPage startCursor endCursor }';
    return `{ __typename totalCount pageInfo ${page} nodes ${selection(fields.nodes.type)} }`;
  }
  return `{ __typename ${leavesOf(named).join(' ')}${userErrors} }`;
}

/** One call per combination of candidate values of the field's arguments. */
function callsFor(
  operation: Call['operation'],
  field: GraphQLField<unknown, unknown>,
  ids: Ids,
  coordinate: string,
): Call[] {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || carriesIds(arg.type));
  const aimed = args.filter(
    (arg) => !(isNonNullType(arg.type) && arg.defaultValue !== undefined && !carriesIds(arg.type)),
  );
  let combos: Record<string, unknown>[] = [{}];
  for (const arg of aimed) {
    const values = candidates(arg.type, arg.name, typeName(field.type), ids, `${coordinate}(${arg.name})`);
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [arg.name]: value })));
  }
  const declare = (arg: GraphQLArgument) => `$${arg.name}: ${String(arg.type)}`;
  const head = aimed.length ? `(${aimed.map(declare).join(', ')})` : '';
  const pass = aimed.length ? `(${aimed.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  const document = `${operation}${head} { ${field.name}${pass} ${selection(field.type)} }`;
  const allIds = [...new Set(Object.values(ids).flat())];
  return combos.map((variables) => ({
    coordinate,
    operation,
    document,
    variables,
    idsUsed: allIds.filter((id) => JSON.stringify(variables).includes(`"${id}"`)),
  }));
}

async function call(api: TestApi, apiKey: string, request: Call): Promise<Answer> {
  let res: GraphQLResponse;
  if (request.operation === 'subscription') {
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${apiKey}` },
    });
    try {
      res = await new Promise<GraphQLResponse>((resolve) => {
        const received: GraphQLResponse = {};
        client.subscribe(
          { query: request.document, variables: request.variables },
          {
            next: (message) => {
              if (message.errors) received.errors = [...(received.errors ?? []), ...(message.errors as [])];
              if (message.data) received.data = message.data;
            },
            error: (error) =>
              resolve({ errors: Array.isArray(error) ? error : [{ message: String((error as Error).message) }] }),
            complete: () => resolve(received),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  } else {
    res = await api.gql(request.document, request.variables, apiKey);
  }
  const field = request.coordinate.split('.')[1];
  // An unexpected failure is in errors, an expected one in the payload's userErrors: either is the answer's code.
  const userError = (res.data as Record<string, { userErrors?: { code: string }[] } | null> | null | undefined)?.[field]
    ?.userErrors?.[0];
  return {
    code: (res.errors?.[0]?.extensions?.code as string | undefined) ?? userError?.code ?? null,
    data: (res.data as Record<string, unknown> | null | undefined)?.[field] ?? null,
    text: JSON.stringify(res),
  };
}

/** Every row of the brand: tables with brand_id, and rows of tables without one that point at such rows. */
async function snapshot(api: TestApi, brandId: string): Promise<Record<string, string>> {
  const db = api.runtime.dataSource;
  const columns = (await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'brand_id'`,
  )) as { table_name: string }[];
  const owned = new Set(columns.map((c) => c.table_name));
  const out: Record<string, string> = {};
  const digest = async (label: string, sql: string) => {
    const [row] = (await db.query(sql, [brandId])) as { n: number; digest: string | null }[];
    out[label] = `${row.n}:${row.digest}`;
  };
  const rows = (from: string, where: string) =>
    `SELECT count(*)::int AS n, md5(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' ORDER BY (to_jsonb(t) - 'last_used_at')::text)) AS digest FROM ${from} t WHERE ${where}`;
  await digest('brand', rows('brand', 't.id = $1'));
  for (const table of [...owned].sort()) await digest(table, rows(table, 't.brand_id = $1'));
  const references = (await db.query(
    `SELECT tc.table_name AS child, kcu.column_name AS column, ccu.table_name AS parent
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
  )) as { child: string; column: string; parent: string }[];
  for (const { child, column, parent } of references) {
    if (owned.has(child) || !owned.has(parent)) continue;
    await digest(`${child}.${column}`, rows(child, `t.${column} IN (SELECT id FROM ${parent} WHERE brand_id = $1)`));
  }
  return out;
}

/** A loopback feed host for URL feeds (127.0.0.1 is allowlisted in this file; the SSRF suite is elsewhere). */
async function feedHost(): Promise<{ base: string; server: Server }> {
  const csv = 'id,title,description,link,price,brand\nU1,Item,Desc,https://shop.example/u1,1.00 USD,Acme\n';
  const server = createServer((req, res) => {
    if (req.url === '/feed.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('tenant isolation swept from introspection', () => {
  let api: TestApi;
  let schema: GraphQLSchema;
  let a: Tenant;
  let b: Tenant;
  let creatorKey: string;
  let host: { base: string; server: Server };
  const fake = new FakeShopifyAdmin({ accessToken: TOKEN });
  const savedEnv: Record<string, string | undefined> = {};

  async function tenant(name: string, shopDomain: string): Promise<Tenant> {
    const seed = await seedCatalog(api, name);
    const key = seed.brand.apiKey;
    const urlFeed = await createFeed(api, key, {
      name: `${name} URL feed`,
      source: 'URL',
      url: `${host.base}/feed.csv`,
    });
    const {
      connectShopifyStore: { shopifyStore: store },
    } = await api.gqlOk(
      `mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) { shopifyStore { id feedId } userErrors { code message } } }`,
      { input: { shopDomain, accessToken: TOKEN, webhookSecret: WEBHOOK_SECRET, feedName: `${name} shop` } },
      key,
    );
    const spare = await api.gqlOk(
      'mutation { createApiKey(input: { name: "spare" }) { key { id } userErrors { code message } } }',
      {},
      key,
    );
    const { apiKeys } = await api.gqlOk<{ apiKeys: { nodes: { id: string }[] } }>(
      '{ apiKeys(first: 100) { nodes { id } } }',
      {},
      key,
    );
    const { feed } = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { versions(first: 100) { nodes { id } } publications(first: 100) { nodes { id } } } }',
      { id: seed.feedId },
      key,
    );
    const { ingestionRun } = await api.gqlOk(
      'query($id: ID!) { ingestionRun(id: $id) { issues(first: 1) { nodes { id } } } }',
      { id: seed.run.id },
      key,
    );
    const { email } = (
      await api.runtime.dataSource.query('SELECT email FROM brand WHERE id = $1', [rawId(seed.brand.id)])
    )[0];
    const { handle } = (
      await api.runtime.dataSource.query('SELECT handle FROM creator WHERE id = $1', [rawId(seed.creator.id)])
    )[0];
    const { createCommissionOffer: made } = await api.gqlOk(
      `mutation($input: CreateCommissionOfferInput!) { createCommissionOffer(input: $input) { offer { id } } }`,
      { input: { creatorHandle: handle, ratePercent: '12' } },
      key,
    );
    const { createProductSet: set } = await api.gqlOk(
      `mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } } }`,
      { input: { name: `${name} set`, rules: { condition: { attribute: 'COLOR', operator: 'IS', values: ['red'] } } } },
      key,
    );
    const { createCampaign: campaign } = await api.gqlOk(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { code message } } }`,
      {
        input: {
          productSetId: set.productSet.id,
          dailyBudget: { amount: '20.00', currency: 'USD' },
          maxCpc: { amount: '0.50', currency: 'USD' },
          startsAt: '2026-01-01T00:00:00Z',
        },
      },
      key,
    );
    // A rule set on the seeded feed, so its rows are in the snapshot that must not change.
    const { setFeedRules: rules } = await api.gqlOk(
      `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) { feedRules { version } userErrors { code message } } }`,
      {
        input: {
          feedId: seed.feedId,
          rules: [{ ruleId: 'brand-case', name: `${name} rule`, actions: [{ type: 'UPPERCASE', attribute: 'brand' }] }],
        },
      },
      key,
    );
    if (rules.userErrors.length) throw new Error(`setFeedRules: ${JSON.stringify(rules.userErrors)}`);
    const { createChannelExport: exported } = await api.gqlOk(
      `mutation { createChannelExport(input: { channel: META }) { channelExport { id } } }`,
      {},
      key,
    );
    const ids: Ids = {
      Brand: [seed.brand.id],
      ProductSet: [set.productSet.id],
      ChannelExport: [exported.channelExport.id],
      Campaign: [campaign.campaign.id],
      Node: [] as string[],
      Feed: [seed.feedId, urlFeed, store.feedId],
      IngestionRun: [seed.run.id],
      CatalogVersion: feed.versions.nodes.map((v: { id: string }) => v.id),
      Publication: feed.publications.nodes.map((p: { id: string }) => p.id),
      ShopifyStore: [store.id],
      ApiKey: apiKeys.nodes.map((k) => k.id).filter((id) => id !== spare.createApiKey.key.id),
      SpareApiKey: [spare.createApiKey.key.id],
      RunIssue: ingestionRun.issues.nodes.map((n: { id: string }) => n.id),
      Product: Object.values(seed.products),
      CommissionOffer: [made.offer.id],
    };
    // node(id:)/nodes(ids:) with any of the brand's own objects (brands and products are public by design).
    ids.Node = ['Feed', 'IngestionRun', 'CatalogVersion', 'Publication', 'ShopifyStore', 'ApiKey', 'RunIssue'].flatMap(
      (type) => ids[type],
    );
    const idMarkers = [...new Set(Object.values(ids).flat())].flatMap((id) => [id, rawId(id)]);
    const uuids = idMarkers.filter((id) => id.length > 20);
    return { seed, key, ids, markers: [name, email, `${name} URL feed`, `${name} shop`, `${name} rule`, ...uuids] };
  }

  beforeAll(async () => {
    for (const [name, value] of Object.entries(SHOPIFY_ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    fake.put(fakeProduct(1, 1));
    const shopDomain = await fake.listen();
    host = await feedHost();
    api = await startTestApi(createApi, SEED_ENV);
    a = await tenant('Alpha Outdoor', shopDomain);
    b = await tenant('Bravo Outdoor', shopDomain);
    creatorKey = b.seed.creator.apiKey;
    const res = await api.gql<IntrospectionQuery>(getIntrospectionQuery());
    if (!res.data) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
    schema = buildClientSchema(res.data);
    servedSchema = schema;
  }, 240_000);

  afterAll(async () => {
    if (api) await settleRuns(api, 120_000).catch(() => undefined);
    await a?.seed.imageHost.close();
    await b?.seed.imageHost.close();
    await api?.close();
    await fake.close();
    host?.server.closeAllConnections();
    host?.server.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }, 180_000);

  const roots = (): Array<[Call['operation'], Record<string, GraphQLField<unknown, unknown>>]> => [
    ['query', schema.getQueryType()!.getFields()],
    ['mutation', schema.getMutationType()?.getFields() ?? {}],
    ['subscription', schema.getSubscriptionType()?.getFields() ?? {}],
  ];
  const rootName = (operation: Call['operation']) => operation[0].toUpperCase() + operation.slice(1);

  /** The id-taking root fields, as calls with the given tenant's ids. */
  function sweep(ids: Ids): Call[] {
    return roots().flatMap(([operation, fields]) =>
      Object.values(fields)
        .filter((field) => hasIdArguments(field))
        .filter((field) => !NOT_BRAND_SCOPED[`${rootName(operation)}.${field.name}`])
        .flatMap((field) => callsFor(operation, field, ids, `${rootName(operation)}.${field.name}`)),
    );
  }

  it('classifies every field of the schema: id-taking ones are swept, the others are listed with a reason', () => {
    const problems: string[] = [];
    const listed = { ...NOT_BRAND_SCOPED, ...OWN_ACCOUNT };
    for (const [operation, fields] of roots()) {
      for (const field of Object.values(fields)) {
        const coordinate = `${rootName(operation)}.${field.name}`;
        if (hasIdArguments(field)) {
          if (OWN_ACCOUNT[coordinate]) problems.push(`${coordinate} takes an id but is listed as the caller's own`);
        } else if (!listed[coordinate]) {
          problems.push(`${coordinate} takes no id and is not classified: add it to NOT_BRAND_SCOPED or OWN_ACCOUNT`);
        }
      }
    }
    // Nested fields with id arguments (a Feed.run(id) one day) would bypass the root sweep: none may exist unlisted.
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || roots().some(([op]) => rootName(op) === type.name))
        continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (hasIdArguments(field) && !NOT_BRAND_SCOPED[coordinate])
          problems.push(`${coordinate} takes an id below the root: sweep it through its parent`);
      }
    }
    for (const coordinate of Object.keys(listed)) {
      const [root, name] = coordinate.split('.');
      if (!roots().some(([op, fields]) => rootName(op) === root && fields[name]))
        problems.push(`${coordinate} is listed but no longer in the schema`);
    }
    expect(problems).toEqual([]);
    // Building the calls throws for an id argument whose kind brand A has no id of.
    const calls = sweep(a.ids);
    const swept = new Set(calls.map((c) => c.coordinate));
    expect([...swept].sort()).toEqual(
      expect.arrayContaining([
        'Query.feed',
        'Query.ingestionRun',
        'Query.node',
        'Query.nodes',
        'Mutation.cancelRun',
        'Mutation.deleteFeed',
        'Mutation.fetchFeedNow',
        'Mutation.publishRun',
        'Mutation.renderCreative',
        'Mutation.revokeApiKey',
        'Mutation.rollbackFeed',
        'Mutation.setFeedRules',
        'Query.previewFeedRules',
        'Mutation.syncShopifyStore',
        'Mutation.updateFeed',
        'Query.campaign',
        'Mutation.createCampaign',
        'Mutation.pauseCampaign',
        'Mutation.resumeCampaign',
        'Mutation.endCampaign',
        'Subscription.ingestionRunProgress',
      ]),
    );
  });

  it("answers NOT_FOUND to brand B (and NOT_FOUND or FORBIDDEN to a creator) for every field given A's ids, and changes none of A's rows", async () => {
    const before = await snapshot(api, rawId(a.seed.brand.id));
    const calls = sweep({ ...a.ids, ApiKey: [...a.ids.ApiKey, ...a.ids.SpareApiKey] });
    const failures: string[] = [];
    for (const [who, key, allowed] of [
      ['brand B', b.key, ['NOT_FOUND']],
      ['a creator', creatorKey, ['NOT_FOUND', 'FORBIDDEN']],
    ] as const) {
      for (const request of calls) {
        const answer = await call(api, key, request);
        const what = `${who} ${request.coordinate} ${JSON.stringify(request.variables)}`;
        if (!answer.code || !(allowed as readonly string[]).includes(answer.code))
          failures.push(`${what} answered ${answer.code ?? 'with data'}: ${answer.text.slice(0, 300)}`);
        // nodes(ids:) answers a list with null in the place of each id it refuses: that is no data either.
        const nothing = answer.data === null || (Array.isArray(answer.data) && answer.data.every((v) => v === null));
        if (!nothing) failures.push(`${what} returned data: ${answer.text.slice(0, 300)}`);
        let text = answer.text;
        for (const id of request.idsUsed) text = text.split(id).join('<id>').split(rawId(id)).join('<id>');
        const leaked = a.markers.filter((marker) => text.includes(marker));
        if (leaked.length) failures.push(`${what} leaked ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    await settleRuns(api);
    expect(await snapshot(api, rawId(a.seed.brand.id))).toEqual(before);
    // A's key still works and A still sees all it had.
    const mine = await api.gqlOk(
      '{ feeds(first: 100) { nodes { id } } apiKeys(first: 100) { nodes { id revokedAt } } }',
      {},
      a.key,
    );
    expect(mine.feeds.nodes.map((f: { id: string }) => f.id).sort()).toEqual([...a.ids.Feed].sort());
    expect(mine.apiKeys.nodes.every((k: { revokedAt: string | null }) => k.revokedAt === null)).toBe(true);
  }, 180_000);

  it("shows brand B none of A's data in its own lists", async () => {
    const failures: string[] = [];
    for (const [operation, fields] of roots()) {
      if (operation !== 'query') continue;
      for (const field of Object.values(fields)) {
        const coordinate = `Query.${field.name}`;
        if (!OWN_ACCOUNT[coordinate]) continue;
        const [request] = callsFor('query', field, {}, coordinate);
        const answer = await call(api, b.key, request);
        if (answer.code) failures.push(`${coordinate} answered ${answer.code}`);
        const leaked = a.markers.filter((m) => answer.text.includes(m));
        if (leaked.length) failures.push(`${coordinate} shows B ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses B's REST calls with A's ids with 404 NOT_FOUND, and every REST route is classified", async () => {
    const express = api.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    };
    const routes = express.router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) =>
        Object.keys(layer.route!.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
      );
    expect(routes.filter((route) => !REST_ROUTES[route])).toEqual([]);
    expect(Object.keys(REST_ROUTES).filter((route) => !routes.includes(route))).toEqual([]);

    const headers = { authorization: `Bearer ${b.key}` };
    for (const feedId of a.ids.Feed) {
      const res = await fetch(`${api.url}/feeds/${feedId}/uploads`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: 'id,title\nX1,Planted by B\n',
      });
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    }
    for (const runId of a.ids.IngestionRun) {
      const res = await fetch(`${api.url}/runs/${runId}/issues.csv`, { headers });
      const body = await res.text();
      expect(res.status).toBe(404);
      expect(body).toContain('NOT_FOUND');
      // the message names the id asked for
      expect(a.markers.filter((m) => m !== runId && m !== rawId(runId) && body.includes(m))).toEqual([]);
    }
    const runs = await api.runtime.dataSource.query(
      'SELECT count(*)::int AS n FROM ingestion_run WHERE brand_id = $1',
      [rawId(a.seed.brand.id)],
    );
    expect(runs[0].n).toBe(1);
  });

  it("the same calls with B's own ids reach B's rows (so the sweep's arguments are real)", async () => {
    // The spare key: revoking the key in use would end the sweep. Deleting and revoking go last.
    const calls = sweep({ ...b.ids, ApiKey: b.ids.SpareApiKey });
    const destructive = (c: Call) => /^Mutation\.(delete|revoke)/.test(c.coordinate);
    const found = new Map<string, number>();
    const failures: string[] = [];
    for (const request of [...calls.filter((c) => !destructive(c)), ...calls.filter(destructive)]) {
      // The runs the fetch and sync started finish before their feeds are deleted under them.
      if (destructive(request)) await settleRuns(api, 120_000);
      const answer = await call(api, b.key, request);
      // A finished run cannot be cancelled, an upload feed not fetched, a file feed has no store to sync: such
      // answers (userErrors) still say the row was found. Every field must find B's row with at least one of B's ids.
      if (answer.code !== 'NOT_FOUND') found.set(request.coordinate, (found.get(request.coordinate) ?? 0) + 1);
      if (answer.code && !['NOT_FOUND', ...FOUND_BUT_REFUSED].includes(answer.code))
        failures.push(
          `${request.coordinate} ${JSON.stringify(request.variables)} answered ${answer.text.slice(0, 300)}`,
        );
    }
    for (const coordinate of new Set(calls.map((c) => c.coordinate)))
      if (!found.get(coordinate)) failures.push(`${coordinate} found none of B's own rows`);
    expect(failures).toEqual([]);
    await settleRuns(api, 120_000);
  }, 180_000);
});
