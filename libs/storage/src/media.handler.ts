import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ObjectStorage } from './object-storage.js';
import { assertValidKey } from './storage-key.js';

export interface ServeMediaOptions {
  /**
   * The path prefix in front of the key in `req.url`. `/media` for a plain server or `app.get('/media/*')`;
   * `''` when Express mounts the handler with `app.use('/media', ...)` (Express strips the mount path).
   */
  basePath?: string;
}

/** Content-addressed keys never change content, so browsers and CDNs may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves GET/HEAD `<basePath>/<key>` from any ObjectStorage (meant for LocalDiskStorage; with S3 a CDN or
 * the bucket's own URL serves instead). Framework-free so it mounts in Express or a bare http server.
 */
export async function serveLocalMedia(
  storage: ObjectStorage,
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeMediaOptions = {},
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const key = keyFromUrl(req.url ?? '', options.basePath ?? '/media');
  const info = key ? await storage.head(key) : null;
  if (!key || !info) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' }).end('Not found');
    return;
  }
  const headers: Record<string, string | number> = {
    'content-type': info.contentType,
    'content-length': info.size,
    'cache-control': IMMUTABLE,
    // Stored files come from brands' servers: never let a browser reinterpret one as HTML or script.
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  if (info.etag) headers.etag = info.etag;
  if (info.lastModified) headers['last-modified'] = info.lastModified.toUTCString();

  if (info.etag && matchesEtag(req.headers['if-none-match'], info.etag)) {
    delete headers['content-length'];
    res.writeHead(304, headers).end();
    return;
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, headers).end();
    return;
  }
  const object = await storage.get(key);
  if (!object) {
    res.writeHead(404, { 'cache-control': 'no-cache' }).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': object.size });
  // A client hanging up mid-download is routine, not an error worth surfacing.
  await pipeline(object.body, res).catch(() => undefined);
}

function keyFromUrl(url: string, basePath: string): string | null {
  const path = url.split('?')[0];
  const prefix = `${basePath.replace(/\/+$/, '')}/`;
  if (!path.startsWith(prefix)) return null;
  try {
    const key = path.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
    assertValidKey(key);
    return key;
  } catch {
    return null;
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => bare(tag) === bare(etag));
}
