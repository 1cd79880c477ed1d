/**
 * What pruning a brand's creatives costs (libs/ads CreativePruner.pruneBrand, run by the worker after each publish,
 * rollback or feed deletion): a brand with --n live products, each with a creative recorded as renderCreative
 * records it (a small file at the real content key, in local storage, and its row; nothing is drawn, since the prune
 * never reads a file). Measured, each --rounds times: the pass over creatives that are all current (what every
 * publish that changes nothing drawn costs: read, look up products, hash, mark nothing), then, after a publish that
 * changes every title, the pass that deletes them all (rows and files). Prints medians per pass and per 1,000
 * creatives, and the load average. Needs TEST_DATABASE_URL (a throwaway database is made); loopback only.
 *
 *   npm run bench:creatives-prune [-- --n 5000 --rounds 3]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CreativePruner, CreativesService, CreativeStore, currentCreativeKey } from '@brandshelf/ads';
import { MEDIA_STORAGE, systemBrandContext } from '@brandshelf/core';
import { runAsBrand } from '@brandshelf/db';
import { CATALOG_CHANGED } from '@brandshelf/ingestion';
import { QueueService } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import {
  SEED_ENV,
  createFeed,
  ingest,
  rawId,
  registerBrand,
  startImageHost,
  startTestApi,
  testJpeg,
} from '@brandshelf/testing';
import { createApi } from '../apps/api/src/create-api.js';

const { values: args } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(args.n);
const ROUNDS = Number(args.rounds);
const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const host = await startImageHost({ '/p.jpg': await testJpeg(800, 600, { r: 40, g: 120, b: 200 }) });
// A long grace while publishing: the publish's own prune only marks, and the measured pass does the deleting.
const api = await startTestApi(createApi, { ...SEED_ENV, CREATIVE_PRUNE_GRACE_HOURS: '1000' });
const media = api.app.get<ObjectStorage>(MEDIA_STORAGE);
const store = api.app.get(CreativeStore);
const creatives = api.app.get(CreativesService);
const pruner = api.app.get(CreativePruner);
const queue = api.app.get(QueueService);

const settle = async (brandId: string) => {
  while ((await queue.liveJobs(CATALOG_CHANGED, { brandId })) > 0) await new Promise((r) => setTimeout(r, 50));
};

const current: number[] = [];
const deleting: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const brand = await registerBrand(api, `Prune ${round}`);
    const brandId = rawId(brand.id);
    const ctx = systemBrandContext(brandId, 'bench');
    const feedId = await createFeed(api, brand.apiKey, { name: 'Bench' });
    const publish = async (title: string) => {
      const rows = Array.from(
        { length: N },
        (_, i) => `P${i},${title} ${i},Bench.,https://shop.example/${i},${host.base}/p.jpg,in stock,10.00 USD,Acme`,
      );
      const run = await ingest(api, brand.apiKey, feedId, [HEADER, ...rows].join('\n') + '\n');
      if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.status}`);
      await api.gqlOk(
        'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { userErrors { code } } }',
        { runId: run.id },
        brand.apiKey,
      );
      await settle(brandId);
    };
    await publish('Trail Shoe');

    const ids = (
      (await api.runtime.dataSource.query('SELECT id FROM catalog_product WHERE brand_id = $1', [brandId])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    const file = Buffer.alloc(2048, 1);
    for (let i = 0; i < ids.length; i += 500) {
      const products = await creatives.liveProducts(ctx, ids.slice(i, i + 500));
      await Promise.all(
        [...products.values()].map(async (product) => {
          const key = currentCreativeKey(product, 'SQUARE_1080')!;
          await media.put(key, file, { contentType: 'image/jpeg', contentLength: file.length });
          const row = { key, productId: product.id, template: 'SQUARE_1080' as const, width: 1080, height: 1080 };
          // As renderCreative records it: in the brand's request, under row-level security.
          await runAsBrand(brandId, () => store.record(ctx, { ...row, storedBytes: file.length }, async () => true));
        }),
      );
    }

    let t = performance.now();
    const kept = await pruner.pruneBrand(brandId);
    current.push(performance.now() - t);
    if (kept.stale !== 0) throw new Error(`expected every creative current, ${kept.stale} stale`);

    await publish('Road Shoe');
    api.config.creatives.pruneGraceHours = 0;
    t = performance.now();
    const gone = await pruner.pruneBrand(brandId);
    deleting.push(performance.now() - t);
    api.config.creatives.pruneGraceHours = 1000;
    if (gone.rows !== N || gone.files !== N)
      throw new Error(`expected ${N} rows and files, got ${JSON.stringify(gone)}`);
  }
  const per1000 = (ms: number) => ((ms / N) * 1000).toFixed(0);
  console.log(`creatives-prune: ${N} creatives of one brand, ${ROUNDS} rounds, local storage`);
  console.log(
    `  all current (mark nothing):   median ${median(current).toFixed(0)} ms (${per1000(median(current))} ms per 1,000); rounds ${current.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  all stale (delete rows+files): median ${median(deleting).toFixed(0)} ms (${per1000(median(deleting))} ms per 1,000); rounds ${deleting.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await api.close();
  await host.close();
}
