import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  registerBrand,
  startTestApi,
  uploadFeed,
  waitForRun,
  type RunView,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Shop exports carry no product-page URL; with the feed's storeUrl they publish. Each sample file goes through the
 * real API and worker: upload → read → validate → images → publishRun → the public `products` search. The files'
 * images live on internet hosts, which tests never contact: a loopback host serves them instead and the image URLs
 * in the uploaded bytes are rewritten to it (the SSRF guard lets 127.0.0.1 through via SSRF_ALLOW_HOSTS, as in the
 * image tests).
 */
const SAMPLES = join(process.cwd(), 'test', 'fixtures', 'feeds');

interface ExportCase {
  file: string;
  /** Hosts of the file's image URLs. */
  imageHosts: string[];
  storeUrl: string;
  /** Platform exports write bare prices; Medusa's columns name their currency. */
  defaultCurrency: string | null;
  dialect: string;
  /** Items read off the file (see each case), all valid. */
  items: number;
  /** offer id → link the item must publish with. */
  links: Record<string, string>;
}

const CASES: ExportCase[] = [
  {
    // Shopify admin export: 21 variant rows of 20 handles (image-only rows are not items), no link column.
    file: 'shopify/products_export_demo.csv',
    imageHosts: ['cdn.shopify.com'],
    storeUrl: 'https://demo-shop.example',
    defaultCurrency: 'USD',
    dialect: 'SHOPIFY',
    items: 21,
    links: {},
  },
  {
    // WooCommerce sample: 25 rows = 14 simple/external products + 8 variations + 2 variable parents and 1 grouped
    // product, which are pages rather than items: 22 items.
    file: 'csv/woocommerce_sample_products.csv',
    imageHosts: ['woocommercecore.mystagingwebsite.com'],
    storeUrl: 'https://woo-shop.example',
    defaultCurrency: 'USD',
    dialect: 'WOOCOMMERCE',
    items: 22,
    links: {
      'woo-beanie': 'https://woo-shop.example/?post_type=product&p=48',
      // A variation links to its parent (V-Neck T-Shirt, ID 44); the external product keeps its own URL.
      'woo-vneck-tee-red': 'https://woo-shop.example/?post_type=product&p=44',
      'wp-pennant': 'https://mercantile.wordpress.org/product/wordpress-pennant/',
    },
  },
  {
    // Medusa's import template: 5 rows, one variant each (1 mug, 4 sweatpants), prices in EUR/USD columns.
    file: 'csv/medusa_product_import_template.csv',
    imageHosts: ['medusa-public-images.s3.eu-west-1.amazonaws.com'],
    storeUrl: 'https://medusa-shop.example',
    defaultCurrency: null,
    dialect: 'MEDUSA',
    items: 5,
    links: {
      'coffee-mug-v2-1': 'https://medusa-shop.example/products/coffee-mug-v2',
      'sweatpants-v2-4': 'https://medusa-shop.example/products/sweatpants-v2',
    },
  },
];

const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created updated removed } } }`;
const SEARCH = `query($brand: ID!) { products(filter: { brandIds: [$brand] }, first: 30) {
  totalCount edges { node { offerId link images { url } } } } }`;
const ISSUES = `query($id: ID!) { ingestionRun(id: $id) {
  issues(filter: { code: MISSING_REQUIRED, attribute: "link" }, first: 1) { totalCount nodes { hint } } } }`;

/** Images are fetched and processed before a run ends; on two busy cores that can take a while. */
const RUN_TIMEOUT_MS = 170_000;
const TEST_TIMEOUT_MS = 240_000;

async function ingest(api: TestApi, key: string, feedId: string, body: Buffer, query = ''): Promise<RunView> {
  const res = await uploadFeed(api, key, feedId, body, query);
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.json)}`);
  return waitForRun(api, key, res.json.runId, RUN_TIMEOUT_MS);
}

