import { ACCOUNTS_ENTITIES, AccountsModule } from '@brandshelf/accounts';
import { ADS_ENTITIES, ADS_JOBS, AdsModule } from '@brandshelf/ads';
import { CATALOG_ENTITIES, CatalogModule } from '@brandshelf/catalog';
import { EARNINGS_JOBS, EarningsModule } from '@brandshelf/earnings';
import { INGESTION_ENTITIES, INGESTION_JOBS, IngestionModule } from '@brandshelf/ingestion';
import type { JobDefinition } from '@brandshelf/queue';
import { SHOPIFY_ENTITIES, SHOPIFY_JOBS, ShopifyModule } from '@brandshelf/shopify';

/** Every entity and job of the product, in one place for the api, worker and cli processes. */
export const ENTITIES = [
  ...ACCOUNTS_ENTITIES,
  ...INGESTION_ENTITIES,
  ...CATALOG_ENTITIES,
  ...SHOPIFY_ENTITIES,
  ...ADS_ENTITIES,
];

export const JOB_DEFINITIONS: JobDefinition<object>[] = [
  ...INGESTION_JOBS,
  ...SHOPIFY_JOBS,
  ...EARNINGS_JOBS,
  ...ADS_JOBS,
];

/**
 * The domain modules every process loads: they hold the handlers of the jobs above, so a process that
 * has the job list has its handlers too (the queue checks one handler per job at startup).
 */
export const DOMAIN_MODULES = [
  AccountsModule,
  IngestionModule,
  CatalogModule,
  ShopifyModule,
  AdsModule,
  EarningsModule,
];
