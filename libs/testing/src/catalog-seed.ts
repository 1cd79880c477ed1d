import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { createFeed, ingest, type RunView } from './ingestion-helpers.js';
import { registerBrand, type TestApi } from './test-api.js';
import { productId, rawId } from './global-ids.js';

/** What a seeded API needs: images fetched (from loopback only) so products publish with renditions. */
export const SEED_ENV: Record<string, string> = { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: '127.0.0.1' };

/** A plain JPEG of one colour, made here rather than stored. */
export function testJpeg(width: number, height: number, background: { r: number; g: number; b: number }) {
  return sharp({ create: { width, height, channels: 3, background } })
    .jpeg()
    .toBuffer();
}

export interface ImageHost {
  /** http://127.0.0.1:<port> */
  base: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering the given paths with the given bytes (image/jpeg), 404 otherwise. */
export async function startImageHost(files: Record<string, Buffer>): Promise<ImageHost> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (!body) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SeededCatalog {
  brand: { id: string; apiKey: string };
  creator: { id: string; apiKey: string };
  feedId: string;
  /** The run that read the seed feed; published, with one rejected row and warnings in its issues. */
  run: RunView;
  /** Live product ids (global, as the API answers them), by offer id (the feed's `id` column). */
  products: Record<string, string>;
  imageHost: ImageHost;
  /** Waits for every run still queued or running (a test may start more), then stops the image host. */
  close(): Promise<void>;
}

const HEADER =
  'id,item_group_id,title,description,link,image_link,additional_image_link,availability,price,sale_price,brand,' +
  'google_product_category,color,size,gender,gtin,condition';

/**
 * A small live catalog on an API started with SEED_ENV: a brand and a creator, an upload feed of trail running
 * shoes (one item group in two colours, a jacket on sale, and a row without a price that is rejected), images
 * served from loopback and processed, and the run published. Enough for any catalog, run or issue query to
 * return data.
 */
export async function seedCatalog(api: TestApi, name = 'Seed Outdoor'): Promise<SeededCatalog> {
  const imageHost = await startImageHost({
    '/shoe-red.jpg': await testJpeg(800, 800, { r: 200, g: 30, b: 30 }),
    '/shoe-blue.jpg': await testJpeg(800, 800, { r: 30, g: 60, b: 200 }),
    '/shoe-side.jpg': await testJpeg(900, 600, { r: 90, g: 90, b: 90 }),
    '/jacket.jpg': await testJpeg(700, 900, { r: 20, g: 120, b: 60 }),
  });
  const img = (path: string) => `${imageHost.base}${path}`;
  const rows = [
    [
      'TRS-RED-42',
      'TRS',
      'Trail Runner Shoe',
      'Lightweight trail running shoe with a grippy sole.',
      'https://shop.example/trail-runner-red',
      img('/shoe-red.jpg'),
      img('/shoe-side.jpg'),
      'in stock',
      '89.99 USD',
      '',
      name,
      'Apparel & Accessories > Shoes',
      'Red',
      '42',
      'unisex',
      '4006381333931',
      'new',
    ],
    [
      'TRS-BLUE-43',
      'TRS',
      'Trail Runner Shoe',
      'Lightweight trail running shoe with a grippy sole.',
      'https://shop.example/trail-runner-blue',
      img('/shoe-blue.jpg'),
      img('/shoe-side.jpg'),
      'in stock',
      '89.99 USD',
      '69.99 USD',
      name,
      'Apparel & Accessories > Shoes',
      'Blue',
      '43',
      'unisex',
      '',
      'new',
    ],
    [
      'JKT-1',
      '',
      'Trail Runner Rain Jacket',
      'Packable rain jacket for trail runners.',
      'https://shop.example/rain-jacket',
      img('/jacket.jpg'),
      '',
      'in stock',
      '129.00 USD',
      '99.00 USD',
      name,
      'Apparel & Accessories > Clothing',
      'Green',
      'M',
      'female',
      '',
      'new',
    ],
    // No price: rejected, so the run has an ERROR in its issues.
    [
      'CAP-1',
      '',
      'Trail Cap',
      'A cap.',
      'https://shop.example/cap',
      img('/jacket.jpg'),
      '',
      'in stock',
      '',
      '',
      name,
      '',
      '',
      '',
      '',
      '',
      'new',
    ],
  ];
  const csv = [HEADER, ...rows.map((r) => r.join(','))].join('\n') + '\n';

  const brand = await registerBrand(api, name);
  const creatorData = await api.gqlOk<{ registerCreator: { creator: { id: string }; apiKey: string } }>(
    'mutation($input: RegisterCreatorInput!) { registerCreator(input: $input) { creator { id } apiKey userErrors { code } } }',
    { input: { email: `creator-${Date.now()}@example.test`, handle: `creator${Date.now()}` } },
  );
  const feedId = await createFeed(api, brand.apiKey, { name: `${name} catalog` });
  const run = await ingest(api, brand.apiKey, feedId, csv);
  if (run.status !== 'SUCCEEDED') throw new Error(`seed run ${run.status}: ${JSON.stringify(run.error)}`);
  await api.gqlOk(
    'mutation($input: PublishRunInput!) { publishRun(input: $input) { publication { created } userErrors { code message } } }',
    { input: { runId: run.id } },
    brand.apiKey,
  );
  const live = (await api.runtime.dataSource.query('SELECT id, offer_id FROM catalog_product WHERE feed_id = $1', [
    rawId(feedId),
  ])) as { id: string; offer_id: string }[];
  if (live.length < 3) throw new Error(`seed published ${live.length} products: ${JSON.stringify(run.issueSummary)}`);

  return {
    brand,
    creator: { id: creatorData.registerCreator.creator.id, apiKey: creatorData.registerCreator.apiKey },
    feedId,
    run,
    products: Object.fromEntries(live.map((p) => [p.offer_id, productId(p.id)])),
    imageHost,
    async close() {
      await settleRuns(api);
      await imageHost.close();
    },
  };
}

/** Waits until no ingestion run is queued or running, so closing the API interrupts nothing. */
export async function settleRuns(api: TestApi, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = (await api.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM ingestion_run WHERE status IN ('QUEUED', 'RUNNING')`,
    )) as { n: number }[];
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`${n} runs still unfinished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
