import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GlobalIdField } from '../graphql/node.js';
import { PageInfo } from '../graphql/connection.js';
import { cost } from '../graphql/query-limits.js';

/**
 * A rule set is one stored value, read whole by one statement and bounded by the engine's limits (FEED_RULE_LIMITS):
 * its lists are priced once, not per item (as a run's issueSummary is).
 */
const WHOLE = { complexity: cost.aggregate(1) };
import { MutationPayload } from '../graphql/user-error.js';
import { PREVIEW_SAMPLE_CHANGES, PREVIEW_VALUE_CHARS, type FeedEntity } from '@brandshelf/ingestion';
import {
  ACTION_TYPES,
  CONDITION_OPERATORS,
  FEED_RULE_ERROR_CODES,
  FEED_RULE_LIMITS,
  type ConditionOperator,
  type FeedRuleActionType as ActionTypeValue,
} from '@brandshelf/feed-rules';
import { enumOf } from '../graphql/enum-of.js';
import { IssueCode } from './codes.types.js';
import { Feed } from './ingestion.types.js';

export const FeedRuleOperator = enumOf(CONDITION_OPERATORS);
export type FeedRuleOperator = ConditionOperator;
registerEnumType(FeedRuleOperator, {
  name: 'FeedRuleOperator',
  description: "How a condition compares an item's attribute with `value` (or any of `values`).",
  valuesMap: {
    EQUALS: { description: 'The attribute equals the value (or one of the values).' },
    NOT_EQUALS: { description: 'The attribute equals none of the values.' },
    CONTAINS: { description: 'The attribute contains the value as a substring.' },
    STARTS_WITH: { description: 'The attribute starts with the value.' },
    ENDS_WITH: { description: 'The attribute ends with the value.' },
    MATCHES: {
      description:
        'The attribute matches the value as a regular expression, within FEED_RULES_REGEX_TIMEOUT_MS (see the README: Feed rules).',
    },
    IS_EMPTY: { description: 'The attribute is missing or blank; takes no value.' },
    IS_NOT_EMPTY: { description: 'The attribute has a non-blank value; takes no value.' },
    LESS_THAN: { description: 'Numeric comparison; prices ("12.50 USD") compare by amount.' },
    GREATER_THAN: { description: 'Numeric comparison; prices compare by amount.' },
    LESS_OR_EQUAL: { description: 'Numeric comparison; prices compare by amount.' },
    GREATER_OR_EQUAL: { description: 'Numeric comparison; prices compare by amount.' },
  },
});

export const FeedRuleActionType = enumOf(ACTION_TYPES);
export type FeedRuleActionType = ActionTypeValue;
registerEnumType(FeedRuleActionType, {
  name: 'FeedRuleActionType',
  description: 'What an action does to the item.',
  valuesMap: {
    SET: { description: 'Sets `attribute` to `value`, or to `template` filled from other attributes ({handle}).' },
    APPEND: { description: 'Appends `value` to `attribute`.' },
    PREPEND: { description: 'Prepends `value` to `attribute`.' },
    REPLACE: { description: 'Replaces matches of the regular expression `pattern` in `attribute` by `replacement`.' },
    LOWERCASE: { description: 'Lower-cases `attribute`.' },
    UPPERCASE: { description: 'Upper-cases `attribute`.' },
    TITLECASE: { description: 'Title-cases `attribute`.' },
    TRUNCATE: { description: 'Trims `attribute` to `maxLength` characters on a word boundary.' },
    MAP: {
      description:
        'Looks `attribute` up in `table` and writes the match (else `defaultValue`, else nothing) to `targetAttribute` (default: the same attribute).',
    },
    SET_CUSTOM_LABEL: { description: 'Sets custom_label_<index> (0 to 4) to `value` or `template`.' },
    EXCLUDE: {
      description: 'Leaves the item out of the run (counted per rule, not an error); later rules do not run.',
    },
  },
});

