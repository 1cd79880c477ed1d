import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Kind,
  OperationTypeNode,
  buildSchema,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  FakeShopifyAdmin,
  fakeProduct,
  insertTestClick,
  insertTestShareLink,
  SEED_ENV,
  seedCatalog,
  settleRuns,
  startTestApi,
  type GraphQLResponse,
  type SeededCatalog,
  type TestApi,
  userErrorsOf,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { fromGlobalId } from '../src/graphql/global-id.js';

/**
 * The README's GraphQL examples are what people paste first: every one of them is run, in README order, against a
 * real API holding a small published catalog, and must answer without errors. New examples are picked up by
 * themselves; one that needs an id writes `"…"` (or declares a variable) and gets the seeded id for its argument.
 */
const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

/** Each ```graphql block, split into operations (an operation starts a line with query/mutation/subscription/{). */
function readmeOperations(markdown: string): string[] {
  return [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split(/\n(?=mutation|query|subscription|\{)/))
    .map((text) => text.replace(/#.*$/gm, '').trim())
    .filter(Boolean);
}

/** Root fields anyone may call without a key (the public catalog and sign-up). */
const PUBLIC = new Set(['products', 'product', 'brands', 'registerBrand', 'registerCreator']);
/** Root fields a creator's key may read too; their examples run once without a key and once with the creator's. */
const CREATOR = new Set(['products', 'product', 'brands', 'me']);
/** Root fields only a creator's key may call (earnings, share links, showcase, answering offers): run with it alone. */
const CREATOR_ONLY = new Set([
  'earnings',
  'createShareLink',
  'respondToCommissionOffer',
  'placeShowcaseItem',
  'showcase',
]);

const TOKEN = 'shpat_readme_0123456789abcdef0123456789abcdef';
const SECRET = 'readme-webhook-secret-0123456789abcdef0123456789';

describe('README GraphQL examples', () => {
  const operations = readmeOperations(readme);
  const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.graphql'), 'utf8'));

  it('has examples for each part of the API the README shows', () => {
    const roots = operations.flatMap((op) => rootFields(operationOf(parse(op))));
    for (const root of [
      'registerBrand',
      'products',
      'product',
      'feed',
      'ingestionRun',
      'createFeed',
      'publishRun',
      'reportConversion',
      'earnings',
      'setCommissionRate',
      'createCommissionOffer',
      'commissionFor',
      'createShareLink',
      'createCampaign',
      'campaign',
      'renderCreative',
    ]) {
      expect(roots).toContain(root);
    }
  });

  it.each(operations.map((op) => [op.slice(0, 60), op]))('%s… is valid against schema.graphql', (_title, op) => {
    expect(validate(schema, parse(op)).map((e) => e.message)).toEqual([]);
  });

  describe('run against a seeded server', () => {
    let api: TestApi;
    let seed: SeededCatalog;
    /** The store the README's sync example syncs, connected while seeding. */
    const seededStore = new FakeShopifyAdmin({ accessToken: TOKEN, bucketSize: 2000, restoreRate: 2000 });
    /** The store the README's connect example connects. */
    const newStore = new FakeShopifyAdmin({ accessToken: TOKEN, bucketSize: 2000, restoreRate: 2000 });
    /** Values for `"…"` placeholders and variables: `<rootField>.<argument or input field>` first, then the name. */
    const values: Record<string, unknown> = {};
    /** Literals replaced even though they are real-looking: nothing may leave loopback. */
    const always = new Set<string>();

    beforeAll(async () => {
      api = await startTestApi(createApi, SEED_ENV);
      seed = await seedCatalog(api);
      const shoe = seed.products['TRS-RED-42'];
      // Shopify products whose images live on the seed's loopback image host, never on a made-up CDN.
      for (const store of [seededStore, newStore]) {
        store.put(
          fakeProduct(1, 1, {
            images: [`${seed.imageHost.base}/shoe-red.jpg`],
            onlineStoreUrl: 'https://shop.example/products/product-1',
          }),
        );
      }
      const seededDomain = await seededStore.listen();
      const newDomain = await newStore.listen();
      const connected = await api.gqlOk<{ connectShopifyStore: { shopifyStore: { feedId: string } } }>(
        'mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) { shopifyStore { feedId } userErrors { code message } } }',
        { input: { shopDomain: seededDomain, accessToken: TOKEN, webhookSecret: SECRET } },
        seed.brand.apiKey,
      );
      // A share link of the seeded creator, clicked the day before the README's example order (test fixture: the
      // affiliate library writes these in the product).
      const db = api.runtime.dataSource;
      const link = await insertTestShareLink(db, {
        brandId: fromGlobalId(seed.brand.id, 'Brand'),
        creatorId: fromGlobalId(seed.creator.id, 'Creator'),
        productId: fromGlobalId(shoe, 'Product'),
      });
      const clickId = await insertTestClick(db, link, {
        clickedAt: new Date('2026-11-30T10:00:00Z'),
        ratePercent: '10.00',
      });
      // An export for the channel-export examples to read and rotate (Google: the seed lacks some GTINs).
      const exported = await api.gqlOk<{ createChannelExport: { channelExport: { id: string } } }>(
        'mutation { createChannelExport(input: { channel: GOOGLE }) { channelExport { id } } }',
        {},
        seed.brand.apiKey,
      );
      const exportId = exported.createChannelExport.channelExport.id;
      // A product set and a running campaign on it for the campaign examples (and sponsored search results).
      const set = await api.gqlOk<{ createProductSet: { productSet: { id: string } } }>(
        `mutation { createProductSet(input: { name: "README campaign set", rules: {
           condition: { attribute: TITLE, operator: CONTAINS, values: ["runner"] } } }) { productSet { id } } }`,
        {},
        seed.brand.apiKey,
      );
      const setId = set.createProductSet.productSet.id;
      const campaign = await api.gqlOk<{ createCampaign: { campaign: { id: string } } }>(
        `mutation($setId: ID!) { createCampaign(input: { productSetId: $setId,
           dailyBudget: { amount: "20.00", currency: "USD" }, maxCpc: { amount: "0.50", currency: "USD" },
           startsAt: "2026-01-01T00:00:00Z" }) { campaign { id } userErrors { code message } } }`,
        { setId },
        seed.brand.apiKey,
      );
      const campaignId = campaign.createCampaign.campaign.id;
      // Connecting starts the store's first sync: let it end, so the README's sync example is not RUN_ALREADY_ACTIVE.
      await settleRuns(api);
      Object.assign(values, {
        feedId: seed.feedId,
        runId: seed.run.id,
        productId: shoe,
        'product.id': shoe,
        'feed.id': seed.feedId,
        'node.id': seed.feedId,
        'updateFeed.feedId': seed.feedId,
        'ingestionRun.id': seed.run.id,
        'publishRun.runId': seed.run.id,
        'syncShopifyStore.feedId': connected.connectShopifyStore.shopifyStore.feedId,
        'connectShopifyStore.shopDomain': newDomain,
        'connectShopifyStore.accessToken': TOKEN,
        'connectShopifyStore.webhookSecret': SECRET,
        'reportConversion.clickId': clickId,
        'markAffiliatePayout.creatorId': seed.creator.id,
        'createCommissionOffer.creatorHandle': (
          await api.runtime.dataSource.query('SELECT handle FROM creator WHERE id = $1', [rawId(seed.creator.id)])
        )[0].handle,
        'channelExport.id': exportId,
        'rotateChannelExportToken.channelExportId': exportId,
        'createCampaign.productSetId': setId,
        'createChannelExport.productSetId': setId,
        'campaign.id': campaignId,
        'pauseCampaign.campaignId': campaignId,
        'resumeCampaign.campaignId': campaignId,
      });
      for (const key of ['connectShopifyStore.shopDomain', 'connectShopifyStore.accessToken']) always.add(key);
    }, 180_000);

    afterAll(async () => {
      if (api) await settleRuns(api);
      await seed?.close();
      await api?.close();
      await seededStore.close().catch(() => undefined);
      await newStore.close().catch(() => undefined);
    });

    // In README order: later examples may rely on earlier ones, as a reader following along would.
    it('runs every example without errors', async () => {
      for (const text of operations) {
        const document = parse(text);
        const operation = operationOf(document);
        const roots = rootFields(operation);
        const prepared = print(substitute(document, roots[0], values, always));
        const variables = variablesFor(operation, roots[0], values);
        const keys: (string | undefined)[] = PUBLIC.has(roots[0])
          ? [undefined]
          : CREATOR_ONLY.has(roots[0])
            ? [seed.creator.apiKey]
            : [seed.brand.apiKey];
        if (operation.operation === OperationTypeNode.QUERY && roots.every((r) => CREATOR.has(r))) {
          keys.push(seed.creator.apiKey);
        }
        for (const key of keys) {
          const who = key === undefined ? 'no key' : key === seed.creator.apiKey ? 'creator key' : 'brand key';
          const res =
            operation.operation === OperationTypeNode.SUBSCRIPTION
              ? await firstEvent(api, prepared, variables, key)
              : await api.gql(prepared, variables, key);
          const context = `README example (${who}):\n${text}\n→ ${JSON.stringify(res).slice(0, 800)}`;
          expect({ context, errors: res.errors ?? [] }).toEqual({ context, errors: [] });
          // A mutation example succeeds: no expected failure either (those are shown as answers, not examples).
          expect({ context, userErrors: userErrorsOf(res.data) }).toEqual({ context, userErrors: [] });
          const nullRoots = roots.filter((root) => (res.data?.[root] ?? null) === null);
          expect({ context, nullRoots }).toEqual({ context, nullRoots: [] });
          // A page in an example over seeded data finds something; an empty one means the example or seed is wrong.
          expect({ context, emptyPages: emptyEdges(res.data) }).toEqual({ context, emptyPages: [] });
          // The offer the README makes is the one the creator then answers.
          const offerId = (res.data as any)?.createCommissionOffer?.offer?.id;
          if (offerId) values['respondToCommissionOffer.offerId'] = offerId;
        }
      }
    }, 120_000);
  });
});

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1) throw new Error(`an example holds ${ops.length} operations: split them`);
  return ops[0];
}

function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

function lookup(values: Record<string, unknown>, root: string, name: string): unknown {
  return values[`${root}.${name}`] ?? values[name];
}

/** Replaces `"…"` placeholders (and the always-replaced literals) with seeded values, by argument or input field. */
function substitute(
  document: DocumentNode,
  root: string,
  values: Record<string, unknown>,
  always: Set<string>,
): DocumentNode {
  const replace = (name: string, value: { kind: Kind; value?: unknown }) => {
    if (value.kind !== Kind.STRING || typeof value.value !== 'string') return undefined;
    if (!value.value.includes('…') && !always.has(`${root}.${name}`)) return undefined;
    const seeded = lookup(values, root, name);
    if (typeof seeded !== 'string') throw new Error(`no seeded value for ${root}(${name}: "${value.value}")`);
    return { ...value, value: seeded };
  };
  return visit(document, {
    Argument(node) {
      const value = replace(node.name.value, node.value);
      return value ? { ...node, value } : undefined;
    },
    ObjectField(node) {
      const value = replace(node.name.value, node.value);
      return value ? { ...node, value } : undefined;
    },
  });
}

function variablesFor(operation: OperationDefinitionNode, root: string, values: Record<string, unknown>) {
  const variables: Record<string, unknown> = {};
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const value = lookup(values, root, name);
    if (value === undefined) throw new Error(`README example declares $${name}: add a seeded value for it`);
    variables[name] = value;
  }
  return variables;
}

/** Paths of every `edges` list in the answer that came back empty. */
function emptyEdges(data: unknown, path = ''): string[] {
  if (Array.isArray(data)) return data.flatMap((item, i) => emptyEdges(item, `${path}[${i}]`));
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([key, value]) => [
    ...(key === 'edges' && Array.isArray(value) && value.length === 0 ? [`${path}.${key}`] : []),
    ...emptyEdges(value, `${path}.${key}`),
  ]);
}

/** A subscription example: its first event (or its error). */
async function firstEvent(
  api: TestApi,
  query: string,
  variables: Record<string, unknown>,
  key: string | undefined,
): Promise<GraphQLResponse> {
  const client = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
  });
  try {
    return await new Promise<GraphQLResponse>((resolve) => {
      client.subscribe(
        { query, variables },
        {
          next: (msg) => resolve(msg as GraphQLResponse),
          error: (errors) => resolve({ errors: errors as GraphQLResponse['errors'] }),
          complete: () => resolve({ data: null }),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
