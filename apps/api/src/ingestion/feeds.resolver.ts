import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { BrandContext } from '@brandshelf/core';
import { isDeepStrictEqual } from 'node:util';
import { FeedsService, RunsService, type FeedEntity } from '@brandshelf/ingestion';
import { ShopifyStoresService } from '@brandshelf/shopify';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId } from '../graphql/global-id.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { pageRequest } from '../graphql/page-size.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import {
  ColumnMapping,
  CreateFeedInput,
  CreateFeedPayload,
  DeleteFeedInput,
  DeleteFeedPayload,
  Feed,
  FeedConnection,
  FetchFeedNowInput,
  FetchFeedNowPayload,
  IngestionRunConnection,
  UpdateFeedInput,
  UpdateFeedPayload,
} from './ingestion.types.js';

/** Feed settings that change what a feed's items become (how they are read and validated). */
const ITEM_SETTINGS = [
  'mode',
  'defaultCurrency',
  'language',
  'storeUrl',
  'linkTemplate',
  'columnMapping',
  'xmlItemElement',
  'format',
  'suggestCategories',
  'acceptCategorySuggestionsAbove',
] as const satisfies readonly (keyof FeedEntity)[];

@Auth('brand')
@Resolver(() => Feed)
export class FeedsResolver {
  constructor(
    @Inject(FeedsService) private readonly feedsService: FeedsService,
    @Inject(RunsService) private readonly runsService: RunsService,
    @Inject(ShopifyStoresService) private readonly shopifyStores: ShopifyStoresService,
  ) {}

  @Query(() => FeedConnection, {
    description: "The brand's feeds, oldest first, a page at a time.",
    complexity: cost.connection(),
  })
  async feeds(@Ctx() ctx: BrandContext, @Args() page: ConnectionArgs): Promise<FeedConnection> {
    return toConnection(await this.feedsService.page(ctx, pageRequest(page)));
  }

  @Query(() => Feed, { description: "One of the brand's feeds; NOT_FOUND otherwise.", complexity: STATEMENT })
  feed(
    @Ctx() ctx: BrandContext,
    @Args('id', { type: () => ID, description: "Feed.id of one of the brand's feeds; any other id is NOT_FOUND." })
    id: string,
  ): Promise<FeedEntity> {
    return this.feedsService.get(ctx, fromGlobalId(id, 'Feed', 'id'));
  }

  @Mutation(() => CreateFeedPayload, {
    description: 'Creates an UPLOAD or URL feed; upload files to it or fetch it to start runs.',
  })
  createFeed(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'Its name and settings; only name is required.' }) input: CreateFeedInput,
  ): Promise<Payload<CreateFeedPayload>> {
    return mutationPayload(async () => ({ feed: await this.feedsService.create(ctx, input) }));
  }

  @Mutation(() => UpdateFeedPayload, { description: 'Changes only the fields given.' })
  updateFeed(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The feed and the settings to change; the others stay as they are.' })
    input: UpdateFeedInput,
  ): Promise<Payload<UpdateFeedPayload>> {
    const { feedId, ...changes } = input;
    return mutationPayload(async () => {
      const id = fromGlobalId(feedId, 'Feed', 'feedId');
      const before = await this.feedsService.get(ctx, id);
      const feed = await this.feedsService.update(ctx, id, stripNulls(changes));
      // A Shopify feed's next sync reads only what changed upstream and carries the rest over: after a setting that
      // changes what items become, it reads every product, so all of them get the new setting.
      if (feed.source === 'SHOPIFY' && ITEM_SETTINGS.some((key) => !isDeepStrictEqual(before[key], feed[key]))) {
        await this.shopifyStores.requestFullSyncOfFeed(ctx, feed.id);
      }
      return { feed };
    });
  }

  @Mutation(() => DeleteFeedPayload, { description: 'Deletes the feed with its runs, versions and diagnostics.' })
  deleteFeed(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: "The feed to delete; NOT_FOUND unless it is one of the brand's." })
    input: DeleteFeedInput,
  ): Promise<Payload<DeleteFeedPayload>> {
    return mutationPayload(async () => ({
      deletedFeedId: (await this.feedsService.delete(ctx, fromGlobalId(input.feedId, 'Feed', 'feedId'))).id,
    }));
  }

  @Mutation(() => FetchFeedNowPayload, {
    description: 'Fetches a URL feed now (conditionally: an unchanged file does no work).',
  })
  fetchFeedNow(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The URL feed to fetch.' }) input: FetchFeedNowInput,
  ): Promise<Payload<FetchFeedNowPayload>> {
    return mutationPayload(async () => ({
      run: await this.runsService.startFetch(ctx, fromGlobalId(input.feedId, 'Feed', 'feedId')),
    }));
  }

  @ResolveField(() => Boolean)
  hasBasicAuth(@Parent() feed: FeedEntity): boolean {
    return Boolean(feed.basicAuthUsername && feed.basicAuthPasswordSealed);
  }

  @ResolveField(() => [ColumnMapping])
  columnMapping(@Parent() feed: FeedEntity): ColumnMapping[] {
    return Object.entries(feed.columnMapping ?? {}).map(([column, attribute]) => ({ column, attribute }));
  }

  @ResolveField(() => IngestionRunConnection, {
    description: "The feed's runs, newest first, a page at a time.",
    complexity: cost.connection(),
  })
  async runs(
    @Ctx() ctx: BrandContext,
    @Parent() feed: FeedEntity,
    @Args() page: ConnectionArgs,
  ): Promise<IngestionRunConnection> {
    return toConnection(await this.runsService.pageForFeed(ctx, feed.id, pageRequest(page)));
  }
}

/** In an update, an explicit null for a non-nullable setting means "leave it". */
function stripNulls<T extends object>(input: T): T {
  const out = { ...input } as Record<string, unknown>;
  for (const key of ['name', 'format', 'mode'] as const) if (out[key] === null) delete out[key];
  return out as T;
}
