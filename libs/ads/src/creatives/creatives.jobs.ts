import { defineJob } from '@brandshelf/queue';

/**
 * Prunes the brands whose stale creatives are past CREATIVE_PRUNE_GRACE_HOURS (a publish marks them; this finishes
 * them when no publish follows). A pg-boss schedule sends it every 10 minutes, once for the cluster.
 */
export const CREATIVES_SWEEP = defineJob<object>('ads.creatives-sweep', {
  retryLimit: 0,
  expireInSeconds: 15 * 60,
  cron: '*/10 * * * *',
});
