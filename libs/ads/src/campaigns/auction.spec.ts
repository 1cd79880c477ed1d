import { describe, expect, it } from '@jest/globals';
import { runAuction, type AuctionCandidate } from './auction.js';

const RULES = { slots: 2, reserveMinor: 10, relevanceFloor: 0.05 };

describe('sponsored auction (generalized second price on bid × relevance)', () => {
  it('orders by bid × relevance and charges each winner the least that keeps its position (worked example)', () => {
    // A: 2.00 × 0.5 = 1.00, B: 1.00 × 0.8 = 0.80, C: 3.00 × 0.2 = 0.60 (scores in minor units: 100, 80, 60).
    const candidates: AuctionCandidate[] = [
      { campaignId: 'C', productId: 'p3', bidMinor: 300, relevance: 0.2 },
      { campaignId: 'B', productId: 'p2', bidMinor: 100, relevance: 0.8 },
      { campaignId: 'A', productId: 'p1', bidMinor: 200, relevance: 0.5 },
    ];
    const won = runAuction(candidates, RULES);
    expect(won.map((w) => [w.position, w.campaignId, w.priceMinor])).toEqual([
      // A keeps first place down to 80 / 0.5 = 160 (1.60); B keeps second down to 60 / 0.8 = 75 (0.75).
      [1, 'A', 160],
      [2, 'B', 75],
    ]);
    // Nobody pays more than its bid.
    for (const w of won) expect(w.priceMinor).toBeLessThanOrEqual(w.bidMinor);
  });

  it('rounds the price up to a minor unit, never above the bid', () => {
    const won = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 100, relevance: 0.3 },
        { campaignId: 'B', productId: 'p2', bidMinor: 100, relevance: 0.3 },
      ],
      RULES,
    );
    // Equal scores: the next score over its own relevance is exactly its bid (no rounding above it).
    expect(won.map((w) => w.priceMinor)).toEqual([100, 10]);
    const thirds = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 100, relevance: 0.3 },
        { campaignId: 'B', productId: 'p2', bidMinor: 50, relevance: 0.5 },
      ],
      RULES,
    );
    // 25 / 0.3 = 83.33… → 84.
    expect(thirds[0].priceMinor).toBe(84);
  });

  it('charges the reserve when nobody ranks below, and leaves out bids under the reserve', () => {
    const alone = runAuction([{ campaignId: 'A', productId: 'p1', bidMinor: 500, relevance: 0.9 }], RULES);
    expect(alone).toEqual([expect.objectContaining({ campaignId: 'A', priceMinor: 10, position: 1 })]);
    const low = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 9, relevance: 1 },
        { campaignId: 'B', productId: 'p2', bidMinor: 50, relevance: 0.1 },
      ],
      RULES,
    );
    expect(low.map((w) => [w.campaignId, w.priceMinor])).toEqual([['B', 10]]);
  });

  it('keeps every price between the reserve and the max CPC', () => {
    const won = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 181, relevance: 0.5 },
        { campaignId: 'B', productId: 'p2', bidMinor: 100, relevance: 0.9 },
      ],
      { ...RULES, reserveMinor: 200 },
    );
    // Both bids are under the reserve of 2.00: no auction at all.
    expect(won).toEqual([]);
    const capped = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 30, relevance: 0.5 },
        { campaignId: 'B', productId: 'p2', bidMinor: 20, relevance: 0.5 },
      ],
      { ...RULES, reserveMinor: 25 },
    );
    // B bids under the reserve: A alone pays the reserve, 25, below its 30.
    expect(capped.map((w) => [w.campaignId, w.priceMinor])).toEqual([['A', 25]]);
    const atCap = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 30, relevance: 0.5 },
        { campaignId: 'B', productId: 'p2', bidMinor: 40, relevance: 0.2 },
      ],
      { ...RULES, reserveMinor: 30 },
    );
    // The reserve equals A's max CPC: A pays exactly it, never more.
    expect(atCap[0]).toEqual(expect.objectContaining({ campaignId: 'A', priceMinor: 30 }));
  });

  it('gives a campaign one slot and a product one slot, drops results under the relevance floor, at most 2 slots', () => {
    const won = runAuction(
      [
        { campaignId: 'A', productId: 'p1', bidMinor: 100, relevance: 0.9 },
        { campaignId: 'A', productId: 'p2', bidMinor: 100, relevance: 0.8 },
        { campaignId: 'B', productId: 'p1', bidMinor: 100, relevance: 0.7 },
        { campaignId: 'B', productId: 'p3', bidMinor: 100, relevance: 0.6 },
        { campaignId: 'C', productId: 'p4', bidMinor: 1000, relevance: 0.01 },
        { campaignId: 'D', productId: 'p5', bidMinor: 50, relevance: 0.5 },
      ],
      RULES,
    );
    expect(won.map((w) => [w.campaignId, w.productId])).toEqual([
      ['A', 'p1'],
      ['B', 'p3'],
    ]);
    // B's price is set by D, ranked third (25 / 0.6 → 42).
    expect(won[1].priceMinor).toBe(42);
  });
});
