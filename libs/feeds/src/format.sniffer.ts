import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { CODES } from '@brandshelf/catalog-rules';
import { countUtf8, incompleteUtf8Tail } from './text.decoder.js';
import type { FeedFormat } from './feed.types.js';

/** Bytes looked at to tell binary from text (the rest of the sniff window only decides encoding and delimiter). */
export const BINARY_SNIFF_BYTES = 8 * 1024;
/** Bytes collected before deciding encoding, format and delimiter. */
export const SNIFF_BYTES = 64 * 1024;

export const CSV_DELIMITERS = [',', '\t', ';', '|', '~'] as const;

export interface NotAFeed {
  reason: string;
  hint: string;
}

export interface FeedSniff {
  compression: 'gzip' | null;
  /** Null when the bytes are not a feed (see `notAFeed`) or hold nothing but whitespace. */
  format: FeedFormat | null;
  encoding: string | null;
  delimiter?: string;
  notAFeed?: NotAFeed;
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

const EXPORT_AS_CSV = 'Open it in the spreadsheet program and export the sheet as CSV (UTF-8), then upload that file.';
const ONLY_GZIP = 'Only gzip compression is read: upload the feed uncompressed or as .gz.';

const MAGIC: { bytes: number[]; offset?: number; reason: string; hint: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    reason: 'a ZIP archive (an Excel .xlsx or .ods workbook, or a zipped file)',
    hint: `${EXPORT_AS_CSV} If it is a zipped feed, unzip it first.`,
  },
  { bytes: [0x50, 0x4b, 0x05, 0x06], reason: 'an empty ZIP archive', hint: EXPORT_AS_CSV },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], reason: 'an old Excel (.xls) workbook', hint: EXPORT_AS_CSV },
  {
    bytes: [0x89, 0x50, 0x4e, 0x47],
    reason: 'a PNG image',
    hint: 'Upload the product feed (CSV, TSV or XML), not an image.',
  },
  {
    bytes: [0xff, 0xd8, 0xff],
    reason: 'a JPEG image',
    hint: 'Upload the product feed (CSV, TSV or XML), not an image.',
  },
  {
    bytes: [0x47, 0x49, 0x46, 0x38],
    reason: 'a GIF image',
    hint: 'Upload the product feed (CSV, TSV or XML), not an image.',
  },
  {
    bytes: [0x57, 0x45, 0x42, 0x50],
    offset: 8,
    reason: 'a WebP image',
    hint: 'Upload the product feed (CSV, TSV or XML), not an image.',
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46],
    reason: 'a PDF document',
    hint: 'Upload the product feed (CSV, TSV or XML), not a PDF.',
  },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], reason: 'a 7-Zip archive', hint: ONLY_GZIP },
  { bytes: [0x52, 0x61, 0x72, 0x21], reason: 'a RAR archive', hint: ONLY_GZIP },
  { bytes: [0x42, 0x5a, 0x68], reason: 'a bzip2 file', hint: ONLY_GZIP },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], reason: 'an xz file', hint: ONLY_GZIP },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], reason: 'a zstd file', hint: ONLY_GZIP },
];

export interface EncodingGuess {
  encoding: string;
  /** Whether the bytes carried a byte-order mark. */
  bom: boolean;
}

/**
 * BOM first; then UTF-16 without BOM by its zero bytes; then UTF-8 if valid, or if its multi-byte characters outnumber
 * the bytes that are not UTF-8 (a UTF-8 export with a few stray Windows-1252 bytes pasted in: those alone are read as
 * Windows-1252), else Windows-1252.
 */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  const sample = Math.min(head.length, 4096) & ~1;
  if (sample >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < sample; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    const pairs = sample / 2;
    if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return { encoding: 'utf-16le', bom: false };
    if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return { encoding: 'utf-16be', bom: false };
  }
  const tail = incompleteUtf8Tail(head);
  const body = Buffer.from(head.buffer, head.byteOffset, head.length - tail);
  if (isUtf8(body)) return { encoding: 'utf-8', bom: false };
  const { multiByte, invalid } = countUtf8(body);
  return { encoding: multiByte > invalid ? 'utf-8' : 'windows-1252', bom: false };
}

