/**
 * The feed reader thread (see read-thread.ts): reads, decodes, tokenizes, maps, validates and hashes a
 * run's file and posts the prepared rows back in batches. It loads only the pure libs, never the
 * database, NestJS or the app's configuration.
 */
import type { Readable } from 'node:stream';
import { parentPort, threadId } from 'node:worker_threads';
import { FeedReadError, readFeed } from '@brandshelf/feeds';
import type { FromWorker, ReadWorkerData, ToWorker } from './read-thread.js';
import { prepareEvents, type PreparedEvent } from './row-preparer.js';

/** Chunks asked for ahead of the reader (fs streams give 64 KiB chunks). */
const PREFETCH_CHUNKS = 4;
/** A batch is posted at this many events, or when its first event is this old. */
const BATCH_EVENTS = 256;
const BATCH_MS = 50;
/** Batches posted and not yet written by the main thread before the reader pauses. */
const MAX_UNACKED_BATCHES = 4;

/** The main thread's source failed; the main thread rethrows its own error object. */
class SourceError extends Error {}

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

// One run at a time; a thread whose run ended cleanly is kept for the next (see read-thread.ts).
let chunks: Uint8Array[] = [];
let requested = 0;
let ended = false;
let inputError: string | null = null;
let posted = 0;
let acked = 0;
let wake: (() => void) | null = null;
const notify = () => {
  const w = wake;
  wake = null;
  w?.();
};
const waitForMessage = () => new Promise<void>((resolve) => (wake = resolve));

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    chunks = [];
    requested = 0;
    ended = false;
    inputError = null;
    posted = 0;
    acked = 0;
    void run(message.data);
    return;
  }
  if (message.type === 'ack') acked++;
  else {
    requested--;
    if (message.type === 'chunk') chunks.push(message.data);
    else if (message.type === 'end') ended = true;
    else inputError = message.message;
  }
  notify();
});

/** The run's bytes, asked for as the reader pulls them. */
async function* input(): AsyncGenerator<Buffer> {
  for (;;) {
    while (!ended && inputError === null && requested + chunks.length < PREFETCH_CHUNKS) {
      requested++;
      post({ type: 'pull' });
    }
    const chunk = chunks.shift();
    if (chunk) {
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      continue;
    }
    if (inputError !== null) throw new SourceError(inputError);
    if (ended) return;
    await waitForMessage();
  }
}

// readFeed only iterates its input (an async iterable of chunks), which is what input() is.
async function run(data: ReadWorkerData): Promise<void> {
  let batch: PreparedEvent[] = [];
  let batchStarted = 0;
  let items = 0;
  const send = () => {
    if (!batch.length) return;
    post({ type: 'batch', events: batch });
    batch = [];
    posted++;
  };
  try {
    for await (const event of prepareEvents(readFeed(input() as unknown as Readable, data.read), data.prepare)) {
      if (!batch.length) batchStarted = Date.now();
      batch.push(event);
      if (event.type === 'item') items++;
      if (batch.length >= BATCH_EVENTS || event.type === 'meta' || Date.now() - batchStarted >= BATCH_MS) {
        send();
        while (posted - acked >= MAX_UNACKED_BATCHES) await waitForMessage();
      }
    }
    send();
    post({ type: 'done', threadId, items });
  } catch (error) {
    // What was read before the problem goes first, as a reader in the main thread would have yielded it.
    send();
    if (error instanceof FeedReadError) {
      post({ type: 'fatal', code: error.code, message: error.message, hint: error.hint, row: error.row });
    } else if (error instanceof SourceError) {
      post({ type: 'source-error' });
    } else {
      const e = error as Error;
      post({ type: 'error', message: String(e?.message ?? error), stack: e?.stack });
    }
  }
}
