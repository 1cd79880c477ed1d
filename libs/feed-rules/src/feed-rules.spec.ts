import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import {
  compileFeedRules,
  FeedRulesCompileError,
  validateFeedRules,
  type FeedRule,
  type FeedRuleAction,
  type FeedRuleCondition,
  type FeedRuleValidationError,
} from '@brandshelf/feed-rules';

const rule = (id: string, actions: FeedRuleAction[], when?: FeedRuleCondition): FeedRule => ({
  id,
  name: `Rule ${id}`,
  ...(when ? { when } : {}),
  actions,
});
const only = (when: FeedRuleCondition) =>
  compileFeedRules([rule('r', [{ type: 'SET', attribute: 'custom_label_0', value: 'hit' }], when)]);
const matches = (when: FeedRuleCondition, item: Record<string, string>) =>
  only(when).apply(item).item.custom_label_0 === 'hit';
const applyOne = (action: FeedRuleAction, item: Record<string, string>) =>
  compileFeedRules([rule('r', [action])]).apply(item);
const errorsOf = (rules: unknown): FeedRuleValidationError[] => {
  const result = validateFeedRules(rules);
  if (!('errors' in result)) throw new Error('expected errors');
  return result.errors;
};

/** The one message a fixture worker (`__fixtures__/<name>`) posts, on a thread of its own as the ingestion reader runs rules. */
async function messageOf(fixture: string): Promise<unknown> {
  const worker = new Worker(new URL(`./__fixtures__/${fixture}`, import.meta.url), {
    execArgv: ['--import', new URL('../../../scripts/register-ts.mjs', import.meta.url).href],
  });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('conditions', () => {
  const item = { title: '  Leather Boots ', brand: 'Acme', price: '12.50 USD', 'custom:Season': 'Winter' };

  it('EQUALS and NOT_EQUALS compare trimmed and ignoring case, one value or any of values', () => {
    expect(matches({ attribute: 'title', operator: 'EQUALS', value: 'leather boots' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'EQUALS', value: 'leather' }, item)).toBe(false);
    expect(matches({ attribute: 'brand', operator: 'EQUALS', values: ['Zeta', 'ACME'] }, item)).toBe(true);
    expect(matches({ attribute: 'brand', operator: 'NOT_EQUALS', value: 'acme' }, item)).toBe(false);
    expect(matches({ attribute: 'brand', operator: 'NOT_EQUALS', values: ['Zeta', 'Omega'] }, item)).toBe(true);
    // An absent attribute reads as the empty string.
    expect(matches({ attribute: 'color', operator: 'NOT_EQUALS', value: 'red' }, item)).toBe(true);
    expect(matches({ attribute: 'color', operator: 'EQUALS', value: '' }, item)).toBe(true);
  });

  it('CONTAINS, STARTS_WITH and ENDS_WITH ignore case and take values as alternatives', () => {
    expect(matches({ attribute: 'title', operator: 'CONTAINS', value: 'THER BO' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'CONTAINS', values: ['shoe', 'boot'] }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'CONTAINS', value: 'shoe' }, item)).toBe(false);
    expect(matches({ attribute: 'x', operator: 'CONTAINS', value: 'a.b' }, { x: 'AXB' })).toBe(false);
    expect(matches({ attribute: 'x', operator: 'CONTAINS', values: ['(1+1)', 'z'] }, { x: 'x (1+1)' })).toBe(true);
    expect(matches({ attribute: 'x', operator: 'CONTAINS', value: 'ÉCO' }, { x: 'très éco' })).toBe(true);
    expect(matches({ attribute: 'title', operator: 'STARTS_WITH', value: 'leather' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'STARTS_WITH', values: ['suede', 'boots'] }, item)).toBe(false);
    expect(matches({ attribute: 'title', operator: 'ENDS_WITH', value: 'BOOTS' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'ENDS_WITH', value: 'leather' }, item)).toBe(false);
  });

  it('MATCHES is a regular expression, case-sensitive', () => {
    expect(matches({ attribute: 'title', operator: 'MATCHES', value: 'Boots?\\b' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'MATCHES', value: '^\\s*Leather' }, item)).toBe(true);
    expect(matches({ attribute: 'title', operator: 'MATCHES', value: 'boots' }, item)).toBe(false);
    expect(matches({ attribute: 'title', operator: 'MATCHES', value: '[Bb]oots' }, item)).toBe(true);
  });

  it('IS_EMPTY and IS_NOT_EMPTY: absent or only whitespace is empty', () => {
    expect(matches({ attribute: 'link', operator: 'IS_EMPTY' }, item)).toBe(true);
    expect(matches({ attribute: 'link', operator: 'IS_EMPTY' }, { link: ' \t' })).toBe(true);
    expect(matches({ attribute: 'title', operator: 'IS_EMPTY' }, item)).toBe(false);
    expect(matches({ attribute: 'title', operator: 'IS_NOT_EMPTY' }, item)).toBe(true);
    expect(matches({ attribute: 'link', operator: 'IS_NOT_EMPTY' }, item)).toBe(false);
  });

  it('numeric comparisons read numbers and prices by amount', () => {
    const lt = (value: string, attribute: string) =>
      matches({ attribute: 'x', operator: 'LESS_THAN', value }, { x: attribute });
    expect(lt('20', '12.50 USD')).toBe(true);
    expect(lt('20 USD', '12.50 USD')).toBe(true);
    expect(lt('12.50', 'USD 12.50')).toBe(false);
    expect(lt('1000', '1,234.50')).toBe(false);
    expect(lt('10', '-3')).toBe(true);
    expect(lt('10', '$9.99')).toBe(true);
    expect(lt('10', '1.234,50 €')).toBe(false);
    expect(matches({ attribute: 'price', operator: 'GREATER_THAN', value: '12' }, item)).toBe(true);
    expect(matches({ attribute: 'price', operator: 'GREATER_THAN', value: '12.50' }, item)).toBe(false);
    expect(matches({ attribute: 'price', operator: 'GREATER_OR_EQUAL', value: '12.50 USD' }, item)).toBe(true);
    expect(matches({ attribute: 'price', operator: 'LESS_OR_EQUAL', value: '12.5' }, item)).toBe(true);
    expect(matches({ attribute: 'price', operator: 'LESS_OR_EQUAL', value: '12.49' }, item)).toBe(false);
    expect(matches({ attribute: 'quantity', operator: 'GREATER_THAN', value: '0' }, { quantity: '3' })).toBe(true);
  });

  it('numeric comparisons are false for another currency, a non-number or an absent attribute', () => {
    for (const operator of ['LESS_THAN', 'GREATER_THAN', 'LESS_OR_EQUAL', 'GREATER_OR_EQUAL'] as const) {
      expect(matches({ attribute: 'price', operator, value: '12.50 EUR' }, item)).toBe(false);
      expect(matches({ attribute: 'title', operator, value: '10' }, item)).toBe(false);
      expect(matches({ attribute: 'sale_price', operator, value: '10' }, item)).toBe(false);
    }
  });

  it('all and any nest', () => {
    const when: FeedRuleCondition = {
      all: [
        { attribute: 'brand', operator: 'EQUALS', value: 'acme' },
        {
          any: [
            { attribute: 'title', operator: 'CONTAINS', value: 'sandal' },
            {
              all: [
                { attribute: 'season', operator: 'EQUALS', value: 'winter' },
                { attribute: 'price', operator: 'LESS_THAN', value: '20' },
              ],
            },
          ],
        },
      ],
    };
    expect(matches(when, item)).toBe(true);
    expect(matches(when, { ...item, price: '25 USD' })).toBe(false);
    expect(matches(when, { ...item, price: '25 USD', title: 'Sandal' })).toBe(true);
    expect(matches(when, { ...item, brand: 'Other', title: 'Sandal' })).toBe(false);
  });

  it('names attributes as feed headers do: aliases, custom columns in any case, custom: keys', () => {
    expect(matches({ attribute: 'Colour', operator: 'EQUALS', value: 'red' }, { color: 'Red' })).toBe(true);
    expect(matches({ attribute: 'g:price', operator: 'GREATER_THAN', value: '1' }, { price: '2 USD' })).toBe(true);
    expect(matches({ attribute: 'season', operator: 'EQUALS', value: 'winter' }, item)).toBe(true);
    expect(matches({ attribute: 'custom:Season', operator: 'EQUALS', value: 'winter' }, item)).toBe(true);
    expect(matches({ attribute: 'custom:season', operator: 'EQUALS', value: 'winter' }, item)).toBe(true);
    expect(
      matches({ attribute: 'Material Code', operator: 'EQUALS', value: 'x1' }, { 'custom:material code': 'X1' }),
    ).toBe(true);
  });

  it('reads a repeated attribute by its first value', () => {
    const rules = compileFeedRules([
      rule('r', [{ type: 'EXCLUDE' }], { attribute: 'additional_image_link', operator: 'ENDS_WITH', value: '.png' }),
    ]);
    expect(
      rules.apply({ id: '1', additional_image_link: ['https://a/1.png', 'https://a/2.jpg'] }).excludedBy,
    ).toBeDefined();
    expect(
      rules.apply({ id: '1', additional_image_link: ['https://a/1.jpg', 'https://a/2.png'] }).excludedBy,
    ).toBeUndefined();
  });
});

