import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { BrandContext } from '@brandshelf/core';
import type { FeedEntity } from '@brandshelf/ingestion';
import { ShopifyStoresService, type ShopifyStoreEntity } from '@brandshelf/shopify';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId } from '../graphql/global-id.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { Feed } from '../ingestion/ingestion.types.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import {
  ConnectShopifyStoreInput,
  ConnectShopifyStorePayload,
  ShopifyStore,
  ShopifyStoreConnection,
  SyncShopifyStoreInput,
  SyncShopifyStorePayload,
} from './shopify.types.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { pageRequest } from '../graphql/page-size.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';

@Auth('brand')
@Resolver(() => ShopifyStore)
export class ShopifyResolver {
  constructor(
    @Inject(ShopifyStoresService) private readonly stores: ShopifyStoresService,
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
  ) {}

  @Query(() => ShopifyStoreConnection, {
    description: "The brand's connected Shopify stores, oldest first, a page at a time.",
    complexity: cost.connection(),
  })
  async shopifyStores(@Ctx() ctx: BrandContext, @Args() page: ConnectionArgs): Promise<ShopifyStoreConnection> {
    return toConnection(await this.stores.page(ctx, pageRequest(page)));
  }

  @Mutation(() => ConnectShopifyStorePayload, {
    description: 'Checks the access token with the store and creates the SHOPIFY feed it syncs into.',
  })
  connectShopifyStore(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: "The shop domain and the custom app's token and secret." })
    input: ConnectShopifyStoreInput,
  ): Promise<Payload<ConnectShopifyStorePayload>> {
    return mutationPayload(async () => ({ shopifyStore: await this.stores.connect(ctx, input) }));
  }

  @Mutation(() => SyncShopifyStorePayload, {
    description: 'Syncs the store now: what changed since the last sync, or every product with full: true.',
  })
  syncShopifyStore(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The store to sync and whether to read every product.' })
    input: SyncShopifyStoreInput,
  ): Promise<Payload<SyncShopifyStorePayload>> {
    return mutationPayload(async () => ({
      run: await this.stores.sync(ctx, fromGlobalId(input.feedId, 'Feed', 'feedId'), input.full ?? false),
    }));
  }

  @ResolveField(() => Feed, {
    description: 'The SHOPIFY feed the store syncs into; deleting the feed disconnects the store.',
    complexity: STATEMENT,
  })
  feed(@Context() caller: CallerContext, @Parent() store: ShopifyStoreEntity): Promise<FeedEntity | null> {
    return this.loaders.of(caller, caller.context).feed.load(store.feedId);
  }
}
