import { describe, expect, it } from '@jest/globals';

import { cleanText, collapseWhitespace, isAllCaps, removedCharacters, truncateAtWord } from './text.normalizer.js';

describe('cleanText', () => {
  it('returns plain ASCII text unchanged', () => {
    expect(cleanText('Organic Cotton Tee')).toEqual({ text: 'Organic Cotton Tee', removed: 0 });
  });

  it('collapses whitespace, NBSP and tabs included, and trims', () => {
    expect(cleanText('  Red\u00A0\u00A0shirt\t large \n').text).toBe('Red shirt large');
  });

  it('normalizes to Unicode NFC', () => {
    const decomposed = 'Cafe\u0301';
    expect(cleanText(decomposed).text).toBe('Caf\u00E9');
  });

  it('removes control characters and counts them', () => {
    expect(cleanText('Bike\u0000 lock\u0007')).toEqual({ text: 'Bike lock', removed: 2 });
  });

  it('removes replacement characters and lone surrogates', () => {
    expect(cleanText('Fa\uFFFDrg \uD83D')).toEqual({ text: 'Farg', removed: 2 });
  });

  it('keeps emoji (surrogate pairs)', () => {
    expect(cleanText('Pizza 🍕 cutter')).toEqual({ text: 'Pizza 🍕 cutter', removed: 0 });
  });

  it('drops zero-width characters silently', () => {
    expect(cleanText('Zero\u200Bwidth\uFEFF')).toEqual({ text: 'Zerowidth', removed: 0 });
  });

  it('removes bidirectional embeddings, overrides and isolates and counts them apart', () => {
    // A right-to-left override makes "Trail shoe \u202Ederf" read "Trail shoe fred" and leaks into what follows.
    expect(cleanText('Trail shoe \u202Ederf\u202C')).toEqual({ text: 'Trail shoe derf', removed: 0, bidi: 2 });
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(cleanText(`a${all}b`)).toEqual({ text: 'ab', removed: 0, bidi: 9 });
    expect(cleanText('Tee\u0007 \u2067x\u2069', true)).toEqual({ text: 'Tee x', removed: 1, bidi: 2 });
    // Written as character references, they are decoded first and removed all the same.
    expect(cleanText('Tee &#x202E;red')).toEqual({ text: 'Tee red', removed: 0, bidi: 1 });
  });

  it('removes the deprecated format controls and interlinear annotation controls as invalid', () => {
    expect(cleanText('Inhibit\u206A swapping\uFFF9')).toEqual({ text: 'Inhibit swapping', removed: 2 });
  });

  it('keeps emoji ZWJ sequences, flag tag sequences, surrogate pairs, ZWNJ, direction marks and other scripts', () => {
    for (const text of [
      'Family 👩\u200D👩\u200D👧 mug',
      'Pride flag 🏳\uFE0F\u200D🌈',
      'Scotland 🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F scarf',
      'Math 𝔸𝔹ℂ and 𠜎 (astral plane)',
      'می\u200Cخواهم',
      'עברית\u200F 42',
      'العربية\u061C',
      'हिन्दी क्षत्रिय',
      '日本語のタイトル',
    ]) {
      expect(cleanText(text)).toEqual({ text, removed: 0 });
    }
  });

  it('decodes entities', () => {
    expect(cleanText('Tom &amp; Jerry').text).toBe('Tom & Jerry');
  });

  it('keeps paragraph breaks in multi-line mode', () => {
    expect(cleanText('One  line\r\n\r\n\r\n\r\nNext\nlast', true).text).toBe('One line\n\nNext\nlast');
  });
});

describe('collapseWhitespace', () => {
  it('keeps single spaces and collapses the rest', () => {
    expect(collapseWhitespace('a b  c\u2009d')).toBe('a b c d');
    expect(collapseWhitespace(' a \n b ', true)).toBe('a\nb');
  });
});

describe('truncateAtWord', () => {
  it('cuts at the last space within the limit', () => {
    expect(truncateAtWord('The quick brown fox jumps', 18)).toBe('The quick brown');
  });

  it('keeps a word that ends exactly at the limit', () => {
    expect(truncateAtWord('The quick brown fox', 15)).toBe('The quick brown');
  });

  it('cuts mid-word when no space falls near the end', () => {
    expect(truncateAtWord('Supercalifragilistic', 10)).toBe('Supercalif');
  });

  it('does not leave a dangling separator', () => {
    expect(truncateAtWord('Red shirt – organic cotton', 12)).toBe('Red shirt');
  });

  it('never splits a surrogate pair', () => {
    expect(truncateAtWord('ab🍕cd', 3)).toBe('ab');
  });

  it('returns short text unchanged', () => {
    expect(truncateAtWord('short', 10)).toBe('short');
  });
});

describe('isAllCaps', () => {
  it('flags titles in capitals only', () => {
    expect(isAllCaps('ABUS - GEMINI LIGHTS')).toBe(true);
    expect(isAllCaps('ÅNGBÅT STÅLRAM')).toBe(true);
  });

  it('leaves short acronyms and mixed case alone', () => {
    expect(isAllCaps('TV 4K')).toBe(false);
    expect(isAllCaps('ABUS Gemini Lights')).toBe(false);
    expect(isAllCaps('ÅNGBÅT stålram')).toBe(false);
  });
});

describe('removedCharacters', () => {
  it('names what was removed and where the first is, counting an emoji as one character', () => {
    expect(removedCharacters('🍕 pie\u202E\u2066x\u202E', 'bidi')).toEqual({
      codePoints: ['U+202E', 'U+2066'],
      position: 6,
      asEntities: false,
    });
    expect(removedCharacters('ab\u0000c\u0007', 'invalid')).toEqual({
      codePoints: ['U+0000', 'U+0007'],
      position: 3,
      asEntities: false,
    });
    expect(removedCharacters('lone \uD83D high', 'invalid').codePoints).toEqual(['U+D83D']);
  });

  it('says when the characters were written as character references', () => {
    expect(removedCharacters('Tee &#x202E;red', 'bidi')).toEqual({
      codePoints: ['U+202E'],
      position: null,
      asEntities: true,
    });
  });
});
