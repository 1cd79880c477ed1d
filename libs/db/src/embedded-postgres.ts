import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeByUnit } from './pglite-unit-queue.js';

export interface EmbeddedPostgres {
  /** A normal connection string: pg, TypeORM and pg-boss all use it like a real server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite), persisted under `dataDir`, served on a loopback port through
 * pglite-socket so every client speaks the ordinary wire protocol. `dataDir: null` keeps it in memory.
 * Loaded lazily: deployments with DATABASE_URL never pay for it.
 */
export async function startEmbeddedPostgres(dataDir: string | null, port = 0): Promise<EmbeddedPostgres> {
  const [{ PGlite }, { PGLiteSocketServer }, { pg_trgm }, { btree_gin }, { unaccent }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/unaccent'),
  ]);
  let path: string | undefined;
  let lock: string | null = null;
  if (dataDir) {
    path = join(dataDir, 'pg');
    await mkdir(path, { recursive: true });
    lock = await lockDataDir(dataDir);
  }
  const db = await PGlite.create(path, { extensions: { pg_trgm, btree_gin, unaccent } });
  // The default of one connection makes a pg Pool fail with ECONNRESET; the server queues
  // statements and keeps a transaction on the connection that opened it.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 64 });
  serializeByUnit((server as unknown as { queryQueue: Parameters<typeof serializeByUnit>[0] }).queryQueue, db);
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      if (lock) await rm(lock, { force: true });
    },
  };
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
