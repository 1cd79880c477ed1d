import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fakeProduct, productNodeOf, registerBrand, startTestApi, waitForRun, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * connectShopifyStore and a sync against a loopback store that answers badly: JSON of another shape is a
 * userError (not INTERNAL_SERVER_ERROR), and a products listing that gives the same page cursor again fails the
 * run with SHOPIFY_BAD_RESPONSE and its hint (not a sync that reads forever, kept alive by its heartbeat).
 */

const TOKEN = 'shpat_hostile_e2e_0123456789abcdef';
const CONNECT = `mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) {
  shopifyStore { id feedId } userErrors { code message field } } }`;
const SYNC = `mutation($feedId: ID!) { syncShopifyStore(input: { feedId: $feedId, full: true }) {
  run { id } userErrors { code message } } }`;

const SHOP = { name: 'Hostile', currencyCode: 'USD', myshopifyDomain: 'h.myshopify.com', primaryDomain: null };

describe('Shopify: a store that answers badly (e2e)', () => {
  let api: TestApi;
  let key: string;
  let server: Server;
  let domain: string;
  /** What the store answers to the shop query, and how many products pages it loops for. */
  let shopAnswer: unknown = { shop: SHOP };
  let productPages = 0;
  /** How many shop queries the store has seen, and whether it answers them 503. */
  let shopQueries = 0;
  let shopDown = false;
  const savedEnv: Record<string, string | undefined> = {};
  const ENV = { SHOPIFY_RETRY_BASE_MS: '5', SHOPIFY_MAX_RETRIES: '5', SHOPIFY_SYNC_INTERVAL_MINUTES: '0' };

  beforeAll(async () => {
    for (const [name, value] of Object.entries(ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      let data: unknown;
      if (/\bshop\s*\{/.test(query)) {
        shopQueries++;
        if (shopDown) return void res.writeHead(503).end('down for maintenance');
        data = shopAnswer;
      } else {
        // The same cursor every time; after 200 pages (a reader without the check) it says there is no next page.
        productPages++;
        data = {
          products: {
            pageInfo: { hasNextPage: productPages < 200, endCursor: 'the-same-cursor' },
            nodes: [productNodeOf(fakeProduct(productPages, 1), { mediaFirst: 0 })],
          },
        };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    domain = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = await startTestApi(createApi, { SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Hostile Store Brand')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const connect = async () =>
    api.gql(CONNECT, { input: { shopDomain: domain, accessToken: TOKEN, webhookSecret: 'whsec' } }, key);

  it('answers a shop of another shape with a userError on shopDomain, not INTERNAL_SERVER_ERROR', async () => {
    for (const answer of [{ shop: null }, { shop: { name: 7 } }, { shop: [] }]) {
      shopAnswer = answer;
      const result = await connect();
      expect(result.errors).toBeUndefined();
      const { shopifyStore, userErrors } = result.data!.connectShopifyStore;
      expect(shopifyStore).toBeNull();
      expect(userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'shopDomain'] })]);
      expect(userErrors[0].message).toMatch(/not the Admin API/);
      expect(JSON.stringify(result)).not.toContain(TOKEN);
    }
  });

  it("gives up connecting to a failing store after one retry, not a sync's SHOPIFY_MAX_RETRIES", async () => {
    // Six attempts of up to a minute each held connectShopifyStore for about six minutes against a stalling store.
    shopAnswer = { shop: SHOP };
    shopDown = true;
    shopQueries = 0;
    try {
      const result = await connect();
      expect(result.errors).toBeUndefined();
      const { shopifyStore, userErrors } = result.data!.connectShopifyStore;
      expect(shopifyStore).toBeNull();
      expect(userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'shopDomain'] })]);
      expect(userErrors[0].message).toMatch(/503/);
      expect(shopQueries).toBe(2);
    } finally {
      shopDown = false;
    }
  });

  it('fails a sync whose products listing repeats its page cursor with SHOPIFY_BAD_RESPONSE', async () => {
    shopAnswer = { shop: SHOP };
    const connected = await connect();
    expect(connected.data!.connectShopifyStore.userErrors).toEqual([]);
    const feedId = connected.data!.connectShopifyStore.shopifyStore.feedId;
    const started = await api.gqlOk<{ syncShopifyStore: { run: { id: string } } }>(SYNC, { feedId }, key);
    const run = await waitForRun(api, key, started.syncShopifyStore.run.id);
    expect(run).toMatchObject({ status: 'FAILED', error: { code: 'SHOPIFY_BAD_RESPONSE' } });
    expect(run.error!.message).toMatch(/page loop/);
    expect(productPages).toBe(2);
    expect(JSON.stringify(run)).not.toContain(TOKEN);
  }, 90_000);
});
