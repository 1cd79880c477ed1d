import {
  ACTION_TYPES,
  CONDITION_OPERATORS,
  type ConditionOperator,
  type FeedRule,
  type FeedRuleAction,
  type FeedRuleCondition,
  type FeedRuleErrorCode,
  type FeedRuleValidationError,
} from './feed-rule.types.js';
import { compileLinearRegex } from './linear-regex.js';
import { forbiddenReplacement } from './replacement.js';
import { readNumber } from './rule-number.js';
import { parseTemplate } from './template.js';

/** What one feed's rules may hold; beyond it validation answers TOO_MANY, TOO_LONG or TOO_DEEP. */
export const FEED_RULE_LIMITS = {
  rules: 200,
  actionsPerRule: 20,
  /** Nesting of all/any groups. */
  conditionDepth: 8,
  /** Leaf conditions per rule. */
  conditionsPerRule: 100,
  /** Entries of a condition's `values`. */
  values: 1000,
  /** Entries of a MAP table. */
  mapEntries: 10_000,
  idChars: 100,
  nameChars: 200,
  attributeChars: 200,
  patternChars: 1000,
  /** Any other string: values, templates, replacements, table keys and values. */
  textChars: 10_000,
  truncateMax: 1_000_000,
} as const;

const NUMERIC = new Set<ConditionOperator>(['LESS_THAN', 'GREATER_THAN', 'LESS_OR_EQUAL', 'GREATER_OR_EQUAL']);
const NO_VALUE = new Set<ConditionOperator>(['IS_EMPTY', 'IS_NOT_EMPTY']);
const LIST_OK = new Set<ConditionOperator>(['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'STARTS_WITH', 'ENDS_WITH']);

type Obj = Record<string, unknown>;

/**
 * Half of a surrogate pair with no other half: not Unicode text. Rules are stored as PostgreSQL jsonb, which refuses
 * it (`\ud800` escaped alone), so such a string would fail the write instead of being answered as a problem.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const NOT_TEXT =
  'is not valid Unicode text: it holds half of a surrogate pair (\\ud800–\\udfff) without the other half';

class Errors {
  readonly list: FeedRuleValidationError[] = [];
  /** See ValidateOptions.stored. */
  stored = false;
  add(path: string, code: FeedRuleErrorCode, message: string): void {
    this.list.push({ path, code, message });
  }
}

export interface ValidateOptions {
  /**
   * The rules were stored before (a version a run compiles, or whose trace names it reads): checks added after
   * versions could be stored without them are skipped, so such a version still compiles as it did. Today: MAP
   * entries whose keys differ only in case or surrounding spaces but map to different values (the first one wins
   * for a third spelling, see compileAction).
   */
  stored?: boolean;
}

/**
 * Checks rules as they arrive (parsed JSON from the API or storage) and returns them typed and trimmed of unknown
 * shapes, or every error with its path (`rules[1].when.all[0].operator`). Patterns are compiled here, so a rule
 * set that validates also compiles.
 */
export function validateFeedRules(
  rules: unknown,
  options: ValidateOptions = {},
): { rules: FeedRule[] } | { errors: FeedRuleValidationError[] } {
  const errors = new Errors();
  errors.stored = options.stored ?? false;
  if (!Array.isArray(rules)) {
    errors.add('rules', 'INVALID_TYPE', 'Rules are a list');
    return { errors: errors.list };
  }
  if (rules.length > FEED_RULE_LIMITS.rules) {
    errors.add('rules', 'TOO_MANY', `At most ${FEED_RULE_LIMITS.rules} rules per feed`);
    return { errors: errors.list };
  }
  const out: FeedRule[] = [];
  const ids = new Map<string, number>();
  rules.forEach((raw, index) => {
    const path = `rules[${index}]`;
    const rule = checkRule(raw, path, errors);
    const id = isObject(raw) && typeof raw.id === 'string' ? raw.id.trim() : '';
    if (id) {
      const previous = ids.get(id);
      if (previous !== undefined)
        errors.add(`${path}.id`, 'DUPLICATE_ID', `Rule id "${id}" is also rules[${previous}]'s`);
      else ids.set(id, index);
    }
    if (rule) out.push(rule);
  });
  return errors.list.length ? { errors: errors.list } : { rules: out };
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(raw: Obj, allowed: readonly string[], path: string, errors: Errors): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key))
      errors.add(`${path}.${key}`, 'UNKNOWN_FIELD', `Unknown field "${key}"; expected one of ${allowed.join(', ')}`);
  }
}

