import { CURRENCIES, currencyExponent, formatPrice } from '@brandshelf/catalog-rules';
import { BadInputError } from '@brandshelf/core';
import type { MoneyValue } from './search.types.js';

const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterFor(currency: string, exponent: number): Intl.NumberFormat | null {
  let f = formatters.get(currency);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      });
    } catch {
      f = null;
    }
    formatters.set(currency, f);
  }
  return f;
}

/** "1999" minor units of USD → "19.99"; exact for any bigint, no floating point on the way. */
export function minorToDecimal(minor: bigint | number | string, currency: string): string {
  const exponent = currencyExponent(currency) ?? 2;
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export function money(minor: string | number | bigint | null, currency: string | null): MoneyValue | null {
  if (minor === null || minor === undefined || !currency) return null;
  const amount = minorToDecimal(minor, currency);
  const exponent = currencyExponent(currency) ?? 2;
  const f = formatterFor(currency, exponent);
  const formatted = f
    ? f.format(amount as unknown as number) // Intl formats decimal strings exactly (ES2023)
    : formatPrice(Number(minor), currency);
  return { amount, currency, formatted };
}

/** The most digits after the point any currency has (CLF, UYW: 4): the limit for a bound without a currency. */
export const MAX_EXPONENT = Math.max(...Object.values(CURRENCIES).map((c) => c.exponent));

/**
 * A plain non-negative decimal: no sign, exponent or leading zeros. At most 14 digits before the point, so the
 * amount in minor units (up to MAX_EXPONENT more digits) stays inside PostgreSQL's bigint.
 */
const DECIMAL = /^(0|[1-9]\d{0,13})(?:\.(\d+))?$/;

/**
 * Reads a non-negative decimal amount in major units ("19.99", "1500", "1.250") exactly, as a string, never
 * through a float: BAD_USER_INPUT when it is not such a number or has more decimals than `currency` has minor
 * digits (or than any currency has, without one). Returns it unchanged for decimalToMinor.
 */
export function parseDecimal(text: string, currency: string | null, field: string): string {
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match) {
    throw new BadInputError(
      `${field} must be a non-negative decimal amount in major units such as "19.99" (at most 14 digits before the point), got ${JSON.stringify(text)}.`,
      field,
    );
  }
  const decimals = match[2]?.length ?? 0;
  const exponent = currency ? (currencyExponent(currency) ?? 2) : MAX_EXPONENT;
  if (decimals > exponent) {
    throw new BadInputError(
      currency
        ? `${field}: ${currency} has ${exponent} decimal${exponent === 1 ? '' : 's'}, "${text}" has ${decimals}.`
        : `${field}: "${text}" has ${decimals} decimals; no currency has more than ${MAX_EXPONENT}.`,
      field,
    );
  }
  return text.trim();
}

/**
 * A decimal amount in major units (a string parseDecimal accepted) to minor units of the currency, exactly.
 * Digits past the currency's exponent (a bound given without a currency, applied to each) round towards the
 * inside of the range: up for a minimum, down for a maximum ("12.345" as a USD max admits 12.34).
 */
export function decimalToMinor(amount: string, currency: string, round: 'up' | 'down'): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new BadInputError(`Not a decimal amount: ${JSON.stringify(amount)}.`, 'filter.price');
  const exponent = currencyExponent(currency) ?? 2;
  const [, whole, fraction = ''] = match;
  let minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  if (round === 'up' && /[1-9]/.test(fraction.slice(exponent))) minor += 1n;
  return minor;
}

/** Compares two decimal strings parseDecimal accepted, exactly: negative, 0 or positive like a - b. */
export function compareDecimals(a: string, b: string): number {
  const scaled = (x: string) => {
    const [whole, fraction = ''] = x.trim().split('.');
    return BigInt(whole + fraction.padEnd(MAX_EXPONENT, '0'));
  };
  const d = scaled(a) - scaled(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencyExponent(code) !== undefined;
}

/**
 * Fixed price buckets in major units, per currency: the same steps scaled for currencies whose unit is worth
 * much less than a dollar, so a yen catalog does not land in one bucket.
 */
const STEPS = [10, 25, 50, 100, 250, 500, 1000];
const SCALE: Record<string, number> = {
  JPY: 100,
  KRW: 1000,
  IDR: 10000,
  VND: 10000,
  INR: 100,
  HUF: 100,
  ISK: 100,
  CLP: 1000,
  COP: 1000,
  RUB: 100,
  PHP: 50,
  THB: 10,
  TWD: 10,
  CZK: 10,
  MXN: 10,
  ZAR: 10,
  TRY: 10,
  UAH: 10,
  NOK: 10,
  SEK: 10,
  DKK: 5,
  CNY: 5,
  HKD: 5,
  PLN: 5,
  BRL: 5,
  AED: 2,
  ILS: 2,
  MYR: 2,
};

export function priceScale(currency: string): number {
  return SCALE[currency] ?? 1;
}

/** Bucket boundaries (major units) for a currency: [0, b1), [b1, b2) … [bn, ∞). */
export function priceSteps(currency: string): number[] {
  const scale = priceScale(currency);
  return STEPS.map((s) => s * scale);
}

/** The scales that differ from 1, for the SQL that puts a price in its bucket. */
export function scaledCurrencies(): Array<[string, number]> {
  return Object.entries(SCALE);
}

export const PRICE_STEPS = STEPS;

/** Inclusive bounds of bucket `index` (0 … STEPS.length) as decimal strings of the currency. */
export function bucketBounds(currency: string, index: number): { min: string; max: string | null } {
  const steps = priceSteps(currency);
  const exponent = currencyExponent(currency) ?? 2;
  const unit = 10n ** BigInt(exponent);
  const lower = index === 0 ? 0n : BigInt(steps[index - 1]) * unit;
  const upper = index >= steps.length ? null : BigInt(steps[index]) * unit - 1n;
  return { min: minorToDecimal(lower, currency), max: upper === null ? null : minorToDecimal(upper, currency) };
}
