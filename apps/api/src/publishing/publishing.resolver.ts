import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PublishService, type PublicationEntity } from '@brandshelf/catalog';
import type { BrandContext } from '@brandshelf/core';
import type { CatalogVersionEntity, FeedEntity, IngestionRunEntity } from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { pageRequest } from '../graphql/page-size.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import { Feed, IngestionRun } from '../ingestion/ingestion.types.js';
import {
  CatalogVersion,
  Publication,
  CatalogVersionConnection,
  PublicationConnection,
  PublishRunInput,
  PublishRunPayload,
  PublishStatus,
  RollbackFeedInput,
  RollbackFeedPayload,
} from './publishing.types.js';

@Auth('brand')
@Resolver()
export class PublishingResolver {
  constructor(@Inject(PublishService) private readonly publisher: PublishService) {}

  @Mutation(() => PublishRunPayload, {
    description: 'Makes the catalog version a successful run staged live, atomically, and returns the diff.',
  })
  publishRun(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The run to publish.' }) input: PublishRunInput,
  ): Promise<Payload<PublishRunPayload>> {
    return mutationPayload(async () => ({
      publication: await this.publisher.publishRun(ctx, fromGlobalId(input.runId, 'IngestionRun', 'runId')),
    }));
  }

  @Mutation(() => RollbackFeedPayload, {
    description: 'Makes an earlier version of the feed live again, images included.',
  })
  rollbackFeed(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The feed and the version to make live.' }) input: RollbackFeedInput,
  ): Promise<Payload<RollbackFeedPayload>> {
    return mutationPayload(async () => ({
      publication: await this.publisher.rollbackFeed(
        ctx,
        fromGlobalId(input.feedId, 'Feed', 'feedId'),
        input.toVersion,
      ),
    }));
  }
}

@Auth('brand')
@Resolver(() => Feed)
export class FeedPublishingResolver {
  constructor(
    @Inject(PublishService) private readonly publisher: PublishService,
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
  ) {}

  @ResolveField(() => CatalogVersionConnection, {
    description: 'Kept versions, newest first, a page at a time.',
    complexity: cost.connection(),
  })
  async versions(
    @Ctx() ctx: BrandContext,
    @Parent() feed: FeedEntity,
    @Args() page: ConnectionArgs,
  ): Promise<CatalogVersionConnection> {
    const versions = await this.publisher.pageVersions(ctx, feed.id, pageRequest(page));
    return toConnection(versions, (v): CatalogVersion => ({ ...v, isLive: v.id === feed.liveVersionId }));
  }

  @ResolveField(() => PublicationConnection, {
    description: 'Publishes and rollbacks, newest first, a page at a time.',
    complexity: cost.connection(),
  })
  async publications(
    @Ctx() ctx: BrandContext,
    @Parent() feed: FeedEntity,
    @Args() page: ConnectionArgs,
  ): Promise<PublicationConnection> {
    return toConnection(await this.publisher.pagePublications(ctx, feed.id, pageRequest(page)));
  }

  @ResolveField(() => ID, {
    nullable: true,
    description: 'Global id of the catalog version currently live for this feed; null until its first publish.',
    deprecationReason: 'Use liveVersion { id }.',
  })
  liveVersionId(@Parent() feed: FeedEntity): string | null {
    return feed.liveVersionId && toGlobalId('CatalogVersion', feed.liveVersionId);
  }

  @ResolveField(() => CatalogVersion, {
    nullable: true,
    description: 'The catalog version currently live for this feed; null until its first publish.',
    complexity: STATEMENT,
  })
  liveVersion(@Context() caller: CallerContext, @Parent() feed: FeedEntity): Promise<CatalogVersion | null> {
    if (!feed.liveVersionId) return Promise.resolve(null);
    return this.loaders
      .of(caller, caller.context)
      .version.load(feed.liveVersionId)
      .then((v) => v && { ...v, isLive: true });
  }
}

