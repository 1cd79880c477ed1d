/**
 * Budget pacing and click charging, pure (the time is given), unit-tested with a simulated day (pacing.spec.ts).
 *
 * Days are UTC days. A campaign's allowance at an instant is its daily budget times the part of the day gone by,
 * plus a lead (ADS_PACING_LEAD_MINUTES worth of budget, so a campaign can start at midnight): a campaign that has
 * spent its allowance already sits out the auctions until the clock catches up. Spend thus follows the clock
 * through the day instead of going in the first busy hour.
 *
 * The budget holds at charge time: a click is charged only while the day's spend is below the budget, so a day's
 * spend exceeds the budget by at most one click (the click that crossed it; clicks on results shown before the
 * budget ran out are free after it).
 */
export const DAY_MS = 86_400_000;

/** The UTC day of an instant, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The part of the UTC day gone by at `at`, 0 ≤ f < 1. */
export function dayFraction(at: Date): number {
  return (at.getTime() % DAY_MS) / DAY_MS;
}

/** What the campaign may have spent by `at`, minor units (never more than the budget). */
export function allowanceMinor(dailyBudgetMinor: number, at: Date, leadMinutes: number): number {
  const fraction = Math.min(1, dayFraction(at) + leadMinutes / 1440);
  return Math.floor(dailyBudgetMinor * fraction);
}

/** Whether a campaign takes part in an auction at `at`: budget left today and not ahead of the clock. */
export function pacingAllows(input: {
  spentTodayMinor: number;
  dailyBudgetMinor: number;
  at: Date;
  leadMinutes: number;
}): boolean {
  if (input.spentTodayMinor >= input.dailyBudgetMinor) return false;
  return input.spentTodayMinor < allowanceMinor(input.dailyBudgetMinor, input.at, input.leadMinutes);
}

/** What a click costs given the day's spend before it: its price while the spend is below the budget, else 0. */
export function chargeMinor(spentBeforeMinor: number, dailyBudgetMinor: number, priceMinor: number): number {
  return spentBeforeMinor < dailyBudgetMinor ? priceMinor : 0;
}
