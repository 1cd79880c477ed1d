import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `length` base62 characters from crypto randomness, without modulo bias (bytes ≥ 248 are drawn again):
 * 12 characters carry 71 bits, so codes cannot be guessed or enumerated.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A share link's public code: 12 base62 characters. */
export const SHARE_CODE_LENGTH = 12;
/** What a code may look like on the way in; anything else is a 404 without a lookup. */
export const SHARE_CODE_PATTERN = /^[0-9A-Za-z]{10,32}$/;
/** A click id handed to the brand's landing page: 20 base62 characters (119 bits). */
export const CLICK_ID_LENGTH = 20;
