/**
 * bench/product-sets: what a product set's membership costs when it is computed at read time (issue 13: "compute
 * at query time or maintain it on publish; say which and why, with the measured cost at 1M products").
 *
 * Runs on a catalog bench/search kept: first `npm run bench:search -- --n 1000000 --keep`, then
 *
 *   npm run bench:product-sets -- --database bs_bench_search_… [--rounds 20]
 *
 * For the largest brand of that catalog (and for a mid-sized one), each kind of rule is answered as
 * ProductSetsService answers `previewProductSet` / `ProductSet.members`: the count and a sample of 10, in one
 * REPEATABLE READ snapshot, through the same compiled SQL, as the brand (the application role under row-level
 * security). Prints p50/p95 per rule kind and the member counts.
 * Custom labels are given to the measured brands' products first (the generator leaves them empty). Loopback only.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { compileRules, SqlParams, validateRules, type SetRule } from '@brandshelf/ads';
import { PRODUCT_COLUMNS } from '@brandshelf/search';

const cond = (attribute: string, operator: string, values: string[], currency?: string): SetRule =>
  ({ condition: { attribute, operator, values, ...(currency ? { currency } : {}) } }) as SetRule;

const KINDS: Array<[string, SetRule]> = [
  ['category (with subcategories)', cond('CATEGORY', 'IS', ['Apparel & Accessories'])],
  ['custom label', cond('CUSTOM_LABEL_0', 'IS', ['summer'])],
  ['price range', { all: [cond('PRICE', 'GREATER_THAN', ['20'], 'USD'), cond('PRICE', 'LESS_THAN', ['80'], 'USD')] }],
  ['title contains', cond('TITLE', 'CONTAINS', ['merino'])],
  [
    '100 ids',
    cond(
      'ID',
      'IS_ANY_OF',
      Array.from({ length: 100 }, (_, i) => `SKU-${i * 7}`),
    ),
  ],
  [
    'AND/OR of 5 conditions',
    {
      all: [
        { any: [cond('CUSTOM_LABEL_0', 'IS', ['summer']), cond('ON_SALE', 'IS', ['true'])] },
        cond('AVAILABILITY', 'IS', ['IN_STOCK']),
        { any: [cond('COLOR', 'IS_ANY_OF', ['black', 'navy']), cond('GENDER', 'IS', ['FEMALE'])] },
      ],
    },
  ],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { database: { type: 'string' }, rounds: { type: 'string', default: '20' } },
  });
  if (!values.database) {
    console.error('Needs --database: a catalog kept by `npm run bench:search -- --n 1000000 --keep`.');
    process.exit(2);
  }
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${values.database}`;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('loopback databases only');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const rounds = Number(values.rounds);
  const [{ n: total }] = (await client.query('SELECT count(*)::int AS n FROM catalog_product')).rows;
  const brands = (
    await client.query(
      `SELECT brand_id, count(*)::int AS n FROM catalog_product GROUP BY brand_id ORDER BY n DESC, brand_id`,
    )
  ).rows as Array<{ brand_id: string; n: number }>;
  const measured = [brands[0], brands[Math.floor(brands.length / 2)]];
  for (const b of measured) {
    await client.query(
      `UPDATE catalog_product SET custom_labels = ARRAY[(ARRAY['summer','winter','clearance'])[1 + abs(hashtext(id::text)) % 3]]
        WHERE brand_id = $1 AND custom_labels = '{}'`,
      [b.brand_id],
    );
  }
  await client.query('VACUUM ANALYZE catalog_product');
  // The reads below run as a brand's request runs them: the application role, under row-level security, with the
  // brand's scope (the settings libs/db's tenancy gives the application's connections).
  const role = process.env.DATABASE_APP_ROLE ?? 'brandshelf_app';
  await client.query(`SET ROLE ${client.escapeIdentifier(role)}`);
  console.log(
    `catalog: ${total.toLocaleString('en-US')} live products, ${brands.length} brands; ${rounds} rounds a kind`,
  );

  for (const b of measured) {
    console.log(`\nbrand with ${b.n.toLocaleString('en-US')} products:`);
    await client.query(
      "SELECT set_config('app.brand_id', $1, false), set_config('app.creator_id', '', false), " +
        "set_config('app.system', '', false)",
      [b.brand_id],
    );
    const [{ others }] = (
      await client.query('SELECT count(*)::int AS others FROM feed WHERE brand_id <> $1', [b.brand_id])
    ).rows;
    if (others !== 0) throw new Error(`row-level security does not apply: ${others} other brands' feeds visible`);
    for (const [name, raw] of KINDS) {
      const rules = validateRules(raw);
      const params = new SqlParams(1);
      const where = `p.brand_id = $1 AND ${compileRules(rules, params)}`;
      const args = [b.brand_id, ...params.values];
      const times: number[] = [];
      let members = 0;
      for (let r = 0; r < rounds; r++) {
        const start = performance.now();
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query("SET LOCAL jit = off; SET LOCAL statement_timeout = '15s'");
        members = (await client.query(`SELECT count(*)::int AS n FROM catalog_product p WHERE ${where}`, args)).rows[0]
          .n;
        await client.query(
          `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id
            WHERE ${where} ORDER BY p.published_at DESC, p.id LIMIT 10`,
          args,
        );
        await client.query('COMMIT');
        times.push(performance.now() - start);
      }
      times.sort((x, y) => x - y);
      console.log(
        `  ${name.padEnd(32)} ${String(members).padStart(7)} members   p50 ${percentile(times, 0.5).toFixed(1)} ms` +
          `   p95 ${percentile(times, 0.95).toFixed(1)} ms`,
      );
    }
  }
  await client.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
