import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AccountsService } from '@brandshelf/accounts';
import {
  SEED_ENV,
  seedCatalog,
  startTestApi,
  type GraphQLResponse,
  type SeededCatalog,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/** The queries issue 9 quotes from the README, as a creator and a brand send them. */
const SEARCH = `{ products(query: "trail runner", filter: { price: { min: "20", max: "150", currency: "USD" }, availability: [IN_STOCK] },
           sort: RELEVANCE, first: 20) {
    totalCount
    facets { brand { id name count } category { path count } availability { value count } color { value count }
             size { value count } price { currency min max count } }
    edges { cursor node { id title price { formatted } salePrice { formatted } brand { name }
                          images { url width height placeholder dominantColor renditions { size format url } } } } } }`;
const FACETS = `{ products(first: 20) { facets { brand { id name count } category { path count } availability { value count }
  color { value count } size { value count } price { currency min max count } exact } } }`;
const PRODUCT = `query($id: ID!) { product(id: $id) { id title description price { formatted } brand { name }
  images { role url width height placeholder renditions { size width height format url } }
  variants { nodes { id color size price { formatted } availability } } } }`;
const FEED_RUNS = `query($id: ID!) { feed(id: $id) { name runs { nodes { id status rowsRead itemsAccepted itemsRejected
  issueSummary { code severity attribute count sampleRows } } } } }`;

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const nested = (levels: number) =>
  `{ product(id: $id) { ${'variants { nodes { '.repeat(levels)}id${' } }'.repeat(levels)} } }`;

function expectRefused(res: GraphQLResponse, message: RegExp) {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
    { code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringMatching(message) },
  ]);
}

