import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { ItemValidator, type ItemIssue } from '@brandshelf/catalog-rules';
import { APP_CONFIG, BadInputError, FILE_STORAGE, type AppConfig, type BrandContext } from '@brandshelf/core';
import { feedRulesToStore, validateFeedRules, type FeedRule, type FeedRuleErrorCode } from '@brandshelf/feed-rules';
import { FeedReadError, readFeed, type RawItem } from '@brandshelf/feeds';
import type { ObjectStorage } from '@brandshelf/storage';
import type { FeedEntity } from './feed.entity.js';
import { FeedRuleSetStore, type FeedRuleSetRow } from './feed-rule-set.store.js';
import { FeedsService } from './feeds.service.js';
import { PRIMARY_FEED_ITEMS, unknownItemIssue } from './item.stager.js';
import { feedPrepareOptions, feedReadOptions, itemRuleApplier, itemValidatorFor } from './row-preparer.js';

/** A problem the rule engine found in proposed rules: where (a path into the rules list), a code and a message. */
export interface FeedRuleProblem {
  path: string;
  code: FeedRuleErrorCode;
  message: string;
}

/** What previewFeedRules found, per rule. */
export interface RulePreviewCount {
  ruleId: string;
  ruleName: string;
  itemsChanged: number;
  itemsExcluded: number;
}

/** One item of the preview's sample: what the rules did to it, attribute by attribute. */
export interface RulePreviewSample {
  row: number;
  itemId: string | null;
  excludedBy: { ruleId: string; ruleName: string } | null;
  validBefore: boolean;
  validAfter: boolean;
  /** The first PREVIEW_SAMPLE_CHANGES changes, values cut to PREVIEW_VALUE_CHARS. */
  changes: { ruleId: string; ruleName: string; attribute: string; before: string | null; after: string | null }[];
  /** Every change the rules made to the item (more than `changes` lists when over PREVIEW_SAMPLE_CHANGES). */
  changeCount: number;
  /** The item's ERROR issues after the rules (none when it is valid or excluded). */
  errorsAfter: ItemIssue[];
}

export interface FeedRulesPreview {
  /** Problems in the proposed rules; when any, nothing was read and the other fields are empty. */
  problems: FeedRuleProblem[];
  /** The run whose stored source was read; null when the rules had problems. */
  sourceRunId: string | null;
  itemsRead: number;
  /** Whether the source had more items than the preview reads (FEED_RULES_PREVIEW_ITEMS). */
  truncated: boolean;
  itemsChanged: number;
  itemsExcluded: number;
  validBefore: number;
  validAfter: number;
  becameValid: number;
  becameInvalid: number;
  rules: RulePreviewCount[];
  sample: RulePreviewSample[];
  elapsedMs: number;
}

/**
 * What a preview's sample holds of one item: its first changes, and each value before and after cut to this many
 * characters ("…" at the end). Without, 20 rules of 20 actions rewriting a description grown to 650,000 characters
 * answered 500 MB for one item (a 21 KB request), and 200 such rules ran the API out of memory.
 */
export const PREVIEW_SAMPLE_CHANGES = 50;
export const PREVIEW_VALUE_CHARS = 5_000;

/** Runs kept with a source file, newest first, that a preview tries (a source may have been swept). */
const PREVIEW_SOURCE_CANDIDATES = 5;

/**
 * Feed rules as data (issue 14): the versions of a feed's rules, setting a new version, restoring the version a
 * catalog version was made with on rollback, and previewing proposed rules over the latest run's source.
 */
