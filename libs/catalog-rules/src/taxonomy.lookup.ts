import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CategoryMatch {
  id: number;
  /** The full path as Google writes it: `Apparel & Accessories > Clothing`. */
  path: string;
}

export interface Taxonomy {
  version: string | null;
  byId: ReadonlyMap<number, string>;
  /** Normalized path (see `categoryKey`) → id. */
  byPath: ReadonlyMap<string, number>;
  /** Normalized leaf name, singular and plural → ids, for suggestions. */
  byLeaf: ReadonlyMap<string, readonly number[]>;
}

export const TAXONOMY_FILE = 'google_product_taxonomy.en-US.txt';

const SEGMENT_SEPARATOR = /\s*>\s*/g;
const WHITESPACE = /\s+/g;
const AMP_ENTITY = /&amp;/gi;
// "1604", "1604.0" (a spreadsheet's number), or a pasted taxonomy line "1604 - Apparel & Accessories > Clothing".
const NUMERIC_ID = /^(\d{1,7})(?:\.0+)?(?:\s+-\s+.*)?$/s;

/** Case-, whitespace- and `&amp;`-insensitive key for a category path. */
export function categoryKey(path: string): string {
  return path.replace(AMP_ENTITY, '&').toLowerCase().replace(SEGMENT_SEPARATOR, '>').replace(WHITESPACE, ' ').trim();
}

const PLURAL_IES = /ies$/;
const PLURAL_ES = /(ss|x|ch|sh)es$/;
const PLURAL_S = /([^s])s$/;

/** Rough singular for matching leaf names: "Shirts"/"Shirt", "Dresses"/"Dress", "Accessories"/"Accessory" meet. */
function stem(word: string): string {
  if (word.length <= 3) return word;
  if (PLURAL_IES.test(word)) return word.replace(PLURAL_IES, 'y');
  if (PLURAL_ES.test(word)) return word.slice(0, -2);
  return word.replace(PLURAL_S, '$1');
}

/** Parses the `ID - Path > Sub > Leaf` text Google publishes (taxonomy-with-ids). */
export function parseTaxonomy(text: string): Taxonomy {
  const byId = new Map<number, string>();
  const byPath = new Map<string, number>();
  const byLeaf = new Map<string, number[]>();
  let version: string | null = null;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      version ??= trimmed.split(':')[1]?.trim() ?? null;
      continue;
    }
    const dash = trimmed.indexOf(' - ');
    if (dash < 0) continue;
    const id = Number(trimmed.slice(0, dash));
    const path = ownString(trimmed.slice(dash + 3).trim());
    if (!Number.isInteger(id) || !path) continue;
    byId.set(id, path);
    const key = categoryKey(path);
    byPath.set(key, id);
    const leaf = stem(key.slice(key.lastIndexOf('>') + 1));
    const ids = byLeaf.get(leaf);
    if (ids) ids.push(id);
    else byLeaf.set(leaf, [id]);
  }
  return { version, byId, byPath, byLeaf };
}

/**
 * A copy of `text` in storage of its own. A slice of a file read whole shares the file's representation: if any
 * character of the file needs two bytes, every path does, and so does each product JSON a path goes into, which
 * then costs twice the memory and several times the CPU to hash, clone to the API thread and encode for COPY
 * (measured: Buffer.from of the stage's COPY chunks 10× slower). Decoded alone, a path of Latin-1 characters gets
 * one byte a character.
 */
function ownString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

let loaded: Taxonomy | undefined;

/**
 * Finds the vendored taxonomy file. Jest runs this module from libs/catalog-rules/src and production from
 * dist/libs/catalog-rules/src, where no data is copied, so look beside the source first, then walk up to a
 * directory that holds libs/catalog-rules/data.
 */
export function findTaxonomyFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, '..', 'data', TAXONOMY_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'catalog-rules', 'data', TAXONOMY_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`${TAXONOMY_FILE} not found beside or above ${here}; it ships in libs/catalog-rules/data.`);
}

/** The Google product taxonomy, read and indexed once, on first use. */
export function googleTaxonomy(): Taxonomy {
  loaded ??= parseTaxonomy(readFileSync(findTaxonomyFile(), 'utf8'));
  return loaded;
}

/** A google_product_category value (numeric id, full path, or `id - path` line) → id and full path; null if unknown. */
export function lookupCategory(value: string, taxonomy: Taxonomy = googleTaxonomy()): CategoryMatch | null {
  // A feed repeats a handful of category values thousands of times: remember the answers.
  let memo = memos.get(taxonomy);
  if (!memo) memos.set(taxonomy, (memo = new Map()));
  const known = memo.get(value);
  if (known !== undefined) return known;
  const match = findCategory(value, taxonomy);
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(value, match);
  return match;
}

const MAX_MEMO = 10_000;
const memos = new WeakMap<Taxonomy, Map<string, CategoryMatch | null>>();

/** Matches are frozen: the memo shares them between callers. */
function findCategory(value: string, taxonomy: Taxonomy): CategoryMatch | null {
  const text = value.trim();
  const numeric = NUMERIC_ID.exec(text);
  if (numeric) {
    const id = Number(numeric[1]);
    const path = taxonomy.byId.get(id);
    return path === undefined ? null : Object.freeze({ id, path });
  }
  const id = taxonomy.byPath.get(categoryKey(text));
  return id === undefined ? null : Object.freeze({ id, path: taxonomy.byId.get(id)! });
}

/**
 * The closest category for an unknown path: the deepest segment, from the leaf up, that names a category leaf
 * (plural-insensitive); among several, the one sharing most segments with the given path, then the shortest.
 */
export function suggestCategory(value: string, taxonomy: Taxonomy = googleTaxonomy()): CategoryMatch | null {
  const segments = categoryKey(value).split('>');
  for (let i = segments.length - 1; i >= 0; i--) {
    const ids = taxonomy.byLeaf.get(stem(segments[i]));
    if (!ids) continue;
    let best: CategoryMatch | null = null;
    let bestScore = -1;
    for (const id of ids) {
      const path = taxonomy.byId.get(id)!;
      const key = categoryKey(path);
      let score = 0;
      for (const segment of segments) if (key.includes(segment)) score++;
      if (score > bestScore || (score === bestScore && best && path.length < best.path.length)) {
        best = { id, path };
        bestScore = score;
      }
    }
    return best;
  }
  return null;
}