@InputType({
  description: `A condition: either one comparison (attribute, operator, value or values) or a group (all: every one holds; any: at least one holds), groups nested at most ${FEED_RULE_LIMITS.conditionDepth} deep (deeper: TOO_DEEP).`,
})
export class FeedRuleConditionInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Attribute compared: a Merchant Center name (title, price, link) or a custom one as read (custom:Handle).',
  })
  attribute?: string | null;
  @Field(() => FeedRuleOperator, { nullable: true, description: 'How it is compared; required with attribute.' })
  operator?: FeedRuleOperator | null;
  @Field(() => String, { nullable: true, description: 'The value compared with (not for IS_EMPTY, IS_NOT_EMPTY).' })
  value?: string | null;
  @Field(() => [String], { nullable: true, description: 'Several values: the comparison holds for any of them.' })
  values?: string[] | null;
  @Field(() => [FeedRuleConditionInput], { nullable: true, description: 'A group that holds when all of these hold.' })
  all?: FeedRuleConditionInput[] | null;
  @Field(() => [FeedRuleConditionInput], { nullable: true, description: 'A group that holds when any of these holds.' })
  any?: FeedRuleConditionInput[] | null;
}

@InputType({ description: 'One entry of a MAP action’s lookup table.' })
export class FeedRuleMapEntryInput {
  @Field({
    description:
      'The value looked up: exactly (surrounding spaces aside), else ignoring case. Two entries equal that way must have the same `to` (else CONFLICT).',
  })
  from: string;
  @Field({ description: 'What it becomes.' }) to: string;
}

@InputType({ description: 'One action of a rule; which fields it takes depends on its type (see FeedRuleActionType).' })
export class FeedRuleActionInput {
  @Field(() => FeedRuleActionType, { description: 'What the action does.' }) type: FeedRuleActionType;
  @Field(() => String, {
    nullable: true,
    description: 'The attribute changed (all types but SET_CUSTOM_LABEL, EXCLUDE).',
  })
  attribute?: string | null;
  @Field(() => String, { nullable: true, description: 'SET, APPEND, PREPEND, SET_CUSTOM_LABEL: the literal value.' })
  value?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'SET, SET_CUSTOM_LABEL: a template over other attributes, e.g. "https://shop.example.com/products/{handle}".',
  })
  template?: string | null;
  @Field(() => String, { nullable: true, description: 'REPLACE: the regular expression replaced.' })
  pattern?: string | null;
  @Field(() => String, { nullable: true, description: 'REPLACE: what each match becomes ($1 for a group).' })
  replacement?: string | null;
  @Field(() => Int, { nullable: true, description: 'TRUNCATE: the most characters kept.' })
  maxLength?: number | null;
  @Field(() => [FeedRuleMapEntryInput], { nullable: true, description: 'MAP: the lookup table.' })
  table?: FeedRuleMapEntryInput[] | null;
  @Field(() => String, { nullable: true, description: 'MAP: where the result goes (default: attribute itself).' })
  targetAttribute?: string | null;
  @Field(() => String, { nullable: true, description: 'MAP: the result for a value not in the table.' })
  defaultValue?: string | null;
  @Field(() => Int, { nullable: true, description: 'SET_CUSTOM_LABEL: which custom label, 0 to 4.' })
  index?: number | null;
}

@InputType({ description: 'One rule: when its condition holds (always, without one), its actions run in order.' })
export class FeedRuleInput {
  @Field({
    description: 'Your stable id for the rule (e.g. "shopify-links"): traces, issues and counts name it.',
  })
  ruleId: string;
  @Field({ description: 'A name for people, shown with every change and exclusion the rule makes.' }) name: string;
  @Field(() => Boolean, { nullable: true, description: 'False keeps the rule without running it (default true).' })
  enabled?: boolean | null;
  @Field(() => FeedRuleConditionInput, { nullable: true, description: 'When the rule applies; always without one.' })
  when?: FeedRuleConditionInput | null;
  @Field(() => [FeedRuleActionInput], { description: 'What it does, in order.' }) actions: FeedRuleActionInput[];
}

@InputType({ description: 'A feed and its new rules (the whole ordered list).' })
export class SetFeedRulesInput {
  @Field(() => ID, { description: "Feed.id of one of the brand's feeds; NOT_FOUND otherwise." }) feedId: string;
  @Field(() => [FeedRuleInput], {
    description: 'The rules, applied in this order to every item of the next runs; [] removes them all.',
  })
  rules: FeedRuleInput[];
}

