import { AVAILABILITIES, CONDITIONS, CURRENCIES, GENDERS, lookupCategory } from '@brandshelf/catalog-rules';
import { BadInputError } from '@brandshelf/core';
import { decodeCursor, fingerprint, type CursorData, type MatchMode } from './cursor.js';
import {
  compareDecimals,
  decimalToMinor,
  isCurrencyCode,
  parseDecimal,
  PRICE_STEPS,
  scaledCurrencies,
} from './money.js';
import type { ProductSearchInput, ProductSortKey } from './search.types.js';

/**
 * Everything the SQL of one search needs, validated: built once per request from the GraphQL input.
 * Only `catalog_product` (the live catalog) and `brand` (public names) are ever read.
 */
export interface SearchPlan {
  text: string | null;
  /** Words of the query for typo-tolerant matching (lower case, stop words and 1-letter words dropped). */
  words: string[];
  /** FUZZY: the words matched by similarity (those with no exact match in the catalog); set by the first page. */
  fuzzy: string[] | null;
  /**
   * FUZZY: for each word of `fuzzy`, the catalog's lexemes it is corrected to (correctionsQuery + correctWord);
   * null: not known, so the fuzzy words match by title similarity (the slower way, kept for plans without them).
   */
  corrections: string[][] | null;
  sort: ProductSortKey;
  first: number;
  after: CursorData | null;
  filter: PlanFilter;
  fingerprint: string;
  /** Depth of the category facet: 1 = top-level segments; one below the category filter otherwise. */
  categoryLevel: number;
  /** How the catalog's languages read the query (lexiconQuery); set by the service before any text query runs. */
  lexicon: Lexicon | null;
}

/**
 * The query as each text-search configuration of the live catalog reads it, as tsquery text ('' when only stop
 * words remain). Products are indexed with their feed's language; a product matches when the query, read in
 * that language, matches it.
 */
export interface Lexicon {
  /** Configurations present in the live catalog. */
  configs: string[];
  /** websearch_to_tsquery(config, text), per configuration. */
  full: string[];
  /** websearch_to_tsquery(config, "w1 or w2 …"), per configuration: ranking of typo-tolerant matches. */
  either: string[];
  /** plainto_tsquery(config, word), per word of plan.words, per configuration. */
  words: string[][];
  /** plan.words with accents folded (unaccent), to compare with folded titles. */
  folded: string[];
}

