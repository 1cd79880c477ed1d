import {
  ATTRIBUTE_BY_NAME,
  CODES,
  ItemValidator,
  compactProductJson,
  hashCanonicalJson,
  type FeedMode,
  type ItemIssue,
  type NormalizedProduct,
} from '@brandshelf/catalog-rules';
import {
  compileFeedRules,
  type CompiledFeedRules,
  validateFeedRules,
  type FeedRule,
  type RuleLimit,
  type RuleOutcome,
} from '@brandshelf/feed-rules';
import {
  FeedReadError,
  type FeedEvent,
  type FeedReadMeta,
  type FeedReadOptions,
  type RawItem,
  type RowSkipReason,
} from '@brandshelf/feeds';
import type { FeedEntity } from './feed.entity.js';

/**
 * A feed event after the CPU-heavy part of a run: an item validated, normalized, serialized and hashed,
 * ready to be written to the stage. This module imports only the pure libs (feeds, catalog-rules), so
 * the read worker thread (read-worker.ts) can load it without the database or NestJS.
 */
/** An issue of an item; one on an attribute a feed rule set names the rule that last set it. */
export type PreparedIssue = ItemIssue & { ruleId?: string; ruleName?: string };

/** One attribute a feed rule changed on an item (the compact trace kept per item). */
export interface RuleChange {
  ruleId: string;
  ruleName: string;
  attribute: string;
}

/**
 * A change as run_rule_trace stores it: the rule's position in the run's rule-set version (ingestion_run
 * .rule_set_version, whose rules are never updated) and the attribute. RunRuleTraceStore reads it back as a
 * RuleChange; the ids and names are not repeated per item (measured: a run's trace was as many bytes as its items).
 */
export type StoredRuleChange = [ruleIndex: number, attribute: string];

export type PreparedEvent =
  | {
      type: 'item';
      row: number;
      issues: PreparedIssue[];
      /** Set when the item is accepted: what goes into the stage. */
      staged: { offerId: string; contentHash: string; data: string } | null;
      /**
       * Which rules changed which attributes, once per (rule, attribute): the number of the run's trace pattern,
       * whose JSON list (StoredRuleChange, as run_rule_trace stores it) came as `ruleTraceJson` with the first item of
       * that pattern (TracePatterns keeps them). Items fall into a few patterns: a small number crosses from the
       * reader thread for each, not the list (measured: the string cost the reader, the writer and their collectors
       * about a fifth of what 20 rules cost a run). Absent when no rule changed the item.
       */
      ruleTrace?: number;
      /** With the first item of a trace pattern since the reader's patterns started over: its JSON. */
      ruleTraceJson?: string;
      /** The item's id as read (after rules), for the trace of an item not accepted (an accepted one's is its offerId). */
      itemId?: string | null;
      /** Set when the item is accepted and its sale starts or ends later (ValidationResult.saleChangeAt). */
      saleChangeAt?: number;
    }
  | { type: 'excluded'; row: number; itemId: string | null; ruleId: string; ruleName: string }
  | { type: 'issue'; issue: ItemIssue }
  | { type: 'skip'; row: number; reason: RowSkipReason }
  | { type: 'rows'; rowsRead: number }
  | { type: 'meta'; meta: FeedReadMeta };

export interface PrepareOptions {
  mode: FeedMode;
  defaultCurrency: string | null;
  /** See ValidatorOptions: suggest categories, and apply those more confident than the threshold. */
  suggestCategories?: boolean;
  acceptCategorySuggestionsAbove?: number | null;
  /** The feed's rules (validated, in order), applied to each item before it is validated; none when empty. */
  rules?: FeedRule[] | null;
  /** FEED_RULES_REGEX_TIMEOUT_MS: a pattern slower than this on one value is off for the rest of the run. */
  regexTimeoutMs?: number;
  /**
   * FEED_RULES_ITEM_BUDGET_MS: how long the rules may take on one item of a run. Past it (once an item has taken
   * longer) each item is stopped at the budget and rejected (FEED_RULES_TOO_SLOW), and the run fails after
   * RULES_STOPPED_ITEMS_LIMIT such items (FEED_RULES_RUN_TOO_SLOW). None: no budget.
   */
  ruleItemBudgetMs?: number;
  /** The instant sale_price_effective_date windows are judged at (ms since the epoch); default: when reading starts. */
  now?: number;
}

