import { PassThrough, type Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { AppError } from '@brandshelf/core';

/**
 * A connection of its own from TypeORM's pool, for COPY and session-local temp tables. pg-pool listens for a
 * connection's 'error' only while it is idle: a checked-out one whose server connection drops (a server restart,
 * a failover, pg_terminate_backend, a proxy's idle cut) emitted it to no listener, and the process died with
 * "Unhandled 'error' event ... Connection terminated unexpectedly", taking every job it ran with it. Here the
 * error is left to what was running on the connection (its query or COPY fails with it, and the caller's retry
 * takes over); the broken connection is dropped by the pool when released.
 */
export async function acquireClient(dataSource: DataSource): Promise<PoolClient> {
  const client = await poolOf(dataSource).connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  const release = client.release;
  client.release = (error?: Error | boolean) => {
    client.removeListener('error', ignore);
    return release.call(client, error);
  };
  return client;
}

function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * How long a COPY download may wait for its reader to take the next chunk before it is cut off. A download
 * holds a pooled connection for as long as it lasts, so one whose client stopped reading (a slow or hostile
 * reader that keeps its socket open) must give it back: the same minute a channel export waits.
 */
export const COPY_STALL_MS = 60_000;

/** Retry-After of a COPY download refused because the pool's share for downloads is taken. */
export const COPY_BUSY_RETRY_SECONDS = 5;

/** COPY downloads one pool serves at once: a quarter of its connections (2 of the default 10), at least 1. */
export function copyStreamsAtOnce(dataSource: DataSource): number {
  const max = (poolOf(dataSource) as unknown as { options?: { max?: number } }).options?.max ?? 10;
  return Math.max(1, Math.floor(max / 4));
}

const openCopies = new WeakMap<object, number>();

export interface CopyToStreamOptions {
  /** See COPY_STALL_MS (tests make it short). */
  stallMs?: number;
}

/** The download was cut off because its reader took nothing for `stallMs` while more was waiting. */
export class CopyStalledError extends Error {
  readonly code = 'COPY_STALLED';
  constructor(stallMs: number) {
    super(`The reader took nothing for ${stallMs} ms; the download was cut off and its connection released.`);
    this.name = 'CopyStalledError';
  }
}

/**
 * `COPY … TO STDOUT` streamed to the caller (never held whole): the connection is released when the copy ends,
 * fails, or the reader goes away first (then the copy is cut off and the connection discarded).
 *
 * Each one holds a pooled connection until it ends, so they are bounded twice: at most `copyStreamsAtOnce` per pool
 * (any more are refused with OVERLOADED before a connection is taken), and a reader that takes nothing for
 * `stallMs` while the copy has more to give is cut off (the stream is destroyed with CopyStalledError). Without
 * this, as many never-reading downloads as the pool has connections left every other query of the process
 * waiting for one (a 500 after the pool's connect timeout, for every brand).
 */
export async function copyToStream(
  dataSource: DataSource,
  sql: string,
  options: CopyToStreamOptions = {},
): Promise<Readable> {
  const stallMs = options.stallMs ?? COPY_STALL_MS;
  const pool = poolOf(dataSource);
  const limit = copyStreamsAtOnce(dataSource);
  const open = openCopies.get(pool) ?? 0;
  if (open >= limit) {
    throw new AppError(
      'OVERLOADED',
      `As many downloads as this server streams at once (${limit}) are under way; retry in ${COPY_BUSY_RETRY_SECONDS} s.`,
      { retryAfterSeconds: COPY_BUSY_RETRY_SECONDS },
    );
  }
  openCopies.set(pool, open + 1);
  let slotHeld = true;
  const freeSlot = () => {
    if (!slotHeld) return;
    slotHeld = false;
    openCopies.set(pool, (openCopies.get(pool) ?? 1) - 1);
  };
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    freeSlot();
    throw error;
  }
  const stream = client.query(copyTo(sql));
  const out = new PassThrough();
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    clearTimeout(stallTimer);
    client.release(error);
    freeSlot();
  };
  // Re-armed on every chunk the reader takes; when it fires with the buffer still full, the reader has stalled.
  let stallTimer: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      if (released) return;
      if (out.writableNeedDrain || out.readableLength > 0) out.destroy(new CopyStalledError(stallMs));
      else watch();
    }, stallMs);
    stallTimer.unref();
  };
  // A chunk handed to the reader (piped or read) re-arms the watch; paused, so nothing flows before it reads.
  out.on('data', watch).pause();
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
  watch();
  return out;
}
