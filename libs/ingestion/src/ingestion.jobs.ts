import { defineJob } from '@brandshelf/queue';

/** Reads, validates and stages one run. Restartable: a retry starts the run over cleanly. */
export const INGEST_RUN = defineJob<{ runId: string; brandId: string }>('ingestion.run', {
  retryLimit: 2,
  retryDelaySeconds: 5,
  expireInSeconds: 2 * 60 * 60,
});

/**
 * Creates runs for URL feeds whose schedule is due, queues stalled runs again and sweeps expired sources. A
 * pg-boss schedule sends it every minute (feed schedules are in minutes), once for the cluster.
 */
export const FEED_SCHEDULE_TICK = defineJob<object>('ingestion.schedule-tick', {
  retryLimit: 0,
  expireInSeconds: 5 * 60,
  cron: '* * * * *',
});

/**
 * A run finished staging a new version. The catalog lib handles it (auto-publish within the feed's
 * safety limits); ingestion only announces it, so it does not depend on publishing.
 */
export const RUN_STAGED = defineJob<{ runId: string; brandId: string }>('catalog.run-staged', {
  retryLimit: 3,
  expireInSeconds: 30 * 60,
});

/**
 * A brand's live catalog changed (a publish or rollback committed, or a feed was deleted): what other libraries keep
 * derived from it may be stale. Sent in the change's own transaction; ads prunes the brand's stale creatives
 * (libs/ads/src/creatives/creative-pruner.ts). Ingestion only announces it, so it does not depend on ads.
 */
export const CATALOG_CHANGED = defineJob<{ brandId: string }>('catalog.changed', {
  retryLimit: 3,
  retryDelaySeconds: 30,
  expireInSeconds: 30 * 60,
});