function string(
  raw: Obj,
  key: string,
  path: string,
  errors: Errors,
  options: { required: boolean; max: number; nonEmpty?: boolean },
): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) {
    if (options.required) errors.add(`${path}.${key}`, 'REQUIRED', `"${key}" is required`);
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.add(`${path}.${key}`, 'INVALID_TYPE', `"${key}" is a string`);
    return undefined;
  }
  if (value.length > options.max) {
    errors.add(`${path}.${key}`, 'TOO_LONG', `"${key}" is at most ${options.max} characters`);
    return undefined;
  }
  if (LONE_SURROGATE.test(value)) {
    errors.add(`${path}.${key}`, 'INVALID_VALUE', `"${key}" ${NOT_TEXT}`);
    return undefined;
  }
  if (options.nonEmpty && value.trim() === '') {
    errors.add(`${path}.${key}`, 'REQUIRED', `"${key}" must not be empty`);
    return undefined;
  }
  return value;
}

function checkRule(raw: unknown, path: string, errors: Errors): FeedRule | null {
  if (!isObject(raw)) {
    errors.add(path, 'INVALID_TYPE', 'A rule is an object with id, name, when and actions');
    return null;
  }
  unknownFields(raw, ['id', 'name', 'enabled', 'when', 'actions'], path, errors);
  const id = string(raw, 'id', path, errors, { required: true, max: FEED_RULE_LIMITS.idChars, nonEmpty: true });
  const name = string(raw, 'name', path, errors, { required: true, max: FEED_RULE_LIMITS.nameChars, nonEmpty: true });
  let enabled: boolean | undefined;
  if (raw.enabled !== undefined && raw.enabled !== null) {
    if (typeof raw.enabled === 'boolean') enabled = raw.enabled;
    else errors.add(`${path}.enabled`, 'INVALID_TYPE', '"enabled" is true or false');
  }
  let when: FeedRuleCondition | undefined;
  if (raw.when !== undefined && raw.when !== null) {
    const counter = { leaves: 0 };
    when = checkCondition(raw.when, `${path}.when`, errors, 1, counter) ?? undefined;
    if (counter.leaves > FEED_RULE_LIMITS.conditionsPerRule) {
      errors.add(`${path}.when`, 'TOO_MANY', `At most ${FEED_RULE_LIMITS.conditionsPerRule} conditions per rule`);
    }
  }
  const actions: FeedRuleAction[] = [];
  if (!Array.isArray(raw.actions)) {
    errors.add(
      `${path}.actions`,
      raw.actions === undefined ? 'REQUIRED' : 'INVALID_TYPE',
      'A rule has a list of actions',
    );
  } else if (raw.actions.length === 0) {
    errors.add(`${path}.actions`, 'REQUIRED', 'A rule has at least one action');
  } else if (raw.actions.length > FEED_RULE_LIMITS.actionsPerRule) {
    errors.add(`${path}.actions`, 'TOO_MANY', `At most ${FEED_RULE_LIMITS.actionsPerRule} actions per rule`);
  } else {
    raw.actions.forEach((action: unknown, index: number) => {
      const actionPath = `${path}.actions[${index}]`;
      const checked = checkAction(action, actionPath, errors);
      if (checked) actions.push(checked);
      if (checked?.type === 'EXCLUDE' && index < (raw.actions as unknown[]).length - 1) {
        errors.add(
          `${path}.actions[${index + 1}]`,
          'UNREACHABLE_ACTION',
          'EXCLUDE stops the item: it is the last action of its rule',
        );
      }
    });
  }
  if (id === undefined || name === undefined) return null;
  const rule: FeedRule = { id: id.trim(), name: name.trim(), actions };
  if (enabled !== undefined) rule.enabled = enabled;
  if (when) rule.when = when;
  return rule;
}

