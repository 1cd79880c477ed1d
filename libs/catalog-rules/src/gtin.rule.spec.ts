import { describe, expect, it } from '@jest/globals';

import { checkDigit, expandUpcE, validateGtin } from './gtin.rule.js';

const codes = (raw: string) => validateGtin(raw).findings.map((f) => f.code);

describe('checkDigit', () => {
  it.each(['4006381333931', '036000291452', '96385074', '00012345600012', '9780306406157'])(
    'matches the published check digit of %s',
    (gtin) => {
      expect(checkDigit(gtin)).toBe(Number(gtin.at(-1)));
    },
  );
});

describe('validateGtin', () => {
  it.each([
    ['96385074', 'GTIN-8'],
    ['036000291452', 'GTIN-12 (UPC-A)'],
    ['4006381333931', 'GTIN-13 (EAN)'],
    ['00012345600012', 'GTIN-14'],
    ['9780306406157', 'ISBN-13 (978)'],
    ['9791234567896', 'ISBN-13 (979)'],
  ])('accepts %s (%s) with no findings', (gtin) => {
    expect(validateGtin(gtin)).toEqual({ gtin, findings: [] });
  });

  it('keeps the digits as given, without spaces or dashes', () => {
    expect(validateGtin(' 400-6381 333931 ').gtin).toBe('4006381333931');
    expect(validateGtin('036000291452').gtin).toBe('036000291452');
  });

  it('reports INVALID_GTIN_CHECK_DIGIT with the expected digit', () => {
    const check = validateGtin('4006381333932');
    expect(check.gtin).toBeNull();
    expect(check.findings[0]).toMatchObject({ code: 'INVALID_GTIN_CHECK_DIGIT', severity: 'ERROR' });
    expect(check.findings[0].message).toContain('should be 1');
  });

  it.each(['1234567', '123456789', '1234567890', '123456789012345'])('reports INVALID_GTIN_LENGTH for %s', (raw) => {
    expect(codes(raw)).toEqual(['INVALID_GTIN_LENGTH']);
  });

  it('suggests a dropped leading zero for 11 digits', () => {
    expect(validateGtin('36000291452').findings[0].hint).toContain('leading zero');
  });

  it.each([
    ['0212345678909', 'prefix 02'],
    ['0412345678903', 'prefix 04'],
    ['2812345678909', 'prefix 2xx'],
    ['212345678909', 'UPC number system 2'],
    ['9812345678902', 'coupon 98'],
    ['9912345678909', 'coupon 99'],
    ['10200000000001', 'GTIN-14 over a 02 number'],
    ['21234569', 'GTIN-8 prefix 2'],
  ])('reports RESTRICTED_GTIN for %s (%s)', (raw) => {
    const check = validateGtin(raw);
    expect(check.gtin).toBeNull();
    expect(check.findings.map((f) => f.code)).toEqual(['RESTRICTED_GTIN']);
  });

  it.each(['4.0112E+12', '4.6347E+11', '7,35018E+12', '7.35018e13'])(
    'names scientific notation %s as spreadsheet damage',
    (raw) => {
      const check = validateGtin(raw);
      expect(check.gtin).toBeNull();
      expect(check.findings).toHaveLength(1);
      expect(check.findings[0]).toMatchObject({ code: 'GTIN_SPREADSHEET_DAMAGED', severity: 'ERROR' });
      expect(check.findings[0].message).toContain('scientific notation');
      expect(check.findings[0].hint).toContain('text');
    },
  );

  it('strips a spreadsheet apostrophe with a warning and validates the digits', () => {
    const check = validateGtin("'7350177880121");
    expect(check.gtin).toBe('7350177880121');
    expect(check.findings).toEqual([
      expect.objectContaining({ code: 'GTIN_SPREADSHEET_APOSTROPHE', severity: 'WARNING' }),
    ]);
  });

  it('still rejects a bad barcode behind an apostrophe, keeping the warning', () => {
    expect(codes("'7350177880122")).toEqual(['GTIN_SPREADSHEET_APOSTROPHE', 'INVALID_GTIN_CHECK_DIGIT']);
  });

  it('warns that a long run of trailing zeros looks rounded (4.0112E+12 expanded)', () => {
    const check = validateGtin('4011200000000');
    expect(check.gtin).toBe('4011200000000');
    expect(check.findings.map((f) => f.code)).toEqual(['GTIN_POSSIBLY_ROUNDED']);
  });

  it('reports INVALID_GTIN for letters and placeholders', () => {
    expect(codes('ABC123456789')).toEqual(['INVALID_GTIN']);
    expect(codes('0000000000000')).toEqual(['INVALID_GTIN']);
  });

  it('recognizes a barcode stored as a decimal number', () => {
    const check = validateGtin('4006381333931.0');
    expect(check.findings[0].code).toBe('INVALID_GTIN');
    expect(check.findings[0].hint).toContain('4006381333931');
  });

  it('points a UPC-E to its 12-digit UPC-A', () => {
    const check = validateGtin('01234565');
    expect(check.gtin).toBeNull();
    expect(check.findings[0].code).toBe('INVALID_GTIN');
    expect(check.findings[0].hint).toContain('012345000065');
  });
});

describe('expandUpcE', () => {
  it('expands the four UPC-E patterns', () => {
    expect(expandUpcE('01234565')).toBe('012345000065');
    expect(expandUpcE('04252614')).toBe('042100005264');
    expect(expandUpcE('12345678')).toBeNull(); // check digit does not match
  });
});
