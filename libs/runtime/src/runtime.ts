import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { DataSource } from 'typeorm';
import { JsonLogger, type AppConfig } from '@brandshelf/core';
import type { LookupAll } from '@brandshelf/net';
import {
  assertDatabaseReachable,
  createDataSource,
  runMigrations,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type TenancyPolicy,
} from '@brandshelf/db';
import { ENTITIES } from './registry.js';

/** What every process (api, worker, cli) needs before Nest starts: a reachable, migrated database. */
export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  dataSource: DataSource;
  secretKey: string;
  embedded: EmbeddedPostgres | null;
  logger: JsonLogger;
  /**
   * Name resolution for feed and image fetches; the system resolver when absent. Tests and benches inject
   * one, so a made-up host name never becomes a DNS query off the machine.
   */
  lookup?: LookupAll;
  close(): Promise<void>;
}

/**
 * HEAP_GROWING_PERCENT: how far the old generation may grow past what is live before a full GC. V8 reads the
 * flag at every full GC, so setting it here, before the process does any work, holds for the whole process.
 */
export function applyHeapGrowth(config: Pick<AppConfig, 'heapGrowingPercent'>): void {
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
}

export async function prepareRuntime(config: AppConfig, logger = new JsonLogger(config.logLevel)): Promise<Runtime> {
  applyHeapGrowth(config);
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, { thread: config.embeddedDatabaseThread });
    databaseUrl = embedded.url;
    logger.log(
      {
        msg: 'embedded PostgreSQL (PGlite) started',
        dataDir: join(config.dataDir, 'pg'),
        socketDir: embedded.socketDir,
        thread: config.embeddedDatabaseThread,
      },
      'Runtime',
    );
  }
  try {
    await assertDatabaseReachable(databaseUrl);
    // Connections carry the caller's brand, creator or system scope to row-level security once they take the
    // application role, which they do only after migrations (run as the tables' owner).
    const tenancy: TenancyPolicy = { role: null };
    const dataSource = createDataSource({
      url: databaseUrl,
      poolSize: config.databasePoolSize,
      entities: ENTITIES,
      // Which process a connection (a lock, a long query) belongs to, in pg_stat_activity.
      applicationName: `brandshelf:${process.pid}`,
      tenancy,
    });
    await dataSource.initialize();
    const [{ version }] = await dataSource.query('SELECT version()');
    config.databaseIsPglite = /PGlite/i.test(version);
    const applied = await migrate(config, dataSource);
    if (applied.length) logger.log({ msg: 'migrations applied', migrations: applied }, 'Runtime');
    tenancy.role = config.databaseAppRole;
    await assertAppRoleTaken(dataSource, config.databaseAppRole).catch(async (error: unknown) => {
      await dataSource.destroy().catch(() => undefined);
      throw error;
    });
    const secretKey = config.secretKey ?? (await localSecretKey(config.dataDir));
    return {
      config,
      databaseUrl,
      dataSource,
      secretKey,
      embedded,
      logger,
      async close() {
        if (dataSource.isInitialized) await dataSource.destroy();
        if (embedded) await embedded.stop();
      },
    };
  } catch (error) {
    if (embedded) await embedded.stop().catch(() => undefined);
    throw error;
  }
}

/** What closing may take past SHUTDOWN_TIMEOUT_MS (the queue's connections, the pools, the embedded database). */
export const SHUTDOWN_CLOSE_MARGIN_MS = 10_000;

/**
 * On SIGTERM or SIGINT: `close` (the application, then the runtime) and exit 0. A close that has not ended
 * SHUTDOWN_TIMEOUT_MS (at least 1 s) plus SHUTDOWN_CLOSE_MARGIN_MS after the signal (a pool's end waits for a
 * statement the database never answers) is not waited for: the process says so and exits 1, so it always ends.
 */
export function exitOnShutdownSignals(
  config: Pick<AppConfig, 'shutdownTimeoutMs'>,
  logger: JsonLogger,
  close: () => Promise<void>,
): void {
  const shutdown = async () => {
    const limitMs = Math.max(1000, config.shutdownTimeoutMs) + SHUTDOWN_CLOSE_MARGIN_MS;
    setTimeout(() => {
      logger.error({ msg: 'shutdown did not finish in time; exiting without it', limitMs }, 'Main');
      process.exit(1);
    }, limitMs).unref();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

/**
 * The pool's connections must really take DATABASE_APP_ROLE: if the login may not (not a member, or no such role),
 * setting it fails and queries would run as the login, so start-up stops here with what to do instead.
 */
async function assertAppRoleTaken(dataSource: DataSource, role: string | null): Promise<void> {
  if (!role) return;
  const [{ user, login }] = (await dataSource.query('SELECT current_user AS user, session_user AS login')) as {
    user: string;
    login: string;
  }[];
  if (user !== role) {
    throw new Error(
      `DATABASE_APP_ROLE: the database login "${login}" cannot take the role "${role}" (its connections run as ` +
        `"${user}"). Run migrations first (migration 30 creates brandshelf_app), then GRANT ${role} TO ${login}; or set ` +
        'DATABASE_APP_ROLE=none to run without row-level security as a second wall.',
    );
  }
}

/** Migrations on DATABASE_MIGRATION_URL (the tables' owner) when set, else on the application's own data source. */
async function migrate(config: AppConfig, dataSource: DataSource): Promise<string[]> {
  if (!config.databaseMigrationUrl) return runMigrations(dataSource);
  await assertDatabaseReachable(config.databaseMigrationUrl);
  // Two connections: runMigrations holds one for its advisory lock while TypeORM migrates on another. With one,
  // TypeORM waited for the connection the lock held, and every start with DATABASE_MIGRATION_URL set failed after
  // 10 s with "timeout exceeded when trying to connect".
  const owner = createDataSource({ url: config.databaseMigrationUrl, poolSize: 2, entities: [] });
  await owner.initialize();
  try {
    return await runMigrations(owner);
  } finally {
    await owner.destroy();
  }
}

/**
 * One machine with no SECRET_KEY keeps a generated key beside its data, so encrypted tokens
 * survive restarts. Several machines must share SECRET_KEY instead.
 */
async function localSecretKey(dataDir: string): Promise<string> {
  const path = join(dataDir, 'secret.key');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64url');
    await writeFile(path, key + '\n', { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(path, 'utf8')).trim();
  }
}
