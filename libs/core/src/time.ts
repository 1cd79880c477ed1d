import { BadInputError } from './errors.js';

/** The earliest and latest instants an input time may name: years 0001 to 9999, the range of ISO 8601's four digits. */
export const MIN_INPUT_TIME = new Date('0001-01-01T00:00:00Z').getTime();
export const MAX_INPUT_TIME = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * A time given by a client, checked before it reaches SQL: a valid Date in the years 0001–9999. JavaScript takes
 * years back to -271821, PostgreSQL's timestamptz only to 4713 BC, so an unchecked far date failed in the INSERT as
 * a 500; a year past 9999 is no ISO 8601 time anyone means. BAD_USER_INPUT on `field` otherwise.
 */
export function checkInputTime(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new BadInputError(`${field} is not a valid time.`, field);
  }
  const t = value.getTime();
  if (t < MIN_INPUT_TIME || t > MAX_INPUT_TIME) {
    throw new BadInputError(`${field} must be a time in the years 0001 to 9999.`, field);
  }
  return value;
}
