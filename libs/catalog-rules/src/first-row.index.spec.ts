import { describe, expect, it } from '@jest/globals';
import { FirstRowIndex } from './first-row.index.js';

describe('FirstRowIndex', () => {
  it('records the first row of each key and answers it for repeats, across growth', () => {
    const index = new FirstRowIndex(4);
    for (let i = 0; i < 50_000; i++) expect(index.firstOrRecord(`SKU-${i}`, i + 2)).toBeNull();
    expect(index.size).toBe(50_000);
    expect(index.firstOrRecord('SKU-0', 99_999)).toBe(2);
    expect(index.firstOrRecord('SKU-49999', 99_999)).toBe(50_001);
    expect(index.firstOrRecord('SKU-12345', 1)).toBe(12_347);
    expect(index.firstOrRecord('sku-12345', 7)).toBeNull(); // case matters
    expect(index.firstOrRecord('', 8)).toBeNull();
    expect(index.firstOrRecord('', 9)).toBe(8);
  });

  it('tells apart keys that differ only in order or length', () => {
    const index = new FirstRowIndex();
    expect(index.firstOrRecord('ab', 1)).toBeNull();
    expect(index.firstOrRecord('ba', 2)).toBeNull();
    expect(index.firstOrRecord('ab\u0000', 3)).toBeNull();
    expect(index.firstOrRecord('4006381333931', 4)).toBeNull();
    expect(index.firstOrRecord('04006381333931', 5)).toBeNull();
  });
});

describe('FirstRowIndex memory', () => {
  // Issue 10: the index is the one per-row state a run keeps. It held 24–48 bytes per key (a table half to a
  // quarter full) and, when it doubled, the old and the new table at once: 72 MB for the ids and GTINs of a
  // million-row feed. Its arrays are counted here, not timed.
  it('holds at most 23 bytes per key at any size and never twice its size while growing', () => {
    const index = new FirstRowIndex();
    let checked = 0;
    for (let i = 0; i < 300_000; i++) {
      index.firstOrRecord(`SKU-${i}`, i + 2);
      if (i + 1 === 1_000 * 2 ** checked || i + 1 === 300_000) {
        checked++;
        const perKey = index.bytes / index.size;
        expect(perKey).toBeLessThanOrEqual(23);
        expect(index.peakBytes).toBeLessThanOrEqual(Math.max(index.bytes * 1.1, 65_536));
      }
    }
    expect(checked).toBeGreaterThan(8);
    expect(index.firstOrRecord('SKU-0', 1)).toBe(2);
    expect(index.firstOrRecord('SKU-299999', 1)).toBe(300_001);
  });
});
