import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, MEDIA_STORAGE, systemBrandContext, type AppConfig } from '@brandshelf/core';
import { CATALOG_CHANGED } from '@brandshelf/ingestion';
import { JobHandler } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import { CreativeStore } from './creative.store.js';
import { CreativesService, currentCreativeKey } from './creatives.service.js';
import { CREATIVES_SWEEP } from './creatives.jobs.js';
import { runAsBrand } from '@brandshelf/db';

/** Rows read (and products looked up) per step of a brand's prune. */
const PAGE = 500;
/** Keys deleted per transaction (each holds its keys' advisory locks until it commits). */
const DELETE_BATCH = 100;
/** Brands one sweep prunes at most; the next sweep takes the rest. */
const SWEEP_BRANDS = 100;

export interface PruneResult {
  /** Rows found stale (of an earlier content, or of a product no longer live), pruned now or kept for the grace. */
  stale: number;
  /** Rows deleted. */
  rows: number;
  /** Files deleted: keys no row of any brand had any more. */
  files: number;
}

/**
 * Keeps creatives bounded (README: Ad creatives, Storage). A creative is stale once its key is not what its product's
 * current content gives on its template, or its product is no longer live. After each change of a brand's live
 * catalog (CATALOG_CHANGED: publish, rollback, feed deletion) the brand's creatives are read page by page; stale ones
 * are marked, and those stale for CREATIVE_PRUNE_GRACE_HOURS are deleted with their files, a file only once no row
 * of any brand has its key (keys are content-addressed, so brands can share one). A sweep every 10 minutes
 * (CREATIVES_SWEEP) finishes the ones whose grace ends later. Everything runs in a system context scoped to one
 * brand: a brand's prune reads, marks and deletes only its own rows.
 */
@Injectable()
export class CreativePruner {
  private readonly logger = new Logger('CreativePruner');

  constructor(
    @Inject(CreativeStore) private readonly store: CreativeStore,
    @Inject(CreativesService) private readonly creatives: CreativesService,
    @Inject(MEDIA_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(CATALOG_CHANGED)
  async onCatalogChanged(payload: { brandId: string }): Promise<void> {
    await this.pruneBrand(payload.brandId);
  }

  @JobHandler(CREATIVES_SWEEP)
  async sweep(): Promise<number> {
    const brands = await this.store.systemBrandsDue(this.config.creatives.pruneGraceHours, SWEEP_BRANDS);
    let rows = 0;
    for (const brandId of brands) {
      try {
        rows += (await this.pruneBrand(brandId)).rows;
      } catch (error) {
        this.logger.warn({ msg: 'creatives of a brand could not be pruned', brandId, err: String(error) });
      }
    }
    return rows;
  }

  /**
   * Prunes one brand's creatives. Safe to stop anywhere: a row goes only after its file (when it was the last
   * reference), so a crash leaves rows the next prune finds stale again, never a row without its file.
   */
  pruneBrand(brandId: string): Promise<PruneResult> {
    // As the brand, whoever calls (its catalog.changed job, the sweep, a test): its rows only.
    return runAsBrand(brandId, () => this.pruneAsBrand(brandId));
  }

  private async pruneAsBrand(brandId: string): Promise<PruneResult> {
    const ctx = systemBrandContext(brandId, 'creative-prune');
    const grace = this.config.creatives.pruneGraceHours;
    const result: PruneResult = { stale: 0, rows: 0, files: 0 };
    let after = '';
    for (;;) {
      const page = await this.store.page(ctx, after, PAGE);
      if (!page.length) break;
      after = page[page.length - 1].key;
      const products = await this.creatives.liveProducts(ctx, [...new Set(page.map((row) => row.productId))]);
      const stale: string[] = [];
      const current: string[] = [];
      // Due: stale for the grace already, or (grace 0) from now. pruneStale checks again under the keys' locks.
      const due: string[] = [];
      const dueBefore = Date.now() - grace * 3_600_000;
      for (const row of page) {
        const product = products.get(row.productId);
        const key = product ? currentCreativeKey(product, row.template) : null;
        if (key === row.key) {
          current.push(row.key);
          continue;
        }
        stale.push(row.key);
        if (row.staleSince ? row.staleSince.getTime() <= dueBefore : grace === 0) due.push(row.key);
      }
      await this.store.mark(ctx, stale, current);
      // Rows recorded before sizes were (migration 22): their size, from storage, so usage counts them.
      for (const row of page.filter((r) => r.storedBytes === null)) {
        const info = await this.storage.head(row.key);
        if (info) await this.store.setStoredBytes(ctx, row.key, info.size);
      }
      for (let i = 0; i < due.length; i += DELETE_BATCH) {
        const batch = due.slice(i, i + DELETE_BATCH);
        const pruned = await this.store.pruneStale(ctx, batch, grace, (keys) => this.deleteFiles(keys));
        result.rows += pruned.rows;
        result.files += pruned.files;
      }
      result.stale += stale.length;
    }
    if (result.stale) this.logger.log({ msg: 'creatives pruned', brandId, ...result });
    return result;
  }

  private async deleteFiles(keys: string[]): Promise<void> {
    if (this.storage.deleteMany) await this.storage.deleteMany(keys);
    else for (const key of keys) await this.storage.delete(key);
  }
}
