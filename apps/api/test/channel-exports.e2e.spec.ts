import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'csv-stringify/sync';
import { ChannelExportsService } from '@brandshelf/ads';
import { readFeed } from '@brandshelf/feeds';
import { MIGRATIONS } from '@brandshelf/db';
import {
  createFeed,
  ingest,
  rawId,
  registerBrand,
  SEED_ENV,
  settleRuns,
  startImageHost,
  startTestApi,
  testJpeg,
  type ImageHost,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Channel exports (issue 13): a catalog published through the real pipeline, exported to each channel at its
 * tokened URL and read back through our own feed reader to the same products; hostile values escaped; a set's
 * export holds its members only; products failing a required check left out and counted; conditional GETs.
 */
const HOSTILE_TITLE = '=HYPERLINK("http://evil") "Quoted" ]]> <b> & co';
const HOSTILE_DESCRIPTION = 'Line one,\nline "two" ]]> & end';

interface Row {
  id: string;
  title: string;
  description: string;
  image: string;
  price: string;
  gtin?: string;
  labels?: [string, string];
  sale?: { price: string; window: string };
  /** A preorder with its ship date, no identifiers (custom made), material, pattern and a mobile page. */
  preorder?: boolean;
}

/** A minute in ISO 8601 as feeds write it (`2026-12-05T14:30Z`) and as the exports write it (`…+0000`). */
const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16);
const SALE_START = minute(Date.now() - 86_400_000);
const SALE_END = minute(Date.now() + 30 * 86_400_000);

const ROWS: Row[] = [
  {
    id: 'SHOE-1',
    title: 'Trail Runner Shoe',
    description: 'Grippy.',
    image: '/p.jpg',
    price: '89.99 USD',
    gtin: '4006381333931',
    // Labels 0 and 2 (campaigns group products by them), and a sale in effect through a window.
    labels: ['summer', 'best seller'],
    sale: { price: '69.99 USD', window: `${SALE_START}Z/${SALE_END}Z` },
  },
  { id: 'HOST-1', title: HOSTILE_TITLE, description: HOSTILE_DESCRIPTION, image: '/p.jpg', price: '10.00 USD' },
  {
    id: 'SMALL-1',
    title: 'Tiny Picture Mug',
    description: 'Small image.',
    image: '/small.jpg',
    price: '12.50 USD',
    preorder: true,
  },
  { id: 'PROMO-1', title: 'Runner Shoe FREE SHIPPING', description: 'Promo.', image: '/p.jpg', price: '50.00 USD' },
];

function feedCsv(rows: Row[], base: string): string {
  return stringify([
    [
      'id',
      'title',
      'description',
      'link',
      'image_link',
      'availability',
      'price',
      'brand',
      'condition',
      'gtin',
      'custom_label_0',
      'custom_label_2',
      'sale_price',
      'sale_price_effective_date',
      'availability_date',
      'identifier_exists',
      'material',
      'pattern',
      'mobile_link',
    ],
    ...rows.map((r) => [
      r.id,
      r.title,
      r.description,
      `https://shop.example/p/${r.id}?a=1&b=2`,
      `${base}${r.image}`,
      r.preorder ? 'preorder' : 'in stock',
      r.price,
      'Acme',
      'new',
      r.gtin ?? '',
      r.labels?.[0] ?? '',
      r.labels?.[1] ?? '',
      r.sale?.price ?? '',
      r.sale?.window ?? '',
      r.preorder ? '2027-03-01' : '',
      r.preorder ? 'no' : '',
      r.preorder ? 'ceramic' : '',
      r.preorder ? 'striped' : '',
      r.preorder ? `https://m.shop.example/p/${r.id}` : '',
    ]),
  ]);
}

async function readBack(body: string): Promise<Record<string, string>[]> {
  const items: Record<string, string>[] = [];
  for await (const event of readFeed(Readable.from([Buffer.from(body, 'utf8')]))) {
    if (event.type === 'item') items.push(event.item.fields as Record<string, string>);
  }
  return items;
}

