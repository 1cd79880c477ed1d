import { CURRENCY_SYMBOLS, currencyExponent } from './currency.table.js';
import { finding, type RuleFinding } from './code.catalog.js';

/**
 * `minor` is the integer amount in the currency's minor unit (cents), negative when the text was. `assumed` is
 * the AMBIGUOUS_CURRENCY warning when the currency came from a symbol several currencies use ("$" read as USD).
 */
export type ParsedPrice =
  { ok: true; minor: number; currency: string; assumed?: RuleFinding } | { ok: false; issue: RuleFinding };

// Spaces, NBSP, thin spaces and apostrophes group thousands ("1 234,50", "1'234.50"): they carry no value.
const GROUPING_MARKS = /[\s'’]/g;
const DIGITS_AND_SEPARATORS = /^[\d.,]+$/;
const ALL_ZEROS = /^0*$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const THREE_LETTERS = /^[A-Z]{3}$/;
const NON_DIGITS = /\D/g;
// Beyond this an amount in minor units is no longer an exact double.
const MAX_DIGITS = 15;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Reads a feed price into integer minor units: "12.34 USD", "USD 12.34", "12,34 EUR", "$1,234.50", "1.234,50 €",
 * "¥1200", "499:-". A bare number takes `defaultCurrency`. Decimal and thousands separators are told apart by
 * position and count; a lone dot followed by exactly three digits ("1.234") is read as thousands only where the
 * currency has no decimals and as decimals only where it has three, and is refused otherwise, because guessing
 * wrong is a 1000× price error.
 */
export function parsePrice(raw: string, defaultCurrency?: string | null): ParsedPrice {
  const text = raw.trim();
  let first = -1;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (isDigit(text.charCodeAt(i))) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return fail('INVALID_PRICE', `"${text}" has no amount.`);
  // ".5 EUR": the leading separator belongs to the number.
  if (first > 0 && (text[first - 1] === '.' || text[first - 1] === ',')) first--;

  let prefix = text.slice(0, first).trim();
  let suffix = text.slice(last + 1).trim();
  let negative = false;
  if (prefix.startsWith('-')) {
    negative = true;
    prefix = prefix.slice(1).trim();
  }
  if (prefix.endsWith('-')) {
    negative = true;
    prefix = prefix.slice(0, -1).trim();
  }
  // "499:-", "12.-", "12,-": whole-unit notations, no currency in them.
  if (suffix.startsWith(':-') || suffix.startsWith('.-') || suffix.startsWith(',-')) suffix = suffix.slice(2).trim();

  const resolved = resolveCurrency(prefix, suffix, defaultCurrency?.toUpperCase() || null, text);
  if ('ok' in resolved) return resolved;
  const { currency, assumed } = resolved;
  const exponent = currencyExponent(currency)!;

  const amount = parseAmount(text.slice(first, last + 1), exponent, currency);
  if (typeof amount !== 'number') return amount;
  const minor = negative ? -amount : amount;
  return assumed ? { ok: true, minor, currency, assumed } : { ok: true, minor, currency };
}

type ResolvedCurrency = { currency: string; assumed: RuleFinding | null };

function resolveCurrency(
  prefix: string,
  suffix: string,
  defaultCurrency: string | null,
  text: string,
): ResolvedCurrency | ParsedPrice {
  if (!prefix && !suffix) {
    if (defaultCurrency && currencyExponent(defaultCurrency) !== undefined) {
      return { currency: defaultCurrency, assumed: null };
    }
    if (defaultCurrency) return fail('INVALID_CURRENCY', `The default currency "${defaultCurrency}" is not ISO 4217.`);
    return fail('MISSING_CURRENCY', `"${text}" has no currency and the feed has no default currency.`);
  }
  const a = prefix ? currencyFromToken(prefix, defaultCurrency) : null;
  const b = suffix ? currencyFromToken(suffix, defaultCurrency) : null;
  if (a && !a.ok) return { ok: false, issue: a.issue };
  if (b && !b.ok) return { ok: false, issue: b.issue };
  if (a && b && a.code !== b.code) {
    // "$5 CAD": an explicit ISO code settles which dollar a symbol meant.
    if (a.explicit !== b.explicit) {
      const code = a.explicit ? a.code : b.code;
      const symbol = a.explicit ? suffix : prefix;
      if (CURRENCY_SYMBOLS.get(symbol.toUpperCase())?.codes.includes(code)) return { currency: code, assumed: null };
    }
    return fail('INVALID_CURRENCY', `"${text}" names two different currencies (${a.code} and ${b.code}).`);
  }
  // "$5 USD" or "US$ 5": a token that names one currency settles it.
  const settled = [a, b].find((token) => token?.ok && !token.assumed);
  if (settled?.ok) return { currency: settled.code, assumed: null };
  // Both tokens were checked for failure above.
  const token = (a ?? b)! as Extract<TokenCurrency, { ok: true }>;
  return { currency: token.code, assumed: token.assumed ?? null };
}

type TokenCurrency =
  { ok: true; code: string; explicit: boolean; assumed?: RuleFinding } | { ok: false; issue: RuleFinding };

function currencyFromToken(token: string, defaultCurrency: string | null): TokenCurrency {
  const upper = token.toUpperCase();
  if (currencyExponent(upper) !== undefined) return { ok: true, code: upper, explicit: true };
  const symbol = CURRENCY_SYMBOLS.get(upper);
  if (symbol) {
    if (symbol.codes.length === 1) return { ok: true, code: symbol.codes[0], explicit: false };
    if (defaultCurrency && symbol.codes.includes(defaultCurrency))
      return { ok: true, code: defaultCurrency, explicit: false };
    const others = symbol.codes.filter((code) => code !== symbol.fallback).join(', ');
    if (symbol.fallback) {
      // A safe default exists, but the feed did not confirm it: accepted, and the assumption said out loud.
      const assumed = finding(
        'AMBIGUOUS_CURRENCY',
        `"${token}" was read as ${symbol.fallback}; it is also the symbol of ${others}.`,
        `Set the feed's defaultCurrency to the shop's currency (e.g. ${symbol.codes[1] ?? symbol.fallback}), or write the ISO code after the amount (19.99 ${symbol.fallback}).`,
      );
      return { ok: true, code: symbol.fallback, explicit: false, assumed };
    }
    return {
      ok: false,
      issue: finding(
        'INVALID_CURRENCY',
        `"${token}" could be ${symbol.codes.join(', ')}, and the feed's defaultCurrency is not one of them, so the price cannot be read safely.`,
        `Set the feed's defaultCurrency (e.g. ${symbol.codes[0]}), or write the ISO code instead of "${token}", e.g. 499.00 ${symbol.codes[0]}.`,
      ),
    };
  }
  const message = THREE_LETTERS.test(upper)
    ? `"${token}" is not a current ISO 4217 currency code.`
    : `"${token}" is not a currency code or a known currency symbol.`;
  return { ok: false, issue: finding('INVALID_CURRENCY', message) };
}

function parseAmount(core: string, exponent: number, currency: string): number | ParsedPrice {
  const s = core.replace(GROUPING_MARKS, '');
  if (!DIGITS_AND_SEPARATORS.test(s)) {
    return fail(
      'INVALID_PRICE',
      `"${core}" is not a number.`,
      `Write just the amount and the currency code, e.g. 1234.50 ${currency}.`,
    );
  }
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let integer = s;
  let fraction = '';
  let groupSep = '';
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal separator, the other groups thousands.
    const dec = lastDot > lastComma ? '.' : ',';
    const decAt = Math.max(lastDot, lastComma);
    if (s.indexOf(dec) !== decAt) return badSeparators(core, currency);
    integer = s.slice(0, decAt);
    fraction = s.slice(decAt + 1);
    groupSep = dec === '.' ? ',' : '.';
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    if (s.indexOf(sep) !== at) {
      groupSep = sep; // "1,234,567": only grouping
    } else {
      const lead = s.slice(0, at);
      const after = s.length - at - 1;
      const couldGroup = after === 3 && lead.length >= 1 && lead.length <= 3 && lead[0] !== '0';
      if (couldGroup && (sep === ',' || exponent === 0)) {
        groupSep = sep;
      } else if (couldGroup && exponent < 3) {
        const thousands = formatPrice(Number(lead + s.slice(at + 1)) * 10 ** exponent, currency);
        return fail(
          'INVALID_PRICE',
          `"${core}" has 3 decimals but ${currency} has ${exponent}; if the dot separates thousands, remove it.`,
          `Write ${thousands} if the dot separates thousands, or ${rounded(lead, s.slice(at + 1), exponent, currency)} if it is a decimal point.`,
        );
      } else {
        integer = lead;
        fraction = s.slice(at + 1);
      }
    }
  }
  if (groupSep) {
    const groups = integer.split(groupSep);
    if (!validGroups(groups)) return badSeparators(core, currency);
    integer = groups.join('');
  }
  if (fraction.length > exponent) {
    // "1200.00 JPY" and "12.340 USD" lose nothing; "12.345 USD" would.
    if (!ALL_ZEROS.test(fraction.slice(exponent))) {
      return fail(
        'INVALID_PRICE',
        `"${core}" has ${fraction.length} decimals but ${currency} has ${exponent}.`,
        `Round the amount to ${exponent === 0 ? 'a whole number' : `${exponent} decimals`}, e.g. ${rounded(integer, fraction, exponent, currency)}.`,
      );
    }
    fraction = fraction.slice(0, exponent);
  }
  if (integer === '' && fraction === '') return fail('INVALID_PRICE', `"${core}" is not a number.`);
  const digits = integer.replace(LEADING_ZEROS, '') + fraction.padEnd(exponent, '0');
  if (digits.length > MAX_DIGITS) return fail('INVALID_PRICE', `"${core}" is too large to be a price.`);
  return Number(digits);
}

