/**
 * bench/links: the share link redirect (GET /l/:code) against a bare Node HTTP server answering the same 302, in
 * the same run, on loopback. A throwaway PostgreSQL database (BENCH_DATABASE_URL, default the local server) gets
 * `--links` share links (default 200) to live products; the API is started as a child process (like
 * `npm run start:api`) and the bare server (bench/bare-redirect.ts) as another. Each is warmed up, then driven by
 * autocannon with `--connections` (50) for `--requests` (40,000) requests each, split into `--rounds` (3) rounds
 * that alternate bare, API, bare, API… (on a shared machine the load drifts; alternating spreads the drift over
 * both, and the medians of the rounds are compared): every request names one link and one
 * visitor (user agent), each visitor following its link twice, so half the requests are repeats the 30-minute
 * dedupe must not count. Printed: requests/s and p99 latency of each, the ratio, errors and timeouts, and the clicks
 * written once the API was stopped gracefully (SIGTERM flushes the buffer) against the distinct (link, visitor)
 * pairs sent. The bench fails (exit 1) on any error, non-302 answer, or a click count that is not exact.
 *
 *   npm run bench:links -- [--connections 50] [--requests 40000] [--links 200] [--rounds 3] [--keep]
 *
 * Talks only to loopback.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { randomBase62 } from '@brandshelf/affiliate';
import { JsonLogger, loadConfig } from '@brandshelf/core';
import { runAsOwner } from '@brandshelf/db';
import { prepareRuntime } from '@brandshelf/runtime';
import { createBenchDatabase } from './bench-database.js';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    requests: { type: 'string', default: '40000' },
    links: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const CONNECTIONS = Number(args.connections);
const REQUESTS = Number(args.requests);
const LINKS = Number(args.links);
const ROUNDS = Number(args.rounds);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A brand, a creator, LINKS live products and one share link to each, written the way the API writes them. Several
 * owners' rows at once, so as the tables' owner (row-level security); the measured redirects are served by the API
 * child, which scopes its own requests.
 */
function seed(url: string, dataDir: string): Promise<string[]> {
  return runAsOwner('bench-setup', () => seedRows(url, dataDir));
}

async function seedRows(url: string, dataDir: string): Promise<string[]> {
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: '2' });
  const runtime = await prepareRuntime(config, new JsonLogger('warn'));
  const db = runtime.dataSource;
  try {
    const [{ id: brandId }] = await db.query(
      `INSERT INTO brand (name, email) VALUES ('Bench Brand', 'bench@links.test') RETURNING id`,
    );
    const [{ id: creatorId }] = await db.query(
      `INSERT INTO creator (handle, email) VALUES ('bench_creator', 'creator@links.test') RETURNING id`,
    );
    const [{ id: feedId }] = await db.query(
      `INSERT INTO feed (brand_id, name, source) VALUES ($1, 'Main', 'UPLOAD') RETURNING id`,
      [brandId],
    );
    await db.query(
      `INSERT INTO product_identity (brand_id, feed_id, offer_id) SELECT $1, $2, 'P' || n FROM generate_series(1, $3) n`,
      [brandId, feedId, LINKS],
    );
    await db.query(
      `INSERT INTO catalog_product (id, brand_id, feed_id, version_id, offer_id, content_hash, title, link,
         google_category_id, google_category_path, item_group_id)
       SELECT id, brand_id, feed_id, '00000000-0000-4000-8000-000000000000', offer_id, 'h', 'Product ' || offer_id,
              'https://shop.example/p/' || offer_id || '?ref=feed', 187, 'Apparel & Accessories > Shoes', 'G1'
       FROM product_identity WHERE feed_id = $1`,
      [feedId],
    );
    // A program with every kind of open rule, so each click's snapshot does the real work.
    await db.query(
      `INSERT INTO commission_rule (brand_id, scope, target, rate_percent, valid_from)
       VALUES ($1, 'BRAND', '', 10, now() - interval '1 day'), ($1, 'CATEGORY', '166', 11, now() - interval '1 day'),
              ($1, 'ITEM_GROUP', 'G1', 12, now() - interval '1 day')`,
      [brandId],
    );
    const codes: string[] = [];
    const products: { id: string }[] = await db.query('SELECT id FROM catalog_product WHERE feed_id = $1', [feedId]);
    for (const p of products) {
      const code = randomBase62(12);
      codes.push(code);
      await db.query(
        `INSERT INTO share_link (code, creator_id, brand_id, product_id, channel) VALUES ($1, $2, $3, $4, 'TIKTOK')`,
        [code, creatorId, brandId, p.id],
      );
    }
    return codes;
  } finally {
    await runtime.close();
  }
}

function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--enable-source-maps', '--import', './scripts/register.mjs', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    const ok = await fetch(url, { redirect: 'manual' })
      .then((r) => r.status < 500)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non302: number;
  answered302: number;
}

let visitors = 0;
/** One autocannon run: `amount` requests, each visitor (a fresh one every two requests) following one link twice. */
async function drive(base: string, codes: string[], amount: number, pairs?: Set<string>): Promise<Measured> {
  let i = 0;
  const first = visitors;
  visitors += Math.ceil(amount / 2) + 1;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const n = i++;
          const visitor = first + Math.floor(n / 2);
          const code = codes[visitor % codes.length];
          pairs?.add(`${code}|${visitor}`);
          return { ...req, path: `/l/${code}`, headers: { ...req.headers, 'user-agent': `bench-visitor-${visitor}` } };
        },
      },
    ],
  });
  const answered302 = result.statusCodeStats?.['302' as keyof typeof result.statusCodeStats]?.count ?? 0;
  return {
    // Over the whole run (autocannon's per-second average is coarse for runs of a few seconds).
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non302: result['1xx'] + result['2xx'] + result['4xx'] + result['5xx'],
    answered302,
  };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const database = await createBenchDatabase('bench_links');
