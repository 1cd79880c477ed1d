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
  catalog_generation:
    'every public search and the link cache sum it to name the live catalog they read; it holds only feed ids and ' +
    "counters, bumped by catalog_product's own triggers (migration 13)",
};

/**
 * The one owned table left out for its volume: version_item holds every item of every catalog version (a row per
 * item and version, a feed of a million items adds a million rows a run), written by one INSERT … SELECT from the
 * run's stage and read by publishing's joins over a whole version. It has no brand column, so a policy would be an
 * EXISTS on catalog_version evaluated for every row of those statements (the foreign key already costs one such
 * look-up per row written). Its rows are offer ids and content hashes keyed by a version id, and are only ever
 * reached through a catalog_version row, which is under RLS; VersionItemStore is its one writer and takes the brand.
 */
export const BULK_TABLES: Readonly<Record<string, string>> = {
  version_item: 'every item of every version: a per-row EXISTS policy on ingestion’s and publishing’s bulk statements',
};

/**
 * Owned tables with no brand or creator column of their own, guarded through the row that owns them: the policy
 * `tenant` shows a row when its parent row is visible to the scope (an EXISTS on the parent, which is itself under
 * RLS), or on a system path. They are small beside version_item: a row per image of a run, per synced Shopify version,
 * per applied webhook.
 */
export const GUARDED_THROUGH_PARENT: Readonly<Record<string, { column: string; parent: string }>> = {
  run_image: { column: 'run_id', parent: 'ingestion_run' },
  shopify_sync_cursor: { column: 'store_id', parent: 'shopify_store' },
  shopify_webhook_delivery: { column: 'store_id', parent: 'shopify_store' },
};

const BRAND = `(SELECT nullif(current_setting('app.brand_id', true), '')::uuid)`;
const CREATOR = `(SELECT nullif(current_setting('app.creator_id', true), '')::uuid)`;
const SYSTEM = `(SELECT current_setting('app.system', true)) = 'on'`;

/**
 * What creators read across brands (the policy `creator_read`): every brand's commission program and open rules, and
 * the rules of offers made to the creator. An offer is made to one creator, whose own it is under `tenant`
 * (creator_id); the EXISTS below sees commission_offer through that policy, so another creator's offer and its rates
 * stay hidden.
 */
const CREATOR_READ: Readonly<Record<string, string>> = {
  commission_program: `${CREATOR} IS NOT NULL`,
  commission_rule:
    `${CREATOR} IS NOT NULL AND (offer_id IS NULL OR ` +
    `EXISTS (SELECT 1 FROM commission_offer o WHERE o.id = commission_rule.offer_id))`,
};

/**
 * Puts every owned table (a `brand_id` or `creator_id` column in schema public) under ENABLE and FORCE ROW LEVEL
 * SECURITY with the policy `tenant`: a row is visible and writable when the connection's `app.brand_id` or
 * `app.creator_id` names its owner, or on a system path (`app.system = 'on'`); see libs/db/src/tenancy.ts. The
 * tables of GUARDED_THROUGH_PARENT (no such column) get a `tenant` policy through their parent row. Grants the
 * application role what it needs on every table. Idempotent: a later migration that adds an owned table calls it
 * again (apps/api/test/row-level-security.e2e.spec.ts fails when one is left out, or is neither guarded nor listed
 * among the exceptions above with its reason).
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
    if (name in COPY_TARGETS || name in PUBLIC_TABLES || name in BULK_TABLES) continue;
    const owners = [brand ? `brand_id = ${BRAND}` : null, creator ? `creator_id = ${CREATOR}` : null, SYSTEM];
    await guard(q, name, owners.filter(Boolean).join(' OR '));
  }
  for (const [name, { column, parent }] of Object.entries(GUARDED_THROUGH_PARENT)) {
    await guard(q, name, `${SYSTEM} OR EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = ${name}.${column})`);
  }
}

/** ENABLE and FORCE ROW LEVEL SECURITY on `name` with the policy `tenant`, and `creator_read` where listed. */
async function guard(q: QueryRunner, name: string, tenant: string): Promise<void> {
  await q.query(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`);
  await q.query(`DROP POLICY IF EXISTS tenant ON ${name}`);
  await q.query(`CREATE POLICY tenant ON ${name} USING (${tenant})`);
  // Dropped everywhere else: a table taken off the list (commission_offer, migration 32) loses it.
  await q.query(`DROP POLICY IF EXISTS creator_read ON ${name}`);
  const read = CREATOR_READ[name];
  if (read) await q.query(`CREATE POLICY creator_read ON ${name} FOR SELECT USING (${read})`);
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