@Auth('brand')
@Resolver(() => IngestionRun)
export class RunPublishingResolver {
  @ResolveField(() => PublishStatus, { description: "Whether this run's version has been published." })
  publishStatus(@Parent() run: IngestionRunEntity): string {
    return run.publishStatus;
  }

  @ResolveField(() => String, { nullable: true, description: 'Why auto-publish is waiting for a person.' })
  publishBlockedReason(@Parent() run: IngestionRunEntity): string | null {
    return run.publishBlockedReason;
  }

  @ResolveField(() => Date, {
    nullable: true,
    description: 'When publishRun or auto-publish made this run live; null until then.',
  })
  publishedAt(@Parent() run: IngestionRunEntity): Date | null {
    return run.publishedAt;
  }
}

/** Publication's edges: the feed, versions and run it names, batched across a page of publications. */
@Auth('brand')
@Resolver(() => Publication)
export class PublicationEdgesResolver {
  constructor(@Inject(RequestLoaders) private readonly loaders: RequestLoaders) {}

  @ResolveField(() => Feed, { description: 'The feed published.', complexity: STATEMENT })
  feed(@Context() caller: CallerContext, @Parent() publication: PublicationEntity): Promise<FeedEntity | null> {
    return this.loaders.of(caller, caller.context).feed.load(publication.feedId);
  }

  @ResolveField(() => CatalogVersion, {
    nullable: true,
    description: 'The catalog version it made live; null once that version is no longer kept.',
    complexity: STATEMENT,
  })
  version(
    @Context() caller: CallerContext,
    @Parent() publication: PublicationEntity,
  ): Promise<CatalogVersionEntity | null> {
    return this.loaders.of(caller, caller.context).version.load(publication.versionId);
  }

  @ResolveField(() => CatalogVersion, {
    nullable: true,
    description: 'The version live before it; null for the first publish (or when that version is no longer kept).',
    complexity: STATEMENT,
  })
  previousVersion(
    @Context() caller: CallerContext,
    @Parent() publication: PublicationEntity,
  ): Promise<CatalogVersionEntity | null> {
    if (!publication.previousVersionId) return Promise.resolve(null);
    return this.loaders.of(caller, caller.context).version.load(publication.previousVersionId);
  }

  @ResolveField(() => IngestionRun, {
    nullable: true,
    description: 'The run that staged the version made live; null when that run is no longer kept.',
    complexity: STATEMENT,
  })
  run(@Context() caller: CallerContext, @Parent() publication: PublicationEntity): Promise<IngestionRunEntity | null> {
    if (!publication.runId) return Promise.resolve(null);
    return this.loaders.of(caller, caller.context).run.load(publication.runId);
  }
}

/** CatalogVersion's edges and whether it is live, batched across a page of versions. */
@Auth('brand')
@Resolver(() => CatalogVersion)
export class CatalogVersionEdgesResolver {
  constructor(@Inject(RequestLoaders) private readonly loaders: RequestLoaders) {}

  @ResolveField(() => Boolean, { description: 'Whether it is the version live now.' })
  async isLive(@Context() caller: CallerContext, @Parent() version: CatalogVersion): Promise<boolean> {
    if (version.isLive !== undefined) return version.isLive;
    const feed = await this.loaders.of(caller, caller.context).feed.load(version.feedId);
    return feed?.liveVersionId === version.id;
  }

  @ResolveField(() => Feed, { description: 'The feed whose catalog it is.', complexity: STATEMENT })
  feed(@Context() caller: CallerContext, @Parent() version: CatalogVersion): Promise<FeedEntity | null> {
    return this.loaders.of(caller, caller.context).feed.load(version.feedId);
  }

  @ResolveField(() => IngestionRun, {
    nullable: true,
    description: 'The run that staged it; null when that run is no longer kept.',
    complexity: STATEMENT,
  })
  run(@Context() caller: CallerContext, @Parent() version: CatalogVersion): Promise<IngestionRunEntity | null> {
    return this.loaders.of(caller, caller.context).run.load(version.runId);
  }
}
