import { createHash } from 'node:crypto';
import { BadInputError } from '@brandshelf/core';
import type { ProductSortKey } from './search.types.js';

export type MatchMode = 'NONE' | 'FULL_TEXT' | 'FUZZY';

/**
 * What a cursor carries: the sort key values and id of the last row of a page (keyset, never an offset),
 * the match mode the first page chose (so later pages match the same way), and a fingerprint of the
 * search, so a cursor is not silently applied to a different query.
 */
export interface CursorData {
  sort: ProductSortKey;
  mode: MatchMode;
  keys: Array<string | number>;
  id: string;
  fingerprint: string;
  /** FUZZY: the words that had no exact match and are matched by similarity. */
  fuzzy?: string[];
  /** FUZZY: for each of `fuzzy`, the catalog's words it was corrected to (so later pages match the same way). */
  corrections?: string[][];
}

interface Wire {
  v: 1;
  s: ProductSortKey;
  m: MatchMode;
  k: Array<string | number>;
  i: string;
  f: string;
  z?: string[];
  c?: string[][];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORTS: ProductSortKey[] = ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'NEWEST'];
const MODES: MatchMode[] = ['NONE', 'FULL_TEXT', 'FUZZY'];

export function encodeCursor(c: CursorData): string {
  const wire: Wire = { v: 1, s: c.sort, m: c.mode, k: c.keys, i: c.id, f: c.fingerprint };
  if (c.fuzzy) wire.z = c.fuzzy;
  if (c.corrections) wire.c = c.corrections;
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorData {
  const bad = () => new BadInputError('after is not a cursor of this search; pass an endCursor it returned.', 'after');
  let wire: Wire;
  try {
    wire = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Wire;
  } catch {
    throw bad();
  }
  if (
    !wire ||
    wire.v !== 1 ||
    !SORTS.includes(wire.s) ||
    !MODES.includes(wire.m) ||
    !Array.isArray(wire.k) ||
    !wire.k.every((k) => typeof k === 'string' || typeof k === 'number') ||
    typeof wire.i !== 'string' ||
    !UUID.test(wire.i) ||
    typeof wire.f !== 'string' ||
    (wire.z !== undefined && (!Array.isArray(wire.z) || !wire.z.every((w) => typeof w === 'string'))) ||
    (wire.c !== undefined &&
      (!Array.isArray(wire.c) ||
        !wire.c.every((list) => Array.isArray(list) && list.every((w) => typeof w === 'string'))))
  ) {
    throw bad();
  }
  return {
    sort: wire.s,
    mode: wire.m,
    keys: wire.k,
    id: wire.i,
    fingerprint: wire.f,
    fuzzy: wire.z,
    corrections: wire.c,
  };
}

/** A short digest of what defines the result list (query, filter, sort): cursors only work within one list. */
export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}