@Injectable()
export class FeedRulesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(FeedsService) private readonly feeds: FeedsService,
    @Inject(FeedRuleSetStore) private readonly store: FeedRuleSetStore,
    @Inject(FILE_STORAGE) private readonly files: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The feed's current rules, or version `version` of them; null when there is none. */
  async get(ctx: BrandContext, feedId: string, version: number | null = null): Promise<FeedRuleSetRow | null> {
    const feed = await this.feeds.get(ctx, feedId);
    return this.forFeed(ctx, feed, version);
  }

  /** The brand's feed (NOT_FOUND otherwise). */
  feedOf(ctx: BrandContext, feedId: string): Promise<FeedEntity> {
    return this.feeds.get(ctx, feedId);
  }

  /** As get, for a feed already loaded (the brand's). */
  forFeed(ctx: BrandContext, feed: FeedEntity, version: number | null = null): Promise<FeedRuleSetRow | null> {
    const brandId = ctx.principal.brandId;
    return version === null ? this.store.current(brandId, feed.id) : this.store.version(brandId, feed.id, version);
  }

  /**
   * Validates `rules` and stores them as the feed's next version, which the feed's next run applies. The feed is
   * looked up first (another brand's is NOT_FOUND whatever the rules); invalid rules store nothing and answer the
   * engine's problems.
   */
  async set(
    ctx: BrandContext,
    feedId: string,
    rules: unknown[],
  ): Promise<{ ruleSet: FeedRuleSetRow; problems: [] } | { ruleSet: null; problems: FeedRuleProblem[] }> {
    const feed = await this.feeds.get(ctx, feedId);
    const checked = validate(rules);
    if ('problems' in checked) return { ruleSet: null, problems: checked.problems };
    const stored = feedRulesToStore(checked.rules, rules);
    return { ruleSet: await this.store.insertNext(ctx.principal.brandId, feed.id, stored), problems: [] };
  }

  /**
   * After a rollback to a catalog version made under rule-set version `ruleSetVersion` (null: under no rules): when
   * the feed's current rules are another version, a new version copying that one (no rules: an empty list) becomes
   * current, so the next run produces what the restored catalog holds. Answers the version now current.
   */
  async restoreForRollback(
    brandId: string,
    feedId: string,
    ruleSetVersion: number | null,
    manager?: EntityManager,
  ): Promise<FeedRuleSetRow | null> {
    const current = await this.store.current(brandId, feedId, manager ?? this.db);
    if (!current && ruleSetVersion === null) return null;
    if (current && current.version === ruleSetVersion) return current;
    let rules: unknown[] = [];
    if (ruleSetVersion !== null) {
      // On the caller's transaction: on the embedded database another connection would wait for it to end (and it
      // for this), so a rollback hung.
      const restored = await this.store.version(brandId, feedId, ruleSetVersion, manager ?? this.db);
      if (!restored) return current;
      rules = restored.rules;
    } else if (current && !current.rules.length) {
      return current;
    }
    return this.store.insertNext(brandId, feedId, rules, ruleSetVersion ?? 0, manager);
  }

  /**
   * Proposed rules applied to the first FEED_RULES_PREVIEW_ITEMS items of the feed's latest stored source, read
   * with the feed's settings through the same reader and validator as a run, changing nothing: each item is
   * validated before and after the rules, and the first `sampleSize` items the rules touched are returned with
   * their attribute-level changes.
   */
  async preview(ctx: BrandContext, feedId: string, rules: unknown[], sampleSize: number): Promise<FeedRulesPreview> {
    const started = performance.now();
    const feed = await this.feeds.get(ctx, feedId);
    const empty: FeedRulesPreview = {
      problems: [],
      sourceRunId: null,
      itemsRead: 0,
      truncated: false,
      itemsChanged: 0,
      itemsExcluded: 0,
      validBefore: 0,
      validAfter: 0,
      becameValid: 0,
      becameInvalid: 0,
      rules: [],
      sample: [],
      elapsedMs: 0,
    };
    const checked = validate(rules);
    if ('problems' in checked) return { ...empty, problems: checked.problems, elapsedMs: elapsed(started) };
    const source = await this.latestSource(ctx.principal.brandId, feed.id);
    if (!source) {
      throw new BadInputError(
        'This feed has no run whose source file is still stored (a Shopify store sync keeps none): upload or fetch a file first.',
        'feedId',
      );
    }
    const result: FeedRulesPreview = { ...empty, sourceRunId: source.runId };
    const counts = new Map<string, RulePreviewCount>(
      checked.rules.map((rule) => [
        rule.id,
        { ruleId: rule.id, ruleName: rule.name, itemsChanged: 0, itemsExcluded: 0 },
      ]),
    );
    // The rules run on the API's event loop: whatever they cost an item (a rule set may hold 100,000 CONTAINS
    // values, or 2,000 patterns that each take 130 ms on a long value), the preview stops reading once it has taken
    // its budget, part-way through an item if need be, and says it read only part.
    const budget = this.config.feedRules.previewBudgetMs;
    const applyRules = itemRuleApplier(checked.rules, this.config.feedRules.regexTimeoutMs, {
      recordValueChars: PREVIEW_VALUE_CHARS,
      stopAt: started + budget,
    });
    // Validated as the run will (the feed's currency, mode and category-suggestion settings).
    const validator = (): ItemValidator | null => {
      try {
        return itemValidatorFor(feedPrepareOptions(feed));
      } catch {
        return null;
      }
    };
    const before = validator();
    const after = validator();
    if (!before || !after)
      throw new BadInputError("The feed's defaultCurrency is not a current ISO 4217 code.", 'feedId');
    const limit = this.config.feedRules.previewItems;
    // A supplemental feed's items are counted valid only once their ids are looked up, after reading (bounded by
    // `limit`); a primary feed's as they are read.
    const verdicts: PreviewVerdict[] | null = feed.mode === 'UPDATE_ONLY' ? [] : null;
    try {
      for await (const event of readFeed(source.body, {
        ...feedReadOptions(feed),
        maxDecompressedBytes: this.config.uploads.maxBytes,
      })) {
        if (event.type !== 'item') continue;
        if (result.itemsRead >= limit || (result.itemsRead > 0 && performance.now() - started >= budget)) {
          result.truncated = true;
          break;
        }
        const original = event.item;
        const idBefore = before.validate(original).product?.offerId ?? null;
        // The engine never mutates what it is given: a changed item is a copy, which replaces `copy.fields`.
        const copy: RawItem = { row: original.row, fields: original.fields };
        const applied = applyRules ? applyRules(copy) : null;
        if (applied && !applied.excluded && applied.stopped) {
          // Stopped part-way at the budget: this item is not counted (it was only partly ruled).
          result.truncated = true;
          break;
        }
        result.itemsRead++;
        let idAfter: string | null = null;
        let errorsAfter: ItemIssue[] = [];
        if (applied?.excluded) {
          result.itemsExcluded++;
          const count = counts.get(applied.excluded.ruleId);
          if (count) count.itemsExcluded++;
        } else {
          const validated = after.validate(copy);
          idAfter = validated.product?.offerId ?? null;
          if (!validated.product) errorsAfter = validated.issues.filter((issue) => issue.severity === 'ERROR');
        }
        const verdict: PreviewVerdict = { row: original.row, idBefore, idAfter, sample: null };
        if (verdicts) verdicts.push(verdict);
        else countVerdict(result, verdict, null);
        const validBefore = idBefore !== null;
        const validAfter = idAfter !== null;
        if (!applied || (!applied.excluded && !applied.changes.length)) continue;
        // An excluded item counts as excluded only (above), as a run counts it: what rules did to it before is not
        // published.
        if (!applied.excluded) {
          result.itemsChanged++;
          for (const ruleId of new Set(applied.changes.map((change) => change.ruleId))) {
            const count = counts.get(ruleId);
            if (count) count.itemsChanged++;
          }
        }
        if (result.sample.length < sampleSize) {
          const id = original.fields.id;
          verdict.sample = result.sample.length;
          result.sample.push({
            row: original.row,
            itemId: (typeof id === 'string' ? id : id?.[0]) ?? null,
            excludedBy: applied.excluded,
            validBefore,
            validAfter,
            changeCount: applied.excluded ? 0 : applied.detailed.length,
            changes: applied.excluded
              ? []
              : applied.detailed.slice(0, PREVIEW_SAMPLE_CHANGES).map((c) => ({
                  ruleId: c.ruleId,
                  ruleName: c.ruleName,
                  attribute: c.attribute,
                  before: c.before ?? null,
                  after: c.after ?? null,
                })),
            errorsAfter,
          });
        }
      }
    } catch (error) {
      // The file itself cannot be read (binary data, an unclosed quote, broken XML…): its run failed for it, and
      // rules cannot change that. Said as the run said it, not as a server error.
      if (!(error instanceof FeedReadError)) throw error;
      throw new BadInputError(
        `The feed's latest stored file cannot be read, so rules cannot be previewed on it: ${error.message} ${error.hint} Upload or fetch a readable file first.`,
        'feedId',
      );
    } finally {
      source.body.destroy();
    }
    if (verdicts) {
      // As the run will: a supplemental feed's valid item whose id no product of the brand's primary feeds has is
      // rejected (UNKNOWN_ITEM_ID), before the rules and after them (a rule may fix the ids, or break them).
      const known = await this.knownOfferIds(
        ctx.principal.brandId,
        verdicts.flatMap((v) => [v.idBefore, v.idAfter]),
      );
      for (const verdict of verdicts) countVerdict(result, verdict, known);
    }
    result.rules = [...counts.values()];
    result.elapsedMs = elapsed(started);
    return result;
  }

  /**
   * Which of `ids` a product of the brand's primary (REPLACE) feeds has, in each feed's live version (else its
   * newest): what a supplemental feed's run checks its items against (ItemStager.rejectUnknownForUpdateOnly).
   */
  private async knownOfferIds(brandId: string, ids: (string | null)[]): Promise<Set<string>> {
    const distinct = [...new Set(ids.filter((id): id is string => id !== null))];
    if (!distinct.length) return new Set();
    const rows: { offer_id: string }[] = await this.db.query(
      `SELECT DISTINCT vi.offer_id FROM ${PRIMARY_FEED_ITEMS} AND vi.offer_id = ANY($2::text[])`,
      [brandId, distinct],
    );
    return new Set(rows.map((r) => r.offer_id));
  }

  /** The newest run of the feed whose source file is still in storage, opened for reading. */
  private async latestSource(brandId: string, feedId: string): Promise<{ runId: string; body: Readable } | null> {
    const runs: { id: string; source_key: string }[] = await this.db.query(
      `SELECT id, source_key FROM ingestion_run
        WHERE brand_id = $1 AND feed_id = $2 AND source_key IS NOT NULL AND NOT not_modified
        ORDER BY queued_at DESC LIMIT ${PREVIEW_SOURCE_CANDIDATES}`,
      [brandId, feedId],
    );
    for (const run of runs) {
      const object = await this.files.get(run.source_key);
      if (object) return { runId: run.id, body: object.body };
    }
    return null;
  }
}

