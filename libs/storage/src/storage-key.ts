import { Transform } from 'node:stream';
import { StorageError } from './storage.errors.js';

const MAX_KEY_BYTES = 1024;

/**
 * Keys are relative, slash-separated paths. Segments may not start with a dot, which rules out `.` and `..`
 * and keeps the local store's own `.tmp` and `.meta` folders out of reach; both stores apply the same rule
 * so a key that works locally works on S3.
 */
export function assertValidKey(key: string): void {
  const problem =
    typeof key !== 'string' || key.length === 0
      ? 'is empty'
      : Buffer.byteLength(key) > MAX_KEY_BYTES
        ? `is longer than ${MAX_KEY_BYTES} bytes`
        : key.startsWith('/') || /^[a-z]:/i.test(key)
          ? 'is absolute'
          : /[\\\u0000-\u001f\u007f]/.test(key)
            ? 'contains a backslash or control character'
            : key.split('/').some((segment) => segment === '' || segment.startsWith('.'))
              ? 'has an empty segment or one starting with a dot'
              : null;
  if (problem) throw new StorageError('INVALID_KEY', `Storage key ${JSON.stringify(key)} ${problem}`);
}

/** Percent-encodes each segment, keeping the slashes. */
export function encodeKeyForUrl(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  avif: 'image/avif',
  json: 'application/json',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  xml: 'application/xml',
  txt: 'text/plain',
  gz: 'application/gzip',
  zip: 'application/zip',
};

/** The content type a key's extension implies, or null when the extension is unknown. */
export function contentTypeForKey(key: string): string | null {
  const dot = key.lastIndexOf('.');
  if (dot === -1 || dot < key.lastIndexOf('/')) return null;
  return TYPES_BY_EXTENSION[key.slice(dot + 1).toLowerCase()] ?? null;
}

/** Passes bytes through, counting them; fails (so the put stores nothing) if the total is not `expected`. */
export function byteCounter(key: string, expected?: number): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      if (expected !== undefined && counter.bytes > expected) return callback(mismatch(key, expected, 'more'));
      callback(null, chunk);
    },
    flush(callback) {
      callback(expected !== undefined && counter.bytes !== expected ? mismatch(key, expected, counter.bytes) : null);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

export function assertLength(key: string, actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected) throw mismatch(key, expected, actual);
}

function mismatch(key: string, expected: number, actual: number | 'more'): StorageError {
  return new StorageError('SIZE_MISMATCH', `Body for ${key} has ${actual} bytes, declared ${expected}`);
}
