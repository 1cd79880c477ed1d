import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FeedEntity, IngestionModule, IngestionRunEntity, ITEM_SOURCES, type ItemSource } from '@brandshelf/ingestion';
import { ShopifyClients } from './shopify-clients.js';
import { ShopifyItemSource } from './shopify.item-source.js';
import { ShopifyScheduler } from './shopify.scheduler.js';
import { SHOPIFY_SETTINGS, loadShopifySettings } from './shopify.settings.js';
import { ShopifyStoreEntity } from './shopify-store.entity.js';
import { ShopifyStoresService } from './shopify-stores.service.js';
import { ShopifyStoreStore } from './shopify-store.store.js';
import { ShopifySyncCursorStore } from './shopify-sync-cursor.store.js';
import { ShopifyWebhookDeliveryStore } from './shopify-webhook-delivery.store.js';
import { ShopifyWebhooksService } from './shopify-webhooks.service.js';

/**
 * Shopify stores as a feed source. Global so that the ingestion pipeline finds the item source under
 * ITEM_SOURCES without ingestion depending on this lib.
 */
@Global()
@Module({
  imports: [IngestionModule, TypeOrmModule.forFeature([ShopifyStoreEntity, FeedEntity, IngestionRunEntity])],
  providers: [
    { provide: SHOPIFY_SETTINGS, useFactory: () => loadShopifySettings(process.env) },
    ShopifyClients,
    ShopifyStoreStore,
    ShopifySyncCursorStore,
    ShopifyWebhookDeliveryStore,
    ShopifyStoresService,
    ShopifyItemSource,
    ShopifyWebhooksService,
    ShopifyScheduler,
    { provide: ITEM_SOURCES, useFactory: (shopify: ItemSource) => [shopify], inject: [ShopifyItemSource] },
  ],
  exports: [ITEM_SOURCES, SHOPIFY_SETTINGS, ShopifyStoresService, ShopifyWebhooksService, ShopifyScheduler],
})
export class ShopifyModule {}
