import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';
import {
  baseConditions,
  decimalToMinor,
  PRODUCT_COLUMNS,
  scoreExpression,
  toProduct,
  type CatalogProduct,
  type MatchMode,
  type SearchPlan,
  type SponsoredPick,
  type SponsoredSource,
} from '@brandshelf/search';
import { compileRules, SqlParams } from '../product-set.rules.js';
import { AdsClock } from './ads.clock.js';
import { runAuction } from './auction.js';
import { CampaignDayStore } from './campaign-day.store.js';
import { CampaignStore, type RunningCampaign } from './campaign.store.js';
import type { CampaignChanges } from './campaigns.service.js';
import { signClaim } from './click-token.js';
import { pacingAllows, utcDay } from './pacing.js';
import { SponsoredClickRecorder } from './sponsored-clicks.js';
import { SystemPath } from '@brandshelf/db';

/** Sponsored slots above the organic results, at most. */
export const SPONSORED_SLOTS = 2;
/**
 * Matching products of running campaigns read per search, at most (the first found through the text index, as the
 * organic relevance candidates are): the sponsored lookup costs one bounded statement whatever the catalog size.
 */
export const SPONSORED_CANDIDATES = 200;
/** Candidates per campaign that go to the auction (its most relevant). */
const PER_CAMPAIGN = 3;
/** Searches whose candidates are kept per process (least recently used forgotten first). */
export const SPONSORED_CACHE_ENTRIES = 2_000;
/** Winning products kept per process, by catalog generation (least recently used forgotten first). */
const PRODUCT_CACHE_ENTRIES = 2_000;

/** A search's candidates: per running campaign, its most relevant matching products. */
interface Candidate {
  campaignId: string;
  productId: string;
  relevance: number;
}

