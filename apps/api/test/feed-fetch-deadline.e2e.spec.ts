import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFeed, registerBrand, startTestApi, waitForRun, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

describe('a URL feed that never finishes sending (e2e)', () => {
  let api: TestApi;
  let key: string;
  let base: string;
  let closed = 0;
  // A feed host that sends its header, then one byte every 100 ms for ever: never idle long enough for
  // HTTP_READ_TIMEOUT_MS, never done.
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('id,title,description,link,image_link,availability,price,brand,mpn\n');
    const timer = setInterval(() => res.write('x'), 100);
    res.on('close', () => {
      clearInterval(timer);
      closed++;
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = await startTestApi(createApi, {
      SSRF_ALLOW_HOSTS: '127.0.0.1',
      IMAGES_ENABLED: 'false',
      HTTP_READ_TIMEOUT_MS: '30000',
      FEED_FETCH_DEADLINE_SECONDS: '2',
    });
    ({ apiKey: key } = await registerBrand(api, 'Trickle'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    server.closeAllConnections();
    server.close();
  });

  it('fails with FETCH_TIMEOUT at FEED_FETCH_DEADLINE_SECONDS and hangs up on the host', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/feed.csv`, defaultCurrency: 'USD' });
    const started = await api.gqlOk<{ fetchFeedNow: { run: { id: string } } }>(
      'mutation($id: ID!) { fetchFeedNow(input: { feedId: $id }) { run { id } userErrors { code message } } }',
      { id: feedId },
      key,
    );
    const run = await waitForRun(api, key, started.fetchFeedNow.run.id, 45_000);
    expect(run.status).toBe('FAILED');
    expect(run.error?.code).toBe('FETCH_TIMEOUT');
    expect(run.error?.message).toContain('2 s deadline');
    // The download was destroyed: the host sees its one connection closed (soon after, not necessarily before the run ended).
    for (let i = 0; i < 100 && closed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(1);
  }, 60_000);
});
