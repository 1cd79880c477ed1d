import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  dateInstant,
  lookupCategory,
  type AgeGroup,
  type Availability,
  type Condition,
  type Gender,
  type ShippingEntry,
  type TaxEntry,
} from '@brandshelf/catalog-rules';
import { APP_CONFIG, AppError, isUuid, type AppConfig } from '@brandshelf/core';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { Batcher } from './batcher.js';
import { encodeCursor, type MatchMode } from './cursor.js';
import { bucketBounds, money } from './money.js';
import {
  cappedCountQuery,
  explainQuery,
  generationQuery,
  GROUPS,
  correctableWords,
  lexiconQuery,
  pageQuery,
  planSearch,
  PRODUCT_COLUMNS,
  summaryQuery,
  toLexicon,
  unknownWordsQuery,
  correctionsQuery,
  correctWord,
  type SearchPlan,
} from './search.sql.js';
import type {
  CatalogBrand,
  CatalogProduct,
  ProductFacetsData,
  ProductImageData,
  ProductSearchInput,
  ProductSearchResult,
  SearchOptions,
  ShippingOptionData,
  TaxRuleData,
} from './search.types.js';

/** Fewer full-text matches than this and the query is matched again, typo-tolerantly. */
export const FUZZY_MIN_MATCHES = 3;
/** Up to this many matches, totalCount and facets are exact counts. */
export const EXACT_COUNT_CAP = 2_000;
/** Beyond it, counts come from a uniform random sample of about this many matches, scaled. */
export const SAMPLE_TARGET = 1_000;
/** Variants listed per product at most. */
export const MAX_VARIANTS = 100;
const FACET_VALUES = { brand: 50, category: 50, color: 30, size: 30 };
/** Summaries (totalCount and facets) kept per process, least recently used evicted. */
export const FACET_CACHE_ENTRIES = 2_000;
/** Every statement of a public search is bounded: a pathological query fails fast instead of holding a connection. */
const STATEMENT_TIMEOUT = '5s';

type Row = Record<string, any>;

interface Summary {
  totalCount: number;
  exact: boolean;
  facets: ProductFacetsData | null;
}

/**
 * Product search over the live catalog (`catalog_product`, with public brand names): full-text with
 * stemming in each product's language, accents folded, and title-first ranking, typo tolerance through trigrams, filters, keyset pagination,
 * facets. Staging, diagnostics and account tables are never read.
 */
@Injectable()
export class SearchService {
  private readonly variantLoader: Batcher<{ brandId: string; itemGroupId: string }, CatalogProduct[]>;
  private readonly countLoader: Batcher<string, number>;
  private readonly productLoader: Batcher<string, CatalogProduct | null>;

