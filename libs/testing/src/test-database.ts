import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '@brandshelf/db';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The real server the suite runs against, or null to use embedded PGlite (a machine with no PostgreSQL). */
export function testServerUrl(): string | null {
  return process.env.TEST_DATABASE_URL?.trim() || null;
}

export const TEST_DB_PREFIX = 'bs_test_';

let sweeping: Promise<void> | undefined;

/**
 * A database of its own for one test file: a fresh database on the real server (named with its
 * creation time, so a crashed run's leftovers can be swept), or an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  if (!server) {
    const embedded = await startEmbeddedPostgres(null);
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  sweeping ??= sweepStaleTestDatabases(server).catch(() => undefined);
  await sweeping;
  const name = `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(server: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops test databases older than an hour: what runs that crashed before their teardown left. */
export async function sweepStaleTestDatabases(server: string): Promise<void> {
  const { rows } = await adminQuery(server, `SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DB_PREFIX}%'`);
  const cutoff = Date.now() / 1000 - 3600;
  for (const { datname } of rows as { datname: string }[]) {
    const created = Number(datname.slice(TEST_DB_PREFIX.length).split('_')[0]);
    if (created && created < cutoff) await adminQuery(server, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}
