import { describe, expect, it } from '@jest/globals';
import type { FeedRule } from '@brandshelf/feed-rules';
import { FeedReadError, type FeedEvent } from '@brandshelf/feeds';
import { RULES_STOPPED_ITEMS_LIMIT, prepareEvents, type PreparedEvent } from './row-preparer.js';

const fields = (id: string, extra: Record<string, string | string[]> = {}) => ({
  id,
  title: `Trail Runner ${id}`,
  description: 'A light trail shoe.',
  link: `https://shop.example/p/${id}`,
  image_link: `https://img.example/${id}.jpg`,
  availability: 'in stock',
  price: '59.99 USD',
  brand: 'acme',
  mpn: `MPN-${id}`,
  condition: 'new',
  ...extra,
});

async function prepare(items: Record<string, string | string[]>[], rules: FeedRule[]): Promise<PreparedEvent[]> {
  async function* events(): AsyncGenerator<FeedEvent> {
    let row = 2;
    for (const item of items) yield { type: 'item', item: { row: row++, fields: item } };
  }
  const out: PreparedEvent[] = [];
  for await (const event of prepareEvents(events(), { mode: 'REPLACE', defaultCurrency: null, rules })) out.push(event);
  return out;
}

/**
 * Each item's trace as the writer reads it: a pattern's JSON comes with its first item (since the reader's patterns
 * last started over), later items carry only its number. Fails on an item whose pattern's JSON never came.
 */
function tracesOf(events: PreparedEvent[]): unknown[] {
  const json: string[] = [];
  return events.map((e) => {
    if (e.type !== 'item' || e.ruleTrace === undefined) return null;
    if (e.ruleTraceJson !== undefined) json[e.ruleTrace] = e.ruleTraceJson;
    const known = e.ruleTraceJson ?? json[e.ruleTrace];
    if (known === undefined) throw new Error(`pattern ${e.ruleTrace} before its JSON`);
    return JSON.parse(known);
  });
}

