import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed settings for platform exports and catalogs beyond English: the store's base URL and a link template
 * for exports that have no product-page URL, and the catalog's language (column choice for language-suffixed
 * headers, text-search configuration).
 */
export class FeedSettings1764000000007 implements MigrationInterface {
  name = 'FeedSettings1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE feed
        ADD COLUMN language text NOT NULL DEFAULT 'en',
        ADD COLUMN store_url text,
        ADD COLUMN link_template text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feed DROP COLUMN language, DROP COLUMN store_url, DROP COLUMN link_template;`);
  }
}
