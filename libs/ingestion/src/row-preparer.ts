import {
  ATTRIBUTE_BY_NAME,
  CODES,
  ItemValidator,
  compactProductJson,
  hashCanonicalJson,
  type ItemIssue,
  type NormalizedProduct,
} from '@brandshelf/catalog-rules';
import { compileFeedRules, type FeedRule, type RuleLimit } from '@brandshelf/feed-rules';
import type { FeedEvent, FeedReadMeta, RawItem, RowSkipReason } from '@brandshelf/feeds';

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

export type PreparedEvent =
  | {
      type: 'item';
      row: number;
      issues: PreparedIssue[];
      /** Set when the item is accepted: what goes into the stage. */
      staged: { offerId: string; contentHash: string; data: string } | null;
      /**
       * Which rules changed which attributes, once per (rule, attribute), as the JSON list run_rule_trace stores
       * (serialized here, on the reader thread: one string crosses to the writer instead of a list of objects);
       * absent when no rule changed the item.
       */
      ruleTrace?: string;
      /** The item's id as read (after rules), for the trace. */
      itemId?: string | null;
    }
  | { type: 'excluded'; row: number; itemId: string | null; ruleId: string; ruleName: string }
  | { type: 'issue'; issue: ItemIssue }
  | { type: 'skip'; row: number; reason: RowSkipReason }
  | { type: 'rows'; rowsRead: number }
  | { type: 'meta'; meta: FeedReadMeta };

export interface PrepareOptions {
  mode: 'REPLACE' | 'UPDATE_ONLY';
  defaultCurrency: string | null;
  /** See ValidatorOptions: suggest categories, and apply those more confident than the threshold. */
  suggestCategories?: boolean;
  acceptCategorySuggestionsAbove?: number | null;
  /** The feed's rules (validated, in order), applied to each item before it is validated; none when empty. */
  rules?: FeedRule[] | null;
  /** FEED_RULES_REGEX_TIMEOUT_MS: a pattern slower than this on one value is off for the rest of the run. */
  regexTimeoutMs?: number;
}

/** What applying a feed's rules to one item did. */
export type RuleApplication =
  | { excluded: { ruleId: string; ruleName: string }; changes: RuleChange[] }
  | {
      excluded: null;
      changes: RuleChange[];
      detailed: {
        ruleId: string;
        ruleName: string;
        attribute: string;
        before: string | undefined;
        after: string | undefined;
      }[];
      /** Rule parts not applied because a limit was hit (a FEED_RULE_LIMIT warning each). */
      limits?: RuleLimit[];
    };

/**
 * The feed's rules compiled once (per run, per preview), applied to raw items: the engine reads the fields as the
 * reader keyed them (a repeated attribute by its first value) and hands back a changed copy, which replaces the
 * item's fields. Null when there are no rules (or none enabled).
 */
export function itemRuleApplier(
  rules: FeedRule[] | null | undefined,
  regexTimeoutMs: number | undefined,
): ((item: RawItem) => RuleApplication) | null {
  if (!rules?.length) return null;
  const compiled = compileFeedRules(rules, regexTimeoutMs === undefined ? {} : { regexTimeoutMs });
  if (!compiled.size) return null;
  return (item) => {
    const outcome = compiled.apply(item.fields);
    const changes: RuleChange[] = [];
    for (const change of outcome.changes) {
      if (!changes.some((c) => c.ruleId === change.ruleId && c.attribute === change.attribute))
        changes.push({ ruleId: change.ruleId, ruleName: change.ruleName, attribute: change.attribute });
    }
    if (outcome.excludedBy) {
      return { excluded: { ruleId: outcome.excludedBy.ruleId, ruleName: outcome.excludedBy.ruleName }, changes };
    }
    item.fields = outcome.item;
    return { excluded: null, changes, detailed: outcome.changes, limits: outcome.limits };
  };
}

/**
 * The issues of an item whose attribute a rule changed name that rule (the last one to change it), and their hint
 * says so: the value that fails came from the rule, not from the file.
 */
export function attributeIssuesToRules(issues: ItemIssue[], changes: RuleChange[]): PreparedIssue[] {
  if (!changes.length) return issues;
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

const itemIdOf = (item: RawItem): string | null => {
  const id = item.fields.id;
  return (typeof id === 'string' ? id : id?.[0])?.trim() || null;
};

/** Validates and serializes every item of `events`, in order; other events pass through. */
export async function* prepareEvents(
  events: AsyncIterable<FeedEvent>,
  options: PrepareOptions,
): AsyncGenerator<PreparedEvent> {
  const validator = new ItemValidator({
    mode: options.mode,
    defaultCurrency: options.defaultCurrency,
    suggestCategories: options.suggestCategories,
    acceptCategorySuggestionsAbove: options.acceptCategorySuggestionsAbove,
  });
  const applyRules = itemRuleApplier(options.rules, options.regexTimeoutMs);
  for await (const event of events) {
    if (event.type === 'item') {
      let ruleChanges: RuleChange[] | undefined;
      let limits: RuleLimit[] | undefined;
      if (applyRules) {
        const applied = applyRules(event.item);
        if (applied.excluded) {
          const { ruleId, ruleName } = applied.excluded;
          yield { type: 'excluded', row: event.item.row, itemId: itemIdOf(event.item), ruleId, ruleName };
          continue;
        }
        if (applied.changes.length) ruleChanges = applied.changes;
        if (applied.limits?.length) limits = applied.limits;
      }
      const result = validator.validate(event.item);
      if (limits) result.issues.push(...limitIssues(event.item, limits));
      let staged: { offerId: string; contentHash: string; data: string } | null = null;
      if (result.product) {
        // Serialized once: the compact canonical JSON is both what is hashed and what is stored.
        const json = compactProductJson(result.product);
        const data = options.mode === 'UPDATE_ONLY' ? JSON.stringify(supplementalFields(result.product)) : json;
        staged = { offerId: result.product.offerId, contentHash: hashCanonicalJson(json), data };
      }
      if (ruleChanges) {
        yield {
          type: 'item',
          row: event.item.row,
          issues: attributeIssuesToRules(result.issues, ruleChanges),
          staged,
          ruleTrace: JSON.stringify(ruleChanges),
          itemId: result.product?.offerId ?? itemIdOf(event.item),
        };
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