let api: ChildProcess | undefined;
let bare: ChildProcess | undefined;
let failed: boolean;
try {
  const codes = await seed(database.url, database.dir);
  const port = await freePort();
  api = spawnNode('dist/apps/api/src/main.js', {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    RUN_WORKERS: 'false',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  });
  bare = spawnNode('dist/bench/bare-redirect.js', {});
  const barePort = await new Promise<number>((resolve) =>
    bare!.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  const apiBase = `http://127.0.0.1:${port}`;
  const bareBase = `http://127.0.0.1:${barePort}`;
  await waitFor(`${apiBase}/health`, api);
  await waitFor(`${bareBase}/l/x`, bare);

  // Warm-up (JIT, keep-alive sockets, the link cache): its clicks are counted too, by the same rule.
  const pairs = new Set<string>();
  const warm = Math.min(4000, REQUESTS);
  await drive(bareBase, codes, warm);
  const warmApi = await drive(apiBase, codes, warm, pairs);

  console.log(
    `bench:links — ${REQUESTS.toLocaleString('en-US')} requests, ${CONNECTIONS} connections, ${codes.length} links, ` +
      `load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const bareRuns: Measured[] = [];
  const linkRuns: Measured[] = [];
  const perRound = Math.ceil(REQUESTS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await drive(bareBase, codes, perRound));
    linkRuns.push(await drive(apiBase, codes, perRound, pairs));
  }
  const row = (name: string, m: Measured) =>
    console.log(
      `${name.padEnd(24)} ${m.rps.toFixed(0).padStart(8)} req/s   p50 ${m.p50.toFixed(1).padStart(6)} ms   ` +
        `p99 ${m.p99.toFixed(1).padStart(6)} ms   errors ${m.errors}   timeouts ${m.timeouts}   non-302 ${m.non302}`,
    );
  bareRuns.forEach((m, i) => {
    row(`round ${i + 1} bare node 302`, m);
    row(`round ${i + 1} GET /l/:code`, linkRuns[i]);
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bareRps = median(bareRuns.map((m) => m.rps));
  const linkRps = median(linkRuns.map((m) => m.rps));
  const bareP99 = median(bareRuns.map((m) => m.p99));
  const linkP99 = median(linkRuns.map((m) => m.p99));
  const ratio = linkRps / bareRps;
  const ratios = linkRuns.map((m, i) => (m.rps / bareRuns[i].rps).toFixed(2)).join(', ');
  console.log(
    `medians: bare ${bareRps.toFixed(0)} req/s p99 ${bareP99.toFixed(1)} ms; API ${linkRps.toFixed(0)} req/s ` +
      `p99 ${linkP99.toFixed(1)} ms; ratio (API / bare) ${ratio.toFixed(2)} (per round ${ratios}), ` +
      `p99 ${(linkP99 / bareP99).toFixed(2)}×`,
  );
  const sum = (runs: Measured[], key: keyof Measured) => runs.reduce((n, m) => n + m[key], 0);
  const bareRun = {
    errors: sum(bareRuns, 'errors'),
    timeouts: sum(bareRuns, 'timeouts'),
    non302: sum(bareRuns, 'non302'),
  };
  const linkRun = {
    errors: sum(linkRuns, 'errors'),
    timeouts: sum(linkRuns, 'timeouts'),
    non302: sum(linkRuns, 'non302'),
    answered302: sum(linkRuns, 'answered302'),
  };

  const exitCode = await stop(api);
  api = undefined;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const [{ n: written }] = (await client.query('SELECT count(*)::int AS n FROM affiliate_click')).rows;
  const [{ n: dupes }] = (
    await client.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM affiliate_click GROUP BY share_link_id, visitor_hash HAVING count(*) > 1) d`,
    )
  ).rows;
  const [{ n: unrated }] = (
    await client.query(
      `SELECT count(*)::int AS n FROM affiliate_click WHERE commission_rule IS DISTINCT FROM 'OPEN_ITEM_GROUP'`,
    )
  ).rows;
  await client.end();
  const sent = warmApi.answered302 + linkRun.answered302;
  console.log(
    `clicks: ${sent.toLocaleString('en-US')} redirects answered, ${pairs.size.toLocaleString('en-US')} distinct ` +
      `(link, visitor) pairs, ${written.toLocaleString('en-US')} clicks written after SIGTERM (API exit ${exitCode}); ` +
      `${dupes} pairs written twice, ${unrated} clicks without the expected OPEN_ITEM_GROUP snapshot`,
  );
  const problems = [
    ...(bareRun.errors + bareRun.timeouts + bareRun.non302 ? ['the bare server had errors'] : []),
    ...(linkRun.errors + linkRun.timeouts + linkRun.non302 + warmApi.errors + warmApi.non302
      ? ['the API had errors or non-302 answers']
      : []),
    ...(written !== pairs.size ? [`clicks written ${written} ≠ distinct pairs ${pairs.size}`] : []),
    ...(dupes ? ['a visitor was counted twice on one link'] : []),
    ...(unrated ? ['clicks without their rate snapshot'] : []),
    ...(ratio < 0.7 ? [`ratio ${ratio.toFixed(2)} is under the 0.7 aim (reported, not a failure)`] : []),
  ];
  for (const p of problems) console.log(`! ${p}`);
  failed = problems.some((p) => !p.includes('not a failure'));
} finally {
  if (api) await stop(api);
  if (bare) await stop(bare);
  await database.drop({ keep: args.keep });
}
process.exit(failed ? 1 : 0);
