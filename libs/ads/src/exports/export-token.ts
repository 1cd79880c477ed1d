import { createHash, randomBytes } from 'node:crypto';

/** Export tokens look like `bsx_<43 base64url chars>` (32 random bytes); only sha256(token) is stored. */
const TOKEN_PATTERN = /^bsx_[A-Za-z0-9_-]{43}$/;

export function mintExportToken(): { plain: string; hash: string } {
  const plain = `bsx_${randomBytes(32).toString('base64url')}`;
  return { plain, hash: hashExportToken(plain) };
}

export function hashExportToken(plain: string): string {
  return createHash('sha256').update(plain).digest('hex');
}

export const isExportToken = (s: string): boolean => TOKEN_PATTERN.test(s);
