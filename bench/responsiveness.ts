/**
 * bench/responsiveness (issue 10): does the API still answer while a big feed is ingested in the embedded
 * mode? Starts the real server (dist/apps/api, embedded PGlite in a throwaway DATA_DIR, images off) as a
 * child process on loopback, publishes a small catalog, then polls GET /health and a public search
 * (`products(query:)`) back to back for a while with nothing running ("idle") and then while an N-row
 * generated feed (default 200k) is uploaded and ingested ("ingest"). Prints p50/p95/p99/max of each, and
 * does it all again with both threads off (INGEST_WORKER_THREADS=false EMBEDDED_DATABASE_THREAD=false: the
 * reader and PGlite on the main thread, as before issue 10), so both are measured in the same run on the
 * same machine.
 *
 *   npm run bench:responsiveness                       (200k rows, both modes)
 *   npm run bench:responsiveness -- --n 50000 --modes true
 *
 * Talks only to 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateFeed } from './feed-generator.js';

// This file runs as dist/bench/responsiveness.js; the server is started from the repository's root.
const root = fileURLToPath(import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/') + 1));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Server {
  url: string;
  child: ChildProcess;
  dir: string;
}

async function startServer(workerThreads: boolean): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-resp-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--import', './scripts/register.mjs', 'dist/apps/api/src/main.js'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        IMAGES_ENABLED: 'false',
        INGEST_WORKER_THREADS: String(workerThreads),
        EMBEDDED_DATABASE_THREAD: String(workerThreads),
        // One client polls search back to back: past 600 a minute the limiter would answer fast 429s, which
        // would count as failed polls and pull the latencies down.
        RATE_LIMIT_PER_MINUTE: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine PGlite alone takes up to a minute to start.
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { url, child, dir };
    await sleep(200);
  }
  child.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
  throw new Error('server did not start in 10 minutes');
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  if (server.child.exitCode === null) await once(server.child, 'exit');
  await rm(server.dir, { recursive: true, force: true });
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function upload(url: string, key: string, feedId: string, file: string): Promise<string> {
  const { size } = await stat(file);
  const res = await fetch(`${url}/feeds/${feedId}/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/octet-stream',
      'content-length': String(size),
    },
    body: await readFile(file),
  });
  const body = (await res.json()) as { runId?: string };
  if (res.status !== 202 || !body.runId) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
  return body.runId;
}

interface RunState {
  status: string;
  phase: string;
  rowsRead: number;
  itemsAccepted: number;
}

async function runState(url: string, key: string, runId: string): Promise<RunState> {
  const data = await gql<{ ingestionRun: RunState }>(
    url,
    'query($id: ID!) { ingestionRun(id: $id) { status phase rowsRead itemsAccepted } }',
    { id: runId },
    key,
  );
  return data.ingestionRun;
}

/** The phase of the run being waited for, as last seen (polled every second): which part the latencies fall in. */
let currentPhase = 'UPLOAD';

async function waitForRun(url: string, key: string, runId: string): Promise<RunState> {
  for (;;) {
    // A server that stalled longer than its keep-alive timeout resets the pooled connection: ask again.
    const run = await runState(url, key, runId).catch(() => null);
    if (!run) {
      await sleep(1000);
      continue;
    }
    currentPhase = run.phase;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return run;
    await sleep(1000);
  }
}

/** Polls `request` back to back (10 ms apart) until `stop` is set; latencies in ms and the failures. */
interface Polled {
  ms: number[];
  /** The run's phase when each answer came. */
  phases: string[];
  failures: number;
}

function poller(request: () => Promise<boolean>): { stop: () => Promise<Polled> } {
  let stopped = false;
  const ms: number[] = [];
  const phases: string[] = [];
  let failures = 0;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      const ok = await request().catch(() => false);
      ms.push(performance.now() - t0);
      phases.push(currentPhase);
      if (!ok) failures++;
      await sleep(10);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { ms, phases, failures };
    },
  };
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  const f = (v: number) => v.toFixed(1).padStart(8);
  return `n=${String(sorted.length).padStart(5)}  p50 ${f(q(0.5))}  p95 ${f(q(0.95))}  p99 ${f(q(0.99))}  max ${f(sorted[sorted.length - 1] ?? NaN)} ms`;
}

interface Measured {
  idle: { health: number[]; search: number[] };
  ingest: { health: number[]; search: number[] };
  /** During ingest, split by the run's phase: READING (reading, validating, staging) and the rest (COMPARING, the version). */
  byPhase: { health: Polled; search: Polled };
  failures: number;
  ingestSeconds: number;
  run: RunState;
}

