import {
  collectCustomRefs,
  fieldAccess,
  firstOf,
  forgetKeys,
  indexKeys,
  noteKey,
  resolveAttribute,
  type AttributeRef,
} from './attribute.ref.js';
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
import { NeedleSet } from './needle-set.js';
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

const DEFAULTS = { regexTimeoutMs: 100, regexMaxInputChars: 16_384, maxValueChars: 1_048_576 };

/** The state of one apply(): reused from item to item (apply is synchronous), so an item allocates only what changes. */
class ApplyState {
  item: FeedItemFields = {};
  copied = false;
  changes: RuleChange[] | null = null;
  limits: RuleLimit[] | null = null;
  rule: CompiledRule = null as unknown as CompiledRule;
  /** With `interruptible`: the clock reading at which apply() stops, and whether it did. */
  deadline = Infinity;
  stopped = false;
  /** With reuseOutcome: the list every apply() records its changes in. */
  readonly reused: RuleChange[] | null;

  constructor(reuse: boolean) {
    this.reused = reuse ? [] : null;
  }

  reset(item: FeedItemFields): void {
    this.item = item;
    this.copied = false;
    this.changes = null;
    this.limits = null;
  }

  /** The item's list of changes, made (or emptied, with reuseOutcome) on its first change. */
  changeList(): RuleChange[] {
    if (this.changes === null) {
      if (this.reused === null) this.changes = [];
      else {
        this.reused.length = 0;
        this.changes = this.reused;
      }
    }
    return this.changes;
  }

