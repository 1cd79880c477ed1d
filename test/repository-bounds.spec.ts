import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * `npm test` must pass on any clone: nothing the repository runs may read a file outside it. Every
 * tracked text file is checked for the two ways that crept in before: a relative path that climbs above
 * the repository root, and the folder that sits beside the repository on our own machines.
 */
const ROOT = process.cwd();
const FIXTURES = 'test/fixtures/feeds';

function trackedFiles(): string[] {
  return (
    execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean)
      .filter((path) => !path.startsWith(`${FIXTURES}/`) && !path.endsWith('package-lock.json'))
      // This file's own self-check spells escaping paths on purpose.
      .filter((path) => path !== 'test/repository-bounds.spec.ts')
      .filter((path) => /\.(ts|tsx|js|mjs|cjs|json|ya?ml|sh|md)$|^\.ci\/|Dockerfile$/.test(path))
  );
}

/** Places in `text` that reach outside the repository when read from `path`. */
export function escapesRepository(path: string, text: string): string[] {
  const found: string[] = [];
  const depth = dirname(path) === '.' ? 0 : dirname(path).split('/').length;
  for (const match of text.matchAll(/(?:\.\.\/){1,}[\w.-]*/g)) {
    const ups = match[0].split('../').length - 1;
    if (ups > depth) found.push(match[0]);
  }
  for (const match of text.matchAll(/['"]\.\.['"]\s*,\s*['"]shared['"]|\bshared\/samples\b|\.\.\/shared\b/g)) {
    found.push(match[0]);
  }
  return found;
}

/** Built, not written out, so this file does not itself contain the paths it forbids. */
const BESIDE = ['shared', 'samples'].join('/');

describe('the repository is self-contained', () => {
  it('finds an escaping path when there is one (the check itself)', () => {
    expect(escapesRepository('libs/feeds/src/__fixtures__/x.ts', `new URL('../../../../../${BESIDE}/')`)).not.toEqual(
      [],
    );
    expect(
      escapesRepository('libs/ingestion/test/x.ts', `join(process.cwd(), '..', '${BESIDE.replace('/', "', '")}')`),
    ).not.toEqual([]);
    expect(
      escapesRepository('libs/feeds/src/__fixtures__/x.ts', "new URL('../../../../test/fixtures/feeds/')"),
    ).toEqual([]);
  });

  it('no code, test, script or config refers to anything outside the repository', () => {
    const offenders = trackedFiles().flatMap((path) =>
      escapesRepository(path, readFileSync(join(ROOT, path), 'utf8')).map((hit) => `${path}: ${hit}`),
    );
    expect(offenders).toEqual([]);
  });

  it('every sample feed matches the sha256 its README gives', () => {
    const readme = readFileSync(join(ROOT, FIXTURES, 'README.md'), 'utf8');
    const rows = [
      ...readme.matchAll(/^\| ((?:csv|shopify|xml)\/[^ |]+) \|(?:[^|]*\|){3} (\d+) \| ([0-9a-f]{64}) \|/gm),
    ];
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const [, file, bytes, sha256] of rows) {
      const data = readFileSync(join(ROOT, FIXTURES, file));
      expect({ file, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }).toEqual({
        file,
        bytes: Number(bytes),
        sha256,
      });
    }
  });
});
