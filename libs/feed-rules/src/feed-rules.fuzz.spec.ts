import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { CONDITION_OPERATORS, compileFeedRules, validateFeedRules, type FeedItemFields } from '@brandshelf/feed-rules';
import { feedText, fuzzParameters } from '../../catalog-rules/src/__fixtures__/fuzz.fixture.js';

const ATTRIBUTES = [
  'title',
  'price',
  'link',
  'handle',
  'custom:Handle',
  'Colour',
  'color',
  'additional_image_link',
  'custom_label_0',
  'x',
  '__proto__',
  'constructor',
  'toString',
  'custom:__proto__',
  'g:price',
];
const KEYS = [
  'title',
  'price',
  'link',
  'custom:Handle',
  'color',
  'additional_image_link',
  'custom_label_0',
  'x',
  'custom:__proto__',
  'custom:toString',
  'custom:HANDLE',
  'custom:handle',
  'description',
  '__proto__',
  'constructor',
];
const PATTERNS = [
  '(a+)+$',
  '^\\s*',
  '\\d+',
  '(\\w+)@(\\w+)',
  '(?<n>\\d)',
  '[',
  '(a)\\1',
  '',
  'x*',
  '.',
  '(?=a)',
  'a{2,5}',
  '\\b',
];
const TEMPLATES = [
  '{handle}',
  'https://shop.example.com/products/{handle}',
  '{{x}}',
  '{',
  '}',
  '{}',
  '{title} {price}',
  '{__proto__}{constructor}',
];

const text = fc.oneof(
  feedText(12),
  fc.constantFrom('12.50 USD', '$3', '-1', '1e3', '1,234.50', '€5', 'NaN', 'Infinity', ''),
);
const attribute = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...ATTRIBUTES) },
  { weight: 1, arbitrary: feedText(8) },
);
/** Mostly valid, sometimes not: the fuzz should mostly run rules, and sometimes check validation. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 19, arbitrary: good }, { weight: 1, arbitrary: bad });

const NUMBERS = ['12.50 USD', '$3', '-1', '1e3', '1,234.50', '€5', '0', '7 EUR'];
/** Leaves shaped for their operator (mostly valid), with a random record now and then. */
const leaf = mostly(
  fc.oneof(
    fc.record({
      attribute,
      operator: fc.constantFrom('EQUALS', 'NOT_EQUALS', 'CONTAINS', 'STARTS_WITH', 'ENDS_WITH'),
      value: text,
    }),
    fc.record({
      attribute,
      operator: fc.constantFrom('EQUALS', 'NOT_EQUALS', 'CONTAINS', 'STARTS_WITH', 'ENDS_WITH'),
      values: fc.array(text, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ attribute, operator: fc.constant('MATCHES'), value: fc.constantFrom(...PATTERNS) }),
    fc.record({ attribute, operator: fc.constantFrom('IS_EMPTY', 'IS_NOT_EMPTY') }),
    fc.record({
      attribute,
      operator: fc.constantFrom('LESS_THAN', 'GREATER_THAN', 'LESS_OR_EQUAL', 'GREATER_OR_EQUAL'),
      value: fc.constantFrom(...NUMBERS),
    }),
  ),
  fc.record(
    {
      attribute,
      operator: fc.oneof(fc.constantFrom(...CONDITION_OPERATORS), fc.constant('NOPE')),
      value: fc.oneof(text, fc.constantFrom(...PATTERNS)),
      values: fc.array(text, { maxLength: 3 }),
    },
    { requiredKeys: ['attribute', 'operator'] },
  ),
);
const { condition } = fc.letrec((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
  ),
}));

const setValue = fc.oneof(
  fc.record({ value: text }),
  fc.record({ template: fc.oneof(fc.constantFrom(...TEMPLATES), feedText(10)) }),
);
/** Mostly well-formed actions of every type (so most rule sets validate and run), some with a stray field. */
const wellFormed = fc.oneof(
  setValue.chain((v) => fc.record({ type: fc.constant('SET'), attribute }).map((a) => ({ ...a, ...v }))),
  fc.record({ type: fc.constantFrom('APPEND', 'PREPEND'), attribute, value: text }),
  fc.record({
    type: fc.constant('REPLACE'),
    attribute,
    pattern: fc.constantFrom(...PATTERNS),
    replacement: fc.oneof(fc.constantFrom('$1', '$<n>', '$&', '$$', "$'", '$2$10', 'x'), feedText(6)),
  }),
  fc.record({ type: fc.constantFrom('LOWERCASE', 'UPPERCASE', 'TITLECASE'), attribute }),
  fc.record({
    type: fc.constant('TRUNCATE'),
    attribute,
    maxLength: mostly(fc.integer({ min: 1, max: 30 }), fc.oneof(fc.integer({ min: -1, max: 0 }), fc.double())),
  }),
  fc.record(
    {
      type: fc.constant('MAP'),
      attribute,
      targetAttribute: attribute,
      table: fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor')), text, { maxKeys: 4 }),
      defaultValue: text,
    },
    { requiredKeys: ['type', 'attribute', 'table'] },
  ),
  setValue.chain((v) =>
    fc
      .record({
        type: fc.constant('SET_CUSTOM_LABEL'),
        index: mostly(fc.integer({ min: 0, max: 4 }), fc.constantFrom(-1, 5, 1.5)),
      })
      .map((a) => ({ ...a, ...v })),
  ),
  fc.constant({ type: 'EXCLUDE' }),
);
/** EXCLUDE anywhere but last is an error (UNREACHABLE_ACTION): mostly keep it last. */
const mostlyLast = (list: Array<{ type: string }>) =>
  list.length === 4 && list[3].type === 'EXCLUDE'
    ? list
    : [...list.filter((a) => a.type !== 'EXCLUDE'), ...list.filter((a) => a.type === 'EXCLUDE').slice(0, 1)];
