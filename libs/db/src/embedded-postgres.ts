import { chmod, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serializeByUnit } from './pglite-unit-queue.js';

export interface EmbeddedPostgres {
  /** A normal connection string: pg, TypeORM and pg-boss all use it like a real server. */
  url: string;
  /** The directory (mode 0700) holding the server's Unix socket, named as PostgreSQL's: `.s.PGSQL.5432`. */
  socketDir: string;
  stop(): Promise<void>;
}

/** The port is only part of the socket's file name: libpq and pg look for `<dir>/.s.PGSQL.<port>`. */
const SOCKET_PORT = 5432;
/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH = 103;

/**
 * PostgreSQL compiled to WASM (PGlite), persisted under `dataDir`, served through pglite-socket so every
 * client speaks the ordinary wire protocol. `dataDir: null` keeps it in memory. Loaded lazily:
 * deployments with DATABASE_URL never pay for it.
 *
 * PGlite has no authentication, so it listens on no TCP port: its Unix socket lives in DATA_DIR/pg-socket,
 * a directory only this user may enter (0700), and the data files in DATA_DIR/pg are closed the same way.
 * Other local users can neither connect nor read the files.
 */
export async function startEmbeddedPostgres(
  dataDir: string | null,
  options: { thread?: boolean } = {},
): Promise<EmbeddedPostgres> {
  return options.thread === false ? startHere(dataDir) : startInThread(dataDir);
}

/** What the database thread (embedded-postgres.worker.ts) and this side say to each other. */
export type DatabaseThreadMessage =
  | { type: 'started'; url: string; socketDir: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped'; error?: string };

/**
 * PGlite executes SQL synchronously (WASM) on the thread that runs it: on the main thread every statement,
 * however long, would stall the event loop that answers HTTP. So the database and its socket server run on
 * a worker thread of their own, and this thread's clients reach it through the socket as before. The
 * thread is the module embedded-postgres.worker: compiled (dist) in `npm start`, the worker app and benches;
 * compiled with swc as it loads (scripts/register-ts.mjs) when running from the TypeScript sources (jest).
 */
async function startInThread(dataDir: string | null): Promise<EmbeddedPostgres> {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const worker = new Worker(new URL(ts ? './embedded-postgres.worker.ts' : './embedded-postgres.worker.js', here), {
    workerData: { dataDir },
    // Compiled code needs no module hooks (the build made its `@brandshelf/*` imports relative).
    execArgv: ts ? ['--import', new URL('../../../scripts/register-ts.mjs', here).href] : ['--enable-source-maps'],
  });
  const exited = once(worker, 'exit').then(([code]) => {
    throw new Error(`The embedded database thread stopped (exit code ${code}).`);
  });
  exited.catch(() => undefined);
  const [first] = (await Promise.race([once(worker, 'message'), exited])) as [DatabaseThreadMessage];
  if (first.type !== 'started') {
    await worker.terminate();
    throw new Error(first.type === 'failed' ? first.message : 'The embedded database thread did not start.');
  }
  let stopping: Promise<void> | null = null;
  return {
    url: first.url,
    socketDir: first.socketDir,
    stop() {
      stopping ??= (async () => {
        worker.postMessage({ type: 'stop' });
        const [reply] = (await Promise.race([once(worker, 'message'), exited])) as [DatabaseThreadMessage];
        await worker.terminate();
        if (reply.type === 'stopped' && reply.error) throw new Error(reply.error);
      })();
      return stopping;
    },
  };
}

/** The database and its socket server on the calling thread. */
async function startHere(dataDir: string | null): Promise<EmbeddedPostgres> {
  const [{ PGlite }, { PGLiteSocketServer }, { pg_trgm }, { btree_gin }, { unaccent }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/unaccent'),
  ]);
  let path: string | undefined;
  let lock: string | null = null;
  let socketDir: string | null = null;
  let ownsSocketDir = false;
  let db: InstanceType<typeof PGlite> | undefined;
  try {
    if (dataDir) {
      path = join(dataDir, 'pg');
      await privateDirectory(path);
      lock = await lockDataDir(dataDir);
      socketDir = join(resolve(dataDir), 'pg-socket');
      if (socketFile(socketDir).length > MAX_SOCKET_PATH) {
        // Too deep for a socket address: a private directory of its own under the system temp dir instead.
        socketDir = null;
      }
    }
    if (!socketDir) {
      socketDir = await mkdtemp(join(tmpdir(), 'bs-pg-'));
      ownsSocketDir = true;
    }
    await privateDirectory(socketDir);
    // A crashed process leaves its socket file behind; the lock says no live server is using it.
    await rm(socketFile(socketDir), { force: true });
    db = await PGlite.create(path, { extensions: { pg_trgm, btree_gin, unaccent } });
    // The default of one connection makes a pg Pool fail with ECONNRESET; the server queues
    // statements and keeps a transaction on the connection that opened it.
    const server = new PGLiteSocketServer({ db, path: socketFile(socketDir), maxConnections: 64 });
    serializeByUnit((server as unknown as { queryQueue: Parameters<typeof serializeByUnit>[0] }).queryQueue, db);
    await server.start();
    await chmod(socketFile(socketDir), 0o600);
    const started = db;
    const dir = socketDir;
    return {
      // libpq's form for a socket directory: the directory, percent-encoded, as the host.
      url: `postgres://postgres@${encodeURIComponent(dir)}:${SOCKET_PORT}/postgres`,
      socketDir: dir,
      async stop() {
        await server.stop();
        await started.close();
        if (ownsSocketDir) await rm(dir, { recursive: true, force: true });
        if (lock) await rm(lock, { force: true });
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    if (ownsSocketDir && socketDir) await rm(socketDir, { recursive: true, force: true });
    if (lock) await rm(lock, { force: true });
    throw error;
  }
}

function socketFile(dir: string): string {
  return join(dir, `.s.PGSQL.${SOCKET_PORT}`);
}

/**
 * A directory only this user can enter (0700), tightened if an older version created it open. A symlink or
 * another user's directory is refused: the socket and the data must not end up somewhere someone else chose.
 */
async function privateDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await lstat(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && uid !== 0 && stat.uid !== uid)) {
    throw new Error(`${dir} must be a directory owned by this user (not a symlink) to hold the embedded database.`);
  }
  if ((stat.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * A pid file refuses that with a message, and is taken over when its process is gone.
 */
async function lockDataDir(dataDir: string): Promise<string> {
  const lock = join(dataDir, 'pg.lock');
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
    return lock;
  } catch {
    const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop that process, use another DATA_DIR, ` +
          'or set DATABASE_URL to share a PostgreSQL server between processes.',
      );
    }
    await writeFile(lock, String(process.pid));
    return lock;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
