import { BadInputError } from '@brandshelf/core';

const NAMED: Record<string, number> = { hourly: 60, daily: 24 * 60, weekly: 7 * 24 * 60 };
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

/**
 * Feed schedules are intervals, which is what brands mean ("fetch it every 6 hours"):
 * `hourly`, `daily`, `weekly`, or `every <n>m|h|d`. Null or empty means no schedule.
 */
export function parseSchedule(schedule: string | null | undefined): number | null {
  const text = schedule?.trim().toLowerCase();
  if (!text) return null;
  if (NAMED[text]) return NAMED[text];
  const match = /^every\s+(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)$/.exec(text);
  if (!match) {
    throw new BadInputError(
      `schedule "${schedule}" is not understood; use hourly, daily, weekly or "every <n>m|h|d" (e.g. "every 6h").`,
      'schedule',
    );
  }
  const minutes = Number(match[1]) * UNIT_MINUTES[match[2][0]];
  if (minutes < 1 || minutes > 31 * 24 * 60) {
    throw new BadInputError('schedule must be between 1 minute and 31 days.', 'schedule');
  }
  return minutes;
}
