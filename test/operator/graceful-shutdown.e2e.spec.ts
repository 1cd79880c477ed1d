import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildDist,
  createTestDatabase,
  freePort,
  gqlHttp,
  rawId,
  spawnApp,
  startS3,
  stopApp,
  testServerUrl,
  waitForHealth,
  waitForWorker,
  type AppProcess,
  type S3Server,
  type TestDatabase,
} from '@brandshelf/testing';

/**
 * SIGTERM (a deploy, `docker stop`, Ctrl-C) to a worker in the middle of an ingestion: "SHUTDOWN_TIMEOUT_MS: how
 * long shutdown waits for in-flight requests and jobs". The worker stops taking jobs, finishes the run it holds
 * (the timeout here is far longer than the run), and exits 0; the run is done once, by that worker, and the next
 * worker publishes it. Built processes on the real PostgreSQL and s3rver.
 */
const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the graceful shutdown test');
}
const suite = server ? describe : describe.skip;

const ROWS = 80_000;

function feedCsv(count: number): string {
  const lines = ['id,title,description,link,image_link,availability,price,brand,mpn'];
  for (let i = 1; i <= count; i++) {
    lines.push(
      `term-${i},Term product ${i},A term thing.,https://shop.example/term-${i},https://shop.example/${i}.jpg,in stock,10.00 USD,Acme,M-${i}`,
    );
  }
  return lines.join('\n') + '\n';
}

suite('operator: SIGTERM to a worker mid-ingest (built API + worker, PostgreSQL, s3rver)', () => {
  let db: TestDatabase;
  let s3: S3Server;
  let dataDir: string;
  let sql: pg.Client;
  let env: Record<string, string>;
  let apiUrl: string;
  const apps: AppProcess[] = [];
  const logs = () => apps.map((p) => `--- ${p.role} ${p.pid}\n${p.output().slice(-3000)}`).join('\n');

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 240_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    buildDist();
    db = await createTestDatabase();
    s3 = await startS3();
    dataDir = await mkdtemp(join(tmpdir(), 'bs-term-'));
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
      SECRET_KEY: 'term-test-secret-key-of-32-characters-or-more',
      LOG_LEVEL: 'info',
      IMAGES_ENABLED: 'false',
      SHUTDOWN_TIMEOUT_MS: '600000', // far beyond the run: the worker must finish it, not hand it back
      ...s3.env,
    };
    const api = spawnApp('api', env);
    apps.push(api);
    await waitForHealth(`${apiUrl}/health`, api);
  }, 300_000);

  afterAll(async () => {
    for (const app of apps) await stopApp(app).catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await s3?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('the stopping worker finishes the run it holds and exits 0; the run is done once', async () => {
    const worker = spawnApp('worker', env);
    apps.push(worker);
    await waitForWorker(worker);
    const key = (
      await gqlHttp<{ registerBrand: { apiKey: string } }>(
        apiUrl,
        'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
        { input: { name: 'Term Outdoor', email: `term-${Date.now()}@example.test` } },
      )
    ).registerBrand.apiKey;
    const feedId = (
      await gqlHttp<{ createFeed: { feed: { id: string } } }>(
        apiUrl,
        'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
        { input: { name: 'Main', source: 'UPLOAD', format: 'CSV', autoPublish: true } },
        key,
      )
    ).createFeed.feed.id;
    const res = await fetch(`${apiUrl}/feeds/${feedId}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: feedCsv(ROWS),
    });
    expect(res.status).toBe(202);
    const runId = rawId(((await res.json()) as { runId: string }).runId);

    // The moment: the worker is reading and staging rows.
    await until('the worker staging the run', async () => {
      const { rows } = await sql.query('SELECT phase, rows_read FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].phase === 'READING' && rows[0].rows_read > 0 && rows[0].rows_read < ROWS;
    });
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;

    expect(worker.output()).not.toContain('ingestion run crashed');
    expect(exit).toBe(0);
    const { rows: done } = await sql.query(
      'SELECT status, attempt, rows_read, items_accepted, error_code FROM ingestion_run WHERE id = $1',
      [runId],
    );
    expect(done[0]).toEqual({
      status: 'SUCCEEDED',
      attempt: 1,
      rows_read: ROWS,
      items_accepted: ROWS,
      error_code: null,
    });
    const { rows: jobs } = await sql.query(
      `SELECT state, retry_count FROM pgboss.job WHERE name = 'ingestion.run' AND data->>'runId' = $1`,
      [runId],
    );
    expect(jobs).toEqual([{ state: 'completed', retry_count: 0 }]);

    // The next worker takes the auto-publish the stopping one left queued.
    const next = spawnApp('worker', env);
    apps.push(next);
    await waitForWorker(next);
    await until('the run published', async () => {
      const { rows } = await sql.query('SELECT publish_status FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].publish_status === 'PUBLISHED';
    });
    const { rows: live } = await sql.query('SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    expect(live[0].n).toBe(ROWS);
  }, 600_000);
});
