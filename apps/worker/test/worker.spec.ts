import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JsonLogger, loadConfig } from '@brandshelf/core';
import { IMAGE_FETCH, RUN_STAGED } from '@brandshelf/ingestion';
import { QueueService } from '@brandshelf/queue';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
import { createTestDatabase, type TestDatabase } from '@brandshelf/testing';
import { CliModule } from '../../cli/src/cli.module.js';
import { WorkerModule } from '../src/worker.module.js';

describe('process compositions', () => {
  let database: TestDatabase;
  let runtime: Runtime;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'bs-worker-'));
    const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    runtime = await prepareRuntime(config, new JsonLogger('error'));
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  // The queue refuses to start when a job has no handler, so booting proves each process has them all.
  it.each([
    ['worker', () => WorkerModule.forRuntime(runtime), true],
    ['cli', () => CliModule.forRuntime(runtime, [IMAGE_FETCH.name, RUN_STAGED.name]), false],
  ])('the %s process boots with a handler for every job', async (_name, module, consumes) => {
    const app = await NestFactory.createApplicationContext(module(), { logger: false });
    try {
      await app.init();
      expect(app.get(QueueService).consumes).toBe(consumes);
    } finally {
      await app.close();
    }
  });
});