function checkCondition(
  raw: unknown,
  path: string,
  errors: Errors,
  depth: number,
  counter: { leaves: number },
): FeedRuleCondition | null {
  if (!isObject(raw)) {
    errors.add(
      path,
      'INVALID_TYPE',
      'A condition is { attribute, operator, value | values } or { all: [...] } or { any: [...] }',
    );
    return null;
  }
  const group = 'all' in raw ? 'all' : 'any' in raw ? 'any' : null;
  if (group) {
    unknownFields(raw, [group], path, errors);
    if (depth > FEED_RULE_LIMITS.conditionDepth) {
      errors.add(path, 'TOO_DEEP', `Conditions nest at most ${FEED_RULE_LIMITS.conditionDepth} groups deep`);
      return null;
    }
    const list = raw[group];
    if (!Array.isArray(list) || list.length === 0) {
      errors.add(
        `${path}.${group}`,
        Array.isArray(list) ? 'REQUIRED' : 'INVALID_TYPE',
        `"${group}" is a non-empty list of conditions`,
      );
      return null;
    }
    const children: FeedRuleCondition[] = [];
    list.forEach((child: unknown, index: number) => {
      const checked = checkCondition(child, `${path}.${group}[${index}]`, errors, depth + 1, counter);
      if (checked) children.push(checked);
    });
    return group === 'all' ? { all: children } : { any: children };
  }
  counter.leaves++;
  unknownFields(raw, ['attribute', 'operator', 'value', 'values'], path, errors);
  const attribute = string(raw, 'attribute', path, errors, {
    required: true,
    max: FEED_RULE_LIMITS.attributeChars,
    nonEmpty: true,
  });
  const operator = raw.operator;
  if (typeof operator !== 'string' || !(CONDITION_OPERATORS as readonly string[]).includes(operator)) {
    errors.add(
      `${path}.operator`,
      operator === undefined ? 'REQUIRED' : 'INVALID_VALUE',
      `"operator" is one of ${CONDITION_OPERATORS.join(', ')}`,
    );
    return null;
  }
  const op = operator as ConditionOperator;
  const value = string(raw, 'value', path, errors, {
    required: false,
    max: op === 'MATCHES' ? FEED_RULE_LIMITS.patternChars : FEED_RULE_LIMITS.textChars,
  });
  let values: string[] | undefined;
  if (raw.values !== undefined && raw.values !== null) {
    if (!Array.isArray(raw.values) || raw.values.some((v) => typeof v !== 'string')) {
      errors.add(`${path}.values`, 'INVALID_TYPE', '"values" is a list of strings');
    } else if (raw.values.length > FEED_RULE_LIMITS.values) {
      errors.add(`${path}.values`, 'TOO_MANY', `At most ${FEED_RULE_LIMITS.values} values`);
    } else if (raw.values.some((v: string) => v.length > FEED_RULE_LIMITS.textChars)) {
      errors.add(`${path}.values`, 'TOO_LONG', `Each value is at most ${FEED_RULE_LIMITS.textChars} characters`);
    } else if (raw.values.some((v: string) => LONE_SURROGATE.test(v))) {
      errors.add(`${path}.values`, 'INVALID_VALUE', `A value ${NOT_TEXT}`);
    } else if (!LIST_OK.has(op)) {
      errors.add(`${path}.values`, 'INVALID_VALUE', `${op} takes one "value", not "values"`);
    } else if (raw.values.length === 0) {
      errors.add(`${path}.values`, 'REQUIRED', '"values" lists at least one value');
    } else {
      values = [...(raw.values as string[])];
    }
  }
  if (NO_VALUE.has(op)) {
    if (raw.value !== undefined && raw.value !== null)
      errors.add(`${path}.value`, 'INVALID_VALUE', `${op} takes no value`);
  } else if (value !== undefined && values !== undefined) {
    errors.add(path, 'CONFLICT', 'Give "value" or "values", not both');
  } else if (value === undefined && values === undefined && raw.values === undefined && raw.value === undefined) {
    errors.add(`${path}.value`, 'REQUIRED', `${op} needs a "value"${LIST_OK.has(op) ? ' or "values"' : ''}`);
  } else if (value !== undefined && NUMERIC.has(op) && readNumber(value) === null) {
    errors.add(
      `${path}.value`,
      'INVALID_NUMBER',
      `${op} compares numbers: "${value}" is neither a number nor a price such as "12.50 USD"`,
    );
  } else if (value !== undefined && op === 'MATCHES') {
    const compiled = compileLinearRegex(value);
    if (!compiled.ok) errors.add(`${path}.value`, compiled.code, compiled.message);
  }
  if (attribute === undefined) return null;
  const condition: FeedRuleCondition = { attribute: attribute.trim(), operator: op };
  if (value !== undefined && !NO_VALUE.has(op)) condition.value = value;
  if (values !== undefined) condition.values = values;
  return condition;
}

