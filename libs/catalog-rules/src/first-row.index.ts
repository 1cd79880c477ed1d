/**
 * Remembers the first row at which each key (an item id, a GTIN) was seen, in about 24 bytes per key
 * instead of the ~100 a Map<string, number> costs: keys are kept as a 64-bit hash in typed arrays. A
 * million-item feed then needs ~24 MB rather than ~100 MB. Two different keys collide with a probability
 * of about n²/2⁶⁵ (under 10⁻⁵ for ten million keys).
 */
export class FirstRowIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** row + 1; 0 marks an empty slot. */
  private rows: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
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
    for (let slot = (h1 ^ h2) & this.mask; ; slot = (slot + 1) & this.mask) {
      const stored = this.rows[slot];
      if (stored === 0) {
        this.hi[slot] = h1;
        this.lo[slot] = h2;
        this.rows[slot] = row + 1;
        if (++this.count * 2 > this.mask) this.grow();
        return null;
      }
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return stored - 1;
    }
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    const capacity = rows.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      let slot = (hi[i] ^ lo[i]) & this.mask;
      while (this.rows[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.rows[slot] = rows[i];
    }
  }
}
