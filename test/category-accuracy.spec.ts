import { describe, expect, it } from '@jest/globals';
import {
  NON_ENGLISH_FEEDS,
  PLACEHOLDER_LABEL_FEEDS,
  VALIDATION_FEEDS,
  loadHoldoutItems,
  loadLabelledItems,
  measure,
} from '../bench/category-accuracy.data.js';

/**
 * Floors under the category suggestion accuracy that bench/category-accuracy prints (README: Category suggestions).
 * The suggester is deterministic, so the floors are the measured counts: a change that makes suggestions worse on
 * any split fails here. Tuning split: the sample feeds' items that carry their own google_product_category, hidden
 * while suggesting. Held-out split: one item per distinct product of the feeds without one, labelled by hand
 * (bench/category-holdout.labels.tsv); its test feeds were not looked at while tuning.
 */
describe('category suggestion accuracy on the sample feeds', () => {
  it('finds the top-level category and the full path of the labelled items as often as measured', async () => {
    const items = await loadLabelledItems();
    expect(items).toHaveLength(44);
    const described = measure(items.filter((item) => !PLACEHOLDER_LABEL_FEEDS.has(item.feed)));
    expect(described.items).toBe(32);
    expect(described.topLevel).toBeGreaterThanOrEqual(27);
    expect(described.fullPath).toBeGreaterThanOrEqual(15);
  });

  it('does as well on the held-out feeds it was not tuned on', async () => {
    const holdout = await loadHoldoutItems();
    expect(holdout).toHaveLength(148);
    const test = measure(
      holdout.filter((item) => !VALIDATION_FEEDS.has(item.feed) && !NON_ENGLISH_FEEDS.has(item.feed)),
    );
    expect(test.items).toBe(81);
    expect(test.topLevel).toBeGreaterThanOrEqual(70);
    expect(test.fullPath).toBeGreaterThanOrEqual(47);
    const validation = measure(holdout.filter((item) => VALIDATION_FEEDS.has(item.feed)));
    expect(validation.items).toBe(47);
    expect(validation.topLevel).toBeGreaterThanOrEqual(45);
    expect(validation.fullPath).toBeGreaterThanOrEqual(44);
  });
});