/** A loopback image host answering every path with one real JPEG, logging what it was asked. */
async function imageHost() {
  const jpeg = await sharp({ create: { width: 640, height: 640, channels: 3, background: '#c86432' } })
    .jpeg()
    .toBuffer();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The file's bytes with every image URL moved onto the loopback host (path kept, host as the first segment). */
function onLoopback(file: string, hosts: string[], base: string): Buffer {
  let text = readFileSync(join(SAMPLES, file), 'utf8');
  for (const host of hosts) text = text.split(`https://${host}/`).join(`${base}/${host}/`);
  return Buffer.from(text, 'utf8');
}

describe('platform exports reach the catalog (e2e: API, worker, loopback image host)', () => {
  let api: TestApi;
  let host: Awaited<ReturnType<typeof imageHost>>;

  beforeAll(async () => {
    host = await imageHost();
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: '127.0.0.1' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    host?.server.closeAllConnections();
    await new Promise((resolve) => host?.server.close(resolve));
  });

  it.each(CASES)(
    'publishes every valid item of $file with storeUrl set',
    async (c) => {
      const { id: brandId, apiKey: key } = await registerBrand(api, c.dialect);
      const feedId = await createFeed(api, key, {
        name: c.file,
        storeUrl: c.storeUrl,
        ...(c.defaultCurrency ? { defaultCurrency: c.defaultCurrency } : {}),
      });
      const body = onLoopback(c.file, c.imageHosts, host.base);
      expect(body.toString('utf8')).not.toMatch(new RegExp(c.imageHosts.map((h) => `https://${h}`).join('|')));
      const asked = host.requests.length;
      const run: RunView = await ingest(api, key, feedId, body);
      expect(run).toMatchObject({
        status: 'SUCCEEDED',
        dialect: c.dialect,
        itemsAccepted: c.items,
        itemsRejected: 0,
        errors: 0,
      });
      expect(run.issueSummary.filter((s) => s.severity === 'ERROR')).toEqual([]);
      // The images came from the loopback host.
      expect(host.requests.length).toBeGreaterThan(asked);

      expect((await api.gqlOk(PUBLISH, { runId: run.id }, key)).publishRun.publication).toEqual({
        created: c.items,
        updated: 0,
        removed: 0,
      });

      // Public search, no key: every item is live, with the link built from storeUrl and a processed image.
      const { products } = await api.gqlOk(SEARCH, { brand: brandId });
      expect(products.totalCount).toBe(c.items);
      const nodes: { offerId: string; link: string; images: { url: string }[] }[] = products.edges.map(
        (edge: { node: unknown }) => edge.node,
      );
      expect(nodes).toHaveLength(c.items);
      for (const node of nodes) {
        expect(node.images.length).toBeGreaterThan(0);
        if (c.links[node.offerId]) continue;
        expect(node.link.startsWith(`${c.storeUrl}/`)).toBe(true);
      }
      const byOffer = Object.fromEntries(nodes.map((node) => [node.offerId, node.link]));
      for (const [offerId, link] of Object.entries(c.links)) expect(byOffer[offerId]).toBe(link);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'builds Shopify links as /products/<handle> from the Handle column',
    async () => {
      const { id: brandId, apiKey: key } = await registerBrand(api, 'Handles');
      const feedId = await createFeed(api, key, {
        name: 'Shopify',
        storeUrl: 'shop.example.com/',
        defaultCurrency: 'USD',
      });
      const feed = await api.gqlOk(
        'query($id: ID!) { feed(id: $id) { storeUrl linkTemplate language } }',
        { id: feedId },
        key,
      );
      // The bare host is taken as https and the trailing slash dropped.
      expect(feed.feed).toEqual({ storeUrl: 'https://shop.example.com', linkTemplate: null, language: 'en' });
      const run = await ingest(
        api,
        key,
        feedId,
        onLoopback('shopify/products_export_demo.csv', ['cdn.shopify.com'], host.base),
      );
      await api.gqlOk(PUBLISH, { runId: run.id }, key);
      const { products } = await api.gqlOk(SEARCH, { brand: brandId });
      const links = new Set(products.edges.map((edge: { node: { link: string } }) => edge.node.link));
      // 21 variants of 20 products: one product page per handle.
      expect(links.size).toBe(20);
      for (const link of links) expect(link).toMatch(/^https:\/\/shop\.example\.com\/products\/[a-z0-9-]+$/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'without storeUrl rejects every item for its link, with a hint naming storeUrl and linkTemplate',
    async () => {
      const { apiKey: key } = await registerBrand(api, 'No store');
      const feedId = await createFeed(api, key, { name: 'Bare', defaultCurrency: 'USD' });
      const run = await ingest(
        api,
        key,
        feedId,
        onLoopback('shopify/products_export_demo.csv', ['cdn.shopify.com'], host.base),
        '?validateOnly=true',
      );
      expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 0, itemsRejected: 21 });
      const { ingestionRun } = await api.gqlOk(ISSUES, { id: run.id }, key);
      expect(ingestionRun.issues.totalCount).toBe(21);
      expect(ingestionRun.issues.nodes[0].hint).toContain('storeUrl');
      expect(ingestionRun.issues.nodes[0].hint).toContain('linkTemplate');

      // Without defaultCurrency the bare prices are the problem, and the hint names that setting.
      const noCurrency = await createFeed(api, key, { name: 'No currency', storeUrl: 'https://shop.example' });
      const priced = await ingest(
        api,
        key,
        noCurrency,
        onLoopback('shopify/products_export_demo.csv', ['cdn.shopify.com'], host.base),
        '?validateOnly=true',
      );
      const missing = await api.gqlOk(
        `query($id: ID!) { ingestionRun(id: $id) { issues(filter: { code: MISSING_CURRENCY }, first: 1) { totalCount nodes { hint } } } }`,
        { id: priced.id },
        key,
      );
      // 21 prices, and 16 sale prices (the variants whose compare-at price is higher).
      expect(missing.ingestionRun.issues.totalCount).toBe(37);
      expect(missing.ingestionRun.issues.nodes[0].hint).toContain('defaultCurrency');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "reads a Vendure export in the feed's language, through the pipeline to the live catalog",
    async () => {
      const { id: brandId, apiKey: key } = await registerBrand(api, 'Vendure');
      const feedId = await createFeed(api, key, {
        name: 'Vendure DE',
        language: 'de',
        storeUrl: 'https://vendure.example',
        defaultCurrency: 'EUR',
      });
      const image = `${host.base}/vendure/hat.jpg`;
      const csv = [
        'name:en,name:de,slug:en,slug:de,description:en,description:de,assets,facets:en,optionGroups:en,optionGroups:de,optionValues:en,optionValues:de,sku,price,stockOnHand',
        `Hat,Hut,hat,hut,A warm hat.,Ein warmer Hut.,${image},brand:Acme,size,Größe,S,S,HAT-S,10.00,5`,
        ',,,,,,,,,,M,M,HAT-M,11.00,5',
        `Scarf,,scarf,,A long scarf.,,${image},brand:Acme,,,,,SCARF,20.00,3`,
      ].join('\n');
      const run = await ingest(api, key, feedId, Buffer.from(csv));
      expect(run).toMatchObject({ status: 'SUCCEEDED', dialect: 'VENDURE', itemsAccepted: 3, errors: 0 });
      await api.gqlOk(PUBLISH, { runId: run.id }, key);
      const { products } = await api.gqlOk(
        'query($brand: ID!) { products(filter: { brandIds: [$brand] }, first: 10) { edges { node { offerId title description link } } } }',
        { brand: brandId },
      );
      const live = products.edges
        .map((edge: { node: Record<string, string> }) => edge.node)
        .sort((a: { offerId: string }, b: { offerId: string }) => a.offerId.localeCompare(b.offerId));
      expect(live).toEqual([
        {
          offerId: 'HAT-M',
          title: 'Hut',
          description: 'Ein warmer Hut.',
          link: 'https://vendure.example/products/hut',
        },
        {
          offerId: 'HAT-S',
          title: 'Hut',
          description: 'Ein warmer Hut.',
          link: 'https://vendure.example/products/hut',
        },
        // Not translated: the English text, rather than nothing.
        {
          offerId: 'SCARF',
          title: 'Scarf',
          description: 'A long scarf.',
          link: 'https://vendure.example/products/scarf',
        },
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it('validates storeUrl, linkTemplate and language with specific messages', async () => {
    const { apiKey: key } = await registerBrand(api, 'Settings');
    // Expected failures: userErrors naming the input field, the feed null.
    const bad = async (input: Record<string, unknown>) => {
      const res = await api.gql(
        'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } userErrors { code message field } } }',
        { input: { name: 'x', ...input } },
        key,
      );
      expect([res.errors, res.data?.createFeed.feed]).toEqual([undefined, null]);
      return res.data?.createFeed.userErrors[0];
    };
    const field = (name: string) => ({ code: 'BAD_USER_INPUT', field: ['input', name] });
    expect(await bad({ storeUrl: 'ftp://shop.example' })).toMatchObject(field('storeUrl'));
    expect(await bad({ storeUrl: 'https://shop.example/?ref=1' })).toMatchObject(field('storeUrl'));
    expect((await bad({ linkTemplate: '/products/{handle}' }))?.message).toMatch(/must start with \{store\}/);
    expect(await bad({ linkTemplate: '{store}/products/{handle' })).toMatchObject(field('linkTemplate'));
    expect(await bad({ language: 'english' })).toMatchObject(field('language'));
    expect((await bad({ linkTemplate: '{store}/p/{id}' }))?.message).toMatch(/no storeUrl/);
    const feedId = await createFeed(api, key, {
      name: 'Vendure DE',
      language: 'DE',
      storeUrl: 'https://vendure.example',
      linkTemplate: '{store}/de/product/{handle}',
    });
    const update = `mutation($input: UpdateFeedInput!) { updateFeed(input: $input) {
      feed { language storeUrl linkTemplate } userErrors { code field } } }`;
    const updated = await api.gqlOk(update, { input: { feedId, linkTemplate: '' } }, key);
    expect(updated.updateFeed.feed).toEqual({
      language: 'de',
      storeUrl: 'https://vendure.example',
      linkTemplate: null,
    });
    // Clearing storeUrl under a template that needs it is refused, and changes nothing.
    await api.gqlOk(update, { input: { feedId, linkTemplate: '{store}/p/{id}' } }, key);
    const cleared = await api.gql(update, { input: { feedId, storeUrl: '' } }, key);
    expect(cleared.data?.updateFeed).toEqual({
      feed: null,
      userErrors: [{ code: 'BAD_USER_INPUT', field: ['input', 'storeUrl'] }],
    });
    const kept = await api.gqlOk('query($id: ID!) { feed(id: $id) { storeUrl } }', { id: feedId }, key);
    expect(kept.feed.storeUrl).toBe('https://vendure.example');
  });
});
