import { defineJob } from '@brandshelf/queue';

/** Fetches and processes a batch of a run's images. Idempotent: a retried batch redoes only what is pending. */
export const IMAGE_FETCH = defineJob<{ runId: string; brandId: string; imageIds: string[] }>('images.fetch', {
  retryLimit: 3,
  retryDelaySeconds: 10,
  expireInSeconds: 15 * 60,
});

/** Images per job: small enough to spread over workers, large enough that queue overhead stays small. */
export const IMAGE_BATCH_SIZE = 8;