/** Items of a run whose rules were stopped at FEED_RULES_ITEM_BUDGET_MS before the run fails (see PrepareOptions). */
export const RULES_STOPPED_ITEMS_LIMIT = 100;

/**
 * How a run reads a feed's file and validates its items, from the feed's settings: the run and previewFeedRules
 * both take them from here, so a preview validates as the run will (it once left out the category-suggestion
 * settings).
 */
export function feedReadOptions(feed: FeedEntity): FeedReadOptions {
  return {
    format: feed.format,
    columnMapping: feed.columnMapping,
    xmlItemElement: feed.xmlItemElement,
    language: feed.language,
    defaultCurrency: feed.defaultCurrency,
    storeUrl: feed.storeUrl,
    linkTemplate: feed.linkTemplate,
  };
}

/** See feedReadOptions: the validator's part of PrepareOptions (the run adds its rules). */
export function feedPrepareOptions(feed: FeedEntity): PrepareOptions {
  return {
    mode: feed.mode,
    defaultCurrency: feed.defaultCurrency,
    suggestCategories: feed.suggestCategories,
    acceptCategorySuggestionsAbove: feed.acceptCategorySuggestionsAbove,
  };
}

/** The item validator of a run (or a preview) with these options. */
export function itemValidatorFor(options: PrepareOptions): ItemValidator {
  return new ItemValidator({
    mode: options.mode,
    defaultCurrency: options.defaultCurrency,
    suggestCategories: options.suggestCategories,
    acceptCategorySuggestionsAbove: options.acceptCategorySuggestionsAbove,
    now: options.now,
  });
}

/** What applying a feed's rules to one item did. */
export type RuleApplication =
  | { excluded: { ruleId: string; ruleName: string }; changes: RuleChange[] }
  | {
      excluded: null;
      /** Once per (rule, attribute). For a run, shared by the items the same rules changed the same way: read only. */
      changes: RuleChange[];
      /** For a run: `changes` as run_rule_trace stores them (StoredRuleChange[] as JSON); null when there are none. */
      trace: string | null;
      /** For a run with a trace: its pattern's number (see PreparedEvent), and whether this item is its first. */
      tracePattern?: number;
      firstOfPattern?: boolean;
      /** Every change in order; with the values before and after, except for a run (whose list lasts until its next item). */
      detailed: {
        ruleId: string;
        ruleName: string;
        attribute: string;
        before: string | undefined;
        after: string | undefined;
      }[];
      /** Rule parts not applied because a limit was hit (a FEED_RULE_LIMIT warning each). */
      limits?: RuleLimit[];
      /**
       * The rules stopped part-way (at a preview's `stopAt`, or a run item's `itemBudgetMs`): the item is partly
       * changed, not to be used; `stoppedIn` is the rule they were in.
       */
      stopped?: true;
      stoppedIn?: { ruleId: string; ruleName: string };
    };

/**
 * The feed's rules compiled once (per run, per preview), applied to raw items: the engine reads the fields as the
 * reader keyed them (a repeated attribute by its first value) and hands back the changed item, which replaces the
 * item's fields. A preview gets a copy and every change with its values. A run (`forRun`, the ingestion reader,
 * whose items are read once and handed on) has the item changed in place, no values (it keeps which rule changed
 * which attribute) and the trace to store. Null when there are no rules (or none enabled).
 */
export function itemRuleApplier(
  rules: FeedRule[] | null | undefined,
  regexTimeoutMs: number | undefined,
  options: { forRun?: boolean; recordValueChars?: number; stopAt?: number; itemBudgetMs?: number } = {},
): ((item: RawItem) => RuleApplication) | null {
  if (!rules?.length) return null;
  const applier = new RuleApplier(rules, regexTimeoutMs, options);
  if (!applier.size) return null;
  // A bound method, not a closure: its code is the class's, optimized once for every run (see keepWarm in the
  // feed-rules compiler for what a closure made per run costs).
  return applier.apply.bind(applier);
}

