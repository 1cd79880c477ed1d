import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LookupAll } from '@brandshelf/net';
import {
  createFeed,
  oneImageFeed,
  registerBrand,
  startTestApi,
  uploadFeed,
  waitForRun,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/** One valid item per row with the given main image (the feed builder is shared with the other image tests). */
const row = (id: string, image: string) => ({ id, image });
const feed = (rows: { id: string; image: string }[]) => oneImageFeed(rows);

const RUN = `query($id: ID!) { ingestionRun(id: $id) { id status phase imagesTotal imagesDone imagesFailed
  imagesSkipped itemsAccepted error { code } } }`;
const ISSUES = `query($id: ID!) { ingestionRun(id: $id) {
  issues(filter: { code: IMAGE_UNREACHABLE }, first: 100) { nodes { itemId message } } } }`;

/** The feeds' only names are shop.example links, never fetched; the resolver knows no name at all. */
const noNames: LookupAll = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

interface LoopbackHost {
  base: string;
  /** Requests received, in order, by path. */
  requests: string[];
  /** Responses not yet closed. */
  open: number;
  /** Most responses open at once. */
  peak: number;
  close(): Promise<void>;
}

/** An image host on loopback; `answer` gets the request's index and decides what to send. */
async function loopbackHost(answer: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const state = { open: 0, peak: 0 };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const index = requests.push(req.url!) - 1;
    state.open++;
    state.peak = Math.max(state.peak, state.open);
    res.on('close', () => state.open--);
    answer(req, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host: LoopbackHost = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get open() {
      return state.open;
    },
    get peak() {
      return state.peak;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return host;
}

/** Answers 200 at once, then sends one byte every `everyMs`: always within the read timeout, never finished. */
function slowLoris(everyMs: number) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    const timer = setInterval(() => res.write(Buffer.from([0xff])), everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

const until = async (what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

let jpeg: Buffer;
beforeAll(async () => {
  jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#3366aa' } })
    .jpeg()
    .toBuffer();
});

describe('image downloads have a total deadline', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(
      createApi,
      {
        IMAGES_ENABLED: 'true',
        SSRF_ALLOW_HOSTS: '127.0.0.1',
        // Each byte of the slow host comes well within the idle timeout: only the deadline ends its downloads.
        HTTP_READ_TIMEOUT_MS: '5000',
        IMAGE_FETCH_DEADLINE_SECONDS: '1',
      },
      { lookup: noNames },
    );
    key = (await registerBrand(api, 'Deadline')).apiKey;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('fails an image whose host answers 200 and trickles, frees its slot, and gives the host up', async () => {
    const loris = await loopbackHost(slowLoris(100));
    const good = await loopbackHost((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    try {
      const rows = [
        ...Array.from({ length: 6 }, (_, i) => row(`SLOW${i}`, `${loris.base}/s/${i}.jpg`)),
        row('FAST', `${good.base}/f.jpg`),
      ];
      const res = await uploadFeed(api, key, await createFeed(api, key, { name: 'Trickle' }), feed(rows));
      expect(res.status).toBe(202);
      const done = await waitForRun(api, key, res.json.runId, 120_000);
      expect(done.status).toBe('SUCCEEDED');
      const run = (await api.gqlOk(RUN, { id: res.json.runId }, key)).ingestionRun;
      expect(run).toMatchObject({ imagesTotal: 7, imagesDone: 1, imagesFailed: 6, itemsAccepted: 1 });
      const issues: { itemId: string; message: string }[] = (await api.gqlOk(ISSUES, { id: res.json.runId }, key))
        .ingestionRun.issues.nodes;
      expect(issues).toHaveLength(6);
      expect(issues.every((issue) => /within (its|the) 1 s deadline/.test(issue.message))).toBe(true);
      // Three deadlines in a row condemn the host like three timeouts: the rest are not tried.
      expect(loris.requests.length).toBeLessThanOrEqual(3);
      expect(issues.filter((issue) => /gave up on this host/.test(issue.message)).length).toBeGreaterThanOrEqual(3);
      // Every trickled download was hung up on, none left holding a connection.
      await until('slow downloads closed', () => loris.open === 0);
    } finally {
      await loris.close();
      await good.close();
    }
  }, 180_000);
});

describe('image slots are shared fairly between brands', () => {
  let api: TestApi;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    api = await startTestApi(
      createApi,
      {
        IMAGES_ENABLED: 'true',
        SSRF_ALLOW_HOSTS: '127.0.0.1',
        IMAGE_CONCURRENCY: '2',
        // Generous, so that a loaded machine (PGlite shares the event loop) never times A's downloads out.
        HTTP_CONNECT_TIMEOUT_MS: '60000',
        HTTP_READ_TIMEOUT_MS: '60000',
        // Long enough that brand A's slow downloads stay stuck for the whole test.
        IMAGE_FETCH_DEADLINE_SECONDS: '600',
      },
      { lookup: noNames },
    );
    keyA = (await registerBrand(api, 'Slow CDN')).apiKey;
    keyB = (await registerBrand(api, 'Fast CDN')).apiKey;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it("finishes brand B's images while brand A's slow host holds A's downloads", async () => {
    const loris = await loopbackHost(slowLoris(200));
    const fast = await loopbackHost((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    try {
      const rowsA = Array.from({ length: 24 }, (_, i) => row(`A${i}`, `${loris.base}/a/${i}.jpg`));
      const feedA = await createFeed(api, keyA, { name: 'Slow' });
      const runA = (await uploadFeed(api, keyA, feedA, feed(rowsA))).json.runId as string;
      await until('A downloading', () => loris.open > 0);

      const rowsB = Array.from({ length: 20 }, (_, i) => row(`B${i}`, `${fast.base}/b/${i}.jpg`));
      const feedB = await createFeed(api, keyB, { name: 'Fast' });
      const runB = (await uploadFeed(api, keyB, feedB, feed(rowsB))).json.runId as string;
      const doneB = await waitForRun(api, keyB, runB, 240_000);
      expect(doneB.status).toBe('SUCCEEDED');
      expect((await api.gqlOk(RUN, { id: runB }, keyB)).ingestionRun).toMatchObject({
        imagesTotal: 20,
        imagesDone: 20,
        itemsAccepted: 20,
      });

      // A is still stuck: in IMAGES, with a download open and nothing finished.
      const stuck = (await api.gqlOk(RUN, { id: runA }, keyA)).ingestionRun;
      expect(stuck).toMatchObject({ status: 'RUNNING', phase: 'IMAGES', imagesDone: 0, imagesFailed: 0 });
      expect(loris.open).toBeGreaterThan(0);
      // With two image slots, one brand never had both.
      expect(loris.peak).toBe(1);

      const cancelled = await api.gqlOk(
        'mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { status } userErrors { code } } }',
        { id: runA },
        keyA,
      );
      expect(cancelled.cancelRun.run.status).toBe('CANCELLED');
      await until('A hung up', () => loris.open === 0);
    } finally {
      await loris.close();
      await fast.close();
    }
  }, 300_000);

  it('counts each image as it ends, and a run cancelled elsewhere takes no further image', async () => {
    let release: (() => void) | null = null;
    // First image missing, second served, every later one held until released.
    const host = await loopbackHost((_req, res, index) => {
      if (index === 0) return res.writeHead(404).end();
      if (index === 1) return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      release = () => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    });
    try {
      const rows = Array.from({ length: 8 }, (_, i) => row(`C${i}`, `${host.base}/c/${i}.jpg`));
      const feedId = await createFeed(api, keyA, { name: 'Counted' });
      const runId = (await uploadFeed(api, keyA, feedId, feed(rows))).json.runId as string;
      const run = async () => (await api.gqlOk(RUN, { id: runId }, keyA)).ingestionRun;
      // All eight are one batch: the third request is held while that batch is unfinished.
      await until('third image requested', () => host.requests.length === 3);
      expect(await run()).toMatchObject({ status: 'RUNNING', imagesTotal: 8, imagesDone: 1, imagesFailed: 1 });

      // A cancel recorded by another process cannot abort this one's download: the job must notice it between images.
      await api.runtime.dataSource.query('UPDATE ingestion_run SET cancel_requested = true WHERE id = $1', [
        rawId(runId),
      ]);
      release!();
      await until('run ended', async () => (await run()).status !== 'RUNNING');
      const ended = await run();
      expect(ended).toMatchObject({ status: 'CANCELLED', imagesDone: 2, imagesFailed: 1, imagesSkipped: 5 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(host.requests).toHaveLength(3);
    } finally {
      await host.close();
    }
  }, 120_000);
});