describe('prepareEvents with feed rules', () => {
  it('applies the rules before validation, traces each (rule, attribute) once and excludes without an issue', async () => {
    const [a, b, c] = await prepare(
      [
        fields('A'),
        fields('B', { title: 'Sample B' }),
        fields('C', { additional_image_link: ['https://img.example/1.jpg', 'https://img.example/2.jpg'] }),
      ],
      [
        {
          id: 'samples',
          name: 'No samples',
          when: { attribute: 'title', operator: 'STARTS_WITH', value: 'Sample' },
          actions: [{ type: 'EXCLUDE' }],
        },
        {
          id: 'brand',
          name: 'Brand',
          actions: [
            { type: 'UPPERCASE', attribute: 'brand' },
            { type: 'APPEND', attribute: 'brand', value: '!' },
          ],
        },
      ],
    );
    // Accepted: the trace's item id is its offer id.
    expect(a).toMatchObject({ type: 'item', staged: { offerId: 'A' } });
    // Stored compactly: the rule's position in the rule set (rules[1]) and the attribute, once for both actions.
    expect(tracesOf([a])).toEqual([[[1, 'brand']]]);
    expect(a.type === 'item' && JSON.parse(a.staged!.data).brand).toBe('ACME!');
    expect(b).toEqual({ type: 'excluded', row: 3, itemId: 'B', ruleId: 'samples', ruleName: 'No samples' });
    // A repeated attribute no rule touched keeps all its values.
    expect(c.type === 'item' && JSON.parse(c.staged!.data).additionalImageLinks).toHaveLength(2);
  });

  it('traces items changed alike with the same list and items changed otherwise with their own', async () => {
    const rules: FeedRule[] = [
      { id: 'upper', name: 'Upper', actions: [{ type: 'UPPERCASE', attribute: 'brand' }] },
      {
        id: 'mark',
        name: 'Mark',
        when: { attribute: 'brand', operator: 'EQUALS', value: 'OTHER' },
        actions: [{ type: 'SET', attribute: 'custom:mark', value: 'x' }],
      },
    ];
    const events = await prepare(
      [fields('A'), fields('B', { brand: 'other' }), fields('C'), fields('D', { brand: 'ACME' })],
      rules,
    );
    expect(tracesOf(events)).toEqual([
      [[0, 'brand']],
      [
        [0, 'brand'],
        [1, 'custom:mark'],
      ],
      [[0, 'brand']],
      null,
    ]);
    // A and C share a pattern: its JSON crosses to the writer once, with A.
    const [a, b, c] = events.map((e) => (e.type === 'item' ? e : null));
    expect(a!.ruleTrace).toBe(c!.ruleTrace);
    expect(b!.ruleTrace).not.toBe(a!.ruleTrace);
    expect(a).toHaveProperty('ruleTraceJson');
    expect(c).not.toHaveProperty('ruleTraceJson');
  });

  it('sends a pattern again after the trace tree started over, so every item reads its own list', async () => {
    // 15 rules, each changing the item when its bit of the item's number is set: 2^15 patterns of changes, more
    // than the tree keeps (it starts over), and items of an early pattern come again after the start-over.
    const rules: FeedRule[] = Array.from({ length: 15 }, (_, bit) => ({
      id: `bit${bit}`,
      name: `Bit ${bit}`,
      when: { attribute: 'custom:bits', operator: 'CONTAINS', value: `[${bit}]` },
      actions: [{ type: 'SET', attribute: `custom:b${bit}`, value: 'x' }],
    }));
    const numbers = [...Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 32_768), 3, 5, 3];
    const items = numbers.map((n) =>
      fields(`N${n}`, {
        'custom:bits': Array.from({ length: 15 }, (_, bit) => ((n >> bit) & 1 ? `[${bit}]` : '')).join('') || '-',
      }),
    );
    const traces = tracesOf(await prepare(items, rules));
    numbers.forEach((n, i) => {
      const expected = Array.from({ length: 15 }, (_, bit) => bit)
        .filter((bit) => (n >> bit) & 1)
        .map((bit) => [bit, `custom:b${bit}`]);
      expect(traces[i]).toEqual(expected.length ? expected : null);
    });
  });

  it('names an excluded item by its id as read, whatever a rule before the exclusion did to it', async () => {
    const [item] = await prepare(
      [fields('A')],
      [
        { id: 'rename', name: 'Rename', actions: [{ type: 'APPEND', attribute: 'id', value: '-x' }] },
        { id: 'drop', name: 'Drop', actions: [{ type: 'EXCLUDE' }] },
      ],
    );
    expect(item).toEqual({ type: 'excluded', row: 2, itemId: 'A', ruleId: 'drop', ruleName: 'Drop' });
  });

  it('names the rule on an issue about a value it set, and not on the others', async () => {
    const [item] = await prepare(
      [fields('A', { gtin: '123' })],
      [{ id: 'free', name: 'Free', actions: [{ type: 'SET', attribute: 'price', value: 'free' }] }],
    );
    if (item.type !== 'item') throw new Error('not an item');
    expect(item.staged).toBeNull();
    const price = item.issues.find((i) => i.attribute === 'price')!;
    expect(price).toMatchObject({ ruleId: 'free', ruleName: 'Free', value: 'free' });
    expect(price.hint).toMatch(/^Feed rule "Free" \(free\) set this value/);
    const gtin = item.issues.find((i) => i.attribute === 'gtin')!;
    expect(gtin.ruleId).toBeUndefined();
  });

  it('yields items untouched (no trace) when no rule applies or there are no rules', async () => {
    const [withRules] = await prepare(
      [fields('A')],
      [
        {
          id: 'x',
          name: 'X',
          when: { attribute: 'brand', operator: 'EQUALS', value: 'other' },
          actions: [{ type: 'EXCLUDE' }],
        },
      ],
    );
    const [without] = await prepare([fields('A')], []);
    expect(withRules).toEqual(without);
    expect(withRules).not.toHaveProperty('ruleTrace');
  });
});

