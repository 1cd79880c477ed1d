/**
 * bench/serve-memory: the serving process's memory while it ingests, measured where users run it. For each N
 * it starts `node dist/apps/api/src/main.js` with the node flags and environment of package.json's start:api (what `npm start`
 * runs) as a child on loopback against a fresh PostgreSQL database, images off and queue consumers on, uploads a generated N-row feed through
 * POST /feeds/:feedId/uploads, waits for the run to finish and samples the child's RSS (/proc/<pid>/status:
 * VmRSS every 50 ms, VmHWM at the end). Prints the peak for each N and the growth from the first N to the last,
 * and what the process's memory is made of, idle and at the peak: file-backed pages (the node binary, libraries),
 * V8's heap pages (the main isolate's, from bench/serve-memory-probe.ts loaded into the child, and the rest,
 * i.e. the reader thread's) and other anonymous memory (malloc arenas, stacks, large objects), from
 * /proc/<pid>/smaps once a second.
 *
 *   npm run bench:serve-memory                          (--n 200000,1000000)
 *   npm run bench:serve-memory -- --n 200000 --snapshots /tmp/snaps
 *   npm run bench:serve-memory -- --help
 *
 * --snapshots DIR starts the child with --heapsnapshot-signal and writes a heap snapshot into DIR when the
 * run has read half its rows and when it has read them all (snapshots inflate RSS: not for the figures).
 * --node-options passes extra flags to the child (e.g. "--trace-gc"); --env KEY=VALUE[,KEY=VALUE] adds settings
 * to its environment (e.g. INGEST_WORKER_THREADS=false); --log FILE keeps the child's output there.
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
import type { ProbeAnswer } from './serve-memory-probe.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const MAIN = 'dist/apps/api/src/main.js';
const PROBE = './dist/bench/serve-memory-probe.js';

const HELP = `npm run bench:serve-memory -- [options]
  --n N[,N…]            feed sizes, each ingested by a fresh API process on a fresh database (default 200000,1000000)
  --snapshots DIR       heap snapshots of the API's main thread at half and all rows read (inflate RSS)
  --node-options FLAGS  extra node flags for the API child, e.g. "--trace-gc"
  --env K=V[,K=V…]      extra settings in the API child's environment, e.g. INGEST_WORKER_THREADS=false
  --log FILE            keep the API child's output in FILE (FILE.N with several sizes)
  --help                this text
Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

/**
 * The node flags `npm start` runs the API with (package.json's start:api), so the child is that process, and the
 * environment the script sets before `node` (`NAME=${NAME:-default}` or `NAME=value`, e.g. MALLOC_ARENA_MAX).
 */
async function startCommand(): Promise<{ flags: string[]; env: Record<string, string> }> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:api'].split(/\s+/);
  const from = words.indexOf('node');
  const to = words.indexOf(MAIN);
  if (from < 0 || to < from) throw new Error(`package.json start:api does not run node … ${MAIN}`);
  const env: Record<string, string> = {};
  for (const word of words.slice(0, from)) {
    const match = /^([A-Z_][A-Z0-9_]*)=(?:\$\{\1:-([^}]*)\}|(.*))$/.exec(word);
    if (!match) throw new Error(`package.json start:api: cannot read "${word}" before node`);
    env[match[1]] = match[2] ?? match[3];
  }
  return { flags: words.slice(from + 1, to), env };
}

/** VmRSS and VmHWM of a process, in bytes (Linux). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** One look at the child's memory: /proc/<pid>/smaps and, from the probe, its main isolate. */
interface Breakdown {
  rss: number;
  /** Pages backed by files: the node binary and shared libraries, mostly. */
  file: number;
  /** V8's regular heap pages (256 KiB anonymous mappings), of every isolate in the process. */
  v8Pages: number;
  /** Other anonymous memory: malloc arenas, thread stacks, V8's large objects, buffers. */
  otherAnon: number;
  threads: number;
  main: ProbeAnswer | null;
}

/** V8's regular page size in node 20 (MemoryChunk::kPageSize): each page is one mapping of this size. */
const V8_PAGE = 256 * 1024;

