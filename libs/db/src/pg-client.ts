import { PassThrough, type Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';

/**
 * A connection of its own from TypeORM's pool, for COPY and session-local temp tables. pg-pool listens for a
 * connection's 'error' only while it is idle: a checked-out one whose server connection drops (a server restart,
 * a failover, pg_terminate_backend, a proxy's idle cut) emitted it to no listener, and the process died with
 * "Unhandled 'error' event ... Connection terminated unexpectedly", taking every job it ran with it. Here the
 * error is left to what was running on the connection (its query or COPY fails with it, and the caller's retry
 * takes over); the broken connection is dropped by the pool when released.
 */
export async function acquireClient(dataSource: DataSource): Promise<PoolClient> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  const release = client.release;
  client.release = (error?: Error | boolean) => {
    client.removeListener('error', ignore);
    return release.call(client, error);
  };
  return client;
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
