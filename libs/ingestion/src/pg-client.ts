import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** A connection of its own from TypeORM's pool, for COPY and session-local temp tables. */
export function acquireClient(dataSource: DataSource): Promise<PoolClient> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return pool.connect();
}
