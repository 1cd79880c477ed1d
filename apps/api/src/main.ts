import 'reflect-metadata';
import { ConfigError, JsonLogger, loadConfig } from '@brandshelf/core';
import { DatabaseUnavailableError } from '@brandshelf/db';
import { exitOnShutdownSignals, prepareRuntime } from '@brandshelf/runtime';
import { createApi } from './create-api.js';

const logger = new JsonLogger();
try {
  const config = loadConfig();
  logger.setLevel(config.logLevel);
  const runtime = await prepareRuntime(config, logger);
  const app = await createApi(runtime);
  await app.listen(config.port, config.host).catch((error: unknown) => {
    throw listenError(error, config.host, config.port);
  });
  logger.log(
    {
      msg: `Brandshelf API listening: GraphQL at http://localhost:${config.port}/graphql`,
      database: runtime.embedded ? 'embedded' : 'postgres',
      workers: config.runWorkers,
    },
    'Main',
  );
  // Nest closes the HTTP server (in-flight requests finish) and the queue (jobs finish or return).
  exitOnShutdownSignals(config, logger, async () => {
    await app.close();
    await runtime.close();
  });
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    logger.error({ msg: error.message }, 'Main');
  } else {
    logger.error(error as Error, 'Main');
  }
  process.exit(1);
}

/** A listen that fails for want of a free port or a local address is a setting to change: say which. */
function listenError(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'PORT',
        `${port} is already in use on ${host} by another process (another Brandshelf?): stop it, or set PORT to a free port.`,
      );
    case 'EACCES':
      return new ConfigError('PORT', `${port} needs privileges this process does not have; use a port above 1023.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError('HOST', `"${host}" is not an address of this machine; use 0.0.0.0 (all) or 127.0.0.1.`);
    default:
      return error;
  }
}