const action = fc.oneof(
  { weight: 19, arbitrary: wellFormed },
  {
    weight: 1,
    arbitrary: fc.tuple(wellFormed, fc.constantFrom('stray', 'value', 'index')).map(([a, k]) => ({ ...a, [k]: 1 })),
  },
);

const rule = fc.record(
  {
    id: mostly(fc.uuid(), fc.oneof(fc.constantFrom('a', ''), feedText(4))),
    name: mostly(fc.constant('Rule'), feedText(6)),
    enabled: fc.boolean(),
    when: fc.option(condition, { nil: undefined, freq: 3 }),
    actions: fc.array(action, { minLength: 1, maxLength: 4 }).map((list) => mostlyLast(list)),
  },
  { requiredKeys: ['id', 'name', 'actions'] },
);

const item: fc.Arbitrary<FeedItemFields> = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS), feedText(6)),
  fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.array(text, { minLength: 1, maxLength: 3 }) }),
  { maxKeys: 8 },
);

describe('feed rules fuzz', () => {
  it('validation never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(rule, { maxLength: 3 }), fc.anything()), (input) => {
        const result = validateFeedRules(input);
        if ('errors' in result) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error.path.startsWith('rules')).toBe(true);
        }
      }),
      fuzzParameters(500),
    );
  });

  it('random valid rules on random items never throw, never mutate the input, and leave strings or lists', () => {
    let applied = 0;
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 3 }), fc.array(item, { minLength: 1, maxLength: 4 }), (rules, items) => {
        const checked = validateFeedRules(rules);
        if ('errors' in checked) return;
        const compiled = compileFeedRules(checked.rules, { maxValueChars: 200 });
        for (const input of items) {
          const before = structuredClone(input);
          const outcome = compiled.apply(input);
          applied++;
          expect(input).toEqual(before);
          for (const value of Object.values(outcome.item)) {
            if (Array.isArray(value)) for (const v of value) expect(typeof v).toBe('string');
            else expect(typeof value).toBe('string');
          }
          if (outcome.changes.length === 0) expect(outcome.item).toBe(input);
          for (const change of outcome.changes) expect(change.before).not.toBe(change.after);
          if (outcome.excludedBy) expect(checked.rules.some((r) => r.id === outcome.excludedBy?.ruleId)).toBe(true);
        }
      }),
      fuzzParameters(500),
    );
    // About half the generated rule sets validate: the runs do exercise apply().
    expect(applied).toBeGreaterThan(50);
  });

  it('a run (in place, no values, one reused outcome) and a preview (copies, values) make the same items, changes and limits', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), fc.array(item, { minLength: 1, maxLength: 5 }), (rules, items) => {
        const checked = validateFeedRules(rules);
        if ('errors' in checked) return;
        const run = compileFeedRules(checked.rules, {
          maxValueChars: 200,
          inPlace: true,
          recordValues: false,
          reuseOutcome: true,
        });
        const preview = compileFeedRules(checked.rules, { maxValueChars: 200, recordValueChars: 50 });
        for (const input of items) {
          const previewed = preview.apply(input);
          const expected = {
            item: structuredClone(previewed.item),
            excludedBy: previewed.excludedBy,
            changes: previewed.changes.map((c) => [c.ruleId, c.attribute]),
            limits: previewed.limits,
          };
          const outcome = run.apply(structuredClone(input));
          const actual = {
            item: structuredClone(outcome.item),
            excludedBy: outcome.excludedBy,
            changes: outcome.changes.map((c) => [c.ruleId, c.attribute]),
            limits: outcome.limits,
          };
          if (expected.excludedBy) {
            expect(actual.excludedBy).toEqual(expected.excludedBy);
            continue;
          }
          expect(actual).toEqual(expected);
        }
      }),
      fuzzParameters(500),
    );
  });
});
