import { describe, expect, it } from '@jest/globals';
import { PLACEHOLDER_LABEL_FEEDS, loadLabelledItems, measure } from '../bench/category-accuracy.data.js';

/**
 * A floor under the category suggestion accuracy that bench/category-accuracy prints (README: Category suggestions),
 * on the sample feeds' items that carry their own google_product_category, hidden while suggesting. The floors sit
 * just under the measured figures, so a change that makes suggestions worse fails here.
 */
describe('category suggestion accuracy on the sample feeds', () => {
  it('finds the top-level category and the full path as often as measured', async () => {
    const items = await loadLabelledItems();
    expect(items).toHaveLength(44);
    const described = measure(items.filter((item) => !PLACEHOLDER_LABEL_FEEDS.has(item.feed)));
    expect(described.items).toBe(32);
    expect(described.topLevelRate).toBeGreaterThanOrEqual(0.65);
    expect(described.fullPathRate).toBeGreaterThanOrEqual(0.43);
    const all = measure(items);
    expect(all.topLevelRate).toBeGreaterThanOrEqual(0.47);
    expect(all.fullPathRate).toBeGreaterThanOrEqual(0.31);
  });
});
