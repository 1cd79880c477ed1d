import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { FILE_STORAGE, JsonLogger, loadConfig, newId, systemBrandContext } from '@brandshelf/core';
import { FeedEntity, IngestionPipeline, RunsService } from '@brandshelf/ingestion';
import { SafeHttpClient } from '@brandshelf/net';
import { prepareRuntime } from '@brandshelf/runtime';
import type { ObjectStorage } from '@brandshelf/storage';
import { CliModule } from './cli.module.js';
import { ProgressBar } from './progress-bar.js';

const USAGE = `Usage:
  npm run cli -- ingest <file|url> --feed <feedId> [--validate-only]
      Streams a feed file (or URL) through the same pipeline as uploads, with a progress bar on stderr
      and a summary at the end. Runs in this process: no API or worker needed.
  npm run cli -- feeds
      Lists feeds (id, brand, name, source) to find a feed id.
Settings come from the environment as for the API (DATABASE_URL, DATA_DIR, …).`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { feed: { type: 'string' }, 'validate-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, target] = positionals;
  if (values.help || !command || (command === 'ingest' && (!target || !values.feed))) {
    process.stderr.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, RUN_WORKERS: 'false' });
  const runtime = await prepareRuntime(
    config,
    new JsonLogger(config.logLevel, (line) => process.stderr.write(line + '\n')),
  );
  const app = await NestFactory.createApplicationContext(CliModule.forRuntime(runtime), { logger: false });
  try {
    if (command === 'feeds') {
      const feeds = await runtime.dataSource.getRepository(FeedEntity).find({ order: { createdAt: 'ASC' } });
      for (const f of feeds) process.stdout.write(`${f.id}  brand=${f.brandId}  ${f.source.padEnd(6)} ${f.name}\n`);
      return 0;
    }
    if (command !== 'ingest') {
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      return 2;
    }
    const feed = await runtime.dataSource.getRepository(FeedEntity).findOne({ where: { id: values.feed! } });
    if (!feed) {
      process.stderr.write(`No feed ${values.feed}. List them with: npm run cli -- feeds\n`);
      return 1;
    }
    const ctx = systemBrandContext(feed.brandId, 'cli');
    const files = app.get<ObjectStorage>(FILE_STORAGE);
    const runId = newId();
    const key = `feeds/${feed.brandId}/${runId}/source`;
    let size: number | null = null;
    if (/^https?:\/\//i.test(target)) {
      const response = await app.get(SafeHttpClient).get(target, { maxBytes: config.uploads.maxBytes });
      await files.put(key, response.body, { contentType: 'application/octet-stream' });
    } else {
      size = (await stat(target)).size;
      await files.put(key, createReadStream(target), { contentType: 'application/octet-stream', contentLength: size });
    }
    await app.get(RunsService).create(ctx, feed.id, {
      id: runId,
      trigger: 'CLI',
      sourceKey: key,
      sourceName: basename(target),
      bytesTotal: size,
      validateOnly: Boolean(values['validate-only']),
    });
    const bar = new ProgressBar();
    const started = Date.now();
    const run = await app
      .get(IngestionPipeline)
      .execute(runId, feed.brandId, { onProgress: (c) => bar.update(c), lastAttempt: true });
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    if (!run) return 1;
    const lines = [
      `Run ${run.id}: ${run.status}${run.validateOnly ? ' (validate only)' : ''} in ${seconds.toFixed(1)} s`,
      `  format ${run.detectedFormat ?? '?'} ${run.dialect ?? ''} ${run.encoding ?? ''}`.trimEnd(),
      `  rows ${run.rowsRead}  accepted ${run.itemsAccepted}  rejected ${run.itemsRejected}  warnings ${run.warnings}` +
        `  (${Math.round(run.rowsRead / Math.max(seconds, 0.001))} rows/s)`,
    ];
    if (run.itemsCreated !== null) {
      lines.push(
        `  vs current: ${run.itemsCreated} created, ${run.itemsUpdated} updated, ${run.itemsUnchanged} unchanged, ${run.itemsRemoved} removed`,
      );
    }
    if (run.errorCode) lines.push(`  ${run.errorCode}: ${run.errorMessage}`, `  hint: ${run.errorHint}`);
    for (const s of run.issueSummary.slice(0, 10)) {
      lines.push(
        `  ${s.severity.padEnd(7)} ${s.code} ${s.attribute ?? ''} ×${s.count} (rows ${s.sampleRows.join(', ')})`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    return run.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await app.close();
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