const ACTION_FIELDS: Record<FeedRuleAction['type'], readonly string[]> = {
  SET: ['type', 'attribute', 'value', 'template'],
  APPEND: ['type', 'attribute', 'value'],
  PREPEND: ['type', 'attribute', 'value'],
  REPLACE: ['type', 'attribute', 'pattern', 'replacement'],
  LOWERCASE: ['type', 'attribute'],
  UPPERCASE: ['type', 'attribute'],
  TITLECASE: ['type', 'attribute'],
  TRUNCATE: ['type', 'attribute', 'maxLength'],
  MAP: ['type', 'attribute', 'targetAttribute', 'table', 'defaultValue'],
  SET_CUSTOM_LABEL: ['type', 'index', 'value', 'template'],
  EXCLUDE: ['type'],
};

function checkAction(raw: unknown, path: string, errors: Errors): FeedRuleAction | null {
  if (!isObject(raw)) {
    errors.add(path, 'INVALID_TYPE', 'An action is an object with a type');
    return null;
  }
  const type = raw.type;
  if (typeof type !== 'string' || !(ACTION_TYPES as readonly string[]).includes(type)) {
    errors.add(
      `${path}.type`,
      type === undefined ? 'REQUIRED' : 'INVALID_VALUE',
      `"type" is one of ${ACTION_TYPES.join(', ')}`,
    );
    return null;
  }
  const t = type as FeedRuleAction['type'];
  const before = errors.list.length;
  unknownFields(raw, ACTION_FIELDS[t], path, errors);
  const text = (key: string, required: boolean, max: number = FEED_RULE_LIMITS.textChars) =>
    string(raw, key, path, errors, { required, max });
  const attr = (key = 'attribute', required = true) =>
    string(raw, key, path, errors, { required, max: FEED_RULE_LIMITS.attributeChars, nonEmpty: true })?.trim();
  const valueOrTemplate = (): { value?: string; template?: string } | null => {
    const value = text('value', false);
    const template = text('template', false);
    if (value !== undefined && template !== undefined) {
      errors.add(path, 'CONFLICT', 'Give "value" or "template", not both');
      return null;
    }
    if (value === undefined && template === undefined) {
      if (raw.value === undefined && raw.template === undefined)
        errors.add(`${path}.value`, 'REQUIRED', `${t} needs a "value" or a "template"`);
      return null;
    }
    if (template !== undefined) {
      const parsed = parseTemplate(template);
      if (!parsed.ok) {
        errors.add(`${path}.template`, 'INVALID_TEMPLATE', parsed.message);
        return null;
      }
      return { template };
    }
    return { value };
  };
  let action: FeedRuleAction | null = null;
  switch (t) {
    case 'SET': {
      const attribute = attr();
      const set = valueOrTemplate();
      if (attribute !== undefined && set) action = { type: t, attribute, ...set };
      break;
    }
    case 'APPEND':
    case 'PREPEND': {
      const attribute = attr();
      const value = text('value', true);
      if (attribute !== undefined && value !== undefined) action = { type: t, attribute, value };
      break;
    }
    case 'REPLACE': {
      const attribute = attr();
      const pattern = string(raw, 'pattern', path, errors, {
        required: true,
        max: FEED_RULE_LIMITS.patternChars,
        nonEmpty: true,
      });
      const replacement = text('replacement', true);
      if (pattern !== undefined) {
        const compiled = compileLinearRegex(pattern, true);
        if (!compiled.ok) errors.add(`${path}.pattern`, compiled.code, compiled.message);
      }
      const forbidden = replacement === undefined ? null : forbiddenReplacement(replacement);
      if (forbidden) errors.add(`${path}.replacement`, 'INVALID_VALUE', forbidden);
      if (attribute !== undefined && pattern !== undefined && replacement !== undefined) {
        action = { type: t, attribute, pattern, replacement };
      }
      break;
    }
    case 'LOWERCASE':
    case 'UPPERCASE':
    case 'TITLECASE': {
      const attribute = attr();
      if (attribute !== undefined) action = { type: t, attribute };
      break;
    }
    case 'TRUNCATE': {
      const attribute = attr();
      const max = raw.maxLength;
      if (max === undefined || max === null) errors.add(`${path}.maxLength`, 'REQUIRED', 'TRUNCATE needs "maxLength"');
      else if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > FEED_RULE_LIMITS.truncateMax) {
        errors.add(
          `${path}.maxLength`,
          'INVALID_NUMBER',
          `"maxLength" is a whole number from 1 to ${FEED_RULE_LIMITS.truncateMax}`,
        );
      } else if (attribute !== undefined) action = { type: t, attribute, maxLength: max };
      break;
    }
    case 'MAP': {
      const attribute = attr();
      const target = attr('targetAttribute', false);
      const defaultValue = text('defaultValue', false);
      const checked = checkTable(raw.table, `${path}.table`, errors);
      if (attribute !== undefined && checked) {
        action = { type: t, attribute, table: { ...checked } };
        if (target !== undefined) action.targetAttribute = target;
        if (defaultValue !== undefined) action.defaultValue = defaultValue;
      }
      break;
    }
    case 'SET_CUSTOM_LABEL': {
      const index = raw.index;
      const set = valueOrTemplate();
      if (index === undefined || index === null)
        errors.add(`${path}.index`, 'REQUIRED', 'SET_CUSTOM_LABEL needs "index" (0 to 4)');
      else if (index !== 0 && index !== 1 && index !== 2 && index !== 3 && index !== 4) {
        errors.add(`${path}.index`, 'INVALID_VALUE', '"index" is 0, 1, 2, 3 or 4 (custom_label_0 … custom_label_4)');
      } else if (set) action = { type: t, index, ...set };
      break;
    }
    case 'EXCLUDE':
      action = { type: t };
      break;
  }
  return errors.list.length > before ? null : action;
}