  /** Whether the deadline has passed (it then stays passed for this apply()). */
  pastDeadline(now: () => number): boolean {
    if (!this.stopped && this.deadline !== Infinity && now() >= this.deadline) this.stopped = true;
    return this.stopped;
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
  /** Without recordValues: this rule's change of each attribute it changed, shared by the items. */
  changes: Map<string, RuleChange>;
}

/** Shared changes kept per rule (a rule changes few attributes; past this, each change is a new object). */
const MAX_SHARED_CHANGES = 64;

interface Settings {
  regexTimeoutMs: number;
  regexMaxInputChars: number;
  maxValueChars: number;
  now: () => number;
  inPlace: boolean;
  interruptible: boolean;
  recordValues: boolean;
  recordValueChars: number;
  reuseOutcome: boolean;
}

/**
 * Compiles validated rules once per run: every condition becomes a closure, every pattern a linear-time RegExp,
 * every template a list of parts, so apply() does no parsing and allocates only for what it changes.
 */
export function compileFeedRules(rules: FeedRule[], options: CompileOptions = {}): CompiledFeedRules {
  // As stored: a version written before a check was added still compiles (validate new rules without `stored`).
  const checked = validateFeedRules(rules, { stored: true });
  if ('errors' in checked) throw new FeedRulesCompileError(checked.errors);
  const settings: Settings = {
    regexTimeoutMs: options.regexTimeoutMs ?? DEFAULTS.regexTimeoutMs,
    regexMaxInputChars: options.regexMaxInputChars ?? DEFAULTS.regexMaxInputChars,
    maxValueChars: options.maxValueChars ?? DEFAULTS.maxValueChars,
    now: options.now ?? (() => performance.now()),
    inPlace: options.inPlace ?? false,
    interruptible: options.interruptible ?? false,
    recordValues: options.recordValues ?? true,
    recordValueChars: options.recordValueChars ?? Infinity,
    reuseOutcome: options.reuseOutcome ?? false,
  };
  const { result: compiled, refs: customRefs } = collectCustomRefs(() =>
    checked.rules
      .filter((rule) => rule.enabled !== false)
      .map((rule): CompiledRule => ({
        id: rule.id,
        name: rule.name,
        when: rule.when ? compileCondition(rule.when, settings) : null,
        actions: rule.actions.map((action) => compileAction(action, settings)),
        changes: new Map(),
      })),
  );
  const state = new ApplyState(settings.reuseOutcome);
  const none: RuleChange[] = [];
  const reused: RuleOutcome<FeedItemFields> = { item: {}, changes: none };
  const interruptible = settings.interruptible;
  const now = settings.now;
  let deadline = Infinity;
  const applier = {
    size: compiled.length,
    stopAt(time: number | null): void {
      if (time !== null && !interruptible) throw new Error('stopAt needs rules compiled with `interruptible`');
      deadline = time ?? Infinity;
    },
    apply(item: FeedItemFields): RuleOutcome<FeedItemFields> {
      state.reset(item);
      state.deadline = deadline;
      state.stopped = false;
      forgetKeys();
      // A custom name that had to be looked for will be again: its keys are indexed before any rule adds one.
      for (const ref of customRefs) {
        if (ref.scans) {
          indexKeys(item);
          break;
        }
      }
      let excludedBy: RuleOutcome['excludedBy'];
      rules: for (const rule of compiled) {
        state.rule = rule;
        if (interruptible && state.pastDeadline(now)) break;
        if (rule.when !== null && !rule.when(state)) continue;
        for (const action of rule.actions) {
          if (interruptible && state.pastDeadline(now)) break rules;
          if (action(state)) {
            excludedBy = { ruleId: rule.id, ruleName: rule.name };
            break rules;
          }
        }
      }
      let outcome: RuleOutcome<FeedItemFields>;
      if (settings.reuseOutcome) {
        outcome = reused;
        outcome.item = state.item;
        outcome.changes = state.changes ?? none;
        outcome.excludedBy = excludedBy;
        outcome.limits = state.limits ?? undefined;
        outcome.stopped = state.stopped ? true : undefined;
        outcome.stoppedIn = state.stopped ? { ruleId: state.rule.id, ruleName: state.rule.name } : undefined;
      } else {
        outcome = { item: state.item, changes: state.changes ?? [] };
        if (excludedBy) outcome.excludedBy = excludedBy;
        if (state.limits) outcome.limits = state.limits;
        if (state.stopped) {
          outcome.stopped = true;
          outcome.stoppedIn = { ruleId: state.rule.id, ruleName: state.rule.name };
        }
      }
      state.reset({});
      return outcome;
    },
  };
  keepWarm(applier as CompiledFeedRules, rules);
  return applier as CompiledFeedRules;
}

/** Compiled rule sets kept after their run (see keepWarm). */
const WARM_SETS = 2;
/** Rule sets larger than this, as JSON, are not kept (their tables would be held for nothing but speed). */
const WARM_MAX_JSON_CHARS = 256 * 1024;
const warm: CompiledFeedRules[] = [];

/**
 * Keeps the last WARM_SETS compiled rule sets alive. Each compile makes new closures of the same functions, which
 * share V8's feedback and its optimized code; but that code is held weakly, so once a run's closures are garbage a
 * major collection drops it, and the next run's rules start in the interpreter and are optimized again, on the
 * compiler's threads, while the run reads. Measured (20 rules, 30,000 bench items read and validated on one thread,
 * runs with and without rules alternating): 65 ms of CPU a run with rules, a fifth of what the rules cost. A set kept
 * here holds its optimized code for the next compile of any rules, whatever they are; nothing else of it is used.
 */
function keepWarm(compiled: CompiledFeedRules, rules: FeedRule[]): void {
  let chars: number;
  try {
    chars = JSON.stringify(rules).length;
  } catch {
    return; // validated rules are plain data; anything else is simply not kept
  }
  if (chars > WARM_MAX_JSON_CHARS) return;
  warm.push(compiled);
  if (warm.length > WARM_SETS) warm.shift();
}

// ---- conditions

function read(ref: AttributeRef, item: FeedItemFields): string | undefined {
  return firstOf(ref.valueIn(item));
}

/** Printable ASCII without a space at either end: trim() and toLowerCase() keep its length. */
function isPlainAscii(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  if (first <= 0x20 || first > 0x7e || last <= 0x20 || last > 0x7e) return false;
  for (let i = 1; i < n - 1; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** A printable ASCII needle as a pattern matching it in any case: "a-1" → "[aA]\\-1". */
function caselessAscii(needle: string): string {
  let out = '';
  for (const ch of needle) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += lower !== upper ? `[${lower}${upper}]` : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return out;
}

function isBlank(value: string | string[] | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  return value.every((v) => v.trim() === '');
}

/** CONTAINS searches with one pattern only this many values of at most this many characters (see compileCondition). */
const CONTAINS_PATTERN_MAX_NEEDLES = 16;
const CONTAINS_PATTERN_MAX_NEEDLE_CHARS = 64;

function compileCondition(condition: FeedRuleCondition, settings: Settings): Condition {
  if (!settings.interruptible || 'all' in condition || 'any' in condition) return compileOne(condition, settings);
  // A leaf past the deadline is false without being read (the outcome says it stopped).
  const leaf = compileOne(condition, settings);
  const now = settings.now;
  return (state) => !state.pastDeadline(now) && leaf(state);
}

function compileOne(condition: FeedRuleCondition, settings: Settings): Condition {
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
      return (state) => isBlank(ref.valueIn(state.item));
    case 'IS_NOT_EMPTY':
      return (state) => !isBlank(ref.valueIn(state.item));
    case 'EQUALS':
    case 'NOT_EQUALS': {
      const set = new Set(lowerTrimmed);
      // Without a copy when it can: a value written as a wanted one is equal; a value trimming and lower-casing
      // cannot change (printable ASCII, no space at either end) is not when no wanted value has its length.
      const written = new Set(wanted);
      const lengths = new Set(lowerTrimmed.map((w) => w.length));
      const equals = (state: ApplyState) => {
        const value = read(ref, state.item) ?? '';
        if (written.has(value)) return true;
        if (!lengths.has(value.length) && isPlainAscii(value)) return false;
        return set.has(value.trim().toLowerCase());
      };
      return condition.operator === 'EQUALS' ? equals : (state) => !equals(state);
    }
    case 'CONTAINS': {
      // Many values: one walk of the value for all of them (NeedleSet); a few: a search per value.
      const many = lower.length > CONTAINS_PATTERN_MAX_NEEDLES ? new NeedleSet(lower) : null;
      const contains = (value: string) => {
        const lowered = value.toLowerCase();
        if (many !== null) return many.has(lowered);
        for (const w of lower) if (lowered.includes(w)) return true;
        return false;
      };
      // A few short ASCII needles: one search of the value as it is, no lower-cased copy of a long description. Each
      // letter is a class of its two cases (what the `i` flag matches for an ASCII letter without `u`), which V8
      // searches 2× faster than the same needles with `i` (measured on bench descriptions). Only a few short ones on
      // a value of ordinary length: an alternation backtracks over every needle at every position, and past V8's
      // backtrack limit the linear engine redoes it as an interpreter, so 1,000 values of "aaaaaaab…" took 19 s
      // against one 5,000-character description (and a preview runs on the API's event loop); String.includes
      // searches each needle in time linear in the value.
      if (
        lower.length <= CONTAINS_PATTERN_MAX_NEEDLES &&
        lower.every((w) => w.length <= CONTAINS_PATTERN_MAX_NEEDLE_CHARS && /^[\x20-\x7e]*$/.test(w))
      ) {
        const needles = new RegExp(lower.map(caselessAscii).join('|'));
        const maxInput = settings.regexMaxInputChars;
        return (state) => {
          const value = read(ref, state.item) ?? '';
          return value.length <= maxInput ? needles.test(value) : contains(value);
        };
      }
      return (state) => contains(read(ref, state.item) ?? '');
    }
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
        return guarded(state, value, testRegex) ?? false;
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

const testRegex = (regex: RegExp, input: string): boolean => regex.test(input);
const replaceRegex = (regex: RegExp, input: string, replacement: string | ((...args: unknown[]) => string)): string =>
  typeof replacement === 'string' ? input.replace(regex, replacement) : input.replace(regex, replacement);

/**
 * Runs a rule's pattern under the limits: values longer than regexMaxInputChars are not matched
 * (REGEX_INPUT_TOO_LONG), and a pattern whose one match took longer than regexTimeoutMs is off for the rest of the
 * run (RULE_TIMEOUT on every later item). Undefined when a limit stopped it. `run` gets the input (and `extra`) as
 * arguments, so a caller passes one function made at compile time, not a closure made per item.
 */
function guardedRegex(
  pattern: string,
  global: boolean,
  ref: AttributeRef,
  settings: Settings,
): <R, E = undefined>(
  state: ApplyState,
  input: string,
  run: (regex: RegExp, input: string, extra: E) => R,
  extra?: E,
) => R | undefined {
  const compiled = compileLinearRegex(pattern, global);
  if (!compiled.ok) throw new Error(compiled.message); // validated before, so unreachable
  const regex = compiled.regex;
  let timedOut = false;
  return (state, input, run, extra) => {
    if (settings.interruptible && state.pastDeadline(settings.now)) return undefined;
    if (timedOut) {
      state.limit(ref.name, 'RULE_TIMEOUT');
      return undefined;
    }
    if (input.length > settings.regexMaxInputChars) {
      state.limit(ref.name, 'REGEX_INPUT_TOO_LONG');
      return undefined;
    }
    // Every match is timed: a clock read costs tens of nanoseconds, a short value on the linear fallback milliseconds.
    let started = settings.now();
    const result = run(regex, input, extra!);
    if (settings.now() - started > settings.regexTimeoutMs) {
      // A garbage collection or a busy machine can stall any one match: only a match slow twice in a row on the
      // same value is the pattern's doing (measured: without this check, a loaded machine switched off ordinary
      // patterns part-way through bench:feed-rules).
      started = settings.now();
      run(regex, input, extra!);
      if (settings.now() - started > settings.regexTimeoutMs) timedOut = true;
    }
    return result;
  };
}

// ---- actions

/**
 * A shallow copy. Readers build items key by key, so V8 holds them as dictionaries, which a spread copies slowly;
 * keys added in the same order to a fresh object share hidden classes from item to item (measured 2–5× faster).
 */
function copyOf(item: FeedItemFields): FeedItemFields {
  const copy: FeedItemFields = {};
  for (const key in item) {
    // An own "__proto__" (a plain map's, not a reader's: readers prefix custom columns) would be dropped by `=`.
    if (key === '__proto__') fieldAccess(key).set(copy, item[key]);
    else copy[key] = item[key];
  }
  return copy;
}

function show(value: string | string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.join(', ');
}

/** A value as a change records it: whole, or its first `max` characters and "…" as a string of its own. */
function recorded(value: string | string[] | undefined, max: number): string | undefined {
  const shown = show(value);
  if (shown === undefined || shown.length <= max) return shown;
  let end = max;
  const last = shown.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  // A slice of a string keeps the whole string alive in V8: a copy through a buffer does not.
  return Buffer.from(shown.slice(0, end) + '…', 'utf16le').toString('utf16le');
}

/** Whether writing `b` over `a` changes nothing: equal, or a one-value list and that value (as show() shows both). */
function sameValue(a: string | string[] | undefined, b: string | string[] | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
    return a.length === 1 && a[0] === b;
  }
  return Array.isArray(b) && b.length === 1 && b[0] === a;
}

/** Writes one attribute (copying the item on its first change) and records the change; '' or [] removes it. */
function write(
  state: ApplyState,
  ref: AttributeRef,
  key: string,
  value: string | string[] | undefined,
  settings: Settings,
): void {
  const name = ref.name;
  const field = key === ref.key ? ref.field : fieldAccess(key);
  let next = value;
  if (next !== undefined && (typeof next === 'string' ? next === '' : next.length === 0)) next = undefined;
  const before = field.get(state.item);
  if (sameValue(before, next)) return;
  if (next !== undefined) {
    const length = typeof next === 'string' ? next.length : next.reduce((sum, v) => sum + v.length, 0);
    if (length > settings.maxValueChars) {
      state.limit(name, 'VALUE_TOO_LONG');
      return;
    }
  }
  if (!state.copied) {
    if (!settings.inPlace) state.item = copyOf(state.item);
    state.copied = true;
  }
  if (next === undefined) delete state.item[key];
  else field.set(state.item, next);
  if (before === undefined || next === undefined) noteKey(state.item, key);
  const rule = state.rule;
  let change: RuleChange | undefined;
  if (settings.recordValues) {
    const max = settings.recordValueChars;
    change = {
      ruleId: rule.id,
      ruleName: rule.name,
      attribute: key,
      before: recorded(before, max),
      after: recorded(next, max),
    };
  } else {
    change = rule.changes.get(key);
    if (!change) {
      change = { ruleId: rule.id, ruleName: rule.name, attribute: key, before: undefined, after: undefined };
      if (rule.changes.size < MAX_SHARED_CHANGES) rule.changes.set(key, change);
    }
  }
  state.changeList().push(change);
}

/** An action that rewrites each value of the attribute (every element of a list); absent attributes stay absent. */
function transform(ref: AttributeRef, settings: Settings, fn: (value: string, state: ApplyState) => string): Action {
  return (state) => {
    const current = ref.valueIn(state.item);
    if (current === undefined) return false;
    const next =
      typeof current === 'string' ? fn(current, state) : current.map((v) => fn(v, state)).filter((v) => v !== '');
    write(state, ref, ref.keyIn(state.item)!, next, settings);
    return false;
  };
}

function setter(ref: AttributeRef, settings: Settings, produce: (state: ApplyState) => string | null): Action {
  return (state) => {
    const value = produce(state);
    if (value === null) state.limit(ref.name, 'VALUE_TOO_LONG');
    else write(state, ref, ref.keyIn(state.item) ?? ref.key, value, settings);
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
      return extender(ref, settings, suffix, (v) => v + suffix);
    }
    case 'PREPEND': {
      const ref = resolveAttribute(action.attribute);
      const prefix = action.value;
      return extender(ref, settings, prefix, (v) => prefix + v);
    }
    case 'REPLACE': {
      const ref = resolveAttribute(action.attribute);
      const guarded = guardedRegex(action.pattern, true, ref, settings);
      const compiled = compileLinearRegex(action.pattern, true);
      const groups = compiled.ok ? groupsOf(compiled.regex) : { count: 0, named: false };
      const parts = parseReplacement(action.replacement, groups.count, groups.named);
      const max = settings.maxValueChars;
      // References that copy the match ($&, $1…) can grow a value by its own length per match; literal text by its
      // length per match. Where even that cannot reach the limit, the native replacement (no call per match) is used.
      const references = parts.filter((part) => typeof part !== 'string').length;
      const literal = parts.reduce((sum: number, part) => sum + (typeof part === 'string' ? part.length : 0), 0);
      const replacement = action.replacement;
      return transform(ref, settings, (value, state) => {
        const n = value.length;
        if (n + (n + 1) * (literal + references * n) <= max) {
          return guarded(state, value, replaceRegex, replacement) ?? value;
        }
        try {
          return guarded(state, value, replaceRegex, replacer(parts, value.length, max)) ?? value;
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
        if (mapped !== undefined) write(state, target, target.keyIn(state.item) ?? target.key, mapped, settings);
        return false;
      };
    }
  }
}

/** APPEND or PREPEND: `extend` each value of the attribute, or set it to `text` when the item has none. */
function extender(ref: AttributeRef, settings: Settings, text: string, extend: (value: string) => string): Action {
  return (state) => {
    const current = ref.valueIn(state.item);
    if (current === undefined) write(state, ref, ref.key, text, settings);
    else {
      const next = typeof current === 'string' ? extend(current) : current.map(extend);
      write(state, ref, ref.keyIn(state.item)!, next, settings);
    }
    return false;
  };
}
