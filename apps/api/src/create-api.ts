import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MEDIA_STORAGE } from '@brandshelf/core';
import { RedirectHandler } from '@brandshelf/affiliate';
import type { Runtime } from '@brandshelf/runtime';
import { LocalDiskStorage, serveLocalMedia, type ObjectStorage } from '@brandshelf/storage';
import { ApiModule } from './api.module.js';
import { GRAPHIQL_ASSET_PREFIX, serveGraphiqlAssets } from './graphql/graphiql.js';
import { HttpErrorFilter } from './http/http-exception.filter.js';

/** The API as a Nest application on a prepared runtime; main.ts and the tests both start it this way. */
export async function createApi(runtime: Runtime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRuntime(runtime), {
    logger: runtime.logger,
    bodyParser: false,
    rawBody: true,
  });
  app.useGlobalFilters(new HttpErrorFilter());
  // Share links (GET /l/:code) first, ahead of body parsing and the API's middleware: the hot public path does no
  // authentication, no rate limiting by key and no per-request log line (README: Share links).
  app.use('/l', app.get(RedirectHandler).handle);
  // GraphQL and small JSON bodies only; uploads stream through their own controller.
  app.useBodyParser('json', { limit: '1mb' });
  app.disable('x-powered-by');
  // Local-disk media is served here (content-addressed, so cached for a year); with S3 it is served by the bucket or CDN.
  const media = app.get<ObjectStorage>(MEDIA_STORAGE);
  if (media instanceof LocalDiskStorage) {
    app.use('/media', (req: Parameters<typeof serveLocalMedia>[1], res: Parameters<typeof serveLocalMedia>[2]) => {
      void serveLocalMedia(media, req, res, { basePath: '' });
    });
  }
  // The GraphQL IDE's scripts and styles (the page itself is Apollo's landing page at /graphql).
  app.use(GRAPHIQL_ASSET_PREFIX, serveGraphiqlAssets());
  // Which hops' X-Forwarded-For names the client (rate limits count anonymous callers by IP).
  app.set('trust proxy', runtime.config.trustProxy);
  return app;
}
