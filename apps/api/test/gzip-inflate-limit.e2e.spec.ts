import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

describe('a gzip feed inflates to at most UPLOAD_MAX_BYTES (e2e)', () => {
  let api: TestApi;
  let key: string;
  const maxBytes = 1_000_000;

  beforeAll(async () => {
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'false', UPLOAD_MAX_BYTES: String(maxBytes) });
    ({ apiKey: key } = await registerBrand(api, 'Gzip'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('an upload within the limit that inflates past it fails GZIP_TOO_LARGE, keeping the items before', async () => {
    const feedId = await createFeed(api, key, { source: 'UPLOAD', defaultCurrency: 'USD' });
    const header = 'id,title,description,link,image_link,availability,price,brand,mpn';
    const item = (id: string) =>
      `${id},Lamp ${id},A lamp.,https://shop.example/${id},https://img.example/${id}.jpg,in stock,10.00 USD,Acme,${id}`;
    // Five items, then 8 MB of one repeated byte: about 8 KB compressed, eight times what a plain upload may be.
    const text = [header, ...['A', 'B', 'C', 'D', 'E'].map(item), 'x'.repeat(8 * 1024 * 1024), item('Z')].join('\n');
    const body = gzipSync(text, { level: 9 });
    expect(body.length).toBeLessThan(maxBytes);
    const run = await ingest(api, key, feedId, body, '?validateOnly=true');
    expect(run.status).toBe('FAILED');
    expect(run.error?.code).toBe('GZIP_TOO_LARGE');
    expect(run.error?.message).toContain(String(maxBytes));
    expect(run.itemsAccepted).toBe(5);
  }, 60_000);
});
