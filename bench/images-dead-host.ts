/**
 * bench/images-dead-host: a feed of N items whose images all sit on one dead host, through the whole pipeline
 * with image jobs consumed in-process. Prints how long the IMAGES phase took and how often the dead host was
 * actually tried, for each way a host can be dead:
 *   dns      the name does not resolve (an injected resolver that fails after --dns-ms; no real DNS query)
 *   refused  a loopback port nothing listens on
 *   silent   a loopback server that accepts and never answers (each attempt waits HTTP_READ_TIMEOUT_MS)
 *
 *   npm run bench:images-dead-host -- [--n 5000] [--scenarios dns,refused,silent] [--dns-ms 20] [--read-timeout-ms 2000]
 *
 * Aim: under 10 s for 5,000 images (dns, refused). Needs PostgreSQL like the other benches.
 */
import 'reflect-metadata';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { FILE_STORAGE, JsonLogger, loadConfig } from '@brandshelf/core';
import { FeedsService, IMAGE_FETCH, IngestionPipeline, RunsService } from '@brandshelf/ingestion';
import { QueueService } from '@brandshelf/queue';
import type { LookupAll } from '@brandshelf/net';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
import type { ObjectStorage } from '@brandshelf/storage';
import { enterScope } from '@brandshelf/db';
import { startBenchApp } from './bench-app.js';
import { createBenchDatabase } from './bench-database.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';

function feedCsv(n: number, imageBase: string): string {
  const rows = [HEADER];
  for (let i = 0; i < n; i++) {
    rows.push(
      `P${i},Product ${i},A product.,https://shop.example/p/${i},${imageBase}/img/${i}.jpg,in stock,10.00 USD,Acme,M${i}`,
    );
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '5000' },
      scenarios: { type: 'string', default: 'dns,refused,silent' },
      'dns-ms': { type: 'string', default: '20' },
      'read-timeout-ms': { type: 'string', default: '2000' },
    },
  });
  const n = Number(values.n);
  const dnsMs = Number(values['dns-ms']);

  let lookups = 0;
  // Fails every name, after a resolver-like delay: nothing is ever asked of a real resolver.
  const lookup: LookupAll = async (hostname) => {
    lookups++;
    await new Promise((resolve) => setTimeout(resolve, dnsMs));
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };

  let accepted = 0;
  const open = new Set<Socket>();
  const silent = createServer((socket) => {
    accepted++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const refusedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));

  const database = await createBenchDatabase('bs_bench_deadhost');
  let runtime: Runtime | null = null;
  try {
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      IMAGES_ENABLED: 'true',
      SSRF_ALLOW_HOSTS: '127.0.0.1',
      HTTP_READ_TIMEOUT_MS: values['read-timeout-ms'],
    });
    runtime = await prepareRuntime(config, new JsonLogger(config.logLevel));
    runtime.lookup = lookup;
    const { app, brandId, ctx } = await startBenchApp(runtime, { consumeJobs: true });
    // The rest runs as the brand, under row-level security, as a run's job does in production.
    enterScope({ kind: 'brand', brandId });
    const bases: Record<string, string> = {
      dns: 'http://images.dead.test',
      refused: `http://127.0.0.1:${refusedPort}`,
      silent: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    };
    console.log(
      `${n} images per feed, IMAGE_CONCURRENCY ${config.images.concurrency}, IMAGE_HOST_CONCURRENCY ` +
        `${config.images.hostConcurrency}, HTTP_READ_TIMEOUT_MS ${config.http.readTimeoutMs}, resolver delay ${dnsMs} ms`,
    );
    for (const scenario of (values.scenarios ?? '').split(',').filter(Boolean)) {
      const base = bases[scenario];
      if (!base) throw new Error(`unknown scenario ${scenario}`);
      const feed = await app.get(FeedsService).create(ctx, { name: `Dead host (${scenario})` });
      const body = Buffer.from(feedCsv(n, base));
      const key = `feeds/${brandId}/bench-${scenario}/source`;
      await app
        .get<ObjectStorage>(FILE_STORAGE)
        .put(key, body, { contentType: 'text/csv', contentLength: body.length });
      const run = await app.get(RunsService).create(ctx, feed.id, {
        trigger: 'CLI',
        sourceKey: key,
        bytesTotal: body.length,
      });
      const before = { lookups, accepted };
      const started = performance.now();
      let imagesFrom: number | null = null;
      let row: { status: string; phase: string; images_total: number; images_failed: number } | undefined;
      const staging = app.get(IngestionPipeline).execute(run.id, brandId, { lastAttempt: true });
      for (;;) {
        [row] = await runtime.dataSource.query(
          'SELECT status, phase, images_total, images_failed FROM ingestion_run WHERE id = $1',
          [run.id],
        );
        if (imagesFrom === null && row?.phase === 'IMAGES') imagesFrom = performance.now();
        if (row && !['QUEUED', 'RUNNING'].includes(row.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ended = performance.now();
      await staging;
      // Batches queued before the host was given up find nothing left to do; let them go before the next feed.
      const queue = app.get(QueueService);
      while ((await queue.liveJobs(IMAGE_FETCH, {})) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const drained = performance.now();
      const phase = imagesFrom === null ? 0 : (ended - imagesFrom) / 1000;
      const tried =
        scenario === 'dns' ? lookups - before.lookups : scenario === 'silent' ? accepted - before.accepted : null;
      const staged = ((imagesFrom ?? ended) - started) / 1000;
      console.log(
        `${scenario.padEnd(8)}: images phase ${phase.toFixed(2)} s (staging ${staged.toFixed(2)} s before it), ` +
          `${row!.images_failed}/${row!.images_total} failed, run ${row!.status}` +
          (tried === null ? '' : `, host tried ${tried} time${tried === 1 ? '' : 's'}`) +
          `, queue empty ${((drained - ended) / 1000).toFixed(2)} s later` +
          ` (aim: under 10 s${scenario === 'silent' ? ' plus the first timeouts' : ''})`,
      );
    }
    await app.close();
  } finally {
    for (const socket of open) socket.destroy();
    silent.close();
    await runtime?.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