/**
 * The form to store validated rules in: as validated, except that a MAP table given as a list of `{ from, to }` (as
 * the API takes it) stays a list in the order given, each key once (the value it validated to). A table as an object
 * loses its order twice over: a jsonb column sorts keys by length and bytes, and JavaScript puts keys that read as
 * whole numbers first; a brand reading its rules back, or editing them in the console, would find its own order
 * shuffled. `rules` is what validateFeedRules answered for `input` (rule by rule and action by action).
 */
export function feedRulesToStore(rules: FeedRule[], input: unknown[]): unknown[] {
  return rules.map((rule, r) => {
    const raw = input[r];
    if (!rule.actions.some((a) => a.type === 'MAP') || !isObject(raw) || !Array.isArray(raw.actions)) return rule;
    const rawActions: unknown[] = raw.actions;
    return {
      ...rule,
      actions: rule.actions.map((action, a) => {
        const given = rawActions[a];
        if (action.type !== 'MAP' || !isObject(given) || !Array.isArray(given.table)) return action;
        const entries: { from: string; to: string }[] = [];
        const listed = new Set<string>();
        for (const entry of given.table as { from: string }[]) {
          if (listed.has(entry.from) || !Object.prototype.hasOwnProperty.call(action.table, entry.from)) continue;
          listed.add(entry.from);
          entries.push({ from: entry.from, to: action.table[entry.from] });
        }
        return { ...action, table: entries };
      }),
    };
  });
}

