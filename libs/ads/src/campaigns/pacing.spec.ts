import { describe, expect, it } from '@jest/globals';
import { runAuction } from './auction.js';
import { allowanceMinor, chargeMinor, DAY_MS, pacingAllows, utcDay } from './pacing.js';

const LEAD = 60;

describe('pacing', () => {
  it('lets a campaign in while it has spent less than the clock allows, and keeps it out once ahead', () => {
    const noon = new Date('2026-03-01T12:00:00Z');
    // Half the day gone plus an hour's lead: 1000 × (0.5 + 1/24) = 541.
    expect(allowanceMinor(1000, noon, LEAD)).toBe(541);
    expect(pacingAllows({ spentTodayMinor: 540, dailyBudgetMinor: 1000, at: noon, leadMinutes: LEAD })).toBe(true);
    expect(pacingAllows({ spentTodayMinor: 541, dailyBudgetMinor: 1000, at: noon, leadMinutes: LEAD })).toBe(false);
    const late = new Date('2026-03-01T23:30:00Z');
    expect(pacingAllows({ spentTodayMinor: 999, dailyBudgetMinor: 1000, at: late, leadMinutes: LEAD })).toBe(true);
    expect(pacingAllows({ spentTodayMinor: 1000, dailyBudgetMinor: 1000, at: late, leadMinutes: LEAD })).toBe(false);
  });

  it('charges a click only while the day is under budget', () => {
    expect(chargeMinor(990, 1000, 40)).toBe(40);
    expect(chargeMinor(1030, 1000, 40)).toBe(0);
  });

  it('spreads a simulated day of searches and clicks over the day, and the budget holds', () => {
    // A busy day: a search every 20 seconds, each shown result clicked, and clicks on a result arriving up to
    // 10 minutes after the search (some after the budget ran out). Budget 50.00, bids 2.00, reserve 0.10.
    const budget = 5_000;
    const start = Date.parse('2026-03-01T00:00:00Z');
    let spent = 0;
    let charged = 0;
    let freeClicks = 0;
    const byHour = new Array<number>(24).fill(0);
    const pending: Array<{ at: number; price: number }> = [];
    let rival = 0;
    for (let t = start; t < start + DAY_MS; t += 20_000) {
      const now = new Date(t);
      // Clicks whose time has come are charged in time order (the flush does the same under a row lock).
      pending.sort((a, b) => a.at - b.at);
      while (pending.length && pending[0].at <= t) {
        const click = pending.shift()!;
        const cost = chargeMinor(spent, budget, click.price);
        if (cost === 0) freeClicks++;
        spent += cost;
        charged++;
        byHour[new Date(click.at).getUTCHours()] += cost;
      }
      if (!pacingAllows({ spentTodayMinor: spent, dailyBudgetMinor: budget, at: now, leadMinutes: LEAD })) continue;
      rival = (rival + 7) % 11;
      const [won] = runAuction(
        [
          { campaignId: 'mine', productId: 'p1', bidMinor: 200, relevance: 0.6 },
          { campaignId: 'rival', productId: 'p2', bidMinor: 100 + rival * 10, relevance: 0.6 },
        ],
        { slots: 1, reserveMinor: 10, relevanceFloor: 0.2 },
      ).filter((w) => w.campaignId === 'mine');
      if (won) pending.push({ at: t + ((t / 20_000) % 30) * 20_000, price: won.priceMinor });
    }
    // The budget holds: at most one click above it.
    expect(spent).toBeGreaterThan(budget * 0.9);
    expect(spent).toBeLessThanOrEqual(budget + 200);
    // Spread: no hour takes more than its share plus the lead and the clicks in flight, and the last hours
    // still spend (the budget was not gone by the morning).
    for (const hour of byHour) expect(hour).toBeLessThanOrEqual(budget / 24 + budget / 24 + 31 * 200);
    expect(byHour.slice(18).reduce((a, b) => a + b, 0)).toBeGreaterThan(budget * 0.15);
    expect(byHour.slice(0, 6).reduce((a, b) => a + b, 0)).toBeLessThan(budget * 0.4);
    expect(charged).toBeGreaterThan(0);
    expect(freeClicks).toBeGreaterThanOrEqual(0);
    expect(utcDay(new Date(start))).toBe('2026-03-01');
  });
});
