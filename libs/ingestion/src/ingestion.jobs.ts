import { defineJob } from '@brandshelf/queue';

/** Reads, validates and stages one run. Restartable: a retry starts the run over cleanly. */
export const INGEST_RUN = defineJob<{ runId: string; brandId: string }>('ingestion.run', {
  retryLimit: 2,
  retryDelaySeconds: 5,
  expireInSeconds: 2 * 60 * 60,
});

/** Creates runs for URL feeds whose schedule is due. Sent every minute. */
export const FEED_SCHEDULE_TICK = defineJob<{ at?: string }>('ingestion.schedule-tick', {
  retryLimit: 0,
  expireInSeconds: 5 * 60,
});
