/**
 * Scale-out (issue 10): the built API and 1, then 2, worker processes against one PostgreSQL and s3rver,
 * with a loopback image host. For each: ingest throughput (rows/s over several feeds uploaded at once, from
 * the first run's start to the last run staged) and image throughput (images/s over several runs' distinct
 * images, from the first image job's start to the last run done); then the ratio 2 workers / 1 worker, and
 * a check from the queue and the runs that no job ran twice (every job completed on its first attempt, every
 * run claimed once).
 *
 *   npm run bench:scale [-- --rows 100000 --images 96 --feeds 4 --max-seconds 900]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import {
  freePort,
  gqlHttp,
  rawId,
  spawnApp,
  startS3,
  startSlowImageHost,
  stopApp,
  waitForHealth,
  waitForWorker,
  type AppProcess,
} from '@brandshelf/testing';
import { createBenchDatabase } from './bench-database.js';

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  const value = inline ? inline.split('=')[1] : index !== -1 ? args[index + 1] : undefined;
  return value === undefined ? fallback : Number(value);
}

const ROWS = option('rows', 100_000);
const IMAGES = option('images', 96);
const FEEDS = option('feeds', 4);
const MAX_SECONDS = option('max-seconds', 900);
const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const started = Date.now();

function csv(prefix: string, rows: number, image: (i: number) => string): string {
  const lines = [HEADER];
  for (let i = 1; i <= rows; i++) {
    const id = `${prefix}-${i}`;
    lines.push(
      `${id},Scale product ${i},Made for the bench.,https://shop.example/${id},${image(i)},in stock,12.50 USD,Acme,M-${id}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > MAX_SECONDS * 1000) throw new Error(`bench:scale gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface PhaseResult {
  workers: number;
  rows: number;
  ingestSeconds: number;
  images: number;
  imageSeconds: number;
  jobs: number;
  retried: number;
  runsClaimedTwice: number;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('bs_bench_scale');
  const s3 = await startS3();
  // Distinct photo-like images (noise makes encoders work), 1200×1200.
  const images = await startSlowImageHost((n) =>
    sharp({
      create: {
        width: 1200,
        height: 1200,
        channels: 3,
        background: { r: n % 256, g: (n * 37) % 256, b: (n * 91) % 256 },
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'bs-bench-scale-'));
  const sql = new pg.Client({ connectionString: db.url });
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    RUN_WORKERS: 'false',
    SECRET_KEY: 'bench-scale-secret-key-of-32-characters-or-more',
    LOG_LEVEL: 'info', // the workers' "consuming jobs" line says when they are ready
    SSRF_ALLOW_HOSTS: '127.0.0.1',
    IMAGES_ENABLED: 'true',
    ...s3.env,
  };
  const processes: AppProcess[] = [];
  const results: PhaseResult[] = [];
  try {
    const api = spawnApp('api', env);
    processes.push(api);
    await waitForHealth(`${apiUrl}/health`, api);
    await sql.connect();
    let imageBase = 0;
    for (const workerCount of [1, 2]) {
      const workers: AppProcess[] = [];
      for (let i = 0; i < workerCount; i++) {
        const worker = spawnApp('worker', env);
        processes.push(worker);
        workers.push(worker);
      }
      for (const worker of workers) await waitForWorker(worker);
      const key = (
        await gqlHttp<{ registerBrand: { apiKey: string } }>(
          apiUrl,
          'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
          { input: { name: `Scale ${workerCount}`, email: `scale-${workerCount}-${Date.now()}@example.test` } },
        )
      ).registerBrand.apiKey;
      const feed = async (name: string) =>
        (
          await gqlHttp<{ createFeed: { feed: { id: string } } }>(
            apiUrl,
            'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
            { input: { name, source: 'UPLOAD', format: 'CSV' } },
            key,
          )
        ).createFeed.feed.id;
      const upload = async (feedId: string, body: string) => {
        const res = await fetch(`${apiUrl}/feeds/${feedId}/uploads`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
          body,
        });
        if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
        // The API answers global ids; the queue's jobs carry the raw run id.
        return rawId(((await res.json()) as { runId: string }).runId);
      };

      // Ingest: FEEDS feeds of ROWS/FEEDS rows, one shared image (processed once, so images cost nothing here).
      const perFeed = Math.ceil(ROWS / FEEDS);
      const ingestFeeds = await Promise.all(Array.from({ length: FEEDS }, (_, f) => feed(`ingest ${f}`)));
      const bodies = ingestFeeds.map((_, f) => csv(`w${workerCount}f${f}`, perFeed, () => `${images.base}/img/0.jpg`));
      const ingestRuns = await Promise.all(ingestFeeds.map((id, f) => upload(id, bodies[f])));
      const stagedAt = await until('the ingest runs staged', async () => {
        const { rows } = await sql.query(
          `SELECT count(*) FILTER (WHERE phase IN ('IMAGES', 'DONE'))::int AS staged,
                  count(*) FILTER (WHERE status IN ('FAILED', 'CANCELLED'))::int AS failed,
                  extract(epoch FROM now() - min(started_at))::float AS seconds
             FROM ingestion_run WHERE id = ANY($1::uuid[])`,
          [ingestRuns],
        );
        if (rows[0].failed) throw new Error('an ingest run failed');
        return rows[0].staged === ingestRuns.length ? rows[0].seconds : null;
      });
      await until('the ingest runs done', async () => {
        const { rows } = await sql.query(
          `SELECT count(*)::int AS n FROM ingestion_run WHERE id = ANY($1::uuid[]) AND status = 'SUCCEEDED'`,
          [ingestRuns],
        );
        return rows[0].n === ingestRuns.length;
      });

      // Images: FEEDS runs of small feeds whose IMAGES distinct images are new to this database.
      const perImageFeed = Math.ceil(IMAGES / FEEDS);
      const imageFeeds = await Promise.all(Array.from({ length: FEEDS }, (_, f) => feed(`images ${f}`)));
      const imageRuns: string[] = [];
      for (let f = 0; f < FEEDS; f++) {
        const first = imageBase + 1 + f * perImageFeed;
        imageRuns.push(
          await upload(
            imageFeeds[f],
            csv(`w${workerCount}i${f}`, perImageFeed, (i) => `${images.base}/img/${first + i - 1}.jpg`),
          ),
        );
      }
      imageBase += FEEDS * perImageFeed;
      await until('the image runs done', async () => {
        const { rows } = await sql.query(
          `SELECT count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS done,
                  count(*) FILTER (WHERE status IN ('FAILED', 'CANCELLED'))::int AS failed
             FROM ingestion_run WHERE id = ANY($1::uuid[])`,
          [imageRuns],
        );
        if (rows[0].failed) throw new Error('an image run failed');
        return rows[0].done === imageRuns.length;
      });
      // From the first image job's start to the last run's end, as the database recorded them.
      const { rows: timing } = await sql.query(
        `SELECT (SELECT sum(images_done)::int FROM ingestion_run WHERE id = ANY($1::uuid[])) AS images,
                extract(epoch FROM (SELECT max(finished_at) FROM ingestion_run WHERE id = ANY($1::uuid[])) -
                  (SELECT min(started_on) FROM (SELECT started_on FROM pgboss.job WHERE name = 'images.fetch'
                      AND data->>'runId' = ANY($2::text[])
                    UNION ALL SELECT started_on FROM pgboss.archive WHERE name = 'images.fetch'
                      AND data->>'runId' = ANY($2::text[])) j))::float AS seconds`,
        [imageRuns, imageRuns],
      );

      // No job twice: every job of these runs completed on its first attempt, every run claimed once.
      const allRuns = [...ingestRuns, ...imageRuns];
      const { rows: jobs } = await sql.query(
        `SELECT count(*)::int AS jobs, count(*) FILTER (WHERE retry_count > 0 OR state <> 'completed')::int AS retried
           FROM (SELECT state, retry_count FROM pgboss.job WHERE data->>'runId' = ANY($1::text[])
                 UNION ALL SELECT state, retry_count FROM pgboss.archive WHERE data->>'runId' = ANY($1::text[])) j`,
        [allRuns],
      );
      const { rows: claims } = await sql.query(
        `SELECT count(*) FILTER (WHERE attempt <> 1)::int AS twice, sum(rows_read)::int AS rows
           FROM ingestion_run WHERE id = ANY($1::uuid[])`,
        [ingestRuns],
      );
      results.push({
        workers: workerCount,
        rows: claims[0].rows,
        ingestSeconds: stagedAt,
        images: timing[0].images,
        imageSeconds: timing[0].seconds,
        jobs: jobs[0].jobs,
        retried: jobs[0].retried,
        runsClaimedTwice: claims[0].twice,
      });
      const r = results.at(-1)!;
      console.log(
        `${workerCount} worker(s): ingest ${r.rows} rows in ${r.ingestSeconds.toFixed(1)} s = ` +
          `${Math.round(r.rows / r.ingestSeconds)} rows/s; images ${r.images} in ${r.imageSeconds.toFixed(1)} s = ` +
          `${(r.images / r.imageSeconds).toFixed(2)} images/s; jobs ${r.jobs}, retried or not completed ${r.retried}, ` +
          `runs claimed more than once ${r.runsClaimedTwice}`,
      );
      for (const worker of workers) await stopApp(worker);
    }
    const [one, two] = results;
    const ingestRatio = two.rows / two.ingestSeconds / (one.rows / one.ingestSeconds);
    const imageRatio = two.images / two.imageSeconds / (one.images / one.imageSeconds);
    console.log(
      `ratio 2w/1w: ingest ${ingestRatio.toFixed(2)}, images ${imageRatio.toFixed(2)} ` +
        `(this machine: ${(await import('node:os')).availableParallelism()} cores shared by the API, the workers, ` +
        'PostgreSQL, s3rver and the image host)',
    );
    const twice = results.reduce((n, r) => n + r.retried + r.runsClaimedTwice, 0);
    console.log(twice === 0 ? 'no job ran twice' : `JOBS RAN TWICE: ${twice}`);
    if (twice) process.exitCode = 1;
  } finally {
    for (const p of processes.reverse()) await stopApp(p).catch(() => undefined);
    await sql.end().catch(() => undefined);
    await images.close();
    await s3.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
