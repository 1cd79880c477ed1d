import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ItemIssue } from '@brandshelf/catalog-rules';
import { readFeed } from '../feed.reader.js';
import { FeedReadError } from '../feed-read.error.js';
import type { FeedEvent, FeedReadMeta, FeedReadOptions, RawItem, RowSkipReason } from '../feed.types.js';

/** The sample feeds kept in the repository (test/fixtures/feeds, see its README for each file's source). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../../test/fixtures/feeds/', import.meta.url));

export function sample(path: string): Buffer {
  return readFileSync(`${SAMPLES_DIR}${path}`);
}

/** The bytes as a stream of `chunkSize`-byte chunks (1 proves the readers are boundary-safe). */
export function chunked(data: Buffer | string, chunkSize = 64 * 1024): Readable {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export interface ReadResult {
  /** Every event but the `rows` progress counts. */
  events: FeedEvent[];
  meta: FeedReadMeta | null;
  items: RawItem[];
  issues: ItemIssue[];
  skips: { row: number; reason: RowSkipReason }[];
  /** The reader's own count of data rows (its last `rows` event). */
  rowsRead: number;
  error: FeedReadError | null;
}

/** Reads a whole feed, keeping a FeedReadError (thrown after the items) instead of throwing it. */
export async function readAll(
  data: Buffer | string | Readable,
  options?: FeedReadOptions,
  chunkSize?: number,
): Promise<ReadResult> {
  const input = data instanceof Readable ? data : chunked(data, chunkSize);
  const result: ReadResult = { events: [], meta: null, items: [], issues: [], skips: [], rowsRead: 0, error: null };
  try {
    for await (const event of readFeed(input, options)) {
      // `rows` reports progress once per chunk, so it depends on chunking; its last value is kept.
      if (event.type !== 'rows') result.events.push(event);
      if (event.type === 'meta') result.meta = event.meta;
      else if (event.type === 'item') result.items.push(event.item);
      else if (event.type === 'issue') result.issues.push(event.issue);
      else if (event.type === 'skip') result.skips.push({ row: event.row, reason: event.reason });
      else result.rowsRead = event.rowsRead;
    }
  } catch (error) {
    if (!(error instanceof FeedReadError)) throw error;
    result.error = error;
  }
  return result;
}

export function itemById(result: ReadResult, id: string): RawItem {
  const item = result.items.find((candidate) => candidate.fields.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
}
