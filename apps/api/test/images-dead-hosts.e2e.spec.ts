import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IMAGE_FETCH, RunImagesService } from '@brandshelf/ingestion';
import type { LookupAll } from '@brandshelf/net';
import { QueueService } from '@brandshelf/queue';
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

const RUN = `query($id: ID!) { ingestionRun(id: $id) { id status phase versionId imagesTotal imagesDone imagesFailed
  imagesSkipped itemsAccepted itemsRejected error { code message hint } } }`;
const ISSUES = `query($id: ID!, $after: String) { ingestionRun(id: $id) {
  issues(filter: { code: IMAGE_UNREACHABLE }, first: 100, after: $after) {
    nodes { itemId message } pageInfo { hasNextPage endCursor } } } }`;

/** Accepts connections and never answers: every request to it can only time out. Counts what it accepted. */
async function silentHost(): Promise<{ server: TcpServer; base: string; accepted: number; open: Set<Socket> }> {
  const open = new Set<Socket>();
  const state = { accepted: 0 };
  const server = createTcpServer((socket) => {
    state.accepted++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get accepted() {
      return state.accepted;
    },
    open,
  };
}

/** A loopback port nothing listens on: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('images on dead hosts, cancelled and stalled image phases', () => {
  let api: TestApi;
  let key: string;
  let good: { server: Server; base: string };
  let silent: Awaited<ReturnType<typeof silentHost>>;
  /** Names asked of the injected resolver: it knows none, so nothing is ever asked of a real one. */
  const lookups: string[] = [];
  const lookup: LookupAll = async (hostname) => {
    lookups.push(hostname);
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };

  const run = async (id: string) => (await api.gqlOk(RUN, { id }, key)).ingestionRun;
  const until = async (id: string, done: (r: any) => boolean) => {
    for (let i = 0; i < 600; i++) {
      const r = await run(id);
      if (done(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${id} never got there: ${JSON.stringify(await run(id))}`);
  };
  const unreachable = async (id: string) => {
    const nodes: { itemId: string; message: string }[] = [];
    let after: string | null = null;
    do {
      const page: any = (await api.gqlOk(ISSUES, { id, after }, key)).ingestionRun.issues;
      nodes.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  };
  const upload = async (feedId: string, body: string) => {
    const res = await uploadFeed(api, key, feedId, body);
    expect(res.status).toBe(202);
    return res.json.runId as string;
  };

  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    const server = createHttpServer((req, res) => {
      if (req.url?.startsWith('/ok')) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    good = { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    silent = await silentHost();
    api = await startTestApi(
      createApi,
      {
        IMAGES_ENABLED: 'true',
        SSRF_ALLOW_HOSTS: '127.0.0.1',
        HTTP_CONNECT_TIMEOUT_MS: '1000',
        // Long enough that a loaded machine never times out a loopback image by accident.
        HTTP_READ_TIMEOUT_MS: '2000',
      },
      { lookup },
    );
    key = (await registerBrand(api, 'Dead hosts')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    good?.server.closeAllConnections();
    good?.server.close();
    for (const socket of silent?.open ?? []) socket.destroy();
    silent?.server.close();
  });

  it('gives up a host that does not resolve, refuses or never answers, and fails its other images at once', async () => {
    const refused = `http://127.0.0.1:${await refusedPort()}`;
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => row(`DNS${i}`, `http://images.dead.test/p/${i}.jpg`)),
      ...Array.from({ length: 60 }, (_, i) => row(`REF${i}`, `${refused}/p/${i}.jpg`)),
      ...Array.from({ length: 40 }, (_, i) => row(`SIL${i}`, `${silent.base}/p/${i}.jpg`)),
      // Live images on the same address as the dead ports: a host is host:port, so these are not condemned.
      ...Array.from({ length: 4 }, (_, i) => row(`OK${i}`, `${good.base}/ok/${i}.jpg`)),
      row('GONE', `${good.base}/missing.jpg`),
    ];
    const feedId = await createFeed(api, key, { name: 'Dead hosts' });
    const runId = await upload(feedId, feed(rows));
    const done = await waitForRun(api, key, runId, 120_000);
    expect(done.status).toBe('SUCCEEDED');
    const counted = await run(runId);
    expect(counted).toMatchObject({ imagesTotal: 165, imagesDone: 4, imagesFailed: 161, itemsAccepted: 4 });

    // Bounded work against each dead host, not one attempt per image.
    expect(lookups.filter((name) => name === 'images.dead.test').length).toBeLessThanOrEqual(3);
    expect(silent.accepted).toBeLessThanOrEqual(8);

    const issues = await unreachable(runId);
    expect(issues).toHaveLength(161);
    const of = (prefix: string) => issues.filter((issue) => issue.itemId.startsWith(prefix));
    const givenUp = (prefix: string) => of(prefix).filter((issue) => /gave up on this host/.test(issue.message));
    // Every image of a dead host carries that host's failure, whether it was tried or not.
    expect(
      of('DNS').every((issue) => /DNS_FAILED: Could not resolve images\.dead\.test \(ENOTFOUND\)/.test(issue.message)),
    ).toBe(true);
    expect(of('REF').every((issue) => /ECONNREFUSED/.test(issue.message))).toBe(true);
    expect(of('SIL').every((issue) => /TIMEOUT: .*timed out/.test(issue.message))).toBe(true);
    expect(givenUp('DNS').length).toBeGreaterThanOrEqual(60 - 3);
    expect(givenUp('REF').length).toBeGreaterThanOrEqual(60 - 8);
    expect(givenUp('SIL').length).toBeGreaterThanOrEqual(40 - 8);
    // A 404 is an answer: the host is up and only that image fails.
    expect(of('GONE')[0].message).toMatch(/404/);
  }, 180_000);

  it('cancelRun ends a run in phase IMAGES at once, aborting its download and taking no further image', async () => {
    // Drips one byte at a time, so neither timeout ever fires: only cancelling can end these downloads.
    const drips = new Set<ReturnType<typeof setInterval>>();
    let requests = 0;
    let healed = false;
    const closed: string[] = [];
    const jpeg = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#aa3322' } })
      .jpeg()
      .toBuffer();
    const drip = createHttpServer((req, res) => {
      if (healed) return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      requests++;
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const timer = setInterval(() => res.write(Buffer.from([0xff])), 100);
      drips.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        closed.push(req.url!);
      });
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
    try {
      const feedId = await createFeed(api, key, { name: 'Cancelled' });
      const rows = Array.from({ length: 40 }, (_, i) => row(`C${i}`, `${base}/c/${i}.jpg`));
      const runId = await upload(feedId, feed(rows));
      await until(runId, (r) => r.phase === 'IMAGES');
      while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 20));

      const cancelled = await api.gqlOk(
        'mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { status phase } userErrors { code } } }',
        { id: runId },
        key,
      );
      expect(cancelled.cancelRun.run).toMatchObject({ status: 'CANCELLED', phase: 'DONE' });
      const after = await run(runId);
      expect(after).toMatchObject({ imagesTotal: 40, imagesDone: 0, versionId: null });
      expect(after.imagesSkipped).toBeGreaterThanOrEqual(40 - requests);
      // The downloads in flight were aborted: the server saw each of them hang up.
      while (closed.length < requests) await new Promise((resolve) => setTimeout(resolve, 20));
      const asked = requests;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(requests).toBe(asked); // no image was asked for after the cancel
      expect(requests).toBeLessThan(40);

      // The cancelled run left no version behind, so the same file again is a change and its images are fetched.
      healed = true;
      const again = await upload(feedId, feed(rows));
      const next = await waitForRun(api, key, again, 60_000);
      expect(next.status).toBe('SUCCEEDED');
      expect(await run(again)).toMatchObject({ imagesTotal: 40, imagesDone: 40, itemsAccepted: 40 });
    } finally {
      for (const timer of drips) clearInterval(timer);
      drip.closeAllConnections();
      drip.close();
    }
  }, 120_000);

  describe('when image jobs cannot finish (storage broken)', () => {
    const images = () => api.app.get(RunImagesService);
    const jobsOf = async (runId: string) =>
      (await api.runtime.dataSource.query(`SELECT id, state FROM pgboss.job WHERE name = $1 AND data->>'runId' = $2`, [
        IMAGE_FETCH.name,
        rawId(runId),
      ])) as { id: string; state: string }[];
    const startStuck = async (name: string) => {
      const feedId = await createFeed(api, key, { name });
      const runId = await upload(feedId, feed([row(`${name}1`, `${good.base}/ok/${name}.jpg`)]));
      // The first attempt fails on storage and waits to be retried.
      for (let i = 0; i < 600 && !(await jobsOf(runId)).some((job) => job.state === 'retry'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await jobsOf(runId)).map((job) => job.state)).toEqual(['retry']);
      return runId;
    };

    beforeAll(async () => {
      // A file where the image directory should be: every rendition write fails, as a full disk or a lost bucket would.
      const media = join(api.dataDir, 'media');
      await rm(join(media, 'img'), { recursive: true, force: true });
      await mkdir(media, { recursive: true });
      await writeFile(join(media, 'img'), 'not a directory');
    });

    it('the sweep leaves a run whose job is still queued, and fails one no job will ever finish as IMAGES_STALLED', async () => {
      const runId = await startStuck('Stalled');
      expect(await images().sweepStalled(0)).toBe(0); // its job is waiting for a retry: not stalled
      expect((await run(runId)).status).toBe('RUNNING');

      // The queue gives the job up, as after a worker died on the last attempt.
      for (const job of await jobsOf(runId)) await api.app.get(QueueService).cancel(IMAGE_FETCH, job.id);
      expect(await images().sweepStalled(0)).toBe(1);
      const failed = await run(runId);
      expect(failed).toMatchObject({ status: 'FAILED', phase: 'DONE', versionId: null, imagesTotal: 1, imagesDone: 0 });
      expect(failed.error.code).toBe('IMAGES_STALLED');
      expect(failed.error.message).toMatch(/1 of 1 images were never processed/);
      expect(failed.error.hint).toMatch(/Nothing from this run was published/);
    }, 120_000);

    it('a batch failing on its last attempt fails the run with INTERNAL_ERROR instead of leaving it in IMAGES', async () => {
      const runId = await startStuck('Exhausted');
      const [{ brand_id: brandId }] = await api.runtime.dataSource.query(
        'SELECT brand_id FROM ingestion_run WHERE id = $1',
        [rawId(runId)],
      );
      const imageIds = (
        await api.runtime.dataSource.query('SELECT image_id FROM run_image WHERE run_id = $1', [rawId(runId)])
      ).map((r: { image_id: string }) => r.image_id);
      await images().fetchBatch(
        { runId: rawId(runId), brandId, imageIds },
        { retryCount: IMAGE_FETCH.options.retryLimit },
      );
      const failed = await run(runId);
      expect(failed).toMatchObject({ status: 'FAILED', phase: 'DONE', versionId: null });
      expect(failed.error.code).toBe('INTERNAL_ERROR');
      expect(failed.error.message).toMatch(/Processing images failed on our side after 4 attempts/);
    }, 120_000);
  });
});
