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
 * A worker's database connection dropped in the middle of a run (a failover, a proxy's cut, an operator's
 * pg_terminate_backend; here the last, on the backend running the run's COPY). The worker must live on, the run
 * be tried again and published once. Built processes on the real PostgreSQL and s3rver.
 */
const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the dropped connection test');
}
const suite = server ? describe : describe.skip;

const ROWS = 80_000;

function feedCsv(count: number): string {
  const lines = ['id,title,description,link,image_link,availability,price,brand,mpn'];
  for (let i = 1; i <= count; i++) {
    lines.push(
      `drop-${i},Drop product ${i},A drop thing.,https://shop.example/drop-${i},https://shop.example/${i}.jpg,in stock,10.00 USD,Acme,M-${i}`,
    );
  }
  return lines.join('\n') + '\n';
}

suite('operator: a worker whose connection is terminated mid-COPY (built API + worker, PostgreSQL, s3rver)', () => {
  let db: TestDatabase;
  let s3: S3Server;
  let dataDir: string;
  let sql: pg.Client;
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
    dataDir = await mkdtemp(join(tmpdir(), 'bs-drop-'));
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) await stopApp(app).catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await s3?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('the worker lives on, and the run is tried again and published once', async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      RUN_WORKERS: 'false',
      SECRET_KEY: 'drop-test-secret-key-of-32-characters-or-more',
      LOG_LEVEL: 'info',
      IMAGES_ENABLED: 'false',
      ...s3.env,
    };
    const api = spawnApp('api', env);
    apps.push(api);
    await waitForHealth(`${apiUrl}/health`, api);
    const worker = spawnApp('worker', env);
    apps.push(worker);
    await waitForWorker(worker);

    const key = (
      await gqlHttp<{ registerBrand: { apiKey: string } }>(
        apiUrl,
        'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
        { input: { name: 'Drop Outdoor', email: `drop-${Date.now()}@example.test` } },
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

    // The worker's backend running the run's COPY, found in the database.
    const backend = await until('the worker staging the run by COPY', async () => {
      const { rows } = await sql.query(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND state = 'active' AND query ILIKE 'COPY %'`,
        [`brandshelf:${worker.pid}`],
      );
      return rows[0]?.pid as number | undefined;
    });
    const { rows: terminated } = await sql.query('SELECT pg_terminate_backend($1) AS ok', [backend]);
    expect(terminated[0].ok).toBe(true);

    // Either the run is taken up again or the worker is gone: then it died of the dropped connection.
    await until('a second attempt, or the worker gone', async () => {
      if (!worker.alive()) return true;
      const { rows } = await sql.query('SELECT attempt FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].attempt >= 2;
    });
    expect(worker.alive()).toBe(true);
    await until('the run published', async () => {
      const { rows } = await sql.query('SELECT status, publish_status FROM ingestion_run WHERE id = $1', [runId]);
      if (rows[0].status === 'FAILED') throw new Error(`run failed\n${logs()}`);
      return rows[0].publish_status === 'PUBLISHED';
    });
    expect(worker.alive()).toBe(true);
    const { rows: done } = await sql.query(
      'SELECT status, attempt, rows_read, items_accepted FROM ingestion_run WHERE id = $1',
      [runId],
    );
    expect(done[0]).toEqual({ status: 'SUCCEEDED', attempt: 2, rows_read: ROWS, items_accepted: ROWS });
    const { rows: live } = await sql.query('SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    expect(live[0].n).toBe(ROWS);
    const { rows: publications } = await sql.query('SELECT count(*)::int AS n FROM publication WHERE run_id = $1', [
      runId,
    ]);
    expect(publications[0].n).toBe(1);
  }, 600_000);
});
