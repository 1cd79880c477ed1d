import { currencyExponent, formatPrice } from '@brandshelf/catalog-rules';
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
  const amountMinor = Number(minor);
  const formatted = f
    ? f.format(amount as unknown as number) // Intl formats decimal strings exactly (ES2023)
    : formatPrice(amountMinor, currency);
  return { amount, amountMinor, currency, formatted };
}

/**
 * A decimal amount in major units to minor units of the currency, rounded towards the inside of the range:
 * up for a minimum, down for a maximum (12.345 USD as a max admits 12.34).
 */
export function decimalToMinor(amount: number, currency: string, round: 'up' | 'down'): bigint {
  if (!Number.isFinite(amount)) throw new BadInputError('A price bound must be a finite number.', 'filter.price');
  const exponent = currencyExponent(currency) ?? 2;
  // toFixed(exponent + 3) keeps what a float can say about the amount without binary noise (19.99 → "19.99000").
  const text = Math.abs(amount).toFixed(Math.min(exponent + 3, 20));
  const [whole, fraction = ''] = text.split('.');
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const rest = fraction.slice(exponent);
  let minor = BigInt(whole + kept);
  const hasRest = /[1-9]/.test(rest);
  const negative = amount < 0;
  if (hasRest) {
    // Towards +∞ for 'up', towards −∞ for 'down', whatever the sign.
    if (round === 'up' && !negative) minor += 1n;
    if (round === 'down' && negative) minor += 1n;
  }
  return negative ? -minor : minor;
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