  /**
   * Whether this is a PostgreSQL server (statement settings per search, searches waiting for a summary another
   * one is computing), not the embedded database: PGlite runs one statement at a time and its socket server
   * runs one transaction at a time, so there a search never waits for another one's open transaction.
   */
  private readonly concurrent: boolean;
  /** Summaries by (catalog generation, match mode, facets or not, query, filter): see cachedSummary. */
  private readonly cache = new Map<string, Summary>();
  private readonly inflight = new Map<string, Promise<Summary>>();
  private readonly inflightPages = new Map<string, Promise<Row[]>>();
  private cacheHits = 0;
  private cacheMisses = 0;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    this.concurrent = !config || config.databaseUrl !== null;
    this.variantLoader = new Batcher(
      (k) => `${k.brandId}|${k.itemGroupId}`,
      (keys) => this.loadVariants(keys),
      () => [],
    );
    this.countLoader = new Batcher(
      (id) => id,
      (ids) => this.loadProductCounts(ids),
      () => 0,
    );
    this.productLoader = new Batcher(
      (id) => id,
      (ids) => this.loadProducts(ids),
      () => null,
    );
  }

  /**
   * The `products` query: one page, and totalCount / facets when asked for. Every statement of one search runs in
   * one READ ONLY REPEATABLE READ transaction on one connection, so the page, its count and its facets all see
   * the same catalog even while a publish commits. Counts are cached per (catalog generation, query, filter):
   * the generation is read in the same snapshot and changes with every committed change of the live catalog.
   */
  async searchProducts(input: ProductSearchInput, options: SearchOptions = {}): Promise<ProductSearchResult> {
    const initial = planSearch(input);
    return this.snapshot((q) => this.searchIn(q, initial, options));
  }

  /** Summaries (totalCount, facets) answered from the cache or computed, and how many are kept (bench/search). */
  cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cacheHits, misses: this.cacheMisses, size: this.cache.size };
  }

  /** Forgets the cached summaries: bench/search measures the searches that compute theirs. */
  clearSummaryCache(): void {
    this.cache.clear();
  }

  private async searchIn(q: Query, initial: SearchPlan, options: SearchOptions): Promise<ProductSearchResult> {
    let plan = initial;
    let generation: string;
    if (plan.text) {
      const lq = lexiconQuery(plan);
      const rows = await q(lq.sql, lq.params);
      generation = String(rows[0].generation);
      plan = { ...plan, lexicon: toLexicon(plan, rows) };
    } else {
      generation =
        options.withTotal || options.withFacets || (options.sponsored && !plan.after)
          ? String((await q(generationQuery().sql))[0].generation)
          : '';
    }
    const limit = plan.first + 1;
    let mode: MatchMode = !plan.text ? 'NONE' : (plan.after?.mode ?? 'FULL_TEXT');
    let rows = await this.page(q, plan, mode, limit, generation);
    if (mode === 'FULL_TEXT' && !plan.after && correctableWords(plan).length > 0) {
      let matches = rows.length;
      if (rows.length === limit && limit < FUZZY_MIN_MATCHES) {
        matches = await this.countUpTo(q, plan, mode, FUZZY_MIN_MATCHES);
      }
      // Few matches: words that no live product contains are probably misspelled; match those by similarity.
      // A one-word query that matched nothing names a word no live product contains: no need to probe for it
      // (the probe of an absent word can cost a scan of the whole table when the planner expects it to be common).
      const unknown =
        matches >= FUZZY_MIN_MATCHES
          ? []
          : plan.words.length === 1 && matches === 0
            ? correctableWords(plan)
            : await this.unknownWords(q, plan, correctableWords(plan));
      if (unknown.length) {
        mode = 'FUZZY';
        plan = { ...plan, fuzzy: unknown, corrections: await this.corrections(q, plan, unknown) };
        rows = await this.page(q, plan, mode, limit, generation);
      }
    }
    const keyCount = plan.sort === 'PRICE_ASC' || plan.sort === 'PRICE_DESC' ? 2 : 1;
    // Sponsored results on a first page, in the same snapshot; a product they show is not repeated below them.
    const sponsored = options.sponsored && !plan.after ? await options.sponsored(q, plan, mode, generation) : [];
    const shown = new Set(sponsored.map((s) => s.product.id));
    const all = rows.slice(0, plan.first).map((row) => ({
      node: toProduct(row),
      cursor: encodeCursor({
        sort: plan.sort,
        mode,
        keys: keyCount === 2 ? [row.k0, row.k1] : [row.k0],
        id: row.id,
        fingerprint: plan.fingerprint,
        ...(mode === 'FUZZY' && plan.fuzzy ? { fuzzy: plan.fuzzy } : {}),
        ...(mode === 'FUZZY' && plan.corrections ? { corrections: plan.corrections } : {}),
      }),
    }));
    // The page's cursor stays the last organic row's, shown or not: the next page neither repeats nor skips a row.
    const endCursor = all.at(-1)?.cursor ?? null;
    const edges = shown.size ? all.filter((e) => !shown.has(e.node.id)) : all;
    const s =
      options.withTotal || options.withFacets
        ? await this.cachedSummary(q, generation, plan, mode, options.withFacets ?? false)
        : null;
    return {
      edges,
      hasNextPage: rows.length > plan.first,
      endCursor,
      matchMode: mode,
      sort: plan.sort,
      totalCount: s?.totalCount ?? null,
      totalCountExact: s?.exact ?? false,
      facets: s?.facets ?? null,
      sponsored,
    };
  }

  /**
   * The summary of a search at a catalog generation: from the cache, or computed in this snapshot (and cached).
   * A summary with facets also answers a request for the count alone. On PostgreSQL, searches asking for the
   * same summary at once wait for the one computing it (same generation, same data) instead of repeating it.
   */
  private async cachedSummary(
    q: Query,
    generation: string,
    plan: SearchPlan,
    mode: MatchMode,
    facets: boolean,
  ): Promise<Summary> {
    const key = (withFacets: boolean) =>
      JSON.stringify([
        generation,
        mode,
        withFacets,
        plan.text,
        plan.filter,
        plan.fuzzy,
        plan.corrections,
        withFacets ? plan.categoryLevel : 0,
      ]);
    const found = this.cache.get(key(true)) ?? (facets ? undefined : this.cache.get(key(false)));
    if (found) {
      this.cacheHits++;
      // Most recently used last: the oldest entry is the first one evicted.
      const k = this.cache.get(key(true)) ? key(true) : key(false);
      this.cache.delete(k);
      this.cache.set(k, found);
      return found;
    }
    const k = key(facets);
    const pending = this.concurrent ? this.inflight.get(k) : undefined;
    if (pending) {
      const shared = await pending.catch(() => null);
      if (shared) {
        this.cacheHits++;
        return shared;
      }
    }
    this.cacheMisses++;
    const computing = this.summary(q, plan, mode, facets);
    if (this.concurrent) {
      this.inflight.set(k, computing);
      computing.catch(() => undefined).finally(() => this.inflight.delete(k));
    }
    const summary = await computing;
    this.cache.set(k, summary);
    while (this.cache.size > FACET_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return summary;
  }

  /** A live product, or null (an unknown id, or one no longer published). */
  async product(id: string): Promise<CatalogProduct | null> {
    if (!isUuid(id)) return null;
    const rows: Row[] = await this.query(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id WHERE p.id = $1`,
      [id],
    );
    return rows[0] ? toProduct(rows[0]) : null;
  }

  /**
   * A live product, or null, batched: every product asked for within one turn of the event loop (the products of a
   * page of share links or showcase items) is read by one query.
   */
  productBatched(id: string): Promise<CatalogProduct | null> {
    return isUuid(id) ? this.productLoader.load(id.toLowerCase()) : Promise.resolve(null);
  }

  private async loadProducts(ids: string[]): Promise<Map<string, CatalogProduct | null>> {
    const rows: Row[] = await this.query(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id as string, toProduct(r)]));
  }

  /** Live products of the same brand and item group, the product itself included; [] without a group. */
  variants(product: Pick<CatalogProduct, 'id' | 'brandId' | 'itemGroupId'>): Promise<CatalogProduct[]> {
    if (!product.itemGroupId) return Promise.resolve([]);
    return this.variantLoader.load({ brandId: product.brandId, itemGroupId: product.itemGroupId });
  }

  /**
   * A page of the brands with at least one live product, by name (keyset on lower(name), id; see keysetPage),
   * with their count.
   */
  async brandsPage(request: KeysetRequest): Promise<KeysetPage<CatalogBrand>> {
    const live = 'EXISTS (SELECT 1 FROM catalog_product p WHERE p.brand_id = b.id)';
    const after = request.after ? decodeKeysetCursor('name', request.after, 'after') : null;
    const before = request.before ? decodeKeysetCursor('name', request.before, 'before') : null;
    const where = [live];
    const params: unknown[] = [];
    const bound = (op: string, c: { key: string; id: string }) => {
      params.push(c.key, c.id);
      return `(lower(b.name), b.id) ${op} ($${params.length - 1}::text, $${params.length}::uuid)`;
    };
    if (after) where.push(bound('>', after));
    if (before) where.push(bound('<', before));
    const direction = request.fromEnd ? 'DESC' : 'ASC';
    params.push(request.limit + 1);
    const [rows, [{ count }]] = await Promise.all([
      this.query(
        `SELECT b.id, b.name, b.created_at, lower(b.name) AS sort_key FROM brand b
          WHERE ${where.join(' AND ')}
          ORDER BY lower(b.name) ${direction}, b.id ${direction} LIMIT $${params.length}`,
        params,
      ),
      this.query(`SELECT count(*)::int AS count FROM brand b WHERE ${live}`),
    ]);
    const more = rows.length > request.limit;
    const page = rows.slice(0, request.limit).map((r) => ({
      node: { id: r.id, name: r.name, createdAt: r.created_at } as CatalogBrand,
      cursor: encodeKeysetCursor('name', r.sort_key, r.id),
    }));
    if (request.fromEnd) page.reverse();
    const beyond = async (c: { key: string; id: string } | null, op: string) => {
      if (!c) return false;
      const found = await this.query(
        `SELECT 1 FROM brand b WHERE ${live} AND (lower(b.name), b.id) ${op} ($1::text, $2::uuid) LIMIT 1`,
        [c.key, c.id],
      );
      return found.length > 0;
    };
    return request.fromEnd
      ? { rows: page, totalCount: count, hasPreviousPage: more, hasNextPage: await beyond(before, '>=') }
      : { rows: page, totalCount: count, hasNextPage: more, hasPreviousPage: await beyond(after, '<=') };
  }

  /** Live products of a brand (batched across the brands of one response). */
  brandProductCount(brandId: string): Promise<number> {
    return this.countLoader.load(brandId);
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * One page. On PostgreSQL, searches running the same page statement at the same catalog generation at once share
   * one execution (the same statement over the same catalog answers the same rows), so a crowd asking the same thing
   * costs one page, not one each.
   */
  private async page(q: Query, plan: SearchPlan, mode: MatchMode, limit: number, generation: string): Promise<Row[]> {
    const s = pageQuery(plan, mode, limit);
    if (!this.concurrent || !generation) return q(s.sql, s.params);
    const key = JSON.stringify([generation, s.sql, s.params]);
    const pending = this.inflightPages.get(key);
    if (pending) {
      const shared = await pending.catch(() => null);
      if (shared) return shared;
    }
    const running = q(s.sql, s.params);
    this.inflightPages.set(key, running);
    running
      .catch(() => undefined)
      .finally(() => {
        if (this.inflightPages.get(key) === running) this.inflightPages.delete(key);
      });
    return running;
  }

  private async unknownWords(q: Query, plan: SearchPlan, words: string[]): Promise<string[]> {
    const s = unknownWordsQuery(plan, words);
    // A common word is probed with a sequential scan that stops at its first hit: let it start wherever the last
    // scan of the table stopped (synchronized scans), as a probe outside the relevance settings would, not at the
    // first block every time (where the largest brand's products lie: 700 ms at 1M for a word it never uses).
    await q('SET LOCAL synchronize_seqscans TO DEFAULT');
    const rows = await q(s.sql, s.params);
    if (this.concurrent) await q('SET LOCAL synchronize_seqscans = off');
    return rows.map((r) => r.w);
  }

  /** For each mistyped word, the catalog's words it stands for (correctionsQuery sampled, correctWord chosen). */
  private async corrections(q: Query, plan: SearchPlan, words: string[]): Promise<string[][]> {
    const s = correctionsQuery(plan, words);
    const rows = (await q(s.sql, s.params)) as unknown as Array<{ w: string; lex: string; n: number }>;
    return words.map((w) =>
      correctWord(
        plan,
        w,
        rows.filter((r) => r.w === w),
      ),
    );
  }

  private async countUpTo(q: Query, plan: SearchPlan, mode: MatchMode, cap: number): Promise<number> {
    const s = cappedCountQuery(plan, mode, cap);
    const rows = await q(s.sql, s.params);
    return rows[0].n;
  }

  /**
   * totalCount and facets. Exact up to EXACT_COUNT_CAP matches (counted with a LIMIT, so a broad query never
   * reads more than that). Beyond it (or when the planner expects more) the counts come from the rows whose
   * random uuid falls below a bound: a uniform sample of ~SAMPLE_TARGET matches, independent of physical
   * order (which follows brands and publishes), scaled up and marked inexact.
   */
  private async summary(q: Query, plan: SearchPlan, mode: MatchMode, facets: boolean): Promise<Summary> {
    let estimate = await this.estimate(q, plan, mode);
    if (estimate <= EXACT_COUNT_CAP) {
      const rows = await this.aggregate(q, plan, mode, { limit: EXACT_COUNT_CAP + 1, facets });
      const total = totalOf(rows);
      if (total <= EXACT_COUNT_CAP)
        return { totalCount: total, exact: true, facets: facets ? this.facets(rows, 1, true) : null };
      // The planner expected few and there are more: start from a small sample, refined below if too small.
      estimate = Math.max(estimate, 10 * total);
    }
    let fraction = Math.min(1, SAMPLE_TARGET / estimate);
    let rows = await this.aggregate(q, plan, mode, { sampleBelow: uuidBound(fraction), facets });
    let sampled = totalOf(rows);
    if (sampled < SAMPLE_TARGET / 4 && fraction < 1) {
      // The planner overestimated: sample again with a fraction fitted to what the first sample saw.
      const seen = Math.max(1, sampled / fraction);
      fraction = Math.min(1, SAMPLE_TARGET / seen);
      rows =
        fraction >= 1
          ? await this.aggregate(q, plan, mode, { limit: EXACT_COUNT_CAP + 1, facets })
          : await this.aggregate(q, plan, mode, { sampleBelow: uuidBound(fraction), facets });
      sampled = totalOf(rows);
      if (fraction >= 1 && sampled <= EXACT_COUNT_CAP) {
        return { totalCount: sampled, exact: true, facets: facets ? this.facets(rows, 1, true) : null };
      }
    }
    const scale = 1 / fraction;
    return {
      totalCount: Math.round(sampled * scale),
      exact: false,
      facets: facets ? this.facets(rows, scale, false) : null,
    };
  }

  private async estimate(q: Query, plan: SearchPlan, mode: MatchMode): Promise<number> {
    const s = explainQuery(plan, mode);
    const rows = await q(s.sql, s.params);
    const planJson = rows[0]['QUERY PLAN'];
    const parsed = typeof planJson === 'string' ? JSON.parse(planJson) : planJson;
    return Number(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  private aggregate(
    q: Query,
    plan: SearchPlan,
    mode: MatchMode,
    opts: { limit?: number; sampleBelow?: string; facets: boolean },
  ): Promise<Row[]> {
    const s = summaryQuery(plan, mode, opts);
    return q(s.sql, s.params);
  }

  private facets(rows: Row[], scale: number, exact: boolean): ProductFacetsData {
    const count = (n: number) => Math.round(n * scale);
    const of = (g: number) => rows.filter((r) => r.g === g);
    const top = <T extends { count: number }>(items: T[], n: number, name: (t: T) => string) =>
      items.sort((a, b) => b.count - a.count || name(a).localeCompare(name(b))).slice(0, n);

    const brandRows = top(
      of(GROUPS.brand).map((r) => ({ id: r.brand_id as string, count: count(r.n) })),
      FACET_VALUES.brand,
      (b) => b.id,
    );
    const names = new Map<string, string>(
      of(GROUPS.brand).map((r) => [r.brand_id as string, (r.brand_display as string | null) ?? '']),
    );
    const values = (g: number, key: string, display: string, n: number) =>
      top(
        of(g)
          .filter((r) => r[key] !== null && r[key] !== '')
          .map((r) => ({ value: String(r[display]), count: count(r.n) })),
        n,
        (v) => v.value,
      );
    const price = of(GROUPS.price)
      .filter((r) => r.currency && r.bucket !== null)
      .map((r) => ({
        currency: r.currency as string,
        ...bucketBounds(r.currency, r.bucket),
        count: count(r.n),
        b: r.bucket as number,
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency) || a.b - b.b)
      .map(({ b: _b, ...bucket }) => bucket);
    return {
      brand: brandRows.map((b) => ({ id: b.id, name: names.get(b.id) ?? '', count: b.count })),
      category: top(
        of(GROUPS.category)
          .filter((r) => r.category)
          .map((r) => ({ path: r.category as string, id: lookupCategory(r.category)?.id ?? null, count: count(r.n) })),
        FACET_VALUES.category,
        (c) => c.path,
      ),
      availability: values(GROUPS.availability, 'availability', 'availability', 10),
      color: values(GROUPS.color, 'color_key', 'color', FACET_VALUES.color),
      size: values(GROUPS.size, 'size_key', 'size', FACET_VALUES.size),
      price,
      exact,
    };
  }

  private async loadVariants(
    keys: Array<{ brandId: string; itemGroupId: string }>,
  ): Promise<Map<string, CatalogProduct[]>> {
    const rows: Row[] = await this.query(
      `SELECT * FROM (
         SELECT ${PRODUCT_COLUMNS},
                row_number() OVER (PARTITION BY p.brand_id, p.item_group_id ORDER BY p.title, p.id) AS rn
           FROM catalog_product p
           JOIN brand b ON b.id = p.brand_id
           JOIN unnest($1::uuid[], $2::text[]) AS k(brand_id, item_group_id)
             ON p.brand_id = k.brand_id AND p.item_group_id = k.item_group_id
       ) v WHERE rn <= $3 ORDER BY brand_id, item_group_id, rn`,
      [keys.map((k) => k.brandId), keys.map((k) => k.itemGroupId), MAX_VARIANTS],
    );
    const out = new Map<string, CatalogProduct[]>();
    for (const row of rows) {
      const key = `${row.brand_id}|${row.item_group_id}`;
      out.set(key, [...(out.get(key) ?? []), toProduct(row)]);
    }
    return out;
  }

  private async loadProductCounts(ids: string[]): Promise<Map<string, number>> {
    const rows: Row[] = await this.query(
      'SELECT brand_id, count(*)::int AS n FROM catalog_product WHERE brand_id = ANY($1::uuid[]) GROUP BY brand_id',
      [ids.filter(isUuid)],
    );
    return new Map(rows.map((r) => [r.brand_id, r.n]));
  }

  /**
   * A read-only transaction with this service's settings: a statement timeout, no JIT, and (for relevance) no parallel
   * plan and no synchronized sequential scan (which starts wherever another scan is), so "the first K matches"
   * is the same set on every page. Every statement of the service runs this way; it also keeps the embedded
   * database's socket server (which interleaves the protocol messages of concurrent connections outside a
   * transaction) from mixing up concurrent statements.
   */
  /** One statement through read(): see there. */
  private query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.read((m) => m.query(sql, params));
  }

  /**
   * Runs one search's statements in one READ ONLY REPEATABLE READ transaction on one connection: one snapshot for
   * the page, its count and its facets. BEGIN and the settings go in one round trip (a simple-protocol batch).
   * On PostgreSQL: a statement timeout, no JIT, no parallel plan and no synchronized sequential scan (which starts
   * wherever another scan is), so "the first K matches" of relevance is the same set on every page. The embedded
   * database (one statement at a time, no JIT, no parallel plans) only needs the transaction; its socket server
   * runs no other connection's statements while it is open.
   */
  private async snapshot<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query(
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' +
          (this.concurrent
            ? `; SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'; SET LOCAL jit = off; ` +
              'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off'
            : ''),
      );
      open = true;
      const result = await fn((sql, params = []) => runner.query(sql, params));
      open = false;
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      throw timeoutError(error);
    } finally {
      await runner.release();
    }
  }

  private async read<T>(fn: (m: EntityManager) => Promise<T>, serial = false): Promise<T> {
    // The embedded database (one statement at a time, no JIT, no parallel plans) gains nothing from these
    // settings, and its socket server holds every other connection while one has a transaction open.
    if (!this.concurrent) return fn(this.db.manager);
    try {
      return await this.db.transaction(async (m) => {
        await m.query(
          `SELECT set_config('statement_timeout', $1, true), set_config('transaction_read_only', 'on', true), ` +
            // JIT compiling a plan costs 20–40 ms, more than these queries take to run.
            `set_config('jit', 'off', true)` +
            (serial
              ? `, set_config('max_parallel_workers_per_gather', '0', true), set_config('synchronize_seqscans', 'off', true)`
              : ''),
          [STATEMENT_TIMEOUT],
        );
        return fn(m);
      });
    } catch (error) {
      throw timeoutError(error);
    }
  }
}