/**
 * A MAP table: an object of value → value (as stored), or a list of `{ from, to }` (as the API takes it, whose
 * entries are then named by position: `table[3]`). A value is looked up exactly (ignoring surrounding spaces), then
 * ignoring case too, so two entries whose keys are equal that way but map to different values are a CONFLICT
 * naming both: one of them would win silently (the later for keys differing only in spaces, the earlier for any
 * other spelling of keys differing in case). Entries that agree are kept once.
 */
function checkTable(table: unknown, path: string, errors: Errors): Record<string, string> | null {
  if (table === undefined || table === null) {
    errors.add(path, 'REQUIRED', 'MAP needs a "table" of value → value');
    return null;
  }
  let entries: { key: unknown; value: unknown; path: string }[];
  if (Array.isArray(table)) {
    if (table.length > FEED_RULE_LIMITS.mapEntries) {
      errors.add(path, 'TOO_MANY', `At most ${FEED_RULE_LIMITS.mapEntries} entries`);
      return null;
    }
    entries = [];
    for (let index = 0; index < table.length; index++) {
      const entry: unknown = table[index];
      const entryPath = `${path}[${index}]`;
      if (!isObject(entry) || typeof entry.from !== 'string') {
        errors.add(entryPath, 'INVALID_TYPE', 'A table entry is { from, to }, both strings');
        return null;
      }
      entries.push({ key: entry.from, value: entry.to, path: entryPath });
    }
  } else if (isObject(table)) {
    const own = Object.entries(table);
    if (own.length > FEED_RULE_LIMITS.mapEntries) {
      errors.add(path, 'TOO_MANY', `At most ${FEED_RULE_LIMITS.mapEntries} entries`);
      return null;
    }
    entries = own.map(([key, value]) => ({ key, value, path: `${path}.${key.slice(0, 50)}` }));
  } else {
    errors.add(path, 'INVALID_TYPE', '"table" is an object of value → value');
    return null;
  }
  const checked = Object.create(null) as Record<string, string>;
  /** Each key as MAP matches it without case (trimmed, lower-cased): the first entry that had it. */
  const seen = new Map<string, { key: string; value: string; path: string }>();
  for (const entry of entries) {
    const key = entry.key as string;
    const { value } = entry;
    if (typeof value !== 'string') {
      errors.add(entry.path, 'INVALID_TYPE', 'Table values are strings');
      return null;
    }
    if (key.length > FEED_RULE_LIMITS.textChars || value.length > FEED_RULE_LIMITS.textChars) {
      errors.add(entry.path, 'TOO_LONG', `Table keys and values are at most ${FEED_RULE_LIMITS.textChars} characters`);
      return null;
    }
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
      errors.add(entry.path, 'INVALID_VALUE', `A table key or value ${NOT_TEXT}`);
      return null;
    }
    const folded = key.trim().toLowerCase();
    const earlier = seen.get(folded);
    if (earlier === undefined) seen.set(folded, { key, value, path: entry.path });
    else if (earlier.value !== value && !errors.stored) {
      errors.add(
        entry.path,
        'CONFLICT',
        `Table keys ${JSON.stringify(earlier.key)} (→ ${JSON.stringify(earlier.value)}) and ${JSON.stringify(key)} ` +
          `(→ ${JSON.stringify(value)}) are one key to MAP, which ignores case and surrounding spaces: give them ` +
          'the same value, or keep one',
      );
      return null;
    }
    checked[key] = value;
  }
  return checked;
}