/** Known binary formats, NUL bytes or mostly control characters in the first 8 KB. */
export function detectBinary(head: Uint8Array, encoding: string): NotAFeed | null {
  for (const magic of MAGIC) {
    const at = magic.offset ?? 0;
    if (head.length >= at + magic.bytes.length && magic.bytes.every((b, i) => head[at + i] === b)) {
      return { reason: `The file is ${magic.reason}, not a product feed.`, hint: magic.hint };
    }
  }
  if (encoding.startsWith('utf-16')) return null;
  const n = Math.min(head.length, BINARY_SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      return {
        reason: 'The file contains NUL bytes, so it is binary data, not a text feed.',
        hint: 'Upload the feed as a CSV, TSV or XML text file (UTF-8 preferred).',
      };
    }
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (n > 0 && control / n > 0.1) {
    return {
      reason: 'The file is mostly non-text bytes, not a text feed.',
      hint: 'Upload the feed as a CSV, TSV or XML text file (UTF-8 preferred).',
    };
  }
  return null;
}

/** The encoding an XML declaration names, when it is a single-byte one we should honour over guessing. */
function declaredXmlEncoding(headText: string): string | null {
  const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(headText);
  if (!decl) return null;
  try {
    const encoding = new TextDecoder(decl[1].toLowerCase()).encoding;
    // UTF-8/16 are decided from the bytes themselves; the declaration is often wrong about them.
    return encoding.startsWith('utf-') ? null : encoding;
  } catch {
    return null;
  }
}

type TextKind = { format: 'XML' } | { format: 'CSV' } | { format: null; notAFeed?: NotAFeed };

