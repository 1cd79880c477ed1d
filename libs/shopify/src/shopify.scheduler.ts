import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemBrandContext } from '@brandshelf/core';
import { INGEST_RUN, IngestionRunStore } from '@brandshelf/ingestion';
import { JobHandler, QueueService } from '@brandshelf/queue';
import { SHOPIFY_SYNC_TICK } from './shopify.jobs.js';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import { ShopifyWebhooksService } from './shopify-webhooks.service.js';
import { ShopifyStoreStore } from './shopify-store.store.js';
import { SystemPath } from '@brandshelf/db';

/**
 * Every connected store gets an incremental sync every SHOPIFY_SYNC_INTERVAL_MINUTES. The tick job (a pg-boss
 * schedule, every minute) claims due stores with SKIP LOCKED (ticks that overlap never take a store twice) and
 * queues one run per store, unless the store's feed already has a run queued or running. Tests call tick() or
 * runDueStores() directly.
 */
@Injectable()
export class ShopifyScheduler {
  private readonly logger = new Logger('ShopifyScheduler');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(IngestionRunStore) private readonly store: IngestionRunStore,
    @Inject(ShopifyWebhooksService) private readonly webhooks: ShopifyWebhooksService,
    @Inject(SHOPIFY_SETTINGS) private readonly settings: ShopifySettings,
    @Inject(ShopifyStoreStore) private readonly stores: ShopifyStoreStore,
  ) {}

  @JobHandler(SHOPIFY_SYNC_TICK)
  async tick(): Promise<number> {
    await this.webhooks.systemPruneDeliveries();
    return this.runDueStores(new Date());
  }

  /**
   * Queues a sync for every store due at `now` and moves its next sync on by the interval. A store whose feed
   * still has a run queued or running stays due, so its sync starts at the first tick after that run ends
   * (never two runs of one feed; a webhook that came during a running sync relies on this).
   */
  @SystemPath('shopify.due-stores')
  async runDueStores(now: Date): Promise<number> {
    const interval = this.settings.syncIntervalMinutes;
    const queued = await this.db.transaction(async (manager) => {
      const due = await this.stores.systemClaimDue(manager, now);
      let count = 0;
      for (const store of due) {
        const ctx = systemBrandContext(store.brand_id, 'shopify-schedule');
        const started = await this.store.startIfIdle(
          ctx,
          store.feed_id,
          { trigger: 'SCHEDULE', sourceName: store.shop_domain },
          manager,
        );
        if (!started.created) continue;
        await this.queue.send(INGEST_RUN, { runId: started.created.id, brandId: store.brand_id }, { db: manager });
        await this.stores.advanceSchedule(manager, store.brand_id, store.id, now, interval);
        count++;
      }
      return count;
    });
    if (queued) this.logger.log({ msg: 'scheduled Shopify syncs queued', count: queued });
    return queued;
  }
}
