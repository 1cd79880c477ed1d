/**
 * bench/console-first-search: how long a creator waits for the first search results in the web console, on
 * loopback. Starts the API in-process on a throwaway database (TEST_DATABASE_URL, else embedded) with the small
 * seeded catalog of libs/testing (images processed: renditions and ThumbHash placeholders), signed in as its
 * creator (the key put in the tab's sessionStorage, as "remember me" does). Each round opens a fresh browser
 * context (empty cache) at /creator/search?q=<query> and measures from navigation start to the frame that paints
 * the first product card (by the page's clock), beside when the bench saw the card, and to the first card's image
 * loaded. Prints the
 * median and worst of `--rounds` (10) cold loads, then of as many warm ones (cached assets), and the load average.
 *
 *   npm run bench:console-first-search -- [--rounds 10] [--query trail]
 *
 * Needs dist/console (npm run build does it) and Debian's chromium (/usr/bin/chromium or CHROMIUM_PATH).
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SEED_ENV, freePort, seedCatalog, startTestApi } from '@brandshelf/testing';
import { createApi } from '../apps/api/src/create-api.js';

// What the functions passed to page.evaluate see in the page (this project compiles without the DOM library).
declare const document: any, performance: any, sessionStorage: any;

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '10' }, query: { type: 'string', default: 'trail' } },
});
const ROUNDS = Number(args.rounds);
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
if (!executablePath) throw new Error('no chromium: apt-get install chromium, or set CHROMIUM_PATH');
if (!existsSync(join(process.cwd(), 'dist', 'console', 'index.html')))
  throw new Error('dist/console missing: npm run build');

// Media URLs are fixed from PUBLIC_BASE_URL before the harness listens (on a random port): a second listener on the
// port they name hands its requests to the same server, so images load from the API itself.
const mediaPort = await freePort();
const api = await startTestApi(createApi, {
  ...SEED_ENV,
  CONSOLE_DIR: join(process.cwd(), 'dist', 'console'),
  PUBLIC_BASE_URL: `http://127.0.0.1:${mediaPort}`,
});
const server = api.app.getHttpServer() as Server;
const alias = createServer((req, res) => server.emit('request', req, res));
await new Promise<void>((resolve) => alias.listen(mediaPort, '127.0.0.1', resolve));
const seed = await seedCatalog(api);
const session = JSON.stringify({ apiKey: seed.creator.apiKey, kind: 'creator', name: 'bench', remember: true });
const browser = await chromium.launch({
  executablePath,
  args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const url = `${api.url}/creator/search?q=${encodeURIComponent(args.query!)}`;
/**
 * Runs in the page before its scripts: when the first product card enters the DOM, the time of the next animation
 * frame (the frame that paints it) goes to __firstCardFrame. Measured by the page's own clock, because the bench
 * noticing the card (waitForSelector, then an evaluate) adds its own round trips to the browser: tens to hundreds of
 * ms on a loaded machine, which no user waits for. Both are printed.
 */
const FIRST_CARD_OBSERVER = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.product-grid li')) return;
    observer.disconnect();
    requestAnimationFrame(() => { globalThis.__firstCardFrame = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
// Signed in as the creator, as "remember me" leaves it in the tab.
const withSession = async (context: Awaited<ReturnType<typeof browser.newContext>>) => {
  await context.addInitScript((value: string) => sessionStorage.setItem('brandshelf.console.session', value), session);
  await context.addInitScript(FIRST_CARD_OBSERVER);
};

async function once(context: Awaited<ReturnType<typeof browser.newContext>>) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  // Measured from the page's navigation start; includes the bench's own round trip to the browser (a few ms
  // on a quiet machine, more under load).
  await page.waitForSelector('.product-grid li', { timeout: 30_000 });
  const seen = (await page.evaluate(() => performance.now())) as number;
  // The page's own clock: the first card's frame (see FIRST_CARD_OBSERVER), free of the bench's round trips.
  await page.waitForFunction(() => (globalThis as any).__firstCardFrame !== undefined);
  const results = (await page.evaluate(() => (globalThis as any).__firstCardFrame)) as number;
  await page.waitForFunction(() => document.querySelector('.product-grid li img')?.naturalWidth > 0);
  const image = (await page.evaluate(() => performance.now())) as number;
  const cards = await page.locator('.product-grid li').count();
  // Where the time went: the script bundle downloaded, and the search's GraphQL request sent and answered.
  const [script, search] = (await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    const js = entries.find((e: any) => /\/assets\/.*\.js$/.test(e.name));
    const gql = entries.filter((e: any) => e.name.endsWith('/graphql'));
    const last = gql[gql.length - 1];
    return [js ? js.responseEnd : 0, last ? [last.startTime, last.responseEnd] : [0, 0]];
  })) as [number, [number, number]];
  if (!(await page.evaluate(() => document.querySelector('.product-grid li img')?.naturalWidth > 0))) {
    const src = await page.evaluate(() => document.querySelector('.product-grid li img')?.currentSrc);
    throw new Error(`the first image did not load: ${src}`);
  }
  await page.close();
  return { results, seen, image, cards, script, sent: search[0], answered: search[1] };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, worst ${sorted[sorted.length - 1].toFixed(0)} ms`;
};

try {
  const cold: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const context = await browser.newContext();
    await withSession(context);
    cold.push(await once(context));
    await context.close();
  }
  const context = await browser.newContext();
  await withSession(context);
  await once(context);
  const warm: typeof cold = [];
  for (let i = 0; i < ROUNDS; i++) warm.push(await once(context));
  await context.close();
  console.log(
    `query "${args.query}": ${cold[0].cards} product cards; ${ROUNDS} rounds each; target < 1000 ms to results`,
  );
  console.log(
    `cold (empty cache): first results ${stats(cold.map((r) => r.results))} (the page's frame; as the bench saw ` +
      `them ${stats(cold.map((r) => r.seen))}); first image ${stats(cold.map((r) => r.image))}`,
  );
  console.log(
    `warm (cached assets): first results ${stats(warm.map((r) => r.results))} (as the bench saw them ` +
      `${stats(warm.map((r) => r.seen))}); first image ${stats(warm.map((r) => r.image))}`,
  );
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(0);
  console.log(
    `cold, where the time went (medians): script bundle received at ${median(cold.map((r) => r.script))} ms, ` +
      `search request sent at ${median(cold.map((r) => r.sent))} ms, answered after ` +
      `${median(cold.map((r) => r.answered - r.sent))} ms`,
  );
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${(await import('node:os')).cpus().length} cores)`,
  );
} finally {
  await browser.close();
  alias.close();
  await seed.close();
  await api.close();
}
