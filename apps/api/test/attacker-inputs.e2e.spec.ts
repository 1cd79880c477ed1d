import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { spreadsheetSafe, spreadsheetSafeText } from '@brandshelf/ingestion';
import { createFeed, ingest, registerBrand, startTestApi, uploadFeed, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/** The errors of one subscription, whether sent as an `error` message or as errors of a `next` result. */
async function subscriptionErrors(
  api: TestApi,
  key: string | null,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ message: string; extensions?: { code?: string } }[]> {
  const client = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query, variables },
        {
          next: (msg) => (msg.errors ? resolve(msg.errors as never) : undefined),
          error: (errors) => (Array.isArray(errors) ? resolve(errors) : reject(errors)),
          complete: () => resolve([]),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const PROGRESS = 'subscription($id: ID!) { ingestionRunProgress(runId: $id) { status } }';

describe('inputs a careful attacker sends (e2e)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ apiKey: key } = await registerBrand(api, 'Attacker'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  describe('a NUL character in a string argument is BAD_USER_INPUT, never a 500', () => {
    it('in a search query, as a variable and as a literal', async () => {
      const asVariable = await api.gql('query($q: String) { products(query: $q, first: 1) { totalCount } }', {
        q: 'boot\u0000s',
      });
      expect(asVariable.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(asVariable.errors?.[0].message).toContain('$q');
      const asLiteral = await api.gql('{ products(query: "boot\\u0000s", first: 1) { totalCount } }');
      expect(asLiteral.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(asLiteral.errors?.[0].message).toContain('argument "query"');
    });

    it('in a feed name nested in an input object, and nothing is created', async () => {
      const res = await api.gql(
        'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
        { input: { name: 'Main\u0000catalog', source: 'UPLOAD', format: 'AUTO' } },
        key,
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      const feeds = await api.gqlOk<{ feeds: { nodes: unknown[] } }>('{ feeds { nodes { id } } }', {}, key);
      expect(feeds.feeds.nodes).toEqual([]);
    });

    it('in the file name of an upload, and no run is recorded', async () => {
      const feedId = await createFeed(api, key, { name: 'Uploads' });
      const res = await uploadFeed(api, key, feedId, 'id,title\n1,a\n', '?filename=feed%00.csv');
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'BAD_USER_INPUT' });
      const runs = await api.gqlOk<{ feed: { runs: { nodes: unknown[] } } }>(
        'query($id: ID!) { feed(id: $id) { runs { nodes { id } } } }',
        { id: feedId },
        key,
      );
      expect(runs.feed.runs.nodes).toEqual([]);
    });

    it('in a subscription argument', async () => {
      const errors = await subscriptionErrors(api, key, PROGRESS, { id: 'x\u0000' });
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('input nested a thousand levels deep is refused saying where, not a stack overflow inside graphql-js', () => {
    const deepJson = (levels: number) => '['.repeat(levels) + '"x"' + ']'.repeat(levels);

    it('as a variable of a GET request, and as a literal in one', async () => {
      const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
      const asVariable = await fetch(
        `${api.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(`{"ids":${deepJson(1500)}}`)}`,
        { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' } },
      );
      expect(asVariable.status).toBe(400);
      const variableErrors = ((await asVariable.json()) as { errors: { message: string; extensions: unknown }[] })
        .errors;
      expect(variableErrors).toEqual([
        {
          message: expect.stringMatching(
            /^Variable "\$ids" nests lists and objects more than 100 levels deep \(at \$ids\[0\]\[0\]/,
          ),
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      const literal = `{ nodes(ids: ${'['.repeat(1500)}"x"${']'.repeat(1500)}) { id } }`;
      const asLiteral = await fetch(`${api.url}/graphql?query=${encodeURIComponent(literal)}`, {
        headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
      });
      expect(asLiteral.status).toBe(400);
      expect(await asLiteral.json()).toEqual({
        errors: [
          {
            message: expect.stringContaining('more than 256 brackets ({, [, () at once (at line 1, column 268)'),
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      });
    });

    it('in a subscription', async () => {
      const errors = await subscriptionErrors(api, key, PROGRESS, { id: JSON.parse(deepJson(1500)) });
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(errors[0].message).toMatch(/^Variable "\$id" nests lists and objects more than 100 levels deep/);
      const literal = `subscription { ingestionRunProgress(runId: ${'['.repeat(1500)}"x"${']'.repeat(1500)}) { status } }`;
      const literalErrors = await subscriptionErrors(api, key, literal, {});
      expect(literalErrors.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(literalErrors[0].message).toContain('more than 256 brackets');
    });
  });

  describe('issues.csv defuses every formula a spreadsheet would run', () => {
    const LOOK_ALIKES = [
      '\uff1dHYPERLINK("https://evil.example")', // full-width =
      '\uff0b1', // full-width +
      '\uff0d1', // full-width -
      '\uff20SUM(A1)', // full-width @
      '\ufe66cmd', // small form =
      '\u22121', // minus sign
      ' =1+1', // leading blank
      '\u3000=1+1', // ideographic space
      '\u00a0+1', // no-break space
      '"=1+1', // leading quote
      '\n=1+1', // line feed first
    ];

    it('prefixes look-alike starters and blank/quote tricks with an apostrophe, leaves plain text alone', async () => {
      const values = [...LOOK_ALIKES, '12.50', 'a-b', 'Acme \uff1d', ''];
      const rows: { v: string }[] = await api.runtime.dataSource.query(
        `SELECT ${spreadsheetSafe('v')} AS v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`,
        [values],
      );
      expect(rows.map((r) => r.v)).toEqual([...LOOK_ALIKES.map((v) => `'${v}`), '12.50', 'a-b', 'Acme \uff1d', '']);
      // The in-process twin (channel exports' CSV) agrees with the SQL on every value.
      expect(values.map(spreadsheetSafeText)).toEqual(rows.map((r) => r.v));
    });

    it('in the file a brand downloads', async () => {
      const feedId = await createFeed(api, key, { name: 'Formulas', defaultCurrency: 'USD' });
      const header = 'id,title,description,link,image_link,availability,price,brand,mpn,condition';
      const line = (id: string, price: string) =>
        `${id},Shoe ${id},A shoe.,https://shop.example/${id},https://img.example/${id}.jpg,in stock,"${price}",Acme,M-${id},new`;
      const run = await ingest(
        api,
        key,
        feedId,
        [header, line('F1', '\uff1dHYPERLINK(1)'), line('F2', '\uff20SUM(A1)')].join('\n'),
      );
      const res = await fetch(`${api.url}/runs/${run.id}/issues.csv`, { headers: { authorization: `Bearer ${key}` } });
      const text = await res.text();
      expect(text).toContain(`'\uff1dHYPERLINK(1)`);
      expect(text).toContain(`'\uff20SUM(A1)`);
      // No cell of the file starts a formula, however its value is quoted by the CSV.
      const cells = text.split(/,|\n/).map((cell) => cell.replace(/^"+/, ''));
      expect(cells.filter((cell) => /^[\uff1d\uff20]/.test(cell))).toEqual([]);
    });
  });

  describe('subscription errors carry the same codes as queries', () => {
    it('NOT_FOUND for a run that does not exist', async () => {
      const errors = await subscriptionErrors(api, key, PROGRESS, { id: '00000000-0000-4000-8000-000000000000' });
      expect(errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    });

    it('UNAUTHENTICATED without a key', async () => {
      const errors = await subscriptionErrors(api, null, PROGRESS, { id: '00000000-0000-4000-8000-000000000000' });
      expect(errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });

    it('GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED and BAD_USER_INPUT for bad requests', async () => {
      const unknownField = await subscriptionErrors(
        api,
        key,
        'subscription($id: ID!) { ingestionRunProgress(runId: $id) { nope } }',
        { id: 'x' },
      );
      expect(unknownField.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      const syntax = await subscriptionErrors(api, key, 'subscription { ingestionRunProgress(', {});
      expect(syntax.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
      const missingVariable = await subscriptionErrors(api, key, PROGRESS, {});
      expect(missingVariable.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('schema exposure follows the settings (IDE, introspection, suggestions)', () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    const MISSPELT = '{ brandz { id } }';
    const ide = async (target: TestApi) =>
      fetch(`${target.url}/graphql`, { headers: { accept: 'text/html' } }).then(async (res) => ({
        html: (res.headers.get('content-type') ?? '').includes('text/html'),
        body: await res.text(),
      }));

    it('are on outside production', async () => {
      expect((await api.gqlOk<{ __schema: unknown }>(INTROSPECT)).__schema).toEqual({ queryType: { name: 'Query' } });
      expect((await api.gql(MISSPELT)).errors?.[0].message).toContain('Did you mean "brands"?');
      expect((await ide(api)).html).toBe(true);
    });

    it('are off by default with NODE_ENV=production, over HTTP and WebSocket', async () => {
      const prod = await startTestApi(createApi, { NODE_ENV: 'production' });
      try {
        const introspection = await prod.gql(INTROSPECT);
        expect(introspection.data ?? null).toBeNull();
        expect(introspection.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        const misspelt = await prod.gql(MISSPELT);
        expect(misspelt.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        expect(misspelt.errors?.[0].message).toContain('"brandz"');
        expect(misspelt.errors?.[0].message).not.toContain('Did you mean');
        const page = await ide(prod);
        expect(page.html).toBe(false);
        expect(page.body).not.toMatch(/<html/i);
        // graphql-ws runs queries too, past Apollo: the same refusals there.
        const overWs = await subscriptionErrors(prod, null, INTROSPECT, {});
        expect(overWs.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        const misspeltWs = await subscriptionErrors(prod, null, MISSPELT, {});
        expect(misspeltWs[0].message).not.toContain('Did you mean');
        // The public API itself still answers.
        expect(
          (await prod.gqlOk<{ brands: { nodes: unknown[] } }>('{ brands { nodes { id } } }')).brands.nodes,
        ).toEqual([]);
      } finally {
        await prod.close();
      }
    });
  });
});
