import { Transform } from 'node:stream';
import type { IngestionRunStore } from './ingestion-run.store.js';
import type { RunPhase } from './ingestion-run.entity.js';

export interface RunCounters {
  phase: RunPhase;
  bytesRead: number;
  bytesTotal: number | null;
  /** Data rows the reader read; each ends as an item (accepted or rejected), a rejected row or a skip. */
  rowsRead: number;
  rowsSkipped: number;
  /** Skipped rows by reason (INACTIVE, IMAGE_ONLY_ROW, VARIANT_PARENT, GROUPED_PRODUCT). */
  skippedByReason: Record<string, number>;
  itemsAccepted: number;
  itemsRejected: number;
  warnings: number;
  errors: number;
  /** Items a feed rule excluded (each also a skipped row, reason EXCLUDED_BY_RULE). */
  itemsExcluded?: number;
  /** Items a feed rule changed. */
  itemsChangedByRules?: number;
  /** Excluded items by rule id. */
  excludedByRule?: Map<string, { ruleId: string; ruleName: string; count: number }>;
}

export class RunCancelledError extends Error {
  constructor() {
    super('The run was cancelled.');
  }
}

/**
 * This process is shutting down and stopped waiting for the run (its job's signal, SHUTDOWN_TIMEOUT_MS): the run
 * stops where it is and goes back to the queue, to be started over by another worker.
 */
export class RunHandBackError extends Error {
  constructor() {
    super('The worker is shutting down; the run goes back to the queue.');
  }
}

/**
 * Counters of a running ingestion, written to its row at most every `intervalMs` (the GraphQL
 * subscription reads them from there, whichever process runs the job). Each write also reads the
 * cancel flag, so cancelling takes effect within one interval, and `signal` (the job's: its process is shutting
 * down and will not wait for the run), which hands the run back within one interval.
 */
export class RunProgress {
  readonly counters: RunCounters = {
    phase: 'READING',
    bytesRead: 0,
    bytesTotal: null,
    rowsRead: 0,
    rowsSkipped: 0,
    skippedByReason: {},
    itemsAccepted: 0,
    itemsRejected: 0,
    warnings: 0,
    errors: 0,
  };
  private lastFlush = 0;

  constructor(
    private readonly store: IngestionRunStore,
    private readonly brandId: string,
    private readonly runId: string,
    private readonly intervalMs: number,
    private readonly onProgress?: (counters: RunCounters) => void,
    private readonly signal?: AbortSignal,
  ) {}

  /** Throws RunHandBackError once the job's process stopped waiting for the run (see `signal`). */
  checkHandBack(): void {
    if (this.signal?.aborted) throw new RunHandBackError();
  }

  /** Cheap enough to check per item; when true, `flush()`. */
  due(): boolean {
    return Date.now() - this.lastFlush >= this.intervalMs;
  }

  /** A pass-through that counts bytes and writes progress (and notices cancellation) as they flow. */
  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.counters.bytesRead += chunk.length;
        if (!this.due()) return callback(null, chunk);
        this.flush().then(() => callback(null, chunk), callback);
      },
    });
  }

  async setPhase(phase: RunPhase): Promise<void> {
    this.counters.phase = phase;
    await this.flush();
  }

  async flush(): Promise<void> {
    this.checkHandBack();
    this.lastFlush = Date.now();
    const c = this.counters;
    const cancelRequested = await this.store.writeProgress(this.brandId, this.runId, {
      ...c,
      rowsSkippedByReason: skipCounts(c),
    });
    this.onProgress?.(c);
    if (cancelRequested) throw new RunCancelledError();
  }
}

export interface RowSkipCount {
  reason: string;
  count: number;
}

/** The skip counters as stored on the run: most frequent reason first. */
export function skipCounts(counters: Pick<RunCounters, 'skippedByReason'>): RowSkipCount[] {
  return Object.entries(counters.skippedByReason)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}
