import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreativesService } from '@brandshelf/ads';
import { CREATIVE_LAYOUTS, CREATIVE_TEMPLATES, type CreativeTemplate, type Rect } from '@brandshelf/media';
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
 * Ad creatives (issue 13): a brand's live product drawn on each template, from the renditions the real image pipeline
 * made of a loopback host's photo, stored content-addressed and served from /media; read back and checked pixel by
 * pixel where the layout puts the text.
 */
const HEADER = 'id,title,description,link,image_link,availability,price,sale_price,brand';
const HOSTILE_TITLE = `He said "hi" <b>bold</b> & ]]> <![CDATA[x]]> 😀 נעלי ריצה`;

const row = (id: string, title: string, price: string, sale: string, image: string) =>
  [
    id,
    `"${title.replace(/"/g, '""')}"`,
    'A product.',
    `https://shop.example/${id}`,
    image,
    'in stock',
    price,
    sale,
    'Acme',
  ].join(',');

const RENDER = `mutation($input: RenderCreativeInput!) {
  renderCreative(input: $input) {
    creative { productId template url width height format key reused }
    userErrors { code message field }
  }
}`;

interface CreativeView {
  productId: string;
  template: CreativeTemplate;
  url: string;
  width: number;
  height: number;
  format: string;
  key: string;
  reused: boolean;
}

/** Decoded pixels of a served creative. */
class Pixels {
  constructor(
    readonly data: Buffer,
    readonly width: number,
  ) {}

  luminance(x: number, y: number): number {
    const i = (y * this.width + x) * 3;
    return 0.2126 * this.data[i] + 0.7152 * this.data[i + 1] + 0.0722 * this.data[i + 2];
  }

  /** Light pixels in the region: text drawn on the dark panel. */
  bright(rect: Rect): number {
    let n = 0;
    for (let y = rect.y; y < rect.y + rect.height; y++)
      for (let x = rect.x; x < rect.x + rect.width; x++) if (this.luminance(x, y) > 110) n++;
    return n;
  }

  /** The longest horizontal run of light pixels in any row of the region: a strike is long, glyph strokes short. */
  longestRun(rect: Rect): number {
    let best = 0;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      let run = 0;
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        run = this.luminance(x, y) > 110 ? run + 1 : 0;
        best = Math.max(best, run);
      }
    }
    return best;
  }
}

