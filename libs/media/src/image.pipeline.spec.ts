import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer as readAll } from 'node:stream/consumers';
import sharp, { type Sharp } from 'sharp';
import S3rver from 's3rver';
import { SafeHttpClient, SsrfGuard, type LookupAll } from '@brandshelf/net';
import { LocalDiskStorage, S3Storage, type ObjectStorage } from '@brandshelf/storage';
import { ImageError } from './image.errors.js';
import { ImagePipeline, renditionEntries, type StoredImage } from './image.pipeline.js';
import { ImageProcessor, type ProcessedImage } from './image.processor.js';
import { checkImageSize } from './image-size.rule.js';

// Servers listen on 127.0.0.1 only, and the resolver knows no names, so nothing here leaves loopback.
const noDns: LookupAll = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

class CountingProcessor extends ImageProcessor {
  calls = 0;
  override async process(source: Buffer | string): Promise<ProcessedImage> {
    this.calls++;
    return super.process(source);
  }
}

interface Route {
  body: Buffer;
  contentType?: string;
  status?: number;
  headers?: Record<string, string>;
}

interface ImageServer {
  origin: string;
  seen: IncomingMessage[];
  /** Responses with a body, per path: a 304 sends none. */
  bodiesSent: Map<string, number>;
  serve(path: string, route: Route): void;
  close(): Promise<void>;
}

