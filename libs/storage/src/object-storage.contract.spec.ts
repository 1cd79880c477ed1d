import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { LocalDiskStorage } from './local-disk.storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage } from './s3.storage.js';
import { createStorage } from './storage.factory.js';

const MiB = 1024 * 1024;

/** Deterministic bytes from a generator, so nothing holds the whole body in memory. */
async function* generatedChunks(total: number, chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
  for (let offset = 0, n = 0; offset < total; offset += chunkSize, n++) {
    const pattern = createHash('sha256').update(`chunk-${n}`).digest();
    yield Buffer.alloc(Math.min(chunkSize, total - offset), pattern);
  }
}

interface Backend {
  name: string;
  storage: ObjectStorage;
  /** Method and URL of every request the S3 server saw. */
  requests: string[];
  cleanup(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'LocalDiskStorage',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'brandshelf-local-'));
      const storage = createStorage({ driver: 'local', root, publicBaseUrl: 'http://localhost:3000/media/' });
      expect(storage).toBeInstanceOf(LocalDiskStorage);
      return { name: 'local', storage, requests: [], cleanup: () => rm(root, { recursive: true, force: true }) };
    },
  ],
  [
    'S3Storage on s3rver',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'brandshelf-s3rver-'));
      const server = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory,
        configureBuckets: [{ name: 'media' }],
      });
      const { port } = (await server.run()) as AddressInfo;
      const requests: string[] = [];
      (server.httpServer as Server).on('request', (req: IncomingMessage) => requests.push(`${req.method} ${req.url}`));
      const storage = createStorage({
        driver: 's3',
        bucket: 'media',
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        partSizeBytes: 5 * MiB,
      });
      expect(storage).toBeInstanceOf(S3Storage);
      return {
        name: 's3',
        storage,
        requests,
        cleanup: async () => {
          await (storage as S3Storage).close();
          await server.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(backends)('ObjectStorage contract: %s', (_name, create) => {
  let backend: Backend;
  let storage: ObjectStorage;
  beforeAll(async () => {
    backend = await create();
    storage = backend.storage;
  });
  afterAll(() => backend.cleanup());

  it('puts a Buffer and reads it back with its content type and size', async () => {
    const body = Buffer.from('RIFF....WEBPVP8 fake');
    expect(await storage.put('img/ab/cd/abc/400.webp', body, { contentType: 'image/webp' })).toEqual({
      size: body.length,
    });
    const object = await storage.get('img/ab/cd/abc/400.webp');
    expect(object).toMatchObject({ contentType: 'image/webp', size: body.length });
    expect((await buffer(object!.body)).equals(body)).toBe(true);
    expect(await storage.head('img/ab/cd/abc/400.webp')).toMatchObject({
      contentType: 'image/webp',
      size: body.length,
    });
    expect(await storage.exists('img/ab/cd/abc/400.webp')).toBe(true);
  });

  it('keeps the content type of a key without a known extension', async () => {
    await storage.put('exports/feed-1', Buffer.from('a,b\n'), { contentType: 'text/csv; charset=utf-8' });
    expect((await storage.head('exports/feed-1'))?.contentType).toBe('text/csv; charset=utf-8');
  });

  it('answers null / false for unknown keys', async () => {
    expect(await storage.get('img/00/00/missing/400.webp')).toBeNull();
    expect(await storage.head('img/00/00/missing/400.webp')).toBeNull();
    expect(await storage.exists('img/00/00/missing/400.webp')).toBe(false);
  });

  it('overwrites an existing key', async () => {
    await storage.put('overwrite/a.json', Buffer.from('{"v":1}'), { contentType: 'application/json' });
    await storage.put('overwrite/a.json', Buffer.from('{"v":22}'), { contentType: 'application/json' });
    expect((await buffer((await storage.get('overwrite/a.json'))!.body)).toString()).toBe('{"v":22}');
  });

  it('streams a Readable of known length', async () => {
    const data = Buffer.alloc(300_000, 'x');
    const { size } = await storage.put(
      'stream/known.txt',
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      {
        contentType: 'text/plain',
        contentLength: data.length,
      },
    );
    expect(size).toBe(data.length);
    expect((await storage.head('stream/known.txt'))?.size).toBe(data.length);
  });

  it('streams a > 5 MiB body of unknown length from a generator (multipart on S3)', async () => {
    const total = 12 * MiB + 12345;
    const expected = createHash('sha256');
    for await (const chunk of generatedChunks(total)) expected.update(chunk);
    const { size } = await storage.put('big/generated.bin', Readable.from(generatedChunks(total)), {
      contentType: 'application/octet-stream',
    });
    expect(size).toBe(total);
    const object = await storage.get('big/generated.bin');
    expect(object?.size).toBe(total);
    const actual = createHash('sha256');
    for await (const chunk of object!.body) actual.update(chunk as Buffer);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    if (backend.name === 's3') {
      const parts = backend.requests.filter((line) => /^PUT \/media\/big\/generated\.bin\?.*partNumber=/.test(line));
      expect(parts).toHaveLength(3);
      expect(backend.requests.some((line) => /^POST \/media\/big\/generated\.bin\?uploadId=/.test(line))).toBe(true);
    }
  });

  it('fails a put whose body does not match the declared length, storing nothing', async () => {
    await expect(
      storage.put('bad/length.txt', Readable.from([Buffer.from('short')]), {
        contentType: 'text/plain',
        contentLength: 100,
      }),
    ).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    await expect(
      storage.put('bad/length2.txt', Buffer.from('short'), { contentType: 'text/plain', contentLength: 100 }),
    ).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    expect(await storage.exists('bad/length.txt')).toBe(false);
    expect(await storage.exists('bad/length2.txt')).toBe(false);
  });

  it('fails a put whose source stream errors, storing nothing', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1000);
      throw new Error('source died');
    }
    await expect(storage.put('bad/broken.txt', Readable.from(broken()), { contentType: 'text/plain' })).rejects.toThrow(
      'source died',
    );
    expect(await storage.exists('bad/broken.txt')).toBe(false);
  });

  it('deletes one key and many keys; deleting a missing key is fine', async () => {
    const keys = ['del/1.txt', 'del/2.txt', 'del/3.txt'];
    for (const key of keys) await storage.put(key, Buffer.from(key), { contentType: 'text/plain' });
    await storage.delete('del/1.txt');
    expect(await storage.exists('del/1.txt')).toBe(false);
    await storage.delete('del/1.txt');
    await storage.deleteMany!(['del/2.txt', 'del/3.txt', 'del/never.txt']);
    expect(await storage.exists('del/2.txt')).toBe(false);
    expect(await storage.exists('del/3.txt')).toBe(false);
  });

  it.each(['../etc/passwd', 'a/../../b', '/abs/key', 'a//b', './a', 'a/.meta/x', 'a\\b', '', 'a/b\u0000'])(
    'rejects the key %j',
    async (key) => {
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toMatchObject({
        code: 'INVALID_KEY',
      });
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'INVALID_KEY' });
    },
  );

  it('builds public URLs with encoded segments', () => {
    const url = storage.publicUrl('img/ab/cd/x y/400.webp');
    expect(url.endsWith('/img/ab/cd/x%20y/400.webp')).toBe(true);
    if (backend.name === 'local') expect(url).toBe('http://localhost:3000/media/img/ab/cd/x%20y/400.webp');
    else expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/img\//);
  });
});