/** XML when the first non-space character is `<`; HTML pages and JSON are refused; else CSV. */
function classifyText(text: string): TextKind {
  const start = text.search(/\S/);
  if (start < 0) return { format: null };
  const first = text[start];
  if (first === '<') {
    const lead = text.slice(start, start + 200).toLowerCase();
    if (lead.startsWith('<!doctype html') || lead.startsWith('<html')) {
      return {
        format: null,
        notAFeed: {
          reason: 'The file is an HTML web page, not a product feed.',
          hint: 'The feed URL returned a web page (often a login or error page): check the URL and that the feed is public.',
        },
      };
    }
    return { format: 'XML' };
  }
  if ((first === '{' || first === '[') && /^[[{]\s*["{[\]]/.test(text.slice(start, start + 50))) {
    return {
      format: null,
      notAFeed: {
        reason: 'The file is JSON, which is not a supported feed format.',
        hint: 'Export the feed as CSV, TSV or XML.',
      },
    };
  }
  return { format: 'CSV' };
}

export interface DelimiterGuess {
  delimiter: string;
  /** The first line was Excel's `sep=;` hint, not the header. */
  sepLine: boolean;
}

/**
 * Picks the delimiter whose count outside quotes is non-zero in the header and the same on the most
 * following lines; ties go to the more columns, then to the order comma, tab, semicolon, pipe, tilde.
 * `complete` says the text is the whole file (else its last, maybe cut, line is ignored).
 */
export function sniffDelimiter(text: string, complete = true): DelimiterGuess {
  const sep = /^\uFEFF?sep=(.)\s*?(\r\n|\n|\r)/i.exec(text);
  if (sep) return { delimiter: sep[1], sepLine: true };
  const counts: number[][] = [];
  let current = CSV_DELIMITERS.map(() => 0);
  let inQuotes = false;
  let blank = true;
  const n = text.length;
  for (let i = 0; i < n && counts.length < 50; i++) {
    const c = text[i];
    if (c === '"') {
      inQuotes = !inQuotes;
      blank = false;
    } else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (!blank) counts.push(current);
      current = CSV_DELIMITERS.map(() => 0);
      blank = true;
    } else {
      if (c !== ' ') blank = false;
      if (!inQuotes) {
        const k = CSV_DELIMITERS.indexOf(c as (typeof CSV_DELIMITERS)[number]);
        if (k >= 0) current[k]++;
      }
    }
  }
  if (complete && !blank) counts.push(current);
  if (counts.length === 0) return { delimiter: ',', sepLine: false };
  let best = -1;
  let bestScore = -1;
  let bestColumns = 0;
  for (let k = 0; k < CSV_DELIMITERS.length; k++) {
    const header = counts[0][k];
    if (header === 0) continue;
    const rest = counts.slice(1);
    const score = rest.length ? rest.filter((row) => row[k] === header).length / rest.length : 1;
    if (score > bestScore || (score === bestScore && header > bestColumns)) {
      best = k;
      bestScore = score;
      bestColumns = header;
    }
  }
  return { delimiter: best < 0 ? ',' : CSV_DELIMITERS[best], sepLine: false };
}

export interface HeadInspection {
  encoding: string;
  /** The sniff window as text, for a delimiter when the format is forced. */
  text: string;
  /** Null for whitespace only, or when `notAFeed` says what it is instead. */
  format: FeedFormat | null;
  delimiter?: string;
  sepLine?: boolean;
  notAFeed?: NotAFeed;
}

/** Encoding, format and delimiter from the (inflated) sniff window; `complete` says it is the whole file. */
export function inspectHead(head: Buffer, complete: boolean): HeadInspection {
  const guess = detectEncoding(head);
  const binary = detectBinary(head, guess.encoding);
  if (binary) return { encoding: guess.encoding, text: '', format: null, notAFeed: binary };
  const text = decodeHead(head, guess.encoding);
  const kind = classifyText(text);
  if (kind.format === 'XML') {
    const declared = declaredXmlEncoding(text);
    return { encoding: declared && guess.encoding !== 'utf-8' ? declared : guess.encoding, text, format: 'XML' };
  }
  if (kind.format === null) {
    return { encoding: guess.encoding, text, format: null, ...(kind.notAFeed ? { notAFeed: kind.notAFeed } : {}) };
  }
  const { delimiter, sepLine } = sniffDelimiter(text, complete);
  return { encoding: guess.encoding, text, format: delimiter === '\t' ? 'TSV' : 'CSV', delimiter, sepLine };
}

/**
 * What the first bytes of an upload are: compression, encoding, format and, for CSV, the delimiter.
 * A gzip prefix is inflated as far as it goes (a truncated prefix is fine).
 */
export function sniffFormat(firstBytes: Buffer): FeedSniff {
  let bytes = firstBytes;
  let compression: FeedSniff['compression'] = null;
  if (isGzip(bytes)) {
    compression = 'gzip';
    try {
      bytes = gunzipSync(bytes.subarray(0, 4096), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, SNIFF_BYTES);
    } catch {
      return {
        compression,
        format: null,
        encoding: null,
        notAFeed: {
          reason: 'The gzip data is corrupt.',
          hint: CODES.CORRUPT_GZIP.hint,
        },
      };
    }
  }
  const { encoding, format, delimiter, notAFeed } = inspectHead(
    bytes,
    compression === null && bytes.length < SNIFF_BYTES,
  );
  return {
    compression,
    format,
    encoding: notAFeed ? null : encoding,
    ...(delimiter ? { delimiter } : {}),
    ...(notAFeed ? { notAFeed } : {}),
  };
}

/** The sniff window as text (not for the stream: a cut multi-byte character at its end is dropped). */
function decodeHead(head: Uint8Array, encoding: string): string {
  return new TextDecoder(encoding).decode(head, { stream: true });
}
