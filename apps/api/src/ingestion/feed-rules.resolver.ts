import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { BrandContext } from '@brandshelf/core';
import {
  FeedRulesService,
  RunsService,
  type FeedEntity,
  type FeedRuleProblem as Problem,
  type FeedRuleSetRow,
  type IngestionRunEntity,
  type StoredIssue,
} from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId } from '../graphql/global-id.js';
import { ISSUES_PAGE, pageRequest } from '../graphql/page-size.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { CatalogVersion } from '../publishing/publishing.types.js';
import { UserErrorCode, mutationPayload, type Payload } from '../graphql/user-error.js';
import {
  FeedRule,
  FeedRuleAction,
  FeedRuleChange,
  FeedRuleCondition,
  FeedRuleConditionInput,
  FeedRuleExclusionCount,
  FeedRuleInput,
  FeedRuleProblem,
  FeedRuleMapEntry,
  FeedRuleSet,
  FeedRulesPreview,
  FeedRuleTraceConnection,
  SetFeedRulesInput,
  SetFeedRulesPayload,
} from './feed-rules.types.js';
import { Feed, IngestionRun, RunIssue } from './ingestion.types.js';

/** Most items a preview returns in its sample. */
const MAX_PREVIEW_SAMPLE = 100;

@Auth('brand')
@Resolver(() => Feed)
export class FeedRulesResolver {
  constructor(@Inject(FeedRulesService) private readonly rules: FeedRulesService) {}

  @Mutation(() => SetFeedRulesPayload, {
    description:
      "Replaces a feed's rules with a new version, applied from the feed's next run. Invalid rules store nothing and answer a BAD_USER_INPUT userError per problem, its field the path into input.rules and its message starting with the engine's code.",
  })
  async setFeedRules(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The feed and its whole new list of rules.' }) input: SetFeedRulesInput,
  ): Promise<Payload<SetFeedRulesPayload>> {
    let problems: Problem[] = [];
    const payload = await mutationPayload(async () => {
      const feedId = fromGlobalId(input.feedId, 'Feed', 'feedId');
      const result = await this.rules.set(ctx, feedId, input.rules.map(toEngineRule));
      if (!result.ruleSet) {
        problems = result.problems;
        return {};
      }
      return { feedRules: toApiRuleSet(result.ruleSet), feed: await this.rules.feedOf(ctx, feedId) };
    });
    if (problems.length) {
      return {
        userErrors: problems.map((p) => ({
          code: UserErrorCode.BAD_USER_INPUT,
          message: `${p.code}: ${p.message}`,
          field: ['input', ...problemPath(p.path)],
        })),
      };
    }
    return payload;
  }

  @Query(() => FeedRulesPreview, {
    description:
      "Runs proposed rules over the first FEED_RULES_PREVIEW_ITEMS items of the feed's latest stored source and says what they would do, changing nothing: no run, no issue, no rule version.",
    complexity: cost.aggregate(STATEMENT),
  })
  async previewFeedRules(
    @Ctx() ctx: BrandContext,
    @Args('feedId', { type: () => ID, description: "Feed.id of one of the brand's feeds; NOT_FOUND otherwise." })
    feedId: string,
    @Args('rules', { type: () => [FeedRuleInput], description: 'The rules to try, as setFeedRules takes them.' })
    rules: FeedRuleInput[],
    @Args('sample', {
      type: () => Int,
      defaultValue: 10,
      description: `Items the rules touch to return with before and after, 0 to ${MAX_PREVIEW_SAMPLE}.`,
    })
    sample: number,
  ): Promise<FeedRulesPreview> {
    const preview = await this.rules.preview(
      ctx,
      fromGlobalId(feedId, 'Feed', 'feedId'),
      rules.map(toEngineRule),
      Math.max(0, Math.min(MAX_PREVIEW_SAMPLE, sample)),
    );
    return {
      ...preview,
      problems: preview.problems.map(toApiProblem),
      sample: preview.sample.map((item) => ({
        ...item,
        excludedBy: item.excludedBy ? { ...item.excludedBy, attribute: 'excluded' } : null,
        errorsAfter: item.errorsAfter.map((i) => ({ code: i.code, attribute: i.attribute, message: i.message })),
      })),
    } as FeedRulesPreview;
  }

