import pg from 'pg';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { redact } from '@brandshelf/core';
import { SnakeNamingStrategy } from './naming.strategy.js';
import { MIGRATIONS } from './migrations/index.js';
import { scopedClientClass, type TenancyPolicy } from './tenancy.js';

/** Raised when the database named by DATABASE_URL cannot be reached; names the setting and the cause. */
export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: Error & { code?: string }) {
    super(
      `DATABASE_URL: cannot connect to PostgreSQL at ${redact(url)} ` +
        `(${cause.code ? cause.code + ': ' : ''}${cause.message}). ` +
        'Check that the server is running and the URL, user, password and database name are right, ' +
        'or unset DATABASE_URL to use the embedded database.',
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** Fails fast, with a message a person can act on, before anything else starts. */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnavailableError(url, error as Error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  applicationName?: string;
  /**
   * The tenancy policy of the pool's connections (see tenancy.ts): each query runs under the caller's scope once
   * `role` is set (after migrations). Absent: plain connections.
   */
  tenancy?: TenancyPolicy;
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: settings.applicationName ?? 'brandshelf',
    extra: {
      max: settings.poolSize,
      connectionTimeoutMillis: 10_000,
      ...(settings.tenancy ? { Client: scopedClientClass(settings.tenancy) } : {}),
    },
  });
}

/** Any number of processes may boot at once; an advisory lock lets exactly one migrate. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7254190311)');
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7254190311)').catch(() => undefined);
    await runner.release();
  }
}
