import { PassThrough, type Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';

/** A connection of its own from TypeORM's pool, for COPY and session-local temp tables. */
export function acquireClient(dataSource: DataSource): Promise<PoolClient> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return pool.connect();
}

/**
 * `COPY … TO STDOUT` streamed to the caller (never held whole): the connection is released when the copy ends,
 * fails, or the reader goes away first (then the copy is cut off and the connection discarded).
 */
export async function copyToStream(dataSource: DataSource, sql: string): Promise<Readable> {
  const client = await acquireClient(dataSource);
  const stream = client.query(copyTo(sql));
  const out = new PassThrough();
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  stream.on('error', (error: Error) => {
    release(error);
    out.destroy(error);
  });
  stream.on('end', () => release());
  out.on('close', () => {
    if (!released) {
      stream.destroy();
      release(new Error('client went away'));
    }
  });
  stream.pipe(out);
  return out;
}