async function measure(workerThreads: boolean, feedFile: string, seedFile: string, idleMs: number): Promise<Measured> {
  const server = await startServer(workerThreads);
  try {
    const { url } = server;
    const brand = await gql<{ registerBrand: { apiKey: string } }>(
      url,
      'mutation { registerBrand(input: { name: "Bench Outdoor", email: "bench@example.test" }) { apiKey } }',
    );
    const key = brand.registerBrand.apiKey;
    const createFeed = async (name: string) =>
      (
        await gql<{ createFeed: { feed: { id: string } } }>(
          url,
          'mutation($name: String!) { createFeed(input: { name: $name, defaultCurrency: "USD" }) { feed { id } } }',
          { name },
          key,
        )
      ).createFeed.feed.id;
    // A live catalog for the search to find.
    const seedRun = await upload(url, key, await createFeed('Seed'), seedFile);
    await waitForRun(url, key, seedRun);
    await gql(
      url,
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { id } } }',
      { id: seedRun },
      key,
    );

    const health = () => fetch(`${url}/health`).then(async (r) => (await r.arrayBuffer(), r.status === 200));
    const search = () =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ products(query: "backpack", first: 10) { totalCount edges { node { id } } } }',
        }),
      }).then(async (r) => {
        const body = (await r.json()) as { errors?: unknown };
        return r.status === 200 && !body.errors;
      });

    let h = poller(health);
    let s = poller(search);
    await sleep(idleMs);
    const idleHealth = await h.stop();
    const idleSearch = await s.stop();

    const feedId = await createFeed('Big');
    h = poller(health);
    s = poller(search);
    const t0 = performance.now();
    currentPhase = 'UPLOAD';
    const runId = await upload(url, key, feedId, feedFile);
    const run = await waitForRun(url, key, runId);
    const ingestSeconds = (performance.now() - t0) / 1000;
    const busyHealth = await h.stop();
    const busySearch = await s.stop();
    return {
      idle: { health: idleHealth.ms, search: idleSearch.ms },
      ingest: { health: busyHealth.ms, search: busySearch.ms },
      byPhase: { health: busyHealth, search: busySearch },
      failures: idleHealth.failures + idleSearch.failures + busyHealth.failures + busySearch.failures,
      ingestSeconds,
      run,
    };
  } finally {
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '200000' },
      modes: { type: 'string', default: 'true,false' },
      idle: { type: 'string', default: '5000' },
    },
  });
  const n = Number(values.n);
  const dir = await mkdtemp(join(tmpdir(), 'bs-resp-feed-'));
  try {
    const feedFile = join(dir, 'feed.csv');
    const seedFile = join(dir, 'seed.csv');
    const gen = await generateFeed(feedFile, n, 7);
    await generateFeed(seedFile, 2000, 3);
    console.log(`feed: ${n} rows, ${(gen.bytes / 1024 / 1024).toFixed(0)} MB; embedded PGlite, images off`);
    const results: Record<string, Measured> = {};
    for (const mode of values.modes!.split(',')) {
      const m = await measure(mode === 'true', feedFile, seedFile, Number(values.idle));
      results[mode] = m;
      console.log(
        `\nINGEST_WORKER_THREADS=${mode} EMBEDDED_DATABASE_THREAD=${mode}: run ${m.run.status}, ${m.run.rowsRead} rows, ${m.run.itemsAccepted} accepted, ` +
          `upload+ingest ${m.ingestSeconds.toFixed(1)} s, failed polls ${m.failures}`,
      );
      console.log(`  /health  idle    ${stats(m.idle.health)}`);
      console.log(`  /health  ingest  ${stats(m.ingest.health)}`);
      console.log(`  search   idle    ${stats(m.idle.search)}`);
      console.log(`  search   ingest  ${stats(m.ingest.search)}`);
      for (const [name, polled] of [
        ['/health', m.byPhase.health],
        ['search ', m.byPhase.search],
      ] as const) {
        for (const phase of new Set(polled.phases)) {
          const ms = polled.ms.filter((_, i) => polled.phases[i] === phase);
          if (ms.length) console.log(`    ${name} ${phase.padEnd(9)} ${stats(ms)}`);
        }
      }
    }
    if (results.true && results.false) {
      const p99 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(0.99 * ms.length) - 1];
      console.log(
        `\nduring ingest, p99 without / with the worker threads: /health ${(p99(results.false.ingest.health) / p99(results.true.ingest.health)).toFixed(1)}×, ` +
          `search ${(p99(results.false.ingest.search) / p99(results.true.ingest.search)).toFixed(1)}×`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
