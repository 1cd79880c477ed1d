import 'reflect-metadata';
import { ConfigError, JsonLogger, loadConfig } from '@brandshelf/core';
import { DatabaseUnavailableError } from '@brandshelf/db';
import { prepareRuntime } from '@brandshelf/runtime';
import { createApi } from './create-api.js';

const logger = new JsonLogger();
try {
  const config = loadConfig();
  logger.setLevel(config.logLevel);
  const runtime = await prepareRuntime(config, logger);
  const app = await createApi(runtime);
  await app.listen(config.port, config.host);
  logger.log(
    {
      msg: `Brandshelf API listening: GraphQL at http://localhost:${config.port}/graphql`,
      database: runtime.embedded ? 'embedded' : 'postgres',
      workers: config.runWorkers,
    },
    'Main',
  );
  // Nest closes the HTTP server (in-flight requests finish) and the queue (jobs finish or return).
  const closeRuntime = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void closeRuntime());
  process.once('SIGINT', () => void closeRuntime());
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    logger.error({ msg: error.message }, 'Main');
  } else {
    logger.error(error as Error, 'Main');
  }
  process.exit(1);
}
