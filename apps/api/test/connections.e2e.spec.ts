import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi, rawId } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { toGlobalId } from '../src/graphql/global-id.js';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  totalCount: number;
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: PageInfo;
}

const PAGE =
  'totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const ARGS = '$first: Int, $after: String, $last: Int, $before: String';
const PASS = 'first: $first, after: $after, last: $last, before: $before';

/** Every page forwards by `size`, checking each page's pageInfo and count on the way. */
async function walkForwards(read: (vars: Record<string, unknown>) => Promise<Page>, size: number, total: number) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await read({ first: size, after });
    expect(page.totalCount).toBe(total);
    expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
    expect(page.pageInfo.hasPreviousPage).toBe(ids.length > 0);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    ids.push(...page.nodes.map((n) => n.id));
    expect(page.pageInfo.hasNextPage).toBe(ids.length < total);
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
  throw new Error('no last page');
}

/** Every page backwards from the end by `size`; the ids come back in list order. */
async function walkBackwards(read: (vars: Record<string, unknown>) => Promise<Page>, size: number, total: number) {
  const ids: string[] = [];
  let before: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await read({ last: size, before });
    expect(page.totalCount).toBe(total);
    expect(page.pageInfo.hasNextPage).toBe(ids.length > 0);
    ids.unshift(...page.nodes.map((n) => n.id));
    expect(page.pageInfo.hasPreviousPage).toBe(ids.length < total);
    if (!page.pageInfo.hasPreviousPage) return ids;
    before = page.pageInfo.startCursor;
  }
  throw new Error('no first page');
}