const CREATE = `mutation($input: CreateChannelExportInput!) {
  createChannelExport(input: $input) { channelExport { id channel productSetId } url userErrors { code message } }
}`;
const ROTATE = `mutation($input: RotateChannelExportTokenInput!) {
  rotateChannelExportToken(input: $input) { channelExport { id } url userErrors { code message } }
}`;
const FINDINGS = `query($id: ID!) {
  channelExport(id: $id) {
    checked checkedAll leftOut byCheck { check count }
    issues(first: 50) { totalCount edges { node { productId offerId check required message } } }
  }
}`;

describe('channel exports (e2e)', () => {
  let api: TestApi;
  let host: ImageHost;
  let acme: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let feedId: string;

  const publish = async (rows: Row[]) => {
    const run = await ingest(api, acme.apiKey, feedId, feedCsv(rows, host.base));
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: run.id },
      acme.apiKey,
    );
  };
  const create = async (input: Record<string, unknown>, key = acme.apiKey) => {
    const data = await api.gqlOk<{
      createChannelExport: { channelExport: { id: string } | null; url: string | null; userErrors: unknown[] };
    }>(CREATE, { input }, key);
    return data.createChannelExport;
  };
  /** The export's path on the test server (the URL names the configured public base). */
  const local = (url: string) => `${api.url}${new URL(url).pathname}`;

  beforeAll(async () => {
    api = await startTestApi(createApi, SEED_ENV);
    host = await startImageHost({
      '/p.jpg': await testJpeg(800, 800, { r: 10, g: 200, b: 10 }),
      '/small.jpg': await testJpeg(300, 300, { r: 200, g: 10, b: 10 }),
    });
    // Two rows per statement: every export below crosses batch boundaries (rows of one publish share a timestamp).
    api.app.get(ChannelExportsService).batchSize = 2;
    acme = await registerBrand(api, 'Acme');
    other = await registerBrand(api, 'Other');
    feedId = await createFeed(api, acme.apiKey, { name: 'Acme catalog' });
    await publish(ROWS);
  }, 180_000);
  afterAll(async () => {
    await settleRuns(api);
    await host?.close();
    await api?.close();
  }, 60_000);

  it('Google: RSS 2.0 in the g: namespace that reads back to the same products, hostile values escaped', async () => {
    const made = await create({ channel: 'GOOGLE' });
    expect(made.userErrors).toEqual([]);
    expect(made.url).toMatch(/\/exports\/bsx_[A-Za-z0-9_-]{43}\.xml$/);
    const res = await fetch(local(made.url!));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/rss\+xml/);
    const body = await res.text();
    expect(body).toContain('xmlns:g="http://base.google.com/ns/1.0"');
    expect(body).not.toContain(']]>');
    const items = await readBack(body);
    const byId = new Map(items.map((i) => [i.id, i]));
    // The promotional title is left out; the small image is fine for Google.
    expect(items.map((i) => i.id).sort()).toEqual(['HOST-1', 'SHOE-1', 'SMALL-1']); // each once
    expect(byId.get('SHOE-1')).toMatchObject({
      title: 'Trail Runner Shoe',
      price: '89.99 USD',
      link: 'https://shop.example/p/SHOE-1?a=1&b=2',
      availability: 'in_stock',
      gtin: '4006381333931',
      sale_price: '69.99 USD',
      sale_price_effective_date: `${SALE_START}+0000/${SALE_END}+0000`,
      custom_label_0: 'summer',
      custom_label_2: 'best seller',
    });
    expect(byId.get('SHOE-1')!.custom_label_1).toBeUndefined();
    expect(byId.get('HOST-1')!.sale_price_effective_date).toBeUndefined();
    // A preorder goes out with the date it ships (Google disapproves one without), and a product without
    // identifiers says so (identifier_exists no) instead of being limited for its missing GTIN.
    expect(byId.get('SMALL-1')).toMatchObject({
      availability: 'preorder',
      availability_date: '2027-03-01T00:00+0000',
      identifier_exists: 'no',
      material: 'ceramic',
      pattern: 'striped',
      mobile_link: 'https://m.shop.example/p/SMALL-1',
    });
    expect(byId.get('SHOE-1')!.identifier_exists).toBeUndefined();
    expect(byId.get('HOST-1')!.title).toBe(HOSTILE_TITLE);
    expect(byId.get('HOST-1')!.description).toBe(HOSTILE_DESCRIPTION);
  });

  it.each([
    ['META', 'id'],
    ['TIKTOK', 'sku_id'],
  ])(
    '%s: CSV with its field names that reads back to the same products, formulas defused',
    async (channel, idField) => {
      const made = await create({ channel });
      expect(made.url).toMatch(/\.csv$/);
      const res = await fetch(local(made.url!));
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body.split('\n')[0]).toMatch(new RegExp(`^${idField},title,description,availability,condition,price`));
      const items = await readBack(body);
      const id = (i: Record<string, string>) => i[idField] ?? i.id ?? i[`custom:${idField}`];
      const byId = new Map(items.map((i) => [id(i), i]));
      // Small image (300×300) and promotional title are left out.
      expect(items.map(id).sort()).toEqual(['HOST-1', 'SHOE-1']); // each once
      expect(byId.get('SHOE-1')).toMatchObject({
        title: 'Trail Runner Shoe',
        price: '89.99 USD',
        link: 'https://shop.example/p/SHOE-1?a=1&b=2',
        availability: 'in stock',
        sale_price: '69.99 USD',
        custom_label_0: 'summer',
        custom_label_2: 'best seller',
      });
      // Meta takes the sale's window; TikTok's export carries the sale price alone.
      expect(byId.get('SHOE-1')!.sale_price_effective_date).toBe(
        channel === 'META' ? `${SALE_START}+0000/${SALE_END}+0000` : undefined,
      );
      // A formula comes out as text (an apostrophe first); quotes and newlines survive the round trip.
      expect(byId.get('HOST-1')!.title).toBe(`'${HOSTILE_TITLE}`);
      expect(byId.get('HOST-1')!.description).toBe(HOSTILE_DESCRIPTION);
    },
  );

  it('counts and lists what the checks leave out, per product', async () => {
    const made = await create({ channel: 'META' });
    const { channelExport } = await api.gqlOk<{
      channelExport: {
        checked: number;
        checkedAll: boolean;
        leftOut: number;
        byCheck: { check: string; count: number }[];
        issues: { totalCount: number; edges: { node: { offerId: string; check: string; required: boolean } }[] };
      };
    }>(FINDINGS, { id: made.channelExport!.id }, acme.apiKey);
    expect(channelExport.checked).toBe(4);
    expect(channelExport.checkedAll).toBe(true);
    expect(channelExport.leftOut).toBe(2);
    expect(channelExport.byCheck).toEqual(
      expect.arrayContaining([
        { check: 'IMAGE_TOO_SMALL', count: 1 },
        { check: 'PROMOTIONAL_TITLE', count: 1 },
      ]),
    );
    expect(channelExport.issues.edges.map((e) => [e.node.offerId, e.node.check, e.node.required]).sort()).toEqual([
      ['PROMO-1', 'PROMOTIONAL_TITLE', true],
      ['SMALL-1', 'IMAGE_TOO_SMALL', true],
    ]);
  });

  it('checks an export once per request, however many aliases ask for its findings', async () => {
    // Each computation reads up to 200,000 products: under 90 aliases (within the complexity limit) one request
    // read the catalog 90 times.
    const made = await create({ channel: 'GOOGLE' });
    const service = api.app.get(ChannelExportsService);
    const before = service.findingsComputed;
    const aliases = Array.from(
      { length: 5 },
      (_, i) => `a${i}: channelExport(id: $id) { checked leftOut byCheck { check } }`,
    );
    const data = await api.gqlOk<Record<string, unknown>>(
      `query($id: ID!) { ${aliases.join(' ')} }`,
      { id: made.channelExport!.id },
      acme.apiKey,
    );
    expect(service.findingsComputed - before).toBe(1);
    expect(Object.keys(data)).toHaveLength(5);
    expect(new Set(Object.values(data).map((v) => JSON.stringify(v))).size).toBe(1);
    // Another request computes them again (they follow the catalog).
    await api.gqlOk(
      `query($id: ID!) { channelExport(id: $id) { checked } }`,
      { id: made.channelExport!.id },
      acme.apiKey,
    );
    expect(service.findingsComputed - before).toBe(2);
  });

  it('a product set export holds only the set’s members', async () => {
    const set = await api.gqlOk<{ createProductSet: { productSet: { id: string } } }>(
      `mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } } }`,
      {
        input: {
          name: 'Two',
          rules: { condition: { attribute: 'ID', operator: 'IS_ANY_OF', values: ['SHOE-1', 'SMALL-1', 'PROMO-1'] } },
        },
      },
      acme.apiKey,
    );
    const made = await create({ channel: 'GOOGLE', productSetId: set.createProductSet.productSet.id });
    const items = await readBack(await (await fetch(local(made.url!))).text());
    expect(items.map((i) => i.id).sort()).toEqual(['SHOE-1', 'SMALL-1']);
    // Another brand cannot export the set: it is not found for them.
    const theirs = await api.gql(
      CREATE,
      { input: { channel: 'GOOGLE', productSetId: set.createProductSet.productSet.id } },
      other.apiKey,
    );
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('ETag and Last-Modified hold until a publish; conditional GETs answer 304', async () => {
    const made = await create({ channel: 'TIKTOK' });
    const url = local(made.url!);
    const first = await fetch(url);
    await first.text();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^".+"$/);
    const second = await fetch(url);
    await second.text();
    expect(second.headers.get('etag')).toBe(etag);
    expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);

    await publish([
      ...ROWS,
      { id: 'NEW-1', title: 'Fresh Sock', description: 'New.', image: '/p.jpg', price: '5.00 USD' },
    ]);
    const after = await fetch(url, { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const items = await readBack(await after.text());
    expect(items.map((i) => i.sku_id ?? i.id ?? i['custom:sku_id']).sort()).toEqual(['HOST-1', 'NEW-1', 'SHOE-1']);
  }, 120_000);

  it('rotating the token makes the old URL 404; another brand can neither see nor rotate the export', async () => {
    const made = await create({ channel: 'GOOGLE' });
    const id = made.channelExport!.id;
    expect((await fetch(local(made.url!))).status).toBe(200);

    const theirs = await api.gql(ROTATE, { input: { channelExportId: id } }, other.apiKey);
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const seen = await api.gql(`query($id: ID!) { channelExport(id: $id) { id } }`, { id }, other.apiKey);
    expect(seen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await api.gqlOk<{ channelExports: { totalCount: number } }>(
      '{ channelExports { totalCount } }',
      {},
      other.apiKey,
    );
    expect(list.channelExports.totalCount).toBe(0);
    expect((await fetch(local(made.url!))).status).toBe(200);

    const rotated = await api.gqlOk<{ rotateChannelExportToken: { url: string } }>(
      ROTATE,
      { input: { channelExportId: id } },
      acme.apiKey,
    );
    expect(rotated.rotateChannelExportToken.url).not.toBe(made.url);
    const gone = await fetch(local(made.url!));
    expect(gone.status).toBe(404);
    // The body is every REST endpoint's { code, message } (README: Errors).
    expect(await gone.json()).toEqual({
      code: 'NOT_FOUND',
      message: 'No export at this address (a rotated token is gone).',
    });
    expect((await fetch(local(rotated.rotateChannelExportToken.url))).status).toBe(200);
    // The wrong extension, or a made-up token, is a 404 too.
    expect((await fetch(local(rotated.rotateChannelExportToken.url).replace(/\.xml$/, '.csv'))).status).toBe(404);
    expect((await fetch(`${api.url}/exports/bsx_${'A'.repeat(43)}.xml`)).status).toBe(404);
  });

  it('downloads one export at most twice at once: a third is 429 OVERLOADED, a conditional GET still 304, a HEAD 200', async () => {
    // Each download reads the whole set or catalog: a leaked URL fetched many times at once put one full catalog
    // read per request on the database, with nothing to bound them.
    const made = await create({ channel: 'META' });
    const url = local(made.url!);
    const first = await fetch(url);
    const whole = await first.text();
    const etag = first.headers.get('etag')!;
    await settleRuns(api); // no run of an earlier test may be left waiting on the lock below
    // Another transaction holds the brand table, which each download's batches join: two downloads wait there.
    const holder = api.runtime.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const running: Promise<{ status: number; body: string }>[] = [];
    try {
      await holder.query('LOCK TABLE brand IN ACCESS EXCLUSIVE MODE');
      running.push(...[1, 2].map(() => fetch(url).then(async (r) => ({ status: r.status, body: await r.text() }))));
      for (;;) {
        // (Outside the holder's transaction, whose view of pg_stat_activity is a snapshot taken once.)
        const [{ n }] = await api.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%k_at%'`,
        );
        if (n === 2) break;

        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const third = await fetch(url);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('30');
      expect(await third.json()).toEqual(
        expect.objectContaining({ code: 'OVERLOADED', retryAfterSeconds: 30, message: expect.any(String) }),
      );
      expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304);
      // A HEAD answers its headers without a download: no slot, no catalog read (it would wait on the lock too).
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
      expect(head.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(await head.text()).toBe('');
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await Promise.all(running)).toEqual([
      { status: 200, body: whole },
      { status: 200, body: whole },
    ]);
    // The slots are given back when a download ends.
    expect((await fetch(url)).status).toBe(200);
  }, 60_000);

  it('Last-Modified moves with a publish that only changes or only removes products: If-Modified-Since is 200', async () => {
    // Last-Modified was the newest published_at of the live rows, which only a new product moves (an update keeps
    // the row's published_at, a removal deletes a row): a channel that fetches with If-Modified-Since alone was
    // answered 304 after a price change or a removal and kept the old file.
    const made = await create({ channel: 'TIKTOK' });
    const url = local(made.url!);
    const sock: Row = { id: 'NEW-1', title: 'Fresh Sock', description: 'New.', image: '/p.jpg', price: '5.00 USD' };
    await publish([...ROWS, sock]);
    const skus = (items: Record<string, string>[]) => items.map((i) => i.sku_id ?? i['custom:sku_id']).sort();
    const since = async () => {
      const res = await fetch(url);
      await res.text();
      // HTTP dates are whole seconds: the next publish must fall in a later one.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      return res.headers.get('last-modified')!;
    };

    let lastModified = await since();
    await publish([...ROWS.map((r) => (r.id === 'SHOE-1' ? { ...r, price: '79.99 USD' } : r)), sock]);
    const updated = await fetch(url, { headers: { 'If-Modified-Since': lastModified } });
    expect(updated.status).toBe(200);
    const shoe = (await readBack(await updated.text())).find((i) => (i.sku_id ?? i['custom:sku_id']) === 'SHOE-1');
    expect(shoe?.price).toBe('79.99 USD');

    lastModified = await since();
    await publish(ROWS.map((r) => (r.id === 'SHOE-1' ? { ...r, price: '79.99 USD' } : r)));
    const removed = await fetch(url, { headers: { 'If-Modified-Since': lastModified } });
    expect(removed.status).toBe(200);
    expect(skus(await readBack(await removed.text()))).toEqual(['HOST-1', 'SHOE-1']);
    // Nothing published since: 304 again.
    const now = removed.headers.get('last-modified')!;
    expect((await fetch(url, { headers: { 'If-Modified-Since': now } })).status).toBe(304);
  }, 120_000);

  it('migration 36 fills the new columns of products published before it from their items', async () => {
    const Migration = MIGRATIONS.find((m) => m.name === 'ChannelAttributes1764000000036')!;
    const runner = api.runtime.dataSource.createQueryRunner();
    try {
      // As before the upgrade: the columns gone (down), then added and filled (up) for the live products.
      await new Migration().down(runner);
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    const rows: { offer_id: string; identifier_exists: boolean | null; availability_date: string | null }[] =
      await api.runtime.dataSource.query(
        `SELECT offer_id, identifier_exists, availability_date, material, pattern, mobile_link FROM catalog_product
          WHERE feed_id = $1 AND offer_id IN ('SHOE-1', 'SMALL-1') ORDER BY offer_id`,
        [rawId(feedId)],
      );
    expect(rows).toEqual([
      {
        offer_id: 'SHOE-1',
        identifier_exists: null,
        availability_date: null,
        material: null,
        pattern: null,
        mobile_link: null,
      },
      {
        offer_id: 'SMALL-1',
        identifier_exists: false,
        availability_date: '2027-03-01',
        material: 'ceramic',
        pattern: 'striped',
        mobile_link: 'https://m.shop.example/p/SMALL-1',
      },
    ]);
  });
});
