import { firstOf, resolveAttribute, type AttributeRef } from './attribute.ref.js';
import type {
  CompileOptions,
  CompiledFeedRules,
  FeedItemFields,
  FeedRule,
  FeedRuleAction,
  FeedRuleCondition,
  FeedRuleValidationError,
  RuleChange,
  RuleLimit,
  RuleOutcome,
} from './feed-rule.types.js';
import { validateFeedRules } from './feed-rules.validator.js';
import { compileLinearRegex } from './linear-regex.js';
import { compareNumbers, readNumber } from './rule-number.js';
import { groupsOf, parseReplacement, replacer, ValueTooLong } from './replacement.js';
import { parseTemplate } from './template.js';
import { titleCase, truncateOnWord } from './text.transforms.js';

/** Thrown by compileFeedRules for rules that do not validate (validateFeedRules says why, with paths). */
export class FeedRulesCompileError extends Error {
  constructor(readonly errors: FeedRuleValidationError[]) {
    super(`Invalid feed rules: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'FeedRulesCompileError';
  }
}

const DEFAULTS = { regexTimeoutMs: 100, regexMaxInputChars: 65_536, maxValueChars: 1_048_576 };
/** Values shorter than this are matched without reading the clock: the linear engine bounds them to microseconds. */
const TIMED_INPUT_CHARS = 1024;

/** The state of one apply(): reused from item to item (apply is synchronous), so an item allocates only what changes. */
class ApplyState {
  item: FeedItemFields = {};
  copied = false;
  changes: RuleChange[] | null = null;
  limits: RuleLimit[] | null = null;
  rule: CompiledRule = null as unknown as CompiledRule;

  reset(item: FeedItemFields): void {
    this.item = item;
    this.copied = false;
    this.changes = null;
    this.limits = null;
  }

  limit(attribute: string, code: RuleLimit['code']): void {
    (this.limits ??= []).push({ ruleId: this.rule.id, ruleName: this.rule.name, attribute, code });
  }
}

type Condition = (state: ApplyState) => boolean;
/** True when the action excluded the item. */
type Action = (state: ApplyState) => boolean;

interface CompiledRule {
  id: string;
  name: string;
  when: Condition | null;
  actions: Action[];
}

interface Settings {
  regexTimeoutMs: number;
  regexMaxInputChars: number;
  maxValueChars: number;
  now: () => number;
}

/**
 * Compiles validated rules once per run: every condition becomes a closure, every pattern a linear-time RegExp,
 * every template a list of parts, so apply() does no parsing and allocates only for what it changes.
 */
export function compileFeedRules(rules: FeedRule[], options: CompileOptions = {}): CompiledFeedRules {
  const checked = validateFeedRules(rules);
  if ('errors' in checked) throw new FeedRulesCompileError(checked.errors);
  const settings: Settings = {
    regexTimeoutMs: options.regexTimeoutMs ?? DEFAULTS.regexTimeoutMs,
    regexMaxInputChars: options.regexMaxInputChars ?? DEFAULTS.regexMaxInputChars,
    maxValueChars: options.maxValueChars ?? DEFAULTS.maxValueChars,
    now: options.now ?? (() => performance.now()),
  };
  const compiled: CompiledRule[] = checked.rules
    .filter((rule) => rule.enabled !== false)
    .map((rule) => ({
      id: rule.id,
      name: rule.name,
      when: rule.when ? compileCondition(rule.when, settings) : null,
      actions: rule.actions.map((action) => compileAction(action, settings)),
    }));
  const state = new ApplyState();
  const applier = {
    size: compiled.length,
    apply(item: FeedItemFields): RuleOutcome<FeedItemFields> {
      state.reset(item);
      let excludedBy: RuleOutcome['excludedBy'];
      rules: for (const rule of compiled) {
        state.rule = rule;
        if (rule.when !== null && !rule.when(state)) continue;
        for (const action of rule.actions) {
          if (action(state)) {
            excludedBy = { ruleId: rule.id, ruleName: rule.name };
            break rules;
          }
        }
      }
      const outcome: RuleOutcome<FeedItemFields> = { item: state.item, changes: state.changes ?? [] };
      if (excludedBy) outcome.excludedBy = excludedBy;
      if (state.limits) outcome.limits = state.limits;
      state.reset({});
      return outcome;
    },
  };
  return applier as CompiledFeedRules;
}

// ---- conditions

function read(ref: AttributeRef, item: FeedItemFields): string | undefined {
  const key = ref.keyIn(item);
  return key === undefined ? undefined : firstOf(item[key]);
}

function isBlank(value: string | string[] | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  return value.every((v) => v.trim() === '');
}

function compileCondition(condition: FeedRuleCondition, settings: Settings): Condition {
  if ('all' in condition) {
    const parts = condition.all.map((c) => compileCondition(c, settings));
    if (parts.length === 1) return parts[0];
    return (state) => {
      for (const part of parts) if (!part(state)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => compileCondition(c, settings));
    if (parts.length === 1) return parts[0];
    return (state) => {
      for (const part of parts) if (part(state)) return true;
      return false;
    };
  }
  const ref = resolveAttribute(condition.attribute);
  const wanted = condition.values ?? [condition.value ?? ''];
  const lower = wanted.map((w) => w.toLowerCase());
  const lowerTrimmed = lower.map((w) => w.trim());
  switch (condition.operator) {
    case 'IS_EMPTY':
      return (state) => {
        const key = ref.keyIn(state.item);
        return key === undefined || isBlank(state.item[key]);
      };
    case 'IS_NOT_EMPTY':
      return (state) => {
        const key = ref.keyIn(state.item);
        return key !== undefined && !isBlank(state.item[key]);
      };
    case 'EQUALS':
    case 'NOT_EQUALS': {
      const set = new Set(lowerTrimmed);
      const equals = (state: ApplyState) => set.has((read(ref, state.item) ?? '').trim().toLowerCase());
      return condition.operator === 'EQUALS' ? equals : (state) => !equals(state);
    }
    case 'CONTAINS':
      return (state) => {
        const value = (read(ref, state.item) ?? '').toLowerCase();
        for (const w of lower) if (value.includes(w)) return true;
        return false;
      };
    case 'STARTS_WITH':
      return (state) => {
        const value = (read(ref, state.item) ?? '').trim().toLowerCase();
        for (const w of lower) if (value.startsWith(w)) return true;
        return false;
      };
    case 'ENDS_WITH':
      return (state) => {
        const value = (read(ref, state.item) ?? '').trim().toLowerCase();
        for (const w of lower) if (value.endsWith(w)) return true;
        return false;
      };
    case 'MATCHES': {
      const guarded = guardedRegex(condition.value ?? '', false, ref, settings);
      return (state) => {
        const value = read(ref, state.item) ?? '';
        return guarded(state, value, (regex) => regex.test(value)) ?? false;
      };
    }
    case 'LESS_THAN':
    case 'GREATER_THAN':
    case 'LESS_OR_EQUAL':
    case 'GREATER_OR_EQUAL': {
      const target = readNumber(condition.value);
      if (!target) return () => false;
      const test =
        condition.operator === 'LESS_THAN'
          ? (d: number) => d < 0
          : condition.operator === 'GREATER_THAN'
            ? (d: number) => d > 0
            : condition.operator === 'LESS_OR_EQUAL'
              ? (d: number) => d <= 0
              : (d: number) => d >= 0;
      return (state) => {
        const number = readNumber(read(ref, state.item));
        if (!number) return false;
        const difference = compareNumbers(number, target);
        return difference !== null && test(difference);
      };
    }
  }
}

/**
 * Runs a rule's pattern under the limits: values longer than regexMaxInputChars are not matched
 * (REGEX_INPUT_TOO_LONG), and a pattern whose one match took longer than regexTimeoutMs is off for the rest of the
 * run (RULE_TIMEOUT on every later item). Undefined when a limit stopped it.
 */
function guardedRegex(
  pattern: string,
  global: boolean,
  ref: AttributeRef,
  settings: Settings,
): <R>(state: ApplyState, input: string, run: (regex: RegExp) => R) => R | undefined {
  const compiled = compileLinearRegex(pattern, global);
  if (!compiled.ok) throw new Error(compiled.message); // validated before, so unreachable
  const regex = compiled.regex;
  let timedOut = false;
  return (state, input, run) => {
    if (timedOut) {
      state.limit(ref.name, 'RULE_TIMEOUT');
      return undefined;
    }
    if (input.length > settings.regexMaxInputChars) {
      state.limit(ref.name, 'REGEX_INPUT_TOO_LONG');
      return undefined;
    }
    if (input.length < TIMED_INPUT_CHARS) return run(regex);
    const started = settings.now();
    const result = run(regex);
    if (settings.now() - started > settings.regexTimeoutMs) timedOut = true;
    return result;
  };
}

// ---- actions

function show(value: string | string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.join(', ');
}

function sameValue(a: string | string[] | undefined, b: string | string[] | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return false;
}

/** Writes one attribute (copying the item on its first change) and records the change; '' or [] removes it. */
function write(
  state: ApplyState,
  key: string,
  value: string | string[] | undefined,
  settings: Settings,
  name: string,
): void {
  let next = value;
  if (next !== undefined && (typeof next === 'string' ? next === '' : next.length === 0)) next = undefined;
  const before = state.item[key];
  if (sameValue(before, next)) return;
  if (next !== undefined) {
    const length = typeof next === 'string' ? next.length : next.reduce((sum, v) => sum + v.length, 0);
    if (length > settings.maxValueChars) {
      state.limit(name, 'VALUE_TOO_LONG');
      return;
    }
  }
  if (!state.copied) {
    state.item = { ...state.item };
    state.copied = true;
  }
  if (next === undefined) delete state.item[key];
  else state.item[key] = next;
  const rule = state.rule;
  (state.changes ??= []).push({
    ruleId: rule.id,
    ruleName: rule.name,
    attribute: key,
    before: show(before),
    after: show(next),
  });
}

/** An action that rewrites each value of the attribute (every element of a list); absent attributes stay absent. */
function transform(ref: AttributeRef, settings: Settings, fn: (value: string, state: ApplyState) => string): Action {
  return (state) => {
    const key = ref.keyIn(state.item);
    if (key === undefined) return false;
    const current = state.item[key];
    const next =
      typeof current === 'string' ? fn(current, state) : current.map((v) => fn(v, state)).filter((v) => v !== '');
    write(state, key, next, settings, ref.name);
    return false;
  };
}

function setter(ref: AttributeRef, settings: Settings, produce: (state: ApplyState) => string | null): Action {
  return (state) => {
    const value = produce(state);
    if (value === null) state.limit(ref.name, 'VALUE_TOO_LONG');
    else write(state, ref.keyIn(state.item) ?? ref.key, value, settings, ref.name);
    return false;
  };
}

function valueProducer(
  action: { value?: string; template?: string },
  settings: Settings,
): (state: ApplyState) => string | null {
  if (action.template !== undefined) {
    const parsed = parseTemplate(action.template);
    if (!parsed.ok) throw new Error(parsed.message); // validated before, so unreachable
    const template = parsed.template;
    const max = settings.maxValueChars;
    return (state) => template.render(state.item, max);
  }
  const value = action.value ?? '';
  return () => value;
}

function compileAction(action: FeedRuleAction, settings: Settings): Action {
  switch (action.type) {
    case 'EXCLUDE':
      return () => true;
    case 'SET':
      return setter(resolveAttribute(action.attribute), settings, valueProducer(action, settings));
    case 'SET_CUSTOM_LABEL':
      return setter(resolveAttribute(`custom_label_${action.index}`), settings, valueProducer(action, settings));
    case 'APPEND': {
      const ref = resolveAttribute(action.attribute);
      const suffix = action.value;
      return (state) => {
        const key = ref.keyIn(state.item);
        if (key === undefined) write(state, ref.key, suffix, settings, ref.name);
        else transformValue(state, key, (v) => v + suffix, settings, ref.name);
        return false;
      };
    }
    case 'PREPEND': {
      const ref = resolveAttribute(action.attribute);
      const prefix = action.value;
      return (state) => {
        const key = ref.keyIn(state.item);
        if (key === undefined) write(state, ref.key, prefix, settings, ref.name);
        else transformValue(state, key, (v) => prefix + v, settings, ref.name);
        return false;
      };
    }
    case 'REPLACE': {
      const ref = resolveAttribute(action.attribute);
      const guarded = guardedRegex(action.pattern, true, ref, settings);
      const compiled = compileLinearRegex(action.pattern, true);
      const groups = compiled.ok ? groupsOf(compiled.regex) : { count: 0, named: false };
      const parts = parseReplacement(action.replacement, groups.count, groups.named);
      const max = settings.maxValueChars;
      return transform(ref, settings, (value, state) => {
        try {
          return guarded(state, value, (regex) => value.replace(regex, replacer(parts, value.length, max))) ?? value;
        } catch (error) {
          if (!(error instanceof ValueTooLong)) throw error;
          state.limit(ref.name, 'VALUE_TOO_LONG');
          return value;
        }
      });
    }
    case 'LOWERCASE':
      return transform(resolveAttribute(action.attribute), settings, (v) => v.toLowerCase());
    case 'UPPERCASE':
      return transform(resolveAttribute(action.attribute), settings, (v) => v.toUpperCase());
    case 'TITLECASE':
      return transform(resolveAttribute(action.attribute), settings, titleCase);
    case 'TRUNCATE': {
      const max = action.maxLength;
      return transform(resolveAttribute(action.attribute), settings, (v) => truncateOnWord(v, max));
    }
    case 'MAP': {
      const source = resolveAttribute(action.attribute);
      const target = action.targetAttribute ? resolveAttribute(action.targetAttribute) : source;
      const exact = new Map<string, string>();
      const caseless = new Map<string, string>();
      for (const [from, to] of Object.entries(action.table)) {
        exact.set(from.trim(), to);
        if (!caseless.has(from.trim().toLowerCase())) caseless.set(from.trim().toLowerCase(), to);
      }
      const fallback = action.defaultValue;
      return (state) => {
        const value = read(source, state.item)?.trim();
        const mapped =
          value === undefined || value === ''
            ? fallback
            : (exact.get(value) ?? caseless.get(value.toLowerCase()) ?? fallback);
        if (mapped !== undefined) write(state, target.keyIn(state.item) ?? target.key, mapped, settings, target.name);
        return false;
      };
    }
  }
}

function transformValue(
  state: ApplyState,
  key: string,
  fn: (value: string) => string,
  settings: Settings,
  name: string,
): void {
  const current = state.item[key];
  write(state, key, typeof current === 'string' ? fn(current) : current.map(fn), settings, name);
}