/** One item of a preview: its id when valid before and after the rules (null: invalid or excluded), its sample entry. */
interface PreviewVerdict {
  row: number;
  idBefore: string | null;
  idAfter: string | null;
  sample: number | null;
}

/**
 * Counts an item valid before and after the rules; `known` (a supplemental feed's: the ids its primary feeds have)
 * makes a valid item with an unknown id invalid, as its run will, and says so in its sample entry.
 */
function countVerdict(result: FeedRulesPreview, verdict: PreviewVerdict, known: Set<string> | null): void {
  const validBefore = verdict.idBefore !== null && (!known || known.has(verdict.idBefore));
  const validAfter = verdict.idAfter !== null && (!known || known.has(verdict.idAfter));
  if (validBefore) result.validBefore++;
  if (validAfter) result.validAfter++;
  if (validAfter && !validBefore) result.becameValid++;
  if (validBefore && !validAfter) result.becameInvalid++;
  if (!known || verdict.sample === null) return;
  const entry = result.sample[verdict.sample];
  entry.validBefore = validBefore;
  entry.validAfter = validAfter;
  if (verdict.idAfter !== null && !validAfter) {
    entry.errorsAfter = [unknownItemIssue(verdict.row, verdict.idAfter)];
  }
}

function validate(rules: unknown[]): { rules: FeedRule[] } | { problems: FeedRuleProblem[] } {
  const result = validateFeedRules(rules);
  if ('errors' in result) return { problems: result.errors };
  return { rules: result.rules };
}

const elapsed = (started: number) => Math.round(performance.now() - started);