  @ResolveField(() => FeedRuleSet, {
    nullable: true,
    description:
      "The feed's rules: the current version, or the version asked for; null when the feed never had rules (or no such version).",
    // One statement reads the whole set, however much of it is selected.
    complexity: cost.aggregate(STATEMENT),
  })
  async feedRules(
    @Ctx() ctx: BrandContext,
    @Parent() feed: FeedEntity,
    @Args('version', {
      type: () => Int,
      nullable: true,
      description: 'A version number; the current one when omitted.',
    })
    version: number | null,
  ): Promise<FeedRuleSet | null> {
    const row = await this.rules.forFeed(ctx, feed, version ?? null);
    return row ? toApiRuleSet(row) : null;
  }
}

@Auth('brand')
@Resolver(() => IngestionRun)
export class RunRulesResolver {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @ResolveField(() => Int, {
    nullable: true,
    description: "The version of the feed's rules this run applied (Feed.feedRules(version:)); null: no rules.",
  })
  ruleSetVersion(@Parent() run: IngestionRunEntity): number | null {
    return run.ruleSetVersion ?? null;
  }

  @ResolveField(() => Int, {
    description: 'Items a feed rule excluded: not errors, counted in rowsSkipped (reason EXCLUDED_BY_RULE).',
  })
  itemsExcluded(@Parent() run: IngestionRunEntity): number {
    return run.itemsExcluded ?? 0;
  }

  @ResolveField(() => Int, { description: 'Items at least one feed rule changed (see ruleTrace).' })
  itemsChangedByRules(@Parent() run: IngestionRunEntity): number {
    return run.itemsChangedByRules ?? 0;
  }

  @ResolveField(() => [FeedRuleExclusionCount], {
    description: 'Items excluded, per rule, most first.',
    // Kept on the run row, at most one entry per rule.
    complexity: cost.aggregate(1),
  })
  excludedByRule(@Parent() run: IngestionRunEntity): FeedRuleExclusionCount[] {
    return run.excludedByRule ?? [];
  }

