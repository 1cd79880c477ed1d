/**
 * bench/serve-memory: the serving process's memory while it ingests, measured where users run it. For each N
 * it starts `node dist/apps/api/src/main.js` with the node flags of package.json's start:api (what `npm start`
 * runs) as a child on loopback against a fresh PostgreSQL database, images off and queue consumers on, uploads a generated N-row feed through
 * POST /feeds/:feedId/uploads, waits for the run to finish and samples the child's RSS (/proc/<pid>/status:
 * VmRSS every 50 ms, VmHWM at the end). Prints the peak for each N and the growth from the first N to the last.
 *
 *   npm run bench:serve-memory                          (--n 200000,1000000)
 *   npm run bench:serve-memory -- --n 200000 --snapshots /tmp/snaps
 *
 * --snapshots DIR starts the child with --heapsnapshot-signal and writes a heap snapshot into DIR when the
 * run has read half its rows and when it has read them all (snapshots inflate RSS: not for the figures).
 * --node-options passes extra flags to the child (e.g. "--trace-gc"); --log FILE keeps the child's output there.
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a throwaway
 * database is created on it for each N and dropped afterwards. Talks only to loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBenchDatabase } from './bench-database.js';
import { generateFeed } from './feed-generator.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const MAIN = 'dist/apps/api/src/main.js';

/** The node flags `npm start` runs the API with (package.json's start:api), so the child is that process. */
async function startFlags(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:api'].split(/\s+/);
  const from = words.indexOf('node');
  const to = words.indexOf(MAIN);
  if (from < 0 || to < from) throw new Error(`package.json start:api does not run node … ${MAIN}`);
  return words.slice(from + 1, to);
}

