import { BadInputError } from '@brandshelf/core';

/** Rates are decimal percentages from 1 to 80 with at most two decimals ("12.5"), held as hundredths (1250). */
export const MIN_RATE_HUNDREDTHS = 100;
export const MAX_RATE_HUNDREDTHS = 8000;
const RATE = /^(\d{1,2})(?:\.(\d{1,2}))?$/;

/** "12.5" → 1250; BAD_USER_INPUT naming `field` for anything else or outside 1–80. */
export function parseRate(raw: string, field: string): number {
  const match = typeof raw === 'string' ? RATE.exec(raw.trim()) : null;
  if (!match) {
    throw new BadInputError(
      `${field} must be a decimal percentage such as "12.5" (at most two decimals); got "${String(raw).slice(0, 40)}".`,
      field,
    );
  }
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (hundredths < MIN_RATE_HUNDREDTHS || hundredths > MAX_RATE_HUNDREDTHS) {
    throw new BadInputError(`${field} must be between 1 and 80 (percent); got "${raw.trim()}".`, field);
  }
  return hundredths;
}

/** 1250 → "12.5", 1000 → "10", 1205 → "12.05": the shortest exact decimal. */
export function formatRate(hundredths: number): string {
  const whole = Math.floor(hundredths / 100);
  const cents = hundredths % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** PostgreSQL numeric(5,2) as text ("12.50") → hundredths. */
export function rateFromSql(text: string): number {
  const [whole, fraction = ''] = String(text).split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

/** Hundredths → the numeric literal PostgreSQL stores ("12.50"). */
export function rateToSql(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
