/**
 * bench/ingest: an N-row feed through the whole pipeline (images off) beside the same rows loaded by
 * raw COPY into the same table, in the same run. Prints rows/s for both, their ratio and peak RSS. Then the same
 * file again on fresh feeds without and with 20 feed rules (bench/feed-rule-set.ts), alternating, and what the rules
 * cost (rows/s, and the CPU this process took a row, which another session's load inflates less, split by thread with
 * PostgreSQL's share beside it where /proc shows them, see thread-cpu.ts), with the peak RSS of those runs; and previewFeedRules of those rules over the first FEED_RULES_PREVIEW_ITEMS (10,000) items.
 * INGEST_READER_YOUNG_GENERATION_MB and INGEST_WORKER_THREADS in the environment are passed on.
 *
 *   npm run bench:ingest -- --n 100000        (default)    npm run bench:ingest -- --n 1000000
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
 * throwaway database is created on it and dropped afterwards.
 */
import 'reflect-metadata';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { FILE_STORAGE, JsonLogger, loadConfig } from '@brandshelf/core';
import {
  FeedRuleSetStore,
  FeedRulesService,
  FeedsService,
  IngestionPipeline,
  RunsService,
} from '@brandshelf/ingestion';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
import type { ObjectStorage } from '@brandshelf/storage';
import { enterScope } from '@brandshelf/db';
import { compileFeedRules } from '@brandshelf/feed-rules';
import { readFeed } from '@brandshelf/feeds';
import { startBenchApp } from './bench-app.js';
import { createBenchDatabase } from './bench-database.js';
import { BENCH_HEADER, generateFeed } from './feed-generator.js';
import { BENCH_RULES } from './feed-rule-set.js';
import { cpuBetween, sampleCpu, type CpuSplit } from './thread-cpu.js';

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

/**
 * Writes `source` with the 20 rules already applied: the products the rules make, as a brand that edited its export
 * would send them. Ingested without rules, it separates what applying the rules costs from what storing the richer
 * products they make costs. Streams, as the generator does. Returns the rows written (an excluded item is left out).
 */
