import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GUARDED_THROUGH_PARENT, applyRowSecurity } from './1764000000030-row-level-security.js';

const CREATOR = `(SELECT nullif(current_setting('app.creator_id', true), '')::uuid)`;

/**
 * Row-level security (issue 11), completed. Migration 30 found owned tables by their brand_id or creator_id column,
 * which skipped five tables holding brand data through a parent row: run_image, shopify_sync_cursor and
 * shopify_webhook_delivery are now guarded through that parent (GUARDED_THROUGH_PARENT); version_item and
 * catalog_generation are exceptions with their reasons (BULK_TABLES, PUBLIC_TABLES). And creators no longer read
 * every commission offer and its rates: only the offers made to them (commission_offer's `creator_read` is gone, its
 * `tenant` policy covers the creator's own), and of commission_rule the open rules and their own offers' rules.
 */
export class RowLevelSecurityParents1764000000032 implements MigrationInterface {
  name = 'RowLevelSecurityParents1764000000032';

  async up(q: QueryRunner): Promise<void> {
    await applyRowSecurity(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of Object.keys(GUARDED_THROUGH_PARENT)) {
      await q.query(`DROP POLICY IF EXISTS tenant ON ${name}`);
      await q.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${name} DISABLE ROW LEVEL SECURITY`);
    }
    for (const name of ['commission_offer', 'commission_rule']) {
      await q.query(`DROP POLICY IF EXISTS creator_read ON ${name}`);
      await q.query(`CREATE POLICY creator_read ON ${name} FOR SELECT USING (${CREATOR} IS NOT NULL)`);
    }
  }
}
