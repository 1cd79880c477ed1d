import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { OverloadService } from '../src/overload/overload.service.js';

interface Message {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
}

/**
 * Queries and mutations sent over graphql-ws (the socket the console and GraphiQL open for subscriptions) ran past
 * the admission every POST /graphql meets: an account's rate limit counted none of them, and a search over the
 * socket took no search slot, so one client could run any number of searches at once while HTTP answered 429.
 */
describe('graphql-ws operations are admitted as HTTP ones are (e2e on a real database)', () => {
  let api: TestApi;
  let overload: OverloadService;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApi(createApi, {
      RATE_LIMIT_PER_MINUTE: '60',
      RATE_LIMIT_BURST: '5',
      SEARCH_CONCURRENCY: '1',
      SEARCH_QUEUE: '0',
    });
    overload = api.app.get(OverloadService);
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await api?.close();
  });

  const connect = (key?: string) => {
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    });
    clients.push(client);
    return (query: string) =>
      new Promise<Message>((resolve, reject) => {
        let last: Message = {};
        client.subscribe(
          { query },
          { next: (m) => (last = m as Message), error: reject, complete: () => resolve(last) },
        );
      });
  };
  const codeOf = (m: Message) => m.errors?.[0]?.extensions?.code ?? 'OK';

  it("counts an account's operations on a socket against its rate limit", async () => {
    const brand = await registerBrand(api, 'Chatty Socket');
    const run = connect(brand.apiKey);
    const codes: string[] = [];
    // A bucket of 5 refilled at one a second: ten at once cannot all pass.
    for (let i = 0; i < 10; i++) codes.push(codeOf(await run('{ me { __typename } }')));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('OK'));
    expect(codes).toContain('RATE_LIMITED');
    const refused = await run('{ me { __typename } }');
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.data ?? null).toBeNull();
    // The same account over HTTP finds the same empty bucket.
    expect((await api.gql('{ me { __typename } }', {}, brand.apiKey)).errors?.[0]?.extensions?.code).toBe(
      'RATE_LIMITED',
    );
  });

  it('takes a search slot for a catalog query on a socket, and is refused OVERLOADED when none is free', async () => {
    const run = connect();
    expect(codeOf(await run('{ products(first: 1) { totalCount } }'))).toBe('OK');
    // Every slot taken (SEARCH_CONCURRENCY 1) and no queue: a search over HTTP is 429 OVERLOADED at once…
    const held = overload.search.acquire(1);
    await held.admitted;
    try {
      expect((await api.gql('{ products(first: 1) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('OVERLOADED');
      // …and so is one over the socket, which runs nothing.
      const refused = await run('{ products(first: 1) { totalCount } }');
      expect(codeOf(refused)).toBe('OVERLOADED');
      expect(refused.data ?? null).toBeNull();
      expect(overload.search.inFlight).toBe(1);
    } finally {
      held.release();
    }
    expect(codeOf(await run('{ products(first: 1) { totalCount } }'))).toBe('OK');
    // The slot taken for it was given back when it finished.
    expect(overload.search.inFlight).toBe(0);
  });

  it("counts a socket's anonymous operations (sign-ups) against its address, as HTTP does", async () => {
    const run = connect();
    const codes: string[] = [];
    // registerCreator over one socket, ten at once: HTTP allows an address a bucket of 5.
    for (let i = 0; i < 10; i++) {
      codes.push(
        codeOf(
          await run(
            `mutation { registerCreator(input: { handle: "socket_${i}_${Date.now()}", email: "s${i}.${Date.now()}@example.com" }) { creator { id } } }`,
          ),
        ),
      );
    }
    // (The tests above took some of the address's bucket already: how many pass depends on when, so only that
    // some are refused, and that anonymous ones were not left uncounted, as they were.)
    expect(codes).toContain('RATE_LIMITED');
    const refused = await run('{ __typename }');
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0].message).toMatch(/from this address/);
    // HTTP from the same address finds the same empty bucket.
    expect((await api.gql('{ __typename }')).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
