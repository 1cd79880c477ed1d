import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createFeed, rawId, registerBrand, startTestApi, uploadFeed, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

interface Message {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * A key revoked while a graphql-ws connection it opened stays open: the connection once authenticated only when it
 * opened, so the revoked key kept running queries and mutations (and kept a subscription to a brand's run) on that
 * socket for as long as the client held it, while every HTTP request with it was already UNAUTHENTICATED.
 */
describe('a revoked API key on an open graphql-ws connection (e2e on a real database)', () => {
  let api: TestApi;

  beforeAll(async () => {
    // No workers: the uploaded run stays QUEUED, so its progress subscription stays open (a message a second).
    api = await startTestApi(createApi, { RUN_WORKERS: 'false' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('stops answering the key on the same socket: operations are UNAUTHENTICATED and an open subscription ends', async () => {
    const brand = await registerBrand(api, 'Revoking Brand');
    const spare = await api.gqlOk<{ createApiKey: { apiKey: string; key: { id: string } } }>(
      'mutation { createApiKey(input: { name: "laptop" }) { apiKey key { id } userErrors { code } } }',
      {},
      brand.apiKey,
    );
    const feedId = await createFeed(api, brand.apiKey, { name: 'Watched' });
    const upload = await uploadFeed(api, brand.apiKey, feedId, 'id,title\nW-1,Watched item\n');
    expect(upload.status).toBe(202);
    const runId = (upload.json as { runId: string }).runId;

    let connections = 0;
    const client: Client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      on: { connected: () => connections++ },
      connectionParams: { authorization: `Bearer ${spare.createApiKey.apiKey}` },
    });
    const once = (query: string) =>
      new Promise<Message>((resolve, reject) => {
        let last: Message = {};
        client.subscribe(
          { query },
          { next: (m) => (last = m as Message), error: reject, complete: () => resolve(last) },
        );
      });
    const feedCount = async () =>
      (
        await api.runtime.dataSource.query('SELECT count(*)::int AS n FROM feed WHERE brand_id = $1', [rawId(brand.id)])
      )[0].n as number;

    try {
      // The subscription is opened, and answers, while the key is good.
      const progress: Message[] = [];
      let firstMessage!: () => void;
      const started = new Promise<void>((resolve) => (firstMessage = resolve));
      const ended = new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: `subscription { ingestionRunProgress(runId: "${runId}") { id status } }` },
          {
            next: (m) => {
              progress.push(m as Message);
              firstMessage();
            },
            error: reject,
            complete: resolve,
          },
        );
      });
      await started;
      expect(progress[0]).toEqual({ data: { ingestionRunProgress: { id: runId, status: 'QUEUED' } } });
      expect(await once('{ me { __typename } }')).toEqual({ data: { me: { __typename: 'BrandPrincipal' } } });

      const revoked = await api.gqlOk<{ revokeApiKey: { key: { revokedAt: string | null } } }>(
        'mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { key { revokedAt } userErrors { code } } }',
        { id: spare.createApiKey.key.id },
        brand.apiKey,
      );
      expect(revoked.revokeApiKey.key.revokedAt).not.toBeNull();
      const before = await feedCount();

      // The same socket, after the revocation: a query and a mutation are refused as over HTTP, and change nothing.
      const me = await once('{ me { __typename } }');
      expect(me.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      const created = await once(
        'mutation { createFeed(input: { name: "After revocation", source: UPLOAD, format: AUTO }) { feed { id } } }',
      );
      expect(created.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(created.data?.createFeed ?? null).toBeNull();
      expect(await feedCount()).toBe(before);

      // The subscription opened before the revocation ends with the same error instead of following the run.
      // It is checked about once a second; 20 s is only how long this test waits before calling it still open.
      let gaveUp: NodeJS.Timeout | undefined;
      const stillOpen = new Promise<never>((_, reject) => {
        gaveUp = setTimeout(
          () => reject(new Error(`still following the run after the revocation: ${JSON.stringify(progress.at(-1))}`)),
          20_000,
        );
      });
      await Promise.race([ended, stillOpen]).finally(() => clearTimeout(gaveUp));
      const last = progress.at(-1)!;
      expect(last.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(last.data ?? null).toBeNull();
      // All of it on the one connection the key opened (no reconnect that would have authenticated again).
      expect(connections).toBe(1);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
