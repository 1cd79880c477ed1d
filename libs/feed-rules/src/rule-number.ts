import { currencyExponent, parsePrice } from '@brandshelf/catalog-rules';

/** A number read from an attribute or a condition: `currency` when the text named one ("12.50 USD", "€5"). */
export interface RuleNumber {
  amount: number;
  currency: string | null;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a plain number ("12", "-3.5", "1e3") or a price as the validator reads prices ("12.50 USD", "USD 12.50",
 * "$1,234.50", "1.234,50 €"): null when the text is neither. A price's amount is in major units (12.5 for "12.50
 * USD"); a symbol several currencies share reads as the validator's assumption ("$" as USD). A number with
 * thousands separators but no currency ("1,234.50") reads as a number without a currency.
 */
export function readNumber(text: string | undefined): RuleNumber | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 64) return null;
  if (PLAIN_NUMBER.test(trimmed)) {
    const amount = Number(trimmed);
    return Number.isFinite(amount) ? { amount, currency: null } : null;
  }
  const price = parsePrice(trimmed, null);
  if (price.ok)
    return { amount: price.minor / 10 ** (currencyExponent(price.currency) ?? 2), currency: price.currency };
  // No currency in the text: read the separators as a USD price would be read, keep no currency.
  const bare = parsePrice(trimmed, 'USD');
  if (bare.ok && bare.currency === 'USD' && !/usd|\$/i.test(trimmed))
    return { amount: bare.minor / 100, currency: null };
  return null;
}

/**
 * Compares as the condition's operator says, by amount. Two different currencies never compare (false): rules do
 * not convert. A side without a currency compares with any.
 */
export function compareNumbers(item: RuleNumber, wanted: RuleNumber): number | null {
  if (item.currency && wanted.currency && item.currency !== wanted.currency) return null;
  return item.amount - wanted.amount;
}