/** itemRuleApplier's state for one run or preview. */
class RuleApplier {
  private readonly forRun: boolean;
  private readonly budget: number | undefined;
  private readonly indexOf: Map<string, number>;
  private compiled: CompiledFeedRules;
  // A run's budget per item. Rules compiled to be stopped read the clock before every rule, action, condition and
  // match, which would cost the ordinary run a fifth of the rules' time: so an ordinary item is only timed as a whole
  // (two clock reads), and only after one took longer than the budget are the rules compiled again to stop each
  // later item at it. That first item is kept: it finished.
  private stopping = false;
  // An item's trace depends only on which rules changed which attributes, in order: a feed's items fall into a few
  // such patterns, so each pattern's list and JSON are built once, found again by walking a tree whose steps are
  // the engine's changes (without values, one object per rule and attribute). Measured: JSON.stringify of every
  // item's list was an eighth of what 20 rules cost the reader. Bounded: a run with more patterns starts over.
  private root = new TraceNode();
  private nodes = 0;
  // Patterns are numbered from 0 again when the tree starts over: every pattern is then new, so each number's JSON
  // is sent again before it is used, and the writer's table stays as small as the tree.
  private patterns = 0;
  private filled = false;

  constructor(
    private readonly rules: FeedRule[],
    private readonly regexTimeoutMs: number | undefined,
    private readonly options: { forRun?: boolean; recordValueChars?: number; stopAt?: number; itemBudgetMs?: number },
  ) {
    this.forRun = options.forRun ?? false;
    this.budget = options.itemBudgetMs;
    this.compiled = this.compile(options.stopAt !== undefined);
    if (options.stopAt !== undefined) this.compiled.stopAt(options.stopAt);
    const checked = validateFeedRules(rules, { stored: true });
    this.indexOf = new Map('rules' in checked ? checked.rules.map((rule, index) => [rule.id, index]) : []);
  }

  get size(): number {
    return this.compiled.size;
  }

  private compile(interruptible: boolean): CompiledFeedRules {
    const { regexTimeoutMs, options, forRun } = this;
    return compileFeedRules(this.rules, {
      ...(regexTimeoutMs === undefined ? {} : { regexTimeoutMs }),
      ...(options.recordValueChars === undefined ? {} : { recordValueChars: options.recordValueChars }),
      inPlace: forRun,
      interruptible,
      recordValues: !forRun,
      // A run's outcome is read at once below: the trace tree keeps its own lists (fill), an exclusion a copy.
      reuseOutcome: forRun,
    });
  }

  apply(item: RawItem): RuleApplication {
    const outcome = this.applyOne(item.fields);
    if (outcome.stopped) {
      return { excluded: null, changes: [], trace: null, detailed: [], stopped: true, stoppedIn: outcome.stoppedIn };
    }
    if (outcome.excludedBy) {
      const { ruleId, ruleName } = outcome.excludedBy;
      return { excluded: { ruleId, ruleName }, changes: onceEach(outcome.changes) };
    }
    item.fields = outcome.item;
    const detailed = outcome.changes;
    const limits = outcome.limits;
    if (!detailed.length) return { excluded: null, changes: [], trace: null, detailed, limits };
    if (!this.forRun) return { excluded: null, changes: onceEach(detailed), trace: null, detailed, limits };
    this.filled = false;
    const { changes, trace, pattern } = this.traceOf(detailed);
    return { excluded: null, changes, trace, tracePattern: pattern, firstOfPattern: this.filled, detailed, limits };
  }

  private applyOne(fields: RawItem['fields']): RuleOutcome<RawItem['fields']> {
    const budget = this.budget;
    if (budget === undefined) return this.compiled.apply(fields);
    const started = performance.now();
    if (this.stopping) this.compiled.stopAt(started + budget);
    const outcome = this.compiled.apply(fields);
    if (!this.stopping && performance.now() - started > budget) {
      this.stopping = true;
      this.compiled = this.compile(true);
    }
    return outcome;
  }

  private fill(node: TraceNode, detailed: RuleOutcome['changes']): TraceNode {
    node.changes = onceEach(detailed);
    node.trace = JSON.stringify(
      node.changes.map((c): StoredRuleChange => [this.indexOf.get(c.ruleId) ?? -1, c.attribute]),
    );
    node.pattern = this.patterns++;
    this.filled = true;
    return node;
  }

  private traceOf(detailed: RuleOutcome['changes']): TraceNode {
    if (detailed.length > MAX_TRACE_NODES) {
      // Unreachable with 200 rules: a pattern of its own, whose number is never reused by the tree.
      const node = this.fill(new TraceNode(), detailed);
      node.pattern = -1;
      return node;
    }
    let node = this.root;
    for (const change of detailed) {
      let child = node.next.get(change);
      if (!child) {
        if (++this.nodes > MAX_TRACE_NODES) {
          this.root = new TraceNode();
          this.nodes = 0;
          this.patterns = 0;
          return this.traceOf(detailed);
        }
        node.next.set(change, (child = new TraceNode()));
      }
      node = child;
    }
    return node.trace === null ? this.fill(node, detailed) : node;
  }
}

