/**
 * Feed rules as data: an ordered list of IF/THEN rules a brand sets on a feed, applied to every raw item
 * between reading and validation. See README: Feed rules.
 */

/** String comparisons ignore case; the numeric ones read numbers and prices ("12.50 USD" compares as 12.5). */
export const CONDITION_OPERATORS = [
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'MATCHES',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
  'LESS_THAN',
  'GREATER_THAN',
  'LESS_OR_EQUAL',
  'GREATER_OR_EQUAL',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export type FeedRuleCondition =
  | { attribute: string; operator: ConditionOperator; value?: string; values?: string[] }
  | { all: FeedRuleCondition[] }
  | { any: FeedRuleCondition[] };

export const ACTION_TYPES = [
  'SET',
  'APPEND',
  'PREPEND',
  'REPLACE',
  'LOWERCASE',
  'UPPERCASE',
  'TITLECASE',
  'TRUNCATE',
  'MAP',
  'SET_CUSTOM_LABEL',
  'EXCLUDE',
] as const;
export type FeedRuleActionType = (typeof ACTION_TYPES)[number];

export type FeedRuleAction =
  | { type: 'SET'; attribute: string; value?: string; template?: string }
  | { type: 'APPEND' | 'PREPEND'; attribute: string; value: string }
  | { type: 'REPLACE'; attribute: string; pattern: string; replacement: string }
  | { type: 'LOWERCASE' | 'UPPERCASE' | 'TITLECASE'; attribute: string }
  | { type: 'TRUNCATE'; attribute: string; maxLength: number }
  | { type: 'MAP'; attribute: string; targetAttribute?: string; table: Record<string, string>; defaultValue?: string }
  | { type: 'SET_CUSTOM_LABEL'; index: 0 | 1 | 2 | 3 | 4; value?: string; template?: string }
  | { type: 'EXCLUDE' };

export interface FeedRule {
  id: string;
  name: string;
  /** Default true; a disabled rule is kept but not applied. */
  enabled?: boolean;
  /** Without a condition the rule applies to every item. */
  when?: FeedRuleCondition;
  actions: FeedRuleAction[];
}

/** A raw item's attributes as the readers hand them over (RawItem.fields): repeated attributes are lists. */
export type FeedItemFields = Record<string, string | string[]>;

export interface FeedRuleValidationError {
  /** Where in the rules, e.g. `rules[2].actions[0].pattern`. */
  path: string;
  code: FeedRuleErrorCode;
  message: string;
}

/** Every code validateFeedRules can give, once (the API's FeedRuleErrorCode enum is derived from it). */
export const FEED_RULE_ERROR_CODES = [
  'INVALID_TYPE',
  'REQUIRED',
  'UNKNOWN_FIELD',
  'INVALID_VALUE',
  'CONFLICT',
  'DUPLICATE_ID',
  'TOO_MANY',
  'TOO_LONG',
  'TOO_DEEP',
  'INVALID_NUMBER',
  'INVALID_TEMPLATE',
  'INVALID_REGEX',
  'REGEX_NOT_LINEAR',
  'UNREACHABLE_ACTION',
] as const;

export type FeedRuleErrorCode = (typeof FEED_RULE_ERROR_CODES)[number];

export interface RuleChange {
  ruleId: string;
  ruleName: string;
  /** The attribute key as in the item (`title`, `custom:Handle`). */
  attribute: string;
  /**
   * Undefined when the attribute was absent (before) or removed (after). A list reads as its values joined by ", ".
   * Always undefined when the rules were compiled without `recordValues`.
   */
  before: string | undefined;
  after: string | undefined;
}

/**
 * A rule part that was not applied to this item because a limit was hit: `REGEX_INPUT_TOO_LONG` (the value is longer
 * than regexMaxInputChars), `RULE_TIMEOUT` (the pattern once took longer than regexTimeoutMs on this run and is off
 * for the rest of it), `VALUE_TOO_LONG` (the result would exceed maxValueChars). A condition that hits one is false.
 */
export interface RuleLimit {
  ruleId: string;
  ruleName: string;
  attribute: string;
  code: 'REGEX_INPUT_TOO_LONG' | 'RULE_TIMEOUT' | 'VALUE_TOO_LONG';
}

export interface RuleOutcome<T extends FeedItemFields = Record<string, string>> {
  /**
   * The item after the rules: the input object itself when nothing changed, else a copy; the input is never
   * mutated, unless the rules were compiled `inPlace` (then this is always the input, changed).
   */
  item: T;
  excludedBy?: { ruleId: string; ruleName: string };
  changes: RuleChange[];
  /** Present only when a limit was hit. */
  limits?: RuleLimit[];
  /**
   * Set when apply() reached the deadline of `stopAt` (rules compiled `interruptible`) and stopped part-way: the item
   * is partly changed and the outcome must not be used.
   */
  stopped?: true;
  /** With `stopped`: the rule apply() was in when it stopped. */
  stoppedIn?: { ruleId: string; ruleName: string };
}

export interface CompiledFeedRules {
  /** `item` is the raw attribute map as read (before validation); `custom:<header>` keys for unknown columns. */
  apply(item: Record<string, string>): RuleOutcome;
  /** The same for RawItem.fields, whose repeated attributes are lists: conditions and templates read a list's first value. */
  apply(item: FeedItemFields): RuleOutcome<FeedItemFields>;
  /** How many enabled rules are applied. */
  readonly size: number;
  /**
   * With `interruptible`: apply() stops once the clock (`now`) reads `time` or later, checked before each rule,
   * action, condition and pattern match, and its outcome says `stopped`; null: no deadline (the default).
   */
  stopAt(time: number | null): void;
}

export interface CompileOptions {
  /** A pattern that takes longer than this on one value is switched off for the rest of the run (default 100). */
  regexTimeoutMs?: number;
  /** Longer values are not matched by MATCHES or REPLACE (default 16,384 characters: descriptions are at most 5,000). */
  regexMaxInputChars?: number;
  /** An action whose result would be longer is not applied (default 1,048,576 characters, the reader's cell limit). */
  maxValueChars?: number;
  /**
   * apply() writes into the item it is given instead of a copy (default false). For the ingestion reader, whose items
   * are read once and handed on: a copy costs about a microsecond per changed item (readers build items as
   * dictionary-mode objects). The changes still record every value before and after.
   */
  inPlace?: boolean;
  /**
   * Whether each change records the value before and after (default true). Without (the ingestion reader, which keeps
   * only which rule changed which attribute), a change is the same object for every item a rule changes that
   * attribute of (read only), so apply() allocates one list per changed item and no object per change.
   */
  recordValues?: boolean;
  /**
   * With recordValues: the most characters of a value a change records (default: whole values). A longer value is
   * recorded as its first characters and "…", copied, so the changes of an item never keep its long intermediate
   * values alive: 4,000 actions each rewriting a 650,000-character description kept 2.6 GB for one item.
   */
  recordValueChars?: number;
  /**
   * apply() hands back the same outcome object, and the same `changes` list, every time (default false): they hold
   * until the next apply(). For the ingestion reader, which reads an outcome at once and keeps nothing of it; an
   * outcome and a list per item were a tenth of what the rules allocate, which the reader's garbage collection pays
   * for on every run.
   */
  reuseOutcome?: boolean;
  /**
   * apply() can be stopped part-way at a deadline (stopAt), for a caller on a thread that must not be held (the
   * preview, on the API's event loop): one item can cost minutes (2,000 slow patterns of 130 ms each), so a budget
   * checked between items does not bound it. It costs a clock read per rule, action, condition and match.
   */
  interruptible?: boolean;
  /** For tests: the clock regexTimeoutMs is measured with (default performance.now). */
  now?: () => number;
}
