import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { FeedScheduler } from '@brandshelf/ingestion';
import {
  RUN_FIELDS,
  createFeed,
  registerBrand,
  startTestApi,
  uploadFeed,
  waitForRun,
  type RunView,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const FEED = [
  'id,title,description,link,image_link,availability,price,brand,mpn',
  ...Array.from(
    { length: 50 },
    (_, i) =>
      `U${i},Item ${i},Desc ${i},https://s.example/${i},https://i.example/${i}.jpg,in stock,${i + 1}.00 EUR,Acme,M${i}`,
  ),
].join('\n');

/** A loopback stand-in for a brand's feed host: ETags, basic auth, a redirect and a slow feed. */
function feedHost() {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req);
    if (req.url === '/feed.csv') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'content-type': 'text/csv' }).end(FEED);
    } else if (req.url === '/private.csv') {
      const expected = 'Basic ' + Buffer.from('shop:s3cret').toString('base64');
      if (req.headers.authorization !== expected) {
        res.writeHead(401).end('no');
        return;
      }
      res.writeHead(200).end(FEED);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/feed.csv' }).end();
    } else if (req.url === '/slow.csv') {
      // Trickles the feed over ~2.5 s, like a slow export endpoint.
      const lines = FEED.split('\n');
      res.writeHead(200, { 'content-type': 'text/csv' });
      let i = 0;
      const timer = setInterval(() => {
        if (i >= lines.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(lines[i++] + '\n');
      }, 50);
      res.on('close', () => clearInterval(timer));
    } else {
      res.writeHead(404).end();
    }
  });
  return { server, seen };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const FETCH_NOW =
  'mutation($id: ID!) { fetchFeedNow(input: { feedId: $id }) { run { id } userErrors { code message } } }';

const fetchNow = async (api: TestApi, key: string, feedId: string): Promise<RunView> => {
  const data = await api.gqlOk<{ fetchFeedNow: { run: { id: string } } }>(FETCH_NOW, { id: feedId }, key);
  return waitForRun(api, key, data.fetchFeedNow.run.id);
};

describe('URL feeds with the SSRF guard on (no allowlist)', () => {
  let api: TestApi;
  let key: string;
  const host = feedHost();
  let base: string;

  beforeAll(async () => {
    base = await listen(host.server);
    api = await startTestApi(createApi, { UPLOAD_MAX_BYTES: '2000' });
    key = (await registerBrand(api, 'Guarded')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host.server.closeAllConnections();
    host.server.close();
  });

  it('refuses a loopback feed URL before connecting, with a specific code', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/feed.csv` });
    const before = host.seen.length;
    const run = await fetchNow(api, key, feedId);
    expect(run).toMatchObject({ status: 'FAILED', error: { code: 'FETCH_BLOCKED_ADDRESS' } });
    expect(run.error!.message).toMatch(/loopback/);
    expect(host.seen.length).toBe(before); // nothing reached the server
  });

  it('answers an upload over the size cap with 413, whether declared or streamed', async () => {
    const feedId = await createFeed(api, key, { name: 'Small' });
    const declared = await uploadFeed(api, key, feedId, 'x'.repeat(5000));
    expect(declared.status).toBe(413);
    expect(declared.json.code).toBe('PAYLOAD_TOO_LARGE');
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(500)));
        controller.close();
      },
    });
    const res = await fetch(`${api.url}/feeds/${feedId}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    const runs = await api.gqlOk('query($id: ID!) { feed(id: $id) { runs { nodes { id } } } }', { id: feedId }, key);
    expect(runs.feed.runs.nodes).toEqual([]); // nothing was queued for a refused upload
  });
});