type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** A statement timeout as the searcher's error; anything else as it is. */
function timeoutError(error: unknown): unknown {
  const e = error as { driverError?: { code?: string }; code?: string };
  if (e.driverError?.code === '57014' || e.code === '57014') {
    return new AppError('BAD_USER_INPUT', 'This search took too long; add words or filters to narrow it.');
  }
  return error;
}

function totalOf(rows: Row[]): number {
  return rows.find((r) => r.g === GROUPS.total || r.g === 0)?.n ?? 0;
}

/** The uuid below which a fraction `f` of random (v4) uuids fall. */
export function uuidBound(f: number): string {
  if (f >= 1) return 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const head = Math.max(1, Math.floor(f * 0x1_0000_0000))
    .toString(16)
    .padStart(8, '0');
  return `${head}-0000-0000-0000-000000000000`;
}

function images(row: Row): ProductImageData[] {
  const stored = Array.isArray(row.images) ? (row.images as Row[]) : [];
  if (stored.length) {
    return stored
      .filter((i) => i && typeof i.sourceUrl === 'string')
      .map((i) => {
        const renditions = (Array.isArray(i.renditions) ? (i.renditions as Row[]) : [])
          .filter((r) => r && typeof r.url === 'string')
          .map((r) => ({ size: r.size, width: r.width, height: r.height, format: r.format ?? 'webp', url: r.url }))
          .sort((a, b) => a.size - b.size);
        return {
          url: renditions.at(-1)?.url ?? i.sourceUrl,
          sourceUrl: i.sourceUrl,
          role: i.role === 'ADDITIONAL' ? 'ADDITIONAL' : 'MAIN',
          width: typeof i.width === 'number' ? i.width : null,
          height: typeof i.height === 'number' ? i.height : null,
          placeholder: typeof i.placeholder === 'string' ? i.placeholder : null,
          dominantColor: typeof i.dominantColor === 'string' ? i.dominantColor : null,
          renditions,
        };
      });
  }
  // Not processed yet: the source URLs as the feed gave them.
  const links: Array<[string, 'MAIN' | 'ADDITIONAL']> = [];
  if (row.image_link) links.push([row.image_link, 'MAIN']);
  for (const url of row.additional_image_links ?? []) links.push([url, 'ADDITIONAL']);
  return links.map(([sourceUrl, role]) => ({
    url: sourceUrl,
    sourceUrl,
    role,
    width: null,
    height: null,
    placeholder: null,
    dominantColor: null,
    renditions: [],
  }));
}

