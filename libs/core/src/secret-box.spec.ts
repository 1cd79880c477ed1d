import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('round-trips, never contains the plain text, and refuses tampering or a wrong key', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.seal('shpat_secret_token');
    expect(sealed).not.toContain('shpat_secret_token');
    expect(box.seal('shpat_secret_token')).not.toBe(sealed); // random IV
    expect(box.open(sealed)).toBe('shpat_secret_token');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox('x'.repeat(40)).open(sealed)).toThrow();
  });
});
