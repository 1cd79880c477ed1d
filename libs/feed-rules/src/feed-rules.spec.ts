import { describe, expect, it } from '@jest/globals';
import { compileFeedRules, validateFeedRules } from '@brandshelf/feed-rules';

describe('smoke', () => {
  it('works', () => {
    const rules = compileFeedRules([
      {
        id: 'r1',
        name: 'link',
        when: { attribute: 'link', operator: 'IS_EMPTY' },
        actions: [{ type: 'SET', attribute: 'link', template: 'https://shop.example.com/products/{handle}' }],
      },
      {
        id: 'r2',
        name: 'bad',
        when: { attribute: 'title', operator: 'MATCHES', value: '(a+)+$' },
        actions: [{ type: 'EXCLUDE' }],
      },
    ]);
    const out = rules.apply({ title: 'Shoe', 'custom:Handle': 'shoe-1' });
    expect(out.item.link).toBe('https://shop.example.com/products/shoe-1');
    expect(rules.apply({ title: 'a'.repeat(40) + 'b' }).excludedBy).toBeUndefined();
    expect(
      validateFeedRules([
        {
          id: 'x',
          name: 'y',
          when: { attribute: 'a', operator: 'MATCHES', value: '(a)\\1' },
          actions: [{ type: 'EXCLUDE' }],
        },
      ]),
    ).toEqual({ errors: [expect.objectContaining({ code: 'REGEX_NOT_LINEAR', path: 'rules[0].when.value' })] });
  });
});
