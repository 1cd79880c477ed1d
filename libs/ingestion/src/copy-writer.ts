import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from './copy-text.js';

type Field = string | number | null | undefined;

const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Rows streamed into one table; COPY on PostgreSQL, batched INSERTs on PGlite. */
export interface RowWriter {
  readonly count: number;
  write(fields: Field[]): Promise<void>;
  end(): Promise<void>;
  abort(): void;
}

/**
 * The writer for `table (columns)`. PGlite runs every connection in one backend session, so a COPY
 * left open there while other connections query (progress, the API) breaks the protocol: it gets
 * batched multi-row INSERTs instead, each its own statement.
 */
export function openRowWriter(client: PoolClient, table: string, columns: string[], pglite: boolean): RowWriter {
  return pglite
    ? new InsertWriter(client, table, columns)
    : new CopyWriter(client, `COPY ${table} (${columns.join(', ')}) FROM STDIN`);
}

/** Batched INSERTs (500 rows or fewer per statement). */
export class InsertWriter implements RowWriter {
  private rows: Field[][] = [];
  count = 0;
  private readonly batch: number;

  constructor(
    private readonly client: PoolClient,
    private readonly table: string,
    private readonly columns: string[],
  ) {
    this.batch = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)));
  }

  async write(fields: Field[]): Promise<void> {
    this.rows.push(fields);
    this.count++;
    if (this.rows.length >= this.batch) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.rows.length) return;
    const rows = this.rows;
    this.rows = [];
    const width = this.columns.length;
    const values = rows.map((_, r) => `(${this.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    const params = rows.flat().map((v) => (v === undefined ? null : typeof v === 'string' ? v.replace(/\0/g, '') : v));
    await this.client.query(`INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${values}`, params);
  }

  end(): Promise<void> {
    return this.flush();
  }

  abort(): void {
    this.rows = [];
  }
}

/**
 * A COPY FROM STDIN kept open for a whole run: rows are written as they are parsed and PostgreSQL
 * loads them concurrently, with backpressure, so reading and writing overlap in bounded memory.
 * Lines are gathered into ~64 KiB chunks, which is far cheaper than one stream write per row.
 */
export class CopyWriter implements RowWriter {
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;
  private buffer = '';
  private failed: Error | null = null;
  count = 0;

  constructor(client: PoolClient, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.done = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', () => resolve());
      this.stream.on('error', (error: Error) => {
        this.failed = error;
        reject(error);
      });
    });
    this.done.catch(() => undefined);
  }

  async write(fields: Field[]): Promise<void> {
    if (this.failed) throw this.failed;
    this.buffer += copyLine(fields);
    this.count++;
    if (this.buffer.length >= 65536) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.stream.write(chunk);
    // Up to a few MB may wait in the socket's queue: PostgreSQL loads one part while the next is parsed.
    // Waiting for 'drain' after every 64 KiB would make the two take turns instead. once() also rejects on the
    // stream's 'error'; racing `done` instead would leave one reaction on it per wait until the COPY ends,
    // which grows with the feed when PostgreSQL is the slower side.
    if (this.stream.writableLength > MAX_QUEUED_BYTES) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }

  /** Abandons the COPY (the statement fails and its rows are discarded). */
  abort(): void {
    this.stream.destroy(new Error('copy aborted'));
  }
}
