import { describe, expect, it } from '@jest/globals';
import type { FeedRule } from '@brandshelf/feed-rules';
import type { FeedEvent } from '@brandshelf/feeds';
import { prepareEvents, type PreparedEvent } from './row-preparer.js';

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
    expect(a).toMatchObject({ type: 'item', itemId: 'A' });
    // Stored compactly: the rule's position in the rule set (rules[1]) and the attribute, once for both actions.
    expect(a.type === 'item' && JSON.parse(a.ruleTrace!)).toEqual([[1, 'brand']]);
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
    const traces = events.map((e) => (e.type === 'item' && e.ruleTrace ? JSON.parse(e.ruleTrace) : null));
    expect(traces).toEqual([
      [[0, 'brand']],
      [
        [0, 'brand'],
        [1, 'custom:mark'],
      ],
      [[0, 'brand']],
      null,
    ]);
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
