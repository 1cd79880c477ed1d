import { defineJob } from '@brandshelf/queue';

/** Queues incremental syncs for stores whose next sync is due. Sent every minute. */
export const SHOPIFY_SYNC_TICK = defineJob<{ at?: string }>('shopify.sync-tick', {
  retryLimit: 0,
  expireInSeconds: 5 * 60,
});
