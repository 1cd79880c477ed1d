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
