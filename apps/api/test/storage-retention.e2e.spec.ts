import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BrandStorageService } from '@brandshelf/ingestion';
import {
  createFeed,
  ingest,
  registerBrand,
  startImageHost,
  startTestApi,
  testJpeg,
  uploadFeed,
  waitForRun,
  type ImageHost,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const QUOTA = 400_000;
const USAGE = `query { me { ... on BrandPrincipal { brand {
  storageUsage { sourceBytes renditionBytes usedBytes quotaBytes remainingBytes } } } } }`;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const imagePrefix = (sha: string) => `img/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}/`;

function csv(rows: { id: string; image: string }[]): string {
  return [
    HEADER,
    ...rows.map(
      (r) => `${r.id},Shoe ${r.id},Soft.,https://shop.example/${r.id},${r.image},in stock,10.00 USD,Acme,M${r.id}`,
    ),
  ].join('\n');
}

interface StoreView {
  /** Every object key in storage (feed files and media). */
  keys(): Promise<string[]>;
  /** Objects being written and not yet complete (local temp files); none after a refused upload. */
  partials(): Promise<string[]>;
  close(): Promise<void>;
}

async function walk(root: string, skipDot: boolean): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((key) => !skipDot || !key.split('/').some((segment) => segment.startsWith('.')));
}

async function localStore(dataDir: string): Promise<StoreView> {
  return {
    keys: async () => [...(await walk(join(dataDir, 'files'), true)), ...(await walk(join(dataDir, 'media'), true))],
    partials: async () => [
      ...(await walk(join(dataDir, 'files', '.tmp'), false)),
      ...(await walk(join(dataDir, 'media', '.tmp'), false)),
    ],
    close: async () => undefined,
  };
}

