import { ACCOUNTS_ENTITIES } from '@brandshelf/accounts';
import { CATALOG_ENTITIES } from '@brandshelf/catalog';
import { INGESTION_ENTITIES, INGESTION_JOBS } from '@brandshelf/ingestion';
import type { JobDefinition } from '@brandshelf/queue';
import { SHOPIFY_ENTITIES, SHOPIFY_JOBS } from '@brandshelf/shopify';

/** Every entity and job of the product, in one place for the api, worker and cli processes. */
export const ENTITIES = [...ACCOUNTS_ENTITIES, ...INGESTION_ENTITIES, ...CATALOG_ENTITIES, ...SHOPIFY_ENTITIES];

export const JOB_DEFINITIONS: JobDefinition<object>[] = [...INGESTION_JOBS, ...SHOPIFY_JOBS];
