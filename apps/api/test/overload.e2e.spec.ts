import { request as httpRequest, type ClientRequest } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountsService } from '@brandshelf/accounts';
import { createFeed, registerBrand, startTestApi, testServerUrl, type TestApi, rawId } from '@brandshelf/testing';
import { signConversionBody } from '@brandshelf/earnings';
import { createApi } from '../src/create-api.js';
import { toGlobalId } from '../src/graphql/global-id.js';
import { OverloadService } from '../src/overload/overload.service.js';

/**
 * Issue 10, "Overload is answered, not suffered": beyond the search and upload limits (and their short queues)
 * requests are answered at once with 429 OVERLOADED and Retry-After, never a 500 after a pool timeout; each
 * client has a rate limit with RateLimit headers; /health answers while user work holds the database.
 */

const SEARCH =
  '{ products(query: "trail shoe", first: 5) { totalCount facets { brand { id } } edges { node { id } } } }';
/** Catalog queries GraphQL would refuse once it read them: one it cannot parse, one past the alias limit. */
const BROKEN = '{ products(first: 5) { edges { node { id } } ';
const TOO_MANY_ALIASES = `{ ${Array.from({ length: 150 }, (_, i) => `p${i}: products { totalCount }`).join(' ')} }`;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function post(api: TestApi, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

/**
 * Holds every search in flight with the real database: on PostgreSQL a transaction holding an exclusive lock
 * on the live catalog (searches wait for it, each holding its pool connections); on the embedded database an
 * open transaction on another connection, which makes every other connection wait.
 */
async function holdCatalog(api: TestApi): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: api.database.url });
  await client.connect();
  await client.query('BEGIN');
  if (testServerUrl()) await client.query('LOCK TABLE catalog_product IN ACCESS EXCLUSIVE MODE');
  else await client.query('SELECT 1');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('admission: search and upload limits', () => {
  let api: TestApi;
  let overload: OverloadService;

  beforeAll(async () => {
    api = await startTestApi(createApi, {
      // The two searches in flight hold the pool's two connections: whatever waits on the pool waits behind them.
      DATABASE_POOL_SIZE: '2',
      SEARCH_CONCURRENCY: '2',
      SEARCH_QUEUE: '1',
      SEARCH_QUEUE_TIMEOUT_MS: '600000',
      UPLOAD_CONCURRENCY: '1',
      UPLOAD_QUEUE: '0',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    overload = api.app.get(OverloadService);
    // One live product, so searches have a catalog to read.
    const brand = await registerBrand(api, 'Live Brand');
    const feedId = await createFeed(api, brand.apiKey, { source: 'UPLOAD', format: 'CSV', defaultCurrency: 'USD' });
    // Live rows written as a publish leaves them (the pipeline would need more than this two-connection pool).
    await api.runtime.dataSource.query(
      `INSERT INTO catalog_product (id, brand_id, feed_id, version_id, offer_id, content_hash, title, price_minor,
         effective_price_minor, currency, availability, published_at)
       VALUES (gen_random_uuid(), $1, $2, gen_random_uuid(), 'TRS-1', 'h', 'Trail Runner Shoe', 8999, 8999, 'USD',
         'IN_STOCK', now())`,
      [rawId(brand.id), rawId(feedId)],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers searches beyond the limit and its queue with 429 OVERLOADED and Retry-After, and /health with 200 meanwhile', async () => {
    const hold = await holdCatalog(api);
    const held: Array<Promise<Awaited<ReturnType<typeof post>>>> = [];
    try {
      held.push(post(api, SEARCH), post(api, SEARCH));
      await until('two searches to run', () => overload.search.inFlight === 2);
      held.push(post(api, SEARCH));
      await until('the third search to queue', () => overload.search.queued === 1);

      const refused = await Promise.all([
        post(api, SEARCH),
        post(api, '{ product(id: "00000000-0000-4000-8000-000000000000") { id } }'),
        post(api, '{ brands { nodes { id } } }'),
      ]);
      for (const answer of refused) {
        expect(answer.status).toBe(429);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(answer.json.data ?? null).toBeNull();
        expect(answer.json.errors).toHaveLength(1);
        expect(answer.json.errors[0].extensions).toMatchObject({ code: 'OVERLOADED' });
        expect(answer.json.errors[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }

      // While full, catalog queries are refused at the door, before GraphQL reads them: one it could not parse
      // and one past its alias limit get the same 429 instead of the 400 GraphQL gives them below.
      const rejectedBefore = overload.search.rejected;
      for (const query of [BROKEN, TOO_MANY_ALIASES]) {
        const answer = await post(api, query);
        expect(answer.status).toBe(429);
        expect(answer.headers.get('retry-after')).toBe(String(overload.search.retryAfterSeconds));
        expect(answer.json).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: 'OVERLOADED', retryAfterSeconds: 600 } }],
        });
      }
      // So is a GET, and a named operation.
      const get = await fetch(`${api.url}/graphql?query=${encodeURIComponent(BROKEN)}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(get.status).toBe(429);
      expect(((await get.json()) as any).errors[0].extensions.code).toBe('OVERLOADED');
      const named = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query Find ${BROKEN}`, operationName: 'Find' }),
      });
      expect(named.status).toBe(429);
      expect(overload.search.rejected - rejectedBefore).toBe(4);
      expect([overload.search.inFlight, overload.search.queued]).toEqual([2, 1]);

      // The pool is held by the searches in flight (and, embedded, the whole database by the open transaction).
      const health = await fetch(`${api.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      // A query that reads no catalog is not held back by the search limit.
      const other = await post(api, '{ __typename }');
      expect(other.status).toBe(200);
      expect(other.json.data).toEqual({ __typename: 'Query' });
    } finally {
      await hold.release();
    }
    for (const answer of await Promise.all(held)) {
      expect(answer.status).toBe(200);
      expect(answer.json.errors).toBeUndefined();
      expect(answer.json.data.products.totalCount).toBe(1);
    }
    expect(overload.search.inFlight).toBe(0);
    expect(overload.search.queued).toBe(0);

    // With room again, the same documents reach GraphQL, which refuses them for what they are.
    const broken = await post(api, BROKEN);
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const aliases = await post(api, TOO_MANY_ALIASES);
    expect(aliases.status).toBe(400);
    expect(aliases.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers an upload beyond the limit with 429 OVERLOADED and Retry-After, as it does fetchFeedNow', async () => {
    const brand = await registerBrand(api, 'Upload Limits');
    const feedId = await createFeed(api, brand.apiKey, { source: 'UPLOAD', format: 'CSV', defaultCurrency: 'USD' });
    const csv = 'id,title,link,image_link,availability,price\n';
    const rows = 'A1,Plain Mug,https://shop.example/a1,https://img.example/a1.jpg,in stock,9.99 USD\n';

    // The first upload streams slowly: its body is not finished until the others are answered.
    let slow: ClientRequest;
    const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
      slow = httpRequest(
        `${api.url}/feeds/${feedId}/uploads`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${brand.apiKey}`, 'content-type': 'text/csv' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      slow.on('error', reject);
      slow.write(csv);
    });
    await until('the first upload to be admitted', () => overload.upload.inFlight === 1);

    const refused = await fetch(`${api.url}/feeds/${feedId}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${brand.apiKey}`, 'content-type': 'text/csv' },
      body: csv + rows,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: 'OVERLOADED' });

    const fetchNow = await post(api, `mutation { fetchFeedNow(input: { feedId: "${feedId}" }) { run { id } } }`, {
      authorization: `Bearer ${brand.apiKey}`,
    });
    expect(fetchNow.status).toBe(429);
    expect(fetchNow.headers.get('retry-after')).not.toBeNull();
    expect(fetchNow.json.errors[0].extensions.code).toBe('OVERLOADED');

    slow!.end(rows);
    const first = await done;
    expect(first.status).toBe(202);
    expect(JSON.parse(first.body)).toMatchObject({ status: 'QUEUED' });
    expect(overload.upload.inFlight).toBe(0);
  });
});

