import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi, rawId } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

describe('the S3 path on a real S3 protocol server (s3rver on loopback)', () => {
  let s3: InstanceType<typeof S3rver>;
  let s3Dir: string;
  const s3Requests: string[] = [];
  let images: Server;
  let imageBase: string;
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'bs-s3rver-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'catalog' }],
    });
    const { port } = (await s3.run()) as AddressInfo;
    (s3.httpServer as Server).on('request', (req: IncomingMessage) => s3Requests.push(`${req.method} ${req.url}`));
    const jpeg = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    images = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    api = await startTestApi(createApi, {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'catalog',
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PUBLIC_BASE_URL: `http://127.0.0.1:${port}/catalog`,
      IMAGES_ENABLED: 'true',
      SSRF_ALLOW_HOSTS: '127.0.0.1',
    });
    key = (await registerBrand(api, 'Cloudy')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    images?.close();
    await s3?.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  it('streams the upload into the bucket, stores renditions there and links them publicly', async () => {
    const feedId = await createFeed(api, key, { name: 'S3 feed' });
    const csv = [
      'id,title,description,link,image_link,availability,price,brand,mpn',
      `C1,Cloud shoe,Soft.,https://shop.example/c1,${imageBase}/c1.jpg,in stock,10.00 USD,Acme,M1`,
    ].join('\n');
    const staged = await ingest(api, key, feedId, csv);
    let run = staged;
    for (let i = 0; i < 300 && run.status === 'RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await api.gqlOk('query($id: ID!) { ingestionRun(id: $id) { status } }', { id: staged.id }, key))
        .ingestionRun;
    }
    expect(run.status).toBe('SUCCEEDED');
    expect(s3Requests.some((r) => r.startsWith('PUT /catalog/feeds/'))).toBe(true);
    await api.gqlOk(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { created } userErrors { code } } }',
      { id: staged.id },
      key,
    );
    const [product] = await api.runtime.dataSource.query('SELECT images FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    const renditions = product.images[0].renditions as { size: number; format: string; url: string }[];
    expect(renditions.map((r) => `${r.size}:${r.format}`)).toEqual([
      '160:webp',
      '400:webp',
      '800:webp',
      '900:webp',
      '900:jpeg',
    ]);
    for (const r of renditions) {
      expect(r.url.startsWith(`http://127.0.0.1:`)).toBe(true);
      const res = await fetch(r.url);
      expect(res.status).toBe(200);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta.format).toBe(r.format);
      expect(Math.max(meta.width!, meta.height!)).toBe(r.size);
    }
  });
});
