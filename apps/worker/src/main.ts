import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, JsonLogger, loadConfig } from '@brandshelf/core';
import { DatabaseUnavailableError } from '@brandshelf/db';
import { exitOnShutdownSignals, prepareRuntime } from '@brandshelf/runtime';
import { WorkerModule } from './worker.module.js';

const logger = new JsonLogger();
try {
  const config = loadConfig();
  logger.setLevel(config.logLevel);
  if (!config.databaseUrl) {
    // A separate worker on a private embedded database would never see the API's jobs.
    throw new ConfigError(
      'DATABASE_URL',
      'is required for a separate worker process (npm start runs workers inside the API)',
    );
  }
  const runtime = await prepareRuntime(config, logger);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger });
  await app.init();
  logger.log({ msg: 'Brandshelf worker consuming jobs', concurrency: config.workerConcurrency }, 'Main');
  exitOnShutdownSignals(config, logger, async () => {
    await app.close();
    await runtime.close();
  });
} catch (error) {
  logger.error(
    error instanceof ConfigError || error instanceof DatabaseUnavailableError
      ? { msg: error.message }
      : (error as Error),
    'Main',
  );
  process.exit(1);
}
