import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Runtime } from '@brandshelf/runtime';
import { ApiModule } from './api.module.js';
import { HttpErrorFilter } from './http/http-exception.filter.js';

/** The API as a Nest application on a prepared runtime; main.ts and the tests both start it this way. */
export async function createApi(runtime: Runtime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRuntime(runtime), {
    logger: runtime.logger,
    bodyParser: false,
  });
  app.useGlobalFilters(new HttpErrorFilter());
  // GraphQL and small JSON bodies only; uploads stream through their own controller.
  app.useBodyParser('json', { limit: '1mb' });
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  return app;
}
