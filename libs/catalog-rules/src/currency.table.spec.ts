import { describe, expect, it } from '@jest/globals';

import { CURRENCIES, CURRENCY_SYMBOLS, currencyExponent } from './currency.table.js';

describe('CURRENCIES', () => {
  it('has the ISO 4217 exponents feeds depend on', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('SEK')).toBe(2);
    for (const code of ['JPY', 'KRW', 'ISK', 'CLP', 'VND', 'XOF', 'XAF', 'XPF', 'PYG', 'UGX'])
      expect(currencyExponent(code)).toBe(0);
    for (const code of ['BHD', 'KWD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD']) expect(currencyExponent(code)).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
  });

  it('holds only well-formed entries', () => {
    const codes = Object.keys(CURRENCIES);
    expect(codes.length).toBeGreaterThan(160);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(CURRENCIES[code].code).toBe(code);
      expect([0, 2, 3, 4]).toContain(CURRENCIES[code].exponent);
      expect(CURRENCIES[code].name).not.toBe('');
    }
  });

  it('knows every currency Node lists as current except those withdrawn or without a minor unit', () => {
    const excluded = new Set(['HRK', 'XDR', 'XSU']);
    const missing = Intl.supportedValuesOf('currency').filter((code) => !excluded.has(code) && !(code in CURRENCIES));
    expect(missing).toEqual([]);
  });

  it('leaves out withdrawn codes and metals', () => {
    expect(currencyExponent('HRK')).toBeUndefined();
    expect(currencyExponent('XAU')).toBeUndefined();
    expect(currencyExponent('usd')).toBeUndefined();
  });

  it('maps every symbol to known currencies', () => {
    for (const [symbol, { codes, fallback }] of CURRENCY_SYMBOLS) {
      expect(symbol).toBe(symbol.toUpperCase());
      for (const code of codes) expect(CURRENCIES[code]).toBeDefined();
      if (fallback !== null) expect(codes).toContain(fallback);
    }
  });
});
