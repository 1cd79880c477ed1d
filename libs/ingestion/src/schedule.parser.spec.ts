import { describe, expect, it } from '@jest/globals';
import { parseSchedule } from './schedule.parser.js';

describe('parseSchedule', () => {
  it.each([
    ['hourly', 60],
    ['Daily', 1440],
    ['every 15m', 15],
    ['every 6 hours', 360],
    ['every 2d', 2880],
    ['', null],
    [null, null],
  ])('%s → %s minutes', (input, minutes) => {
    expect(parseSchedule(input)).toBe(minutes);
  });

  it.each(['sometimes', 'every 0m', 'every 99d', '*/5 * * * *'])('refuses %s with a hint', (input) => {
    expect(() => parseSchedule(input)).toThrow(/schedule/);
  });
});
