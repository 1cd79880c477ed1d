import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import {
  CODES,
  finding,
  ISSUE_CODE_LIST,
  LEFT_OUT_REASON_LIST,
  RUN_ERROR_CODE_LIST,
  type Code,
  type CodeKind,
  type IssueCode,
  type RuleCode,
  type RunErrorCode,
} from './code.catalog.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'code.catalog.ts');
const read = (files: string[]) => files.map((f) => readFileSync(join(here, f), 'utf8')).join('\n');

/** Every .ts file under apps/ and libs/ but this catalogue, as [path, text]; specs apart. */
function projectSources(): { path: string; text: string; spec: boolean }[] {
  const out: { path: string; text: string; spec: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === '__fixtures__') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && path !== join(here, 'code.catalog.ts')) {
        out.push({
          path: relative(root, path),
          text: readFileSync(path, 'utf8'),
          spec: entry.name.endsWith('.spec.ts'),
        });
      }
    }
  };
  walk(join(root, 'apps'));
  walk(join(root, 'libs'));
  return out;
}

const KINDS: CodeKind[] = ['RULE', 'READER', 'STAGE', 'IMAGE', 'READ_ERROR', 'SYNC_ERROR', 'RUN_ERROR', 'LEFT_OUT'];
const entries = Object.entries(CODES) as [Code, (typeof CODES)[Code]][];
const ofKind = (kind: CodeKind) => entries.filter(([, info]) => info.kind === kind).map(([code]) => code);

describe('CODES', () => {
  it('documents each code once with a kind, a severity, a summary and a concrete hint', () => {
    for (const [code, info] of entries) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(KINDS).toContain(info.kind);
      expect(['ERROR', 'WARNING']).toContain(info.severity);
      expect(info.summary.length).toBeGreaterThan(15);
      expect(info.hint.length).toBeGreaterThan(10);
    }
    // Run errors fail the run: there is no run error of WARNING severity.
    for (const code of RUN_ERROR_CODE_LIST) expect(CODES[code].severity).toBe('ERROR');
  });

  it('splits into issue codes and run error codes, sharing only the codes that stop reading', () => {
    const both = ISSUE_CODE_LIST.filter((code) => (RUN_ERROR_CODE_LIST as readonly string[]).includes(code));
    expect(both.sort()).toEqual([...ofKind('READ_ERROR'), ...ofKind('SYNC_ERROR')].sort());
    expect(new Set([...ISSUE_CODE_LIST, ...RUN_ERROR_CODE_LIST, ...ofKind('LEFT_OUT')]).size).toBe(entries.length);
    expect(LEFT_OUT_REASON_LIST).toEqual([...ofKind('IMAGE'), ...ofKind('LEFT_OUT')]);
  });

  it('lists only codes that the rules raise', () => {
    const code = read(sources.filter((f) => !f.endsWith('.spec.ts')));
    const unused = ofKind('RULE').filter((name) => !code.includes(`'${name}'`));
    expect(unused).toEqual([]);
  });

  it('has a test for every rule code', () => {
    const specs = read(sources.filter((f) => f.endsWith('.spec.ts')));
    const untested = ofKind('RULE').filter((name) => !specs.includes(name));
    expect(untested).toEqual([]);
  });

  it('lists only codes something raises (no dead codes)', () => {
    const files = projectSources().filter((f) => !f.spec);
    const inLib = (lib: string, literal: string) =>
      files.some((f) => f.path.startsWith(`libs/${lib}/`) && f.text.includes(literal));
    const anywhere = (literal: string) => files.some((f) => f.text.includes(literal));
    const unused = entries
      .map(([code]) => code)
      .filter((code) => {
        // FETCH_<code>: the network client's code, prefixed where a fetch fails a run; SHOPIFY_<code>: the Admin API client's.
        if (code.startsWith('FETCH_')) return !(anywhere('`FETCH_${') && inLib('net', `'${code.slice(6)}'`));
        if (code.startsWith('SHOPIFY_') && code !== 'SHOPIFY_NOT_CONNECTED') {
          return !(anywhere('`SHOPIFY_${') && inLib('shopify', `'${code.slice(8)}'`));
        }
        return !anywhere(`'${code}'`) && !anywhere(`CODE.${code}`);
      });
    expect(unused).toEqual([]);
  });

  it('writes codes into SQL only as CODE constants (a literal in SQL text is not checked by the compiler)', () => {
    const literals: string[] = [];
    let constants = 0;
    for (const f of projectSources()) {
      if (f.spec || f.path.includes('/migrations/')) continue;
      for (const m of f.text.matchAll(/error_code\s*=\s*'([A-Z][A-Z0-9_]+)'/g)) literals.push(`${f.path}: ${m[1]}`);
      for (const m of f.text.matchAll(/coalesce\([\w.]*error_code, '([A-Z][A-Z0-9_]+)'\)/g))
        literals.push(`${f.path}: ${m[1]}`);
      for (const m of f.text.matchAll(/(?:THEN|ELSE) '([A-Z][A-Z0-9_]+)' END/g)) {
        if (m[1] in CODES) literals.push(`${f.path}: ${m[1]}`);
      }
      constants += [...f.text.matchAll(/'\$\{CODE\.[A-Z][A-Z0-9_]+\}'/g)].length;
    }
    expect(literals).toEqual([]);
    expect(constants).toBeGreaterThan(0);
  });

  it('is the only place a hint is written (raisers take it from here unless theirs says more)', () => {
    const files = projectSources().filter((f) => !f.spec && !f.path.startsWith('apps/console/src/gql/'));
    const copies = entries.flatMap(([code, info]) =>
      files.filter((f) => f.text.includes(info.hint)).map((f) => `${code}: ${f.path}`),
    );
    expect(copies).toEqual([]);
  });

  it('is what the compiler holds codes to', () => {
    // Each line below fails `npm run typecheck` if the catalogue stops refusing it (the directive then errs).
    // @ts-expect-error not a code of the catalogue
    const unknownIssue: IssueCode = 'NOT_A_CODE';
    // @ts-expect-error a rule cannot raise a run error
    const ruleAsRun: RuleCode = 'EMPTY_FEED';
    // @ts-expect-error an item rule code is no run error code
    const issueAsRun: RunErrorCode = 'MISSING_BRAND';
    const readErrorBoth: [IssueCode, RunErrorCode] = ['EMPTY_FEED', 'EMPTY_FEED'];
    expect([unknownIssue, ruleAsRun, issueAsRun, ...readErrorBoth].every((code) => typeof code === 'string')).toBe(
      true,
    );
  });
});

describe('finding', () => {
  it('takes severity and hint from the catalogue unless given', () => {
    expect(finding('MISSING_BRAND', 'no brand')).toEqual({
      code: 'MISSING_BRAND',
      severity: 'WARNING',
      message: 'no brand',
      hint: CODES.MISSING_BRAND.hint,
    });
    expect(finding('INVALID_PRICE', 'zero', 'leave it empty', 'WARNING')).toMatchObject({
      severity: 'WARNING',
      hint: 'leave it empty',
    });
  });
});