/** Each (rule, attribute) of an item's changes once, in order of first change. */
function onceEach(detailed: RuleOutcome['changes']): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const change of detailed) {
    if (!changes.some((c) => c.ruleId === change.ruleId && c.attribute === change.attribute))
      changes.push({ ruleId: change.ruleId, ruleName: change.ruleName, attribute: change.attribute });
  }
  return changes;
}

/** A step of the trace tree (keyed by the engine's shared change objects), and its trace once an item ended here. */
class TraceNode {
  readonly next = new Map<RuleChange | RuleOutcome['changes'][number], TraceNode>();
  changes: RuleChange[] = [];
  trace: string | null = null;
  /** The trace's number among the run's patterns; -1 for one outside the tree (sent with each of its items). */
  pattern = -1;
}

/** Trace tree nodes kept per run (a node is a few hundred bytes with its trace). */
const MAX_TRACE_NODES = 16_384;

/**
 * The issues of an item whose attribute a rule changed name that rule (the last one to change it), and their hint
 * says so: the value that fails came from the rule, not from the file.
 */
export function attributeIssuesToRules(issues: ItemIssue[], changes: RuleChange[]): PreparedIssue[] {
  if (
    !changes.length ||
    !issues.some((issue) => issue.attribute && changes.some((c) => c.attribute === issue.attribute))
  )
    return issues;
  return issues.map((issue) => {
    if (!issue.attribute) return issue;
    let last: RuleChange | undefined;
    for (const change of changes) if (change.attribute === issue.attribute) last = change;
    if (!last) return issue;
    return {
      ...issue,
      ruleId: last.ruleId,
      ruleName: last.ruleName,
      hint: `Feed rule "${last.ruleName}" (${last.ruleId}) set this value: change the rule (setFeedRules) or the feed. ${issue.hint}`.trim(),
    };
  });
}

/** A FEED_RULE_LIMIT warning per rule part a limit kept from applying to the item (it is accepted as it is). */
function limitIssues(item: RawItem, limits: RuleLimit[]): PreparedIssue[] {
  return limits.map((limit) => ({
    severity: 'WARNING',
    code: 'FEED_RULE_LIMIT',
    attribute: limit.attribute,
    row: item.row,
    value: null,
    itemId: itemIdOf(item),
    message: `Feed rule "${limit.ruleName}" (${limit.ruleId}) was not applied to ${limit.attribute}: ${limit.code}.`,
    hint: CODES.FEED_RULE_LIMIT.hint,
    ruleId: limit.ruleId,
    ruleName: limit.ruleName,
  }));
}

/** The ERROR of an item whose rules were stopped at FEED_RULES_ITEM_BUDGET_MS: it is not imported. */
function tooSlowIssue(
  item: RawItem,
  idAsRead: string | string[] | undefined,
  rule: { ruleId: string; ruleName: string },
  budgetMs: number,
): PreparedIssue {
  return {
    severity: 'ERROR',
    code: 'FEED_RULES_TOO_SLOW',
    attribute: null,
    row: item.row,
    value: null,
    itemId: idOf(idAsRead),
    message: `The feed's rules took longer than ${budgetMs} ms on this item and were stopped in rule "${rule.ruleName}" (${rule.ruleId}), so the item was not imported.`,
    hint: CODES.FEED_RULES_TOO_SLOW.hint,
    ruleId: rule.ruleId,
    ruleName: rule.ruleName,
  };
}

const idOf = (id: string | string[] | undefined): string | null =>
  (typeof id === 'string' ? id : id?.[0])?.trim() || null;
const itemIdOf = (item: RawItem): string | null => idOf(item.fields.id);

