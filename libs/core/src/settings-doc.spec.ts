import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SETTINGS } from './config.js';

describe('README settings table', () => {
  it('documents every setting the code reads', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const missing = SETTINGS.filter((s) => !readme.includes(`| \`${s.name}\` |`)).map((s) => s.name);
    expect(missing).toEqual([]);
  });
});