/** The amount rounded half up to the currency's exponent, for hints. `integer` may still hold group separators. */
function rounded(integer: string, fraction: string, exponent: number, currency: string): string {
  const whole = integer.replace(NON_DIGITS, '') || '0';
  const minor = Number(whole + fraction.slice(0, exponent).padEnd(exponent, '0')) + (fraction[exponent] >= '5' ? 1 : 0);
  return formatPrice(minor, currency);
}

/** "1,234,567" and Indian "1,23,456": first group 1–3 digits, middle groups 2–3, last group 3. */
function validGroups(groups: string[]): boolean {
  const n = groups.length;
  if (n < 2) return true;
  if (groups[0].length < 1 || groups[0].length > 3 || groups[n - 1].length !== 3) return false;
  for (let i = 1; i < n - 1; i++) {
    if (groups[i].length !== 3 && groups[i].length !== 2) return false;
  }
  return true;
}

function badSeparators(core: string, currency: string): ParsedPrice {
  return fail(
    'INVALID_PRICE',
    `"${core}" mixes decimal and thousands separators in a way that cannot be read safely.`,
    `Write the amount with a dot as decimal separator and no thousands separators, e.g. 1234.50 ${currency}.`,
  );
}

function fail(
  code: 'INVALID_PRICE' | 'INVALID_CURRENCY' | 'MISSING_CURRENCY',
  message: string,
  hint?: string,
): ParsedPrice {
  return { ok: false, issue: finding(code, message, hint) };
}

/** Minor units back to text for messages: 123450, 'USD' → "1234.50 USD". */
export function formatPrice(minor: number, currency: string): string {
  const exponent = currencyExponent(currency) ?? 2;
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return exponent === 0 ? `${sign}${whole} ${currency}` : `${sign}${whole}.${digits.slice(-exponent)} ${currency}`;
}
