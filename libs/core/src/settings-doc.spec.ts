import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadShopifySettings } from '../../shopify/src/shopify.settings.js';
import { loadConfig, SETTINGS } from './config.js';

const read = (path: string) => readFileSync(join(process.cwd(), path), 'utf8');

/** The rows of the README's "## Settings" table, as written. */
function readmeRows(): { name: string; default: string; meaning: string }[] {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Settings\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const match = /^\| `([A-Z0-9_]+)` \| (.*?) \| (.*) \|$/.exec(line);
      if (!match) throw new Error(`Unreadable settings row: ${line}`);
      return { name: match[1], default: match[2].replace(/^`(.*)`$/, '$1'), meaning: match[3] };
    });
}

/** Every variable the settings' readers name: config.ts's loadConfig and the Shopify lib's settings. */
function variablesRead(): string[] {
  const sources = [read('libs/core/src/config.ts'), read('libs/shopify/src/shopify.settings.ts')];
  const names = new Set<string>();
  for (const source of sources) {
    const code = source.slice(source.search(/\nfunction |\ntype Env/)); // past the SETTINGS list itself
    for (const m of code.matchAll(/\(env, '([A-Z0-9_]+)'|env\.([A-Z0-9_]+)|ConfigError\(\s*'([A-Z0-9_]+)'/g)) {
      names.add(m[1] ?? m[2] ?? m[3]);
    }
  }
  return [...names].sort();
}

describe('README settings table', () => {
  it('is SETTINGS, row for row: the same names in the same order, defaults and meanings', () => {
    expect(readmeRows()).toEqual(SETTINGS.map((s) => ({ name: s.name, default: s.default, meaning: s.meaning })));
  });

  it('documents every variable the code reads, and no variable it does not read', () => {
    const documented = SETTINGS.map((s) => s.name);
    const read = variablesRead();
    expect(read.filter((name) => !documented.includes(name))).toEqual([]);
    // MALLOC_ARENA_MAX is glibc's, read before the app starts (its row says so).
    expect(documented.filter((name) => !read.includes(name) && name !== 'MALLOC_ARENA_MAX')).toEqual([]);
  });

  it('gives each literal default the value the code falls back to', () => {
    // Setting a variable to its documented default must change nothing; a wrong default in the table would.
    const literal = SETTINGS.filter((s) => s.default !== '' && !/[ ()×]|PORT/.test(s.default));
    expect(literal.length).toBeGreaterThan(50);
    const defaults = { config: loadConfig({}), shopify: loadShopifySettings({}) };
    for (const s of literal) {
      const env = { [s.name]: s.default };
      expect({ name: s.name, config: loadConfig(env), shopify: loadShopifySettings(env) }).toEqual({
        name: s.name,
        ...defaults,
      });
    }
  });
});
