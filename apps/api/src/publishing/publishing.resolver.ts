import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PublishService } from '@brandshelf/catalog';
import type { BrandContext } from '@brandshelf/core';
import type { FeedEntity, IngestionRunEntity } from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { pageRequest } from '../graphql/page-size.js';
import { cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import { Feed, IngestionRun } from '../ingestion/ingestion.types.js';
import {
  CatalogVersion,
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
    return mutationPayload(async () => ({ publication: await this.publisher.publishRun(ctx, input.runId) }));
  }

  @Mutation(() => RollbackFeedPayload, {
    description: 'Makes an earlier version of the feed live again, images included.',
  })
  rollbackFeed(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The feed and the version to make live.' }) input: RollbackFeedInput,
  ): Promise<Payload<RollbackFeedPayload>> {
    return mutationPayload(async () => ({
      publication: await this.publisher.rollbackFeed(ctx, input.feedId, input.toVersion),
    }));
  }
}

@Auth('brand')
@Resolver(() => Feed)
export class FeedPublishingResolver {
  constructor(@Inject(PublishService) private readonly publisher: PublishService) {}

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
    description: 'The catalog version currently live for this feed; null until its first publish.',
  })
  liveVersionId(@Parent() feed: FeedEntity): string | null {
    return feed.liveVersionId;
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
