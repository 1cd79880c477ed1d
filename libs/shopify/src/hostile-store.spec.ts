import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedEvent } from '@brandshelf/feeds';
import { SsrfGuard } from '@brandshelf/net';
import { fakeProduct, productNodeOf } from '@brandshelf/testing';
import { ShopifyAdminClient, ShopifyApiError } from './admin-api.client.js';
import { GuardedAdminApiTransport } from './admin-api.transport.js';
import { ShopifyCatalogReader } from './shopify-catalog.reader.js';
import { adminApiEndpoint } from './shop-domain.js';

/**
 * A store (or whatever answers at its address) that answers badly: pages that loop (the same cursor again, or a
 * next page without a cursor), JSON of another shape, a body trickled a byte at a time. Each must end the read with
 * a ShopifyApiError (the run then fails with SHOPIFY_<code> and its hint), never loop forever, hang, or crash with
 * a TypeError (which the pipeline takes for a crash of ours: retried, then INTERNAL_ERROR). The stand-in below
 * stops misbehaving after a while, so without the checks a test fails instead of hanging.
 */

type Operation = 'shop' | 'products' | 'productIds' | 'productVariants';
type Answer = (op: Operation, variables: Record<string, unknown>, count: number) => unknown;

const SHOP = {
  shop: { name: 'Hostile', currencyCode: 'USD', myshopifyDomain: 'h.myshopify.com', primaryDomain: null },
};
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** One product of one variant and one image, as the products query answers it (its variants' page overridable). */
const productNode = (n: number, variantsPage?: { hasNextPage: boolean; endCursor: string | null }) =>
  productNodeOf(fakeProduct(n, 1), { mediaFirst: 1, variantsPage });

const operationOf = (query: string): Operation =>
  /\bshop\s*\{/.test(query)
    ? 'shop'
    : /\bproduct\(id:/.test(query)
      ? 'productVariants'
      : /nodes\s*\{\s*id\s*\}/.test(query)
        ? 'productIds'
        : 'products';

describe('a store that answers badly', () => {
  const servers: Server[] = [];
  const transport = new GuardedAdminApiTransport({
    guard: new SsrfGuard({
      allowHosts: ['127.0.0.1'],
      lookup: async () => {
        throw new Error('no DNS in tests');
      },
    }),
    connectTimeoutMs: 2000,
    readTimeoutMs: 2000,
    deadlineMs: 1000,
  });

  afterAll(async () => {
    transport.close();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  /** A loopback store answering `answer` (JSON, data-wrapped unless it returns a function writing the response). */
  async function store(answer: Answer) {
    const counts = new Map<Operation, number>();
    const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        query: string;
        variables: Record<string, unknown>;
      };
      const op = operationOf(body.query);
      const count = (counts.get(op) ?? 0) + 1;
      counts.set(op, count);
      const data = answer(op, body.variables, count);
      if (typeof data === 'function') return (data as (res: ServerResponse) => void)(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const domain = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ShopifyAdminClient({
      endpoint: adminApiEndpoint(domain, '2025-01'),
      accessToken: 'shpat_hostile',
      transport,
      maxRetries: 1,
      retryBaseMs: 1,
    });
    return { counts, reader: new ShopifyCatalogReader(client, { idStrategy: 'VARIANT_ID', pageSize: 5 }) };
  }

  async function drain(events: AsyncIterable<FeedEvent>): Promise<number> {
    let items = 0;
    for await (const e of events) if (e.type === 'item') items++;
    return items;
  }

  async function failure(events: AsyncIterable<FeedEvent>): Promise<ShopifyApiError> {
    const error = await drain(events).then(
      (items) => new Error(`read to the end (${items} items)`),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShopifyApiError);
    return error as ShopifyApiError;
  }

  /** Loops for 40 pages, then (so that a reader without the check ends) says there is no next page. */
  const LOOP = 40;

  it('a products page cursor given twice is BAD_RESPONSE, not a read that never ends', async () => {
    const { reader, counts } = await store((op, _v, count) =>
      op === 'shop'
        ? SHOP
        : {
            products: {
              pageInfo: { hasNextPage: count < LOOP, endCursor: 'same-cursor' },
              nodes: [productNode(count)],
            },
          },
    );
    const error = await failure(reader.full());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/page loop/);
    expect(counts.get('products')).toBe(2);
  });

  it('a cycle of cursors (A, B, A) is a loop too', async () => {
    const { reader } = await store((op, _v, count) =>
      op === 'shop'
        ? SHOP
        : {
            products: {
              pageInfo: { hasNextPage: count < LOOP, endCursor: count % 2 ? 'A' : 'B' },
              nodes: [productNode(count)],
            },
          },
    );
    expect((await failure(reader.full())).code).toBe('BAD_RESPONSE');
  });

  it('a next page without a cursor (which would read the first page again) is BAD_RESPONSE', async () => {
    const { reader } = await store((op, _v, count) =>
      op === 'shop'
        ? SHOP
        : { products: { pageInfo: { hasNextPage: count < LOOP, endCursor: null }, nodes: [productNode(1)] } },
    );
    expect((await failure(reader.full())).message).toMatch(/no endCursor/);
  });

  it('a variants cursor given twice is BAD_RESPONSE', async () => {
    const { reader } = await store((op, _v, count) => {
      if (op === 'shop') return SHOP;
      if (op === 'products') {
        return {
          products: {
            pageInfo: { hasNextPage: false, endCursor: 'p1' },
            nodes: [productNode(1, { hasNextPage: true, endCursor: 'v1' })],
          },
        };
      }
      return {
        product: {
          variants: { pageInfo: { hasNextPage: count < LOOP, endCursor: 'v1' }, nodes: productNode(1).variants.nodes },
        },
      };
    });
    expect((await failure(reader.full())).code).toBe('BAD_RESPONSE');
  });

  it('variant pages without end (a new cursor each time) stop past the 2048 variants Shopify allows', async () => {
    const { reader, counts } = await store((op, _v, count) => {
      if (op === 'shop') return SHOP;
      if (op === 'products') {
        return {
          products: {
            pageInfo: { hasNextPage: false, endCursor: 'p1' },
            nodes: [productNode(1, { hasNextPage: true, endCursor: 'v0' })],
          },
        };
      }
      const variant = productNode(1).variants.nodes[0];
      return {
        product: {
          variants: {
            // 100 a page, a fresh cursor every time; after 60 pages (6,000 variants) it would end.
            pageInfo: { hasNextPage: count < 60, endCursor: `v${count}` },
            nodes: Array.from({ length: 100 }, (_, k) => ({
              ...variant,
              id: `gid://shopify/ProductVariant/${count * 100 + k}`,
            })),
          },
        },
      };
    });
    const error = await failure(reader.full());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/more than 2048 variants/);
    expect(counts.get('productVariants')).toBe(21);
  });

  it('a product id cursor given twice (the deletion pass of an incremental sync) is BAD_RESPONSE', async () => {
    const { reader } = await store((op, _v, count) => {
      if (op === 'shop') return SHOP;
      if (op === 'products') return { products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } };
      return {
        products: { pageInfo: { hasNextPage: count < LOOP, endCursor: 'ids' }, nodes: [{ id: gid('Product', 1) }] },
      };
    });
    const error = await failure(reader.incremental(new Date(0), new Map(), new Set()));
    expect(error.code).toBe('BAD_RESPONSE');
  });

  const ONE_PAGE = { products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [productNode(1)] } };

  it.each([
    ['no shop', { shop: null }, ONE_PAGE],
    ['a shop without a currency', { shop: { ...SHOP.shop, currencyCode: undefined } }, ONE_PAGE],
    ['a shop that is a list', { shop: [] }, ONE_PAGE],
    ['no products', SHOP, { products: null }],
    ['nodes that are not a list', SHOP, { products: { pageInfo: { hasNextPage: false }, nodes: 'x' } }],
    ['no pageInfo', SHOP, { products: { nodes: [] } }],
    [
      'a title that is a number',
      SHOP,
      { products: { pageInfo: { hasNextPage: false }, nodes: [{ ...productNode(1), title: 42 }] } },
    ],
    [
      'a product without variants',
      SHOP,
      { products: { pageInfo: { hasNextPage: false }, nodes: [{ ...productNode(1), variants: null }] } },
    ],
    [
      'options that are not a list',
      SHOP,
      {
        products: {
          pageInfo: { hasNextPage: false },
          nodes: [
            (() => {
              const p = productNode(1);
              return { ...p, variants: { ...p.variants, nodes: [{ ...p.variants.nodes[0], selectedOptions: {} }] } };
            })(),
          ],
        },
      },
    ],
  ])('JSON of another shape (%s) is BAD_RESPONSE, not a TypeError', async (_name, shop, products) => {
    const { reader } = await store((op) => (op === 'shop' ? shop : products));
    expect((await failure(reader.full())).code).toBe('BAD_RESPONSE');
  });

  it('reads Money given as a JSON number as its decimal', async () => {
    const { reader } = await store((op) => {
      if (op === 'shop') return SHOP;
      const p = productNode(1);
      return {
        products: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [{ ...p, variants: { ...p.variants, nodes: [{ ...p.variants.nodes[0], price: 12.5 }] } }],
        },
      };
    });
    const items: FeedEvent[] = [];
    for await (const e of reader.full()) items.push(e);
    expect(items).toEqual([expect.objectContaining({ type: 'item' })]);
    expect((items[0] as Extract<FeedEvent, { type: 'item' }>).item.fields.price).toBe('12.5 USD');
  });

  it('a body trickled a byte at a time fails at the request deadline instead of holding the sync', async () => {
    const body = JSON.stringify({ data: SHOP });
    const { reader } = await store(() => (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      // 40 ms a byte: each wait is well inside the read timeout, the whole body (about 5 s) far past the deadline.
      const tick = setInterval(() => {
        if (res.destroyed) return clearInterval(tick);
        res.write(body.slice(i, i + 1));
        if (++i >= body.length) {
          clearInterval(tick);
          res.end();
        }
      }, 40);
    });
    const error = await failure(reader.full());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/deadline/);
  });
});