async function writeRuledFeed(source: string, target: string): Promise<number> {
  const rules = compileFeedRules(BENCH_RULES, { recordValues: false });
  // A first pass finds the columns the rules add (labels, a custom attribute), a second writes the rows.
  const columns = new Set<string>();
  for await (const event of readFeed(createReadStream(source))) {
    if (event.type !== 'item') continue;
    const outcome = rules.apply(event.item.fields);
    if (!outcome.excludedBy) for (const key of Object.keys(outcome.item)) columns.add(key);
  }
  const header = [...columns];
  const out = createWriteStream(target);
  const csv = stringify({ header: true, columns: header.map((key) => ({ key, header: key.replace(/^custom:/, '') })) });
  csv.pipe(out);
  let rows = 0;
  for await (const event of readFeed(createReadStream(source))) {
    if (event.type !== 'item') continue;
    const outcome = rules.apply(event.item.fields);
    if (outcome.excludedBy) continue;
    const row: Record<string, string> = {};
    for (const key of header) {
      const value = outcome.item[key];
      row[key] = Array.isArray(value) ? value.join(',') : (value ?? '');
    }
    if (!csv.write(row)) await once(csv, 'drain');
    rows++;
  }
  csv.end();
  await once(out, 'finish');
  return rows;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { n: { type: 'string', default: '100000' }, 'rule-rounds': { type: 'string', default: '2' } },
  });
  const n = Number(values.n);
  const ruleRounds = Number(values['rule-rounds']);
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
      // The reader's young generation, to compare sizes in the same session.
      ...(process.env.INGEST_READER_YOUNG_GENERATION_MB
        ? { INGEST_READER_YOUNG_GENERATION_MB: process.env.INGEST_READER_YOUNG_GENERATION_MB }
        : {}),
    });
    runtime = await prepareRuntime(config, new JsonLogger(config.logLevel));
    const { app, brandId, ctx } = await startBenchApp(runtime);
    // The rest runs as the brand, under row-level security, as a run's job does in production.
    enterScope({ kind: 'brand', brandId });
    const feed = await app.get(FeedsService).create(ctx, { name: 'Bench feed' });
    const key = `feeds/${brandId}/bench/source`;
    const size = (await stat(file)).size;
    await app
      .get<ObjectStorage>(FILE_STORAGE)
      .put(key, createReadStream(file), { contentType: 'text/csv', contentLength: size });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const rss = new PeakRss();
    const run = await app.get(RunsService).create(ctx, feed.id, { trigger: 'CLI', sourceKey: key, bytesTotal: size });
    const t0 = performance.now();
    const done = await app.get(IngestionPipeline).execute(run.id, brandId, { lastAttempt: true });
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
      buffer += `${copyFeed.id}\t${cells[0]}\t${line}\t${brandId}\t${line}\t${json}\n`;
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

    // Feed rules: the same file on fresh feeds (each a first import, like the run above), alternating without and
    // with the 20 rules, so the machine's load falls on both alike.
    const ruleSets = app.get(FeedRuleSetStore);
    // The same products as the rules make, written into the file (see writeRuledFeed), ingested without rules.
    const premadeFile = join(dir, 'feed-ruled.csv');
    const premadeRows = await writeRuledFeed(file, premadeFile);
    const premade = { key: `feeds/${brandId}/bench/ruled`, size: (await stat(premadeFile)).size };
    await app
      .get<ObjectStorage>(FILE_STORAGE)
      .put(premade.key, createReadStream(premadeFile), { contentType: 'text/csv', contentLength: premade.size });
    const peaks = { without: 0, with: 0 };
    const timed = async (name: string, rules: unknown[] | null, source = { key, size }) => {
      global.gc?.();
      const runRss = new PeakRss();
      const target = await app.get(FeedsService).create(ctx, { name });
      if (rules) await ruleSets.insertNext(brandId, target.id, rules);
      const started = await app
        .get(RunsService)
        .create(ctx, target.id, { trigger: 'CLI', sourceKey: source.key, bytesTotal: source.size });
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      const split0 = sampleCpu();
      const ended = await app.get(IngestionPipeline).execute(started.id, brandId, { lastAttempt: true });
      const seconds = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const split1 = sampleCpu();
      const runPeak = runRss.stop();
      if (rules) peaks.with = Math.max(peaks.with, runPeak);
      else if (source.key === key) peaks.without = Math.max(peaks.without, runPeak);
      if (!ended || ended.status !== 'SUCCEEDED')
        throw new Error(`rules run ended ${ended?.status}: ${ended?.errorMessage}`);
      // CPU of this process (all its threads: the event loop, the reader, the writer's side), per row.
      const split = split0 && split1 ? cpuBetween(split0, split1) : null;
      return { rate: n / seconds, cpuUs: (cpu.user + cpu.system) / n, split, run: ended, feedId: target.id };
    };
    const without: number[] = [];
    const withRules: number[] = [];
    const cpuWithout: number[] = [];
    const cpuWith: number[] = [];
    const fromFile: number[] = [];
    let editedAccepted = 0;
    const cpuFromFile: number[] = [];
    const splits: { without: CpuSplit[]; with: CpuSplit[]; file: CpuSplit[] } = { without: [], with: [], file: [] };
    let ruled: Awaited<ReturnType<typeof timed>> | null = null;
    for (let round = 1; round <= ruleRounds; round++) {
      const plain = await timed(`No rules ${round}`, null);
      without.push(plain.rate);
      cpuWithout.push(plain.cpuUs);
      if (plain.split) splits.without.push(plain.split);
      ruled = await timed(`20 rules ${round}`, BENCH_RULES);
      withRules.push(ruled.rate);
      cpuWith.push(ruled.cpuUs);
      if (ruled.split) splits.with.push(ruled.split);
      // Rates per source row, as the others: the one item the rules exclude is not in this file.
      const edited = await timed(`Rules' products in the file ${round}`, null, premade);
      fromFile.push((edited.rate * premadeRows) / n);
      if (edited.split) splits.file.push(edited.split);
      editedAccepted = edited.run.itemsAccepted;
      cpuFromFile.push((edited.cpuUs * n) / premadeRows);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const fmt = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
    console.log(`no rules : ${fmt(without)} rows/s (rounds)`);
    console.log(
      `20 rules : ${fmt(withRules)} rows/s (rounds; last: ${ruled!.run.itemsChangedByRules} items changed, ` +
        `${ruled!.run.itemsExcluded} excluded, ${ruled!.run.itemsAccepted} accepted)`,
    );
    const ratio = median(withRules) / median(without);
    // Each round's with-rules run over the run without rules just before it: how far one pair swings on this machine.
    const paired = withRules.map((rate, i) => (rate / without[i]).toFixed(2)).join(' / ');
    console.log(
      `rules    : with / without = ${ratio.toFixed(2)} (medians; cost ${((1 - ratio) * 100).toFixed(0)}%, aim ≤ 20%; ` +
        `round by round ${paired})`,
    );
    // What applying the rules costs, apart from storing the richer products they make: the same products read from a
    // file that already holds them, without rules.
    const engineRatio = median(withRules) / median(fromFile);
    const pairedFile = withRules.map((rate, i) => (rate / fromFile[i]).toFixed(2)).join(' / ');
    console.log(
      `rules    : the rules' products in the file, no rules: ${fmt(fromFile)} rows/s (rounds; ${premadeRows} rows, ${editedAccepted} accepted); ` +
        `with rules / that = ${engineRatio.toFixed(2)} (applying the rules; round by round ${pairedFile}), ` +
        `that / without = ${(median(fromFile) / median(without)).toFixed(2)} (the richer products); CPU ` +
        `${fmt(cpuFromFile)} µs a row`,
    );
    const cpuRatio = median(cpuWithout) / median(cpuWith);
    console.log(
      `rules CPU: ${fmt(cpuWith)} µs a row with rules, ${fmt(cpuWithout)} without (this process, all threads; ` +
        `without / with = ${cpuRatio.toFixed(2)})`,
    );
    if (splits.with.length && splits.without.length) {
      // Per thread, and PostgreSQL's share: which side of the run the rules' cost falls on (µs a row, medians).
      const part = (runs: CpuSplit[], key: keyof CpuSplit) => median(runs.map((r) => (r[key] * 1e6) / n));
      const total = (runs: CpuSplit[]) =>
        median(runs.map((r) => ((r.main + r.reader + r.otherThreads + r.postgres) * 1e6) / n));
      // Between the two, the run of the rules' products from the file: what the richer products cost, by part.
      const file = (key: keyof CpuSplit) => (splits.file.length ? ` (${part(splits.file, key).toFixed(0)})` : '');
      const both = (key: keyof CpuSplit) =>
        `${part(splits.without, key).toFixed(0)} →${file(key)} ${part(splits.with, key).toFixed(0)}`;
      const fileTotal = splits.file.length ? ` (${total(splits.file).toFixed(0)})` : '';
      console.log(
        `rules CPU by part (µs a row without → (their products from the file) → with rules, medians): reader thread ` +
          `${both('reader')}, main ${both('main')}, other threads ${both('otherThreads')}, PostgreSQL ` +
          `${both('postgres')}; all ${total(splits.without).toFixed(0)} →${fileTotal} ${total(splits.with).toFixed(0)} ` +
          `(without / with = ${(total(splits.without) / total(splits.with)).toFixed(2)})`,
      );
    }
    console.log(
      `rules RSS: peak ${mb(peaks.with)} with rules, ${mb(peaks.without)} without (reader young generation ` +
        `${config.ingest.readerYoungGenerationMb} MB)`,
    );

    // previewFeedRules of the same 20 rules over the first 10,000 items of the stored source.
    const previews: number[] = [];
    let read = 0;
    for (let i = 0; i < 3; i++) {
      const preview = await app.get(FeedRulesService).preview(ctx, ruled!.feedId, BENCH_RULES, 10);
      previews.push(preview.elapsedMs);
      read = preview.itemsRead;
    }
    console.log(
      `preview  : ${previews.join(' / ')} ms for ${read.toLocaleString('en-US')} items, 20 rules (aim < 1000 ms)`,
    );
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
