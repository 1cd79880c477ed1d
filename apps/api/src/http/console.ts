import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, Response } from 'express';

/**
 * The web console (apps/console, README: Console), built by `npm run build` into dist/console and served here at `/`.
 * Only its own paths are answered: `/`, the client routes under /brand and /creator, /signin, and the built files
 * (hashed ones under /assets). Everything else (/graphql, /health, /media, /l/, /exports, /feeds, /runs,
 * /conversions, /webhooks…) goes on to the API untouched, so the console can never shadow an endpoint.
 */
export const CONSOLE_CLIENT_ROUTES = /^\/(?:brand|creator|signin)(?:\/|$)/;

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Where `npm run build` writes the console: dist/console at the repository root (found from this file). */
export function consoleDistDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'apps'))) return join(dir, 'dist', 'console');
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'dist', 'console');
    dir = parent;
  }
}

/** Said at `/` when dist/console has no index.html (tests that do not build it, or a bare `start:api`). */
export const CONSOLE_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brandshelf console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>The Brandshelf console is not built</h1>
<p>Build it with <code>npm run build</code> (<code>npm start</code> does it too), then reload this page.</p>
<p>The API itself is up: GraphQL at <a href="/graphql">/graphql</a>, health at <a href="/health">/health</a>.</p>
</body>
</html>
`;

export function serveConsole(dir = consoleDistDir()): (req: Request, res: Response, next: NextFunction) => void {
  const index = join(dir, 'index.html');
  // Read per request only while it is missing: a build after start is picked up without a restart.
  let html: string | undefined;
  const indexHtml = (): string | undefined => {
    if (html === undefined && existsSync(index)) html = readFileSync(index, 'utf8');
    return html;
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (path === '/' || CONSOLE_CLIENT_ROUTES.test(path)) {
      const page = indexHtml();
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).send(page ?? CONSOLE_NOT_BUILT_PAGE);
      return;
    }
    // Built files: content-hashed under /assets (cached for a year), a few fixed names at the top (an hour).
    const hashed = path.startsWith('/assets/');
    if (!hashed && !/^\/[\w.-]+\.(?:svg|ico|png|webmanifest|txt)$/.test(path)) return next();
    res.sendFile(
      path.slice(1),
      { root: dir, dotfiles: 'deny', maxAge: hashed ? YEAR_MS : 3600_000, immutable: hashed },
      (error) => {
        if (!error) return;
        if (res.headersSent) return;
        // A hashed file that is not there is a 404, not the API's: nothing else lives under /assets.
        if (hashed) res.status(404).type('text/plain').send('Not found');
        else next();
      },
    );
  };
}
