import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig, type BrandContext } from '@brandshelf/core';
import {
  RunsService,
  type CatalogVersionEntity,
  type FeedEntity,
  type IngestionRunEntity,
} from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { ISSUES_PAGE, pageRequest } from '../graphql/page-size.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import { CatalogVersion } from '../publishing/publishing.types.js';
import {
  CancelRunInput,
  CancelRunPayload,
  ColumnMapping,
  Feed,
  IngestionRun,
  IssueFilterInput,
  IssueSummary,
  RunDiff,
  RunError,
  RunIssueConnection,
} from './ingestion.types.js';

@Auth('brand')
@Resolver(() => IngestionRun)
export class RunsResolver {
  private readonly imagesEnabled: boolean;

  constructor(
    @Inject(RunsService) private readonly runs: RunsService,
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.imagesEnabled = config.images.enabled;
  }

  @Query(() => IngestionRun, { description: "One of the brand's runs; NOT_FOUND otherwise.", complexity: STATEMENT })
  ingestionRun(
    @Ctx() ctx: BrandContext,
    @Args('id', {
      type: () => ID,
      description: "IngestionRun.id of one of the brand's runs; any other id is NOT_FOUND.",
    })
    id: string,
  ): Promise<IngestionRunEntity> {
    return this.runs.get(ctx, fromGlobalId(id, 'IngestionRun', 'id'));
  }

  @Mutation(() => CancelRunPayload, { description: 'Cancels a queued or running run; the live catalog is untouched.' })
  cancelRun(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The run to cancel.' }) input: CancelRunInput,
  ): Promise<Payload<CancelRunPayload>> {
    return mutationPayload(async () => ({
      run: await this.runs.cancel(ctx, fromGlobalId(input.runId, 'IngestionRun', 'runId')),
    }));
  }

  @Subscription(() => IngestionRun, {
    description:
      'The run as it progresses (at least once a second while it runs), ending when it finishes; ' +
      'an auto-published run ends after its publish, so the last message carries publishStatus.',
    resolve: (run: IngestionRunEntity) => run,
  })
  ingestionRunProgress(
    @Ctx() ctx: BrandContext,
    @Args('runId', { type: () => ID, description: "IngestionRun.id of one of the brand's runs." }) runId: string,
  ) {
    return this.runs.watch(ctx, fromGlobalId(runId, 'IngestionRun', 'runId'));
  }

  // Batched: the runs of a page load their feeds in one query.
  @ResolveField(() => Feed, { description: 'The feed this run ingests into.', complexity: STATEMENT })
  feed(@Context() caller: CallerContext, @Parent() run: IngestionRunEntity): Promise<FeedEntity | null> {
    return this.loaders.of(caller, caller.context).feed.load(run.feedId);
  }

  @ResolveField(() => CatalogVersion, {
    nullable: true,
    description:
      'The catalog version this run staged (or found unchanged); null until then, and for validateOnly runs.',
    complexity: STATEMENT,
  })
  version(@Context() caller: CallerContext, @Parent() run: IngestionRunEntity): Promise<CatalogVersionEntity | null> {
    if (!run.versionId) return Promise.resolve(null);
    return this.loaders.of(caller, caller.context).version.load(run.versionId);
  }

  @ResolveField(() => RunDiff, { nullable: true, description: 'Set once the run has compared its items.' })
  diff(@Parent() run: IngestionRunEntity): RunDiff | null {
    if (run.itemsCreated === null) return null;
    return {
      created: run.itemsCreated,
      updated: run.itemsUpdated ?? 0,
      unchanged: run.itemsUnchanged ?? 0,
      removed: run.itemsRemoved ?? 0,
    };
  }

  @ResolveField(() => RunError, { nullable: true, description: 'Why a FAILED run failed.' })
  error(@Parent() run: IngestionRunEntity): RunError | null {
    return run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? '', hint: run.errorHint ?? '' } : null;
  }

  @ResolveField(() => [IssueSummary], {
    description: 'Issues counted by code and attribute, errors first.',
    // Kept on the run row, one entry per code and attribute: one read, whatever is selected.
    complexity: cost.aggregate(STATEMENT),
  })
  issueSummary(@Parent() run: IngestionRunEntity): IssueSummary[] {
    return run.issueSummary as IssueSummary[];
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether the counters include image checks. False for validateOnly runs (images are not fetched, not even ' +
      'checked for reachability), while images are still being processed, and with IMAGES_ENABLED off. While false, ' +
      'itemsAccepted and diff.created/updated/unchanged may fall (and itemsRejected and errors rise) once images are ' +
      'fetched, because an item whose main image cannot be fetched or processed is rejected.',
  })
  imagesChecked(@Parent() run: IngestionRunEntity): boolean {
    return this.imagesEnabled && !run.validateOnly && run.status === 'SUCCEEDED';
  }

  @ResolveField(() => [ColumnMapping], { description: 'How each column or element of the file was understood.' })
  columns(@Parent() run: IngestionRunEntity): ColumnMapping[] {
    return (run.columns ?? []).map((c) => ({ column: c.header, attribute: c.attribute }));
  }

  @ResolveField(() => Number, { nullable: true, description: 'Share of the file read, 0 to 1.' })
  progress(@Parent() run: IngestionRunEntity): number | null {
    if (run.status === 'SUCCEEDED') return 1;
    return run.bytesTotal ? Math.min(1, run.bytesRead / run.bytesTotal) : null;
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Milliseconds from startedAt to finishedAt, or to now while it runs; null until started.',
  })
  durationMs(@Parent() run: IngestionRunEntity): number | null {
    if (!run.startedAt) return null;
    return (run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime();
  }

  // From PUBLIC_BASE_URL, as media URLs are, never from request headers: behind a proxy (TRUST_PROXY) the Host
  // and X-Forwarded-* a client sends cannot steer a URL the API hands out, and subscriptions have no request.
  @ResolveField(() => String, {
    description:
      'Absolute URL (PUBLIC_BASE_URL + /runs/<id>/issues.csv, <id> the global id) of every stored issue as CSV; ' +
      'GET it with the same API key.',
  })
  issuesCsvUrl(@Parent() run: IngestionRunEntity): string {
    return `${this.config.publicBaseUrl}/runs/${toGlobalId('IngestionRun', run.id)}/issues.csv`;
  }

  // A page and its count: two statements, plus what each row selects.
  @ResolveField(() => RunIssueConnection, {
    description: 'The stored issues, filtered, by row then in the order found, a page at a time.',
    complexity: cost.connection(ISSUES_PAGE, 3 * STATEMENT),
  })
  async issues(
    @Ctx() ctx: BrandContext,
    @Parent() run: IngestionRunEntity,
    @Args('filter', { type: () => IssueFilterInput, nullable: true, description: 'Only issues that match.' })
    filter: IssueFilterInput | null,
    @Args('first', {
      type: () => Int,
      defaultValue: ISSUES_PAGE.defaultSize,
      description: `Page size, 1 to ${ISSUES_PAGE.maxSize}; larger values are BAD_USER_INPUT.`,
    })
    first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<RunIssueConnection> {
    const request = pageRequest({ first, after }, ISSUES_PAGE);
    const page = await this.runs.issues(ctx, run.id, filter ?? {}, { first: request.limit, after });
    const edges = page.issues.map((node) => ({ node, cursor: RunsService.issueCursor(node) }));
    return {
      edges,
      nodes: page.issues,
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    } as RunIssueConnection;
  }
}