describe('GraphQL limits with the default settings', () => {
  let api: TestApi;
  let seed: SeededCatalog;
  let productId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi, SEED_ENV);
    seed = await seedCatalog(api);
    productId = seed.products['TRS-RED-42'];
  }, 180_000);

  afterAll(async () => {
    await seed?.close();
    await api?.close();
  });

  describe('the README queries run', () => {
    it('creator search with facets and renditions (cost 32,801 under the old rule)', async () => {
      for (const key of [undefined, seed.creator.apiKey]) {
        const res = await api.gql(SEARCH, {}, key);
        expect(res.errors).toBeUndefined();
        expect(res.data?.products.totalCount).toBeGreaterThan(0);
        expect(res.data?.products.edges[0].node.images[0].renditions.length).toBeGreaterThan(0);
      }
    });

    it('facets alone count once, not once per row of the page', async () => {
      const res = await api.gql(FACETS);
      expect(res.errors).toBeUndefined();
      expect(res.data?.products.facets.brand[0].count).toBeGreaterThan(0);
    });

    it('product(id) with its renditions and variants', async () => {
      const res = await api.gql(PRODUCT, { id: productId });
      expect(res.errors).toBeUndefined();
      expect(res.data?.product.variants.nodes.length).toBe(2);
    });

    it('feed { runs { issueSummary } } at the default page size', async () => {
      const res = await api.gql(FEED_RUNS, { id: seed.feedId }, seed.brand.apiKey);
      expect(res.errors).toBeUndefined();
      expect(res.data?.feed.runs.nodes[0].issueSummary.length).toBeGreaterThan(0);
    });

    it('the IDE’s introspection, whatever the operation is called', async () => {
      const full = getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      });
      for (const query of [full, full.replace('query IntrospectionQuery', 'query SchemaForTheIde')]) {
        const res = await api.gql(query);
        expect(res.errors).toBeUndefined();
        expect(res.data?.__schema.types.length).toBeGreaterThan(50);
      }
    });
  });

  describe('hostile operations are refused before they run', () => {
    it('1,000 aliases, of a search or of nothing at all', async () => {
      expectRefused(await api.gql(aliases(1000, 'products(first: 1) { totalCount }')), /1000 aliases; at most 100/);
      expectRefused(await api.gql(aliases(1000, '__typename')), /1000 aliases; at most 100 .*GRAPHQL_MAX_ALIASES/);
    });

    it('aliases within the alias limit still pay for each search', async () => {
      expectRefused(
        await api.gql(aliases(100, 'products(first: 1) { totalCount }')),
        /^Query cost \d+ exceeds the limit of 10000 \(GRAPHQL_MAX_COMPLEXITY\)/,
      );
    });

    it('first: 100000, written out or in a variable: over the maximum page size, refused before anything runs', async () => {
      const overMax = (res: GraphQLResponse) => {
        expect(res.data ?? null).toBeNull();
        expect(res.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
          { code: 'BAD_USER_INPUT', message: expect.stringContaining('between 1 and 100 (the maximum page size)') },
        ]);
      };
      overMax(await api.gql('{ products(first: 100000) { edges { node { id } } } }'));
      // A client error, like any other refused operation: 400, not 500.
      const raw = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products(first: 100000) { edges { node { id } } } }' }),
      });
      expect(raw.status).toBe(400);
      const page = 'query($n: Int) { products(first: $n) { edges { node { id title } } } }';
      overMax(await api.gql(page, { n: 100000 }));
      overMax(await api.gql(page, { n: 101 }));
      expect((await api.gql(page, { n: 5 })).errors).toBeUndefined();
      // Page sizes within their maximums still multiply: only the variables decide what goes through.
      const runs =
        'query($id: ID!, $n: Int!, $m: Int!) { feed(id: $id) { runs(first: $n) { nodes { id issues(first: $m) { nodes { id } } } } } }';
      expectRefused(await api.gql(runs, { id: seed.feedId, n: 100, m: 500 }, seed.brand.apiKey), /exceeds the limit/);
      expect((await api.gql(runs, { id: seed.feedId, n: 3, m: 3 }, seed.brand.apiKey)).errors).toBeUndefined();
    });

    it('deep nesting', async () => {
      expectRefused(
        await api.gql(`query($id: ID!) ${nested(6)}`, { id: productId }),
        /^Query depth 14 exceeds the limit of 10 \(GRAPHQL_MAX_DEPTH\)/,
      );
      // Within the depth limit, nested variants multiply (a page of 20 each) and the cost refuses them.
      expectRefused(await api.gql(`query($id: ID!) ${nested(3)}`, { id: productId }), /exceeds the limit/);
    });

    it('no operation name skips the checks: a hostile query called IntrospectionQuery', async () => {
      expectRefused(
        await api.gql(
          'query IntrospectionQuery { products(first: 100) { edges { node { id variants(first: 100) { nodes { id } } } } } }',
        ),
        /exceeds the limit/,
      );
      expectRefused(await api.gql(`query IntrospectionQuery($id: ID!) ${nested(6)}`, { id: productId }), /depth 14/);
    });

    it('introspection under another name that nests type lists or copies the schema a hundred times', async () => {
      const deep = 'query Schema { __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
      const res = await api.gql(deep);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toMatch(/introspection depth/i);
      expectRefused(await api.gql(aliases(100, '__schema { types { name fields { name } } }')), /exceeds the limit/);
    });

    it('fragments spread into fragments until the expansion is huge', async () => {
      const levels = 16; // 2^16 leaves once expanded
      const fragments = Array.from({ length: levels }, (_, i) =>
        i === levels - 1
          ? `fragment F${i} on Product { id title }`
          : `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`,
      ).join('\n');
      const res = await api.gql(`query($id: ID!) { product(id: $id) { ...F0 } }\n${fragments}`, { id: productId });
      expectRefused(res, /more than 10000 fields/);
    });

    it('a refused mutation does nothing', async () => {
      const res = await api.gql(
        'mutation { createFeed(input: { name: "Never created" }) { feed { id runs(first: 100) { nodes { issues(first: 500) { nodes { id } } } } } } }',
        {},
        seed.brand.apiKey,
      );
      expectRefused(res, /exceeds the limit/);
      const feeds = await api.gqlOk<{ feeds: { nodes: { name: string }[] } }>(
        '{ feeds(first: 100) { nodes { name } } }',
        {},
        seed.brand.apiKey,
      );
      expect(feeds.feeds.nodes.map((f) => f.name)).not.toContain('Never created');
    });

    it('subscriptions are held to the same limits', async () => {
      const subscribe = (query: string, variables: Record<string, unknown>) => {
        const client = createClient({
          url: api.url.replace('http', 'ws') + '/graphql',
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${seed.brand.apiKey}` },
        });
        return new Promise<unknown>((resolve) => {
          client.subscribe(
            { query, variables },
            { next: (msg) => resolve(msg.errors ?? msg.data), error: resolve, complete: () => resolve(null) },
          );
        }).finally(() => client.dispose());
      };
      const page =
        'issues(first: 500) { edges { cursor node { id severity code attribute row itemId value message hint } } }';
      const costly = `subscription($id: ID!) { ingestionRunProgress(runId: $id) { a: ${page} b: ${page} } }`;
      const refused = (await subscribe(costly, { id: seed.run.id })) as { message: string; extensions: object }[];
      expect(refused).toEqual([
        {
          message: expect.stringMatching(/^Query cost \d+ exceeds the limit of 10000/),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
      const fine = 'subscription($id: ID!) { ingestionRunProgress(runId: $id) { id status } }';
      expect(await subscribe(fine, { id: seed.run.id })).toEqual({
        ingestionRunProgress: { id: seed.run.id, status: 'SUCCEEDED' },
      });
    });
  });
});

describe('GraphQL limits set low', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi, {
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_COMPLEXITY: '12',
      GRAPHQL_MAX_ALIASES: '2',
    });
    // Registered through the service: the registration mutation itself is deeper than this tiny limit.
    const { apiKey } = await api.app
      .get(AccountsService)
      .registerBrand({ name: 'Limits', email: 'limits@example.test' });
    key = apiKey.plain;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('runs a query within the limits', async () => {
    const res = await api.gql('{ me { __typename } }', {}, key);
    expect(res.errors).toBeUndefined();
  });

  it('refuses a query deeper than the limit before running it', async () => {
    expectRefused(
      await api.gql('{ me { ... on BrandPrincipal { brand { id } } } }', {}, key),
      /depth 3 exceeds the limit of 2/,
    );
  });

  it('counts fragments toward depth', async () => {
    expectRefused(
      await api.gql('query { me { ...B } } fragment B on BrandPrincipal { brand { id } }', {}, key),
      /depth 3/,
    );
  });

  it('counts aliases spread through fragments', async () => {
    const res = await api.gql('query { ...A ...A } fragment A on Query { a: __typename b: __typename }', {}, key);
    expectRefused(res, /4 aliases; at most 2/);
  });

  it('refuses a query whose cost exceeds the limit (a connection costs its statements)', async () => {
    // Within depth 2 a connection's rows cannot be selected; its page, count and probe alone cost 3 × 10.
    expectRefused(await api.gql('{ apiKeys { totalCount } }', {}, key), /cost 31 exceeds the limit of 12/);
  });
});
