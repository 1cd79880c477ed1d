import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attributes of a live product that channel exports need and the catalog did not keep: identifier_exists (Google
 * limits a product without a GTIN unless it says "no"), availability_date (Google disapproves a preorder or
 * backorder without one), material, pattern and mobile_link. Products published before get them from their primary
 * feed's item here (a supplemental feed's value shows from the product's next publish).
 */
export class ChannelAttributes1764000000036 implements MigrationInterface {
  name = 'ChannelAttributes1764000000036';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE catalog_product ADD COLUMN identifier_exists boolean, ADD COLUMN availability_date text,
        ADD COLUMN material text, ADD COLUMN pattern text, ADD COLUMN mobile_link text;
      UPDATE catalog_product p
         SET identifier_exists = (ir.data->>'identifierExists')::boolean, availability_date = ir.data->>'availabilityDate',
             material = ir.data->>'material', pattern = ir.data->>'pattern', mobile_link = ir.data->>'mobileLink'
        FROM item_revision ir
       WHERE ir.feed_id = p.feed_id AND ir.offer_id = p.offer_id AND ir.content_hash = p.content_hash
         AND (ir.data->>'identifierExists' IS NOT NULL OR ir.data->>'availabilityDate' IS NOT NULL
              OR ir.data->>'material' IS NOT NULL OR ir.data->>'pattern' IS NOT NULL OR ir.data->>'mobileLink' IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog_product DROP COLUMN identifier_exists, DROP COLUMN availability_date,
      DROP COLUMN material, DROP COLUMN pattern, DROP COLUMN mobile_link`);
  }
}
