import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Category suggestions (issue 14): per feed, whether items without a usable google_product_category get a suggested
 * one as a WARNING (suggest_categories), and the confidence above which the suggestion becomes the item's category
 * (accept_category_suggestions_above, null: never).
 */
export class CategorySuggestions1764000000021 implements MigrationInterface {
  name = 'CategorySuggestions1764000000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE feed
        ADD COLUMN suggest_categories boolean NOT NULL DEFAULT false,
        ADD COLUMN accept_category_suggestions_above real
          CHECK (accept_category_suggestions_above BETWEEN 0 AND 1);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feed DROP COLUMN suggest_categories, DROP COLUMN accept_category_suggestions_above`);
  }
}
