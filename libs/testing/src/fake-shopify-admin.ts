import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVariant {
  id: number;
  sku?: string | null;
  barcode?: string | null;
  price: string;
  compareAtPrice?: string | null;
  inventoryQuantity?: number;
  inventoryPolicy?: 'DENY' | 'CONTINUE';
  tracked?: boolean;
  options: { name: string; value: string }[];
  image?: string | null;
}

export interface FakeProduct {
  id: number;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  tags: string[];
  onlineStoreUrl: string | null;
  updatedAt: string;
  images: string[];
  variants: FakeVariant[];
}

export type FakeOperation = 'shop' | 'products' | 'productIds' | 'productVariants' | 'unknown';

/** An answer the next matching request gets instead of the real one. */
export type FakeFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; operation?: FakeOperation }
  /** Empties the bucket first, so the request is THROTTLED the way Shopify throttles it. */
  | { kind: 'drain'; operation?: FakeOperation }
  /** Closes the connection without an answer. */
  | { kind: 'reset'; operation?: FakeOperation };

export interface FakeRequestRecord {
  at: number;
  operation: FakeOperation;
  variables: Record<string, unknown>;
  status: number;
  /** THROTTLED (HTTP 200 with errors[].extensions.code), MAX_COST_EXCEEDED, or the fault injected. */
  outcome: 'ok' | 'throttled' | 'max-cost' | 'fault' | 'unauthorized';
  requestedCost: number;
  /** Product nodes returned with all their fields. */
  productsReturned: number;
}

export interface FakeShopifyOptions {
  accessToken: string;
  apiVersion?: string;
  /** Bucket size and restore rate (points/second); Shopify's standard plan is 1000-ish and 100/s. */
  bucketSize?: number;
  restoreRate?: number;
  /** Shopify refuses a single query above this requested cost. */
  maxQueryCost?: number;
  shopName?: string;
  currencyCode?: string;
}

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const cursorOf = (n: number) => Buffer.from(`cursor:${n}`).toString('base64');
const cursorValue = (cursor: unknown) =>
  typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64').toString('utf8').slice('cursor:'.length)) : null;

/**
 * A loopback stand-in for one store's GraphQL Admin API (`POST /admin/api/<version>/graphql.json`),
 * behaving as Shopify documents it: X-Shopify-Access-Token auth (401 otherwise), cursor pagination
 * (`pageInfo { hasNextPage endCursor }`, `first` at most 250), the product search syntax the sync uses
 * (`status:active`, `updated_at:>'<ISO>'`, `id:<n>`, joined with AND), calculated query cost with a leaky
 * bucket (`extensions.cost.throttleStatus`, THROTTLED as HTTP 200 with `errors[].extensions.code`,
 * MAX_COST_EXCEEDED above the single-query limit), and injected faults (429 + Retry-After, 5xx, resets).
 * It answers the sync's own queries (recognized by their fields), not arbitrary GraphQL.
 */
export class FakeShopifyAdmin {
  readonly products = new Map<number, FakeProduct>();
  readonly requests: FakeRequestRecord[] = [];
  faults: FakeFault[] = [];
  readonly apiVersion: string;
  bucket: { maximum: number; restoreRate: number; available: number; at: number };
  private readonly server: Server;
  private readonly maxQueryCost: number;

  constructor(private readonly options: FakeShopifyOptions) {
    this.apiVersion = options.apiVersion ?? '2025-01';
    this.maxQueryCost = options.maxQueryCost ?? 1000;
    const maximum = options.bucketSize ?? 2000;
    this.bucket = { maximum, restoreRate: options.restoreRate ?? 1000, available: maximum, at: Date.now() };
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening on 127.0.0.1 and returns the `host:port` to connect as the shop domain. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  put(product: FakeProduct): void {
    this.products.set(product.id, product);
  }

  /** Changes a product as an admin edit would, moving its updatedAt to now. */
  update(id: number, change: (product: FakeProduct) => void): void {
    const product = this.products.get(id);
    if (!product) throw new Error(`no product ${id}`);
    change(product);
    product.updatedAt = new Date().toISOString();
  }

  remove(id: number): void {
    this.products.delete(id);
  }

  requestsOf(operation: FakeOperation): FakeRequestRecord[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== `/admin/api/${this.apiVersion}/graphql.json`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":"Not Found"}');
      return;
    }
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":"Bad Request"}');
      return;
    }
    const query = body.query ?? '';
    const variables = body.variables ?? {};
    const operation = operationOf(query);
    const record: FakeRequestRecord = {
      at: Date.now(),
      operation,
      variables,
      status: 200,
      outcome: 'ok',
      requestedCost: 0,
      productsReturned: 0,
    };
    this.requests.push(record);