@ObjectType({ description: 'A condition of a stored rule (the shape of FeedRuleConditionInput).' })
export class FeedRuleCondition {
  @Field(() => String, { nullable: true, description: 'Attribute compared; null for a group.' })
  attribute: string | null;
  @Field(() => FeedRuleOperator, { nullable: true, description: 'How it is compared; null for a group.' })
  operator: FeedRuleOperator | null;
  @Field(() => String, { nullable: true, description: 'The value compared with.' }) value: string | null;
  @Field(() => [String], { nullable: true, description: 'Several values compared with.' }) values: string[] | null;
  @Field(() => [FeedRuleCondition], { nullable: true, description: 'A group: every one holds.', ...WHOLE })
  all: FeedRuleCondition[] | null;
  @Field(() => [FeedRuleCondition], { nullable: true, description: 'A group: any one holds.', ...WHOLE })
  any: FeedRuleCondition[] | null;
}

@ObjectType({ description: 'One entry of a MAP table.' })
export class FeedRuleMapEntry {
  @Field({ description: 'The value looked up.' }) from: string;
  @Field({ description: 'What it becomes.' }) to: string;
}

@ObjectType({ description: 'An action of a stored rule (the shape of FeedRuleActionInput).' })
export class FeedRuleAction {
  @Field(() => FeedRuleActionType, { description: 'What the action does.' }) type: FeedRuleActionType;
  @Field(() => String, { nullable: true, description: 'The attribute changed.' }) attribute: string | null;
  @Field(() => String, { nullable: true, description: 'The literal value.' }) value: string | null;
  @Field(() => String, { nullable: true, description: 'The template.' }) template: string | null;
  @Field(() => String, { nullable: true, description: 'REPLACE: the pattern.' }) pattern: string | null;
  @Field(() => String, { nullable: true, description: 'REPLACE: the replacement.' }) replacement: string | null;
  @Field(() => Int, { nullable: true, description: 'TRUNCATE: the most characters kept.' }) maxLength: number | null;
  @Field(() => [FeedRuleMapEntry], { nullable: true, description: 'MAP: the lookup table.', ...WHOLE })
  table: FeedRuleMapEntry[] | null;
  @Field(() => String, { nullable: true, description: 'MAP: where the result goes.' }) targetAttribute: string | null;
  @Field(() => String, { nullable: true, description: 'MAP: the result for a value not in the table.' })
  defaultValue: string | null;
  @Field(() => Int, { nullable: true, description: 'SET_CUSTOM_LABEL: which label, 0 to 4.' }) index: number | null;
}

@ObjectType({ description: 'A stored rule.' })
export class FeedRule {
  @Field({ description: 'The id the brand gave it.' }) ruleId: string;
  @Field({ description: 'Its name.' }) name: string;
  @Field({ description: 'Whether it runs.' }) enabled: boolean;
  @Field(() => FeedRuleCondition, { nullable: true, description: 'When it applies; null: always.', ...WHOLE })
  when: FeedRuleCondition | null;
  @Field(() => [FeedRuleAction], { description: 'What it does, in order.', ...WHOLE }) actions: FeedRuleAction[];
}

@ObjectType({
  description:
    "One version of a feed's rules. Every setFeedRules writes a new version; a rollback to a catalog version made under other rules writes a new version copying them (restoredFromVersion).",
})
export class FeedRuleSet {
  @Field(() => Int, { description: 'Version number, 1 for the first set, growing by one.' }) version: number;
  @Field(() => [FeedRule], { description: 'The rules in the order they apply.', ...WHOLE }) rules: FeedRule[];
  @Field(() => Int, {
    nullable: true,
    description: 'Set when a rollback wrote this version: the version copied (0: the catalog had no rules).',
  })
  restoredFromVersion: number | null;
  @Field({ description: 'When this version was written.' }) createdAt: Date;
}

@ObjectType({ description: 'What setFeedRules stored.' })
export class SetFeedRulesPayload extends MutationPayload {
  @Field(() => FeedRuleSet, {
    nullable: true,
    description: 'The new current version; null when userErrors is not empty (then nothing was stored).',
    ...WHOLE,
  })
  feedRules: FeedRuleSet | null;
  @Field(() => Feed, { nullable: true, description: 'The feed; null when userErrors is not empty.' })
  feed: FeedEntity | null;
}

@ObjectType({ description: 'An attribute a feed rule changed on an item.' })
export class FeedRuleChange {
  @Field({ description: 'The rule’s id.' }) ruleId: string;
  @Field({ description: 'The rule’s name.' }) ruleName: string;
  @Field({ description: 'The attribute changed; "excluded" when the rule excluded the item.' }) attribute: string;
}

