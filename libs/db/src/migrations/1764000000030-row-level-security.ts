import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the application's connections take (DATABASE_APP_ROLE's default). It owns nothing. */
export const APP_ROLE = 'brandshelf_app';

/**
 * Owned tables PostgreSQL cannot put under row-level security as they are written: `COPY … FROM` is refused on a
 * table with RLS for any role it applies to, and these three take a whole run's rows by COPY, ingestion's fast path
 * (bench:ingest compares the pipeline with raw COPY). Their rows are only ever read through a run or
 * version of the brand, whose tables are under RLS; apps/api/test/row-level-security.e2e.spec.ts holds this list to the
 * tables that really take COPY.
 */
export const COPY_TARGETS: Readonly<Record<string, string>> = {
  item_revision: 'a first import COPYs every item of the feed into it',
  run_issue: 'every issue of a run is COPYed as it is found',
  run_rule_trace: 'every rule-changed item of a run is COPYed as it is found',
};

/**
 * The published catalog, which anyone may read (the public search), is left out as well: with row-level security on
 * a table PostgreSQL withholds its column statistics from the planner for operators that are not leakproof (full
 * text, trigram, LIKE, numeric ranges), so faceted counts were planned blind: 30% slower at p95 with the policy
 * `USING (true)` for reads (bench:search, README). Its rows are written only by CatalogProductStore, for one brand
 * (test/table-ownership.spec.ts).
 */
export const PUBLIC_TABLES: Readonly<Record<string, string>> = {
  catalog_product: 'the public catalog: RLS would withhold planner statistics from search',
};

/** Tables creators read across brands: the commission that applies. */
const CREATOR_READ = ['commission_program', 'commission_offer', 'commission_rule'];

const BRAND = `(SELECT nullif(current_setting('app.brand_id', true), '')::uuid)`;
const CREATOR = `(SELECT nullif(current_setting('app.creator_id', true), '')::uuid)`;
const SYSTEM = `(SELECT current_setting('app.system', true)) = 'on'`;

/**
 * Puts every owned table (a `brand_id` or `creator_id` column in schema public) under ENABLE and FORCE ROW LEVEL
 * SECURITY with the policy `tenant`: a row is visible and writable when the connection's `app.brand_id` or
 * `app.creator_id` names its owner, or on a system path (`app.system = 'on'`); see libs/db/src/tenancy.ts. Grants
 * the application role what it needs on every table. Idempotent: a later migration that adds an owned table calls
 * it again (apps/api/test/row-level-security.e2e.spec.ts fails when one is left out).
 */
export async function applyRowSecurity(q: QueryRunner): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database's migration made it first
    END $$;
  `);
  await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
  await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
  await q.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
  );
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_ROLE}`);
  const tables = (await q.query(`
    SELECT c.table_name AS name,
           bool_or(c.column_name = 'brand_id') AS brand,
           bool_or(c.column_name = 'creator_id') AS creator
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name IN ('brand_id', 'creator_id')
    GROUP BY c.table_name
    ORDER BY c.table_name
  `)) as { name: string; brand: boolean; creator: boolean }[];
  for (const { name, brand, creator } of tables) {
    if (name in COPY_TARGETS || name in PUBLIC_TABLES) continue;
    const owners = [brand ? `brand_id = ${BRAND}` : null, creator ? `creator_id = ${CREATOR}` : null, SYSTEM];
    await q.query(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`);
    await q.query(`DROP POLICY IF EXISTS tenant ON ${name}`);
    await q.query(`CREATE POLICY tenant ON ${name} USING (${owners.filter(Boolean).join(' OR ')})`);
    if (CREATOR_READ.includes(name)) {
      await q.query(`DROP POLICY IF EXISTS creator_read ON ${name}`);
      await q.query(`CREATE POLICY creator_read ON ${name} FOR SELECT USING (${CREATOR} IS NOT NULL)`);
    }
  }
}

/**
 * Row-level security as the second wall behind the stores' brand filters (issue 11): a query that forgets its brand
 * filter returns nothing rather than another brand's rows.
 */
export class RowLevelSecurity1764000000030 implements MigrationInterface {
  name = 'RowLevelSecurity1764000000030';

  async up(q: QueryRunner): Promise<void> {
    await applyRowSecurity(q);
  }

  async down(q: QueryRunner): Promise<void> {
    const tables = (await q.query(
      `SELECT relname AS name FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace`,
    )) as { name: string }[];
    for (const { name } of tables) {
      await q.query(`DROP POLICY IF EXISTS tenant ON ${name}`);
      await q.query(`DROP POLICY IF EXISTS public_read ON ${name}`);
      await q.query(`DROP POLICY IF EXISTS creator_read ON ${name}`);
      await q.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${name} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
  }
}
