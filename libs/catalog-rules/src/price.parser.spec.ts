import { describe, expect, it } from '@jest/globals';

import { formatPrice, parsePrice } from './price.parser.js';

function ok(raw: string, defaultCurrency?: string | null): { minor: number; currency: string } {
  const parsed = parsePrice(raw, defaultCurrency);
  if (!parsed.ok) throw new Error(`${raw}: ${parsed.issue.code} ${parsed.issue.message}`);
  return { minor: parsed.minor, currency: parsed.currency };
}

function issue(raw: string, defaultCurrency?: string | null) {
  const parsed = parsePrice(raw, defaultCurrency);
  if (parsed.ok) throw new Error(`${raw} parsed as ${parsed.minor} ${parsed.currency}`);
  return parsed.issue;
}

describe('parsePrice', () => {
  it.each([
    ['12.34 USD', 1234, 'USD'],
    ['USD 12.34', 1234, 'USD'],
    ['USD12.34', 1234, 'USD'],
    ['12.34usd', 1234, 'USD'],
    ['12,34 EUR', 1234, 'EUR'],
    ['$1,234.50', 123450, 'USD'],
    ['1.234,50 €', 123450, 'EUR'],
    ['€ 1.234.567,89', 123456789, 'EUR'],
    ['1,234,567.89 USD', 123456789, 'USD'],
    ['1 USD', 100, 'USD'],
    ['£5', 500, 'GBP'],
    ['7900.00 SEK', 790000, 'SEK'],
    ['1 234,50 SEK', 123450, 'SEK'],
    ['1\u00A0234,50 SEK', 123450, 'SEK'],
    ["CHF 1'234.50", 123450, 'CHF'],
    ['.5 EUR', 50, 'EUR'],
    ['R$ 1.234,56', 123456, 'BRL'],
    ['1,23,456.00 INR', 12345600, 'INR'],
  ])('reads %s as %i minor units of %s', (raw, minor, currency) => {
    expect(ok(raw)).toEqual({ minor, currency });
  });

  it('treats one comma followed by three digits as thousands', () => {
    expect(ok('1,234 USD')).toEqual({ minor: 123400, currency: 'USD' });
    expect(ok('$1,234')).toEqual({ minor: 123400, currency: 'USD' });
  });

  it('treats a comma followed by two digits as the decimal separator', () => {
    expect(ok('12,5 EUR').minor).toBe(1250);
    expect(ok('0,99 EUR').minor).toBe(99);
  });

  it('uses the exponent of the currency: 0 for JPY and KRW, 3 for BHD/KWD/JOD/OMR/TND', () => {
    expect(ok('1200 JPY').minor).toBe(1200);
    expect(ok('15000 KRW').minor).toBe(15000);
    expect(ok('12.5 BHD').minor).toBe(12500);
    expect(ok('1.250 KWD').minor).toBe(1250);
    expect(ok('3.125 JOD').minor).toBe(3125);
    expect(ok('2 OMR').minor).toBe(2000);
    expect(ok('9.990 TND').minor).toBe(9990);
  });

  it('reads a dot and three digits as thousands in a currency without decimals', () => {
    expect(ok('1.200 JPY').minor).toBe(1200);
  });

  it('accepts extra decimals that are zeros', () => {
    expect(ok('1200.00 JPY').minor).toBe(1200);
    expect(ok('12.3400 USD').minor).toBe(1234);
  });

  it('refuses more decimals than the currency has, with a rounded suggestion', () => {
    const found = issue('0,345 USD');
    expect(found.code).toBe('INVALID_PRICE');
    expect(found.message).toContain('3 decimals but USD has 2');
    expect(found.hint).toContain('0.35 USD');
    expect(issue('1200.5 JPY').hint).toContain('1201 JPY');
  });

  it('refuses "12.345 USD" and names both readings in the hint', () => {
    const found = issue('12.345 USD');
    expect(found.code).toBe('INVALID_PRICE');
    expect(found.severity).toBe('ERROR');
    expect(found.hint).toContain('12345.00 USD');
    expect(found.hint).toContain('12.35 USD');
  });

  it('refuses "1.200 EUR" rather than guess between 1200 and 1.20', () => {
    expect(issue('1.200 EUR').code).toBe('INVALID_PRICE');
  });

  it('uses the default currency for a bare number', () => {
    expect(ok('6900', 'SEK')).toEqual({ minor: 690000, currency: 'SEK' });
    expect(ok('499:-', 'SEK')).toEqual({ minor: 49900, currency: 'SEK' });
  });

  it('takes the default currency in any case, and refuses one that is not ISO 4217', () => {
    expect(ok('5', 'eur')).toEqual({ minor: 500, currency: 'EUR' });
    expect(issue('5', 'EURO').code).toBe('INVALID_CURRENCY');
  });

  it('reports MISSING_CURRENCY for a bare number without a default', () => {
    const found = issue('6900');
    expect(found.code).toBe('MISSING_CURRENCY');
    expect(found.severity).toBe('ERROR');
    expect(issue('6900', null).code).toBe('MISSING_CURRENCY');
  });

  it('reports INVALID_CURRENCY for an unknown code', () => {
    const found = issue('5 XYZ');
    expect(found.code).toBe('INVALID_CURRENCY');
    expect(found.message).toContain('XYZ');
  });

  it('refuses withdrawn codes such as HRK', () => {
    expect(issue('10 HRK').code).toBe('INVALID_CURRENCY');
  });

  it('resolves an ambiguous symbol through the default currency', () => {
    expect(ok('$5', 'CAD').currency).toBe('CAD');
    expect(ok('$5', 'EUR').currency).toBe('USD');
    expect(ok('¥500', 'CNY')).toEqual({ minor: 50000, currency: 'CNY' });
    expect(ok('499 kr', 'NOK').currency).toBe('NOK');
  });

  it('refuses "kr" without a Scandinavian default currency', () => {
    const found = issue('499 kr');
    expect(found.code).toBe('INVALID_CURRENCY');
    expect(found.message).toContain('SEK');
    expect(found.hint).toContain('defaultCurrency');
  });

  it('says which currency it assumed for "$" and "£" without a default currency that settles them', () => {
    const dollars = parsePrice('$2,030');
    expect(dollars).toMatchObject({ ok: true, minor: 203000, currency: 'USD' });
    const assumed = dollars.ok ? dollars.assumed : undefined;
    expect(assumed).toMatchObject({ code: 'AMBIGUOUS_CURRENCY', severity: 'WARNING' });
    expect(assumed?.message).toContain('USD');
    expect(assumed?.message).toContain('CAD');
    expect(assumed?.hint).toContain('defaultCurrency');
    const pounds = parsePrice('£5');
    expect(pounds.ok && pounds.assumed?.message).toContain('read as GBP');
    // A default currency that is not a dollar does not make "$" any less of a guess.
    const withEuro = parsePrice('$5', 'EUR');
    expect(withEuro.ok && withEuro.assumed?.code).toBe('AMBIGUOUS_CURRENCY');
  });

  it('assumes nothing when the default currency or an ISO code settles the symbol, or the symbol has one currency', () => {
    for (const [raw, currency] of [
      ['$5', 'CAD'],
      ['$5 USD', null],
      ['US$5', null],
      ['C$5', null],
      ['€5', null],
      ['5 EUR', null],
    ] as const) {
      const parsed = parsePrice(raw, currency);
      expect(parsed.ok && parsed.assumed).toBeUndefined();
    }
  });

  it('refuses "¥" without a default currency: yen and yuan are 20x apart and have different decimals', () => {
    const found = issue('¥1200');
    expect(found.code).toBe('INVALID_CURRENCY');
    expect(found.message).toContain('JPY, CNY');
    expect(ok('¥1200', 'JPY')).toEqual({ minor: 1200, currency: 'JPY' });
  });

  it('lets an explicit code settle which dollar a symbol meant', () => {
    expect(ok('$5 CAD').currency).toBe('CAD');
    expect(issue('€5 USD').code).toBe('INVALID_CURRENCY');
  });

  it('returns negative amounts for the caller to judge', () => {
    expect(ok('-5 USD').minor).toBe(-500);
    expect(ok('USD -5').minor).toBe(-500);
  });

  it.each(['Free', 'USD', '12.34.56 USD', '1,2,3 USD', '1.2E+3 USD', '12 - 15 USD'])('refuses %s', (raw) => {
    expect(issue(raw).code).toBe('INVALID_PRICE');
  });

  it('refuses amounts too large to hold exactly', () => {
    expect(issue('12345678901234567 USD').code).toBe('INVALID_PRICE');
  });
});

describe('formatPrice', () => {
  it('writes minor units with the currency exponent', () => {
    expect(formatPrice(123450, 'USD')).toBe('1234.50 USD');
    expect(formatPrice(5, 'USD')).toBe('0.05 USD');
    expect(formatPrice(1200, 'JPY')).toBe('1200 JPY');
    expect(formatPrice(1250, 'KWD')).toBe('1.250 KWD');
    expect(formatPrice(-500, 'EUR')).toBe('-5.00 EUR');
  });
});
