import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sale windows applied between runs. A run judges every item's sale_price_effective_date at one instant
 * (ingestion_run.sales_judged_at) and keeps the earliest later instant at which an accepted item's sale starts or
 * ends (ingestion_run.next_sale_change_at, and on the version it made or found unchanged,
 * catalog_version.next_sale_change_at). The scheduler's minute tick finds live versions whose next change has passed
 * (the partial index: few versions have one) and reads their run's file again (a SALE_WINDOW run), clearing it.
 */
export class SaleWindows1764000000033 implements MigrationInterface {
  name = 'SaleWindows1764000000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ingestion_run ADD COLUMN sales_judged_at timestamptz, ADD COLUMN next_sale_change_at timestamptz`,
    );
    await q.query(`ALTER TABLE catalog_version ADD COLUMN next_sale_change_at timestamptz`);
    await q.query(
      `CREATE INDEX catalog_version_next_sale_change_idx ON catalog_version (next_sale_change_at)
        WHERE next_sale_change_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX catalog_version_next_sale_change_idx`);
    await q.query(`ALTER TABLE catalog_version DROP COLUMN next_sale_change_at`);
    await q.query(`ALTER TABLE ingestion_run DROP COLUMN sales_judged_at, DROP COLUMN next_sale_change_at`);
  }
}
