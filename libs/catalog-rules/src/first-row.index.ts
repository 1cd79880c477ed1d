/** Segments the index is split into (by the top bits of the key's hash), each growing on its own. */
const SEGMENT_BITS = 6;
const SEGMENTS = 1 << SEGMENT_BITS;
/** A segment grows when it is this full, by GROWTH: its fill stays between 0.8 / 1.5 and 0.8. */
const MAX_LOAD = 0.8;
const GROWTH = 1.5;
/** Words per slot: the key's 64-bit hash (two words) and row + 1 (0 marks an empty slot). */
const WORDS = 3;

/**
 * Remembers the first row at which each key (an item id, a GTIN) was seen, in 15–23 bytes per key instead of
 * the ~100 a Map<string, number> costs: keys are kept as a 64-bit hash in typed arrays. Two different keys
 * collide with a probability of about n²/2⁶⁵ (under 10⁻⁵ for ten million keys).
 *
 * The table is split into 64 segments that grow one at a time by half, never all at once by double: growing
 * allocates about 1/40 of what the index holds, so it never holds (as RSS) twice its size for a moment, and
 * every segment stays 53–80% full whatever the number of keys. `bytes` and `peakBytes` say what it holds.
 */
export class FirstRowIndex {
  private readonly segments: Uint32Array[] = [];
  private readonly counts = new Int32Array(SEGMENTS);
  private count = 0;
  private held = 0;
  private peak = 0;

  constructor(initialCapacity = 1024) {
    const perSegment = Math.max(8, Math.ceil(initialCapacity / SEGMENTS / MAX_LOAD));
    for (let s = 0; s < SEGMENTS; s++) this.segments.push(new Uint32Array(perSegment * WORDS));
    this.held = this.peak = SEGMENTS * perSegment * WORDS * 4;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes of the typed arrays it holds now. */
  get bytes(): number {
    return this.held;
  }

  /** The most it ever held at once, growth included. */
  get peakBytes(): number {
    return this.peak;
  }

  /** The row recorded for `key`, or null after recording `row` as its first. */
  firstOrRecord(key: string, row: number): number | null {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = (h1 ^ (h1 >>> 16)) >>> 0;
    h2 = (h2 ^ (h2 >>> 13) ^ key.length) >>> 0;
    const s = h1 >>> (32 - SEGMENT_BITS);
    const table = this.segments[s];
    const slots = table.length / WORDS;
    for (let slot = ((h1 ^ h2) >>> 0) % slots; ; slot = slot + 1 === slots ? 0 : slot + 1) {
      const at = slot * WORDS;
      const stored = table[at + 2];
      if (stored === 0) {
        table[at] = h1;
        table[at + 1] = h2;
        table[at + 2] = row + 1;
        this.count++;
        if (++this.counts[s] > slots * MAX_LOAD) this.grow(s);
        return null;
      }
      if (table[at] === h1 && table[at + 1] === h2) return stored - 1;
    }
  }

  private grow(s: number): void {
    const old = this.segments[s];
    const slots = Math.ceil((old.length / WORDS) * GROWTH);
    const table = new Uint32Array(slots * WORDS);
    this.peak = Math.max(this.peak, this.held + table.byteLength);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at + 2] === 0) continue;
      let slot = ((old[at] ^ old[at + 1]) >>> 0) % slots;
      while (table[slot * WORDS + 2] !== 0) slot = slot + 1 === slots ? 0 : slot + 1;
      table[slot * WORDS] = old[at];
      table[slot * WORDS + 1] = old[at + 1];
      table[slot * WORDS + 2] = old[at + 2];
    }
    this.segments[s] = table;
    this.held += table.byteLength - old.byteLength;
  }
}