describe('actions', () => {
  it('SET a value, a template, or nothing (removes the attribute)', () => {
    expect(applyOne({ type: 'SET', attribute: 'brand', value: 'Acme' }, { brand: 'acme inc' }).item.brand).toBe('Acme');
    expect(applyOne({ type: 'SET', attribute: 'condition', value: 'new' }, {}).item.condition).toBe('new');
    const removed = applyOne({ type: 'SET', attribute: 'brand', value: '' }, { brand: 'x', title: 't' });
    expect(removed.item).toEqual({ title: 't' });
    expect(removed.changes).toEqual([
      { ruleId: 'r', ruleName: 'Rule r', attribute: 'brand', before: 'x', after: undefined },
    ]);
  });

  it('adds new attributes as plain own properties, last in key order, whatever characters their names hold', () => {
    const names = ['custom:a"b\\c\u2028d`${x}', 'custom:__proto__', 'custom:0', 'custom:x\ny', '__proto__', '0'];
    // In place, as the ingestion reader applies rules; twice, so the second item meets the stores made for the first.
    const rules = compileFeedRules(
      [
        rule(
          'r',
          names.map((attribute, i) => ({ type: 'SET' as const, attribute, value: `v${i}` })),
        ),
      ],
      { inPlace: true },
    );
    for (const title of ['one', 'two']) {
      const item = rules.apply({ title }).item;
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
      expect(Object.entries(item)).toEqual([
        ['title', title],
        ['custom:a"b\\c\u2028d`${x}', 'v0'],
        ['custom:__proto__', 'v4'],
        ['custom:0', 'v5'],
        ['custom:x\ny', 'v3'],
      ]);
    }
  });

  it('templates read other attributes: the Shopify handle, {{ }} for braces, empty for what is missing', () => {
    const shopify = { id: 'SKU-1', 'custom:Handle': 'trail-runner', item_group_id: 'trail-runner' };
    const link = applyOne(
      { type: 'SET', attribute: 'link', template: 'https://shop.example.com/products/{handle}' },
      shopify,
    );
    expect(link.item.link).toBe('https://shop.example.com/products/trail-runner');
    expect(link.changes).toEqual([
      {
        ruleId: 'r',
        ruleName: 'Rule r',
        attribute: 'link',
        before: undefined,
        after: 'https://shop.example.com/products/trail-runner',
      },
    ]);
    expect(
      applyOne(
        { type: 'SET', attribute: 'title', template: '{{{ id }}} {brand}|{ color }.' },
        { id: '7', color: 'red' },
      ).item.title,
    ).toBe('{7} |red.');
    expect(applyOne({ type: 'SET', attribute: 'custom:note', template: '}}{{' }, {}).item['custom:note']).toBe('}{');
    // Every placeholder missing: the empty string, which removes the attribute.
    expect(applyOne({ type: 'SET', attribute: 'mpn', template: '{gtin}' }, { mpn: 'old' }).item.mpn).toBeUndefined();
  });

  it('a template reads the item as the earlier actions and rules left it', () => {
    const rules = compileFeedRules([
      rule('a', [
        { type: 'SET', attribute: 'brand', value: 'Acme' },
        { type: 'SET', attribute: 'title', template: '{brand} {title}' },
      ]),
      rule('b', [{ type: 'APPEND', attribute: 'title', value: '!' }]),
    ]);
    expect(rules.apply({ title: 'Boot' }).item.title).toBe('Acme Boot!');
  });

  it('APPEND and PREPEND; on an absent attribute they set it', () => {
    expect(applyOne({ type: 'APPEND', attribute: 'title', value: ' - Red' }, { title: 'Boot' }).item.title).toBe(
      'Boot - Red',
    );
    expect(applyOne({ type: 'PREPEND', attribute: 'title', value: 'Acme ' }, { title: 'Boot' }).item.title).toBe(
      'Acme Boot',
    );
    expect(applyOne({ type: 'APPEND', attribute: 'custom:tags', value: 'sale' }, {}).item['custom:tags']).toBe('sale');
  });

  it('REPLACE every match of a pattern, with $1, $<name>, $& and $$', () => {
    const replace = (pattern: string, replacement: string, value: string) =>
      applyOne({ type: 'REPLACE', attribute: 'title', pattern, replacement }, { title: value }).item.title;
    expect(replace('\\s+', ' ', 'a   b \t c')).toBe('a b c');
    expect(replace('(\\w+)@(\\w+)', '$2 at $1', 'x@y and p@q')).toBe('y at x and q at p');
    expect(replace('(?<n>\\d+)cm', '$<n> cm', '10cm by 20cm')).toBe('10 cm by 20 cm');
    expect(replace('\\d+', '[$&]', 'a1b22')).toBe('a[1]b[22]');
    expect(replace('USD', '$$', '10 USD')).toBe('10 $');
    expect(replace('(a)', '$2$1', 'a')).toBe('$2a');
    expect(replace('zzz', 'y', 'abc')).toBe('abc');
    expect(applyOne({ type: 'REPLACE', attribute: 'title', pattern: 'a', replacement: 'b' }, {}).item).toEqual({});
  });

  it('LOWERCASE, UPPERCASE and TITLECASE', () => {
    expect(applyOne({ type: 'LOWERCASE', attribute: 'title' }, { title: 'ÉCOLE Boot' }).item.title).toBe('école boot');
    expect(applyOne({ type: 'UPPERCASE', attribute: 'mpn' }, { mpn: 'ab-12' }).item.mpn).toBe('AB-12');
    expect(
      applyOne({ type: 'TITLECASE', attribute: 'title' }, { title: "MEN'S leather t-shirt (black) 5th ed." }).item
        .title,
    ).toBe("Men's Leather T-Shirt (Black) 5th Ed.");
  });

  it('TRUNCATE to N characters on a word boundary', () => {
    const truncate = (maxLength: number, value: string) =>
      applyOne({ type: 'TRUNCATE', attribute: 'title', maxLength }, { title: value }).item.title;
    expect(truncate(20, 'Classic leather boots for winter')).toBe('Classic leather');
    expect(truncate(21, 'Classic leather boots for winter')).toBe('Classic leather boots');
    expect(truncate(16, 'Classic leather, boots')).toBe('Classic leather');
    expect(truncate(5, 'Supercalifragilistic')).toBe('Super');
    expect(truncate(50, 'Short')).toBe('Short');
    expect(truncate(3, 'ab😀cd')).toBe('ab');
    // Inside a word, whole graphemes only: an accent written as a combining mark stays on its letter, a flag whole.
    expect(truncate(3, 'e\u0301e\u0301e\u0301e\u0301')).toBe('e\u0301');
    expect(truncate(4, 'e\u0301e\u0301e\u0301e\u0301')).toBe('e\u0301e\u0301');
    expect(truncate(6, '🇫🇷🇫🇷🇫🇷')).toBe('🇫🇷');
    expect(truncate(16, '👩‍👩‍👧‍👦👩‍👩‍👧‍👦')).toBe('👩‍👩‍👧‍👦');
    expect(truncate(300, 'a'.repeat(298) + 'e\u0301\u0301z')).toBe('a'.repeat(298));
    expect(truncate(301, 'a'.repeat(298) + 'e\u0301\u0301z')).toBe('a'.repeat(298) + 'e\u0301\u0301');
    // Not even one grapheme fits: cut by code point, as before.
    expect(truncate(3, '🇫🇷🇫🇷')).toBe('🇫');
    for (let max = 1; max < 40; max++)
      expect(truncate(max, 'The quick brown fox jumps over the lazy dog').length).toBeLessThanOrEqual(max);
  });

  it('MAP through a table (exact, then ignoring case), with a default, into another attribute', () => {
    const map: FeedRuleAction = {
      type: 'MAP',
      attribute: 'product_type',
      targetAttribute: 'google_product_category',
      table: { 'Shoes > Boots': '187', boots: '187', Bags: '6551' },
      defaultValue: '166',
    };
    expect(applyOne(map, { product_type: 'Shoes > Boots' }).item.google_product_category).toBe('187');
    expect(applyOne(map, { product_type: ' BOOTS ' }).item.google_product_category).toBe('187');
    expect(applyOne(map, { product_type: 'Hats' }).item.google_product_category).toBe('166');
    expect(applyOne(map, {}).item.google_product_category).toBe('166');
    const noDefault = { ...map, defaultValue: undefined };
    expect(
      applyOne(noDefault, { product_type: 'Hats', google_product_category: '1' }).item.google_product_category,
    ).toBe('1');
    expect(applyOne({ type: 'MAP', attribute: 'color', table: { rot: 'red' } }, { color: 'Rot' }).item.color).toBe(
      'red',
    );
    // A key like __proto__ is an entry like any other.
    const table = JSON.parse('{"__proto__":"odd","constructor":"ctor"}') as Record<string, string>;
    expect(applyOne({ type: 'MAP', attribute: 'color', table }, { color: '__proto__' }).item.color).toBe('odd');
    expect(applyOne({ type: 'MAP', attribute: 'color', table }, { color: 'toString' }).item.color).toBe('toString');
  });

  it('MAP refuses two keys that are one to its lookup (case, surrounding spaces) but map to different values, naming both', () => {
    const map = (table: unknown) => [rule('m', [{ type: 'MAP', attribute: 'color', table } as FeedRuleAction])];
    // Differing in case: "BLACK" would silently take the first one's value.
    expect(errorsOf(map({ Black: 'dark', black: 'light' }))).toEqual([
      {
        path: 'rules[0].actions[0].table.black',
        code: 'CONFLICT',
        message:
          'Table keys "Black" (→ "dark") and "black" (→ "light") are one key to MAP, which ignores case and surrounding spaces: give them the same value, or keep one',
      },
    ]);
    // Differing in surrounding spaces: the later one silently won every lookup.
    expect(errorsOf(map({ Black: 'dark', ' Black ': 'light' }))).toEqual([
      expect.objectContaining({ path: 'rules[0].actions[0].table. Black ', code: 'CONFLICT' }),
    ]);
    // The API's list of { from, to }: entries by position, and one `from` twice is caught too.
    expect(
      errorsOf(
        map([
          { from: 'Red', to: 'rot' },
          { from: 'Black', to: 'dark' },
          { from: 'Black', to: 'light' },
        ]),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'rules[0].actions[0].table[2]',
        code: 'CONFLICT',
        message: expect.stringContaining('"Black" (→ "dark") and "Black" (→ "light")'),
      }),
    ]);
    // Keys that agree are fine, as is a list that repeats an entry; the list is stored as the object.
    expect(validateFeedRules(map({ Black: 'dark', black: 'dark', ' BLACK': 'dark' }))).toHaveProperty('rules');
    const listed = validateFeedRules(
      map([
        { from: 'Black', to: 'dark' },
        { from: 'Black', to: 'dark' },
        { from: 'Red', to: 'rot' },
      ]),
    );
    expect(listed).toEqual({
      rules: [
        expect.objectContaining({
          actions: [{ type: 'MAP', attribute: 'color', table: { Black: 'dark', Red: 'rot' } }],
        }),
      ],
    });
    expect(errorsOf(map([{ from: 'Black' }]))).toEqual([
      expect.objectContaining({ path: 'rules[0].actions[0].table[0]', code: 'INVALID_TYPE' }),
    ]);
    // A version stored before the check still validates as stored and compiles as it did: exact first, else the first.
    const stored = map({ Black: 'dark', black: 'light' });
    expect(validateFeedRules(stored, { stored: true })).toHaveProperty('rules');
    const compiled = compileFeedRules(stored as FeedRule[]);
    expect(compiled.apply({ color: 'black' }).item.color).toBe('light');
    expect(compiled.apply({ color: 'BLACK' }).item.color).toBe('dark');
  });

  it('records a long value before and after as its first recordValueChars characters and "…"', () => {
    const rules = [rule('r', [{ type: 'UPPERCASE', attribute: 'description' }])];
    const long = `${'ab'.repeat(10)}😀rest`;
    const [change] = compileFeedRules(rules, { recordValueChars: 21 }).apply({ description: long }).changes;
    // Never half a surrogate pair: 21 would split the emoji, so 20 characters are kept.
    expect(change).toMatchObject({ before: `${'ab'.repeat(10)}…`, after: `${'AB'.repeat(10)}…` });
    expect(compileFeedRules(rules, { recordValueChars: 100 }).apply({ description: long }).changes[0].before).toBe(
      long,
    );
  });

  it('stops part-way at the deadline of stopAt when compiled interruptible, and says so', () => {
    let clock = 0;
    const now = () => clock++;
    const rules = [
      rule('a', [{ type: 'SET', attribute: 'custom_label_0', value: 'a' }]),
      rule('b', [{ type: 'SET', attribute: 'custom_label_1', value: 'b' }], {
        any: [
          { attribute: 'title', operator: 'MATCHES', value: 'x' },
          { attribute: 'title', operator: 'CONTAINS', value: 'boot' },
        ],
      }),
      rule('c', [{ type: 'SET', attribute: 'custom_label_2', value: 'c' }]),
    ];
    const compiled = compileFeedRules(rules, { interruptible: true, now });
    // No deadline: everything applies.
    expect(compiled.apply({ title: 'boots' })).toMatchObject({
      item: { custom_label_0: 'a', custom_label_1: 'b', custom_label_2: 'c' },
    });
    expect(compiled.apply({ title: 'boots' }).stopped).toBeUndefined();
    // The clock passes the deadline inside rule b's condition: b and c are not applied, and the outcome says so.
    clock = 0;
    compiled.stopAt(3);
    const stopped = compiled.apply({ title: 'boots' });
    expect(stopped.stopped).toBe(true);
    expect(stopped.item).toEqual({ title: 'boots', custom_label_0: 'a' });
    compiled.stopAt(null);
    expect(compiled.apply({ title: 'boots' }).stopped).toBeUndefined();
    // Rules not compiled interruptible cannot be given a deadline.
    expect(() => compileFeedRules(rules).stopAt(1)).toThrow(/interruptible/);
  });

  it('SET_CUSTOM_LABEL 0 to 4, by value or template', () => {
    const rules = compileFeedRules([
      rule('labels', [
        { type: 'SET_CUSTOM_LABEL', index: 0, value: 'sale' },
        { type: 'SET_CUSTOM_LABEL', index: 4, template: '{brand}-{custom:Season}' },
      ]),
    ]);
    expect(rules.apply({ brand: 'Acme', 'custom:Season': 'ss26' }).item).toEqual({
      brand: 'Acme',
      'custom:Season': 'ss26',
      custom_label_0: 'sale',
      custom_label_4: 'Acme-ss26',
    });
  });

  it('applies value actions to each value of a repeated attribute', () => {
    const out = applyOne(
      { type: 'REPLACE', attribute: 'additional_image_link', pattern: '^http:', replacement: 'https:' },
      {
        additional_image_link: ['http://a/1.jpg', 'https://a/2.jpg'],
      } as unknown as Record<string, string>,
    );
    expect(out.item.additional_image_link).toEqual(['https://a/1.jpg', 'https://a/2.jpg']);
    expect(out.changes[0]).toMatchObject({
      before: 'http://a/1.jpg, https://a/2.jpg',
      after: 'https://a/1.jpg, https://a/2.jpg',
    });
  });
});

