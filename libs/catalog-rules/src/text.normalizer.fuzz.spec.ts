import fc from 'fast-check';
import { feedText, fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import { cleanText, collapseWhitespace, isAllCaps, truncateAtWord } from './text.normalizer.js';

const INVALID =
  /[\x00-\x08\x0E-\x1F\x7F-\x9F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

describe('cleanText (fuzzed)', () => {
  // Found by the idempotence property: NFC ran before the removals, so a letter and its accent split by a removed
  // character stayed uncomposed, and cleaning the result again changed it.
  it.each([
    ['A\uFEFF\u0301', '\u00C1', 0],
    ['e\u0001\u0301', '\u00E9', 1],
    ['Cre\u200B\u0300me', 'Cr\u00E8me', 0],
  ])('composes what a removal brings together (counterexample %j)', (raw, text, removed) => {
    expect(cleanText(raw)).toEqual({ text, removed });
  });

  it('leaves no invalid character, is NFC, trimmed, and idempotent when entities are not decoded', () => {
    fc.assert(
      fc.property(feedText(40), fc.boolean(), (raw, multiline) => {
        const { text, removed } = cleanText(raw, multiline, false);
        expect(text).not.toMatch(INVALID);
        expect(text).not.toMatch(BIDI);
        expect(text).toBe(text.normalize('NFC'));
        expect(text).toBe(text.trim());
        expect(removed).toBeGreaterThanOrEqual(0);
        expect(cleanText(text, multiline, false)).toEqual({ text, removed: 0 });
        if (!multiline) expect(text).not.toMatch(/\s{2}|[^\S ]/);
        else expect(text).not.toMatch(/\n{3}/);
      }),
      fuzzParameters(1500),
    );
  });

  it('never throws with entity decoding either, and leaves no invalid character', () => {
    fc.assert(
      fc.property(feedText(40), fc.boolean(), (raw, multiline) => {
        const { text } = cleanText(raw, multiline);
        expect(text).not.toMatch(INVALID);
        expect(collapseWhitespace(text, multiline)).toBe(text);
      }),
      fuzzParameters(1000),
    );
  });
});

describe('truncateAtWord and isAllCaps (fuzzed)', () => {
  it('cuts to a prefix within the limit, never inside a surrogate pair', () => {
    fc.assert(
      fc.property(feedText(60), fc.integer({ min: 1, max: 60 }), (text, max) => {
        const cut = truncateAtWord(text, max);
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, text.length <= max ? text.length : 0));
        expect(text.startsWith(cut)).toBe(true);
        if (text.length > max && cut.length > 0) {
          const last = cut.charCodeAt(cut.length - 1);
          const next = text.charCodeAt(cut.length);
          expect(last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff).toBe(false);
        }
        expect(typeof isAllCaps(text)).toBe('boolean');
      }),
      fuzzParameters(1000),
    );
  });
});
