import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `bsk_<prefix>_<secret>`: the prefix (12 base62-ish chars) finds the row,
 * the secret (32 random bytes) proves possession. Only sha256(key) is stored.
 */
const KEY_PATTERN = /^bsk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface MintedKey {
  plain: string;
  prefix: string;
  hash: string;
}

export function mintApiKey(): MintedKey {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  const plain = `bsk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { plain, prefix, hash: hashApiKey(plain) };
}

export function hashApiKey(plain: string): string {
  return createHash('sha256').update(plain).digest('hex');
}

export function parseApiKey(plain: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(plain);
  return match ? { prefix: match[1] } : null;
}

export function apiKeyMatches(plain: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(plain), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
