export * from './admin-api.client.js';
export * from './admin-api.queries.js';
export * from './admin-api.transport.js';
export * from './product.mapper.js';
export * from './shop-domain.js';
export * from './shopify-catalog.reader.js';
export * from './shopify-clients.js';
export * from './shopify-store.entity.js';
export * from './shopify-store.store.js';
export * from './shopify-sync-cursor.store.js';
export * from './shopify-webhook-delivery.store.js';
export * from './shopify-stores.service.js';
export * from './shopify-webhooks.service.js';
export * from './shopify.item-source.js';
export * from './shopify.jobs.js';
export * from './shopify.module.js';
export * from './shopify.scheduler.js';
export * from './shopify.settings.js';

import { ShopifyStoreEntity } from './shopify-store.entity.js';
import { SHOPIFY_SYNC_TICK } from './shopify.jobs.js';

export const SHOPIFY_ENTITIES = [ShopifyStoreEntity];
export const SHOPIFY_JOBS = [SHOPIFY_SYNC_TICK];