describe('connections: keyset pages, one page-size policy, brand-scoped', () => {
  let api: TestApi;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const feedIds: string[] = [];

  const feeds = (key: string) => async (vars: Record<string, unknown>) =>
    (await api.gqlOk<{ feeds: Page }>(`query(${ARGS}) { feeds(${PASS}) { ${PAGE} } }`, vars, key)).feeds;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    a = await registerBrand(api, 'Paged A');
    b = await registerBrand(api, 'Paged B');
    for (let i = 0; i < 7; i++) feedIds.push(await createFeed(api, a.apiKey, { name: `Feed ${i}` }));
    await createFeed(api, b.apiKey, { name: 'B only' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('pages feeds forwards and backwards, oldest first, without gaps or repeats', async () => {
    expect(await walkForwards(feeds(a.apiKey), 3, 7)).toEqual(feedIds);
    expect(await walkForwards(feeds(a.apiKey), 7, 7)).toEqual(feedIds);
    expect(await walkBackwards(feeds(a.apiKey), 2, 7)).toEqual(feedIds);
    // A page between two cursors, and the default size.
    const all = await feeds(a.apiKey)({});
    expect(all.nodes.map((n) => n.id)).toEqual(feedIds);
    const middle = await feeds(a.apiKey)({ first: 10, after: all.edges[1].cursor, before: all.edges[5].cursor });
    expect(middle.nodes.map((n) => n.id)).toEqual(feedIds.slice(2, 5));
  });

  it('keeps the order total when rows share a sort key, and keeps microseconds in the cursor', async () => {
    const db = api.runtime.dataSource;
    // Three feeds share one created_at (the id breaks the tie); two differ by one microsecond only.
    await db.query(
      `UPDATE feed SET created_at = CASE
         WHEN id = ANY($1::uuid[]) THEN '2030-01-01 00:00:00.000001+00'::timestamptz
         WHEN id = $2 THEN '2030-01-01 00:00:00.000002+00'::timestamptz
         ELSE created_at END
       WHERE brand_id = $3`,
      [feedIds.slice(4, 7).map(rawId), rawId(feedIds[3]), rawId(a.id)],
    );
    const expected = (
      await db.query(`SELECT id FROM feed WHERE brand_id = $1 ORDER BY created_at, id`, [rawId(a.id)])
    ).map((r: { id: string }) => toGlobalId('Feed', r.id));
    for (const size of [1, 2, 4]) {
      expect(await walkForwards(feeds(a.apiKey), size, 7)).toEqual(expected);
      expect(await walkBackwards(feeds(a.apiKey), size, 7)).toEqual(expected);
    }
  });

  it("shows brand B none of A's rows, even given A's cursors", async () => {
    const own = await feeds(b.apiKey)({});
    expect(own.totalCount).toBe(1);
    expect(own.nodes.map((n) => n.id)).not.toEqual(expect.arrayContaining([feedIds[0]]));
    const aPage = await feeds(a.apiKey)({ first: 1 });
    for (const vars of [{ after: aPage.pageInfo.endCursor }, { last: 5, before: aPage.pageInfo.endCursor }]) {
      const page = await feeds(b.apiKey)(vars);
      expect(page.nodes.filter((n) => feedIds.includes(n.id))).toEqual([]);
      expect(page.totalCount).toBe(1);
    }
    const keys = await api.gqlOk<{ apiKeys: Page }>(`{ apiKeys { ${PAGE} } }`, {}, b.apiKey);
    expect(keys.apiKeys.totalCount).toBe(1);
  });

  it('pages API keys and a feed’s runs (newest first)', async () => {
    for (let i = 0; i < 4; i++) {
      await api.gqlOk(
        'mutation($n: String!) { createApiKey(input: { name: $n }) { key { id } userErrors { code } } }',
        { n: `k${i}` },
        a.apiKey,
      );
    }
    const keys = async (vars: Record<string, unknown>) =>
      (await api.gqlOk<{ apiKeys: Page }>(`query(${ARGS}) { apiKeys(${PASS}) { ${PAGE} } }`, vars, a.apiKey)).apiKeys;
    const forwards = await walkForwards(keys, 2, 5);
    expect(new Set(forwards).size).toBe(5);
    expect(await walkBackwards(keys, 3, 5)).toEqual(forwards);

    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      runIds.unshift((await ingest(api, a.apiKey, feedIds[0], `id,title\nR${i},Run ${i}\n`, '?validateOnly=true')).id);
    }
    const runs = async (vars: Record<string, unknown>) =>
      (
        await api.gqlOk<{ feed: { runs: Page } }>(
          `query($id: ID!, ${ARGS}) { feed(id: $id) { runs(${PASS}) { ${PAGE} } } }`,
          { id: feedIds[0], ...vars },
          a.apiKey,
        )
      ).feed.runs;
    expect(await walkForwards(runs, 2, 3)).toEqual(runIds);
    expect(await walkBackwards(runs, 1, 3)).toEqual(runIds);
    // B cannot read A's feed at all.
    const foreign = await api.gql(
      'query($id: ID!) { feed(id: $id) { runs { totalCount } } }',
      { id: feedIds[0] },
      b.apiKey,
    );
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }, 120_000);

  it('pages a feed’s versions and publications (newest first) and a run’s issues (by row)', async () => {
    const header = 'id,title,description,link,image_link,availability,price,brand,mpn';
    const row = (id: string, title: string) =>
      `${id},${title},Made to last.,https://shop.example/${id},https://img.example/${id}.jpg,in stock,10.00 USD,Acme,M-${id}`;
    const feedId = await createFeed(api, a.apiKey, { name: 'Versioned' });
    const versionNumbers: number[] = [];
    const publicationIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await ingest(
        api,
        a.apiKey,
        feedId,
        [header, row('V1', `Title ${i}`), row(`X${i}`, 'Extra')].join('\n'),
      );
      const published = await api.gqlOk<{ publishRun: { publication: { id: string } } }>(
        'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { id } userErrors { code } } }',
        { id: run.id },
        a.apiKey,
      );
      publicationIds.unshift(published.publishRun.publication.id);
      versionNumbers.unshift(i + 1);
    }
    const connection = (field: string) => async (vars: Record<string, unknown>) =>
      (
        await api.gqlOk<{ feed: Record<string, Page> }>(
          `query($id: ID!, ${ARGS}) { feed(id: $id) { ${field}(${PASS}) { ${PAGE} } } }`,
          { id: feedId, ...vars },
          a.apiKey,
        )
      ).feed[field];
    expect(await walkForwards(connection('publications'), 2, 3)).toEqual(publicationIds);
    expect(await walkBackwards(connection('publications'), 1, 3)).toEqual(publicationIds);
    const versions = await walkForwards(connection('versions'), 1, 3);
    expect(await walkBackwards(connection('versions'), 2, 3)).toEqual(versions);
    const numbers = await api.gqlOk<{ feed: { versions: { nodes: { id: string; number: number }[] } } }>(
      'query($id: ID!) { feed(id: $id) { versions { nodes { id number } } } }',
      { id: feedId },
      a.apiKey,
    );
    expect(numbers.feed.versions.nodes.map((v) => v.id)).toEqual(versions);
    expect(numbers.feed.versions.nodes.map((v) => v.number)).toEqual(versionNumbers);

    // Seven rows without a title or price: at least one issue each, paged by row.
    const bad = [header, ...Array.from({ length: 7 }, (_, i) => `B${i},,,,,,,,`)].join('\n');
    const run = await ingest(api, a.apiKey, feedId, bad, '?validateOnly=true');
    const issues = async (vars: Record<string, unknown>) =>
      (
        await api.gqlOk<{ ingestionRun: { issues: Page } }>(
          `query($id: ID!, $first: Int!, $after: String) { ingestionRun(id: $id) { issues(first: $first, after: $after) { ${PAGE} } } }`,
          { id: run.id, first: vars.first, after: vars.after },
          a.apiKey,
        )
      ).ingestionRun.issues;
    const total = (await issues({ first: 1 })).totalCount;
    expect(total).toBeGreaterThanOrEqual(7);
    const all = (await issues({ first: 500 })).nodes.map((n) => n.id);
    expect(await walkForwards(issues, 3, total)).toEqual(all);
  }, 120_000);

  it('refuses a page size over the maximum with BAD_USER_INPUT naming it, and never clamps', async () => {
    const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await api.gql(query, variables, a.apiKey);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      return { code: res.errors![0].extensions?.code, message: res.errors![0].message };
    };
    const over = { code: 'BAD_USER_INPUT', message: expect.stringContaining('between 1 and 100') };
    expect(await refusal('{ feeds(first: 101) { totalCount } }')).toEqual(over);
    expect(await refusal('query($n: Int) { apiKeys(last: $n) { totalCount } }', { n: 1000 })).toEqual(over);
    expect(await refusal('{ shopifyStores(first: 0) { totalCount } }')).toEqual(over);
    expect(
      await refusal('query($id: ID!) { feed(id: $id) { runs(first: 101) { totalCount } } }', { id: feedIds[0] }),
    ).toEqual(over);
    expect(
      await refusal('query($id: ID!) { feed(id: $id) { publications(first: 500) { totalCount } } }', {
        id: feedIds[0],
      }),
    ).toEqual(over);
    expect(await refusal('{ brands(first: 101) { totalCount } }')).toEqual(over);
    // A run's issues: their own documented maximum.
    const run = (
      await api.gqlOk<{ feed: { runs: Page } }>(
        'query($id: ID!) { feed(id: $id) { runs(first: 1) { nodes { id } } } }',
        { id: feedIds[0] },
        a.apiKey,
      )
    ).feed.runs.nodes[0];
    expect(
      await refusal('query($id: ID!) { ingestionRun(id: $id) { issues(first: 501) { totalCount } } }', { id: run.id }),
    ).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('between 1 and 500') });
    const fine = await api.gql(
      'query($id: ID!) { ingestionRun(id: $id) { issues(first: 500) { totalCount } } }',
      { id: run.id },
      a.apiKey,
    );
    expect(fine.errors).toBeUndefined();
    // The maximum itself is allowed.
    expect((await api.gql('{ feeds(first: 100) { totalCount } }', {}, a.apiKey)).errors).toBeUndefined();
    // first and last together, and a cursor the list did not give.
    expect((await refusal('{ feeds(first: 1, last: 1) { totalCount } }')).code).toBe('BAD_USER_INPUT');
    expect((await refusal('{ feeds(after: "bm90IGEgY3Vyc29y") { totalCount } }')).code).toBe('BAD_USER_INPUT');
    const runCursor = (
      await api.gqlOk<{ feed: { runs: Page } }>(
        `query($id: ID!) { feed(id: $id) { runs(first: 1) { ${PAGE} } } }`,
        { id: feedIds[0] },
        a.apiKey,
      )
    ).feed.runs.pageInfo.endCursor;
    expect((await refusal('query($c: String) { feeds(after: $c) { totalCount } }', { c: runCursor })).code).toBe(
      'BAD_USER_INPUT',
    );
  });
});
