/**
 * Earnings totals at scale: builds a ledger of BENCH_ENTRIES entries (default 1,000,000) for one creator on
 * PostgreSQL (BENCH_DATABASE_URL, default the local server; a throwaway database), plus other creators' entries
 * around it, then times what a creator's `earnings` query runs: the totals by status, brand, currency and month
 * (EarningsService.earnings, read from the rollup) and the first page of entries, and, for comparison, the same
 * totals summed from the ledger itself. Prints p50/p95 of each, measured in this run, and checks that the rollup
 * equals the ledger's sums. The creator's queries run as the application's connections do: the application role,
 * under row-level security, in the creator's scope.
 *
 *   npm run bench:earnings            # BENCH_ENTRIES=200000 for a quicker run
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createDataSource, enterScope, runMigrations, type TenancyPolicy } from '@brandshelf/db';
import {
  CommissionLineStore,
  EarningsRollupStore,
  EarningsService,
  LedgerEntryStore,
  type CreatorContext,
} from '@brandshelf/earnings';
import { createBenchDatabase } from './bench-database.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const OTHER_CREATORS = 10;
const OTHER_ENTRIES = 20_000;
const BRANDS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function time(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, runs); i++) await fn(); // warm the cache and the plan
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), max: samples.at(-1)! };
}

const fmt = (r: { p50: number; p95: number; max: number }) =>
  `p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`;

/**
 * `lines` commission lines of one creator, spread over the brands, three currencies and 24 months, in four states
 * (two entries a line on average): PENDING (COMMISSION), APPROVED (+APPROVAL), PAID (+APPROVAL, PAYOUT), REVERSED
 * (COMMISSION + a full REVERSAL). The balances, entries and rollup are what the poster would have written.
 */
async function generate(db: ReturnType<typeof createDataSource>, creatorId: string, lines: number, tag: string) {
  await db.query(
    `INSERT INTO conversion (id, brand_id, order_id, outcome, reason, source, creator_id, currency, ordered_at, lines)
     SELECT md5($2::text || i)::uuid, b.ids[1 + i % $4::int], $2::text || '-' || i, 'ATTRIBUTED', 'bench', 'API_KEY', $1::uuid,
            (ARRAY['USD', 'EUR', 'JPY'])[1 + i % 3], now() - make_interval(days => i % 730), '[]'
       FROM generate_series(1, $3::int) AS i, (SELECT array_agg(id ORDER BY name) AS ids FROM brand) b`,
    [creatorId, tag, lines, BRANDS],
  );
  await db.query(
    `INSERT INTO commission_line (id, conversion_id, brand_id, creator_id, product_id, line_no, quantity, currency,
                                  base_minor, rate_percent, commission_minor, ordered_at, earned_month, approve_after,
                                  refunded_base_minor, pending_minor, approved_minor, paid_minor, reversed_minor)
     SELECT md5('line' || c.id)::uuid, c.id, c.brand_id, c.creator_id, md5('p' || (s.i % 500))::uuid, 1, 1,
            c.currency, 1000 + s.i % 50000, 10.00, (1000 + s.i % 50000) / 10, c.ordered_at,
            date_trunc('month', c.ordered_at AT TIME ZONE 'UTC')::date, c.ordered_at + interval '30 days',
            CASE WHEN s.i % 4 = 3 THEN 1000 + s.i % 50000 ELSE 0 END,
            CASE WHEN s.i % 4 = 0 THEN (1000 + s.i % 50000) / 10 ELSE 0 END,
            CASE WHEN s.i % 4 = 1 THEN (1000 + s.i % 50000) / 10 ELSE 0 END,
            CASE WHEN s.i % 4 = 2 THEN (1000 + s.i % 50000) / 10 ELSE 0 END,
            CASE WHEN s.i % 4 = 3 THEN (1000 + s.i % 50000) / 10 ELSE 0 END
       FROM generate_series(1, $2::int) AS s(i) JOIN conversion c ON c.id = md5($1::text || s.i)::uuid`,
    [tag, lines],
  );
  // Entries in the order they would have been written: every commission, then approvals, payouts, reversals.
  const insert = (kind: string, from: string | null, to: string, sign: string, where: string) =>
    db.query(
      `INSERT INTO ledger_entry (line_id, conversion_id, brand_id, creator_id, kind, from_status, to_status,
                                 amount_minor, currency, earned_month, reason)
       SELECT l.id, l.conversion_id, l.brand_id, l.creator_id, '${kind}', ${from ? `'${from}'` : 'NULL'}, '${to}',
              ${sign}l.commission_minor, l.currency, l.earned_month, ${kind === 'REVERSAL' ? `'REFUND'` : 'NULL'}
         FROM commission_line l WHERE l.creator_id = $1 AND (${where}) ORDER BY l.ordered_at`,
      [creatorId],
    );
  await insert('COMMISSION', null, 'PENDING', '', 'true');
  await insert('APPROVAL', 'PENDING', 'APPROVED', '', 'l.approved_minor > 0 OR l.paid_minor > 0');
  await insert('PAYOUT', 'APPROVED', 'PAID', '', 'l.paid_minor > 0');
  await insert('REVERSAL', 'PENDING', 'REVERSED', '-', 'l.reversed_minor > 0');
  await db.query(
    `INSERT INTO earnings_rollup (creator_id, brand_id, currency, month, status, amount_minor, entries)
     SELECT creator_id, brand_id, currency, earned_month, status, sum(amount), sum(n) FROM (
       SELECT creator_id, brand_id, currency, earned_month, to_status AS status, abs(amount_minor) AS amount, 1 AS n
         FROM ledger_entry WHERE creator_id = $1
       UNION ALL
       SELECT creator_id, brand_id, currency, earned_month, from_status, -abs(amount_minor), 0
         FROM ledger_entry WHERE creator_id = $1 AND from_status IS NOT NULL) m
     GROUP BY 1, 2, 3, 4, 5`,
    [creatorId],
  );
}

