import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { CopyStalledError, copyStreamsAtOnce, copyToStream } from '@brandshelf/db';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * A download that keeps its socket open and never reads: the request is sent, then nothing is taken from the
 * socket (a tiny receive buffer, paused), so the server's writes back up. Resolves with the status line once the
 * response has started (or with what the server sent when it answered at once).
 */
function neverReadingDownload(
  url: string,
  path: string,
  apiKey: string,
): Promise<{ socket: net.Socket; head: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.on('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      resolve({ socket, head: chunk.toString('latin1').split('\r\n')[0] });
    });
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${apiKey}\r\n\r\n`);
    });
  });
}

describe('COPY downloads (issues.csv) cannot take the whole connection pool (e2e)', () => {
  let api: TestApi;
  let key: string;
  let runId: string;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '0' });
    ({ apiKey: key } = await registerBrand(api, 'Downloads'));
    const feedId = await createFeed(api, key, { source: 'UPLOAD', defaultCurrency: 'USD' });
    // Every row is rejected with several issues: 60,000 issues, a CSV of about 12 MB (more than socket buffers hold).
    const rows = Array.from(
      { length: 12_000 },
      (_, i) => `sku-${i},Title ${i},1${i % 90},not a url ${i},nor this ${i}`,
    );
    const run = await ingest(api, key, feedId, ['id,title,price,link,image_link', ...rows].join('\n'));
    expect(run.issuesStored).toBeGreaterThan(50_000);
    runId = run.id;
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await api?.close();
  });

  it('a download whose reader stops taking data is cut off and gives its connection and slot back', async () => {
    const dataSource = api.runtime.dataSource;
    const limit = copyStreamsAtOnce(dataSource);
    const sql = `COPY (SELECT repeat('x', 1000) FROM generate_series(1, 20000)) TO STDOUT`;
    const stalled = await Promise.all(
      Array.from({ length: limit }, () => copyToStream(dataSource, sql, { stallMs: 300 })),
    );
    // Nobody reads them: each ends with CopyStalledError, never waiting for its reader forever.
    const errors = await Promise.all(
      stalled.map((stream) => new Promise<Error>((resolve) => stream.once('error', resolve))),
    );
    expect(errors.every((e) => e instanceof CopyStalledError)).toBe(true);
    // Their slots are free again: as many downloads as before are served whole.
    const again = await Promise.all(Array.from({ length: limit }, () => copyToStream(dataSource, sql)));
    const sizes = await Promise.all(
      again.map(async (stream) => {
        let bytes = 0;
        for await (const chunk of stream) bytes += (chunk as Buffer).length;
        return bytes;
      }),
    );
    expect(sizes).toEqual(Array.from({ length: limit }, () => 20_000 * 1001));
  }, 60_000);

  it('past its share of the pool a download is refused OVERLOADED, and every other query still gets a connection', async () => {
    const limit = copyStreamsAtOnce(api.runtime.dataSource);
    expect(limit).toBeLessThan(api.config.databasePoolSize);
    for (let i = 0; i < limit; i++) {
      const download = await neverReadingDownload(api.url, `/runs/${runId}/issues.csv`, key);
      sockets.push(download.socket);
      expect(download.head).toBe('HTTP/1.1 200 OK');
    }
    const refused = await fetch(`${api.url}/runs/${runId}/issues.csv`, { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { code: string }).code).toBe('OVERLOADED');
    // As many stalled downloads as the pool has connections used to leave every query waiting (a 500 for all).
    for (let i = 0; i < api.config.databasePoolSize; i++) {
      const more = await fetch(`${api.url}/runs/${runId}/issues.csv`, { headers: { authorization: `Bearer ${key}` } });
      expect(more.status).toBe(429);
      await more.arrayBuffer();
    }
    const me = await api.gql('{ me { ... on BrandPrincipal { brand { name } } } }', {}, key);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({ brand: { name: 'Downloads' } });
  }, 60_000);
});
