import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  buildDist,
  createTestDatabase,
  freePort,
  gqlHttp,
  pidOwningLocalPort,
  pollUntil,
  spawnApp,
  startSlowImageHost,
  startS3,
  stopApp,
  testServerUrl,
  waitForHealth,
  waitForWorker,
  type AppProcess,
  type SlowImageHost,
  type S3Server,
  type TestDatabase,
  rawId,
} from '@brandshelf/testing';

/**
 * Issue 10, "Crash": kill -9 of a worker mid-ingest, mid-images and mid-publish, with the built API and two
 * built worker processes on the real PostgreSQL and s3rver. Each time: the job is picked up again by the
 * surviving worker (JOB_LEASE_SECONDS is short here, so a dead worker's job expires in seconds), the run
 * completes with exact counts, nothing is lost or duplicated, and the previous version stays live (public
 * search answers it) until the new one is published. Every moment is found in the database, never by sleeping.
 */
const server = testServerUrl();
if (!server) {
  console.warn('test/crash: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the kill -9 crash tests');
}
const suite = server ? describe : describe.skip;

const LEASE_SECONDS = 8;
const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';

function feedCsv(word: string, count: number, image: (i: number) => string): string {
  const lines = [HEADER];
  for (let i = 1; i <= count; i++) {
    const id = `${word}-${i}`;
    lines.push(
      `${id},${word} product ${i},A ${word} thing.,https://shop.example/${id},${image(i)},in stock,10.00 USD,Acme,M-${id}`,
    );
  }
  return lines.join('\n') + '\n';
}

const RUN = `query($id: ID!) { ingestionRun(id: $id) { id status phase attempt rowsRead itemsAccepted itemsRejected
  imagesTotal imagesDone imagesFailed imagesSkipped publishStatus versionId error { code message } } }`;

interface Run {
  id: string;
  status: string;
  phase: string;
  attempt: number;
  rowsRead: number;
  itemsAccepted: number;
  itemsRejected: number;
  imagesTotal: number;
  imagesDone: number;
  imagesFailed: number;
  imagesSkipped: number;
  publishStatus: string;
  versionId: string | null;
  error: { code: string; message: string } | null;
}

