import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@brandshelf/core';
import { SystemPath } from '@brandshelf/db';
import { BrandStorageService, type LiveSaleWindows } from '@brandshelf/ingestion';
import { CatalogProductStore } from './catalog-product.store.js';

/**
 * Sales whose price and window come from different feeds (publish.sql.ts SALE) change when their window starts or
 * ends with no file changing, so the scheduler's tick (FeedScheduler.runSaleWindows) has them judged again here: each
 * due product is written again from its feed's live version and the live supplemental data, judged at the tick, and
 * keeps its next boundary. One transaction claims the products (SKIP LOCKED, so overlapping ticks never take one
 * twice) and clears what it acted on. It takes each feed's row lock as a publish does; a feed being published is left
 * to the next tick (its publish judges the products too).
 */
@Injectable()
export class OverlaidSaleWindows implements LiveSaleWindows {
  private readonly logger = new Logger('OverlaidSaleWindows');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
  ) {}

  @SystemPath('catalog.overlaid-sale-windows')
  async applyDue(now: Date): Promise<number> {
    const rewritten = await this.db.transaction(async (manager) => {
      const changedBrands = new Set<string>();
      let count = 0;
      for (const due of await CatalogProductStore.systemClaimSaleChanges(manager, now)) {
        const [feed]: { live_version_id: string | null }[] = await manager.query(
          'SELECT live_version_id FROM feed WHERE id = $1 AND brand_id = $2 FOR UPDATE SKIP LOCKED',
          [due.feed_id, due.brand_id],
        );
        if (!feed) continue;
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
          count += written.length;
          if (written.length) changedBrands.add(due.brand_id);
        }
        await CatalogProductStore.clearSaleChanges(manager, due.brand_id, due.feed_id, due.offer_ids, now);
      }
      // Creatives show the sale price: those of the changed products are pruned (ads handles CATALOG_CHANGED).
      for (const brandId of changedBrands) await this.storage.announceCatalogChange(brandId, manager);
      return count;
    });
    if (rewritten) this.logger.log({ msg: 'overlaid sales judged again', products: rewritten, at: now });
    return rewritten;
  }
}