describe.each(['local', 's3'] as const)('storage cleanup and quota (%s storage)', (driver) => {
  let api: TestApi;
  let store: StoreView;
  let host: ImageHost;
  let s3: InstanceType<typeof S3rver> | null = null;
  let s3Dir: string | null = null;
  const jpegs: Record<string, Buffer> = {};

  type Usage = {
    sourceBytes: number;
    renditionBytes: number;
    usedBytes: number;
    quotaBytes: number | null;
    remainingBytes: number | null;
  };
  // Byte counts are BigInt scalars: decimal strings on the wire, numbers here for the arithmetic.
  const usage = async (apiKey: string): Promise<Usage> => {
    const wire = (await api.gqlOk(USAGE, {}, apiKey)).me.brand.storageUsage as Record<string, string | null>;
    for (const value of Object.values(wire)) if (value !== null) expect(value).toMatch(/^\d+$/);
    return Object.fromEntries(
      Object.entries(wire).map(([k, v]) => [k, v === null ? null : Number(v)]),
    ) as unknown as Usage;
  };
  const sourceKeys = async (runIds: string[]) =>
    (await store.keys()).filter((k) => runIds.some((id) => k.endsWith(`/${rawId(id)}/source`)));
  const hasImage = async (name: string) =>
    (await store.keys()).some((k) => k.startsWith(imagePrefix(sha256(jpegs[name]))));

  beforeAll(async () => {
    // Distinct colours make distinct bytes; copy.jpg is shared.jpg's bytes at another URL.
    jpegs['/unique.jpg'] = await testJpeg(600, 600, { r: 200, g: 30, b: 30 });
    jpegs['/shared.jpg'] = await testJpeg(600, 600, { r: 30, g: 200, b: 30 });
    jpegs['/copy.jpg'] = jpegs['/shared.jpg'];
    jpegs['/only.jpg'] = await testJpeg(600, 600, { r: 30, g: 30, b: 200 });
    jpegs['/old.jpg'] = await testJpeg(600, 600, { r: 120, g: 120, b: 10 });
    jpegs['/new.jpg'] = await testJpeg(600, 600, { r: 10, g: 120, b: 120 });
    jpegs['/big.csv'] = Buffer.alloc(QUOTA + 1000, 'c');
    host = await startImageHost(jpegs);
    const env: Record<string, string> = {
      IMAGES_ENABLED: 'true',
      SSRF_ALLOW_HOSTS: '127.0.0.1',
      CATALOG_VERSION_RETENTION: '2',
      SOURCE_RETENTION_DIAGNOSTIC_RUNS: '2',
      SOURCE_RETENTION_DAYS: '30',
      STORAGE_QUOTA_BYTES: String(QUOTA),
      UPLOAD_MAX_BYTES: String(QUOTA * 4),
    };
    if (driver === 's3') {
      s3Dir = await mkdtemp(join(tmpdir(), 'bs-s3rver-'));
      s3 = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory: s3Dir,
        configureBuckets: [{ name: 'b' }],
      });
      const { port } = (await s3.run()) as AddressInfo;
      const endpoint = `http://127.0.0.1:${port}`;
      Object.assign(env, {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'b',
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_PUBLIC_BASE_URL: `${endpoint}/b`,
      });
      const client = new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      const keys = async () => {
        const out: string[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: 'b', ContinuationToken: token }));
          out.push(...(page.Contents ?? []).map((c) => c.Key!));
          token = page.NextContinuationToken;
        } while (token);
        return out;
      };
      store = { keys, partials: async () => [], close: async () => client.destroy() };
    }
    api = await startTestApi(createApi, env);
    if (driver === 'local') store = await localStore(api.dataDir);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await store?.close();
    await host?.close();
    await s3?.close();
    if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
  });

  it('deleting a feed deletes its sources and the renditions no remaining image row uses, keeping shared ones', async () => {
    const a = await registerBrand(api, 'Deleter');
    const b = await registerBrand(api, 'Neighbour');
    const doomed = await createFeed(api, a.apiKey, { name: 'Doomed' });
    const kept = await createFeed(api, a.apiKey, { name: 'Kept' });
    const other = await createFeed(api, b.apiKey, { name: 'Other brand' });
    const img = (path: string) => `${host.base}${path}`;

    const runs = [
      await ingest(
        api,
        a.apiKey,
        doomed,
        csv([
          { id: 'D1', image: img('/unique.jpg') },
          { id: 'D2', image: img('/shared.jpg') },
          { id: 'D3', image: img('/only.jpg') },
        ]),
      ),
      await ingest(api, a.apiKey, doomed, csv([{ id: 'D1', image: img('/unique.jpg') }]), '?validateOnly=true'),
      await ingest(api, a.apiKey, doomed, ' \r\n\n '),
    ];
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
    await api.gqlOk(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { created } userErrors { code } } }',
      { id: runs[0].id },
      a.apiKey,
    );
    const keptRun = await ingest(api, a.apiKey, kept, csv([{ id: 'K1', image: img('/unique.jpg') }]));
    const otherRun = await ingest(api, b.apiKey, other, csv([{ id: 'O1', image: img('/copy.jpg') }]));
    expect([keptRun.status, otherRun.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    expect(await sourceKeys(runs.map((r) => r.id))).toHaveLength(3);
    for (const name of ['/unique.jpg', '/shared.jpg', '/only.jpg']) expect(await hasImage(name)).toBe(true);
    const before = await usage(a.apiKey);

    const deleted = await api.gqlOk(
      'mutation($id: ID!) { deleteFeed(input: { feedId: $id }) { deletedFeedId userErrors { code } } }',
      { id: doomed },
      a.apiKey,
    );
    expect(deleted.deleteFeed).toEqual({ deletedFeedId: doomed, userErrors: [] });
    const gone = await api.gql('query($id: ID!) { feed(id: $id) { id } }', { id: doomed }, a.apiKey);
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    expect(await sourceKeys(runs.map((r) => r.id))).toEqual([]);
    expect(await sourceKeys([keptRun.id, otherRun.id])).toHaveLength(2);
    // only.jpg had no other user: every object under its sha256 is gone. unique.jpg is still used by the
    // brand's other feed, shared.jpg's bytes by another brand (copy.jpg).
    expect(await hasImage('/only.jpg')).toBe(false);
    expect(await hasImage('/unique.jpg')).toBe(true);
    expect(await hasImage('/shared.jpg')).toBe(true);
    const [{ n }] = await api.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM image_source WHERE brand_id = $1 AND url = ANY($2)`,
      [rawId(a.id), [img('/shared.jpg'), img('/only.jpg')]],
    );
    expect(n).toBe(0);

    const after = await usage(a.apiKey);
    expect(after.sourceBytes).toBe(Buffer.byteLength(csv([{ id: 'K1', image: img('/unique.jpg') }])));
    expect(after.renditionBytes).toBeGreaterThan(0);
    expect(after.renditionBytes).toBeLessThan(before.renditionBytes);
    expect(after.usedBytes).toBe(after.sourceBytes + after.renditionBytes);
    expect(after.quotaBytes).toBe(QUOTA);
  }, 120_000);

  it('keeps the sources the retention documents: kept versions, the last N diagnostic runs, at most M days', async () => {
    const brand = await registerBrand(api, 'Retainer');
    const feedId = await createFeed(api, brand.apiKey, { name: 'Retained' });
    const img = (path: string) => `${host.base}${path}`;
    const publish = async (runId: string) =>
      api.gqlOk(
        'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { created } userErrors { code } } }',
        { id: runId },
        brand.apiKey,
      );

    // Three published versions with CATALOG_VERSION_RETENTION=2: the first is pruned, and with it its source
    // and old.jpg, which only it used.
    const v1 = await ingest(api, brand.apiKey, feedId, csv([{ id: 'R1', image: img('/old.jpg') }]));
    await publish(v1.id);
    const v2 = await ingest(api, brand.apiKey, feedId, csv([{ id: 'R2', image: img('/new.jpg') }]));
    await publish(v2.id);
    expect(await hasImage('/old.jpg')).toBe(true);
    const v3 = await ingest(
      api,
      brand.apiKey,
      feedId,
      csv([
        { id: 'R2', image: img('/new.jpg') },
        { id: 'R3', image: img('/new.jpg') },
      ]),
    );
    await publish(v3.id);
    // An unchanged file makes no version: its source has no use once it finished.
    const same = await ingest(
      api,
      brand.apiKey,
      feedId,
      csv([
        { id: 'R2', image: img('/new.jpg') },
        { id: 'R3', image: img('/new.jpg') },
      ]),
    );
    // Diagnostic runs: with SOURCE_RETENTION_DIAGNOSTIC_RUNS=2 only the newest two keep their source.
    const check1 = await ingest(
      api,
      brand.apiKey,
      feedId,
      csv([{ id: 'X', image: img('/new.jpg') }]),
      '?validateOnly=1',
    );
    const failed = await ingest(api, brand.apiKey, feedId, ' \r\n\n ');
    const check2 = await ingest(
      api,
      brand.apiKey,
      feedId,
      csv([{ id: 'Y', image: img('/new.jpg') }]),
      '?validateOnly=1',
    );
    expect([same.status, check1.status, failed.status, check2.status]).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'FAILED',
      'SUCCEEDED',
    ]);

    const kept = async () => {
      const all = [v1, v2, v3, same, check1, failed, check2];
      const stored = await sourceKeys(all.map((r) => r.id));
      const rows: { id: string }[] = await api.runtime.dataSource.query(
        'SELECT id FROM ingestion_run WHERE feed_id = $1 AND source_key IS NOT NULL',
        [rawId(feedId)],
      );
      const names = ['v1', 'v2', 'v3', 'same', 'check1', 'failed', 'check2'];
      const inStorage = names.filter((_, i) => stored.some((k) => k.includes(`/${rawId(all[i].id)}/`)));
      const inRows = names.filter((_, i) => rows.some((r) => r.id === rawId(all[i].id)));
      return { inStorage, inRows };
    };
    // A run's status is visible a moment before the sweep its finish triggers has run: poll, with a deadline.
    const settled = async (expected: string[]) => {
      const deadline = Date.now() + 20_000;
      let now = await kept();
      const done = () => [now.inStorage, now.inRows].every((list) => JSON.stringify(list) === JSON.stringify(expected));
      while (!done() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        now = await kept();
      }
      // The file and the run's key go together: what storage holds is exactly what the rows say it holds.
      expect(now.inRows).toEqual(now.inStorage);
      return now.inStorage;
    };
    expect(await settled(['v2', 'v3', 'failed', 'check2'])).toEqual(['v2', 'v3', 'failed', 'check2']);
    expect(await hasImage('/old.jpg')).toBe(false);
    expect(await hasImage('/new.jpg')).toBe(true);

    // Past SOURCE_RETENTION_DAYS the diagnostic sources go; a kept version's source stays with its version.
    await api.runtime.dataSource.query(
      `UPDATE ingestion_run SET finished_at = now() - interval '31 days' WHERE id = ANY($1::uuid[])`,
      [[rawId(failed.id), rawId(v2.id)]],
    );
    expect(await api.app.get(BrandStorageService).sweepExpired()).toBe(1);
    expect(await settled(['v2', 'v3', 'check2'])).toEqual(['v2', 'v3', 'check2']);
  }, 180_000);

  it('refuses uploads over the quota with QUOTA_EXCEEDED (declared or streamed) and stores nothing', async () => {
    const brand = await registerBrand(api, 'Hoarder');
    const feedId = await createFeed(api, brand.apiKey, { name: 'Big' });
    const brandKeys = async () => (await store.keys()).filter((k) => k.startsWith(`feeds/${rawId(brand.id)}/`));
    const runCount = async () =>
      (
        await api.runtime.dataSource.query('SELECT count(*)::int AS n FROM ingestion_run WHERE feed_id = $1', [
          rawId(feedId),
        ])
      )[0].n as number;
    const big = Buffer.alloc(QUOTA + 1000, 'a');

    const declared = await uploadFeed(api, brand.apiKey, feedId, big);
    expect(declared.status).toBe(413);
    expect(declared.json.code).toBe('QUOTA_EXCEEDED');
    expect(declared.json.message).toContain(`quota of ${QUOTA} bytes`);
    expect(declared.json).toMatchObject({ quotaBytes: QUOTA, usedBytes: 0, remainingBytes: QUOTA });

    // Over UPLOAD_MAX_BYTES is the other, per-file limit.
    const huge = await uploadFeed(api, brand.apiKey, feedId, Buffer.alloc(QUOTA * 4 + 1, 'a'));
    expect(huge.status).toBe(413);
    expect(huge.json.code).toBe('PAYLOAD_TOO_LARGE');

    // No Content-Length: the stream is cut where it crosses the quota, and its partial object removed.
    const streamed = await new Promise<{ status: number; json: { code: string } }>((resolve, reject) => {
      const url = new URL(`${api.url}/feeds/${feedId}/uploads`);
      const req = request(
        url,
        { method: 'POST', headers: { authorization: `Bearer ${brand.apiKey}`, 'transfer-encoding': 'chunked' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString()) }));
        },
      );
      // The server may answer and stop reading before the last chunk is written.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
      });
      const piece = Buffer.alloc(16 * 1024, 'b');
      let sent = 0;
      const pump = () => {
        while (sent < QUOTA * 2) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(streamed.json.code).toBe('QUOTA_EXCEEDED');

    expect(await brandKeys()).toEqual([]);
    expect(await store.partials()).toEqual([]);
    expect(await runCount()).toBe(0);

    // A fetched feed counts the same: the run fails with QUOTA_EXCEEDED and keeps nothing.
    const urlFeed = await createFeed(api, brand.apiKey, {
      name: 'Fetched',
      source: 'URL',
      url: `${host.base}/big.csv`,
    });
    const fetch = await api.gqlOk(
      'mutation($id: ID!) { fetchFeedNow(input: { feedId: $id }) { run { id } userErrors { code } } }',
      { id: urlFeed },
      brand.apiKey,
    );
    const fetched = await waitForRun(api, brand.apiKey, fetch.fetchFeedNow.run.id);
    expect([fetched.status, fetched.error?.code]).toEqual(['FAILED', 'QUOTA_EXCEEDED']);
    expect(await brandKeys()).toEqual([]);
    expect(await store.partials()).toEqual([]);
    expect((await usage(brand.apiKey)).sourceBytes).toBe(0);

    // What fits is stored and counted.
    const small = csv([{ id: 'S1', image: `${host.base}/new.jpg` }]);
    const accepted = await uploadFeed(api, brand.apiKey, feedId, small, '?validateOnly=true');
    expect(accepted.status).toBe(202);
    expect(await brandKeys()).toEqual([`feeds/${rawId(brand.id)}/${rawId(accepted.json.runId)}/source`]);
    const now = await usage(brand.apiKey);
    expect(now.sourceBytes).toBe(Buffer.byteLength(small));
    expect(now.remainingBytes).toBe(QUOTA - now.usedBytes);
    await waitForRun(api, brand.apiKey, accepted.json.runId);
  }, 120_000);
});