function shippingOption(entry: ShippingEntry): ShippingOptionData {
  return {
    country: entry.country,
    region: entry.region ?? null,
    postalCode: entry.postalCode ?? null,
    locationId: entry.locationId ?? null,
    locationGroupName: entry.locationGroupName ?? null,
    service: entry.service ?? null,
    price: money(entry.priceMinor, entry.currency)!,
    minHandlingTime: entry.minHandlingTime ?? null,
    maxHandlingTime: entry.maxHandlingTime ?? null,
    minTransitTime: entry.minTransitTime ?? null,
    maxTransitTime: entry.maxTransitTime ?? null,
  };
}

function taxRule(entry: TaxEntry): TaxRuleData {
  return {
    country: entry.country,
    region: entry.region ?? null,
    postalCode: entry.postalCode ?? null,
    locationId: entry.locationId ?? null,
    rate: entry.rate,
    taxShip: entry.taxShip,
  };
}

/**
 * When a PREORDER or BACKORDER product ships, in ms: its availability_date read as the validator reads it (a date
 * alone is its midnight UTC). Null for any other availability, or without a date it can read. The API's
 * Product.availabilityDate and the channel exports' availability_date both come from here.
 */
export function shipDate(p: Pick<CatalogProduct, 'availability' | 'availabilityDate'>): number | null {
  if (!p.availabilityDate || (p.availability !== 'PREORDER' && p.availability !== 'BACKORDER')) return null;
  return dateInstant(p.availabilityDate);
}