/** Serves images with ETag/Last-Modified and answers conditional requests with 304, like a real CDN. */
async function startImageServer(): Promise<ImageServer> {
  const routes = new Map<string, Route>();
  const seen: IncomingMessage[] = [];
  const bodiesSent = new Map<string, number>();
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const path = req.url ?? '/';
    const route = routes.get(path);
    if (!route) return res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'image/jpeg', ...route.headers };
    const etag = headers.etag;
    if (etag && req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    bodiesSent.set(path, (bodiesSent.get(path) ?? 0) + 1);
    res.writeHead(route.status ?? 200, { ...headers, 'content-length': route.body.length }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    bodiesSent,
    serve: (path, route) => routes.set(path, route),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function countingStorage(storage: ObjectStorage): ObjectStorage & { puts: string[] } {
  const puts: string[] = [];
  return Object.assign(Object.create(storage) as ObjectStorage, {
    puts,
    put: (key: string, ...rest: Parameters<ObjectStorage['put']> extends [string, ...infer R] ? R : never) => {
      puts.push(key);
      return storage.put(key, ...rest);
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<ImageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImageError) return error;
    throw error;
  }
  throw new Error('expected an ImageError');
}

/** Noise over a gradient, so encoders have real work and distinct seeds give distinct bytes. */
async function photo(width: number, height: number, seed: number): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    raw[i] = ((i % (width * 3)) / 12 + (state >>> 26)) & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

async function expectStoredRenditions(storage: ObjectStorage, image: StoredImage): Promise<void> {
  for (const rendition of image.renditions) {
    const object = await storage.get(rendition.key);
    expect(object?.contentType).toBe('image/webp');
    const meta = await sharp(await readAll(object!.body)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', rendition.width, rendition.height]);
  }
  const jpeg = await storage.get(image.jpegKey);
  expect(jpeg?.contentType).toBe('image/jpeg');
  const meta = await sharp(await readAll(jpeg!.body)).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', image.jpegWidth, image.jpegHeight]);
}

describe('ImagePipeline', () => {
  let server: ImageServer;
  let root: string;
  let storage: LocalDiskStorage & { puts?: string[] };
  const clients: SafeHttpClient[] = [];

  const makeClient = (guard = new SsrfGuard({ lookup: noDns, allowHosts: ['127.0.0.1'] })) => {
    const client = new SafeHttpClient({ guard, readTimeoutMs: 5000 });
    clients.push(client);
    return client;
  };
  const makePipeline = (options: { processor?: ImageProcessor; maxBytes?: number; store?: ObjectStorage } = {}) =>
    new ImagePipeline({ http: makeClient(), storage: options.store ?? storage, ...options });

  beforeAll(async () => {
    server = await startImageServer();
    root = await mkdtemp(join(tmpdir(), 'brandshelf-media-'));
    storage = new LocalDiskStorage({ root, publicBaseUrl: 'http://localhost:3000/media' });
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('fetches, auto-rotates and stores WebP renditions, a JPEG and a manifest', async () => {
    // 2000×1000 stored with EXIF orientation 6: displayed as 1000×2000.
    const body = await (await photo(2000, 1000, 1)).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
    server.serve('/rotated.jpg', { body });
    const processor = new CountingProcessor();
    const result = await makePipeline({ processor }).fetchAndStore(`${server.origin}/rotated.jpg`);
    expect(result).toMatchObject({
      status: 'PROCESSED',
      format: 'jpeg',
      width: 1000,
      height: 2000,
      bytes: body.length,
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.renditions.map((r) => [r.size, r.width, r.height])).toEqual([
      [160, 80, 160],
      [400, 200, 400],
      [800, 400, 800],
      [1600, 800, 1600],
    ]);
    const prefix = `img/${result.sha256.slice(0, 2)}/${result.sha256.slice(2, 4)}/${result.sha256}`;
    expect(result.renditions[1]).toMatchObject({
      key: `${prefix}/400.webp`,
      url: `http://localhost:3000/media/${prefix}/400.webp`,
    });
    expect(result.jpegKey).toBe(`${prefix}/full.jpg`);
    // The JPEG is made from the 1600 px rendition: its entry says 1600, not the 2000 px source's long side.
    expect(renditionEntries(result).map((r) => [r.format, r.size, r.width, r.height])).toEqual([
      ['webp', 160, 80, 160],
      ['webp', 400, 200, 400],
      ['webp', 800, 400, 800],
      ['webp', 1600, 800, 1600],
      ['jpeg', 1600, 800, 1600],
    ]);
    expect(result.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(result.placeholder.length).toBeGreaterThan(10);
    expect(await storage.exists(`${prefix}/manifest.json`)).toBe(true);
    await expectStoredRenditions(storage, result);
    expect(processor.calls).toBe(1);
  });

  it('renders a PNG smaller than the largest size at its own size, never upscaled', async () => {
    server.serve('/small.png', { body: await (await photo(700, 500, 2)).png().toBuffer(), contentType: 'image/png' });
    const result = await makePipeline().fetchAndStore(`${server.origin}/small.png`);
    expect(result.format).toBe('png');
    expect(result.renditions.map((r) => [r.size, r.width, r.height])).toEqual([
      [160, 160, 114],
      [400, 400, 286],
      [700, 700, 500],
    ]);
    await expectStoredRenditions(storage, result);
  });

  it('processes the same bytes at two URLs once, also when both arrive together', async () => {
    const body = await (await photo(900, 900, 3)).jpeg().toBuffer();
    server.serve('/a/shoe.jpg', { body });
    server.serve('/b/shoe-copy.jpg', { body });
    server.serve('/c/shoe-again.jpg', { body });
    const processor = new CountingProcessor();
    const store = countingStorage(storage);
    const pipeline = makePipeline({ processor, store });
    const [first, second] = await Promise.all([
      pipeline.fetchAndStore(`${server.origin}/a/shoe.jpg`),
      pipeline.fetchAndStore(`${server.origin}/b/shoe-copy.jpg`),
    ]);
    const third = await pipeline.fetchAndStore(`${server.origin}/c/shoe-again.jpg`);
    expect([first.status, second.status].sort()).toEqual(['DEDUPED', 'PROCESSED']);
    expect(third.status).toBe('DEDUPED');
    expect(new Set([first.sha256, second.sha256, third.sha256]).size).toBe(1);
    expect(third.renditions).toEqual(first.renditions);
    expect(processor.calls).toBe(1);
    // Four renditions, the JPEG and the manifest, written once.
    expect(store.puts).toHaveLength(6);
  });

  it('sends If-None-Match on the next fetch and takes a 304 as NOT_MODIFIED without downloading', async () => {
    const body = await (await photo(600, 600, 4)).jpeg().toBuffer();
    const lastModified = 'Tue, 01 Jul 2025 10:00:00 GMT';
    server.serve('/etag.jpg', { body, headers: { etag: '"img-v1"', 'last-modified': lastModified } });
    const processor = new CountingProcessor();
    const pipeline = makePipeline({ processor });
    const first = await pipeline.fetchAndStore(`${server.origin}/etag.jpg`);
    expect(first).toMatchObject({ status: 'PROCESSED', etag: '"img-v1"', lastModified });

    const second = await pipeline.fetchAndStore(`${server.origin}/etag.jpg`, first);
    const request = server.seen.filter((req) => req.url === '/etag.jpg').at(-1)!;
    expect(request.headers['if-none-match']).toBe('"img-v1"');
    expect(request.headers['if-modified-since']).toBe(lastModified);
    expect(second).toMatchObject({ status: 'NOT_MODIFIED', sha256: first.sha256, etag: '"img-v1"', width: 600 });
    expect(second.renditions).toEqual(first.renditions);
    expect(server.bodiesSent.get('/etag.jpg')).toBe(1);
    expect(processor.calls).toBe(1);
  });

  it('fetches again when a 304 confirms an image storage no longer has', async () => {
    const body = await (await photo(300, 300, 5)).jpeg().toBuffer();
    server.serve('/lost.jpg', { body, headers: { etag: '"lost-v1"' } });
    const pipeline = makePipeline();
    const first = await pipeline.fetchAndStore(`${server.origin}/lost.jpg`);
    await storage.delete(`img/${first.sha256.slice(0, 2)}/${first.sha256.slice(2, 4)}/${first.sha256}/manifest.json`);
    const again = await pipeline.fetchAndStore(`${server.origin}/lost.jpg`, first);
    expect(again.status).toBe('PROCESSED');
    expect(server.bodiesSent.get('/lost.jpg')).toBe(2);
  });

  it('follows redirects', async () => {
    server.serve('/old-url.jpg', { body: Buffer.alloc(0), status: 301, headers: { location: '/new/url.jpg' } });
    server.serve('/new/url.jpg', { body: await (await photo(640, 480, 6)).jpeg().toBuffer() });
    const result = await makePipeline().fetchAndStore(`${server.origin}/old-url.jpg`);
    expect(result).toMatchObject({ status: 'PROCESSED', width: 640, height: 480 });
  });

  it('flags small images through checkImageSize: 60×60 is an error, 300×300 a warning', async () => {
    server.serve('/tiny.png', { body: await (await photo(60, 60, 7)).png().toBuffer() });
    server.serve('/smallish.png', { body: await (await photo(300, 300, 8)).png().toBuffer() });
    const pipeline = makePipeline();
    const tiny = await pipeline.fetchAndStore(`${server.origin}/tiny.png`);
    expect(tiny.renditions.map((r) => r.size)).toEqual([60]);
    expect(checkImageSize(tiny)).toMatchObject({ severity: 'ERROR', code: 'IMAGE_TOO_SMALL' });
    const smallish = await pipeline.fetchAndStore(`${server.origin}/smallish.png`);
    expect(checkImageSize(smallish)).toMatchObject({ severity: 'WARNING', code: 'IMAGE_TOO_SMALL' });
  });

  describe('failures', () => {
    it('reports a truncated JPEG as IMAGE_CORRUPT', async () => {
      const whole = await (await photo(800, 800, 9)).jpeg().toBuffer();
      server.serve('/truncated.jpg', { body: whole.subarray(0, Math.floor(whole.length / 2)) });
      expect((await failure(makePipeline().fetchAndStore(`${server.origin}/truncated.jpg`))).code).toBe(
        'IMAGE_CORRUPT',
      );
    });

    it('reports too many pixels and too many bytes as IMAGE_TOO_LARGE', async () => {
      server.serve('/big.png', { body: await (await photo(1500, 1500, 10)).png().toBuffer() });
      const strict = makePipeline({ processor: new ImageProcessor({ limitInputPixels: 2_000_000 }) });
      const pixels = await failure(strict.fetchAndStore(`${server.origin}/big.png`));
      expect(pixels.code).toBe('IMAGE_TOO_LARGE');
      expect(pixels.message).toMatch(/2250000 pixels/);
      const capped = makePipeline({ maxBytes: 50_000 });
      expect((await failure(capped.fetchAndStore(`${server.origin}/big.png`))).code).toBe('IMAGE_TOO_LARGE');
    });

    it('refuses an SVG or an HTML page served as image/jpeg as IMAGE_UNSUPPORTED_FORMAT', async () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><circle r="400"/></svg>';
      server.serve('/logo.jpg', { body: Buffer.from(svg), contentType: 'image/jpeg' });
      server.serve('/page.jpg', { body: Buffer.from(`<!doctype html><p>${'x'.repeat(5000)}</p>`) });
      const pipeline = makePipeline();
      expect((await failure(pipeline.fetchAndStore(`${server.origin}/logo.jpg`))).code).toBe(
        'IMAGE_UNSUPPORTED_FORMAT',
      );
      const html = await failure(pipeline.fetchAndStore(`${server.origin}/page.jpg`));
      expect(html.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
      expect(html.message).toMatch(/<!doctype html>/);
    });

    it('reports a 404 as IMAGE_UNREACHABLE with the status', async () => {
      const error = await failure(makePipeline().fetchAndStore(`${server.origin}/missing.jpg`));
      expect(error.code).toBe('IMAGE_UNREACHABLE');
      expect(error.message).toMatch(/404/);
      expect(error.httpStatus).toBe(404);
    });

    it('reports a refused connection as IMAGE_UNREACHABLE with the errno', async () => {
      const closed = await startImageServer();
      const origin = closed.origin;
      await closed.close();
      const error = await failure(makePipeline().fetchAndStore(`${origin}/x.jpg`));
      expect(error.code).toBe('IMAGE_UNREACHABLE');
      expect(error.message).toMatch(/ECONNREFUSED/);
    });

    it('refuses loopback with the guard on, as IMAGE_BLOCKED_ADDRESS, before connecting', async () => {
      server.serve('/guarded.jpg', { body: await (await photo(200, 200, 11)).jpeg().toBuffer() });
      const before = server.seen.length;
      const guarded = new ImagePipeline({ http: makeClient(new SsrfGuard({ lookup: noDns })), storage });
      for (const url of [
        `${server.origin}/guarded.jpg`,
        'http://[::1]/x.jpg',
        'http://169.254.169.254/latest/meta-data/',
      ]) {
        const error = await failure(guarded.fetchAndStore(url));
        expect(error.code).toBe('IMAGE_BLOCKED_ADDRESS');
        expect(error.message).toMatch(/SSRF_ALLOW_HOSTS=/);
      }
      // The message names the entry that would allow the host: its name, or its IP where only an IP entry works.
      const loopback = await failure(guarded.fetchAndStore(`${server.origin}/guarded.jpg`));
      expect(loopback.message).toContain('SSRF_ALLOW_HOSTS=127.0.0.1)');
      const metadata = await failure(guarded.fetchAndStore('http://169.254.169.254/latest/meta-data/'));
      expect(metadata.message).toContain('SSRF_ALLOW_HOSTS=169.254.169.254)');
      expect(server.seen.length).toBe(before);
    });
  });
});

describe('ImagePipeline on S3Storage (s3rver)', () => {
  it('stores renditions in the bucket and dedupes from the manifest there', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'brandshelf-s3rver-'));
    const s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'media' }],
    });
    const { port } = (await s3.run()) as AddressInfo;
    const server = await startImageServer();
    const storage = new S3Storage({
      bucket: 'media',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    const http = new SafeHttpClient({ guard: new SsrfGuard({ lookup: noDns, allowHosts: ['127.0.0.1'] }) });
    try {
      server.serve('/s3.jpg', { body: await (await photo(1800, 1200, 12)).jpeg().toBuffer() });
      server.serve('/s3-copy.jpg', { body: await (await photo(1800, 1200, 12)).jpeg().toBuffer() });
      const processor = new CountingProcessor();
      const pipeline = new ImagePipeline({ http, storage, processor });
      const result = await pipeline.fetchAndStore(`${server.origin}/s3.jpg`);
      expect(result.status).toBe('PROCESSED');
      expect(result.renditions.map((r) => r.size)).toEqual([160, 400, 800, 1600]);
      expect(result.renditions[0].url).toBe(`http://127.0.0.1:${port}/media/${result.renditions[0].key}`);
      await expectStoredRenditions(storage, result);
      expect((await pipeline.fetchAndStore(`${server.origin}/s3-copy.jpg`)).status).toBe('DEDUPED');
      expect(processor.calls).toBe(1);
    } finally {
      http.close();
      await storage.close();
      await server.close();
      await s3.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
