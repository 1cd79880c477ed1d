import { Worker } from 'node:worker_threads';
import type { FeedReadErrorCode } from '@brandshelf/catalog-rules';
import { FeedReadError, type FeedReadOptions } from '@brandshelf/feeds';
import type { PreparedEvent, PrepareOptions } from './row-preparer.js';

/**
 * The CPU-heavy part of a run (decoding, tokenizing, dialect mapping, validating, normalizing, hashing)
 * runs in a worker thread, so the event loop that answers HTTP (and, embedded, runs PGlite) only moves
 * bytes and writes ready rows. The protocol, both ways bounded:
 *
 * - bytes: the worker asks for a chunk (`pull`, at most PREFETCH_CHUNKS outstanding) and this side reads
 *   one from the source and transfers it; nothing is read that the worker did not ask for.
 * - rows: the worker sends batches of prepared events and stops reading once MAX_UNACKED_BATCHES are
 *   unacknowledged; this side acknowledges a batch when its consumer has taken all of it, i.e. when the
 *   rows were written. So the reader pauses whenever the writer is behind.
 */
export interface ReadWorkerData {
  read: FeedReadOptions;
  prepare: PrepareOptions;
}

/** What the worker reports when it has read the whole file. */
export interface ReadThreadReport {
  /** The worker's threadId (never 0, the main thread's). */
  threadId: number;
  /** Items validated on the worker. */
  items: number;
}

export type ToWorker =
  | { type: 'start'; data: ReadWorkerData }
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; message: string }
  | { type: 'ack' };

export type FromWorker =
  | { type: 'pull' }
  | { type: 'batch'; events: PreparedEvent[] }
  | ({ type: 'done' } & ReadThreadReport)
  | { type: 'fatal'; code: string; message: string; hint: string; row?: number }
  | { type: 'source-error' }
  | { type: 'error'; message: string; stack?: string };

/** Totals of the reads this process ran on worker threads (what the responsiveness test looks at). */
export const readThreadStats = { runs: 0, items: 0, lastThreadId: null as number | null };

/**
 * The worker's module and how to load it. From compiled code (`npm start`, the worker app, the CLI,
 * benches) that is dist's read-worker.js, which needs no module hooks (the build made its `@brandshelf/*`
 * imports relative); from the TypeScript sources (jest, whose transform a worker does not get) it is
 * read-worker.ts with scripts/register-ts.mjs, which compiles TypeScript with swc as it is imported.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return {
      url: new URL('./read-worker.ts', here),
      execArgv: ['--import', new URL('../../../scripts/register-ts.mjs', here).href],
    };
  }
  return { url: new URL('./read-worker.js', here), execArgv: ['--enable-source-maps'] };
}

/**
 * The thread's young generation. Everything it allocates per row dies within a batch (at most
 * MAX_UNACKED_BATCHES of 256 rows are alive at once, a few MB), so V8's default (semi-spaces grown to 16 MB,
 * 32 MB committed for the whole life of the thread) only makes the serving process bigger; measured with
 * bench/serve-memory, see README: Benchmarks. The old generation is left unbounded: the duplicate-id index
 * grows with the feed, and a limit would end a large run with ERR_WORKER_OUT_OF_MEMORY.
 */
export const READER_YOUNG_GENERATION_MB = 8;

/** Threads kept after a clean run for the next one (a thread costs tens of ms to start, more from sources). */
const MAX_IDLE_THREADS = 2;
/** An idle thread is ended after this long. Idle threads never keep the process alive. */
const IDLE_MS = 30_000;
const idle: { worker: Worker; timer: NodeJS.Timeout; youngGenerationMb: number }[] = [];

function acquire(youngGenerationMb: number): Worker {
  const at = idle.findLastIndex((t) => t.youngGenerationMb === youngGenerationMb);
  const kept = at >= 0 ? idle.splice(at, 1)[0] : undefined;
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.ref();
    return kept.worker;
  }
  const entry = workerEntry();
  const worker = new Worker(entry.url, {
    execArgv: entry.execArgv,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
  });
  // A thread that dies while idle leaves the pool; its error is the run's to report, never an uncaught one.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    const index = idle.findIndex((kept) => kept.worker === worker);
    if (index >= 0) {
      clearTimeout(idle[index].timer);
      idle.splice(index, 1);
    }
  });
  return worker;
}

