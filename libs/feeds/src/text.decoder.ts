import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Each byte as Windows-1252 reads it (its five undefined bytes as the C1 controls of the same number). Decoded in
 * stream mode: Node 20's one-shot windows-1252 decode takes a Latin-1 shortcut and gives U+0096 for 0x96, not "–".
 */
const WINDOWS_1252: readonly string[] = (() => {
  const all = new TextDecoder('windows-1252').decode(
    Uint8Array.from({ length: 256 }, (_, byte) => byte),
    {
      stream: true,
    },
  );
  return Array.from(all);
})();

/**
 * Bytes → text for one feed. UTF-8 is checked chunk by chunk; a byte that is not part of a valid UTF-8
 * character is read as Windows-1252 (what spreadsheets and editors on Windows write, pasted into a UTF-8 export),
 * every valid character around it still as UTF-8, and `takeFallback` says where the first one was, so the reader
 * can warn once.
 */
export class FeedTextDecoder {
  private utf8: boolean;
  private decoder: TextDecoder | null;
  private carry: Buffer | null = null;
  private started = false;
  private consumed = 0;
  private fellBackAt: number | null = null;
  private fallbackReported = false;
  /** Where, in the text of the write that fell back, the Windows-1252 part begins (null: no fallback yet). */
  private fallbackIndex: number | null = null;

  constructor(private currentEncoding: string) {
    this.utf8 = currentEncoding === 'utf-8';
    this.decoder = this.utf8 ? null : new TextDecoder(currentEncoding);
  }

  get encoding(): string {
    return this.currentEncoding;
  }

  /**
   * Where UTF-8 gave way to Windows-1252, reported once, after the `write` that met it: `offset` in the
   * file's bytes and `index` in the text that write returned, so the reader can take the text before it
   * first and the warning lands at the same place among the events however the input is chunked.
   */
  takeFallback(): { offset: number; index: number } | null {
    if (this.fellBackAt === null || this.fallbackReported || this.fallbackIndex === null) return null;
    this.fallbackReported = true;
    return { offset: this.fellBackAt, index: this.fallbackIndex };
  }

  write(chunk: Buffer): string {
    const text = this.utf8 ? this.decodeUtf8(chunk) : this.decoder!.decode(chunk, { stream: true });
    this.consumed += chunk.length;
    const stripped = this.stripBom(text);
    // The fallback happens once, in the write takeFallback follows; a BOM stripped from that same text moves it left.
    if (stripped.length < text.length && this.fallbackIndex !== null) this.fallbackIndex -= 1;
    return stripped;
  }

  end(): string {
    let text: string;
    if (this.utf8) {
      // An incomplete sequence at the very end: keep it visible as U+FFFD rather than drop it.
      text = this.carry ? this.carry.toString('utf8') : '';
      this.carry = null;
    } else {
      text = this.decoder!.decode();
    }
    return this.stripBom(text);
  }

  private decodeUtf8(chunk: Buffer): string {
    const start = this.consumed - (this.carry?.length ?? 0);
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    const tail = incompleteUtf8Tail(buf);
    const body = tail ? buf.subarray(0, buf.length - tail) : buf;
    if (tail) this.carry = Buffer.from(buf.subarray(buf.length - tail));
    if (isUtf8(body)) return body.toString('utf8');
    let bad = firstInvalidUtf8(body, 0);
    if (bad >= body.length) return body.toString('utf8');
    let text = body.toString('utf8', 0, bad);
    if (this.fellBackAt === null) {
      this.fellBackAt = start + bad;
      this.fallbackIndex = text.length;
      this.currentEncoding = 'windows-1252';
    }
    // Only the bytes that are not UTF-8 are read as Windows-1252: a stray one does not garble the rest of the file.
    while (bad < body.length) {
      text += WINDOWS_1252[body[bad]];
      const next = firstInvalidUtf8(body, bad + 1);
      if (next > bad + 1) text += body.toString('utf8', bad + 1, next);
      bad = next;
    }
    return text;
  }

  private stripBom(text: string): string {
    if (this.started || text.length === 0) return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** How many bytes at the end start a UTF-8 sequence that the next chunk completes. */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  const n = buf.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = buf[n - k];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Index of the first byte from `from` on that does not start a valid UTF-8 sequence (buf.length when all are valid). */
function firstInvalidUtf8(b: Uint8Array, from: number): number {
  const n = b.length;
  let i = from;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const b1 = b[i + 1];
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}

/** Valid multi-byte UTF-8 characters and bytes that are not UTF-8, for telling UTF-8 with stray bytes from Windows-1252. */
export function countUtf8(b: Uint8Array): { multiByte: number; invalid: number } {
  let multiByte = 0;
  let invalid = 0;
  let i = 0;
  while (i < b.length) {
    const bad = firstInvalidUtf8(b, i);
    for (let k = i; k < bad; k++) if (b[k] >= 0xc0) multiByte++;
    if (bad >= b.length) break;
    invalid++;
    i = bad + 1;
  }
  return { multiByte, invalid };
}
