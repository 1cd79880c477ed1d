export * from './brand-storage.service.js';
export * from './catalog-version.entity.js';
export * from './feed.entity.js';
export * from './feed.store.js';
export * from './feed.scheduler.js';
export * from './feeds.service.js';
export * from './images/image.jobs.js';
export * from './images/run-images.service.js';
export * from './ingestion-run.entity.js';
export * from './ingestion-run.store.js';
export * from './ingestion.jobs.js';
export * from './ingestion.module.js';
export * from './ingestion.pipeline.js';
export * from './run-source.service.js';
export * from './runs.service.js';
export * from './schedule.parser.js';

import { CatalogVersionEntity } from './catalog-version.entity.js';
import { FeedEntity } from './feed.entity.js';
import { IngestionRunEntity } from './ingestion-run.entity.js';
import { IMAGE_FETCH } from './images/image.jobs.js';
import { FEED_SCHEDULE_TICK, INGEST_RUN, RUN_STAGED } from './ingestion.jobs.js';

export const INGESTION_ENTITIES = [FeedEntity, IngestionRunEntity, CatalogVersionEntity];
export const INGESTION_JOBS = [INGEST_RUN, FEED_SCHEDULE_TICK, RUN_STAGED, IMAGE_FETCH];
export * from './item-source.js';
export { readThreadStats, type ReadThreadReport } from './read-thread.js';
