import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a sponsored result's click URL carries: the auction's outcome, signed so it cannot be changed. */
export interface SponsoredClickClaim {
  campaignId: string;
  productId: string;
  /** The price the auction set for this slot, minor units. */
  priceMinor: number;
  /** When the result was shown (epoch seconds). */
  shownAt: number;
}

/** A click on a result shown longer ago than this is followed but not counted (an old page, a copied URL). */
export const CLICK_TOKEN_TTL_SECONDS = 24 * 3600;

/**
 * `<payload>.<mac>`, both base64url: the payload is the claim as a compact JSON array, the mac the first 16 bytes
 * of HMAC-SHA256 with a key derived for this purpose from SECRET_KEY. No database row per impression.
 */
export function signClaim(key: Buffer, claim: SponsoredClickClaim): string {
  const payload = Buffer.from(
    JSON.stringify([claim.campaignId, claim.productId, claim.priceMinor, claim.shownAt]),
  ).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The claim of a token this process's key signed, or null (malformed, forged or changed). */
export function verifyClaim(key: Buffer, token: string): SponsoredClickClaim | null {
  if (token.length > 400) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [campaignId, productId, priceMinor, shownAt] = JSON.parse(Buffer.from(payload, 'base64url').toString());
    if (typeof campaignId !== 'string' || typeof productId !== 'string') return null;
    if (!Number.isSafeInteger(priceMinor) || !Number.isSafeInteger(shownAt)) return null;
    return { campaignId, productId, priceMinor, shownAt };
  } catch {
    return null;
  }
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest().subarray(0, 16).toString('base64url');
}
