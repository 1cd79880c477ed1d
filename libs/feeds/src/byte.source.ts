import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FeedReadError } from './feed-read.error.js';

/**
 * The input as Buffers, pulled one chunk at a time (so the producer is paused while we work), with
 * a look-ahead window for sniffing that is handed out again when iteration starts.
 */
export class ByteSource implements AsyncIterable<Buffer> {
  private readonly iterator: AsyncIterator<unknown>;
  private buffered: Buffer[] = [];
  private finished = false;

  constructor(input: AsyncIterable<unknown>) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  /** Whether the input ended inside the last `peek` window. */
  get exhausted(): boolean {
    return this.finished;
  }

  /**
   * Up to `bytes` from the start, without consuming them. Never more, even when a chunk overshoots: what
   * is decided from the head (encoding, format, delimiter) must not depend on how the input was chunked.
   */
  async peek(bytes: number): Promise<Buffer> {
    let total = this.buffered.reduce((sum, chunk) => sum + chunk.length, 0);
    while (total < bytes && !this.finished) {
      const next = await this.iterator.next();
      if (next.done) {
        this.finished = true;
        break;
      }
      const chunk = toBuffer(next.value);
      if (chunk.length === 0) continue;
      this.buffered.push(chunk);
      total += chunk.length;
    }
    const head = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered, total);
    this.buffered = head.length ? [head] : [];
    return head.length > bytes ? head.subarray(0, bytes) : head;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    while (this.buffered.length) yield this.buffered.shift()!;
    while (!this.finished) {
      const next = await this.iterator.next();
      if (next.done) {
        this.finished = true;
        break;
      }
      const chunk = toBuffer(next.value);
      if (chunk.length) yield chunk;
    }
  }

  /** Stops the input (destroys a stream) when reading ends early. */
  async close(): Promise<void> {
    this.finished = true;
    this.buffered = [];
    await this.iterator.return?.();
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError(`A feed stream must yield bytes or strings, got ${typeof value}.`);
}

/**
 * Inflates gzip as it streams; a stream cut short fails with zlib's Z_BUF_ERROR at its end. Past `maxBytes` inflated
 * it stops with GZIP_TOO_LARGE: a gzip of one repeated byte is about a thousandth of its content, so without a
 * bound an upload within UPLOAD_MAX_BYTES could keep a reader inflating and tokenizing for hours.
 */
export async function* gunzipBytes(source: AsyncIterable<Buffer>, maxBytes?: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const compressed = Readable.from(source);
  compressed.on('error', (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  let inflated = 0;
  try {
    for await (const chunk of gunzip) {
      inflated += (chunk as Buffer).length;
      if (maxBytes !== undefined && inflated > maxBytes) {
        throw new FeedReadError(
          'GZIP_TOO_LARGE',
          `The gzip file inflates to more than ${maxBytes} bytes, the most a feed may have uncompressed; reading stopped there.`,
        );
      }
      yield chunk as Buffer;
    }
  } finally {
    compressed.destroy();
    gunzip.destroy();
  }
}
