import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { fuzzParameters } from '../../catalog-rules/src/__fixtures__/fuzz.fixture.js';
import { NeedleSet } from './needle-set.js';

// Few letters, so needles overlap, share prefixes and suffixes, and occur often; a surrogate half and an astral letter
// so code units are compared as includes() compares them.
const letter = fc.constantFrom('a', 'b', 'c', 'ab', '\ud83d', '\ude00', '😀', 'é');
const text = (max: number) => fc.array(letter, { maxLength: max }).map((parts) => parts.join(''));

describe('NeedleSet', () => {
  it('finds a needle exactly when String.prototype.includes finds one', () => {
    fc.assert(
      fc.property(fc.array(text(6), { maxLength: 40 }), text(40), (needles, haystack) => {
        expect(new NeedleSet(needles).has(haystack)).toBe(needles.some((n) => haystack.includes(n)));
      }),
      fuzzParameters(500),
    );
  });

  it('finds needles that end inside another (suffix links), an empty needle everywhere, none in no needles', () => {
    const set = new NeedleSet(['abcd', 'bce', 'cd']);
    expect(set.has('xabcx')).toBe(false);
    expect(set.has('xabce')).toBe(true); // "abc" fails over to "bc", then "bce"
    expect(set.has('abcx' + 'bcd')).toBe(true); // "cd" ends inside "bcd"
    expect(new NeedleSet(['zz', '']).has('abc')).toBe(true);
    expect(new NeedleSet([]).has('abc')).toBe(false);
    expect(new NeedleSet(Array.from({ length: 1000 }, (_, i) => `aaaaaaab${i}`)).has(`${'a'.repeat(5000)}b999`)).toBe(
      true,
    );
  });
});