describe('LocalDiskStorage specifics', () => {
  it('leaves no temp files behind and never exposes a half-written object', async () => {
    const root = await mkdtemp(join(tmpdir(), 'brandshelf-local-'));
    const storage = new LocalDiskStorage({ root, publicBaseUrl: 'http://localhost/media' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(100_000, 1);
      await gate;
      yield Buffer.alloc(100_000, 2);
    }
    const writing = storage.put('img/slow.png', Readable.from(slow()), { contentType: 'image/png' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storage.exists('img/slow.png')).toBe(false);
    release();
    await writing;
    expect((await storage.head('img/slow.png'))?.size).toBe(200_000);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('builds S3 public URLs from the endpoint or the AWS default', () => {
    const base = { bucket: 'media', region: 'eu-west-1' };
    expect(new S3Storage(base).publicUrl('a/b.webp')).toBe('https://media.s3.eu-west-1.amazonaws.com/a/b.webp');
    expect(new S3Storage({ ...base, endpoint: 'https://r2.example.com' }).publicUrl('a/b.webp')).toBe(
      'https://media.r2.example.com/a/b.webp',
    );
    expect(new S3Storage({ ...base, publicBaseUrl: 'https://cdn.example.com/m/' }).publicUrl('a/b.webp')).toBe(
      'https://cdn.example.com/m/a/b.webp',
    );
  });
});
