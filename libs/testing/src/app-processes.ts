import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * The real processes of "Running at scale" for crash tests and benches: the built API (`npm run start:api`)
 * and workers (`npm run start:worker`) as child processes on one PostgreSQL, with media and feeds in s3rver,
 * everything on loopback.
 */

/**
 * Compiles apps/ and libs/ to dist/ (about a second with swc), so a clean clone runs the current code. Not the web
 * console: dist/console is the browser test's (test/browser/console.e2e), which builds it itself.
 */
export function buildDist(root = process.cwd()): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--no-console'], { cwd: root });
  if (!existsSync(join(root, 'dist/apps/worker/src/main.js'))) throw new Error('the build did not write dist/');
}

export interface S3Server {
  /** The S3_* settings that point a process at the bucket. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3(bucket = 'catalog'): Promise<S3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-s3rver-'));
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = (await s3.run()) as AddressInfo;
  return {
    env: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PUBLIC_BASE_URL: `http://127.0.0.1:${port}/${bucket}`,
    },
    async close() {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface AppProcess {
  role: 'api' | 'worker';
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string | null>;
  /** What it wrote to stdout and stderr so far (JSON log lines), for failure messages. */
  output(): string;
  alive(): boolean;
}

/** Starts the built API or a worker with `env` added to this process's environment. */
export function spawnApp(role: 'api' | 'worker', env: Record<string, string>, root = process.cwd()): AppProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', `dist/apps/${role}/src/main.js`], {
    cwd: root,
    // Tests and benches poll the API from one address: the per-client rate limit is off unless `env` sets it.
    env: { ...process.env, RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // APP_LOG_DIR keeps each process's whole output in a file of its own, for a failure seen after the fact.
  const file = process.env.APP_LOG_DIR
    ? createWriteStream(join(process.env.APP_LOG_DIR, `${role}-${child.pid}.log`))
    : null;
  child.on('exit', () => file?.end());
  const keep = (chunk: Buffer) => {
    file?.write(chunk);
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let running = true;
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal);
    }),
  );
  return { role, pid: child.pid!, child, exited, output: () => output, alive: () => running };
}

/** Waits until `url` answers 200, failing early if `app` exits. */
export async function waitForHealth(url: string, app: AppProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!app.alive()) throw new Error(`${app.role} exited before it was healthy:\n${app.output().slice(-4000)}`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms:\n${app.output().slice(-4000)}`);
}

/** Waits until a worker logs that it consumes jobs (an info line: LOG_LEVEL must be info or debug). */
export async function waitForWorker(app: AppProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!app.alive()) throw new Error(`worker exited before it was ready:\n${app.output().slice(-4000)}`);
    if (app.output().includes('Brandshelf worker consuming jobs')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`worker not ready after ${timeoutMs} ms:\n${app.output().slice(-4000)}`);
}

/** Ends a process and waits for it: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopApp(app: AppProcess, graceMs = 15_000): Promise<void> {
  if (!app.alive()) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}

/**
 * Which of `pids` has a TCP socket whose local port is `port` (Linux /proc): the process behind a client
 * connection seen by a server (an image request, a database backend's client_port). Null when none does.
 */
export async function pidOwningLocalPort(port: number, pids: number[]): Promise<number | null> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      if (parseInt(columns[1].split(':').pop()!, 16) === port) inodes.add(columns[9]);
    }
  }
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const socket = /^socket:\[(\d+)\]$/.exec(target);
      if (socket && inodes.has(socket[1])) return pid;
    }
  }
  return null;
}

export interface SlowImageHost {
  base: string;
  /** Requests answered so far. */
  served(): number;
  /** Client ports of requests being answered right now (each waits `delayMs` before its bytes go out). */
  inFlight(): number[];
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/**
 * An image host on loopback: `/img/<n>.jpg` answers a distinct JPEG per n (a colour of its own), after
 * `delayMs`, so each URL is real decoding and resizing work and a kill can land while images are fetched.
 */
export async function startSlowImageHost(
  makeJpeg: (n: number) => Promise<Buffer>,
  options: { delayMs?: number } = {},
): Promise<SlowImageHost> {
  let delayMs = options.delayMs ?? 0;
  let served = 0;
  const cache = new Map<number, Promise<Buffer>>();
  const inFlight = new Set<number>();
  const server: Server = createHttpServer((req, res) => {
    const match = /^\/img\/(\d+)\.jpg$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    const n = Number(match[1]);
    const port = req.socket.remotePort ?? 0;
    inFlight.add(port);
    let bytes = cache.get(n);
    if (!bytes) cache.set(n, (bytes = makeJpeg(n)));
    const started = Date.now();
    void bytes.then(async (body) => {
      const wait = delayMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.delete(port);
      served++;
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
    });
    res.on('close', () => inFlight.delete(port));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served: () => served,
    inFlight: () => [...inFlight],
    setDelay: (ms) => (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A GraphQL call over HTTP to a running API; throws on errors. */
export async function gqlHttp<T = any>(
  apiUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  apiKey?: string,
): Promise<T> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}
