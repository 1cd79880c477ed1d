import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkUrl } from '@brandshelf/catalog-rules';
import type { LookupAll } from '@brandshelf/net';
import {
  createFeed,
  registerBrand,
  settleRuns,
  startTestApi,
  testJpeg,
  uploadFeed,
  waitForRun,
  type RunView,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../../apps/api/src/create-api.js';

/**
 * Every user-supplied URL the server fetches, aimed at a loopback listener (the trap) through every spelling of a
 * loopback address and through redirects, with the SSRF guard on: the only allow-listed host is 127.0.0.2, where
 * a redirector sends each request on to the trap on 127.0.0.1 / ::1. Each attempt must end with a BLOCKED_ADDRESS
 * diagnostic and the trap must accept no connection at all. Surfaces: a URL feed's fetch, product images
 * (image_link and additional_image_link) and a Shopify store's domain. Not fetched, so not here: a feed's
 * storeUrl and linkTemplate (they only build links), Shopify webhooks (inbound only). Nothing here leaves loopback:
 * every form below is 127.0.0.1, ::1 or the unspecified address, and names resolve through a lookup that knows
 * only `localhost`.
 */

const ALLOWED_HOST = '127.0.0.2';

/** Ways of writing "this machine" that the guard must see through, with the port of the trap. */
const loopbackForms = (port: number): Array<[string, string]> => [
  ['dotted quad', `127.0.0.1:${port}`],
  ['IPv4-mapped IPv6, dotted', `[::ffff:127.0.0.1]:${port}`],
  ['IPv4-mapped IPv6, hex', `[::ffff:7f00:1]:${port}`],
  ['decimal', `2130706433:${port}`],
  ['hexadecimal', `0x7f000001:${port}`],
  ['octal', `0177.0.0.1:${port}`],
  ['short form', `127.1:${port}`],
  ['zero (0.0.0.0)', `0:${port}`],
  ['IPv6 loopback', `[::1]:${port}`],
  ['IPv6 unspecified', `[::]:${port}`],
  ['localhost', `localhost:${port}`],
];

/** DNS for this file: `localhost` only. No other name is ever looked up, so no query leaves the machine. */
const lookup: LookupAll = async (hostname) => {
  if (hostname === 'localhost')
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  throw Object.assign(new Error(`${hostname} is not resolved in this test`), { code: 'ENOTFOUND' });
};

interface Trap {
  port: number;
  /** TCP connections accepted, on 127.0.0.1 and ::1 together. */
  connections: number;
  close(): Promise<void>;
}

/** A listener that must never be reached: it counts every TCP connection, before any byte is read. */
async function startTrap(): Promise<Trap> {
  const servers = [createTcpServer(), createTcpServer()];
  const trap = { port: 0, connections: 0 } as Trap;
  for (const server of servers)
    server.on('connection', (socket) => {
      trap.connections++;
      socket.destroy();
    });
  await new Promise<void>((resolve) => servers[0].listen(0, '127.0.0.1', resolve));
  trap.port = (servers[0].address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => servers[1].once('error', reject).listen(trap.port, '::1', resolve));
  trap.close = async () => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return trap;
}

interface Redirector {
  base: string;
  /** Paths asked for, so a test can tell the redirect was followed up to the forbidden hop. */
  requests: string[];
  server: Server;
}

/**
 * The allow-listed host: /to/<n> answers 302 to loopback form n, /feed.csv and /photo.jpg are real content (the
 * control), and any POST (the Shopify Admin API) is redirected to the first form.
 */
async function startRedirector(targets: string[], photo: Buffer): Promise<Redirector> {
  const requests: string[] = [];
  const csv = 'id,title,description,link,price,brand\nOK1,Fine,Desc,https://shop.example/ok1,1.00 USD,Acme\n';
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const hop = /^\/to\/(\d+)(\/.*)?$/.exec(req.url ?? '');
    if (req.method === 'POST') res.writeHead(302, { location: `http://${targets[0]}/admin` }).end();
    else if (hop) res.writeHead(302, { location: `http://${targets[Number(hop[1])]}${hop[2] ?? '/'}` }).end();
    else if (req.url === '/feed.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
    else if (req.url === '/photo.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, ALLOWED_HOST, resolve));
  return { base: `http://${ALLOWED_HOST}:${(server.address() as AddressInfo).port}`, requests, server };
}

const IMAGE_HEADER = 'id,title,description,link,image_link,additional_image_link,availability,price,brand,mpn';
const imageRow = (id: string, image: string, additional = '') =>
  [
    id,
    `Product ${id}`,
    'A product.',
    `https://shop.example/${id}`,
    image,
    additional,
    'in stock',
    '10.00 USD',
    'Acme',
    id,
  ]
    .map((cell) => (cell.includes(',') ? `"${cell}"` : cell))
    .join(',');

describe('SSRF through loopback spellings and redirects, with the guard on', () => {
  let api: TestApi;
  let key: string;
  let trap: Trap;
  let redirector: Redirector;
  let forms: Array<[string, string]>;

  beforeAll(async () => {
    trap = await startTrap();
    forms = loopbackForms(trap.port);
    redirector = await startRedirector(
      forms.map(([, host]) => host),
      await testJpeg(600, 600, { r: 40, g: 90, b: 160 }),
    );
    api = await startTestApi(
      createApi,
      { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: ALLOWED_HOST, WORKER_CONCURRENCY: '4' },
      { lookup },
    );
    key = (await registerBrand(api, 'Guarded Brand')).apiKey;
  }, 120_000);

  afterAll(async () => {
    if (api) await settleRuns(api, 120_000).catch(() => undefined);
    await api?.close();
    redirector?.server.closeAllConnections();
    redirector?.server.close();
    await trap?.close();
  }, 180_000);

  it('the trap is reachable through every form when nothing guards the connection (so a miss would show)', async () => {
    for (const [name, host] of forms) {
      const hostname = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
      const address = hostname === 'localhost' ? '127.0.0.1' : hostname;
      const before = trap.connections;
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: address, port: trap.port }, () => {
          socket.destroy();
          resolve();
        }).on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect([name, trap.connections - before]).toEqual([name, 1]);
    }
    trap.connections = 0;
  });

  it('fetches from the allow-listed host itself (the start of every redirect below is allowed)', async () => {
    const feedId = await createFeed(api, key, { name: 'Allowed', source: 'URL', url: `${redirector.base}/feed.csv` });
    const run = await fetchNow(feedId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsRead: 1 }); // fetched and read (its item has no image)
  });

  async function fetchNow(feedId: string): Promise<RunView> {
    const data = await api.gqlOk<{ fetchFeedNow: { run: { id: string } } }>(
      'mutation($id: ID!) { fetchFeedNow(input: { feedId: $id }) { run { id } userErrors { code message } } }',
      { id: feedId },
      key,
    );
    return waitForRun(api, key, data.fetchFeedNow.run.id, 240_000);
  }

  it('refuses a feed URL in every loopback form, directly and behind a redirect, and never connects', async () => {
    const attempts = forms.flatMap(([name, host], i) => [
      { what: `${name} (direct)`, url: `http://${host}/feed.csv`, viaRedirect: null as string | null },
      {
        what: `${name} (302 from ${ALLOWED_HOST})`,
        url: `${redirector.base}/to/${i}/feed.csv`,
        viaRedirect: `/to/${i}`,
      },
    ]);
    const runs = await Promise.all(
      attempts.map(async (attempt) => {
        const feedId = await createFeed(api, key, { name: attempt.what, source: 'URL', url: attempt.url });
        return { ...attempt, run: await fetchNow(feedId) };
      }),
    );
    for (const { what, viaRedirect, run } of runs) {
      expect([what, run.status, run.error?.code]).toEqual([what, 'FAILED', 'FETCH_BLOCKED_ADDRESS']);
      expect([what, run.error!.message]).toEqual([what, expect.stringMatching(/loopback|unspecified/)]);
      if (viaRedirect) expect(redirector.requests).toContain(`GET ${viaRedirect}/feed.csv`);
    }
    expect(trap.connections).toBe(0);
  }, 300_000); // 22 runs through the queue: a few seconds on PostgreSQL, longer embedded on a loaded machine

  it('refuses product images in every loopback form, directly and behind a redirect, and never connects', async () => {
    const rows = forms.flatMap(([, host], i) => [
      imageRow(`D${i}`, `http://${host}/img.jpg`),
      imageRow(`R${i}`, `${redirector.base}/to/${i}/img.jpg`),
      // The main image is fine; the additional one is the attack.
      imageRow(`A${i}`, `${redirector.base}/photo.jpg`, `http://${host}/more.jpg`),
    ]);
    const feedId = await createFeed(api, key, { name: 'Images' });
    const upload = await uploadFeed(api, key, feedId, [IMAGE_HEADER, ...rows].join('\n'));
    expect(upload.status).toBe(202);
    const staged = await waitForRun(api, key, upload.json.runId, 120_000);
    expect(staged.status).toBe('SUCCEEDED');
    await settleRuns(api, 120_000);
    const { ingestionRun } = await api.gqlOk(
      `query($id: ID!) { ingestionRun(id: $id) { issues(first: 200) { nodes { itemId code severity attribute message } } } }`,
      { id: staged.id },
      key,
    );
    const issues = ingestionRun.issues.nodes as { itemId: string; code: string; attribute: string; message: string }[];
    for (const [i, [name, host]] of forms.entries()) {
      for (const [id, url, severity, attribute] of [
        [`D${i}`, `http://${host}/img.jpg`, 'ERROR', 'image_link'],
        [`R${i}`, `${redirector.base}/to/${i}/img.jpg`, 'ERROR', 'image_link'],
        [`A${i}`, `http://${host}/more.jpg`, 'WARNING', 'additional_image_link'],
      ]) {
        // A host without a dot (2130706433, [::1], localhost) is no public URL: the feed's validation refuses it
        // with INVALID_URL before anything is fetched. Every other form reaches the guard and is blocked there.
        const code = checkUrl(url).url === null ? 'INVALID_URL' : 'IMAGE_BLOCKED_ADDRESS';
        const found = issues.find((n) => n.itemId === id && n.attribute === attribute && n.code === code);
        expect([name, id, found]).toEqual([name, id, expect.objectContaining({ severity })]);
        if (code === 'IMAGE_BLOCKED_ADDRESS')
          expect([name, found!.message]).toEqual([name, expect.stringMatching(/loopback|unspecified/)]);
      }
      expect(redirector.requests).toContain(`GET /to/${i}/img.jpg`);
    }
    const reachGuard = forms.filter(([, host]) => checkUrl(`http://${host}/img.jpg`).url !== null).map(([n]) => n);
    expect(reachGuard).toEqual(expect.arrayContaining(['dotted quad', 'octal', 'short form']));
    expect(trap.connections).toBe(0);
  }, 240_000);

  it('refuses a Shopify store domain in every loopback form, and a store whose API redirects, and never connects', async () => {
    const connectStore = (shopDomain: string) =>
      api.gql(
        'mutation($input: ConnectShopifyStoreInput!) { connectShopifyStore(input: $input) { shopifyStore { id } userErrors { code field } } }',
        { input: { shopDomain, accessToken: 'shpat_ssrf_test_token', webhookSecret: 'ssrf-test-secret' } },
        key,
      );
    for (const [name, host] of forms) {
      for (const shopDomain of [host, `http://${host}`, `https://${host}/admin`]) {
        const res = await connectStore(shopDomain);
        const refusal = res.data?.connectShopifyStore.userErrors[0]?.code;
        expect([name, shopDomain, refusal]).toEqual([name, shopDomain, 'BAD_USER_INPUT']);
      }
    }
    // The allow-listed host is accepted as a store, but its Admin API answers 302 to the trap: not followed.
    const before = redirector.requests.length;
    const redirected = await connectStore(new URL(redirector.base).host);
    expect(redirected.data?.connectShopifyStore.userErrors[0]?.code).toBe('BAD_USER_INPUT');
    const asked = redirector.requests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((request) => !/^POST \/admin\/api\//.test(request))).toEqual([]);
    const { shopifyStores, feeds } = await api.gqlOk(
      '{ shopifyStores { nodes { id } } feeds(first: 100) { nodes { source } } }',
      {},
      key,
    );
    expect(shopifyStores.nodes).toEqual([]);
    expect(feeds.nodes.filter((f: { source: string }) => f.source === 'SHOPIFY')).toEqual([]);
    expect(trap.connections).toBe(0);
  });
});
