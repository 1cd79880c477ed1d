import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PublishService } from '@brandshelf/catalog';
import { RUN_STAGED } from '@brandshelf/ingestion';
import { createFeed, ingest, rawId, registerBrand, startTestApi, uploadFeed, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

interface Progress {
  status: string;
  phase: string;
  publishStatus: string;
  publishBlockedReason: string | null;
  itemsAccepted: number;
}

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const csv = (ids: string[], image: string) =>
  [
    HEADER,
    ...ids.map(
      (id) => `${id},Product ${id},A product.,https://shop.example/${id},${image},in stock,10.00 USD,Acme,M-${id}`,
    ),
  ].join('\n');

/** Every message of `ingestionRunProgress` until the server completes the subscription. */
async function follow(api: TestApi, key: string, runId: string): Promise<Progress[]> {
  const client = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
  });
  const events: Progress[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ ingestionRunProgress: Progress }>(
        {
          query: `subscription($id: ID!) { ingestionRunProgress(runId: $id) {
                    status phase publishStatus publishBlockedReason itemsAccepted } }`,
          variables: { id: runId },
        },
        {
          next: (msg) =>
            msg.errors ? reject(new Error(JSON.stringify(msg.errors))) : events.push(msg.data!.ingestionRunProgress),
          error: reject,
          complete: resolve,
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return events;
}

async function upload(api: TestApi, key: string, feedId: string, body: string): Promise<string> {
  const res = await uploadFeed(api, key, feedId, body);
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.runId;
}

describe('ingestionRunProgress and auto-publish (e2e, without images)', () => {
  let api: TestApi;
  let key: string;
  let brandId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ apiKey: key, id: brandId } = await registerBrand(api, 'Progress'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('ends with the publish outcome of an auto-published run, not NOT_PUBLISHED', async () => {
    const feedId = await createFeed(api, key, { name: 'Auto', autoPublish: true });
    const ids = Array.from({ length: 10 }, (_, i) => `A${i}`);
    const events = await follow(api, key, await upload(api, key, feedId, csv(ids, 'https://img.example/a.jpg')));
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', publishStatus: 'PUBLISHED', itemsAccepted: 10 });
    const live = await api.gqlOk('query($id: ID!) { feed(id: $id) { liveVersionId } }', { id: feedId }, key);
    expect(live.feed.liveVersionId).not.toBeNull();

    // Held back by the removal limit: the last message says WAITING and why.
    const shrunk = await follow(
      api,
      key,
      await upload(api, key, feedId, csv(ids.slice(0, 5), 'https://img.example/a.jpg')),
    );
    expect(shrunk.at(-1)).toMatchObject({ status: 'SUCCEEDED', publishStatus: 'WAITING' });
    expect(shrunk.at(-1)!.publishBlockedReason).toMatch(/remove 50% of the live products/);
  });

  it('leaves a run WAITING, saying why, when auto-publish fails on its last attempt', async () => {
    const feedId = await createFeed(api, key, { name: 'Refused' });
    const run = await ingest(api, key, feedId, csv(['R1'], 'https://img.example/r.jpg'));
    await api.gqlOk(
      'mutation($id: ID!) { updateFeed(input: { feedId: $id, autoPublish: true }) { feed { id } userErrors { code } } }',
      { id: feedId },
      key,
    );
    // The database refuses every publication, as a full disk would.
    const db = api.runtime.dataSource;
    await db.query(`CREATE FUNCTION refuse_publication() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'could not extend file: no space left on device'; END $$`);
    await db.query(`CREATE TRIGGER refuse_publication BEFORE INSERT ON publication
                    FOR EACH ROW EXECUTE FUNCTION refuse_publication()`);
    try {
      const publish = api.app.get(PublishService);
      const attempt = (retryCount: number) =>
        publish.autoPublish(
          { runId: rawId(run.id), brandId: rawId(brandId) },
          { id: 'job', name: RUN_STAGED.name, retryCount },
        );
      // Before the last attempt the error goes back to the queue, which tries again.
      await expect(attempt(0)).rejects.toThrow(/no space left on device/);
      const between = await api.gqlOk(
        'query($id: ID!) { ingestionRun(id: $id) { publishStatus } }',
        { id: run.id },
        key,
      );
      expect(between.ingestionRun.publishStatus).toBe('NOT_PUBLISHED');
      await attempt(RUN_STAGED.options.retryLimit);
    } finally {
      await db.query('DROP TRIGGER refuse_publication ON publication');
      await db.query('DROP FUNCTION refuse_publication()');
    }
    const after = await api.gqlOk(
      'query($id: ID!) { ingestionRun(id: $id) { publishStatus publishBlockedReason } }',
      { id: run.id },
      key,
    );
    expect(after.ingestionRun.publishStatus).toBe('WAITING');
    expect(after.ingestionRun.publishBlockedReason).toMatch(
      /^Auto-publish failed after 4 attempts: .*no space left on device.* Publish this run by hand\.$/,
    );
  });

  it('still ends at once for a run that is not auto-published', async () => {
    const feedId = await createFeed(api, key, { name: 'Manual' });
    const events = await follow(api, key, await upload(api, key, feedId, csv(['M1'], 'https://img.example/m.jpg')));
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', publishStatus: 'NOT_PUBLISHED' });
  });
});

describe('ingestionRunProgress and auto-publish (e2e, images from a loopback host)', () => {
  let api: TestApi;
  let key: string;
  let host: Server;
  let base: string;

  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    host = createServer((req, res) => {
      if (req.url === '/p.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Pictures')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host?.closeAllConnections();
    host?.close();
  });

  it('follows the images phase and then the auto-publish to PUBLISHED', async () => {
    const feedId = await createFeed(api, key, { name: 'Auto images', autoPublish: true });
    const events = await follow(api, key, await upload(api, key, feedId, csv(['I1', 'I2'], `${base}/p.jpg`)));
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', publishStatus: 'PUBLISHED', itemsAccepted: 2 });
    const products = await api.gqlOk('{ products(query: "Product") { totalCount } }');
    expect(products.products.totalCount).toBe(2);
  });
});