describe('ad creatives (e2e: real pipeline, loopback image host, /media)', () => {
  let api: TestApi;
  let host: ImageHost;
  let acme: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let feedId: string;
  let products: Record<string, string>;
  let service: CreativesService;

  const publish = async (rows: string[]) => {
    const run = await ingest(api, acme.apiKey, feedId, [HEADER, ...rows].join('\n') + '\n');
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }',
      { runId: run.id },
      acme.apiKey,
    );
  };
  const render = async (productId: string, template: CreativeTemplate, key = acme.apiKey) =>
    api.gql<{
      renderCreative: {
        creative: CreativeView | null;
        userErrors: { code: string; message: string; field: string[] | null }[];
      };
    }>(RENDER, { input: { productId, template } }, key);
  const rendered = async (productId: string, template: CreativeTemplate): Promise<CreativeView> => {
    const res = await render(productId, template);
    expect(res.errors).toBeUndefined();
    expect(res.data!.renderCreative.userErrors).toEqual([]);
    return res.data!.renderCreative.creative!;
  };
  /** The served file, through /media (PUBLIC_BASE_URL is only known once the test server listens). */
  const served = async (creative: CreativeView) => {
    const res = await fetch(api.url + new URL(creative.url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await res.arrayBuffer());
    const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { meta: await sharp(bytes).metadata(), pixels: new Pixels(data, info.width) };
  };

  beforeAll(async () => {
    api = await startTestApi(createApi, SEED_ENV);
    host = await startImageHost({ '/p.jpg': await testJpeg(900, 700, { r: 20, g: 140, b: 220 }) });
    acme = await registerBrand(api, 'Acme');
    other = await registerBrand(api, 'Other');
    feedId = await createFeed(api, acme.apiKey, { name: 'Acme catalog' });
    await publish([
      row('SALE-1', 'Road Runner Shoe', '120.00 USD', '99.00 USD', `${host.base}/p.jpg`),
      row('FULL-1', 'Winter Boot', '150.00 USD', '', `${host.base}/p.jpg`),
      row('ODD-1', HOSTILE_TITLE, '15.00 USD', '', `${host.base}/p.jpg`),
    ]);
    const live = (await api.runtime.dataSource.query('SELECT id, offer_id FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ])) as { id: string; offer_id: string }[];
    products = Object.fromEntries(
      live.map((p) => [p.offer_id, Buffer.from(`Product:${p.id}`, 'utf8').toString('base64url')]),
    );
    service = api.app.get(CreativesService);
  }, 180_000);

  afterAll(async () => {
    if (api) await settleRuns(api);
    await host?.close();
    await api?.close();
  });

  it.each(CREATIVE_TEMPLATES)(
    '%s: the template’s pixel size, served from /media, with text where the layout puts it',
    async (template) => {
      const layout = CREATIVE_LAYOUTS[template];
      const creative = await rendered(products['SALE-1'], template);
      expect(creative).toMatchObject({
        productId: products['SALE-1'],
        template,
        width: layout.width,
        height: layout.height,
        format: 'jpeg',
      });
      expect(new URL(creative.url).pathname).toBe(`/media/${creative.key}`);
      const { meta, pixels } = await served(creative);
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', layout.width, layout.height]);
      // The panel differs from its blank background where the brand, title and both prices are drawn.
      for (const box of [layout.brand, layout.title, layout.regularPrice, layout.price]) {
        expect(pixels.bright(box)).toBeGreaterThan(200);
      }
      const blank = { x: layout.band.x + layout.band.width - 30, y: layout.band.y + layout.band.height - 30 };
      expect(pixels.bright({ ...blank, width: 20, height: 20 })).toBe(0);
    },
  );

  it('strikes through the regular price of a product on sale, and draws none for one that is not', async () => {
    for (const template of CREATIVE_TEMPLATES) {
      const box = CREATIVE_LAYOUTS[template].regularPrice;
      const sale = (await served(await rendered(products['SALE-1'], template))).pixels;
      const full = (await served(await rendered(products['FULL-1'], template))).pixels;
      expect(sale.longestRun(box)).toBeGreaterThan(80);
      expect(full.bright(box)).toBe(0);
      expect(full.bright(CREATIVE_LAYOUTS[template].price)).toBeGreaterThan(200);
    }
  });

  it('renders a creative asked for twice at once only once', async () => {
    const before = service.rendered;
    const [a, b] = await Promise.all([
      rendered(products['ODD-1'], 'STORY_1080x1920'),
      rendered(products['ODD-1'], 'STORY_1080x1920'),
    ]);
    expect(a.key).toBe(b.key);
    expect([a.reused, b.reused].sort()).toEqual([false, true]);
    expect(service.rendered).toBe(before + 1);
  });

  it('draws a hostile title (quotes, markup, &, ]]>, emoji, right-to-left) as text', async () => {
    const creative = await rendered(products['ODD-1'], 'SQUARE_1080');
    const { pixels } = await served(creative);
    expect(pixels.bright(CREATIVE_LAYOUTS.SQUARE_1080.title)).toBeGreaterThan(500);
  });

  /** Product.creatives, read without a key (the catalog is public): template → key. */
  const listed = async (productId: string) => {
    const { product } = await api.gqlOk<{ product: { creatives: { template: string; key: string; url: string }[] } }>(
      'query($id: ID!) { product(id: $id) { creatives { template key url width height format } } }',
      { id: productId },
    );
    return Object.fromEntries(product.creatives.map((c) => [c.template, c.key]));
  };

  it('answers the same key for the same inputs without rendering again, and a new key once the product changes', async () => {
    const first = await rendered(products['FULL-1'], 'LANDSCAPE_1200x628');
    expect((await listed(products['FULL-1'])).LANDSCAPE_1200x628).toBe(first.key);
    const before = service.rendered;
    const again = await rendered(products['FULL-1'], 'LANDSCAPE_1200x628');
    expect(again).toEqual({ ...first, reused: true });
    expect(service.rendered).toBe(before);

    // A new price and title, published: the product keeps its id, its creative gets a new key and file.
    await publish([
      row('SALE-1', 'Road Runner Shoe', '120.00 USD', '99.00 USD', `${host.base}/p.jpg`),
      row('FULL-1', 'Winter Boot Pro', '140.00 USD', '', `${host.base}/p.jpg`),
      row('ODD-1', HOSTILE_TITLE, '15.00 USD', '', `${host.base}/p.jpg`),
    ]);
    // Product.creatives lists the current content's creatives only: the old one is gone until it is rendered again.
    expect((await listed(products['FULL-1'])).LANDSCAPE_1200x628).toBeUndefined();
    const changed = await rendered(products['FULL-1'], 'LANDSCAPE_1200x628');
    expect((await listed(products['FULL-1'])).LANDSCAPE_1200x628).toBe(changed.key);
    expect(changed.key).not.toBe(first.key);
    expect(changed.reused).toBe(false);
    expect(service.rendered).toBe(before + 1);
    // Unchanged products keep their keys across the publish.
    const sale = await rendered(products['SALE-1'], 'LANDSCAPE_1200x628');
    expect(sale.reused).toBe(true);
    // The old file stays where it was for CREATIVE_PRUNE_GRACE_HOURS (24 here: ads already running keep working),
    // the new one is served too. creatives-storage.e2e covers the prune itself.
    expect((await fetch(api.url + new URL(first.url).pathname)).status).toBe(200);
    expect((await served(changed)).meta.width).toBe(1200);
  });

  it('answers NOT_FOUND to another brand and UNAUTHENTICATED without a key, rendering nothing', async () => {
    const before = service.rendered;
    const res = await render(products['SALE-1'], 'STORY_1080x1920', other.apiKey);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.data?.renderCreative ?? null).toBeNull();
    const anonymous = await api.gql(RENDER, { input: { productId: products['SALE-1'], template: 'STORY_1080x1920' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(service.rendered).toBe(before);
    // Nor is it recorded for the other brand.
    const [{ n }] = await api.runtime.dataSource.query('SELECT count(*)::int AS n FROM creative WHERE brand_id = $1', [
      rawId(other.id),
    ]);
    expect(n).toBe(0);
  });

  it('lists every template rendered, in template order, on Product.creatives and on a page of search results', async () => {
    for (const template of CREATIVE_TEMPLATES) await rendered(products['SALE-1'], template);
    expect(Object.keys(await listed(products['SALE-1']))).toEqual([...CREATIVE_TEMPLATES]);
    const { products: page } = await api.gqlOk<{
      products: { nodes: { offerId: string; creatives: { template: string }[] }[] };
    }>('{ products(first: 10) { nodes { offerId creatives { template } } } }');
    const byOffer = Object.fromEntries(page.nodes.map((p) => [p.offerId, p.creatives.map((c) => c.template)]));
    expect(byOffer['SALE-1']).toEqual([...CREATIVE_TEMPLATES]);
  });
});

describe('ad creatives without processed images (IMAGES_ENABLED=false)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'false' });
  }, 120_000);

  afterAll(async () => {
    if (api) await settleRuns(api);
    await api?.close();
  });

  it('answers the userError NO_PROCESSED_IMAGE with what to do, not a crash', async () => {
    const brand = await registerBrand(api, 'Imageless');
    const feedId = await createFeed(api, brand.apiKey, { name: 'No images' });
    const run = await ingest(
      api,
      brand.apiKey,
      feedId,
      [HEADER, row('NOIMG-1', 'Camp Mug', '15.00 USD', '', 'https://img.example/mug.jpg')].join('\n') + '\n',
    );
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }',
      { runId: run.id },
      brand.apiKey,
    );
    const [{ id }] = await api.runtime.dataSource.query('SELECT id FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    const res = await api.gql(
      RENDER,
      { input: { productId: Buffer.from(`Product:${id}`).toString('base64url'), template: 'SQUARE_1080' } },
      brand.apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.renderCreative.creative).toBeNull();
    const [error] = res.data!.renderCreative.userErrors;
    expect(error).toMatchObject({ code: 'NO_PROCESSED_IMAGE', field: ['input', 'productId'] });
    expect(error.message).toContain('NOIMG-1');
    expect(error.message).toContain('https://img.example/mug.jpg');
    expect(error.message).toMatch(/run the feed .*publish/);
  });
});