/** Validates and serializes every item of `events`, in order; other events pass through. */
export async function* prepareEvents(
  events: AsyncIterable<FeedEvent>,
  options: PrepareOptions,
): AsyncGenerator<PreparedEvent> {
  const validator = itemValidatorFor(options);
  const budget = options.ruleItemBudgetMs;
  const applyRules = itemRuleApplier(options.rules, options.regexTimeoutMs, { forRun: true, itemBudgetMs: budget });
  let stoppedItems = 0;
  let firstStopped: { row: number; ruleId: string; ruleName: string } | null = null;
  for await (const event of events) {
    if (event.type === 'item') {
      let ruleChanges: RuleChange[] | undefined;
      let ruleTrace: number | undefined;
      let ruleTraceJson: string | undefined;
      let limits: RuleLimit[] | undefined;
      if (applyRules) {
        // The id as read: the rules change the item in place, and an excluded item is named by its id in the file.
        const idAsRead = event.item.fields.id;
        const applied = applyRules(event.item);
        if (applied.excluded === null && applied.stopped) {
          // Stopped at the budget: partly changed, so not imported; past the limit the run would take hours.
          const rule = applied.stoppedIn ?? { ruleId: '', ruleName: '' };
          firstStopped ??= { row: event.item.row, ...rule };
          if (++stoppedItems > RULES_STOPPED_ITEMS_LIMIT) {
            throw new FeedReadError(
              'FEED_RULES_RUN_TOO_SLOW',
              `The feed's rules took longer than ${budget} ms on each of ${stoppedItems} items (the first at row ` +
                `${firstStopped.row}, in rule "${firstStopped.ruleName}" (${firstStopped.ruleId})), so the run was ` +
                'stopped: at that pace it would hold a worker for hours.',
              { row: event.item.row },
            );
          }
          yield {
            type: 'item',
            row: event.item.row,
            issues: [tooSlowIssue(event.item, idAsRead, rule, budget!)],
            staged: null,
          };
          continue;
        }
        if (applied.excluded) {
          const { ruleId, ruleName } = applied.excluded;
          yield { type: 'excluded', row: event.item.row, itemId: idOf(idAsRead), ruleId, ruleName };
          continue;
        }
        if (applied.trace !== null) {
          ruleChanges = applied.changes;
          ruleTrace = applied.tracePattern;
          if (applied.firstOfPattern || applied.tracePattern === -1) ruleTraceJson = applied.trace;
        }
        if (applied.limits?.length) limits = applied.limits;
      }
      const result = validator.validate(event.item);
      if (limits) result.issues.push(...limitIssues(event.item, limits));
      let staged: { offerId: string; contentHash: string; data: string } | null = null;
      const saleChangeAt = result.saleChangeAt;
      if (result.product) {
        // Serialized once: the compact canonical JSON is both what is hashed and what is stored.
        const json = compactProductJson(result.product);
        const data = options.mode === 'UPDATE_ONLY' ? JSON.stringify(supplementalFields(result.product)) : json;
        staged = { offerId: result.product.offerId, contentHash: hashCanonicalJson(json), data };
      }
      if (ruleChanges) {
        const traced: PreparedEvent = {
          type: 'item',
          row: event.item.row,
          issues: attributeIssuesToRules(result.issues, ruleChanges),
          staged,
          ruleTrace,
        };
        if (ruleTraceJson !== undefined) traced.ruleTraceJson = ruleTraceJson;
        if (staged === null) traced.itemId = itemIdOf(event.item);
        if (saleChangeAt !== undefined) traced.saleChangeAt = saleChangeAt;
        yield traced;
      } else if (saleChangeAt !== undefined) {
        yield { type: 'item', row: event.item.row, issues: result.issues, staged, saleChangeAt };
      } else {
        yield { type: 'item', row: event.item.row, issues: result.issues, staged };
      }
    } else {
      yield event as PreparedEvent;
    }
  }
}

/**
 * A supplemental item carries only what its feed provided, so publishing overlays exactly those fields
 * on the primary feed's product and nothing else.
 */
export function supplementalFields(product: NormalizedProduct): Partial<NormalizedProduct> {
  const out: Record<string, unknown> = { offerId: product.offerId };
  const custom: Record<string, string> = {};
  for (const attribute of product.presentAttributes) {
    const field = ATTRIBUTE_BY_NAME.get(attribute)?.field;
    if (field) {
      out[field] = product[field];
      if (attribute === 'price' || attribute === 'sale_price') out.currency = product.currency;
      if (attribute === 'google_product_category') out.googleProductCategoryPath = product.googleProductCategoryPath;
    } else if (attribute in product.customAttributes) {
      custom[attribute] = product.customAttributes[attribute];
    }
  }
  if (Object.keys(custom).length) out.customAttributes = custom;
  return out as Partial<NormalizedProduct>;
}