    if (req.headers['x-shopify-access-token'] !== this.options.accessToken) {
      record.status = 401;
      record.outcome = 'unauthorized';
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}');
      return;
    }

    const faultAt = this.faults.findIndex((f) => !f.operation || f.operation === operation);
    if (faultAt >= 0) {
      const [fault] = this.faults.splice(faultAt, 1);
      if (fault.kind === 'reset') {
        record.outcome = 'fault';
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'status') {
        record.outcome = 'fault';
        record.status = fault.status;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers).end(JSON.stringify({ errors: `fault ${fault.status}` }));
        return;
      }
      this.refill();
      this.bucket.available = 0;
    }

    const requested = requestedCost(operation, query, variables);
    record.requestedCost = requested;
    if (requested > this.maxQueryCost) {
      record.outcome = 'max-cost';
      this.answer(res, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${this.maxQueryCost}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: this.maxQueryCost },
          },
        ],
      });
      return;
    }
    this.refill();
    if (this.bucket.available < requested) {
      record.outcome = 'throttled';
      this.answer(res, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: this.cost(requested, null) },
      });
      return;
    }
    let data: unknown;
    let actual: number;
    try {
      ({ data, actual } = this.execute(operation, query, variables, record));
    } catch (error) {
      this.answer(res, { errors: [{ message: (error as Error).message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    this.bucket.available -= actual;
    this.answer(res, { data, extensions: { cost: this.cost(requested, actual) } });
  }

  private execute(
    operation: FakeOperation,
    query: string,
    variables: Record<string, unknown>,
    record: FakeRequestRecord,
  ): { data: unknown; actual: number } {
    const mediaFirst = firstOf(query, 'media') ?? 0;
    const variantsFirst = firstOf(query, 'variants') ?? 0;
    switch (operation) {
      case 'shop':
        return {
          data: {
            shop: {
              name: this.options.shopName ?? 'Fake Store',
              currencyCode: this.options.currencyCode ?? 'USD',
              myshopifyDomain: 'fake-store.myshopify.com',
              primaryDomain: { url: 'https://fake-store.example' },
            },
          },
          actual: 2,
        };
      case 'products':
      case 'productIds': {
        const first = Number(variables.first);
        if (!Number.isInteger(first) || first < 1) throw new Error('first must be a positive integer');
        if (first > 250) throw new Error('first cannot exceed 250.');
        const after = cursorValue(variables.after) ?? 0;
        const matching = [...this.products.values()]
          .filter(searchFilter(typeof variables.query === 'string' ? variables.query : ''))
          .sort((a, b) => a.id - b.id)
          .filter((p) => p.id > after);
        const page = matching.slice(0, first);
        const pageInfo = {
          hasNextPage: matching.length > first,
          endCursor: page.length ? cursorOf(page.at(-1)!.id) : null,
        };
        if (operation === 'productIds') {
          return {
            data: { products: { pageInfo, nodes: page.map((p) => ({ id: gid('Product', p.id) })) } },
            actual: 2 + page.length,
          };
        }
        record.productsReturned = page.length;
        let actual = 2;
        const nodes = page.map((p) => {
          const node = productNodeOf(p, { variantsFirst, mediaFirst });
          actual += 1 + 2 + node.media.nodes.length * 2 + 2 + node.variants.nodes.length * 4;
          return node;
        });
        return { data: { products: { pageInfo, nodes } }, actual };
      }
      case 'productVariants': {
        const id = Number(String(variables.id).split('/').pop());
        const product = this.products.get(id);
        if (!product) return { data: { product: null }, actual: 1 };
        const offset = cursorValue(variables.after) ?? 0;
        const variants = product.variants.slice(offset, offset + variantsFirst);
        return {
          data: {
            product: {
              variants: {
                pageInfo: {
                  hasNextPage: product.variants.length > offset + variantsFirst,
                  endCursor: variants.length ? cursorOf(offset + variants.length) : null,
                },
                nodes: variants.map(variantNode),
              },
            },
          },
          actual: 3 + variants.length * 4,
        };
      }
      default:
        throw new Error('The fake Admin API does not know this query.');
    }
  }

  private refill(): void {
    const now = Date.now();
    const b = this.bucket;
    b.available = Math.min(b.maximum, b.available + ((now - b.at) / 1000) * b.restoreRate);
    b.at = now;
  }

  private cost(requested: number, actual: number | null) {
    return {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: this.bucket.maximum,
        currentlyAvailable: Math.floor(this.bucket.available),
        restoreRate: this.bucket.restoreRate,
      },
    };
  }

  private answer(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function operationOf(query: string): FakeOperation {
  if (/\bshop\s*\{/.test(query)) return 'shop';
  if (/\bproduct\(id:/.test(query)) return 'productVariants';
  if (/\bproducts\(/.test(query)) return /nodes\s*\{\s*id\s*\}/.test(query) ? 'productIds' : 'products';
  return 'unknown';
}

function firstOf(query: string, field: string): number | null {
  const match = new RegExp(`\\b${field}\\(first:\\s*(\\d+)`).exec(query);
  return match ? Number(match[1]) : null;
}

/** Shopify's documented calculation: objects 1, connections 2 + first × the node's cost, scalars 0. */
function requestedCost(operation: FakeOperation, query: string, variables: Record<string, unknown>): number {
  const first = Number(variables.first) || 0;
  const media = firstOf(query, 'media') ?? 0;
  const variants = firstOf(query, 'variants') ?? 0;
  const variant = 4; // the variant, selectedOptions, image, inventoryItem
  switch (operation) {
    case 'shop':
      return 2;
    case 'productIds':
      return 2 + first;
    case 'products':
      return 2 + first * (1 + (2 + media * 2) + (2 + variants * variant));
    case 'productVariants':
      return 1 + 2 + variants * variant;
    default:
      return 1;
  }
}

function searchFilter(search: string): (product: FakeProduct) => boolean {
  const terms = search
    .split(/\s+AND\s+/i)
    .map((t) => t.trim())
    .filter(Boolean);
  return (product) =>
    terms.every((term) => {
      const status = /^status:(\w+)$/i.exec(term);
      if (status) return product.status === status[1].toUpperCase();
      const updated = /^updated_at:>'?([^']+)'?$/i.exec(term);
      if (updated) return Date.parse(product.updatedAt) > Date.parse(updated[1]);
      const id = /^id:(\d+)$/.exec(term);
      if (id) return product.id === Number(id[1]);
      throw new Error(`The fake Admin API does not understand the search term "${term}".`);
    });
}

/**
 * A product as the Admin API's products query answers it, with its first `variantsFirst` variants and `mediaFirst`
 * images; `variantsPage` overrides the variants' page info (a hostile store's next page).
 */
export function productNodeOf(
  p: FakeProduct,
  {
    variantsFirst = 100,
    mediaFirst = 10,
    variantsPage,
  }: {
    variantsFirst?: number;
    mediaFirst?: number;
    variantsPage?: { hasNextPage: boolean; endCursor: string | null };
  } = {},
) {
  const variants = p.variants.slice(0, variantsFirst);
  return {
    id: gid('Product', p.id),
    handle: p.handle,
    title: p.title,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    onlineStoreUrl: p.onlineStoreUrl,
    updatedAt: p.updatedAt,
    media: { nodes: p.images.slice(0, mediaFirst).map((url) => ({ image: { url } })) },
    variants: {
      pageInfo: variantsPage ?? {
        hasNextPage: p.variants.length > variantsFirst,
        endCursor: variants.length ? cursorOf(variants.length) : null,
      },
      nodes: variants.map(variantNode),
    },
  };
}

function variantNode(v: FakeVariant) {
  return {
    id: gid('ProductVariant', v.id),
    sku: v.sku ?? null,
    barcode: v.barcode ?? null,
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    inventoryQuantity: v.inventoryQuantity ?? 0,
    inventoryPolicy: v.inventoryPolicy ?? 'DENY',
    selectedOptions: v.options,
    image: v.image ? { url: v.image } : null,
    inventoryItem: { tracked: v.tracked ?? true },
  };
}

/** A valid GTIN-13 from a number (prefix 400, check digit computed). */
export function fakeGtin(n: number): string {
  const body = `400${String(n).padStart(9, '0')}`.slice(0, 12);
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return body + ((10 - (sum % 10)) % 10);
}

const COLORS = ['Red', 'Blue', 'Green', 'Black'];
const SIZES = ['S', 'M', 'L', 'XL', 'XXL'];

/**
 * Product number `n` of a made-up catalog: `variants` variants (colour × size), two images, a barcode
 * per variant, updated long ago (so only later edits look new to an updated_at search).
 */
export function fakeProduct(n: number, variants = 2, overrides: Partial<FakeProduct> = {}): FakeProduct {
  const handle = `product-${n}`;
  return {
    id: 10_000 + n,
    handle,
    title: `Product ${n}`,
    descriptionHtml: `<p>Description of product ${n}.</p>`,
    vendor: 'Fake Vendor',
    productType: 'Shirts',
    status: 'ACTIVE',
    tags: ['fake'],
    onlineStoreUrl: `https://fake-store.example/products/${handle}`,
    updatedAt: '2024-06-01T00:00:00.000Z',
    images: [`https://cdn.fake-store.example/${handle}-1.jpg`, `https://cdn.fake-store.example/${handle}-2.jpg`],
    variants: Array.from({ length: variants }, (_, k) => ({
      id: 1_000_000 + n * 1000 + k,
      sku: `SKU-${n}-${k}`,
      barcode: fakeGtin(n * 1000 + k),
      price: `${10 + (n % 50)}.00`,
      compareAtPrice: n % 3 === 0 ? `${20 + (n % 50)}.00` : null,
      inventoryQuantity: (n + k) % 4,
      inventoryPolicy: 'DENY' as const,
      options:
        variants > 1
          ? [
              { name: 'Color', value: COLORS[k % COLORS.length] },
              {
                name: 'Size',
                value: `${SIZES[Math.floor(k / COLORS.length) % SIZES.length]}${k >= 20 ? `-${k}` : ''}`,
              },
            ]
          : [{ name: 'Title', value: 'Default Title' }],
    })),
    ...overrides,
  };
}
