import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, listeningTcpPorts, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn,condition';
const row = (id: string) =>
  [
    id,
    `Socket Shoe ${id}`,
    'A shoe.',
    `https://shop.example/p/${id}`,
    `https://img.example/${id}.jpg`,
    'in stock',
    '59.99 USD',
    'Acme',
    `MPN-${id}`,
    'new',
  ].join(',');

describe('the app on its embedded database in DATA_DIR (no DATABASE_URL)', () => {
  let api: TestApi;
  let portsBefore: number[] | null;

  beforeAll(async () => {
    portsBefore = await listeningTcpPorts();
    // No DATABASE_URL: the runtime starts PGlite under the test's DATA_DIR, as `npm start` does.
    api = await startTestApi(createApi, { DATABASE_URL: '' });
  }, 300_000);

  afterAll(async () => {
    await api?.close();
  });

  it('reaches it over the private Unix socket, and opens no TCP port but the API', async () => {
    expect(api.runtime.embedded?.socketDir).toBe(join(api.dataDir, 'pg-socket'));
    expect(new URL(api.runtime.databaseUrl).hostname).toBe(encodeURIComponent(join(api.dataDir, 'pg-socket')));
    const ports = await listeningTcpPorts();
    if (ports && portsBefore) {
      expect(ports.filter((port) => !portsBefore!.includes(port))).toEqual([Number(new URL(api.url).port)]);
    }
  });

  it('runs an ingestion end to end: GraphQL, upload, pg-boss job, staging', async () => {
    const { apiKey } = await registerBrand(api, 'Socket Brand');
    const feedId = await createFeed(api, apiKey, { name: 'Over the socket' });
    const run = await ingest(api, apiKey, feedId, [HEADER, row('S1'), row('S2')].join('\n') + '\n');
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2, itemsRejected: 0 });
  });
});