type Row = Record<string, any>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * Sponsored products in creator search: which running campaigns may take part (status and dates, budget left today,
 * pacing), their products matching the search (the organic search's own conditions, in its snapshot), the auction,
 * and the impressions (counted in memory, written in batches like clicks: no write per search).
 */
@Injectable()
export class SponsoredSearch implements OnModuleInit, OnApplicationShutdown, CampaignChanges {
  private readonly logger = new Logger('SponsoredSearch');
  private cache: { loadedAt: number; readStarted: number; day: string; campaigns: RunningCampaign[] } | null = null;
  private loading: Promise<RunningCampaign[]> | null = null;
  private generation = 0;
  /** Bumped when the running campaigns (ids, brands, rules) differ from the last read: cached candidates key on it. */
  private runningVersion = 0;
  private runningKey = '';
  private readonly candidateCache = new Map<string, Candidate[]>();
  private readonly productCache = new Map<string, CatalogProduct>();
  private cacheHits = 0;
  private cacheMisses = 0;
  private impressions = new Map<string, number>();
  private readonly tokenKey: Buffer;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CampaignStore) private readonly campaigns: CampaignStore,
    @Inject(CampaignDayStore) private readonly days: CampaignDayStore,
    @Inject(SponsoredClickRecorder) private readonly recorder: SponsoredClickRecorder,
    @Inject(AdsClock) private readonly clock: AdsClock,
    @Inject(SecretBox) secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokenKey = secrets.deriveKey('sponsored-click-token');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flushImpressions(), this.config.affiliate.clickFlushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushImpressions();
  }

  /** The key click tokens are signed with (the redirect verifies them with it). */
  clickKey(): Buffer {
    return this.tokenKey;
  }

  /** A campaign changed in this process: the next search reads the running campaigns again. */
  changed(): void {
    this.cache = null;
    this.generation++;
  }

  /**
   * The sponsored results of one search (SearchService calls it in the search's snapshot, on a first page only):
   * up to SPONSORED_SLOTS products, each with its campaign and a signed click URL carrying the auction's price.
   */
  readonly pick: SponsoredSource = (q, plan, mode, generation) => this.pickAcrossBrands(q, plan, mode, generation);

  /** A system path: every brand's running campaigns compete in a creator's (or anyone's) search. */
  @SystemPath('sponsored-search')
  private async pickAcrossBrands(
    ...[q, plan, mode, generation]: Parameters<SponsoredSource>
  ): Promise<SponsoredPick[]> {
    const now = this.clock.now();
    const running = await this.running(now, q);
    const eligible = this.eligible(running, now);
    if (!eligible.length) return [];
    const bids = new Map(eligible.map((c) => [c.id, c.maxCpcMinor]));
    const candidates = (await this.candidates(q, plan, mode, running, generation))
      .filter((c) => bids.has(c.campaignId))
      .map((c) => ({ ...c, bidMinor: bids.get(c.campaignId)! }));
    if (!candidates.length) return [];
    const reserve = Number(decimalToMinor(this.config.ads.reserveCpc, this.config.ads.currency, 'up'));
    const winners = runAuction(candidates, {
      slots: SPONSORED_SLOTS,
      reserveMinor: reserve,
      relevanceFloor: plan.text ? this.config.ads.relevanceFloor : 0,
    });
    if (!winners.length) return [];
    const products = await this.products(
      q,
      winners.map((w) => w.productId),
      generation,
    );
    const day = utcDay(now);
    const shownAt = Math.floor(now.getTime() / 1000);
    const picks: SponsoredPick[] = [];
    for (const w of winners) {
      const product = products.get(w.productId);
      if (!product) continue;
      const key = `${w.campaignId}|${day}`;
      this.impressions.set(key, (this.impressions.get(key) ?? 0) + 1);
      const token = signClaim(this.tokenKey, {
        campaignId: w.campaignId,
        productId: w.productId,
        priceMinor: w.priceMinor,
        shownAt,
      });
      picks.push({ product, campaignId: w.campaignId, clickUrl: `${this.config.publicBaseUrl}/s/${token}` });
    }
    return picks;
  }

  /** Writes the impressions counted since the last flush (one statement); kept for the next one on failure. */
  @SystemPath('sponsored-impressions.write')
  async flushImpressions(): Promise<void> {
    if (!this.impressions.size) return;
    const counted = this.impressions;
    this.impressions = new Map();
    const rows = [...counted].map(([key, count]) => {
      const [campaignId, day] = key.split('|');
      return { campaignId, day, count };
    });
    try {
      await this.days.systemAddImpressions(rows);
    } catch (error) {
      for (const [key, n] of counted) this.impressions.set(key, (this.impressions.get(key) ?? 0) + n);
      this.logger.warn({ msg: 'impressions not written; retrying', error: (error as Error).message });
    }
  }

  /** Candidate lists answered from the cache or computed (bench/search). */
  cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cacheHits, misses: this.cacheMisses, size: this.candidateCache.size };
  }

  /** Forgets cached candidates and products: bench/search measures the searches that compute theirs. */
  clearCache(): void {
    this.candidateCache.clear();
    this.productCache.clear();
  }

  /** Running campaigns that may bid now: the ads currency, budget left today and not ahead of the clock. */
  private eligible(running: RunningCampaign[], now: Date): RunningCampaign[] {
    const day = utcDay(now);
    const since = this.cache?.readStarted ?? 0;
    return running.filter(
      (c) =>
        c.currency === this.config.ads.currency &&
        pacingAllows({
          spentTodayMinor: c.spentTodayMinor + this.recorder.unseenSpend(c.id, day, since),
          dailyBudgetMinor: c.dailyBudgetMinor,
          at: now,
          leadMinutes: this.config.ads.pacingLeadMinutes,
        }),
    );
  }

  /** The running campaigns (status and dates at `now`) and their spend today, read at most once per cache period. */
  private async running(now: Date, q: Parameters<SponsoredSource>[0]): Promise<RunningCampaign[]> {
    const day = utcDay(now);
    const fresh =
      this.cache && this.cache.day === day && Date.now() - this.cache.loadedAt < this.config.ads.campaignCacheMs;
    if (fresh) return this.cache!.campaigns;
    if (!this.loading) {
      const generation = this.generation;
      const readStarted = Date.now();
      this.loading = this.campaigns.systemRunning(now, day, q).then(
        (campaigns) => {
          this.loading = null;
          if (generation === this.generation) this.cache = { loadedAt: Date.now(), readStarted, day, campaigns };
          const key = JSON.stringify(campaigns.map((c) => [c.id, c.brandId, c.rules]).sort());
          if (key !== this.runningKey) {
            this.runningKey = key;
            this.runningVersion++;
          }
          return campaigns;
        },
        (error) => {
          this.loading = null;
          throw error;
        },
      );
    }
    return this.loading;
  }

  /**
   * The search's matching products in the running campaigns' sets: one statement over catalog_product with the
   * organic search's own conditions (text match, filters), the campaigns' brands and set rules, at most
   * SPONSORED_CANDIDATES rows, each with its relevance (the organic ts_rank; 1 without query text) and the
   * campaigns whose set holds it.
   */
  private async candidates(
    q: Query,
    plan: SearchPlan,
    mode: MatchMode,
    campaigns: RunningCampaign[],
    generation: string,
  ): Promise<Candidate[]> {
    // Kept per (catalog generation, running campaigns, search): the same search over the same catalog and
    // campaigns matches the same products; budgets and pacing are applied to them afresh on every search.
    const key = generation
      ? JSON.stringify([generation, this.runningVersion, mode, plan.text, plan.filter, plan.fuzzy, plan.corrections])
      : null;
    const cached = key ? this.candidateCache.get(key) : undefined;
    if (cached) {
      this.cacheHits++;
      this.candidateCache.delete(key!);
      this.candidateCache.set(key!, cached);
      return cached;
    }
    this.cacheMisses++;
    const found = await this.matching(q, plan, mode, campaigns);
    if (key) {
      this.candidateCache.set(key, found);
      while (this.candidateCache.size > SPONSORED_CACHE_ENTRIES) {
        this.candidateCache.delete(this.candidateCache.keys().next().value!);
      }
    }
    return found;
  }

  /** The winners' rows, from the cache (same catalog generation) or read by id in the search's snapshot. */
  private async products(q: Query, ids: string[], generation: string): Promise<Map<string, CatalogProduct>> {
    const out = new Map<string, CatalogProduct>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = generation ? this.productCache.get(`${generation}|${id}`) : undefined;
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const rows: Row[] = await q(
        `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id WHERE p.id = ANY($1::uuid[])`,
        [missing],
      );
      for (const row of rows) {
        const product = toProduct(row);
        out.set(product.id, product);
        if (!generation) continue;
        this.productCache.set(`${generation}|${product.id}`, product);
        while (this.productCache.size > PRODUCT_CACHE_ENTRIES) {
          this.productCache.delete(this.productCache.keys().next().value!);
        }
      }
    }
    return out;
  }

  private async matching(
    q: Query,
    plan: SearchPlan,
    mode: MatchMode,
    campaigns: RunningCampaign[],
  ): Promise<Candidate[]> {
    if (!campaigns.length) return [];
    const params = new SqlParams();
    const where = baseConditions(plan, mode, params, true);
    const brands = [...new Set(campaigns.map((c) => c.brandId))];
    where.push(
      brands.length === 1
        ? `p.brand_id = ${params.add(brands[0], 'uuid')}`
        : `p.brand_id = ANY(${params.add(brands, 'uuid[]')})`,
    );
    const arm = (c: RunningCampaign) =>
      `(p.brand_id = ${params.add(c.brandId, 'uuid')} AND ${compileRules(c.rules, params)})`;
    where.push(`(${campaigns.map(arm).join(' OR ')})`);
    const hits = campaigns.map(arm).join(', ');
    const score = plan.text ? scoreExpression(plan, mode, params) : '1::float8';
    const rows: Row[] = await q(
      `SELECT p.id, ${score} AS score, ARRAY[${hits}] AS hits FROM catalog_product p
        WHERE ${where.join(' AND ')} LIMIT ${SPONSORED_CANDIDATES}`,
      params.values,
    );
    const out: Candidate[] = [];
    campaigns.forEach((c, i) => {
      rows
        .filter((r) => r.hits[i] === true)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, PER_CAMPAIGN)
        .forEach((r) => out.push({ campaignId: c.id, productId: r.id, relevance: Number(r.score) }));
    });
    return out;
  }
}