@ObjectType({ description: 'Items one rule excluded in a run.' })
export class FeedRuleExclusionCount {
  @Field({ description: 'The rule’s id.' }) ruleId: string;
  @Field({ description: 'The rule’s name.' }) ruleName: string;
  @Field(() => Int, { description: 'Items it excluded.' }) count: number;
}

@ObjectType({ description: 'What the feed rules did to one item of a run.' })
export class FeedRuleTrace {
  @Field(() => Int, { description: 'CSV line number or XML item index of the item.' }) row: number;
  @Field(() => String, { nullable: true, description: "The item's id; null when it has none." }) itemId: string | null;
  @Field(() => [FeedRuleChange], { description: 'Which rules changed which attributes (or excluded it).', ...WHOLE })
  changes: FeedRuleChange[];
}

@ObjectType({ description: 'A trace with its cursor.' })
export class FeedRuleTraceEdge {
  @Field(() => FeedRuleTrace, { description: 'The trace.' }) node: FeedRuleTrace;
  @Field({ description: 'Opaque cursor: pass it as `after` to continue after this item.' }) cursor: string;
}

@ObjectType({ description: "A page of a run's rule traces, by row (kept for at most INGEST_MAX_STORED_ISSUES items)." })
export class FeedRuleTraceConnection {
  @Field(() => [FeedRuleTraceEdge], {
    description: 'The traces of this page with their cursors.',
    complexity: cost.row(),
  })
  edges: FeedRuleTraceEdge[];
  @Field(() => [FeedRuleTrace], { description: 'The traces of this page.', complexity: cost.row() })
  nodes: FeedRuleTrace[];
  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' }) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Traces stored for the run (matching itemId when given).' }) totalCount: number;
}

export const FeedRuleErrorCode = enumOf(FEED_RULE_ERROR_CODES);
registerEnumType(FeedRuleErrorCode, {
  name: 'FeedRuleErrorCode',
  description: "Why proposed feed rules were refused (the rule engine's validation codes).",
  valuesMap: {
    INVALID_TYPE: { description: 'A value has the wrong type (a list where text was expected, …).' },
    REQUIRED: { description: 'A required field is missing.' },
    UNKNOWN_FIELD: { description: 'A field the rule language does not have.' },
    INVALID_VALUE: { description: 'A value outside what the field accepts.' },
    CONFLICT: { description: 'Fields that cannot go together (a value and a template, …).' },
    DUPLICATE_ID: { description: 'Two rules share an id.' },
    TOO_MANY: { description: 'More rules, conditions, actions or map entries than the limits allow.' },
    TOO_LONG: { description: 'A text longer than the limits allow.' },
    TOO_DEEP: { description: 'Conditions nested deeper than the limit.' },
    INVALID_NUMBER: { description: 'A comparison value that is not a number or a price.' },
    INVALID_TEMPLATE: { description: 'A template with an unclosed or empty placeholder.' },
    INVALID_REGEX: { description: 'A pattern that is not a valid regular expression.' },
    REGEX_NOT_LINEAR: {
      description: 'A pattern the linear-time engine cannot run (backreferences, lookaround, large counted repeats).',
    },
    UNREACHABLE_ACTION: { description: 'An action after EXCLUDE, which never runs.' },
  },
});

@ObjectType({ description: 'A problem in proposed rules.' })
export class FeedRuleProblem {
  @Field(() => [String], { description: 'Path of the field at fault, from rules: ["rules", "0", "actions", "1"].' })
  field: string[];
  @Field(() => FeedRuleErrorCode, { description: "The rule engine's code, e.g. INVALID_REGEX." })
  code: (typeof FEED_RULE_ERROR_CODES)[number];
  @Field({ description: 'What is wrong, for a person.' }) message: string;
}

@ObjectType({ description: 'What one proposed rule would do to the items previewed.' })
export class FeedRulePreviewCount {
  @Field({ description: 'The rule’s id.' }) ruleId: string;
  @Field({ description: 'The rule’s name.' }) ruleName: string;
  @Field(() => Int, { description: 'Items it would change that no rule excludes.' }) itemsChanged: number;
  @Field(() => Int, { description: 'Items it would exclude.' }) itemsExcluded: number;
}