function release(
  worker: Worker,
  listeners: Record<'message' | 'error' | 'exit', (...args: any[]) => void>,
  youngGenerationMb: number,
): void {
  // Only ours: removeAllListeners() would also remove the one that delivers the thread's messages.
  for (const [event, listener] of Object.entries(listeners)) worker.off(event, listener);
  if (idle.length >= MAX_IDLE_THREADS) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const kept = {
    worker,
    youngGenerationMb,
    timer: setTimeout(() => {
      void worker.terminate(); // the exit listener takes it out of the pool
    }, IDLE_MS).unref(),
  };
  idle.push(kept);
}

/**
 * `body`'s bytes read, validated and serialized on a worker thread, as prepared events in file order.
 * A FeedReadError crosses as itself (same code, message, hint and row); an error of `body` (a storage
 * failure, a cancelled run noticed while counting bytes) is rethrown as the very same object, after the
 * events read before it, as when the reader ran here. A run that ends any other way than reading to the
 * end (an error, a cancel, the consumer stopping) terminates its thread.
 */
export async function* readInThread(
  body: AsyncIterable<unknown>,
  data: ReadWorkerData,
  /** The thread's young-generation limit (INGEST_READER_YOUNG_GENERATION_MB). */
  youngGenerationMb = READER_YOUNG_GENERATION_MB,
): AsyncGenerator<PreparedEvent, ReadThreadReport> {
  const worker = acquire(youngGenerationMb);
  const source = body[Symbol.asyncIterator]();
  let sourceDone = false;
  let sourceError: unknown = null;
  let pulling = Promise.resolve();
  const post = (message: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);
  const pull = () => {
    pulling = pulling.then(async () => {
      if (sourceDone) return post({ type: 'end' });
      try {
        const next = await source.next();
        if (next.done) {
          sourceDone = true;
          return post({ type: 'end' });
        }
        const value = next.value as Uint8Array | string;
        // A copy in a buffer of its own, moved (not cloned) to the worker; the source's may be pooled.
        const copy = typeof value === 'string' ? new Uint8Array(Buffer.from(value)) : new Uint8Array(value);
        post({ type: 'chunk', data: copy }, [copy.buffer as ArrayBuffer]);
      } catch (error) {
        sourceDone = true;
        sourceError = error;
        post({ type: 'error', message: String((error as Error)?.message ?? error) });
      }
    });
  };

  const inbox: FromWorker[] = [];
  let failure: Error | null = null;
  let exitCode: number | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const listeners = {
    message: (message: FromWorker) => {
      if (message.type === 'pull') return pull();
      inbox.push(message);
      notify();
    },
    error: (error: Error) => {
      failure = error;
      notify();
    },
    exit: (code: number) => {
      exitCode = code;
      notify();
    },
  };
  worker.on('message', listeners.message);
  worker.on('error', listeners.error);
  worker.on('exit', listeners.exit);
  post({ type: 'start', data });
  let clean = false;

  try {
    for (;;) {
      while (!inbox.length) {
        if (failure) throw failure;
        if (exitCode !== null) throw new Error(`The feed reader thread stopped unexpectedly (exit code ${exitCode}).`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = inbox.shift()!;
      switch (message.type) {
        case 'batch':
          for (const event of message.events) yield event;
          post({ type: 'ack' });
          break;
        case 'done':
          clean = true;
          readThreadStats.runs++;
          readThreadStats.items += message.items;
          readThreadStats.lastThreadId = message.threadId;
          return { threadId: message.threadId, items: message.items };
        case 'fatal':
          throw new FeedReadError(message.code as FeedReadErrorCode, message.message, {
            hint: message.hint,
            row: message.row,
          });
        case 'source-error':
          throw sourceError;
        case 'error': {
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          throw error;
        }
      }
    }
  } finally {
    if (clean) {
      await pulling;
      release(worker, listeners, youngGenerationMb);
    } else {
      // The caller destroys `body` (a read still pending on it ends then); nothing here waits for it.
      for (const [event, listener] of Object.entries(listeners)) worker.off(event, listener);
      await worker.terminate();
    }
  }
}
