import fc from 'fast-check';
import { feedText, fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import { checkDigit, expandUpcE, validateGtin } from './gtin.rule.js';

const GTIN_CODES = [
  'INVALID_GTIN',
  'INVALID_GTIN_LENGTH',
  'INVALID_GTIN_CHECK_DIGIT',
  'RESTRICTED_GTIN',
  'GTIN_SPREADSHEET_DAMAGED',
  'GTIN_POSSIBLY_ROUNDED',
  'GTIN_SPREADSHEET_APOSTROPHE',
];

/**
 * The GS1 check digit computed the way the GS1 General Specifications state it (independently of checkDigit): pad
 * the number to 18 digits, weight the first 17 alternately 3,1,3,… from the left, and take the distance of the
 * sum to the next multiple of ten.
 */
function referenceCheckDigit(gtin: string): number {
  const padded = gtin.padStart(18, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(padded[i]) * (i % 2 === 0 ? 3 : 1);
  return (Math.ceil(sum / 10) * 10 - sum) % 10;
}

const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const gtinDigits = fc.constantFrom(8, 12, 13, 14).chain(digits);

describe('validateGtin (fuzzed)', () => {
  it('computes the same check digit as the GS1 reference for every length', () => {
    fc.assert(
      fc.property(gtinDigits, (gtin) => {
        expect(checkDigit(gtin)).toBe(referenceCheckDigit(gtin));
      }),
      fuzzParameters(1500),
    );
  });

  it('accepts a GTIN only when the reference check digit matches, and rejects every single-digit error', () => {
    fc.assert(
      fc.property(gtinDigits, fc.nat(), fc.integer({ min: 1, max: 9 }), (gtin, position, delta) => {
        const result = validateGtin(gtin);
        for (const found of result.findings) expect(GTIN_CODES).toContain(found.code);
        const valid = referenceCheckDigit(gtin) === Number(gtin[gtin.length - 1]);
        if (result.gtin !== null) {
          expect(valid).toBe(true);
          expect(result.gtin).toBe(gtin);
        }
        if (!valid) expect(result.findings.at(-1)?.code).toMatch(/^INVALID_GTIN|^RESTRICTED_GTIN$/);
        // With the right check digit in place, changing any one digit is caught (mod 10 detects every single error).
        const fixed = gtin.slice(0, -1) + String(referenceCheckDigit(gtin));
        const i = position % fixed.length;
        const typo = fixed.slice(0, i) + String((Number(fixed[i]) + delta) % 10) + fixed.slice(i + 1);
        expect(validateGtin(typo).gtin).toBeNull();
      }),
      fuzzParameters(1500),
    );
  });

  it('never throws on any text, and a GTIN it keeps is digits of a GTIN length with a valid check digit', () => {
    const messy = fc.oneof(feedText(24), fc.string({ unit: fc.constantFrom(..."0123456789 -.,eE+'"), maxLength: 20 }));
    fc.assert(
      fc.property(messy, (text) => {
        const result = validateGtin(text);
        for (const found of result.findings) expect(GTIN_CODES).toContain(found.code);
        // Exactly one ERROR when rejected, none when kept.
        const errors = result.findings.filter((found) => found.severity === 'ERROR').length;
        expect(errors).toBe(result.gtin === null ? 1 : 0);
        if (result.gtin !== null) {
          expect(result.gtin).toMatch(/^(?:\d{8}|\d{12,14})$/);
          expect(referenceCheckDigit(result.gtin)).toBe(Number(result.gtin.at(-1)));
        }
      }),
      fuzzParameters(1500),
    );
  });

  it('expands a UPC-E only to a UPC-A whose check digit is right', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), digits(7), (system, rest) => {
        const upcA = expandUpcE(system + rest);
        if (upcA === null) return;
        expect(upcA).toMatch(/^\d{12}$/);
        expect(upcA[0]).toBe(system);
        expect(referenceCheckDigit(upcA)).toBe(Number(upcA[11]));
      }),
      fuzzParameters(2000),
    );
  });
});
