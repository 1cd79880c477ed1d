import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ShareLinkStore, type LinkTarget } from './share-link.store.js';
import { SystemPath } from '@brandshelf/db';

/** Codes remembered per process (least recently used forgotten first). */
export const LINK_CACHE_ENTRIES = 10_000;
/**
 * Lookups of codes not remembered that may wait for the database at once, per process. The redirect takes no key and
 * no rate limit, so a flood of made-up codes (each a lookup) would otherwise queue without bound for the pool the
 * API shares; beyond this a code not remembered is answered 503 with Retry-After at once (LinkLookupsBusy).
 */
export const LINK_LOOKUPS_IN_FLIGHT = 32;
/** How often the catalog generation is read; a change forgets every remembered target. */
export const LINK_CACHE_POLL_MS = 1_000;

/** Thrown by LinkCache.target when LINK_LOOKUPS_IN_FLIGHT lookups already wait: answered 503, not logged. */
export class LinkLookupsBusy extends Error {
  constructor() {
    super('too many share-link lookups in flight');
  }
}

/**
 * Where codes lead, remembered so a hot link does not cost a query per click. A target holds the product's landing
 * link, which changes only with the live catalog: every committed change of catalog_product bumps the catalog
 * generation (migration 13), read here once a second; when it moved, everything remembered is forgotten. A link
 * whose product changed is thus served stale for at most about a second. Unknown codes are remembered too (as
 * unknown), so a flood of made-up codes costs one query per code per generation.
 */
@Injectable()
export class LinkCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LinkCache');
  private readonly entries = new Map<string, LinkTarget | null>();
  private readonly inflight = new Map<string, Promise<LinkTarget | null>>();
  private generation: string | null = null;
  /** Poll count, and the poll at which each code was last moved to the most recent end. */
  private tick = 0;
  private readonly touched = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private hits = 0;
  private misses = 0;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ShareLinkStore) private readonly links: ShareLinkStore,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.poll(), LINK_CACHE_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Where a remembered code leads (null: unknown), or undefined when it is not remembered. No I/O. */
  peek(code: string): LinkTarget | null | undefined {
    const value = this.entries.get(code);
    if (value === undefined) return undefined;
    this.hits++;
    // Most recently used last (moved at most once a second per code, so a hot code costs no map churn).
    if (this.touched.get(code) !== this.tick) {
      this.touched.set(code, this.tick);
      this.entries.delete(code);
      this.entries.set(code, value);
    }
    return value;
  }

  async target(code: string): Promise<LinkTarget | null> {
    const known = this.peek(code);
    if (known !== undefined) return known;
    this.misses++;
    let pending = this.inflight.get(code);
    if (!pending) {
      if (this.inflight.size >= LINK_LOOKUPS_IN_FLIGHT) throw new LinkLookupsBusy();
      const generation = this.generation;
      pending = this.links.systemTargetByCode(code).then(
        (target) => {
          this.inflight.delete(code);
          // A generation change while reading: the answer may predate it, so it is not kept.
          if (generation === this.generation) this.remember(code, target);
          return target;
        },
        (error) => {
          this.inflight.delete(code);
          throw error;
        },
      );
      this.inflight.set(code, pending);
    }
    return pending;
  }

  /** Forgets everything (a poll saw the catalog change; tests call it too). */
  clear(): void {
    this.entries.clear();
    this.touched.clear();
  }

  stats(): { hits: number; misses: number; size: number; inFlight: number } {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, inFlight: this.inflight.size };
  }

  /** Reads the catalog generation; forgets every target when it moved. */
  @SystemPath('link-cache.poll')
  async poll(): Promise<void> {
    this.tick++;
    try {
      const [{ g }] = await this.db.query('SELECT coalesce(sum(generation), 0)::text AS g FROM catalog_generation');
      if (g !== this.generation) {
        this.generation = g;
        this.clear();
      }
    } catch (error) {
      // The database is away for a moment: forget everything rather than serve targets that may be stale.
      this.clear();
      this.logger.warn({ msg: 'catalog generation unreadable; link cache cleared', error: (error as Error).message });
    }
  }

  private remember(code: string, target: LinkTarget | null): void {
    if (this.entries.size >= LINK_CACHE_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
        this.touched.delete(oldest);
      }
    }
    this.entries.set(code, target);
  }
}
