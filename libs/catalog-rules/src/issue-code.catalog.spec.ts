import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { finding, ISSUE_CODES } from './issue-code.catalog.js';

const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'issue-code.catalog.ts');
const read = (files: string[]) => files.map((f) => readFileSync(join(here, f), 'utf8')).join('\n');

describe('ISSUE_CODES', () => {
  const entries = Object.entries(ISSUE_CODES);

  it('documents each code with a severity, a summary and a concrete hint', () => {
    for (const [code, info] of entries) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(['ERROR', 'WARNING']).toContain(info.severity);
      expect(info.summary.length).toBeGreaterThan(15);
      expect(info.hint.length).toBeGreaterThan(20);
    }
  });

  it('lists only codes that the rules raise', () => {
    const code = read(sources.filter((f) => !f.endsWith('.spec.ts')));
    const unused = entries.map(([name]) => name).filter((name) => !code.includes(`'${name}'`));
    expect(unused).toEqual([]);
  });

  it('has a test for every code', () => {
    const specs = read(sources.filter((f) => f.endsWith('.spec.ts')));
    const untested = entries.map(([name]) => name).filter((name) => !specs.includes(name));
    expect(untested).toEqual([]);
  });
});

describe('finding', () => {
  it('takes severity and hint from the catalogue unless given', () => {
    expect(finding('MISSING_BRAND', 'no brand')).toEqual({
      code: 'MISSING_BRAND',
      severity: 'WARNING',
      message: 'no brand',
      hint: ISSUE_CODES.MISSING_BRAND.hint,
    });
    expect(finding('INVALID_PRICE', 'zero', 'leave it empty', 'WARNING')).toMatchObject({
      severity: 'WARNING',
      hint: 'leave it empty',
    });
  });
});
