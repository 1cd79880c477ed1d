/**
 * bench/exports: channel exports at scale. An N-row generated feed goes through the pipeline and is published (a
 * catalog of ~0.96 N live products), then each channel's file (Google Merchant RSS, Meta and TikTok CSV) is written
 * by ChannelExportsService.write, what GET /exports/:token serves, into a sink that counts bytes: products/s, MB/s,
 * the time to the first byte, and the process's RSS before and at its peak during each export. Streaming keeps the
 * peak flat whatever N (compare --n 20000 with --n 200000). The sink takes bytes as fast as they come, so the
 * figures are the server's side; a channel's fetcher on a slow link only makes the writer wait.
 *
 *   npm run bench:exports -- --n 100000        (default)
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a throwaway
 * database is created on it and dropped afterwards.
 */
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ChannelExportsService, EXPORT_CHANNELS } from '@brandshelf/ads';
import { PublishService } from '@brandshelf/catalog';
import { FILE_STORAGE, JsonLogger, loadConfig } from '@brandshelf/core';
import { FeedsService, IngestionPipeline, RunsService } from '@brandshelf/ingestion';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
import type { ObjectStorage } from '@brandshelf/storage';
import { enterScope } from '@brandshelf/db';
import { startBenchApp } from './bench-app.js';
import { createBenchDatabase } from './bench-database.js';
import { generateFeed } from './feed-generator.js';

/** Counts what it is given and drops it; notes when the first byte came. */
class CountingSink extends Writable {
  bytes = 0;
  firstByteAt: number | null = null;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.firstByteAt ??= performance.now();
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    done();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' } } });
  const n = Number(values.n);
  const database = await createBenchDatabase('bs_bench_exports');
  let runtime: Runtime | null = null;
  try {
    const file = join(database.dir, 'feed.csv');
    const generated = await generateFeed(file, n);
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      IMAGES_ENABLED: 'false',
    });
    runtime = await prepareRuntime(config, new JsonLogger(config.logLevel));
    const { app, brandId, ctx } = await startBenchApp(runtime, { brandName: 'Export bench' });
    // The rest runs as the brand, under row-level security, as a run's job does in production.
    enterScope({ kind: 'brand', brandId });

    // The catalog: the generated feed ingested and published, as a brand's would be.
    const feed = await app.get(FeedsService).create(ctx, { name: 'Bench feed', defaultCurrency: 'USD' });
    const key = `feeds/${brandId}/bench/source`;
    const size = (await stat(file)).size;
    await app
      .get<ObjectStorage>(FILE_STORAGE)
      .put(key, createReadStream(file), { contentType: 'text/csv', contentLength: size });
    const run = await app.get(RunsService).create(ctx, feed.id, { trigger: 'CLI', sourceKey: key, bytesTotal: size });
    const t0 = performance.now();
    const ended = await app.get(IngestionPipeline).execute(run.id, brandId, { lastAttempt: true });
    if (!ended || ended.status !== 'SUCCEEDED') throw new Error(`run ended ${ended?.status}: ${ended?.errorMessage}`);
    if (ended.publishStatus !== 'PUBLISHED') await app.get(PublishService).publishRun(ctx, run.id);
    const [{ live }] = await runtime.dataSource.query(
      'SELECT count(*)::int AS live FROM catalog_product WHERE brand_id = $1',
      [brandId],
    );
    console.log(
      `catalog : ${live.toLocaleString('en-US')} live products from ${n.toLocaleString('en-US')} rows ` +
        `(${generated.bad} bad), ingested and published in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const exports = app.get(ChannelExportsService);
    for (const round of [1, 2]) {
      for (const channel of EXPORT_CHANNELS) {
        const { channelExport } = await exports.create(ctx, { channel });
        global.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
        const sink = new CountingSink();
        const start = performance.now();
        await exports.write(ctx, channelExport, sink, 'https://shop.example.com');
        const seconds = (performance.now() - start) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        const firstByte = sink.firstByteAt === null ? 'none' : `${(sink.firstByteAt - start).toFixed(0)} ms`;
        console.log(
          `${channel.padEnd(6)} ${round}: ${Math.round(live / seconds).toLocaleString('en-US')} products/s, ` +
            `${(sink.bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s (${mb(sink.bytes)} in ${seconds.toFixed(1)} s; ` +
            `first byte ${firstByte}); RSS ${mb(before)} before, peak ${mb(peak)}`,
        );
      }
    }
    await app.close();
  } finally {
    await runtime?.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
