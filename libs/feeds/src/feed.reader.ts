import type { Readable } from 'node:stream';
import { ByteSource, gunzipBytes } from './byte.source.js';
import { CsvFeedReader } from './csv.reader.js';
import { FeedEventQueue } from './feed-event.queue.js';
import { readerIssue } from './feed.issues.js';
import { FeedReadError } from './feed-read.error.js';
import {
  DEFAULT_MAX_CELL_BYTES,
  DEFAULT_MAX_RECORD_BYTES,
  type FeedTextReader,
  type ReaderLimits,
} from './feed-text.reader.js';
import type { FeedEvent, FeedFormat, FeedReadOptions } from './feed.types.js';
import { inspectHead, isGzip, sniffDelimiter, SNIFF_BYTES } from './format.sniffer.js';
import { LinkBuilder } from './link.template.js';
import { FeedTextDecoder } from './text.decoder.js';
import { XmlFeedReader } from './xml.reader.js';

/**
 * Reads a feed (CSV, TSV or XML; plain or gzip; UTF-8, UTF-16 or Windows-1252) into one stream of
 * events: `meta` first, then items and row issues in file order. The input is pulled one chunk at a
 * time and the events of a chunk are handed over before the next is read, so memory stays bounded
 * whatever the size. A problem that ends reading throws a FeedReadError after every item read
 * before it has been yielded.
 */
export function readFeed(
  input: NodeJS.ReadableStream | Readable,
  options: FeedReadOptions = {},
): AsyncIterable<FeedEvent> {
  return readFeedEvents(input as AsyncIterable<unknown>, options);
}

async function* readFeedEvents(input: AsyncIterable<unknown>, options: FeedReadOptions): AsyncGenerator<FeedEvent> {
  const limits: ReaderLimits = {
    maxCellBytes: positive(options.maxCellBytes) ?? DEFAULT_MAX_CELL_BYTES,
    maxRecordBytes: positive(options.maxRecordBytes) ?? DEFAULT_MAX_RECORD_BYTES,
  };
  const queue = new FeedEventQueue();
  // Without a dialect default only the feed's own template can build links (XML, generic CSV).
  queue.links = LinkBuilder.create(options, null);
  const raw = new ByteSource(input);
  let compressed = false;
  try {
    let source = raw;
    let head = await raw.peek(SNIFF_BYTES);
    // A .gz file sent by a client that gzips its requests (Content-Encoding: gzip, stored as sent) is gzip twice.
    for (let layers = 0; isGzip(head) && layers < MAX_GZIP_LAYERS; layers++) {
      compressed = true;
      source = new ByteSource(gunzipBytes(source, positive(options.maxDecompressedBytes)));
      head = await source.peek(SNIFF_BYTES);
    }
    if (head.length === 0) throw emptyFeed();

    const inspection = inspectHead(head, source.exhausted);
    // Refused even when a format is configured: a feed URL that returns a login page should say so.
    if (inspection.notAFeed)
      throw new FeedReadError('NOT_A_FEED', inspection.notAFeed.reason, { hint: inspection.notAFeed.hint });
    const declared = options.format && options.format !== 'AUTO' ? options.format : null;
    if (declared && inspection.format && (declared === 'XML') !== (inspection.format === 'XML')) {
      throw formatMismatch(declared, inspection.format, inspection.text);
    }
    const format = declared ?? inspection.format;
    if (format === null && source.exhausted) throw emptyFeed();
    const { encoding } = inspection;
    const meta = { encoding, ...(compressed ? { compression: 'gzip' as const } : {}) };
    let reader: FeedTextReader;
    if (format === 'XML') {
      reader = new XmlFeedReader(queue, {
        meta,
        columnMapping: options.columnMapping,
        xmlItemElement: options.xmlItemElement,
        limits,
      });
    } else {
      const sniffed =
        format === 'TSV'
          ? { delimiter: '\t', sepLine: false }
          : inspection.delimiter
            ? { delimiter: inspection.delimiter, sepLine: inspection.sepLine ?? false }
            : sniffDelimiter(inspection.text, source.exhausted);
      reader = new CsvFeedReader(queue, {
        ...sniffed,
        meta: { ...meta, format: 'CSV' },
        columnMapping: options.columnMapping,
        limits,
        language: options.language,
        defaultCurrency: options.defaultCurrency,
        links: { storeUrl: options.storeUrl, linkTemplate: options.linkTemplate },
      });
    }

    const decoder = new FeedTextDecoder(encoding);
    for await (const chunk of source) {
      const text = decoder.write(chunk);
      const fallback = decoder.takeFallback();
      if (fallback !== null) {
        // The text before the bad byte first, so the warning's place among the items does not depend on chunking.
        reader.write(text.slice(0, fallback.index));
        yield* queue.take();
        queue.issue(encodingFallback(fallback.offset));
        reader.write(text.slice(fallback.index));
      } else {
        reader.write(text);
      }
      yield* queue.take();
    }
    reader.write(decoder.end());
    reader.end();
    yield* queue.take(true);
  } catch (error) {
    const failure = asFeedError(error, compressed);
    yield* queue.take(true);
    throw failure;
  } finally {
    await raw.close();
  }
}

/** gzip inside gzip is read through; past this many layers the bytes are judged as they are (NOT_A_FEED). */
const MAX_GZIP_LAYERS = 3;

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function emptyFeed(): FeedReadError {
  return new FeedReadError('EMPTY_FEED', 'The file is empty.');
}

/**
 * Reading XML as CSV makes every line a ragged row, and a CSV read as XML is malformed at its first
 * byte: either way the run would fail row by row instead of saying the one thing that is wrong.
 */
function formatMismatch(declared: FeedFormat, found: FeedFormat, head: string): FeedReadError {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  const firstLine = start.split(/\r\n|\n|\r/, 1)[0];
  const shown = firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine;
  const what = found === 'XML' ? 'XML' : `delimited text (${found})`;
  return new FeedReadError(
    'FORMAT_MISMATCH',
    `The feed's format is set to ${declared}, but the file is ${what}: it begins "${shown}".`,
    {
      hint:
        found === 'XML'
          ? `Set the feed's format to AUTO or XML (updateFeed), or upload the ${declared} file this feed expects.`
          : `Set the feed's format to AUTO or ${found} (updateFeed), or upload the XML file this feed expects.`,
    },
  );
}

function encodingFallback(offset: number) {
  return readerIssue(
    'WARNING',
    'ENCODING_FALLBACK',
    0,
    `The file is not valid UTF-8 at byte ${offset}: that byte, and any other that is not UTF-8, was read as Windows-1252 (the rest as UTF-8), so a few characters may be wrong.`,
  );
}

/** zlib reports a cut-off stream as Z_BUF_ERROR ("unexpected end of file") and bad data as Z_DATA_ERROR. */
function asFeedError(error: unknown, compressed: boolean): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!compressed || typeof code !== 'string' || !code.startsWith('Z_')) return error;
  if (code === 'Z_BUF_ERROR') {
    return new FeedReadError(
      'TRUNCATED_GZIP',
      'The gzip file ends too early: it was cut off during upload or download, so the end of the feed is missing.',
    );
  }
  return new FeedReadError('CORRUPT_GZIP', `The gzip data is corrupt (${(error as Error).message}).`);
}