describe('order, exclusion and tracing', () => {
  const rules = compileFeedRules([
    rule(
      'clean',
      [
        { type: 'REPLACE', attribute: 'title', pattern: '\\s*-\\s*CLEARANCE$', replacement: '' },
        { type: 'SET_CUSTOM_LABEL', index: 1, value: 'clearance' },
      ],
      {
        attribute: 'title',
        operator: 'ENDS_WITH',
        value: 'clearance',
      },
    ),
    rule('drop-samples', [{ type: 'EXCLUDE' }], { attribute: 'product_type', operator: 'EQUALS', value: 'sample' }),
    // Sees the first rule's output: the suffix is gone, the label set.
    rule('sale', [{ type: 'APPEND', attribute: 'title', value: ' (Sale)' }], {
      attribute: 'custom_label_1',
      operator: 'EQUALS',
      value: 'clearance',
    }),
    { ...rule('off', [{ type: 'SET', attribute: 'title', value: 'never' }]), enabled: false },
  ]);

  it('applies rules in order, each seeing the output of the ones before, and skips disabled ones', () => {
    const input = { id: '1', title: 'Boot - CLEARANCE' };
    const out = rules.apply(input);
    expect(out.item).toEqual({ id: '1', title: 'Boot (Sale)', custom_label_1: 'clearance' });
    expect(out.changes).toEqual([
      { ruleId: 'clean', ruleName: 'Rule clean', attribute: 'title', before: 'Boot - CLEARANCE', after: 'Boot' },
      { ruleId: 'clean', ruleName: 'Rule clean', attribute: 'custom_label_1', before: undefined, after: 'clearance' },
      { ruleId: 'sale', ruleName: 'Rule sale', attribute: 'title', before: 'Boot', after: 'Boot (Sale)' },
    ]);
    expect(out.excludedBy).toBeUndefined();
    expect(input).toEqual({ id: '1', title: 'Boot - CLEARANCE' });
    expect(rules.size).toBe(3);
  });

  it('EXCLUDE stops processing and names the rule; what earlier rules did is kept', () => {
    const out = rules.apply({ id: '2', title: 'Kit - CLEARANCE', product_type: 'Sample' });
    expect(out.excludedBy).toEqual({ ruleId: 'drop-samples', ruleName: 'Rule drop-samples' });
    expect(out.item.title).toBe('Kit');
    expect(out.changes.map((c) => c.ruleId)).toEqual(['clean', 'clean']);
  });

  it('an item nothing changes comes back as the same object with no changes', () => {
    const input = { id: '3', title: 'Plain' };
    const out = rules.apply(input);
    expect(out.item).toBe(input);
    expect(out.changes).toEqual([]);
    expect(out.limits).toBeUndefined();
  });

  it('with reuseOutcome, each apply() says what it did to its own item, in the one outcome object and list', () => {
    const source = [
      rule('brand', [{ type: 'SET', attribute: 'brand', value: 'Acme' }]),
      rule('drop', [{ type: 'EXCLUDE' }], { attribute: 'id', operator: 'EQUALS', value: 'x' }),
      rule('slow', [{ type: 'REPLACE', attribute: 'title', pattern: 'a', replacement: 'b' }]),
    ];
    let clock = 0;
    // Every REPLACE match takes 500 ms by this clock: the pattern is switched off on the first item.
    const now = () => (clock += 250);
    const reusing = compileFeedRules(source, { inPlace: true, recordValues: false, reuseOutcome: true, now });
    const plain = compileFeedRules(source, { inPlace: true, recordValues: false, now: () => 0 });
    const items: Record<string, string>[] = [
      { id: '1', brand: 'Other', title: 'a' },
      { id: '2', brand: 'Acme' },
      { id: 'x', brand: 'Other' },
      { id: '3', title: 'c' },
    ];
    const outcomes = items.map((item) => {
      const out = reusing.apply({ ...item });
      // Read at once, as the reader does: the next apply() refills the same object.
      return {
        out,
        item: { ...out.item },
        changes: out.changes.map((c) => `${c.ruleId}:${c.attribute}`),
        excluded: out.excludedBy?.ruleId,
        limits: out.limits?.map((l) => l.code),
      };
    });
    expect(outcomes[1].out).toBe(outcomes[0].out);
    expect(outcomes.map(({ out: _, ...rest }) => rest)).toEqual([
      {
        item: { id: '1', brand: 'Acme', title: 'b' },
        changes: ['brand:brand', 'slow:title'],
        excluded: undefined,
        limits: undefined,
      },
      { item: { id: '2', brand: 'Acme' }, changes: [], excluded: undefined, limits: undefined },
      { item: { id: 'x', brand: 'Acme' }, changes: ['brand:brand'], excluded: 'drop', limits: undefined },
      {
        item: { id: '3', brand: 'Acme', title: 'c' },
        changes: ['brand:brand'],
        excluded: undefined,
        limits: ['RULE_TIMEOUT'],
      },
    ]);
    // The same as without reuse, apart from the limit the fake clock made.
    expect(plain.apply({ ...items[0] }).changes.map((c) => `${c.ruleId}:${c.attribute}`)).toEqual(outcomes[0].changes);
  });

  it('setting a value to what it already is is no change', () => {
    expect(applyOne({ type: 'SET', attribute: 'brand', value: 'Acme' }, { brand: 'Acme' }).changes).toEqual([]);
  });

  it('setting a repeated attribute of one value to that value is no change either (the fuzz run found it)', () => {
    const input = { id: '4', x: ['Infinity'] };
    const out = compileFeedRules([
      rule('map', [{ type: 'MAP', attribute: 'title', targetAttribute: 'x', table: {}, defaultValue: 'Infinity' }]),
    ]).apply(input);
    expect(out.changes).toEqual([]);
    expect(out.item).toBe(input);
    expect(out.item.x).toEqual(['Infinity']);
  });
});

