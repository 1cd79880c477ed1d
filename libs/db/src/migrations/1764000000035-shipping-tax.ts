import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A live product's Merchant Center shipping and tax entries (the valid ones of its feed item, structured as the
 * validator keeps them: country, region, service, price in minor units…), for the product API and the channel
 * exports. Empty lists for products published before, until their feed's next run.
 */
export class ShippingTax1764000000035 implements MigrationInterface {
  name = 'ShippingTax1764000000035';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE catalog_product ADD COLUMN shipping jsonb NOT NULL DEFAULT '[]', ADD COLUMN tax jsonb NOT NULL DEFAULT '[]'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog_product DROP COLUMN shipping, DROP COLUMN tax`);
  }
}