/** VmRSS and VmHWM of a process, in bytes (Linux). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Measured {
  n: number;
  seconds: number;
  idleRss: number;
  peakRss: number;
  hwm: number;
  accepted: number;
  rejected: number;
}

async function measure(
  n: number,
  options: { snapshots?: string; nodeOptions: string[]; log?: string },
): Promise<Measured> {
  const database = await createBenchDatabase('bs_serve_mem');
  const { url, dir } = database;
  let child: ChildProcess | null = null;
  const log = options.log ?? join(dir, 'api.log');
  try {
    const file = join(dir, 'feed.csv');
    const gen = await generateFeed(file, n);
    console.log(`feed: ${n} rows, ${mb(gen.bytes)}, ${gen.bad} bad rows`);
    const port = await freePort();
    const snapshotFlags = options.snapshots
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${options.snapshots}`]
      : [];
    if (options.snapshots) await mkdir(options.snapshots, { recursive: true });
    const out = createWriteStream(log);
    child = spawn(process.execPath, [...(await startFlags()), ...snapshotFlags, ...options.nodeOptions, MAIN], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: join(dir, 'data'),
        DATABASE_URL: url,
        RUN_WORKERS: 'true',
        IMAGES_ENABLED: 'false',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => (gone = true));
    const pid = child.pid!;
    const base = `http://127.0.0.1:${port}`;

    for (let waited = 0; ; waited += 200) {
      if (gone) throw new Error(`the API exited at boot; see its log:\n${await readFile(log, 'utf8')}`);
      if (waited > 120_000) throw new Error('the API did not answer /health within 2 minutes');
      const ok = await fetch(`${base}/health`)
        .then((res) => res.ok)
        .catch(() => false);
      if (ok) break;
      await sleep(200);
    }
    const gql = async <T>(query: string, variables: Record<string, unknown>, key?: string): Promise<T> => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const { registerBrand } = await gql<{ registerBrand: { apiKey: string } }>(
      'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
      { input: { name: 'Bench', email: `bench-${Date.now()}@example.test` } },
    );
    const key = registerBrand.apiKey;
    const {
      createFeed: { feed: createFeed },
    } = await gql<{ createFeed: { feed: { id: string } } }>(
      'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
      { input: { name: 'Bench feed', source: 'UPLOAD', format: 'AUTO' } },
      key,
    );

    await sleep(1000);
    const idleRss = (await memoryOf(pid)).rss;
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      memoryOf(pid)
        .then((m) => (peakRss = Math.max(peakRss, m.rss)))
        .catch(() => undefined);
    }, 50);
    const t0 = performance.now();
    const size = (await stat(file)).size;
    const upload = await fetch(`${base}/feeds/${createFeed.id}/uploads?filename=feed.csv`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'text/csv',
        'content-length': String(size),
      },
      body: createReadStream(file) as unknown as NonNullable<RequestInit['body']>,
      duplex: 'half',
    } as RequestInit);
    const { runId } = (await upload.json()) as { runId: string };
    if (upload.status !== 202) throw new Error(`upload answered ${upload.status}`);

    const snapshotAt = options.snapshots ? [0.5, 1] : [];
    let run: { status: string; rowsRead: number; itemsAccepted: number; itemsRejected: number; error: unknown };
    for (;;) {
      if (gone) throw new Error(`the API exited during the run; see its log:\n${await readFile(log, 'utf8')}`);
      // A heap snapshot stalls the child for seconds, which may drop a poll's connection: poll again.
      const polled = await gql<{ ingestionRun: typeof run }>(
        'query($id: ID!) { ingestionRun(id: $id) { status rowsRead itemsAccepted itemsRejected error { code message } } }',
        { id: runId },
        key,
      ).catch((error: Error) => (snapshotFlags.length ? null : Promise.reject(error)));
      if (!polled) {
        await sleep(1000);
        continue;
      }
      run = polled.ingestionRun;
      while (snapshotAt.length && run.rowsRead >= snapshotAt[0] * n) {
        console.log(`heap snapshot at ${run.rowsRead} rows read`);
        snapshotAt.shift();
        child.kill('SIGUSR2');
      }
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) break;
      await sleep(250);
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const { hwm } = await memoryOf(pid);
    if (run.status !== 'SUCCEEDED') throw new Error(`run ended ${run.status}: ${JSON.stringify(run.error)}`);
    return {
      n,
      seconds,
      idleRss,
      peakRss: Math.max(peakRss, hwm),
      hwm,
      accepted: run.itemsAccepted,
      rejected: run.itemsRejected,
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await database.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '200000,1000000' },
      snapshots: { type: 'string' },
      'node-options': { type: 'string', default: '' },
      log: { type: 'string' },
    },
  });
  const sizes = values.n.split(',').map(Number);
  const nodeOptions = values['node-options'].split(/\s+/).filter(Boolean);
  const results: Measured[] = [];
  for (const n of sizes) {
    const log = values.log && sizes.length > 1 ? `${values.log}.${n}` : values.log;
    const m = await measure(n, { snapshots: values.snapshots, nodeOptions, log });
    results.push(m);
    console.log(
      `${n.toLocaleString('en-US').padStart(9)} rows: peak RSS ${mb(m.peakRss)} (VmHWM ${mb(m.hwm)}; ${mb(m.idleRss)} idle ` +
        `before the upload), ${m.seconds.toFixed(1)} s, ${m.accepted} accepted, ${m.rejected} rejected`,
    );
  }
  if (results.length > 1) {
    const first = results[0];
    const last = results[results.length - 1];
    const growth = (last.peakRss / first.peakRss - 1) * 100;
    console.log(
      `growth   : ${mb(first.peakRss)} at ${first.n.toLocaleString('en-US')} → ${mb(last.peakRss)} at ` +
        `${last.n.toLocaleString('en-US')} rows = +${growth.toFixed(1)}% (aim: < 300 MB at 1M, < 15% growth)`,
    );
    // The idle process itself moves by ±10 MB from one start to the next: what the run added is steadier.
    console.log(
      `above idle: ${results.map((m) => `${mb(m.peakRss - m.idleRss)} at ${m.n.toLocaleString('en-US')}`).join(', ')}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