  @ResolveField(() => FeedRuleTraceConnection, {
    description: 'Per item a rule changed or excluded: which rules changed which attributes, by row.',
    complexity: cost.connection(ISSUES_PAGE, 2 * STATEMENT),
  })
  async ruleTrace(
    @Ctx() ctx: BrandContext,
    @Parent() run: IngestionRunEntity,
    @Args('first', {
      type: () => Int,
      defaultValue: ISSUES_PAGE.defaultSize,
      description: `Page size, 1 to ${ISSUES_PAGE.maxSize}.`,
    })
    first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
    @Args('itemId', { type: () => String, nullable: true, description: "Only this item's trace (its id as read)." })
    itemId: string | null,
  ): Promise<FeedRuleTraceConnection> {
    const request = pageRequest({ first, after }, ISSUES_PAGE);
    const page = await this.runs.ruleTrace(ctx, run.id, {
      first: request.limit,
      after: after ?? null,
      itemId: itemId ?? null,
    });
    const edges = page.traces.map((node) => ({ node, cursor: RunsService.traceCursor(node) }));
    return {
      edges,
      nodes: page.traces,
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}

@Auth('brand')
@Resolver(() => RunIssue)
export class RunIssueRulesResolver {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @ResolveField(() => String, {
    nullable: true,
    description: 'The id of the feed rule that set the failing value; null when the value came from the feed itself.',
  })
  ruleId(@Parent() issue: StoredIssue): string | null {
    return issue.ruleId ?? null;
  }

  @ResolveField(() => String, { nullable: true, description: 'The name of that rule.' })
  ruleName(@Parent() issue: StoredIssue): string | null {
    return issue.ruleName ?? null;
  }

  @ResolveField(() => [FeedRuleChange], {
    description: "Which feed rules changed which attributes of the issue's item in this run ([] when none did).",
    complexity: cost.aggregate(STATEMENT),
  })
  ruleChanges(
    @Ctx() ctx: BrandContext,
    @Parent() issue: StoredIssue & { runId?: string },
  ): Promise<FeedRuleChange[]> | FeedRuleChange[] {
    if (issue.ruleChanges) return issue.ruleChanges;
    if (!issue.runId) return [];
    return this.runs.ruleChangesAt(ctx, issue.runId, issue.row);
  }
}

@Auth('brand')
@Resolver(() => CatalogVersion)
export class VersionRulesResolver {
  constructor(@Inject(RequestLoaders) private readonly loaders: RequestLoaders) {}

  @ResolveField(() => Int, {
    nullable: true,
    description:
      "The version of the feed's rules that produced it (its run's ruleSetVersion); null: made without rules. rollbackFeed makes these rules current again.",
    complexity: STATEMENT,
  })
  async ruleSetVersion(@Context() caller: CallerContext, @Parent() version: CatalogVersion): Promise<number | null> {
    const run = await this.loaders.of(caller, caller.context).run.load(version.runId);
    return run?.ruleSetVersion ?? null;
  }
}

export const FEED_RULES_RESOLVERS = [FeedRulesResolver, RunRulesResolver, RunIssueRulesResolver, VersionRulesResolver];

// ---- GraphQL input ⇄ the engine's rule shape (libs/feed-rules) ----

type Json = Record<string, unknown>;

/** An input object without its null and absent fields (GraphQL's "not given"). */
function present(input: object): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

function toEngineCondition(input: FeedRuleConditionInput): Json {
  const c = present(input);
  if (Array.isArray(c.all)) c.all = (c.all as FeedRuleConditionInput[]).map(toEngineCondition);
  if (Array.isArray(c.any)) c.any = (c.any as FeedRuleConditionInput[]).map(toEngineCondition);
  return c;
}

function toEngineRule(input: FeedRuleInput): Json {
  const { ruleId, when, actions, ...rest } = input;
  return {
    ...present(rest),
    id: ruleId,
    ...(when ? { when: toEngineCondition(when) } : {}),
    actions: actions.map((action) => {
      const a = present(action);
      // As a list: the engine names an entry by its position and sees every entry, also two with one `from`.
      if (Array.isArray(a.table))
        a.table = (a.table as { from: string; to: string }[]).map(({ from, to }) => ({ from, to }));
      return a;
    }),
  };
}

function toApiCondition(c: Json): FeedRuleCondition {
  return {
    attribute: (c.attribute as string) ?? null,
    operator: (c.operator as FeedRuleCondition['operator']) ?? null,
    value: (c.value as string) ?? null,
    values: (c.values as string[]) ?? null,
    all: Array.isArray(c.all) ? (c.all as Json[]).map(toApiCondition) : null,
    any: Array.isArray(c.any) ? (c.any as Json[]).map(toApiCondition) : null,
  };
}

function toApiAction(a: Json): FeedRuleAction {
  return {
    type: a.type as FeedRuleAction['type'],
    attribute: (a.attribute as string) ?? null,
    value: (a.value as string) ?? null,
    template: (a.template as string) ?? null,
    pattern: (a.pattern as string) ?? null,
    replacement: (a.replacement as string) ?? null,
    maxLength: (a.maxLength as number) ?? null,
    table: toApiTable(a.table),
    targetAttribute: (a.targetAttribute as string) ?? null,
    defaultValue: (a.defaultValue as string) ?? null,
    index: (a.index as number) ?? null,
  };
}

/** A stored MAP table: a list in the brand's order (feedRulesToStore), or an object as versions stored it before. */
function toApiTable(table: unknown): FeedRuleMapEntry[] | null {
  if (Array.isArray(table)) return (table as FeedRuleMapEntry[]).map(({ from, to }) => ({ from, to }));
  return table ? Object.entries(table as Record<string, string>).map(([from, to]) => ({ from, to })) : null;
}

function toApiRuleSet(row: FeedRuleSetRow): FeedRuleSet {
  return {
    version: row.version,
    restoredFromVersion: row.restoredFrom,
    createdAt: row.createdAt,
    rules: (row.rules as Json[]).map((r): FeedRule => ({
      ruleId: r.id as string,
      name: r.name as string,
      enabled: r.enabled !== false,
      when: r.when ? toApiCondition(r.when as Json) : null,
      actions: ((r.actions as Json[]) ?? []).map(toApiAction),
    })),
  };
}

/**
 * The engine's path ("rules[0].actions[1].pattern", "rules[0].when.all[2]") as field segments under `rules`. A MAP
 * table reaches the engine as the API's list of { from, to }, so an entry is named by its position ("table[3]").
 */
function problemPath(path: string): string[] {
  const parts = path.split(/[.[\]]+/).filter(Boolean);
  return (parts[0] === 'rules' ? parts : ['rules', ...parts]).map((p) => (p === 'id' ? 'ruleId' : p));
}

function toApiProblem(p: Problem): FeedRuleProblem {
  return { field: problemPath(p.path), code: p.code, message: p.message };
}