describe('URL feeds with 127.0.0.1 allowlisted', () => {
  let api: TestApi;
  let key: string;
  const host = feedHost();
  let base: string;

  beforeAll(async () => {
    base = await listen(host.server);
    api = await startTestApi(createApi, { SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Fetcher')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host.server.closeAllConnections();
    host.server.close();
  });

  it('fetches, then re-fetches conditionally: an unchanged file does no work', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/feed.csv` });
    const first = await fetchNow(api, key, feedId);
    expect(first).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 50, notModified: false });
    const second = await fetchNow(api, key, feedId);
    expect(second).toMatchObject({ status: 'SUCCEEDED', notModified: true, rowsRead: 0 });
    expect(host.seen.at(-1)!.headers['if-none-match']).toBe('"v1"');
  });

  it('follows redirects and sends basic auth, which is never returned', async () => {
    const moved = await createFeed(api, key, { source: 'URL', url: `${base}/moved` });
    expect((await fetchNow(api, key, moved)).itemsAccepted).toBe(50);

    const denied = await createFeed(api, key, { source: 'URL', url: `${base}/private.csv` });
    const run = await fetchNow(api, key, denied);
    expect(run).toMatchObject({ status: 'FAILED', error: { code: 'FETCH_HTTP_ERROR' } });
    expect(run.error!.message).toMatch(/401/);

    const feedId = await createFeed(api, key, {
      source: 'URL',
      url: `${base}/private.csv`,
      basicAuth: { username: 'shop', password: 's3cret' },
    });
    expect((await fetchNow(api, key, feedId)).status).toBe('SUCCEEDED');
    const feed = await api.gqlOk('query($id: ID!) { feed(id: $id) { hasBasicAuth } }', { id: feedId }, key);
    expect(feed.feed.hasBasicAuth).toBe(true);
    const stored = await api.runtime.dataSource.query('SELECT row_to_json(f)::text AS j FROM feed f WHERE id = $1', [
      rawId(feedId),
    ]);
    expect(stored[0].j).not.toContain('s3cret');
  });

  it('fetches scheduled feeds when they are due, once', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/feed.csv`, schedule: 'every 5m' });
    const scheduler = api.app.get(FeedScheduler);
    expect(await scheduler.runDueFeeds(new Date())).toBe(0); // not due yet
    const later = new Date(Date.now() + 6 * 60_000);
    expect(await scheduler.runDueFeeds(later)).toBe(1);
    expect(await scheduler.runDueFeeds(later)).toBe(0); // moved on by its interval
    const runs = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { runs { nodes { id trigger } } } }',
      { id: feedId },
      key,
    );
    expect(runs.feed.runs.nodes).toHaveLength(1);
    expect(runs.feed.runs.nodes[0].trigger).toBe('SCHEDULE');
    expect((await waitForRun(api, key, runs.feed.runs.nodes[0].id)).status).toBe('SUCCEEDED');
  });

  it('fetches an "every 1m" feed at every minute tick, however late in its minute each tick runs', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/feed.csv`, schedule: 'every 1m' });
    const scheduler = api.app.get(FeedScheduler);
    const [feed] = await api.runtime.dataSource.query('SELECT next_fetch_at FROM feed WHERE id = $1', [rawId(feedId)]);
    // The minute tick is sent once a minute for the cluster and runs when a worker takes it: some seconds into its
    // minute, a few more or fewer each time. Six ticks, one a minute, alternately 22 and 19 seconds in.
    const firstMinute = Math.floor((feed.next_fetch_at as Date).getTime() / 60_000) * 60_000 + 60_000;
    const ticks = Array.from({ length: 6 }, (_, i) => new Date(firstMinute + i * 60_000 + (i % 2 ? 19_000 : 22_000)));
    const runsOfFeed = async () =>
      (
        await api.gqlOk<{ feed: { runs: { nodes: { id: string; trigger: string }[] } } }>(
          'query($id: ID!) { feed(id: $id) { runs(first: 50) { nodes { id trigger } } } }',
          { id: feedId },
          key,
        )
      ).feed.runs.nodes;
    for (const tick of ticks) {
      await scheduler.runDueFeeds(tick);
      // Each fetch ends before the next tick, as a small feed's does: a fetch still running skips its slot.
      for (const run of await runsOfFeed()) await waitForRun(api, key, run.id);
    }
    const runs = await runsOfFeed();
    expect(runs.map((r) => r.trigger)).toEqual(ticks.map(() => 'SCHEDULE'));
  });

  it('streams progress over a graphql-ws subscription until the run finishes', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/slow.csv` });
    const started = await api.gqlOk(FETCH_NOW, { id: feedId }, key);
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
    });
    const events: RunView[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ ingestionRunProgress: RunView }>(
          {
            query: `subscription($id: ID!) { ingestionRunProgress(runId: $id) { ${RUN_FIELDS} } }`,
            variables: { id: started.fetchFeedNow.run.id },
          },
          {
            next: (msg) =>
              msg.errors ? reject(new Error(JSON.stringify(msg.errors))) : events.push(msg.data!.ingestionRunProgress),
            error: reject,
            complete: resolve,
          },
        );
      });
    } finally {
      await client.dispose();
    }
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.status === 'RUNNING')).toBe(true);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 50 });
    const bytes = events.map((e) => Number(e.bytesRead));
    expect(bytes.filter((b, i) => i > 0 && b < bytes[i - 1] && events[i].phase === events[i - 1].phase)).toEqual([]);
  });

  it('refuses a subscription without a key', async () => {
    const client = createClient({ url: api.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { ingestionRunProgress(runId: "00000000-0000-4000-8000-000000000000") { id } }' },
          { next: (msg) => resolve(msg.errors), error: resolve, complete: () => resolve(null) },
        );
      });
      expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('cancels a running fetch without staging anything', async () => {
    const feedId = await createFeed(api, key, { source: 'URL', url: `${base}/slow.csv` });
    const started = await api.gqlOk(FETCH_NOW, { id: feedId }, key);
    const runId = started.fetchFeedNow.run.id;
    for (;;) {
      const r = await api.gqlOk(`query($id: ID!) { ingestionRun(id: $id) { status bytesRead } }`, { id: runId }, key);
      if (r.ingestionRun.status === 'RUNNING' && Number(r.ingestionRun.bytesRead) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cancel = 'mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { id status } userErrors { code } } }';
    await api.gqlOk(cancel, { id: runId }, key);
    const run = await waitForRun(api, key, runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.versionId).toBeNull();
    // Cancelling a finished run is an expected failure: a userError, and the run stays as it was.
    const again = await api.gql(cancel, { id: runId }, key);
    expect(again.errors).toBeUndefined();
    expect(again.data?.cancelRun).toEqual({ run: null, userErrors: [{ code: 'RUN_ALREADY_FINISHED' }] });
    expect((await waitForRun(api, key, runId)).status).toBe('CANCELLED');
  });
});