async function main() {
  const bench = await createBenchDatabase('bench_earnings');
  // Connections as the application's (prepareRuntime's): the application role after migrations, under row-level
  // security, carrying the caller's scope. The ledger is built as the tables' owner; the creator's queries are timed
  // as that creator, as a creator's request runs them.
  const tenancy: TenancyPolicy = { role: null };
  const db = createDataSource({ url: bench.url, poolSize: 4, entities: [], tenancy });
  try {
    await db.initialize();
    await runMigrations(db);
    tenancy.role = process.env.DATABASE_APP_ROLE ?? 'brandshelf_app';
    enterScope({ kind: 'owner', name: 'bench-setup' });
    await db.query(
      `INSERT INTO brand (name, email) SELECT 'Brand ' || lpad(i::text, 2, '0'), 'b' || i || '@bench.test'
         FROM generate_series(1, $1) AS i`,
      [BRANDS],
    );
    const creators: { id: string }[] = await db.query(
      `INSERT INTO creator (handle, email) SELECT 'creator' || i, 'c' || i || '@bench.test'
         FROM generate_series(0, $1) AS i RETURNING id`,
      [OTHER_CREATORS],
    );
    const [main, ...others] = creators.map((c) => c.id);
    const built = performance.now();
    await generate(db, main, ENTRIES / 2, 'main');
    for (const [i, other] of others.entries()) await generate(db, other, OTHER_ENTRIES / 2, `other${i}`);
    await db.query('ANALYZE');
    const [{ mine, all }]: { mine: string; all: string }[] = await db.query(
      'SELECT count(*) FILTER (WHERE creator_id = $1) AS mine, count(*) AS all FROM ledger_entry',
      [main],
    );
    console.log(
      `built ${Number(mine).toLocaleString()} entries for the creator (${Number(all).toLocaleString()} in the ledger) ` +
        `in ${((performance.now() - built) / 1000).toFixed(1)} s`,
    );

    const ctx: CreatorContext = {
      requestId: 'bench',
      principal: { kind: 'creator', creatorId: main, apiKeyId: 'bench' },
    };
    const rollup = new EarningsRollupStore(db);
    const entries = new LedgerEntryStore(db);
    const service = new EarningsService(db, rollup, entries, new CommissionLineStore(db));

    enterScope({ kind: 'creator', creatorId: main });
    // Row-level security applies: without its filter, a query sees only the creator's own entries.
    const [{ visible }]: { visible: string }[] = await db.query('SELECT count(*) AS visible FROM ledger_entry');
    if (visible !== mine) throw new Error(`the creator's scope sees ${visible} ledger entries, not ${mine}`);
    const earnings = await service.earnings(ctx);
    console.log(
      `totals: ${earnings.totals.length} currencies, ${earnings.byBrand.length} brand rows, ` +
        `${earnings.byMonth.length} month rows, entryCount ${earnings.entryCount.toLocaleString()}`,
    );
    if (earnings.entryCount !== Number(mine)) throw new Error('rollup entry count differs from the ledger');

    const check: { diff: string }[] = await db.query(
      `SELECT count(*) AS diff FROM (
         SELECT brand_id, currency, earned_month AS month, status, sum(amount) AS amount FROM (
           SELECT brand_id, currency, earned_month, to_status AS status, abs(amount_minor) AS amount
             FROM ledger_entry WHERE creator_id = $1
           UNION ALL
           SELECT brand_id, currency, earned_month, from_status, -abs(amount_minor)
             FROM ledger_entry WHERE creator_id = $1 AND from_status IS NOT NULL) m GROUP BY 1, 2, 3, 4
         EXCEPT
         SELECT brand_id, currency, month, status, amount_minor FROM earnings_rollup WHERE creator_id = $1) d`,
      [main],
    );
    console.log(
      `rollup equals the ledger's sums: ${check[0].diff === '0' ? 'yes' : `NO (${check[0].diff} rows differ)`}`,
    );

    console.log(
      `earnings totals (rollup, EarningsService.earnings), ${RUNS} runs: ${fmt(await time(RUNS, () => service.earnings(ctx)))}`,
    );
    console.log(
      `first page of 20 entries (keyset on seq), ${RUNS} runs: ` +
        fmt(await time(RUNS, () => service.entriesPage(ctx, { limit: 20 }, earnings.entryCount))),
    );
    const naive = await time(5, () =>
      db.query(
        `SELECT brand_id, currency, earned_month, to_status, sum(abs(amount_minor)) FROM ledger_entry
          WHERE creator_id = $1 GROUP BY 1, 2, 3, 4`,
        [main],
      ),
    );
    console.log(`for comparison, the same totals summed from the ledger (index on creator_id), 5 runs: ${fmt(naive)}`);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
  } finally {
    await db.destroy().catch(() => undefined);
    await bench.drop({ keep: process.env.BENCH_KEEP === '1' });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