describe('the regular expression limit', () => {
  it('a catastrophic pattern runs in linear time: (a+)+$ against a…ab would backtrack 2^40 times', () => {
    const rules = only({ attribute: 'title', operator: 'MATCHES', value: '(a+)+$' });
    expect(rules.apply({ title: `${'a'.repeat(40)}b` }).item.custom_label_0).toBeUndefined();
    expect(rules.apply({ title: 'a'.repeat(40) }).item.custom_label_0).toBe('hit');
    const nested = applyOne(
      { type: 'REPLACE', attribute: 'title', pattern: '^(\\w+\\s?)*$', replacement: 'x' },
      { title: `${'word '.repeat(2000)}!` },
    );
    expect(nested.item.title).toMatch(/!$/);
  });

  it('CONTAINS with many or long values searches in time linear in the value (as one pattern it took 19 s an item)', async () => {
    // With V8's fallback to the linear engine on, an alternation of 1,000 needles sharing a long prefix backtracked
    // past the limit and was redone by the interpreter. On a worker, so that the test's timeout can stop it.
    expect(await messageOf('many-needles.worker.ts')).toEqual({ linear: true, results: [false, true, false, true] });
  });

  it('does so on a worker thread too, where the ingestion reader applies rules', async () => {
    expect(await messageOf('pathological.worker.ts')).toEqual({ excluded: false });
  });

  it('refuses at validation what only a backtracking engine runs: backreferences, lookaround, big counted repeats', () => {
    for (const pattern of ['(a)\\1', '(?=a)b', '(?<!x)y', 'a{2,1000}', '(?<n>a)\\k<n>']) {
      const errors = errorsOf([
        rule('r', [{ type: 'EXCLUDE' }], { attribute: 'title', operator: 'MATCHES', value: pattern }),
      ]);
      expect(errors).toEqual([expect.objectContaining({ path: 'rules[0].when.value', code: 'REGEX_NOT_LINEAR' })]);
      expect(errors[0].message).toMatch(/backtracking/);
    }
    expect(
      errorsOf([rule('r', [{ type: 'REPLACE', attribute: 'title', pattern: '(x)\\1', replacement: '' }])]),
    ).toEqual([expect.objectContaining({ path: 'rules[0].actions[0].pattern', code: 'REGEX_NOT_LINEAR' })]);
    expect(
      errorsOf([rule('r', [{ type: 'EXCLUDE' }], { attribute: 'title', operator: 'MATCHES', value: '(' })]),
    ).toEqual([expect.objectContaining({ path: 'rules[0].when.value', code: 'INVALID_REGEX' })]);
  });

  it('a value longer than regexMaxInputChars is not matched and says so', () => {
    const rules = compileFeedRules(
      [rule('r', [{ type: 'EXCLUDE' }], { attribute: 'description', operator: 'MATCHES', value: 'x' })],
      { regexMaxInputChars: 10 },
    );
    const out = rules.apply({ description: 'xxxxxxxxxxx' });
    expect(out.excludedBy).toBeUndefined();
    expect(out.limits).toEqual([
      { ruleId: 'r', ruleName: 'Rule r', attribute: 'description', code: 'REGEX_INPUT_TOO_LONG' },
    ]);
    expect(rules.apply({ description: 'xxxxxxxxxx' }).excludedBy).toBeDefined();
  });

  it('a pattern that once took longer than regexTimeoutMs is off for the rest of the run (RULE_TIMEOUT)', () => {
    let clock = 0;
    const now = () => (clock += 60); // every match on a long value "takes" 60 ms
    const rules = compileFeedRules(
      [rule('r', [{ type: 'REPLACE', attribute: 'description', pattern: 'a', replacement: 'b' }])],
      { regexTimeoutMs: 50, now },
    );
    const long = 'a'.repeat(2000);
    expect(rules.apply({ description: long }).item.description).toBe('b'.repeat(2000));
    const after = rules.apply({ description: 'a' });
    expect(after.item.description).toBe('a');
    expect(after.limits).toEqual([{ ruleId: 'r', ruleName: 'Rule r', attribute: 'description', code: 'RULE_TIMEOUT' }]);
  });

  it('a result longer than maxValueChars is not written (VALUE_TOO_LONG)', () => {
    const options = { maxValueChars: 100 };
    const blowUp = compileFeedRules(
      [rule('r', [{ type: 'REPLACE', attribute: 'title', pattern: 'z*', replacement: 'xxxxxxxxxx' }])],
      options,
    );
    const out = blowUp.apply({ title: 'a'.repeat(50) });
    expect(out.item.title).toBe('a'.repeat(50));
    expect(out.limits).toEqual([{ ruleId: 'r', ruleName: 'Rule r', attribute: 'title', code: 'VALUE_TOO_LONG' }]);
    const template = compileFeedRules(
      [rule('t', [{ type: 'SET', attribute: 'title', template: '{description}{description}' }])],
      options,
    );
    expect(template.apply({ description: 'd'.repeat(60) }).limits?.[0].code).toBe('VALUE_TOO_LONG');
    const append = compileFeedRules(
      [rule('a', [{ type: 'APPEND', attribute: 'title', value: 'x'.repeat(60) }])],
      options,
    );
    expect(append.apply({ title: 'y'.repeat(60) }).limits?.[0].code).toBe('VALUE_TOO_LONG');
  });
});

