import type { FeedEvent, RawItem } from '@brandshelf/feeds';
import { SsrfGuard } from '@brandshelf/net';
import { ShopifyAdminClient, ShopifyApiError } from './admin-api.client.js';
import { GuardedAdminApiTransport } from './admin-api.transport.js';
import { ShopifyCatalogReader } from './shopify-catalog.reader.js';
import { adminApiEndpoint } from './shop-domain.js';
import { FakeShopifyAdmin, fakeProduct, type FakeShopifyOptions } from '@brandshelf/testing';

const TOKEN = 'shpat_reader_test';
const noDns = async () => {
  throw new Error('no DNS in tests');
};

describe('reading a store through the Admin API (loopback fake)', () => {
  const fakes: FakeShopifyAdmin[] = [];
  const transport = new GuardedAdminApiTransport({
    guard: new SsrfGuard({ allowHosts: ['127.0.0.1'], lookup: noDns }),
    connectTimeoutMs: 2000,
    readTimeoutMs: 5000,
  });

  afterAll(async () => {
    transport.close();
    await Promise.all(fakes.map((f) => f.close()));
  });

  async function store(products: number, options: Partial<FakeShopifyOptions> = {}, variants = 2) {
    const fake = new FakeShopifyAdmin({ accessToken: TOKEN, ...options });
    fakes.push(fake);
    for (let n = 1; n <= products; n++) fake.put(fakeProduct(n, variants));
    const domain = await fake.listen();
    const client = (token = TOKEN, maxRetries = 3) =>
      new ShopifyAdminClient({
        endpoint: adminApiEndpoint(domain, fake.apiVersion),
        accessToken: token,
        transport,
        maxRetries,
        retryBaseMs: 5,
      });
    return { fake, client };
  }

  async function collect(events: AsyncIterable<FeedEvent>): Promise<RawItem[]> {
    const items: RawItem[] = [];
    for await (const event of events) if (event.type === 'item') items.push(event.item);
    return items;
  }

  it('reads every active product across pages, completing products with many variants', async () => {
    const { fake, client } = await store(40);
    fake.put(fakeProduct(41, 45)); // more variants than one products page carries
    fake.put(fakeProduct(42, 2, { status: 'DRAFT' }));
    fake.put(fakeProduct(43, 2, { status: 'ARCHIVED' }));
    const reader = new ShopifyCatalogReader(client(), { idStrategy: 'VARIANT_ID', pageSize: 7 });
    const items = await collect(reader.full());
    expect(items).toHaveLength(40 * 2 + 45);
    expect(new Set(items.map((i) => i.fields.id)).size).toBe(items.length);
    expect(items.map((i) => i.row)).toEqual(items.map((_, k) => k + 1));
    expect(fake.requestsOf('products').filter((r) => r.outcome === 'ok')).toHaveLength(Math.ceil(41 / 7)); // drafts are not even asked for
    expect(fake.requestsOf('products')[0].variables.query).toBe('status:active');
    expect(fake.requestsOf('productVariants').length).toBeGreaterThanOrEqual(1);
    expect(items.filter((i) => i.fields.item_group_id === String(10_041))).toHaveLength(45);
    expect(fake.requests.filter((r) => r.outcome === 'throttled')).toEqual([]);
  });

  it('waits for the bucket before a query it cannot afford, so Shopify never has to throttle', async () => {
    // Each page asks for ~540 points of a 600-point bucket and uses ~100: without waiting, the second is throttled.
    const { fake, client } = await store(30, { bucketSize: 600, restoreRate: 2000 });
    const reader = new ShopifyCatalogReader(client(), { idStrategy: 'VARIANT_ID', pageSize: 5 });
    expect(await collect(reader.full())).toHaveLength(60);
    expect(fake.requests.filter((r) => r.outcome === 'throttled')).toEqual([]);
  });

  it('waits out THROTTLED, a 429 with Retry-After, a 503 and a dropped connection', async () => {
    const { fake, client } = await store(12, { bucketSize: 1000, restoreRate: 1000 });
    fake.faults = [
      { kind: 'status', status: 429, retryAfterSeconds: 1, operation: 'products' },
      { kind: 'status', status: 503, operation: 'products' },
      { kind: 'reset', operation: 'products' },
      { kind: 'drain', operation: 'products' },
    ];
    const reader = new ShopifyCatalogReader(client(), { idStrategy: 'VARIANT_ID', pageSize: 4 });
    expect(await collect(reader.full())).toHaveLength(24);
    const products = fake.requestsOf('products');
    expect(products.map((r) => r.outcome)).toEqual(['fault', 'fault', 'fault', 'throttled', 'ok', 'ok', 'ok']);
    expect(products[1].at - products[0].at).toBeGreaterThanOrEqual(1000); // Retry-After: 1
    // Throttled with an empty bucket: the retry waited for the requested cost to be restored.
    expect(products[4].at - products[3].at).toBeGreaterThanOrEqual((products[3].requestedCost / 1000) * 1000 - 50);
  });

  it('halves a page Shopify finds too costly', async () => {
    const { fake, client } = await store(12);
    const reader = new ShopifyCatalogReader(client(), { idStrategy: 'VARIANT_ID', pageSize: 20 });
    expect(await collect(reader.full())).toHaveLength(24);
    expect(fake.requestsOf('products').map((r) => [r.variables.first, r.outcome])).toEqual([
      [20, 'max-cost'],
      [10, 'max-cost'],
      [5, 'ok'],
      [5, 'ok'],
      [5, 'ok'],
    ]);
  });

  it('reads what changed since a cursor, and finds the offers to remove', async () => {
    const { fake, client } = await store(10, {}, 2);
    const base = new Map([...fake.products.values()].map((p) => [String(p.id), p.variants.map((v) => v.sku!)]));
    const since = new Date(Date.now() - 1);
    fake.update(10_001, (p) => p.variants.pop()); // a variant deleted
    fake.update(10_002, (p) => (p.variants[0].sku = 'SKU-2-0-NEW')); // an id (SKU) changed
    fake.update(10_003, (p) => (p.status = 'DRAFT')); // unpublished
    fake.remove(10_004); // deleted: only the id listing can tell
    fake.put({ ...fakeProduct(11, 1), updatedAt: new Date().toISOString() }); // created
    const removed = new Set<string>();
    const reader = new ShopifyCatalogReader(client(), { idStrategy: 'SKU', pageSize: 5 });
    const items = await collect(reader.incremental(since, base, removed));
    expect(items.map((i) => i.fields.id)).toEqual(['SKU-1-0', 'SKU-2-0-NEW', 'SKU-2-1', 'SKU-11-0']);
    expect([...removed].sort()).toEqual(['SKU-1-1', 'SKU-2-0', 'SKU-3-0', 'SKU-3-1', 'SKU-4-0', 'SKU-4-1']);
    expect(reader.productsRead).toBe(4);
    expect(fake.requestsOf('products').map((r) => r.variables.query)).toEqual([`updated_at:>'${since.toISOString()}'`]);
    expect(fake.requestsOf('productIds').map((r) => r.variables.query)).toEqual(['status:active']);
  });

  it('fails with a code: a refused token, retries exhausted, a blocked address', async () => {
    const { fake, client } = await store(3);
    const read = (c: ShopifyAdminClient) =>
      collect(new ShopifyCatalogReader(c, { idStrategy: 'SKU', pageSize: 5 }).full());
    await expect(read(client('shpat_wrong'))).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    fake.faults = Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 502 }));
    const error = await read(client(TOKEN, 2)).catch((e) => e);
    expect(error).toBeInstanceOf(ShopifyApiError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(fake.faults).toHaveLength(2); // one try and two retries
    const guarded = new GuardedAdminApiTransport({
      guard: new SsrfGuard({ lookup: noDns }),
      connectTimeoutMs: 1000,
      readTimeoutMs: 1000,
    });
    const blocked = new ShopifyAdminClient({
      endpoint: adminApiEndpoint('127.0.0.1:9', '2025-01'), // refused before any connection
      accessToken: TOKEN,
      transport: guarded,
      maxRetries: 0,
      retryBaseMs: 1,
    });
    await expect(read(blocked)).rejects.toMatchObject({ code: 'BLOCKED_ADDRESS' });
  });
});
