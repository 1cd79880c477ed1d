import { finding, type RuleFinding } from './code.catalog.js';

export interface GtinCheck {
  /** The digits as given (spaces, dashes and a spreadsheet apostrophe removed); null when the GTIN is rejected. */
  gtin: string | null;
  /** At most one ERROR (then `gtin` is null), possibly preceded by warnings. */
  findings: RuleFinding[];
}

// What spreadsheets write for a long number: "4.0112E+12", "4,6347E+11", "7.35018E13".
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e\+?\d+$/i;
const SEPARATORS = /[\s-]/g;
const ONLY_DIGITS = /^\d+$/;
const FLOAT_SUFFIX = /^(\d+)\.0+$/;
// Six or more trailing zeros after a non-zero digit: what "4.0112E+12" becomes when expanded back.
const ROUNDED = /[1-9]0{6,}$/;

/**
 * Checks a GTIN (EAN/UPC/JAN/ISBN-13/ITF-14): 8, 12, 13 or 14 digits, a valid GS1 mod-10 check digit, and not from
 * a range that never identifies a product on sale. Spreadsheet damage is named as such, since that is what a brand
 * has to fix.
 */
export function validateGtin(raw: string): GtinCheck {
  let text = raw.trim();
  const findings: RuleFinding[] = [];
  if (text.startsWith("'")) {
    text = text.slice(1).trim();
    findings.push(
      finding(
        'GTIN_SPREADSHEET_APOSTROPHE',
        `The leading apostrophe in "${raw.trim()}" was removed; the GTIN read is ${text}.`,
      ),
    );
  }
  if (SCIENTIFIC.test(text)) {
    return reject(
      findings,
      finding(
        'GTIN_SPREADSHEET_DAMAGED',
        `"${text}" is a barcode that a spreadsheet program turned into scientific notation; the last digits are lost.`,
        'Format the column as text, paste the real barcodes back in and re-export.',
      ),
    );
  }
  const digits = text.replace(SEPARATORS, '');
  if (!ONLY_DIGITS.test(digits)) {
    const asFloat = FLOAT_SUFFIX.exec(digits);
    return reject(
      findings,
      asFloat
        ? finding(
            'INVALID_GTIN',
            `"${text}" was stored as a decimal number by a spreadsheet.`,
            `Format the barcode column as text and re-export; the GTIN is probably ${asFloat[1]}.`,
          )
        : finding('INVALID_GTIN', `"${text}" contains characters other than digits.`),
    );
  }
  const length = digits.length;
  if (length !== 8 && length !== 12 && length !== 13 && length !== 14) {
    return reject(
      findings,
      finding(
        'INVALID_GTIN_LENGTH',
        `"${digits}" has ${length} digits; a GTIN has 8, 12, 13 or 14.`,
        lengthHint(length),
      ),
    );
  }
  if (!hasNonZeroPayload(digits)) {
    return reject(findings, finding('INVALID_GTIN', `"${digits}" is a placeholder, not a barcode.`));
  }
  if (length === 8 && (digits[0] === '0' || digits[0] === '1')) {
    const upcA = expandUpcE(digits);
    // Prefix 0 is restricted as a GTIN-8 anyway; prefix 1 is a real EAN-8 range, so only when its own check fails.
    if (upcA && (digits[0] === '0' || checkDigit(digits) !== digits.charCodeAt(7) - 48)) {
      return reject(
        findings,
        finding(
          'INVALID_GTIN',
          `${digits} is a shortened UPC-E, which Merchant Center reads as a different GTIN-8.`,
          `Write the full 12-digit UPC-A instead: ${upcA}.`,
        ),
      );
    }
  }
  const expected = checkDigit(digits);
  if (expected !== digits.charCodeAt(length - 1) - 48) {
    return reject(
      findings,
      finding(
        'INVALID_GTIN_CHECK_DIGIT',
        `The check digit of ${digits} should be ${expected}, not ${digits[length - 1]}.`,
      ),
    );
  }
  const restricted = restrictedRange(digits);
  if (restricted) {
    return reject(
      findings,
      finding('RESTRICTED_GTIN', `${digits} is ${restricted} and cannot identify a product for sale.`),
    );
  }
  if (ROUNDED.test(digits.slice(0, -1))) {
    findings.push(
      finding(
        'GTIN_POSSIBLY_ROUNDED',
        `${digits} ends in a long run of zeros, as barcodes do after a spreadsheet rounded them.`,
      ),
    );
  }
  return { gtin: digits, findings };
}

/** GS1 mod-10: weights 3,1,3,… from the rightmost digit before the check digit. */
export function checkDigit(digits: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 2; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** False for "00000000" and the like: every digit before the check digit is zero. */
function hasNonZeroPayload(digits: string): boolean {
  for (let i = 0; i < digits.length - 1; i++) if (digits.charCodeAt(i) !== 48) return true;
  return false;
}

/** Why the number is from a restricted GS1 range, or null. */
function restrictedRange(digits: string): string | null {
  if (digits.length === 8) {
    // GTIN-8 starting 0 or 2 are restricted circulation numbers (RCN-8).
    return digits[0] === '0' || digits[0] === '2' ? 'a restricted-circulation GTIN-8 (prefix 0 or 2)' : null;
  }
  // Compare GS1 prefixes on the GTIN-13 form: UPC-A gains a leading 0, GTIN-14 drops its indicator digit.
  const g13 = digits.length === 12 ? `0${digits}` : digits.length === 14 ? digits.slice(1) : digits;
  const p2 = g13.slice(0, 2);
  if (p2 === '02' || p2 === '04' || g13[0] === '2') return `an in-store / restricted-circulation number (prefix ${p2})`;
  if (p2 === '98' || p2 === '99') return `a coupon or refund-receipt number (prefix ${p2})`;
  return null;
}

/** The UPC-A a UPC-E (number system 0 or 1) stands for, when the UPC-E's check digit matches it; else null. */
export function expandUpcE(upcE: string): string | null {
  if (upcE.length !== 8 || !ONLY_DIGITS.test(upcE) || (upcE[0] !== '0' && upcE[0] !== '1')) return null;
  const [ns, d1, d2, d3, d4, d5, d6, check] = upcE;
  let body: string;
  if (d6 <= '2') body = `${d1}${d2}${d6}0000${d3}${d4}${d5}`;
  else if (d6 === '3') body = `${d1}${d2}${d3}00000${d4}${d5}`;
  else if (d6 === '4') body = `${d1}${d2}${d3}${d4}00000${d5}`;
  else body = `${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  const upcA = `${ns}${body}${check}`;
  return checkDigit(upcA) === check.charCodeAt(0) - 48 ? upcA : null;
}

function lengthHint(length: number): string | undefined {
  if (length === 11) {
    return 'This looks like a 12-digit UPC whose leading zero a spreadsheet dropped: format the column as text and write the full 12 digits.';
  }
  if (length === 10)
    return 'This looks like an ISBN-10: use the 13-digit ISBN (starting 978) printed with the barcode.';
  if (length === 7)
    return 'This looks like an EAN-8 whose leading zero a spreadsheet dropped: format the column as text and write all 8 digits.';
  return undefined;
}

function reject(findings: RuleFinding[], error: RuleFinding): GtinCheck {
  findings.push(error);
  return { gtin: null, findings };
}