export interface PlanFilter {
  brandIds: string[] | null;
  category: { path: string } | { id: number } | null;
  /** min and max: decimal strings parseDecimal accepted. */
  price: { currency: string | null; min: string | null; max: string | null } | null;
  availability: string[] | null;
  condition: string[] | null;
  color: string[] | null;
  size: string[] | null;
  gender: string[] | null;
  onSale: boolean | null;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
export const MAX_QUERY_LENGTH = 200;
const MAX_LIST = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AVAILABILITY: string[] = [...AVAILABILITIES];
const CONDITION: string[] = [...CONDITIONS];
const GENDER: string[] = [...GENDERS];
const STOP_WORDS = new Set(
  'a an and are as at be by for from has he in is it its of on or that the to was were will with'.split(' '),
);

/** Collects bind parameters: `add` returns the placeholder ($n) of a value. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

function list<T extends string>(values: readonly T[] | null | undefined, name: string, allowed?: string[]): T[] | null {
  if (!values || values.length === 0) return null;
  if (values.length > MAX_LIST)
    throw new BadInputError(`filter.${name} takes at most ${MAX_LIST} values.`, `filter.${name}`);
  for (const v of values) {
    if (allowed && !allowed.includes(v))
      throw new BadInputError(`filter.${name}: unknown value ${v}.`, `filter.${name}`);
  }
  return [...new Set(values)].sort();
}

function lowerList(values: readonly string[] | null | undefined, name: string): string[] | null {
  const cleaned = (values ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
  return list(cleaned, name);
}

export function queryWords(text: string): string[] {
  // NFC first: a letter typed as base + combining accent stays one word.
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const kept = words.filter((w) => (w.length > 1 || /\d/.test(w)) && !STOP_WORDS.has(w));
  return [...new Set(kept)].slice(0, 8);
}

/** Validates and normalizes a search request. Throws BAD_USER_INPUT with the offending field. */
export function planSearch(input: ProductSearchInput): SearchPlan {
  const raw = (input.query ?? '').replace(/\s+/g, ' ').trim();
  if (raw.length > MAX_QUERY_LENGTH) {
    throw new BadInputError(`query is limited to ${MAX_QUERY_LENGTH} characters.`, 'query');
  }
  const text = raw || null;
  const first = input.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new BadInputError(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  }
  let sort: ProductSortKey = input.sort ?? (text ? 'RELEVANCE' : 'NEWEST');
  // Without a query there is nothing to be relevant to: newest first.
  if (sort === 'RELEVANCE' && !text) sort = 'NEWEST';

  const f = input.filter ?? {};
  const brandIds = list(f.brandIds, 'brandIds');
  if (brandIds?.some((id) => !UUID.test(id))) throw new BadInputError('filter.brandIds: not an id.', 'filter.brandIds');

  let category: PlanFilter['category'] = null;
  let categoryLevel = 1;
  const cat = f.category?.trim();
  if (cat) {
    const match = lookupCategory(cat);
    if (match) category = { path: match.path };
    else if (/^\d+$/.test(cat)) category = { id: Number(cat) };
    else category = { path: cat.replace(/\s*>\s*/g, ' > ') };
    if ('path' in category) categoryLevel = category.path.split(' > ').length + 1;
  }

  let price: PlanFilter['price'] = null;
  if (f.price && (f.price.min != null || f.price.max != null || f.price.currency)) {
    const currency = f.price.currency ? f.price.currency.trim().toUpperCase() : null;
    if (currency && !isCurrencyCode(currency)) {
      throw new BadInputError(
        `filter.price.currency: ${f.price.currency} is not an ISO 4217 code.`,
        'filter.price.currency',
      );
    }
    const bound = (name: 'min' | 'max') => {
      const v = f.price?.[name];
      return v == null ? null : parseDecimal(v, currency, `filter.price.${name}`);
    };
    const min = bound('min');
    const max = bound('max');
    if (min !== null && max !== null && compareDecimals(min, max) > 0) {
      throw new BadInputError('filter.price.min is above filter.price.max.', 'filter.price');
    }
    price = { currency, min, max };
  }

  const filter: PlanFilter = {
    brandIds: brandIds?.map((id) => id.toLowerCase()) ?? null,
    category,
    price,
    availability: list(f.availability, 'availability', AVAILABILITY),
    condition: list(f.condition, 'condition', CONDITION),
    color: lowerList(f.color, 'color'),
    size: lowerList(f.size, 'size'),
    gender: list(f.gender, 'gender', GENDER),
    onSale: f.onSale ?? null,
  };
  const print = fingerprint({ text, filter, sort });
  let after: CursorData | null = null;
  if (input.after) {
    after = decodeCursor(input.after);
    if (after.fingerprint !== print || after.sort !== sort) {
      throw new BadInputError('after belongs to a different search (query, filter or sort changed).', 'after');
    }
  }
  return {
    text,
    words: text ? queryWords(text) : [],
    fuzzy: after?.fuzzy?.filter((w) => typeof w === 'string').slice(0, 8) ?? null,
    corrections:
      after?.fuzzy && after.corrections?.length === Math.min(after.fuzzy.length, 8)
        ? after.corrections.map((list) => list.slice(0, MAX_CORRECTIONS))
        : null,
    sort,
    first,
    after,
    filter,
    fingerprint: print,
    categoryLevel,
    lexicon: null,
  };
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The SQL exponent of p.currency, from the currency table (2 unless listed). */
function exponentCase(): string {
  const byExp = new Map<number, string[]>();
  for (const c of Object.values(CURRENCIES)) {
    if (c.exponent === 2) continue;
    byExp.set(c.exponent, [...(byExp.get(c.exponent) ?? []), c.code]);
  }
  const arms = [...byExp].map(
    ([e, codes]) => `WHEN p.currency IN (${codes.map((c) => `'${c}'`).join(', ')}) THEN ${e}`,
  );
  return `CASE ${arms.join(' ')} ELSE 2 END`;
}
let exponentSql: string | undefined;
const EXPONENTS = () => [...new Set(Object.values(CURRENCIES).map((c) => c.exponent))];

/**
 * Conditions of the filter (not the query text), ANDed. For the relevance candidates of a text query
 * (`opaqueCategory`), the category condition is written so that no index can serve it (`path || ''`): the planner
 * then takes the text matches from the GIN index and checks the category on them, instead of intersecting with a
 * prefix range of the category index that may cover half the catalog, or walking the table. Everywhere else the
 * plain column keeps the planner's estimates right (counting relies on them) and lets a narrow category use its index.
 */
export function filterConditions(filter: PlanFilter, params: Params, opaqueCategory = false): string[] {
  const where: string[] = [];
  // One brand as plain equality: the planner can then walk the (brand_id, …) indexes in order.
  if (filter.brandIds?.length === 1) where.push(`p.brand_id = ${params.add(filter.brandIds[0], 'uuid')}`);
  else if (filter.brandIds) where.push(`p.brand_id = ANY(${params.add(filter.brandIds, 'uuid[]')})`);
  if (filter.category) {
    if ('id' in filter.category) {
      where.push(`p.google_category_id = ${params.add(filter.category.id, 'int')}`);
    } else {
      const path = filter.category.path;
      const column = opaqueCategory ? `(p.google_category_path || '')` : 'p.google_category_path';
      where.push(`(${column} = ${params.add(path)} OR ${column} LIKE ${params.add(`${likeEscape(path)} > %`)})`);
    }
  }
  if (filter.price) {
    const { currency, min, max } = filter.price;
    if (currency) {
      where.push(`p.currency = ${params.add(currency)}`);
      if (min !== null)
        where.push(
          `p.effective_price_minor >= ${params.add(decimalToMinor(min, currency, 'up').toString(), 'bigint')}`,
        );
      if (max !== null)
        where.push(
          `p.effective_price_minor <= ${params.add(decimalToMinor(max, currency, 'down').toString(), 'bigint')}`,
        );
    } else {
      // Major units in every currency: the bound in minor units depends on each row's currency exponent.
      exponentSql ??= exponentCase();
      const bound = (amount: string, round: 'up' | 'down') => {
        const arms = EXPONENTS().map((e) => {
          const sample = Object.values(CURRENCIES).find((c) => c.exponent === e)!.code;
          return `WHEN ${e} THEN ${params.add(decimalToMinor(amount, sample, round).toString(), 'bigint')}`;
        });
        return `(CASE ${exponentSql} ${arms.join(' ')} END)`;
      };
      where.push('p.effective_price_minor IS NOT NULL');
      if (min !== null) where.push(`p.effective_price_minor >= ${bound(min, 'up')}`);
      if (max !== null) where.push(`p.effective_price_minor <= ${bound(max, 'down')}`);
    }
  }
  if (filter.availability) where.push(`p.availability = ANY(${params.add(filter.availability, 'text[]')})`);
  if (filter.condition) where.push(`p.condition = ANY(${params.add(filter.condition, 'text[]')})`);
  if (filter.color) where.push(`lower(p.color) = ANY(${params.add(filter.color, 'text[]')})`);
  if (filter.size) where.push(`lower(p.size) = ANY(${params.add(filter.size, 'text[]')})`);
  if (filter.gender) where.push(`p.gender = ANY(${params.add(filter.gender, 'text[]')})`);
  if (filter.onSale !== null) where.push(`p.on_sale = ${params.add(filter.onSale, 'boolean')}`);
  return where;
}

/** Similarity (pg_trgm word_similarity) a title needs with a mistyped word: "sneakrs" ~ "Sneakers" is 0.625. */
export const WORD_SIMILARITY = 0.55;

/** Words long enough to correct: shorter ones must match exactly. */
export function correctableWords(plan: SearchPlan): string[] {
  return plan.words.filter((w) => w.length >= 4 && !/^\d+$/.test(w));
}

/** A word is corrected to at most this many of the catalog's words (the nearest, the most frequent first). */
export const MAX_CORRECTIONS = 5;
/** Rows sampled per mistyped word for the catalog's words sharing its first three letters. */
export const CORRECTION_SAMPLE_ROWS = 1_000;

function correctionsOf(plan: SearchPlan, word: string): string[] | null {
  if (!plan.corrections || !plan.fuzzy) return null;
  const i = plan.fuzzy.indexOf(word);
  return i < 0 ? null : (plan.corrections[i] ?? []);
}

/**
 * A tsquery matching words that start with `prefix`, quoted: a prefix is cut from the folded word, and folding can
 * make punctuation (unaccent reads ⑴ as "(1)"), which unquoted is tsquery syntax ("(1:*" answered a 500).
 */
export function prefixQuery(prefix: string): string {
  return `'${prefix.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;
}

/** A tsquery matching any of these lexemes as stored (quoted: no parsing, no stemming, no stop words). */
export function lexemeQuery(lexemes: string[]): string {
  return lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

/**
 * For each mistyped word (a word of 4+ letters no live product contains), the catalog's words that share its
 * first three (accent-folded) letters, with how often they occur: read from the lexemes of up to
 * CORRECTION_SAMPLE_ROWS products found by a GIN prefix scan, so the work is bounded whatever the catalog size
 * (a sample favours the frequent spellings, which is what a correction should prefer). correctWord picks among them.
 */
export function correctionsQuery(plan: SearchPlan, words: string[]): { sql: string; params: unknown[] } {
  const lexicon = lexiconOf(plan);
  const params = new Params();
  const sql = words
    .map((w) => {
      const folded = lexicon.folded[plan.words.indexOf(w)] ?? w;
      const prefix = Array.from(folded).slice(0, 3).join('');
      return `(SELECT ${params.add(w, 'text')} AS w, lex, count(*)::int AS n
                 FROM (SELECT p.search FROM catalog_product p
                        WHERE p.search @@ to_tsquery('unaccent_simple', ${params.add(prefixQuery(prefix))})
                        LIMIT ${CORRECTION_SAMPLE_ROWS}) s,
                      unnest(tsvector_to_array(s.search)) lex
                WHERE lex LIKE ${params.add(`${likeEscape(prefix)}%`)}
                GROUP BY lex)`;
    })
    .join(' UNION ALL ');
  return { sql, params: params.values };
}

/** Edits (insertions, deletions, substitutions, adjacent transpositions) from a to b, or limit + 1 if more. */
export function editDistance(a: string, b: string, limit: number): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[t.length];
}

/** The lexemes a reading's tsquery text names ("'sneakr'" → sneakr). */
function lexemesOf(tsquery: string): string[] {
  return [...tsquery.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
}

/**
 * The catalog's words a mistyped word stands for: those within Lucene's "AUTO" fuzziness of the word as typed
 * (accents folded) or of any of its stems (one edit up to 5 letters, two beyond), nearest first, then the most
 * frequent; at most MAX_CORRECTIONS. "sneakrs" → sneaker, "nabijecla" → nabijecka.
 */
export function correctWord(plan: SearchPlan, word: string, candidates: Array<{ lex: string; n: number }>): string[] {
  const lexicon = lexiconOf(plan);
  const i = plan.words.indexOf(word);
  const folded = lexicon.folded[i] ?? word;
  const limit = Array.from(folded).length <= 5 ? 1 : 2;
  const forms = [...new Set([folded, ...(lexicon.words[i] ?? []).flatMap(lexemesOf)])];
  return candidates
    .map((c) => ({ ...c, d: Math.min(...forms.map((f) => editDistance(f, c.lex, limit))) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || b.n - a.n || (a.lex < b.lex ? -1 : 1))
    .slice(0, MAX_CORRECTIONS)
    .map((c) => c.lex);
}

/** The generation of the live catalog in the reading snapshot: the sum of catalog_generation (migration 13). */
export const GENERATION_SQL = `(SELECT coalesce(sum(generation), 0)::text FROM catalog_generation)`;

/** The first statement of a search without query text: the catalog's generation. */
export function generationQuery(): { sql: string; params: unknown[] } {
  return { sql: `SELECT ${GENERATION_SQL} AS generation`, params: [] };
}

/**
 * The catalog's text-search configurations present in the live catalog (a loose scan of
 * catalog_product_search_config_idx: one index probe per configuration) and how each reads the query; each row
 * also carries the catalog's generation (one statement, one round trip). No configuration (an empty catalog):
 * one row of NULLs but the generation.
 */
export function lexiconQuery(plan: SearchPlan): { sql: string; params: unknown[] } {
  const sql = `
    WITH RECURSIVE c(cfg) AS (
      (SELECT p.search_config FROM catalog_product p ORDER BY p.search_config LIMIT 1)
      UNION ALL
      SELECT (SELECT p.search_config FROM catalog_product p WHERE p.search_config > c.cfg
               ORDER BY p.search_config LIMIT 1)
        FROM c WHERE c.cfg IS NOT NULL
    )
    SELECT c.cfg::text AS config,
           websearch_to_tsquery(c.cfg, $1)::text AS full,
           websearch_to_tsquery(c.cfg, $2)::text AS either,
           ARRAY(SELECT plainto_tsquery(c.cfg, u.w)::text FROM unnest($3::text[]) WITH ORDINALITY u(w, i) ORDER BY u.i)
             AS words,
           ARRAY(SELECT unaccent(u.w) FROM unnest($3::text[]) WITH ORDINALITY u(w, i) ORDER BY u.i) AS folded,
           g.generation
      FROM (SELECT ${GENERATION_SQL} AS generation) g
      LEFT JOIN c ON c.cfg IS NOT NULL`;
  return { sql, params: [plan.text ?? '', plan.words.join(' or '), plan.words] };
}

/** The lexicon from lexiconQuery's rows. */
export function toLexicon(plan: SearchPlan, allRows: Array<Record<string, any>>): Lexicon {
  const rows = allRows.filter((r) => r.config !== null);
  return {
    configs: rows.map((r) => String(r.config)),
    full: rows.map((r) => String(r.full)),
    either: rows.map((r) => String(r.either)),
    words: plan.words.map((_w, i) => rows.map((r) => String(r.words[i]))),
    folded: rows[0] ? (rows[0].folded as string[]) : plan.words,
  };
}

/** One reading of the query: a tsquery and the configurations that read it so (null: all present ones). */
interface Reading {
  tsquery: string;
  configs: string[] | null;
}

/**
 * The distinct readings of a query over the configurations present: usually one (an English-only catalog, or
 * words every language reads alike), which is then matched exactly as a single-language search.
 */
function readings(lexicon: Lexicon, perConfig: string[]): Reading[] {
  const by = new Map<string, string[]>();
  perConfig.forEach((tsquery, i) => by.set(tsquery, [...(by.get(tsquery) ?? []), lexicon.configs[i]]));
  return [...by].map(([tsquery, configs]) => ({ tsquery, configs: by.size === 1 ? null : configs }));
}

function inConfigs(r: Reading, params: Params): string | null {
  return r.configs ? `p.search_config = ANY(${params.add(r.configs, 'regconfig[]')})` : null;
}

/**
 * Rows matching the query as their own language reads it. With several readings, one GIN-indexable condition
 * on all of them at once (their tsqueries joined with |, as selective to the planner as a single-language
 * query), and the exact per-language match checked on the rows it finds. `emptyMatches`: a reading with no
 * lexeme (only stop words in that language) matches every product of its languages, as a stop word does inside
 * a longer full-text query.
 */
function matchReadings(list: Reading[], params: Params, emptyMatches: boolean, loose = false): string {
  const kept = list.filter((r) => r.tsquery !== '' || emptyMatches);
  if (kept.length === 0) return 'false';
  if (kept.some((r) => r.tsquery === '' && !r.configs)) return 'true';
  const any = () => `p.search @@ ${params.add(kept.map((r) => `(${r.tsquery})`).join(' | '), 'tsquery')}`;
  // `loose`: the planner multiplies the selectivities of the two conditions below and expects far too few rows;
  // the condition on all readings alone is a close upper bound. A reading that matches a whole language has no
  // lexeme to look up: then only the exact condition.
  const indexable = kept.length > 1 && kept.every((r) => r.tsquery !== '');
  if (loose && indexable) return any();
  const arms = kept.map((r) => {
    if (r.tsquery === '') return inConfigs(r, params)!;
    const match = `p.search @@ ${params.add(r.tsquery, 'tsquery')}`;
    const restrict = inConfigs(r, params);
    return restrict ? `(${match} AND ${restrict})` : match;
  });
  if (arms.length === 1) return arms[0];
  const exact = `(${arms.join(' OR ')})`;
  return indexable ? `(${any()} AND ${exact})` : exact;
}

/** ts_rank against the reading of each row's language. */
function rankReadings(list: Reading[], params: Params): string {
  const rank = (r: Reading) => (r.tsquery === '' ? '0' : `ts_rank(p.search, ${params.add(r.tsquery, 'tsquery')})`);
  if (list.length === 0) return '0'; // nothing live: no language to read the query in, and no row to rank
  if (list.length === 1) return rank(list[0]);
  const arms = list.slice(0, -1).map((r) => `WHEN ${inConfigs(r, params)} THEN ${rank(r)}`);
  return `CASE ${arms.join(' ')} ELSE ${rank(list.at(-1)!)} END`;
}

function lexiconOf(plan: SearchPlan): Lexicon {
  if (!plan.lexicon) throw new Error('A text search needs its lexicon (lexiconQuery) before its SQL is built.');
  return plan.lexicon;
}

/**
 * The text part of the match. FULL_TEXT: websearch syntax ("quoted phrases", -exclusions, or) over the
 * weighted tsvector, read in the language of each product (stemming per language, accents folded).
 * FUZZY (when full-text finds almost nothing): every word must match, either as a stemmed lexeme, or, for a word of
 * 4+ letters that the catalog does not contain, through a lexeme sharing its first 3 letters (accent-folded; a GIN
 * prefix scan on the same index) whose accent-folded title is similar enough to the folded word (pg_trgm
 * word_similarity): "sneakrs" finds sneakers, "nabijecla" finds Nabíječka. Typos in the first three letters are
 * not corrected; that keeps the work to a prefix range of the index instead of a trigram scan of every title.
 */
export function textCondition(plan: SearchPlan, mode: MatchMode, params: Params, loose = false): string | null {
  if (mode === 'NONE' || !plan.text) return null;
  const lexicon = lexiconOf(plan);
  if (mode === 'FULL_TEXT' || plan.words.length === 0) {
    return matchReadings(readings(lexicon, lexicon.full), params, false, loose);
  }
  const fuzzy = new Set(plan.fuzzy ?? correctableWords(plan));
  return plan.words
    .map((w, i) => {
      const exact = matchReadings(readings(lexicon, lexicon.words[i]), params, true, loose);
      if (!fuzzy.has(w)) return exact;
      const corrected = correctionsOf(plan, w);
      if (corrected?.length) {
        // The word as the catalog spells it: an indexed lexeme lookup, as cheap as a full-text match.
        return `(${exact} OR p.search @@ ${params.add(lexemeQuery(corrected), 'tsquery')})`;
      }
      // No correction found in the sample (its prefix may be crowded by another word, "wal" by walnut when
      // wallet was meant): the titles sharing the prefix are compared with the word, as before corrections.
      const prefix = params.add(prefixQuery(Array.from(w).slice(0, 3).join('')));
      const folded = params.add(lexicon.folded[i] ?? w);
      return (
        `(${exact} OR (p.search @@ to_tsquery('unaccent_simple', ${prefix}) ` +
        `AND word_similarity(${folded}, unaccent(p.title)) >= ${WORD_SIMILARITY}))`
      );
    })
    .join(' AND ');
}

/** Relevance: ts_rank with weights title A > brand, product type, category B > description C; plus title similarity when fuzzy. */
export function scoreExpression(plan: SearchPlan, mode: MatchMode, params: Params): string {
  const lexicon = lexiconOf(plan);
  if (mode === 'FULL_TEXT' || plan.words.length === 0) {
    return `(${rankReadings(readings(lexicon, lexicon.full), params)})::float8`;
  }
  if (plan.corrections && plan.fuzzy && plan.corrections.every((list) => list.length > 0)) {
    const corrected = plan.corrections.flat();
    const bonus = corrected.length ? ` + ts_rank(p.search, ${params.add(lexemeQuery(corrected), 'tsquery')})` : '';
    return `(${rankReadings(readings(lexicon, lexicon.either), params)}${bonus})::float8`;
  }
  const similarity = plan.words
    .map((w, i) => `word_similarity(${params.add(lexicon.folded[i] ?? w)}, unaccent(p.title))`)
    .join(' + ');
  return `(${rankReadings(readings(lexicon, lexicon.either), params)} + (${similarity}) / ${plan.words.length})::float8`;
}

/** `loose`: for the planner's estimate only (see matchReadings). */
export function baseConditions(
  plan: SearchPlan,
  mode: MatchMode,
  params: Params,
  candidates = false,
  loose = false,
): string[] {
  const text = textCondition(plan, mode, params, loose);
  const where = filterConditions(plan.filter, params, candidates && text !== null);
  if (text) where.unshift(text);
  // Price sorts list priced products: the sort key must not be NULL for keyset pagination.
  if (plan.sort === 'PRICE_ASC' || plan.sort === 'PRICE_DESC') {
    where.push('p.currency IS NOT NULL', 'p.effective_price_minor IS NOT NULL');
  }
  return where;
}

export const PRODUCT_COLUMNS = `p.id, p.brand_id, p.offer_id, p.title, p.description, p.brand_name, p.link, p.image_link,
  p.additional_image_links, p.price_minor, p.sale_price_minor, p.currency, p.on_sale, p.availability, p.condition,
  p.gtin, p.mpn, p.google_category_id, p.google_category_path, p.product_type, p.item_group_id, p.color, p.size,
  p.gender, p.age_group, p.quantity, p.shipping, p.tax, p.custom_attributes->>'shipping_weight' AS shipping_weight,
  p.images, p.published_at, p.updated_at, p.custom_labels,
  CASE WHEN p.on_sale THEN p.custom_attributes->>'sale_price_effective_date' END AS sale_price_effective_date,
  p.identifier_exists, p.availability_date, p.material, p.pattern, p.mobile_link,
  b.name AS b_name, b.created_at AS b_created_at`;

/** Candidates ranked per relevance query: the first K matches found through the index, never all of them. */
export const RELEVANCE_CANDIDATES = 1000;

export interface PageQuery {
  sql: string;
  params: unknown[];
  /** Columns (k0, k1…) to put in the cursor of each row, in order. */
  keyCount: number;
}

/**
 * One page, keyset-paginated: rows strictly after the cursor in (sort key…, id) order, LIMIT first + 1 to
 * know whether there is a next page. No OFFSET anywhere, so a publish between pages neither repeats nor
 * skips rows that stay live.
 */
export function pageQuery(plan: SearchPlan, mode: MatchMode, limit: number): PageQuery {
  const params = new Params();
  const after = plan.after;
  const where = () => baseConditions(plan, mode, params);
  const from = 'catalog_product p JOIN brand b ON b.id = p.brand_id';
  const lim = params.add(limit, 'int');

  if (plan.sort === 'RELEVANCE') {
    const base = baseConditions(plan, mode, params, true).join(' AND ');
    const score = scoreExpression(plan, mode, params);
    const keyset = after
      ? `WHERE (c0.score, c0.id) < (${params.add(after.keys[0], 'float8')}, ${params.add(after.id, 'uuid')})`
      : '';
    const sql = `
      SELECT ${PRODUCT_COLUMNS}, c.score AS k0
        FROM (SELECT c0.id, c0.score
                FROM (SELECT p.id, ${score} AS score FROM catalog_product p WHERE ${base} LIMIT ${RELEVANCE_CANDIDATES}) c0
                ${keyset}
               ORDER BY c0.score DESC, c0.id DESC
               LIMIT ${lim}) c
        JOIN catalog_product p ON p.id = c.id
        JOIN brand b ON b.id = p.brand_id
       ORDER BY c.score DESC, c.id DESC`;
    return { sql, params: params.values, keyCount: 1 };
  }

  if (plan.sort === 'NEWEST') {
    // (published_at DESC, id ASC) matches catalog_product_newest_idx and catalog_product_brand_idx. Ids first, rows
    // after: with a covering index the filter is checked on index entries alone. A mixed-direction keyset is two
    // index range scans: the rest of the cursor's timestamp, then everything older.
    const keys = 'p.id, p.published_at';
    let ids: string;
    if (!after) {
      ids = `SELECT ${keys} FROM catalog_product p WHERE ${where().join(' AND ') || 'true'}
              ORDER BY p.published_at DESC, p.id ASC LIMIT ${lim}`;
    } else {
      const at = params.add(String(after.keys[0]), 'timestamptz');
      const id = params.add(after.id, 'uuid');
      const same = [...where(), `p.published_at = ${at}`, `p.id > ${id}`].join(' AND ');
      const older = [...where(), `p.published_at < ${at}`].join(' AND ');
      ids = `SELECT * FROM (
               (SELECT ${keys} FROM catalog_product p WHERE ${same} ORDER BY p.id ASC LIMIT ${lim})
               UNION ALL
               (SELECT ${keys} FROM catalog_product p WHERE ${older} ORDER BY p.published_at DESC, p.id ASC LIMIT ${lim})
             ) u ORDER BY published_at DESC, id ASC LIMIT ${lim}`;
    }
    const sql = `SELECT ${PRODUCT_COLUMNS}, p.published_at::text AS k0
                   FROM (${ids}) k JOIN ${from} ON p.id = k.id
                  ORDER BY k.published_at DESC, k.id ASC`;
    return { sql, params: params.values, keyCount: 1 };
  }

  // Price: (currency, effective price, id) all in one direction, as catalog_product_price_idx is: a row comparison
  // the index can start from. Amounts in different currencies are not comparable without exchange rates, so
  // the list is grouped by currency (filter.price.currency gives a single-currency list).
  const dir = plan.sort === 'PRICE_ASC' ? 'ASC' : 'DESC';
  const cmp = plan.sort === 'PRICE_ASC' ? '>' : '<';
  const conditions = where();
  if (after) {
    conditions.push(
      `(p.currency, p.effective_price_minor, p.id) ${cmp} (${params.add(String(after.keys[0]))}, ` +
        `${params.add(String(after.keys[1]), 'bigint')}, ${params.add(after.id, 'uuid')})`,
    );
  }
  const sql = `SELECT ${PRODUCT_COLUMNS}, p.currency AS k0, p.effective_price_minor::text AS k1
                 FROM ${from} WHERE ${conditions.join(' AND ')}
                ORDER BY p.currency ${dir}, p.effective_price_minor ${dir}, p.id ${dir} LIMIT ${lim}`;
  return { sql, params: params.values, keyCount: 2 };
}

/** Of these words (of plan.words), those no live product contains (as a lexeme of its language): the candidates for correction. */
export function unknownWordsQuery(plan: SearchPlan, words: string[]): { sql: string; params: unknown[] } {
  const lexicon = lexiconOf(plan);
  const params = new Params();
  // One EXISTS per word with the word's readings as constants: each is a GIN lookup that stops at the first hit.
  const sql = words
    .map((w) => {
      const i = plan.words.indexOf(w);
      const match = matchReadings(readings(lexicon, lexicon.words[i] ?? []), params, false);
      return `SELECT ${params.add(w, 'text')} AS w WHERE NOT EXISTS (SELECT 1 FROM catalog_product p WHERE ${match})`;
    })
    .join(' UNION ALL ');
  return { sql, params: params.values };
}

/** How many full-text matches there are, up to `cap` (to decide whether typo-tolerant matching is needed). */
export function cappedCountQuery(plan: SearchPlan, mode: MatchMode, cap: number): { sql: string; params: unknown[] } {
  const params = new Params();
  const where = baseConditions(plan, mode, params).join(' AND ') || 'true';
  return {
    sql: `SELECT count(*)::int AS n FROM (SELECT 1 FROM catalog_product p WHERE ${where} LIMIT ${params.add(cap, 'int')}) x`,
    params: params.values,
  };
}

/** The planner's estimate of the number of matches (several readings: of the rows matching any): no rows are read. */
export function explainQuery(plan: SearchPlan, mode: MatchMode): { sql: string; params: unknown[] } {
  const params = new Params();
  const where = baseConditions(plan, mode, params, false, true).join(' AND ') || 'true';
  return { sql: `EXPLAIN (FORMAT JSON) SELECT 1 FROM catalog_product p WHERE ${where}`, params: params.values };
}

/** Price bucket index 0 … PRICE_STEPS.length of a row, from its price in major units and its currency's scale. */
function bucketExpression(): string {
  exponentSql ??= exponentCase();
  const scales = scaledCurrencies();
  const byScale = new Map<number, string[]>();
  for (const [code, scale] of scales) byScale.set(scale, [...(byScale.get(scale) ?? []), code]);
  const scaleSql = `CASE ${[...byScale]
    .map(([s, codes]) => `WHEN p.currency IN (${codes.map((c) => `'${c}'`).join(', ')}) THEN ${s}`)
    .join(' ')} ELSE 1 END`;
  return `width_bucket(p.effective_price_minor::numeric / (power(10::numeric, ${exponentSql}) * (${scaleSql})),
            ARRAY[${PRICE_STEPS.join(', ')}]::numeric[])`;
}
let bucketSql: string | undefined;

/**
 * Counts for totalCount and every facet in one statement (GROUPING SETS over the matching rows). `limit`
 * caps the rows read (exact counting of modest result sets); `sampleBelow` keeps rows whose random uuid is
 * below a bound, a uniform random sample of a fraction of the matches, whatever their physical order.
 */
export function summaryQuery(
  plan: SearchPlan,
  mode: MatchMode,
  opts: { limit?: number; sampleBelow?: string; facets: boolean },
): { sql: string; params: unknown[] } {
  const params = new Params();
  const where = baseConditions(plan, mode, params);
  if (opts.sampleBelow) where.push(`p.id < ${params.add(opts.sampleBelow, 'uuid')}`);
  const limit = opts.limit ? `LIMIT ${params.add(opts.limit, 'int')}` : '';
  const cond = where.join(' AND ') || 'true';
  if (!opts.facets) {
    return {
      sql: `SELECT 0 AS g, count(*)::int AS n FROM (SELECT 1 FROM catalog_product p WHERE ${cond} ${limit}) m`,
      params: params.values,
    };
  }
  bucketSql ??= bucketExpression();
  const level = params.add(plan.categoryLevel, 'int');
  // Brand names with the counts (a brand's name never changes while it has live products, so cached counts may keep them).
  const sql = `
    WITH m AS MATERIALIZED (
      SELECT p.brand_id,
             array_to_string((string_to_array(p.google_category_path, ' > '))[1:${level}], ' > ') AS category,
             p.availability, lower(p.color) AS color_key, p.color, lower(p.size) AS size_key, p.size, p.currency,
             ${bucketSql} AS bucket
        FROM catalog_product p WHERE ${cond} ${limit}
    )
    SELECT s.*, b.name AS brand_display FROM (
      SELECT GROUPING(brand_id, category, availability, color_key, size_key, currency, bucket) AS g,
             brand_id, category, availability, color_key, min(color) AS color, size_key, min(size) AS size,
             currency, bucket, count(*)::int AS n
        FROM m
       GROUP BY GROUPING SETS ((), (brand_id), (category), (availability), (color_key), (size_key), (currency, bucket))
    ) s LEFT JOIN brand b ON b.id = s.brand_id`;
  return { sql, params: params.values };
}

/** GROUPING() bitmasks of summaryQuery's grouping sets (a set bit = column not grouped). */
export const GROUPS = {
  total: 0b1111111,
  brand: 0b0111111,
  category: 0b1011111,
  availability: 0b1101111,
  color: 0b1110111,
  size: 0b1111011,
  price: 0b1111100,
} as const;