describe('per-client rate limits', () => {
  let api: TestApi;
  let keyA: string;
  let keyB: string;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    // Three requests at once, then one a minute: nothing refills during the test.
    api = await startTestApi(createApi, { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '3' });
    const accounts = api.app.get(AccountsService);
    keyA = (await accounts.registerBrand({ name: 'Rate A', email: 'rate-a@example.test' })).apiKey.plain;
    keyB = (await accounts.registerBrand({ name: 'Rate B', email: 'rate-b@example.test' })).apiKey.plain;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('counts down in RateLimit headers, answers 429 RATE_LIMITED with Retry-After beyond, and spares other clients', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await post(api, '{ brands { nodes { id } } }', from('198.51.100.1'));
      expect(answer.status).toBe(200);
      expect(answer.json.errors).toBeUndefined();
      expect(answer.headers.get('ratelimit-limit')).toBe('3');
      expect(answer.headers.get('ratelimit-policy')).toBe('3;w=180');
      expect(Number(answer.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(answer.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await post(api, '{ brands { nodes { id } } }', from('198.51.100.1'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.json.data ?? null).toBeNull();
    expect(refused.json.errors[0].extensions.code).toBe('RATE_LIMITED');

    // A made-up key does not buy a fresh bucket: the caller is still counted by its address.
    const madeUp = await post(api, '{ brands { nodes { id } } }', {
      ...from('198.51.100.1'),
      authorization: 'Bearer bsk_x_y',
    });
    expect(madeUp.status).toBe(429);
    // REST endpoints are limited the same way, answered as { code, message }.
    const upload = await fetch(`${api.url}/feeds/00000000-0000-4000-8000-000000000000/uploads`, {
      method: 'POST',
      headers: from('198.51.100.1'),
      body: 'id\n',
    });
    expect(upload.status).toBe(429);
    expect(await upload.json()).toMatchObject({ code: 'RATE_LIMITED' });

    // Another address, and an API key used from the exhausted address, have budgets of their own.
    const otherIp = await post(api, '{ brands { nodes { id } } }', from('198.51.100.2'));
    expect(otherIp.status).toBe(200);
    expect(otherIp.headers.get('ratelimit-remaining')).toBe('2');
    for (const expected of ['2', '1', '0']) {
      const answer = await post(api, '{ me { __typename } }', {
        ...from('198.51.100.1'),
        authorization: `Bearer ${keyA}`,
      });
      expect(answer.status).toBe(200);
      expect(answer.json.data).toEqual({ me: { __typename: 'BrandPrincipal' } });
      expect(answer.headers.get('ratelimit-remaining')).toBe(expected);
    }
    const keyRefused = await post(api, '{ me { __typename } }', { authorization: `Bearer ${keyA}` });
    expect(keyRefused.status).toBe(429);
    expect(keyRefused.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    const otherKey = await post(api, '{ me { __typename } }', {
      ...from('198.51.100.1'),
      authorization: `Bearer ${keyB}`,
    });
    expect(otherKey.status).toBe(200);
    expect(otherKey.headers.get('ratelimit-remaining')).toBe('2');

    // /health is never limited.
    for (let i = 0; i < 5; i++) {
      const health = await fetch(`${api.url}/health`, { headers: from('198.51.100.1') });
      expect(health.status).toBe(200);
      expect(health.headers.get('ratelimit-limit')).toBeNull();
    }
  });

  it('refuses an address whose conversion signatures keep failing, never a brand server that signs right', async () => {
    const { brand, apiKey } = await api.app
      .get(AccountsService)
      .registerBrand({ name: 'Rate Signed', email: 'rate-signed@example.test' });
    const rotated = await post(api, 'mutation { rotateConversionSecret(input: {}) { secret } }', {
      authorization: `Bearer ${apiKey.plain}`,
    });
    const secret: string = rotated.json.data.rotateConversionSecret.secret;
    const body = JSON.stringify({
      clickId: 'nope',
      orderId: 'RATE-1',
      currency: 'USD',
      orderedAt: '2026-12-01T10:00:00Z',
      lines: [{ offerId: 'X', amount: '1.00' }],
    });
    const send = (ip: string, signature: string) =>
      fetch(`${api.url}/conversions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-brandshelf-brand': toGlobalId('Brand', brand.id),
          'x-brandshelf-signature': signature,
          ...from(ip),
        },
        body,
      });
    const good = signConversionBody(secret, body);
    // Right signatures are never counted: more than the burst (3) from one address all pass.
    for (let i = 0; i < 5; i++) expect((await send('203.0.113.51', good)).status).toBe(200);
    // Wrong ones are, per address: three 401s, then 429 with Retry-After, the right signature included.
    for (let i = 0; i < 3; i++) {
      expect((await send('203.0.113.50', signConversionBody('guess', body))).status).toBe(401);
    }
    for (const signature of [signConversionBody('guess', body), good]) {
      const refused = await send('203.0.113.50', signature);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect((await send('203.0.113.51', good)).status).toBe(200);
  });
});
