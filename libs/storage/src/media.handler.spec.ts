import http, { type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage } from './local-disk.storage.js';
import { serveLocalMedia } from './media.handler.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('serveLocalMedia', () => {
  let root: string;
  let storage: LocalDiskStorage;
  let server: http.Server;
  let port: number;

  const request = (method: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'brandshelf-serve-'));
    storage = new LocalDiskStorage({ root: join(root, 'media'), publicBaseUrl: 'http://localhost/media' });
    await storage.put('img/ab/cd/abc/400.webp', Buffer.from('webp-bytes'), { contentType: 'image/webp' });
    await writeFile(join(root, 'secret.txt'), 'do not serve');
    server = http.createServer((req, res) => void serveLocalMedia(storage, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it('serves a stored object as immutable with its type, length and ETag', async () => {
    const reply = await request('GET', '/media/img/ab/cd/abc/400.webp');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('webp-bytes');
    expect(reply.headers).toMatchObject({
      'content-type': 'image/webp',
      'content-length': '10',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    expect(reply.headers.etag).toMatch(/^".+"$/);
  });

  it('answers HEAD without a body and If-None-Match with 304', async () => {
    const head = await request('HEAD', '/media/img/ab/cd/abc/400.webp');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe('10');
    const again = await request('GET', '/media/img/ab/cd/abc/400.webp', { 'if-none-match': head.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it.each([
    '/media/img/ab/cd/abc/800.webp',
    '/media/../secret.txt',
    '/media/..%2Fsecret.txt',
    '/media/img/%2E%2E/%2E%2E/secret.txt',
    '/media/.tmp/x',
    '/media/',
    '/other/img/ab/cd/abc/400.webp',
    '/media/%E0%A4%A',
  ])('answers 404 for %s', async (path) => {
    const reply = await request('GET', path);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('do not serve');
  });

  it('refuses other methods', async () => {
    const reply = await request('POST', '/media/img/ab/cd/abc/400.webp');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });
});
