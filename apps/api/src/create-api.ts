import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MEDIA_STORAGE } from '@brandshelf/core';
import { SponsoredRedirect } from '@brandshelf/ads';
import { RedirectHandler } from '@brandshelf/affiliate';
import type { Runtime } from '@brandshelf/runtime';
import { LocalDiskStorage, serveLocalMedia, type ObjectStorage } from '@brandshelf/storage';
import { ApiModule } from './api.module.js';
import { RAW_BODY_PATHS } from './earnings/conversions.controller.js';
import { GRAPHIQL_ASSET_PREFIX, serveGraphiqlAssets } from './graphql/graphiql.js';
import { consoleDistDir, serveConsole } from './http/console.js';
import { HttpErrorFilter } from './http/http-exception.filter.js';
import { OverloadService } from './overload/overload.service.js';
import { runAsSystem, runUnscoped } from '@brandshelf/db';

/** The API as a Nest application on a prepared runtime; main.ts and the tests both start it this way. */
export async function createApi(runtime: Runtime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRuntime(runtime), {
    logger: runtime.logger,
    bodyParser: false,
    rawBody: true,
  });
  app.useGlobalFilters(new HttpErrorFilter());
  // GraphQL and small JSON bodies only; uploads stream through their own controller.
  // Signed conversion reports are read raw by their controller (the signature is over the exact bytes).
  app.useBodyParser('json', {
    limit: '1mb',
    type: (req: IncomingMessage) =>
      !RAW_BODY_PATHS.test(req.url ?? '') && /^application\/json\b/i.test(req.headers['content-type'] ?? ''),
  });
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
  // The web console at / (its own paths only; README: Console).
  app.use(serveConsole(runtime.config.consoleDir ?? consoleDistDir()));
  // Which hops' X-Forwarded-For names the client (rate limits count anonymous callers by IP).
  app.set('trust proxy', runtime.config.trustProxy);
  // The same reading for graphql-ws connections, whose operations are rate-limited by address when anonymous.
  const express = app.getHttpAdapter().getInstance() as { get(setting: string): unknown };
  app.get(OverloadService).clientAddressOf = (req) =>
    clientAddress(req, express.get('trust proxy fn') as (address: string, hop: number) => boolean);
  serveShareLinks(app);
  return app;
}

/**
 * Share links (GET /l/:code) and sponsored clicks (GET /s/:token) are answered by the HTTP server's own request listener, ahead of Express and the API's
 * middleware: the hot public path does no routing, no authentication, no rate limiting by key and no log line per
 * request (README: Creators earn). Everything else goes to Express as before. The client address for the visitor
 * hash follows TRUST_PROXY exactly as Express's req.ip does (its compiled `trust proxy fn`).
 */
function serveShareLinks(app: NestExpressApplication): void {
  const server = app.getHttpServer() as Server;
  const redirect = app.get(RedirectHandler);
  const sponsored = app.get(SponsoredRedirect);
  const express = app.getHttpAdapter().getInstance() as { get(setting: string): unknown };
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/l/')) {
      const trust = express.get('trust proxy fn') as (address: string, hop: number) => boolean;
      const url = req.url.slice(2);
      // A system path: the link's code says whose it is.
      runAsSystem('share-link-redirect', () =>
        redirect.handle(Object.assign(req, { url, ip: clientAddress(req, trust) }), res),
      );
      return;
    }
    // Clicks on sponsored results (README: Campaigns and sponsored products): the same way, their own handler.
    if (req.url?.startsWith('/s/')) {
      const trust = express.get('trust proxy fn') as (address: string, hop: number) => boolean;
      const url = req.url.slice(2);
      // A system path: the signed token says which campaign is charged.
      runAsSystem('sponsored-redirect', () =>
        sponsored.handle(Object.assign(req, { url, ip: clientAddress(req, trust) }), res),
      );
      return;
    }
    // Everything else goes through Express: each request then runs as its caller (RequestContextMiddleware).
    runUnscoped(() => {
      for (const listener of listeners) listener(req, res);
    });
  });
}

/** proxy-addr's rule: the nearest address, walking X-Forwarded-For back from the socket, that is not trusted. */
function clientAddress(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  const socket = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  if (!header) return socket;
  const chain = [
    socket,
    ...String(header)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
      .reverse(),
  ];
  for (let hop = 0; hop < chain.length - 1; hop++) if (!trust(chain[hop], hop)) return chain[hop];
  return chain[chain.length - 1];
}
