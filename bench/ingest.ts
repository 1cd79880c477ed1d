/**
 * bench/ingest: an N-row feed through the whole pipeline (images off) beside the same rows loaded by
 * raw COPY into the same table, in the same run. Prints rows/s for both, their ratio and peak RSS.
 *
 *   npm run bench:ingest -- --n 100000        (default)    npm run bench:ingest -- --n 1000000
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
 * throwaway database is created on it and dropped afterwards.
 */
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AccountsService } from '@brandshelf/accounts';
import { FILE_STORAGE, JsonLogger, loadConfig, systemBrandContext } from '@brandshelf/core';
import { FeedsService, IngestionPipeline, RunsService } from '@brandshelf/ingestion';
import { PlatformModule, prepareRuntime, type Runtime } from '@brandshelf/runtime';
import type { ObjectStorage } from '@brandshelf/storage';
import { Module, type DynamicModule } from '@nestjs/common';
import { createBenchDatabase } from './bench-database.js';
import { BENCH_HEADER, generateFeed } from './feed-generator.js';

@Module({})
class BenchModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: BenchModule,
      imports: [PlatformModule.forRuntime(runtime, { consumeJobs: false })],
    };
  }
}

class PeakRss {
  peak = 0;
  private timer = setInterval(() => this.sample(), 50);
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' } } });
  const n = Number(values.n);
  const database = await createBenchDatabase('bs_bench');
  const { url, dir } = database;
  const file = join(dir, 'feed.csv');
  let runtime: Runtime | null = null;
  try {
    const gen = await generateFeed(file, n);
    console.log(`feed: ${n} rows, ${mb(gen.bytes)}, ${gen.bad} bad rows (${((gen.bad / n) * 100).toFixed(1)}%)`);

    const config = loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      IMAGES_ENABLED: 'false',
      // INGEST_WORKER_THREADS=false reads on the main thread, to compare the two in the same session.
      ...(process.env.INGEST_WORKER_THREADS ? { INGEST_WORKER_THREADS: process.env.INGEST_WORKER_THREADS } : {}),
    });
    runtime = await prepareRuntime(config, new JsonLogger(config.logLevel));
    const app = await NestFactory.createApplicationContext(BenchModule.forRuntime(runtime), { logger: runtime.logger });
    const { brand } = await new AccountsService(runtime.dataSource).registerBrand({
      name: 'Bench',
      email: `bench-${Date.now()}@example.test`,
    });
    const ctx = systemBrandContext(brand.id);
    const feed = await app.get(FeedsService).create(ctx, { name: 'Bench feed' });
    const key = `feeds/${brand.id}/bench/source`;
    const size = (await stat(file)).size;
    await app
      .get<ObjectStorage>(FILE_STORAGE)
      .put(key, createReadStream(file), { contentType: 'text/csv', contentLength: size });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const rss = new PeakRss();
    const run = await app.get(RunsService).create(ctx, feed.id, { trigger: 'CLI', sourceKey: key, bytesTotal: size });
    const t0 = performance.now();
    const done = await app.get(IngestionPipeline).execute(run.id, brand.id, { lastAttempt: true });
    const pipelineSeconds = (performance.now() - t0) / 1000;
    const peak = rss.stop();
    if (!done || done.status !== 'SUCCEEDED')
      throw new Error(`pipeline run ended ${done?.status}: ${done?.errorMessage}`);

    // Raw COPY of the same rows into the same table: split lines, no validation, no diagnostics.
    const copyFeed = await app.get(FeedsService).create(ctx, { name: 'COPY baseline' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const t1 = performance.now();
    const copy = client.query(
      copyFrom(`COPY item_revision (feed_id, offer_id, content_hash, brand_id, "row", data) FROM STDIN`),
    );
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let line = 0;
    let buffer = '';
    for await (const text of lines) {
      if (line++ === 0) continue;
      const cells = text.split(',');
      const data: Record<string, string> = {};
      for (let i = 0; i < BENCH_HEADER.length; i++) data[BENCH_HEADER[i]] = cells[i] ?? '';
      const json = JSON.stringify(data).replace(/\\/g, '\\\\');
      buffer += `${copyFeed.id}\t${cells[0]}\t${line}\t${brand.id}\t${line}\t${json}\n`;
      if (buffer.length > 65536) {
        if (!copy.write(buffer)) await new Promise((resolve) => copy.once('drain', resolve));
        buffer = '';
      }
    }
    copy.end(buffer);
    await new Promise((resolve, reject) => copy.on('finish', resolve).on('error', reject));
    const copySeconds = (performance.now() - t1) / 1000;
    await client.end();

    const pipelineRate = n / pipelineSeconds;
    const copyRate = n / copySeconds;
    console.log(
      `pipeline : ${Math.round(pipelineRate).toLocaleString('en-US')} rows/s (${pipelineSeconds.toFixed(1)} s; ` +
        `${done.itemsAccepted} accepted, ${done.itemsRejected} rejected, ${done.warnings} warnings, ${done.errors} errors)`,
    );
    console.log(`raw COPY : ${Math.round(copyRate).toLocaleString('en-US')} rows/s (${copySeconds.toFixed(1)} s)`);
    console.log(`ratio    : pipeline / raw COPY = ${(pipelineRate / copyRate).toFixed(2)} (aim ≥ 0.5)`);
    console.log(`peak RSS : ${mb(peak)} during the pipeline (process at ${mb(rssBefore)} before it; aim < 300 MB)`);
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