@ObjectType({ description: 'One attribute of a previewed item before and after a rule.' })
export class FeedRuleAttributeDiff {
  @Field({ description: 'The rule that changed it.' }) ruleId: string;
  @Field({ description: 'The rule’s name.' }) ruleName: string;
  @Field({ description: 'The attribute.' }) attribute: string;
  @Field(() => String, {
    nullable: true,
    description: `Its value before this rule; null when absent. A value over ${PREVIEW_VALUE_CHARS} characters is cut there and ends with "…".`,
  })
  before: string | null;
  @Field(() => String, {
    nullable: true,
    description: `Its value after this rule; null when removed. A value over ${PREVIEW_VALUE_CHARS} characters is cut there and ends with "…".`,
  })
  after: string | null;
}

@ObjectType({ description: 'An ERROR a previewed item would still have (or newly get) after the rules.' })
export class FeedRulePreviewIssue {
  @Field(() => IssueCode, { description: 'The issue code.' }) code: IssueCode;
  @Field(() => String, { nullable: true, description: 'The attribute concerned.' }) attribute: string | null;
  @Field({ description: 'What is wrong.' }) message: string;
}

@ObjectType({ description: 'A previewed item the rules changed or excluded.' })
export class FeedRulePreviewItem {
  @Field(() => Int, { description: 'CSV line number or XML item index.' }) row: number;
  @Field(() => String, { nullable: true, description: "The item's id as read." }) itemId: string | null;
  @Field(() => FeedRuleChange, {
    nullable: true,
    description: 'The rule that would exclude it (attribute "excluded").',
  })
  excludedBy: FeedRuleChange | null;
  @Field({ description: 'Whether it is accepted without the rules.' }) validBefore: boolean;
  @Field({ description: 'Whether it would be accepted with them (false when excluded).' }) validAfter: boolean;
  @Field(() => [FeedRuleAttributeDiff], {
    description: `Each change, in the order the rules made them: the first ${PREVIEW_SAMPLE_CHANGES} (changeCount says how many there were).`,
  })
  changes: FeedRuleAttributeDiff[];
  @Field(() => Int, { description: 'How many changes the rules made to the item (changes lists the first ones).' })
  changeCount: number;
  @Field(() => [FeedRulePreviewIssue], { description: 'Its ERROR issues after the rules.' })
  errorsAfter: FeedRulePreviewIssue[];
}

@ObjectType({
  description:
    "What proposed rules would do to the first FEED_RULES_PREVIEW_ITEMS items of the feed's latest stored source; nothing is changed or stored.",
})
export class FeedRulesPreview {
  @Field(() => [FeedRuleProblem], { description: 'Problems in the rules; when any, nothing was read.' })
  problems: FeedRuleProblem[];
  @GlobalIdField('IngestionRun', {
    nullable: true,
    description: 'The run whose source was read.',
    deprecationReason: 'Use sourceRun { id }.',
  })
  sourceRunId: string | null;
  @Field(() => Int, { description: 'Items read (at most FEED_RULES_PREVIEW_ITEMS).' }) itemsRead: number;
  @Field({ description: 'Whether the source has more items than were read.' }) truncated: boolean;
  @Field(() => Int, {
    description: 'Items at least one rule would change and none exclude (an excluded item counts as excluded only).',
  })
  itemsChanged: number;
  @Field(() => Int, { description: 'Items a rule would exclude.' }) itemsExcluded: number;
  @Field(() => Int, { description: 'Items accepted without the rules.' }) validBefore: number;
  @Field(() => Int, { description: 'Items accepted with the rules.' }) validAfter: number;
  @Field(() => Int, { description: 'Items rejected without the rules and accepted with them.' }) becameValid: number;
  @Field(() => Int, { description: 'Items accepted without the rules and rejected (or excluded) with them.' })
  becameInvalid: number;
  @Field(() => [FeedRulePreviewCount], { description: 'Per rule, in order: items it changes and excludes.' })
  rules: FeedRulePreviewCount[];
  @Field(() => [FeedRulePreviewItem], { description: 'The first items the rules touch, with before and after.' })
  sample: FeedRulePreviewItem[];
  @Field(() => Int, { description: 'How long the preview took, in milliseconds.' }) elapsedMs: number;
}