suite(
  'crash: kill -9 of a worker mid-ingest, mid-images and mid-publish (built API + 2 workers, PostgreSQL, s3rver)',
  () => {
    let db: TestDatabase;
    let s3: S3Server;
    let images: SlowImageHost;
    let dataDir: string;
    let sql: pg.Client;
    let api: AppProcess;
    let apiUrl: string;
    let env: Record<string, string>;
    const workers: AppProcess[] = [];
    let key: string;
    let feedId: string;

    const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, auth = true) =>
      gqlHttp<T>(apiUrl, query, variables, auth ? key : undefined);
    const run = async (id: string): Promise<Run> => (await gql<{ ingestionRun: Run }>(RUN, { id })).ingestionRun;
    const logs = () => [api, ...workers].map((p) => `--- ${p.role} ${p.pid}\n${p.output().slice(-3000)}`).join('\n');

    const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs?: number) =>
      pollUntil(what, probe, logs, timeoutMs);

    async function startWorker(): Promise<AppProcess> {
      const worker = spawnApp('worker', env);
      workers.push(worker);
      await waitForWorker(worker);
      return worker;
    }

    const liveWorkers = () => workers.filter((w) => w.alive());

    async function kill(pid: number): Promise<AppProcess> {
      const worker = liveWorkers().find((w) => w.pid === pid);
      if (!worker) throw new Error(`pid ${pid} is not one of the live workers ${liveWorkers().map((w) => w.pid)}`);
      worker.child.kill('SIGKILL');
      await worker.exited;
      return worker;
    }

    async function upload(csv: string): Promise<string> {
      const res = await fetch(`${apiUrl}/feeds/${feedId}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: csv,
      });
      const body = (await res.json()) as { runId: string };
      expect(res.status).toBe(202);
      return body.runId;
    }

    const published = (runId: string) =>
      until(`run ${runId} published`, async () => {
        const r = await run(runId);
        if (r.status === 'FAILED' || r.status === 'CANCELLED')
          throw new Error(`run ended ${r.status}: ${JSON.stringify(r)}`);
        return r.publishStatus === 'PUBLISHED' ? r : null;
      });

    /** What public search (no key) finds for a word: exact for the small counts asked here. */
    async function searchCount(word: string): Promise<number> {
      const data = await gql<{ products: { totalCount: number } }>(
        'query($q: String!) { products(query: $q, first: 1) { totalCount } }',
        { q: word },
        false,
      );
      return data.products.totalCount;
    }

    const liveCount = async () =>
      Number(
        (await sql.query('SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1', [rawId(feedId)])).rows[0]
          .n,
      );

    /** The queue's record of a run's jobs (pg-boss keeps one row per job id; retries reuse it). */
    async function jobsOf(runId: string): Promise<{ name: string; state: string; retry_count: number }[]> {
      const { rows } = await sql.query(
        `SELECT name, state, retry_count FROM pgboss.job WHERE data->>'runId' = $1
       UNION ALL SELECT name, state, retry_count FROM pgboss.archive WHERE data->>'runId' = $1`,
        [rawId(runId)],
      );
      return rows;
    }

    /** What a finished, published run must leave, exactly once: its version, its items, its publication. */
    async function expectExactlyOnce(runId: string, items: number): Promise<void> {
      const r = await run(runId);
      expect(r).toMatchObject({
        status: 'SUCCEEDED',
        publishStatus: 'PUBLISHED',
        rowsRead: items,
        itemsAccepted: items,
      });
      expect(r.itemsRejected).toBe(0);
      const versions = await sql.query('SELECT id FROM catalog_version WHERE run_id = $1', [rawId(runId)]);
      expect(versions.rows).toHaveLength(1);
      expect(versions.rows[0].id).toBe(rawId(r.versionId!));
      const staged = await sql.query(
        'SELECT count(*)::int AS n, count(DISTINCT offer_id)::int AS distinct FROM version_item WHERE version_id = $1',
        [rawId(r.versionId!)],
      );
      expect(staged.rows[0]).toEqual({ n: items, distinct: items });
      const live = await sql.query(
        'SELECT count(*)::int AS n, count(DISTINCT offer_id)::int AS distinct FROM catalog_product WHERE feed_id = $1',
        [rawId(feedId)],
      );
      expect(live.rows[0]).toEqual({ n: items, distinct: items });
      const publications = await sql.query('SELECT count(*)::int AS n FROM publication WHERE run_id = $1', [
        rawId(runId),
      ]);
      expect(publications.rows[0].n).toBe(1);
      const feed = await sql.query('SELECT live_version_id FROM feed WHERE id = $1', [rawId(feedId)]);
      expect(feed.rows[0].live_version_id).toBe(rawId(r.versionId!));
      const issues = await sql.query('SELECT count(*)::int AS n FROM run_issue WHERE run_id = $1', [rawId(runId)]);
      expect(issues.rows[0].n).toBe(0);
      const jobs = await jobsOf(runId);
      expect(jobs.filter((j) => j.state !== 'completed')).toEqual([]);
      expect(jobs.filter((j) => j.name === 'ingestion.run')).toHaveLength(1);
      expect(jobs.filter((j) => j.name === 'catalog.run-staged')).toHaveLength(1);
    }

    beforeAll(async () => {
      buildDist();
      db = await createTestDatabase();
      s3 = await startS3();
      images = await startSlowImageHost((n) =>
        sharp({
          create: { width: 640, height: 640, channels: 3, background: { r: n % 256, g: (n * 7) % 256, b: 90 } },
        })
          .jpeg()
          .toBuffer(),
      );
      dataDir = await mkdtemp(join(tmpdir(), 'bs-crash-'));
      sql = new pg.Client({ connectionString: db.url });
      await sql.connect();
      const port = await freePort();
      apiUrl = `http://127.0.0.1:${port}`;
      env = {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        RUN_WORKERS: 'false',
        SECRET_KEY: 'crash-test-secret-key-of-32-characters-or-more',
        LOG_LEVEL: 'info', // the workers' "consuming jobs" line says when they are ready
        SSRF_ALLOW_HOSTS: '127.0.0.1',
        IMAGES_ENABLED: 'true',
        JOB_LEASE_SECONDS: String(LEASE_SECONDS),
        ...s3.env,
      };
      api = spawnApp('api', env);
      await waitForHealth(`${apiUrl}/health`, api);
      await startWorker();
      await startWorker();
      const email = `crash-${Date.now()}@example.test`;
      key = (
        await gql<{ registerBrand: { apiKey: string } }>(
          'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
          { input: { name: 'Crash Outdoor', email } },
          false,
        )
      ).registerBrand.apiKey;
      feedId = (
        await gql<{ createFeed: { feed: { id: string } } }>(
          'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
          { input: { name: 'Main', source: 'UPLOAD', format: 'CSV', autoPublish: true, maxRemovalShare: 1 } },
        )
      ).createFeed.feed.id;
      // The version every later one replaces, published before anything is killed.
      const first = await upload(feedCsv('alpha', 300, (i) => `${images.base}/img/${i % 4}.jpg`));
      await published(first);
      expect(await searchCount('alpha')).toBe(300);
    }, 300_000);

    // Each case starts with the API and two live workers, whatever an earlier case left.
    beforeEach(async () => {
      while (liveWorkers().length < 2) await startWorker();
    }, 300_000);

    afterAll(async () => {
      for (const worker of workers) await stopApp(worker).catch(() => undefined);
      if (api) await stopApp(api).catch(() => undefined);
      await sql?.end().catch(() => undefined);
      await images?.close();
      await s3?.close();
      await db?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 120_000);

    it('mid-ingest: the run is read again from the start by the surviving worker, staged and published once', async () => {
      const rows = 80_000;
      const runId = await upload(feedCsv('bravo', rows, (i) => `${images.base}/img/${i % 4}.jpg`));
      // The moment: rows are being read and staged (progress in the database) by a worker's COPY.
      const holder = await until('a worker staging the run', async () => {
        const { rows: progress } = await sql.query('SELECT phase, rows_read FROM ingestion_run WHERE id = $1', [
          rawId(runId),
        ]);
        if (progress[0].phase !== 'READING' || progress[0].rows_read === 0) return null;
        const { rows: copying } = await sql.query(
          `SELECT application_name FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'brandshelf:%' AND state = 'active'
            AND query ILIKE 'COPY %'`,
        );
        return copying.length ? Number(copying[0].application_name.split(':')[1]) : null;
      });
      await kill(holder);
      const atKill = await sql.query('SELECT phase, rows_read FROM ingestion_run WHERE id = $1', [rawId(runId)]);
      expect(atKill.rows[0].phase).toBe('READING');
      expect(atKill.rows[0].rows_read).toBeLessThan(rows);

      // The previous version answers while the run is redone.
      expect(await searchCount('alpha')).toBe(300);
      expect(await searchCount('bravo')).toBe(0);
      expect(await liveCount()).toBe(300);

      const done = await published(runId);
      expect(done.attempt).toBe(2);
      // The job ends completed, though not always by the time the run is published: a lease renewal late on a
      // loaded machine can let the job expire while the survivor still runs it, and the job's next attempt finds the
      // run done and completes (seen once in a full CI run: state 'retry' at the moment of publishing).
      const ingestJobs = await until('the ingest job completed', async () => {
        const jobs = (await jobsOf(runId)).filter((j) => j.name === 'ingestion.run');
        return jobs.length !== 1 || jobs[0].state === 'completed' ? jobs : null;
      });
      expect(ingestJobs).toHaveLength(1);
      expect(ingestJobs[0]).toMatchObject({ name: 'ingestion.run', state: 'completed' });
      expect(ingestJobs[0].retry_count).toBeGreaterThanOrEqual(1); // expired with its worker, then retried
      await expectExactlyOnce(runId, rows);
      expect(await searchCount('alpha')).toBe(0);
    }, 600_000);

    it('mid-images: the killed batch is fetched again by the surviving worker; every image processed once', async () => {
      const urls = 48;
      images.setDelay(1200);
      const runId = await upload(feedCsv('charlie', 240, (i) => `${images.base}/img/${100 + (i % urls)}.jpg`));
      const port = await until('an image being fetched', async () => {
        const { rows } = await sql.query('SELECT phase, images_done FROM ingestion_run WHERE id = $1', [rawId(runId)]);
        if (rows[0].phase !== 'IMAGES' || rows[0].images_done < 4) return null;
        return images.inFlight()[0];
      });
      const holder = await until('the worker fetching it', () =>
        pidOwningLocalPort(
          port,
          liveWorkers().map((w) => w.pid),
        ),
      );
      await kill(holder);
      images.setDelay(100);
      const atKill = await run(runId);
      expect(atKill.phase).toBe('IMAGES');
      expect(atKill.imagesDone).toBeLessThan(urls);

      expect(await searchCount('bravo')).toBeGreaterThan(0);
      expect(await searchCount('charlie')).toBe(0);
      expect(await liveCount()).toBe(80_000);

      const done = await published(runId);
      expect(done).toMatchObject({ imagesTotal: urls, imagesDone: urls, imagesFailed: 0, imagesSkipped: 0 });
      await expectExactlyOnce(runId, 240);
      const batches = (await jobsOf(runId)).filter((j) => j.name === 'images.fetch');
      expect(batches).toHaveLength(urls / 8);
      expect(batches.some((b) => b.retry_count >= 1)).toBe(true); // the killed one, picked up again
      const { rows: processed } = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT sha256)::int AS distinct,
              count(*) FILTER (WHERE jsonb_array_length(renditions) > 0)::int AS with_renditions
         FROM image_source WHERE url LIKE $1 AND status = 'PROCESSED'`,
        [`${images.base}/img/1__.jpg`],
      );
      expect(processed[0]).toEqual({ n: urls, distinct: urls, with_renditions: urls });
      const runImages = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT image_id)::int AS distinct FROM run_image WHERE run_id = $1`,
        [rawId(runId)],
      );
      expect(runImages.rows[0]).toEqual({ n: urls, distinct: urls });
      expect(await searchCount('charlie')).toBe(240);
    }, 600_000);

    it('mid-publish: the dead worker publishes nothing, the previous version stays live, the survivor publishes once', async () => {
      const blocker = new pg.Client({ connectionString: db.url });
      await blocker.connect();
      try {
        // Writes to the live catalog wait behind this lock (reads go on), so the publish is held half-way.
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE catalog_product IN SHARE MODE');
        const runId = await upload(feedCsv('delta', 200, (i) => `${images.base}/img/${100 + (i % 48)}.jpg`));
        const holder = await until('a worker publishing (waiting for the catalog lock)', async () => {
          // Waiting for the table lock itself: image jobs also wait for each other's row locks now and then.
          const { rows } = await sql.query(
            `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE NOT l.granted AND l.locktype = 'relation' AND l.relation = 'catalog_product'::regclass
                AND a.application_name LIKE 'brandshelf:%'`,
          );
          return rows.length ? Number(rows[0].application_name.split(':')[1]) : null;
        });
        await kill(holder);
        const held = (await jobsOf(runId)).filter((j) => j.name === 'catalog.run-staged');
        expect(held).toEqual([expect.objectContaining({ state: 'active', retry_count: 0 })]); // the dead worker's
        expect((await run(runId)).publishStatus).toBe('NOT_PUBLISHED');
        expect(await searchCount('charlie')).toBe(240);
        expect(await searchCount('delta')).toBe(0);
        await blocker.query('COMMIT');

        const done = await published(runId);
        expect(done.attempt).toBe(1);
        await expectExactlyOnce(runId, 200);
        const publishJobs = (await jobsOf(runId)).filter((j) => j.name === 'catalog.run-staged');
        expect(publishJobs[0].retry_count).toBeGreaterThanOrEqual(1);
        expect(await searchCount('delta')).toBe(200);
        expect(await searchCount('charlie')).toBe(0);
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
    }, 600_000);
  },
);
