import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  registerBrand,
  startTestApi,
  type RunView,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/** Noise and gradients, so encoders do real work, like on product photos. */
function photo(width: number, height: number, seed: number) {
  const raw = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    raw[i] = ((i % (width * 3)) / 12 + (state >>> 26)) & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

interface Served {
  body: Buffer;
  type: string;
  status?: number;
}

/** A loopback image host: ETags on every image, a redirect, and a log of what was asked. */
async function imageHost(files: Record<string, Served>) {
  const requests: { url: string; headers: IncomingHttpHeaders; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path === '/moved.jpg') {
      requests.push({ url: path, headers: req.headers, status: 302 });
      res.writeHead(302, { location: '/good.jpg' }).end();
      return;
    }
    const file = files[path];
    if (!file) {
      requests.push({ url: path, headers: req.headers, status: 404 });
      res.writeHead(404).end('nope');
      return;
    }
    const etag = `"${path.length}-${file.body.length}"`;
    if (req.headers['if-none-match'] === etag) {
      requests.push({ url: path, headers: req.headers, status: 304 });
      res.writeHead(304, { etag }).end();
      return;
    }
    requests.push({ url: path, headers: req.headers, status: file.status ?? 200 });
    res.writeHead(file.status ?? 200, { 'content-type': file.type, etag }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const HEADER = 'id,title,description,link,image_link,additional_image_link,availability,price,brand,mpn';
const row = (id: string, image: string, additional = '') =>
  [
    id,
    `Product ${id}`,
    'A product.',
    `https://shop.example/${id}`,
    image,
    additional,
    'in stock',
    '10.00 USD',
    'Acme',
    `M-${id}`,
  ].join(',');

const RUN = `query($id: ID!) { ingestionRun(id: $id) { status phase imagesTotal imagesDone imagesFailed imagesSkipped
  itemsAccepted itemsRejected issueSummary { code severity attribute count } } }`;

async function waitImages(api: TestApi, key: string, runId: string) {
  for (let i = 0; i < 600; i++) {
    const { ingestionRun } = await api.gqlOk(RUN, { id: runId }, key);
    if (ingestionRun.status !== 'RUNNING' && ingestionRun.status !== 'QUEUED') return ingestionRun;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('images never finished');
}

describe('images (e2e: loopback image host, local disk storage)', () => {
  let api: TestApi;
  let key: string;
  let host: Awaited<ReturnType<typeof imageHost>>;
  let jpeg: Buffer;

  beforeAll(async () => {
    jpeg = await photo(800, 600, 1).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
    const truncated = (await photo(900, 900, 2).jpeg().toBuffer()).subarray(0, 3000);
    host = await imageHost({
      '/good.jpg': { body: jpeg, type: 'image/jpeg' },
      '/same-bytes.jpg': { body: jpeg, type: 'image/jpeg' },
      '/photo.png': { body: await photo(700, 700, 3).png().toBuffer(), type: 'image/png' },
      '/tiny.jpg': { body: await photo(60, 60, 4).jpeg().toBuffer(), type: 'image/jpeg' },
      '/small.jpg': { body: await photo(300, 300, 5).jpeg().toBuffer(), type: 'image/jpeg' },
      '/page.jpg': { body: Buffer.from('<html><body>Not an image</body></html>'), type: 'image/jpeg' },
      '/broken.jpg': { body: truncated, type: 'image/jpeg' },
      '/huge.png': { body: await photo(1200, 1200, 6).png().toBuffer(), type: 'image/png' },
    });
    api = await startTestApi(createApi, {
      IMAGES_ENABLED: 'true',
      SSRF_ALLOW_HOSTS: '127.0.0.1',
      IMAGE_MAX_INPUT_PIXELS: '1000000', // so the 1200×1200 image is over the limit
    });
    key = (await registerBrand(api, 'Imagery')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host?.server.closeAllConnections();
    host?.server.close();
  });

  it('processes images after staging, names every bad one, and publishes only items with a usable main image', async () => {
    const b = host.base;
    const feedId = await createFeed(api, key, { name: 'Pictures' });
    const staged = await ingest(
      api,
      key,
      feedId,
      [
        HEADER,
        row('GOOD', `${b}/good.jpg`, `${b}/photo.png`),
        row('SAME', `${b}/same-bytes.jpg`),
        row('MOVED', `${b}/moved.jpg`),
        row('MISSING', `${b}/missing.jpg`),
        row('TINY', `${b}/tiny.jpg`),
        row('SMALL', `${b}/small.jpg`),
        row('PAGE', `${b}/page.jpg`),
        row('BROKEN', `${b}/broken.jpg`),
        row('HUGE', `${b}/huge.png`),
        row('EXTRA', `${b}/good.jpg`, `${b}/missing-extra.jpg`),
      ].join('\n'),
    ).catch((e) => e as Error);
    expect(staged).not.toBeInstanceOf(Error);
    const run = await waitImages(api, key, (staged as RunView).id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.phase).toBe('DONE');
    expect(run.imagesTotal).toBe(11); // distinct URLs (good.jpg is used twice)
    expect(run.imagesDone + run.imagesFailed + run.imagesSkipped).toBe(11);
    expect(run.imagesFailed).toBe(6); // missing, missing-extra, tiny, page, broken, huge

    const byCode = (code: string) => run.issueSummary.filter((s: { code: string }) => s.code === code);
    expect(byCode('IMAGE_UNREACHABLE')).toEqual(
      expect.arrayContaining([
        { code: 'IMAGE_UNREACHABLE', severity: 'ERROR', attribute: 'image_link', count: 1 },
        { code: 'IMAGE_UNREACHABLE', severity: 'WARNING', attribute: 'additional_image_link', count: 1 },
      ]),
    );
    expect(byCode('IMAGE_TOO_SMALL')).toEqual(
      expect.arrayContaining([
        { code: 'IMAGE_TOO_SMALL', severity: 'ERROR', attribute: 'image_link', count: 1 },
        { code: 'IMAGE_TOO_SMALL', severity: 'WARNING', attribute: 'image_link', count: 1 },
      ]),
    );
    expect(byCode('IMAGE_UNSUPPORTED_FORMAT')[0]).toMatchObject({ severity: 'ERROR', count: 1 });
    expect(byCode('IMAGE_CORRUPT')[0]).toMatchObject({ severity: 'ERROR', count: 1 });
    expect(byCode('IMAGE_TOO_LARGE')[0]).toMatchObject({ severity: 'ERROR', count: 1 });
    expect(run.itemsRejected).toBe(5); // MISSING, TINY, PAGE, BROKEN, HUGE
    expect(run.itemsAccepted).toBe(5);

    const issues = await api.gqlOk(
      `query($id: ID!) { ingestionRun(id: $id) { issues(filter: { code: IMAGE_UNREACHABLE, severity: ERROR }) {
         nodes { row itemId message hint value } } } }`,
      { id: run ? (staged as RunView).id : '' },
      key,
    );
    const unreachable = issues.ingestionRun.issues.nodes[0];
    expect(unreachable).toMatchObject({ itemId: 'MISSING', row: 5, value: `${b}/missing.jpg` });
    expect(unreachable.message).toMatch(/404/);

    // The same bytes at two URLs are stored once.
    const sources = await api.runtime.dataSource.query(
      `SELECT url, sha256, width, height FROM image_source WHERE url IN ($1, $2, $3)`,
      [`${b}/good.jpg`, `${b}/same-bytes.jpg`, `${b}/moved.jpg`],
    );
    expect(new Set(sources.map((s: { sha256: string }) => s.sha256)).size).toBe(1);
    // EXIF orientation 6: the 800×600 photo is 600×800 upright.
    expect(sources[0]).toMatchObject({ width: 600, height: 800 });

    const pub = await api.gqlOk(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { created } userErrors { code } } }',
      { id: (staged as RunView).id },
      key,
    );
    expect(pub.publishRun.publication.created).toBe(5);
    const live = await api.runtime.dataSource.query(
      'SELECT offer_id, images FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id',
      [rawId(feedId)],
    );
    expect(live.map((p: { offer_id: string }) => p.offer_id)).toEqual(['EXTRA', 'GOOD', 'MOVED', 'SAME', 'SMALL']);
    const good = live.find((p: { offer_id: string }) => p.offer_id === 'GOOD');
    expect(good.images.map((i: { role: string }) => i.role)).toEqual(['MAIN', 'ADDITIONAL']);
    const main = good.images[0];
    expect(main).toMatchObject({ width: 600, height: 800 });
    expect(main.placeholder).toBeTruthy();
    expect(main.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const sizes = main.renditions.map((r: { size: number; format: string }) => `${r.size}:${r.format}`);
    expect(sizes).toEqual(['160:webp', '400:webp', '800:webp', '800:jpeg']);

    // Renditions are served from /media with the right type, size and long cache headers.
    for (const rendition of main.renditions) {
      // PUBLIC_BASE_URL is a setting; the test server's port is only known after it listens.
      const path = new URL(rendition.url).pathname;
      expect(path).toMatch(/^\/media\/img\//);
      const res = await fetch(api.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(rendition.format === 'webp' ? 'image/webp' : 'image/jpeg');
      expect(res.headers.get('cache-control')).toContain('max-age=31536000');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta.format).toBe(rendition.format);
      expect(Math.max(meta.width!, meta.height!)).toBe(rendition.size);
      expect(meta.exif).toBeUndefined();
    }
  });

  it('re-fetches conditionally on a later run: unchanged images are neither downloaded nor processed', async () => {
    const b = host.base;
    const feedId = await createFeed(api, key, { name: 'Again' });
    const first = await ingest(
      api,
      key,
      feedId,
      [HEADER, row('R1', `${b}/photo.png`), row('R2', `${b}/small.jpg`)].join('\n'),
    );
    expect((await waitImages(api, key, first.id)).status).toBe('SUCCEEDED');
    const before = host.requests.length;
    // R1 changes (its title), so its image is re-checked; R2 is unchanged, so its image is skipped outright.
    const second = await ingest(
      api,
      key,
      feedId,
      [HEADER, row('R1', `${b}/photo.png`).replace('Product R1', 'Product R1 v2'), row('R2', `${b}/small.jpg`)].join(
        '\n',
      ),
    );
    const done = await waitImages(api, key, second.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      imagesTotal: 2,
      imagesSkipped: 2,
      imagesDone: 0,
      imagesFailed: 0,
    });
    const asked = host.requests.slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ url: '/photo.png', status: 304 });
    expect(asked[0].headers['if-none-match']).toBeTruthy();
  });
});

describe('images with the SSRF guard on', () => {
  let api: TestApi;
  let key: string;
  let host: Awaited<ReturnType<typeof imageHost>>;

  beforeAll(async () => {
    host = await imageHost({ '/good.jpg': { body: await photo(600, 600, 9).jpeg().toBuffer(), type: 'image/jpeg' } });
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'true' });
    key = (await registerBrand(api, 'Guarded images')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host?.server.close();
  });

  it('refuses a loopback image URL before connecting', async () => {
    const feedId = await createFeed(api, key, { name: 'Sneaky' });
    const staged = await ingest(api, key, feedId, [HEADER, row('S1', `${host.base}/good.jpg`)].join('\n'));
    const run = await waitImages(api, key, staged.id);
    expect(run.issueSummary).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'IMAGE_BLOCKED_ADDRESS', severity: 'ERROR', attribute: 'image_link' }),
      ]),
    );
    expect(host.requests).toHaveLength(0);
    const { ingestionRun } = await api.gqlOk(
      `query($id: ID!) { ingestionRun(id: $id) { issues(filter: { code: IMAGE_BLOCKED_ADDRESS }) { nodes { message hint } } } }`,
      { id: staged.id },
      key,
    );
    // Both say how the host could be allowed: the message with the exact entry, the hint with the setting.
    expect(ingestionRun.issues.nodes[0].message).toContain('SSRF_ALLOW_HOSTS=127.0.0.1');
    expect(ingestionRun.issues.nodes[0].hint).toContain('SSRF_ALLOW_HOSTS');
  });
});
