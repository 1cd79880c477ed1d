import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { compileFeedRules, validateFeedRules } from '@brandshelf/feed-rules';

/** The rule set in README: Feed rules validates and does what the section says. */
describe('README: Feed rules example', () => {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Feed rules'));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];

  it('validates and applies', () => {
    expect(json).toBeDefined();
    const checked = validateFeedRules(JSON.parse(json ?? 'null'));
    if (!('rules' in checked)) throw new Error(JSON.stringify(checked.errors));
    const rules = compileFeedRules(checked.rules);
    const out = rules.apply({
      id: 'A1',
      title: 'Winter boots - clearance',
      price: '19.99 USD',
      product_type: 'boots',
      'custom:Handle': 'winter-boots',
    });
    expect(out.item).toMatchObject({
      link: 'https://shop.example.com/products/winter-boots',
      custom_label_0: 'under 20',
      google_product_category: '187',
    });
    expect(rules.apply({ id: 'S1', 'custom:Item Type': 'Sample' }).excludedBy).toEqual({
      ruleId: 'samples',
      ruleName: 'No samples',
    });
  });
});
