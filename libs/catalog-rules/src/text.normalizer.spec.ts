import { describe, expect, it } from '@jest/globals';

import { cleanText, collapseWhitespace, isAllCaps, truncateAtWord } from './text.normalizer.js';

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
