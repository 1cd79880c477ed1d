/**
 * The sponsored-products auction: a generalized second-price auction on bid × relevance. Pure (no I/O, no clock),
 * so its order and prices are unit-tested on worked examples (auction.spec.ts).
 *
 * - Every candidate is a (campaign, product) pair with the campaign's bid (its max CPC, in minor units of the ads
 *   currency) and the product's relevance to the search (ts_rank of the organic search; 1 for a category listing).
 * - Candidates below the relevance floor, or bidding below the reserve, take no part.
 * - Ranking: score = bid × relevance, highest first (ties: the higher bid, then the campaign id, so the order is
 *   stable). A campaign takes at most one position, with its best-scoring product; a product takes at most one
 *   position (a product in two campaigns' sets goes to the one ranked higher; the other uses its next product).
 * - Price: the least that would have kept the position: the next ranked entry's score divided by the winner's own
 *   relevance, rounded up to a minor unit, never above the winner's bid (its max CPC), at least the reserve. The
 *   last entry ranked (nobody below it) pays the reserve.
 */
export interface AuctionCandidate {
  campaignId: string;
  productId: string;
  /** The campaign's max CPC, minor units. */
  bidMinor: number;
  relevance: number;
}

export interface AuctionWinner extends AuctionCandidate {
  /** 1-based slot. */
  position: number;
  score: number;
  /** What a click on this slot costs, minor units: reserve ≤ price ≤ bid. */
  priceMinor: number;
}

export interface AuctionRules {
  slots: number;
  reserveMinor: number;
  relevanceFloor: number;
}

/** Rounding slack: bid × relevance / relevance must give the bid back, not one minor unit more. */
const EPSILON = 1e-9;

export function runAuction(candidates: readonly AuctionCandidate[], rules: AuctionRules): AuctionWinner[] {
  const eligible = candidates
    .filter((c) => c.relevance >= rules.relevanceFloor && c.relevance > 0 && c.bidMinor >= rules.reserveMinor)
    .map((c) => ({ ...c, score: c.bidMinor * c.relevance }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.bidMinor - a.bidMinor ||
        (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0) ||
        (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
    );
  // The full ranking (one entry per campaign, one per product): winners are its first `slots`, and each winner's
  // price is set by the entry ranked right below it, shown or not.
  const ranked: Array<AuctionCandidate & { score: number }> = [];
  const campaigns = new Set<string>();
  const products = new Set<string>();
  for (const c of eligible) {
    if (campaigns.has(c.campaignId) || products.has(c.productId)) continue;
    campaigns.add(c.campaignId);
    products.add(c.productId);
    ranked.push(c);
    if (ranked.length > rules.slots) break;
  }
  return ranked.slice(0, rules.slots).map((w, i) => {
    const next = ranked[i + 1];
    const keep = next ? Math.ceil(next.score / w.relevance - EPSILON) : 0;
    const priceMinor = Math.min(w.bidMinor, Math.max(rules.reserveMinor, keep));
    return { ...w, position: i + 1, priceMinor };
  });
}