async function breakdownOf(pid: number, main: ProbeAnswer | null): Promise<Breakdown> {
  const [smaps, status] = await Promise.all([
    readFile(`/proc/${pid}/smaps`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  let rss = 0;
  let anon = 0;
  let v8Pages = 0;
  let size = 0;
  let named = false;
  for (const line of smaps.split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (range) {
      size = parseInt(range[2], 16) - parseInt(range[1], 16);
      named = range[3] !== '';
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (!field) continue;
    const bytes = Number(field[2]) * 1024;
    if (field[1] === 'Rss') rss += bytes;
    else {
      anon += bytes;
      if (size === V8_PAGE && !named) v8Pages += bytes;
    }
  }
  const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return { rss, file: rss - anon, v8Pages, otherAnon: anon - v8Pages, threads, main };
}

function describe(b: Breakdown): string {
  const parts = [
    `RSS ${mb(b.rss)} = files ${mb(b.file)} + V8 pages ${mb(b.v8Pages)} + other anonymous ${mb(b.otherAnon)}`,
  ];
  if (b.main) {
    const s = b.main.spaces;
    const paged = Object.entries(s)
      .filter(([name]) => !name.includes('large_object'))
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    parts.push(
      `main isolate heap ${mb(b.main.heapTotal)} committed (${mb(b.main.heapUsed)} used; new ${mb(s.new_space ?? 0)}, ` +
        `old ${mb(s.old_space ?? 0)}, code ${mb(s.code_space ?? 0)}, large ${mb((s.large_object_space ?? 0) + (s.new_large_object_space ?? 0))}), ` +
        `external ${mb(b.main.external)} (array buffers ${mb(b.main.arrayBuffers)})`,
      `V8 pages not the main isolate's (≈ reader thread) ${mb(Math.max(0, b.v8Pages - paged))}`,
    );
  }
  parts.push(`${b.threads} threads`);
  return parts.join('; ');
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
  idle: Breakdown;
  atPeak: Breakdown;
  accepted: number;
  rejected: number;
}

async function measure(
  n: number,
  options: { snapshots?: string; nodeOptions: string[]; env: Record<string, string>; log?: string },
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
    const start = await startCommand();
    const flags = [...start.flags, ...snapshotFlags, '--import', PROBE, ...options.nodeOptions];
    child = spawn(process.execPath, [...flags, MAIN], {
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
        ...start.env,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The probe answers on the IPC channel; the latest answer goes with the next /proc look.
    let lastProbe: ProbeAnswer | null = null;
    child.on('message', (message: ProbeAnswer) => {
      if (message?.type === 'probe') lastProbe = message;
    });
    const ask = () => {
      if (child?.connected) child.send({ type: 'probe' }, () => undefined);
    };
    const look = async () => {
      ask();
      await sleep(100);
      return breakdownOf(pid, lastProbe);
    };
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
    const idle = await look();
    const idleRss = (await memoryOf(pid)).rss;
    let peakRss = idleRss;
    let atPeak = idle;
    const sampler = setInterval(() => {
      memoryOf(pid)
        .then((m) => (peakRss = Math.max(peakRss, m.rss)))
        .catch(() => undefined);
    }, 50);
    // smaps is long to read: once a second, keeping the look with the highest RSS.
    let looking = true;
    const looker = (async () => {
      while (looking) {
        const b = await look().catch(() => null);
        if (b && b.rss > atPeak.rss) atPeak = b;
        await sleep(900);
      }
    })();
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
    looking = false;
    await looker;
    const { hwm } = await memoryOf(pid);
    if (run.status !== 'SUCCEEDED') throw new Error(`run ended ${run.status}: ${JSON.stringify(run.error)}`);
    return {
      n,
      seconds,
      idleRss,
      peakRss: Math.max(peakRss, hwm),
      hwm,
      idle,
      atPeak,
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
      env: { type: 'string', default: '' },
      log: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const env: Record<string, string> = {};
  for (const pair of values.env.split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env wants KEY=VALUE pairs, got ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const sizes = values.n.split(',').map(Number);
  const nodeOptions = values['node-options'].split(/\s+/).filter(Boolean);
  const results: Measured[] = [];
  for (const n of sizes) {
    const log = values.log && sizes.length > 1 ? `${values.log}.${n}` : values.log;
    const m = await measure(n, { snapshots: values.snapshots, nodeOptions, env, log });
    results.push(m);
    console.log(
      `${n.toLocaleString('en-US').padStart(9)} rows: peak RSS ${mb(m.peakRss)} (VmHWM ${mb(m.hwm)}; ${mb(m.idleRss)} idle ` +
        `before the upload), ${m.seconds.toFixed(1)} s, ${m.accepted} accepted, ${m.rejected} rejected`,
    );
    console.log(`  idle   : ${describe(m.idle)}`);
    console.log(`  at peak: ${describe(m.atPeak)} (the look nearest the peak, once a second)`);
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
