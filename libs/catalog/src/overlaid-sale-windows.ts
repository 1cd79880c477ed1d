import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@brandshelf/core';
import { SystemPath } from '@brandshelf/db';
import { BrandStorageService, type LiveSaleWindows } from '@brandshelf/ingestion';
import { CatalogProductStore } from './catalog-product.store.js';

/**
 * Sales whose price and window come from different feeds (publish.sql.ts SALE) change when their window starts or
 * ends with no file changing, so the scheduler's tick (FeedScheduler.runSaleWindows) has them judged again here: each
 * due product is written again from its feed's live version and the live supplemental data, judged at the tick, and
 * keeps its next boundary. Each batch's transaction claims its products (SKIP LOCKED, so overlapping ticks never take
 * one twice) and clears what it acted on. It takes each feed's row lock as a publish does; a feed being published is left
 * to the next tick (its publish judges the products too).
 */
@Injectable()
export class OverlaidSaleWindows implements LiveSaleWindows {
  private readonly logger = new Logger('OverlaidSaleWindows');
  /** Products judged again in one transaction, at most (tests lower it). */
  batchSize = 1000;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
  ) {}

  @SystemPath('catalog.overlaid-sale-windows')
  async applyDue(now: Date): Promise<number> {
    let rewritten = 0;
    // A batch a transaction; more while batches come full and something was acted on (a feed being published is left
    // to the next tick, so its products alone never keep this going).
    for (;;) {
      const batch = await this.db.transaction((manager) => this.applyBatch(manager, now));
      rewritten += batch.rewritten;
      if (batch.claimed < this.batchSize || batch.actedOn === 0) break;
    }
    if (rewritten) this.logger.log({ msg: 'overlaid sales judged again', products: rewritten, at: now });
    return rewritten;
  }

  private async applyBatch(
    manager: EntityManager,
    now: Date,
  ): Promise<{ claimed: number; actedOn: number; rewritten: number }> {
    const changedBrands = new Set<string>();
    const counts = { claimed: 0, actedOn: 0, rewritten: 0 };
    for (const due of await CatalogProductStore.systemClaimSaleChanges(manager, now, this.batchSize)) {
      counts.claimed += due.offer_ids.length;
      const [feed]: { live_version_id: string | null }[] = await manager.query(
        'SELECT live_version_id FROM feed WHERE id = $1 AND brand_id = $2 FOR UPDATE SKIP LOCKED',
        [due.feed_id, due.brand_id],
      );
      if (!feed) continue;
      counts.actedOn += due.offer_ids.length;
      if (feed.live_version_id) {
        const written = await CatalogProductStore.upsertFromVersion(
          manager,
          due.brand_id,
          due.feed_id,
          feed.live_version_id,
          due.offer_ids,
          this.config.images.enabled,
          now,
        );
        counts.rewritten += written.length;
        if (written.length) changedBrands.add(due.brand_id);
      }
      await CatalogProductStore.clearSaleChanges(manager, due.brand_id, due.feed_id, due.offer_ids, now);
    }
    // Creatives show the sale price: those of the changed products are pruned (ads handles CATALOG_CHANGED).
    for (const brandId of changedBrands) await this.storage.announceCatalogChange(brandId, manager);
    return counts;
  }
}
