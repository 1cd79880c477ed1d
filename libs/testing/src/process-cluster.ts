import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  buildDist,
  freePort,
  gqlHttp,
  spawnApp,
  startS3,
  stopApp,
  waitForHealth,
  waitForWorker,
  type AppProcess,
  type S3Server,
} from './app-processes.js';
import { rawId } from './global-ids.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * "Running at scale" for the operator tests (test/operator): built APIs and workers as child processes on a fresh
 * database of the real PostgreSQL, with s3rver, everything on loopback; a SQL client on the database to find the
 * moments a test acts on (never by sleeping), and each process's output in failure messages.
 */
export interface ProcessCluster {
  db: TestDatabase;
  s3: S3Server;
  sql: pg.Client;
  /** The environment every process of the cluster starts with (an API adds its PORT). */
  env: Record<string, string>;
  /** Every process started, in order. */
  apps: AppProcess[];
  /** The last lines of each process's output. */
  logs(): string;
  /** Polls `probe` every 50 ms until it answers something truthy; past `timeoutMs`, fails with the logs. */
  until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs?: number): Promise<T>;
  /** Starts an API on a free port (not waiting, with `wait: false`: all at once) and answers its URL. */
  startApi(options?: { wait?: boolean }): Promise<{ app: AppProcess; url: string }>;
  /** Starts a worker (not waiting for it to take jobs, with `wait: false`). */
  startWorker(options?: { wait?: boolean }): Promise<AppProcess>;
  /** Stops every process, drops the database, stops s3rver and removes the data directory. */
  close(): Promise<void>;
}

/** `name` names the brand-new data directory and the secret; `env` is added to the processes' environment. */
export async function startProcessCluster(name: string, env: Record<string, string> = {}): Promise<ProcessCluster> {
  buildDist();
  const db = await createTestDatabase();
  const s3 = await startS3();
  const dataDir = await mkdtemp(join(tmpdir(), `bs-${name}-`));
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const apps: AppProcess[] = [];
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    RUN_WORKERS: 'false',
    SECRET_KEY: `${name}-test-secret-key-of-32-characters-or-more`,
    LOG_LEVEL: 'info', // a worker's "consuming jobs" line says when it is ready
    IMAGES_ENABLED: 'false',
    ...s3.env,
    ...env,
  };
  const logs = () => apps.map((p) => `--- ${p.role} ${p.pid}\n${p.output().slice(-3000)}`).join('\n');
  return {
    db,
    s3,
    sql,
    env: baseEnv,
    apps,
    logs,
    until: (what, probe, timeoutMs) => pollUntil(what, probe, logs, timeoutMs),
    async startApi({ wait = true } = {}) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = spawnApp('api', { ...baseEnv, PORT: String(port) });
      apps.push(app);
      if (wait) await waitForHealth(`${url}/health`, app);
      return { app, url };
    },
    async startWorker({ wait = true } = {}) {
      const app = spawnApp('worker', baseEnv);
      apps.push(app);
      if (wait) await waitForWorker(app);
      return app;
    },
    async close() {
      for (const app of apps) await stopApp(app).catch(() => undefined);
      await sql.end().catch(() => undefined);
      await s3.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `probe` every 50 ms until it answers something truthy, and answers that; past `timeoutMs`, fails naming
 * `what` with `logs()` (the processes' output). How multi-process tests find their moments, never by sleeping.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  logs: () => string,
  timeoutMs = 240_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A Merchant Center CSV of `count` valid products with ids `<prefix>-1` … (images on a host never fetched). */
export function productsCsv(prefix: string, count: number): string {
  const lines = ['id,title,description,link,image_link,availability,price,brand,mpn'];
  for (let i = 1; i <= count; i++) {
    const id = `${prefix}-${i}`;
    lines.push(
      `${id},${prefix} product ${i},A ${prefix} thing.,https://shop.example/${id},https://shop.example/${id}.jpg,in stock,10.00 USD,Acme,M-${i}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Through a running API: a new brand, an auto-publishing upload feed, and `csv` uploaded to it (202). Answers the
 * brand's key, the feed's global id and the run's raw id (for SQL).
 */
export async function uploadToNewBrand(
  apiUrl: string,
  brandName: string,
  csv: string,
): Promise<{ key: string; feedId: string; runId: string }> {
  const key = (
    await gqlHttp<{ registerBrand: { apiKey: string } }>(
      apiUrl,
      'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
      {
        input: { name: brandName, email: `${brandName.replace(/\W/g, '-').toLowerCase()}-${Date.now()}@example.test` },
      },
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
    body: csv,
  });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return { key, feedId, runId: rawId(((await res.json()) as { runId: string }).runId) };
}
