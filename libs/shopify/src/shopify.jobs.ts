import { defineJob } from '@brandshelf/queue';

/**
 * Queues incremental syncs for stores whose next sync is due and prunes old webhook records. A pg-boss schedule
 * sends it every minute, once for the cluster (also with SHOPIFY_SYNC_INTERVAL_MINUTES=0: a webhook that came
 * during a running sync makes its store due).
 */
export const SHOPIFY_SYNC_TICK = defineJob<object>('shopify.sync-tick', {
  retryLimit: 0,
  expireInSeconds: 5 * 60,
  cron: '* * * * *',
});
