import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  SHOPIFY_ID_STRATEGIES,
  type ShopifyIdStrategy as StrategyValue,
  type ShopifyStoreEntity,
} from '@brandshelf/shopify';
import { enumOf } from '../graphql/enum-of.js';
import type { IngestionRunEntity } from '@brandshelf/ingestion';
import { GlobalIdField, Node } from '../graphql/node.js';
import { connectionType } from '../graphql/connection.js';
import { MutationPayload } from '../graphql/user-error.js';
import { IngestionRun } from '../ingestion/ingestion.types.js';

export const ShopifyIdStrategy = enumOf(SHOPIFY_ID_STRATEGIES);
export type ShopifyIdStrategy = StrategyValue;
registerEnumType(ShopifyIdStrategy, {
  name: 'ShopifyIdStrategy',
  description: "What a variant's item id (the product's offerId) is.",
  valuesMap: {
    VARIANT_ID: { description: 'The Shopify variant id: stable whatever the shop does with SKUs.' },
    SKU: { description: "The variant's SKU, or its variant id when it has none." },
  },
});

@InputType({ description: "A Shopify store to connect, with its custom app's credentials." })
export class ConnectShopifyStoreInput {
  @Field({ description: "The store's myshopify.com domain, e.g. acme.myshopify.com." })
  shopDomain: string;
  @Field({
    description:
      "Admin API access token of the store's custom app (read_products, read_inventory). Stored encrypted; never returned.",
  })
  accessToken: string;
  @Field({ description: "The app's API secret key, which signs its webhooks. Stored encrypted; never returned." })
  webhookSecret: string;
  @Field(() => ShopifyIdStrategy, {
    defaultValue: ShopifyIdStrategy.VARIANT_ID,
    description: "What becomes each variant's item id.",
  })
  idStrategy: ShopifyIdStrategy;
  @Field(() => String, {
    nullable: true,
    description: 'Name of the feed the store syncs into (default "Shopify: <shop name>").',
  })
  feedName?: string | null;
}

@ObjectType({
  description: 'A connected Shopify store. Its access token and webhook secret are never returned.',
  implements: () => [Node],
})
export class ShopifyStore {
  @GlobalIdField('ShopifyStore', { description: 'Global id of the connection.' }) id: string;
  @Field({ description: "The store's myshopify.com domain." }) shopDomain: string;
  @GlobalIdField('Feed', {
    description: 'Global id of the SHOPIFY feed the store syncs into; deleting the feed disconnects the store.',
    deprecationReason: 'Use feed { id }.',
  })
  feedId: string;
  @Field({ description: 'Admin API version the store is read with.' }) apiVersion: string;
  @Field(() => ShopifyIdStrategy, { description: "What becomes each variant's item id." })
  idStrategy: ShopifyIdStrategy;
  @Field(() => Date, { nullable: true, description: 'Store time at the start of the last successful sync.' })
  lastSyncedAt: Date | null;
  @Field({ description: 'When the store was connected.' }) createdAt: Date;
}

export const ShopifyStoreConnection = connectionType(ShopifyStore, 'ShopifyStore', {
  one: 'A store',
  many: 'stores',
  description: "A page of the brand's connected Shopify stores, oldest first.",
});
export type ShopifyStoreConnection = InstanceType<typeof ShopifyStoreConnection>;

@ObjectType({ description: 'The store connectShopifyStore connected.' })
export class ConnectShopifyStorePayload extends MutationPayload {
  @Field(() => ShopifyStore, {
    nullable: true,
    description: 'The store and its new SHOPIFY feed; null when userErrors is not empty (then nothing was created).',
  })
  shopifyStore: ShopifyStoreEntity | null;
}

@InputType({ description: 'Which store syncShopifyStore syncs, and how much.' })
export class SyncShopifyStoreInput {
  @Field(() => ID, { description: 'The SHOPIFY feed of the store (ShopifyStore.feedId).' }) feedId: string;
  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Read every active product instead of the changes since the last sync.',
  })
  full: boolean;
}

@ObjectType({ description: 'The run syncShopifyStore started.' })
export class SyncShopifyStorePayload extends MutationPayload {
  @Field(() => IngestionRun, {
    nullable: true,
    description:
      'The QUEUED sync run; null when userErrors is not empty (e.g. RUN_ALREADY_ACTIVE: the feed has a run ' +
      'queued or running).',
  })
  run: IngestionRunEntity | null;
}