describe('prepareEvents: the rules’ time on one item of a run (ruleItemBudgetMs)', () => {
  // 200 rules of 20 case changes each on the description, only on items marked slow: 4,000 passes over a
  // 200,000-character description take far longer than the budget; an unmarked item is 200 false conditions.
  const SLOW_RULES: FeedRule[] = Array.from({ length: 200 }, (_, r) => ({
    id: `case-${r}`,
    name: `Case ${r}`,
    when: { attribute: 'custom:slow', operator: 'IS_NOT_EMPTY' },
    actions: Array.from({ length: 20 }, (_, a) => ({
      type: a % 2 ? ('LOWERCASE' as const) : ('UPPERCASE' as const),
      attribute: 'description',
    })),
  }));
  const BUDGET_MS = 20;
  const slow = (id: string) => fields(id, { description: 'Ab'.repeat(100_000), 'custom:slow': 'yes' });

  async function run(items: Record<string, string | string[]>[]) {
    async function* events(): AsyncGenerator<FeedEvent> {
      let row = 2;
      for (const item of items) yield { type: 'item', item: { row: row++, fields: item } };
    }
    const out: PreparedEvent[] = [];
    const options = { mode: 'REPLACE' as const, defaultCurrency: null, rules: SLOW_RULES, ruleItemBudgetMs: BUDGET_MS };
    try {
      for await (const event of prepareEvents(events(), options)) out.push(event);
      return { out, error: null };
    } catch (error) {
      return { out, error: error as FeedReadError };
    }
  }

  it('keeps the item that first took longer, then stops each later slow item at the budget and rejects it', async () => {
    const { out, error } = await run([slow('S1'), fields('F1'), slow('S2'), fields('F2')]);
    expect(error).toBeNull();
    const [s1, f1, s2, f2] = out as Extract<PreparedEvent, { type: 'item' }>[];
    // The first slow item ran to the end (20 case changes: lower case last), and was imported.
    expect(s1.staged).not.toBeNull();
    expect(JSON.parse(s1.staged!.data).description).toBe('ab'.repeat(100_000).slice(0, 5000));
    expect(f1.staged).not.toBeNull();
    expect(f2.staged).not.toBeNull();
    // The next slow one was stopped part-way: not imported, with an ERROR naming the rule it was in.
    expect(s2.staged).toBeNull();
    expect(s2.issues).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        code: 'FEED_RULES_TOO_SLOW',
        row: 4,
        itemId: 'S2',
        ruleId: expect.stringMatching(/^case-\d+$/),
        message: expect.stringMatching(
          /^The feed's rules took longer than 20 ms on this item and were stopped in rule "Case \d+" \(case-\d+\)/,
        ),
      }),
    ]);
  });

  it('fails the run once more than RULES_STOPPED_ITEMS_LIMIT items were stopped, naming the first', async () => {
    const items = [slow('S0'), ...Array.from({ length: RULES_STOPPED_ITEMS_LIMIT + 5 }, (_, i) => slow(`S${i + 1}`))];
    const { out, error } = await run(items);
    expect(error).toBeInstanceOf(FeedReadError);
    expect(error!.code).toBe('FEED_RULES_RUN_TOO_SLOW');
    expect(error!.message).toMatch(
      new RegExp(`on each of ${RULES_STOPPED_ITEMS_LIMIT + 1} items \\(the first at row 3, in rule "Case \\d+"`),
    );
    // Everything before was handed on: the first item imported, the stopped ones as rejected items.
    expect(out).toHaveLength(1 + RULES_STOPPED_ITEMS_LIMIT);
    expect(out.filter((e) => e.type === 'item' && e.issues[0]?.code === 'FEED_RULES_TOO_SLOW')).toHaveLength(
      RULES_STOPPED_ITEMS_LIMIT,
    );
  });

  it('has no budget unless one is given (a preview has its own)', async () => {
    const [a, b] = await prepare([slow('S1'), slow('S2')], SLOW_RULES.slice(0, 2));
    expect(a.type === 'item' && a.staged).toBeTruthy();
    expect(b.type === 'item' && b.staged).toBeTruthy();
  });
});
