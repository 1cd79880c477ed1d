/**
 * The one rounding rule of commissions: the exact commission is line amount (minor units of the order currency)
 * × rate (a percentage with two decimals), and it is rounded to a whole minor unit HALF-EVEN (banker's rounding:
 * an exact half goes to the even neighbour), computed on integers, never on floats. 0.5 cent goes to 0, 1.5 to 2.
 *
 * A refund reverses the difference between the commission on what the line was and on what is left of it, both
 * rounded by the same rule, so partial refunds add up: refunding a line in any number of steps reverses exactly its
 * commission, never a minor unit more or less.
 */

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "12.5" or "12.50" (PostgreSQL numeric(5,2)) → 1250, the rate in hundredths of a percent. */
export function rateHundredths(rate: string): bigint {
  const match = PERCENT.exec(rate.trim());
  if (!match) throw new Error(`Not a commission rate: ${JSON.stringify(rate)}`);
  return BigInt(match[1] + (match[2] ?? '').padEnd(2, '0'));
}

/** Half-even division of a non-negative numerator by a positive divisor. */
export function divideHalfEven(numerator: bigint, divisor: bigint): bigint {
  if (numerator < 0n || divisor <= 0n) throw new Error('divideHalfEven takes a non-negative numerator');
  const quotient = numerator / divisor;
  const twice = (numerator % divisor) * 2n;
  if (twice > divisor) return quotient + 1n;
  if (twice === divisor) return quotient % 2n === 0n ? quotient : quotient + 1n;
  return quotient;
}

/** Commission in minor units on `baseMinor` at `rate` percent ("12.50"), rounded half-even. */
export function commissionMinor(baseMinor: bigint, rate: string): bigint {
  return divideHalfEven(baseMinor * rateHundredths(rate), 10_000n);
}

/**
 * What a refund of `refundMinor` more reverses on a line of `baseMinor` at `rate` of which `refundedMinor` was
 * refunded already: the commission on what was left minus the commission on what is left now.
 */
export function reversalMinor(baseMinor: bigint, refundedMinor: bigint, refundMinor: bigint, rate: string): bigint {
  return (
    commissionMinor(baseMinor - refundedMinor, rate) - commissionMinor(baseMinor - refundedMinor - refundMinor, rate)
  );
}