describe('validateFeedRules', () => {
  it('returns the rules typed and trimmed', () => {
    const result = validateFeedRules([
      {
        id: ' r1 ',
        name: ' Links ',
        when: { attribute: ' link ', operator: 'IS_EMPTY' },
        actions: [{ type: 'SET', attribute: 'link', template: '{store}' }],
      },
    ]);
    expect(result).toEqual({
      rules: [
        {
          id: 'r1',
          name: 'Links',
          when: { attribute: 'link', operator: 'IS_EMPTY' },
          actions: [{ type: 'SET', attribute: 'link', template: '{store}' }],
        },
      ],
    });
  });

  it('names every error by its path', () => {
    const errors = errorsOf([
      {
        id: 'a',
        name: 'A',
        when: {
          all: [
            { attribute: 'title', operator: 'EQUALS', value: 'x' },
            { attribute: 'title', operator: 'SIMILAR', value: 'x' },
          ],
        },
        actions: [{ type: 'EXCLUDE' }],
      },
      { id: 'a', name: '', actions: [] },
      {
        id: 'c',
        name: 'C',
        actions: [
          { type: 'SET', attribute: 'title', value: 'x', template: 'y' },
          { type: 'SET', attribute: 'link', template: 'https://x/{handle' },
          { type: 'TRUNCATE', attribute: 'title', maxLength: 0 },
          { type: 'SET_CUSTOM_LABEL', index: 5, value: 'x' },
        ],
      },
      {
        id: 'd',
        name: 'D',
        when: { attribute: 'price', operator: 'LESS_THAN', value: 'cheap' },
        actions: [{ type: 'EXCLUDE' }, { type: 'LOWERCASE', attribute: 'title' }],
        extra: true,
      },
      {
        id: 'e',
        name: 'E',
        when: { attribute: 'link', operator: 'IS_EMPTY', value: 'x' },
        actions: [
          { type: 'MAP', attribute: 'color', table: { red: 1 } },
          { type: 'REPLACE', attribute: 'title', pattern: 'a', replacement: "$'" },
        ],
      },
      {
        id: 'f',
        name: 'F',
        when: { attribute: 'title', operator: 'MATCHES', values: ['a', 'b'] },
        actions: [{ type: 'FLY' }, { type: 'APPEND', attribute: 'title' }],
      },
      'not a rule',
    ]);
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'rules[0].when.all[1].operator INVALID_VALUE',
      'rules[1].name REQUIRED',
      'rules[1].actions REQUIRED',
      'rules[1].id DUPLICATE_ID',
      'rules[2].actions[0] CONFLICT',
      'rules[2].actions[1].template INVALID_TEMPLATE',
      'rules[2].actions[2].maxLength INVALID_NUMBER',
      'rules[2].actions[3].index INVALID_VALUE',
      'rules[3].extra UNKNOWN_FIELD',
      'rules[3].when.value INVALID_NUMBER',
      'rules[3].actions[1] UNREACHABLE_ACTION',
      'rules[4].when.value INVALID_VALUE',
      'rules[4].actions[0].table.red INVALID_TYPE',
      'rules[4].actions[1].replacement INVALID_VALUE',
      'rules[5].when.values INVALID_VALUE',
      'rules[5].actions[0].type INVALID_VALUE',
      'rules[5].actions[1].value REQUIRED',
      'rules[6] INVALID_TYPE',
    ]);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(5);
  });

  it('bounds the size of a rule set', () => {
    expect(errorsOf({})).toEqual([expect.objectContaining({ path: 'rules', code: 'INVALID_TYPE' })]);
    const many = Array.from({ length: 201 }, (_, i) => rule(`r${i}`, [{ type: 'EXCLUDE' }]));
    expect(errorsOf(many)).toEqual([expect.objectContaining({ path: 'rules', code: 'TOO_MANY' })]);
    let deep: FeedRuleCondition = { attribute: 'a', operator: 'IS_EMPTY' };
    for (let i = 0; i < 9; i++) deep = { all: [deep] };
    expect(errorsOf([rule('r', [{ type: 'EXCLUDE' }], deep)])).toEqual([expect.objectContaining({ code: 'TOO_DEEP' })]);
    expect(errorsOf([rule('r', [{ type: 'SET', attribute: 'title', value: 'x'.repeat(10_001) }])])).toEqual([
      expect.objectContaining({ path: 'rules[0].actions[0].value', code: 'TOO_LONG' }),
    ]);
    expect(errorsOf([rule('r', [{ type: 'EXCLUDE' }], { any: [] })])).toEqual([
      expect.objectContaining({ path: 'rules[0].when.any', code: 'REQUIRED' }),
    ]);
  });

  it('refuses half a surrogate pair in any text, by path (PostgreSQL jsonb cannot store it)', () => {
    const lone = 'Boots \ud800';
    const errors = errorsOf([
      rule(lone, [{ type: 'SET', attribute: 'title', value: lone }], {
        any: [
          { attribute: 'title', operator: 'EQUALS', values: ['a', lone] },
          { attribute: '\udc00', operator: 'IS_EMPTY' },
        ],
      }),
      rule('m', [{ type: 'MAP', attribute: 'color', table: { red: 'rot', [lone]: 'x' } }]),
      rule('n', [{ type: 'REPLACE', attribute: 'title', pattern: 'a', replacement: '\udfff' }]),
    ]);
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'rules[0].id INVALID_VALUE',
      'rules[0].name INVALID_VALUE',
      'rules[0].when.any[0].values INVALID_VALUE',
      'rules[0].when.any[1].attribute INVALID_VALUE',
      'rules[0].actions[0].value INVALID_VALUE',
      `rules[1].actions[0].table.${lone} INVALID_VALUE`,
      'rules[2].actions[0].replacement INVALID_VALUE',
    ]);
    for (const error of errors) expect(error.message).toMatch(/surrogate pair/);
    // A whole pair (an emoji) is text.
    expect(
      validateFeedRules([rule('e', [{ type: 'SET', attribute: 'title', value: 'Boots \u{1F97E}' }])]),
    ).toHaveProperty('rules');
  });

  it('compileFeedRules refuses what does not validate', () => {
    expect(() =>
      compileFeedRules([rule('r', [{ type: 'EXCLUDE' }], { attribute: 'x', operator: 'MATCHES', value: '(a)\\1' })]),
    ).toThrow(FeedRulesCompileError);
  });
});

describe('compiled rule sets kept for their optimized code', () => {
  /** V8's full collection, without starting jest with --expose-gc. */
  const collectGarbage = async (): Promise<void> => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A WeakRef's target lives until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  };
  const labelRule = (i: number) => rule(`r${i}`, [{ type: 'SET_CUSTOM_LABEL', index: 0, value: `v${i}` }]);

  it('keeps the last two sets alive and lets older ones and large ones be collected', async () => {
    const kept: WeakRef<object>[] = [];
    for (let i = 0; i < 4; i++) {
      const compiled = compileFeedRules([labelRule(i)]);
      expect(compiled.apply({ id: 'a' }).item.custom_label_0).toBe(`v${i}`);
      kept.push(new WeakRef(compiled));
    }
    // A MAP table of 10,000 entries, about 400 KB as JSON: past what is kept.
    const table = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`brand category ${i}`, `${i}`]));
    const large = new WeakRef(
      compileFeedRules([
        rule('map', [{ type: 'MAP', attribute: 'product_type', targetAttribute: 'google_product_category', table }]),
      ]),
    );
    await collectGarbage();
    expect(kept.map((ref) => ref.deref() !== undefined)).toEqual([false, false, true, true]);
    expect(large.deref()).toBeUndefined();
  });
});
