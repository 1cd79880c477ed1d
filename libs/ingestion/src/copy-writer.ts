import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from './copy-text.js';

/**
 * A COPY FROM STDIN kept open for a whole run: rows are written as they are parsed and PostgreSQL
 * loads them concurrently, with backpressure, so reading and writing overlap in bounded memory.
 * Lines are gathered into ~64 KiB chunks, which is far cheaper than one stream write per row.
 */
export class CopyWriter {
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

  async write(fields: (string | number | null | undefined)[]): Promise<void> {
    if (this.failed) throw this.failed;
    this.buffer += copyLine(fields);
    this.count++;
    if (this.buffer.length >= 65536) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) {
      await Promise.race([once(this.stream, 'drain'), this.done]);
    }
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