export function toProduct(row: Row): CatalogProduct {
  const hasCategory = row.google_category_id !== null || row.google_category_path !== null;
  return {
    id: row.id,
    brandId: row.brand_id,
    offerId: row.offer_id,
    title: row.title,
    description: row.description,
    brand: { id: row.brand_id, name: row.b_name, createdAt: row.b_created_at },
    brandName: row.brand_name,
    link: row.link,
    imageLink: row.image_link,
    additionalImageLinks: row.additional_image_links ?? [],
    price: money(row.price_minor, row.currency),
    salePrice: row.on_sale ? money(row.sale_price_minor, row.currency) : null,
    onSale: row.on_sale,
    availability: row.availability as Availability | null,
    condition: row.condition as Condition | null,
    gtin: row.gtin,
    mpn: row.mpn,
    category: hasCategory ? { id: row.google_category_id, path: row.google_category_path } : null,
    productType: row.product_type,
    itemGroupId: row.item_group_id,
    color: row.color,
    size: row.size,
    gender: row.gender as Gender | null,
    ageGroup: row.age_group as AgeGroup | null,
    quantity: row.quantity,
    shipping: ((row.shipping ?? []) as ShippingEntry[]).map(shippingOption),
    tax: ((row.tax ?? []) as TaxEntry[]).map(taxRule),
    customLabels: row.custom_labels ?? [],
    salePriceEffectiveDate: row.sale_price_effective_date ?? null,
    identifierExists: row.identifier_exists ?? null,
    availabilityDate: row.availability_date ?? null,
    material: row.material ?? null,
    pattern: row.pattern ?? null,
    mobileLink: row.mobile_link ?? null,
    shippingWeight: row.shipping_weight ?? null,
    images: images(row),
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  };
}
