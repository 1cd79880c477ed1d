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
    expect(a.type === 'item' && JSON.parse(a.ruleTrace!)).toEqual([
      { ruleId: 'brand', ruleName: 'Brand', attribute: 'brand' },
    ]);
    expect(a.type === 'item' && JSON.parse(a.staged!.data).brand).toBe('ACME!');
    expect(b).toEqual({ type: 'excluded', row: 3, itemId: 'B', ruleId: 'samples', ruleName: 'No samples' });
    // A repeated attribute no rule touched keeps all its values.
    expect(c.type === 'item' && JSON.parse(c.staged!.data).additionalImageLinks).toHaveLength(2);
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
