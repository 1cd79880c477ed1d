import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  lookupCategory,
  type AgeGroup,
  type Availability,
  type Condition,
  type Gender,
} from '@brandshelf/catalog-rules';
import { APP_CONFIG, AppError, isUuid, type AppConfig } from '@brandshelf/core';
import { Batcher } from './batcher.js';
import { encodeCursor, type MatchMode } from './cursor.js';
import { bucketBounds, money } from './money.js';
import {
  cappedCountQuery,
  explainQuery,
  GROUPS,
  correctableWords,
  lexiconQuery,
  pageQuery,
  planSearch,
  PRODUCT_COLUMNS,
  summaryQuery,
  toLexicon,
  unknownWordsQuery,
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

  /**
   * Whether the page and the counts of one search run at the same time. Not on the embedded database: PGlite
   * runs one statement at a time anyway, and its socket server is safest with one statement in flight.
   */
  private readonly concurrent: boolean;

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
  }

  /** The `products` query: one page, and totalCount / facets when asked for. */
  async searchProducts(input: ProductSearchInput, options: SearchOptions = {}): Promise<ProductSearchResult> {
    let plan = planSearch(input);
    if (plan.text) plan = { ...plan, lexicon: await this.lexicon(plan) };
    const limit = plan.first + 1;
    let mode: MatchMode = !plan.text ? 'NONE' : (plan.after?.mode ?? 'FULL_TEXT');
    const wantSummary = options.withTotal || options.withFacets;
    const summarize = (p: SearchPlan, m: MatchMode) => {
      if (!wantSummary) return Promise.resolve(null);
      const pending = this.summary(p, m, options.withFacets ?? false);
      pending.catch(() => undefined); // awaited below; a failure meanwhile is not "unhandled"
      return pending;
    };

    let summary = this.concurrent ? summarize(plan, mode) : null;
    let rows = await this.page(plan, mode, limit);
    if (mode === 'FULL_TEXT' && !plan.after && correctableWords(plan).length > 0) {
      let matches = rows.length;
      if (rows.length === limit && limit < FUZZY_MIN_MATCHES) {
        matches = await this.countUpTo(plan, mode, FUZZY_MIN_MATCHES);
      }
      // Few matches: words that no live product contains are probably misspelled; match those by similarity.
      const unknown = matches < FUZZY_MIN_MATCHES ? await this.unknownWords(plan, correctableWords(plan)) : [];
      if (unknown.length) {
        mode = 'FUZZY';
        plan = { ...plan, fuzzy: unknown };
        summary = this.concurrent ? summarize(plan, mode) : null;
        rows = await this.page(plan, mode, limit);
      }
    }
    const keyCount = plan.sort === 'PRICE_ASC' || plan.sort === 'PRICE_DESC' ? 2 : 1;
    const edges = rows.slice(0, plan.first).map((row) => ({
      node: toProduct(row),
      cursor: encodeCursor({
        sort: plan.sort,
        mode,
        keys: keyCount === 2 ? [row.k0, row.k1] : [row.k0],
        id: row.id,
        fingerprint: plan.fingerprint,
        ...(mode === 'FUZZY' && plan.fuzzy ? { fuzzy: plan.fuzzy } : {}),
      }),
    }));
    const s = await (summary ?? summarize(plan, mode));
    return {
      edges,
      hasNextPage: rows.length > plan.first,
      endCursor: edges.at(-1)?.cursor ?? null,
      matchMode: mode,
      sort: plan.sort,
      totalCount: s?.totalCount ?? null,
      totalCountExact: s?.exact ?? false,
      facets: s?.facets ?? null,
    };
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

  /** Live products of the same brand and item group, the product itself included; [] without a group. */
  variants(product: Pick<CatalogProduct, 'id' | 'brandId' | 'itemGroupId'>): Promise<CatalogProduct[]> {
    if (!product.itemGroupId) return Promise.resolve([]);
    return this.variantLoader.load({ brandId: product.brandId, itemGroupId: product.itemGroupId });
  }

  /** Brands with at least one live product, by name. */
  async brands(): Promise<CatalogBrand[]> {
    const rows: Row[] = await this.query(
      `SELECT b.id, b.name, b.created_at FROM brand b
        WHERE EXISTS (SELECT 1 FROM catalog_product p WHERE p.brand_id = b.id)
        ORDER BY lower(b.name), b.id`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  /** Live products of a brand (batched across the brands of one response). */
  brandProductCount(brandId: string): Promise<number> {
    return this.countLoader.load(brandId);
  }

  // ---------------------------------------------------------------------------------------------------------

  private async page(plan: SearchPlan, mode: MatchMode, limit: number): Promise<Row[]> {
    const q = pageQuery(plan, mode, limit);
    // Relevance ranks "the first K index matches": a parallel plan would make that set differ between pages.
    return this.read((m) => m.query(q.sql, q.params), plan.sort === 'RELEVANCE');
  }

  /**
   * How the languages of the live catalog read the query, before the page and the counts. One statement on its
   * own, outside read()'s transaction (which costs three more round trips): it only probes an index once per
   * language and parses the (at most 200-character) query once per language, so it needs no timeout.
   */
  private async lexicon(plan: SearchPlan) {
    const q = lexiconQuery(plan);
    const rows: Row[] = this.concurrent ? await this.db.query(q.sql, q.params) : await this.query(q.sql, q.params);
    return toLexicon(plan, rows);
  }

  private async unknownWords(plan: SearchPlan, words: string[]): Promise<string[]> {
    const q = unknownWordsQuery(plan, words);
    const rows: Row[] = await this.query(q.sql, q.params);
    return rows.map((r) => r.w);
  }

  private async countUpTo(plan: SearchPlan, mode: MatchMode, cap: number): Promise<number> {
    const q = cappedCountQuery(plan, mode, cap);
    const rows = await this.read((m) => m.query(q.sql, q.params));
    return rows[0].n;
  }

  /**
   * totalCount and facets. Exact up to EXACT_COUNT_CAP matches (counted with a LIMIT, so a broad query never
   * reads more than that). Beyond it (or when the planner expects more) the counts come from the rows whose
   * random uuid falls below a bound: a uniform sample of ~SAMPLE_TARGET matches, independent of physical
   * order (which follows brands and publishes), scaled up and marked inexact.
   */
  private async summary(plan: SearchPlan, mode: MatchMode, facets: boolean): Promise<Summary> {
    let estimate = await this.estimate(plan, mode);
    if (estimate <= EXACT_COUNT_CAP) {
      const rows = await this.aggregate(plan, mode, { limit: EXACT_COUNT_CAP + 1, facets });
      const total = totalOf(rows);
      if (total <= EXACT_COUNT_CAP)
        return { totalCount: total, exact: true, facets: facets ? await this.facets(rows, 1, true) : null };
      // The planner expected few and there are more: start from a small sample, refined below if too small.
      estimate = Math.max(estimate, 10 * total);
    }
    let fraction = Math.min(1, SAMPLE_TARGET / estimate);
    let rows = await this.aggregate(plan, mode, { sampleBelow: uuidBound(fraction), facets });
    let sampled = totalOf(rows);
    if (sampled < SAMPLE_TARGET / 4 && fraction < 1) {
      // The planner overestimated: sample again with a fraction fitted to what the first sample saw.
      const seen = Math.max(1, sampled / fraction);
      fraction = Math.min(1, SAMPLE_TARGET / seen);
      rows =
        fraction >= 1
          ? await this.aggregate(plan, mode, { limit: EXACT_COUNT_CAP + 1, facets })
          : await this.aggregate(plan, mode, { sampleBelow: uuidBound(fraction), facets });
      sampled = totalOf(rows);
      if (fraction >= 1 && sampled <= EXACT_COUNT_CAP) {
        return { totalCount: sampled, exact: true, facets: facets ? await this.facets(rows, 1, true) : null };
      }
    }
    const scale = 1 / fraction;
    return {
      totalCount: Math.round(sampled * scale),
      exact: false,
      facets: facets ? await this.facets(rows, scale, false) : null,
    };
  }

  private async estimate(plan: SearchPlan, mode: MatchMode): Promise<number> {
    const q = explainQuery(plan, mode);
    const rows: Row[] = await this.query(q.sql, q.params);
    const planJson = rows[0]['QUERY PLAN'];
    const parsed = typeof planJson === 'string' ? JSON.parse(planJson) : planJson;
    return Number(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  private aggregate(
    plan: SearchPlan,
    mode: MatchMode,
    opts: { limit?: number; sampleBelow?: string; facets: boolean },
  ): Promise<Row[]> {
    const q = summaryQuery(plan, mode, opts);
    return this.read((m) => m.query(q.sql, q.params), false);
  }

  private async facets(rows: Row[], scale: number, exact: boolean): Promise<ProductFacetsData> {
    const count = (n: number) => Math.round(n * scale);
    const of = (g: number) => rows.filter((r) => r.g === g);
    const top = <T extends { count: number }>(items: T[], n: number, name: (t: T) => string) =>
      items.sort((a, b) => b.count - a.count || name(a).localeCompare(name(b))).slice(0, n);

    const brandRows = top(
      of(GROUPS.brand).map((r) => ({ id: r.brand_id as string, count: count(r.n) })),
      FACET_VALUES.brand,
      (b) => b.id,
    );
    const names = new Map<string, string>();
    if (brandRows.length) {
      const found: Row[] = await this.query('SELECT id, name FROM brand WHERE id = ANY($1::uuid[])', [
        brandRows.map((b) => b.id),
      ]);
      for (const b of found) names.set(b.id, b.name);
    }
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
      if ((error as { driverError?: { code?: string }; code?: string }).driverError?.code === '57014') {
        throw new AppError('BAD_USER_INPUT', 'This search took too long; add words or filters to narrow it.');
      }
      throw error;
    }
  }
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
    images: images(row),
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  };
}
