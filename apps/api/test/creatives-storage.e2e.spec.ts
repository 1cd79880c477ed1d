import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreativePruner, CreativesService } from '@brandshelf/ads';
import { MEDIA_STORAGE } from '@brandshelf/core';
import { CATALOG_CHANGED } from '@brandshelf/ingestion';
import { QueueService } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import {
  createFeed,
  ingest,
  rawId,
  registerBrand,
  SEED_ENV,
  settleRuns,
  startImageHost,
  startS3,
  startTestApi,
  testJpeg,
  type ImageHost,
  type S3Server,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Creatives count toward a brand's storage and are pruned (README: Ad creatives, Storage): on real PostgreSQL, with
 * the real image pipeline and renderer, on local disk and on s3rver.
 */
const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const row = (id: string, title: string, price: string, image: string) =>
  [id, title, 'A product.', `https://shop.example/${id}`, image, 'in stock', price, 'Acme'].join(',');

const RENDER = `mutation($input: RenderCreativeInput!) {
  renderCreative(input: $input) { creative { key reused } userErrors { code message field } }
}`;
const USAGE = `query { me { ... on BrandPrincipal { brand {
  storageUsage { sourceBytes renditionBytes creativeBytes usedBytes quotaBytes remainingBytes } } } } }`;

type Brand = { id: string; apiKey: string };
type Usage = Record<
  'sourceBytes' | 'renditionBytes' | 'creativeBytes' | 'usedBytes' | 'quotaBytes' | 'remainingBytes',
  number | null
>;

/** One API on the given storage, with a loopback image host, and the helpers the tests share. */
async function harness(env: Record<string, string>, photo?: Buffer) {
  const host: ImageHost = await startImageHost({
    '/p.jpg': photo ?? (await testJpeg(800, 600, { r: 200, g: 90, b: 30 })),
  });
  const api: TestApi = await startTestApi(createApi, { ...SEED_ENV, ...env });
  const media = api.app.get<ObjectStorage>(MEDIA_STORAGE);
  const image = `${host.base}/p.jpg`;

  /** Publishes the rows as the brand's feed; the product ids by offer id. */
  const publish = async (brand: Brand, feedId: string, rows: string[]) => {
    const run = await ingest(api, brand.apiKey, feedId, [HEADER, ...rows].join('\n') + '\n');
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code } } }',
      { runId: run.id },
      brand.apiKey,
    );
    const live = (await api.runtime.dataSource.query('SELECT id, offer_id FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ])) as { id: string; offer_id: string }[];
    return Object.fromEntries(live.map((p) => [p.offer_id, Buffer.from(`Product:${p.id}`).toString('base64url')]));
  };
  /** The payload as answered (the quota test reads its userErrors); no top-level errors. */
  const render = async (brand: Brand, productId: string, template: string) => {
    const res = await api.gql<{
      renderCreative: {
        creative: { key: string; reused: boolean } | null;
        userErrors: { code: string; message: string }[];
      };
    }>(RENDER, { input: { productId, template } }, brand.apiKey);
    expect(res.errors).toBeUndefined();
    return res.data!.renderCreative;
  };
  const usage = async (brand: Brand): Promise<Usage> => {
    const wire = (await api.gqlOk(USAGE, {}, brand.apiKey)).me.brand.storageUsage as Record<string, string | null>;
    // BigInt scalars: decimal strings on the wire.
    for (const value of Object.values(wire)) if (value !== null) expect(value).toMatch(/^\d+$/);
    return Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, v === null ? null : Number(v)])) as Usage;
  };
  /** The brand's creative keys, as the table has them. */
  const rows = async (brand: Brand) =>
    (
      (await api.runtime.dataSource.query('SELECT key FROM creative WHERE brand_id = $1 ORDER BY key', [
        rawId(brand.id),
      ])) as { key: string }[]
    ).map((r) => r.key);
  /** Waits until the brand's CATALOG_CHANGED jobs (sent by its publishes) have run. */
  const pruned = async (brand: Brand) => {
    const queue = api.app.get(QueueService);
    const deadline = Date.now() + 60_000;
    while ((await queue.liveJobs(CATALOG_CHANGED, { brandId: rawId(brand.id) })) > 0) {
      if (Date.now() > deadline) throw new Error('CATALOG_CHANGED still not done after 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const size = async (key: string) => (await media.head(key))?.size ?? null;
  return {
    api,
    media,
    image,
    publish,
    render,
    usage,
    rows,
    pruned,
    size,
    close: async () => {
      await settleRuns(api);
      await api.close();
      await host.close();
    },
  };
}

describe.each(['local', 's3'] as const)('creatives in storage usage and pruning (%s storage)', (driver) => {
  let h: Awaited<ReturnType<typeof harness>>;
  let s3: S3Server | null = null;
  let acme: Brand;
  let twin: Brand;
  let acmeFeed: string;
  let twinFeed: string;
  let acmeIds: Record<string, string>;
  let twinIds: Record<string, string>;

  beforeAll(async () => {
    if (driver === 's3') s3 = await startS3('creatives');
    h = await harness({ CREATIVE_PRUNE_GRACE_HOURS: '0', ...(s3?.env ?? {}) });
    acme = await registerBrand(h.api, 'Acme');
    twin = await registerBrand(h.api, 'Twin');
    acmeFeed = await createFeed(h.api, acme.apiKey, { name: 'Acme' });
    twinFeed = await createFeed(h.api, twin.apiKey, { name: 'Twin' });
    // Twin sells the same product, drawn the same: its creative has the same content key as Acme's.
    acmeIds = await h.publish(acme, acmeFeed, [
      row('SHOE', 'Trail Shoe', '120.00 USD', h.image),
      row('MUG', 'Camp Mug', '15.00 USD', h.image),
    ]);
    twinIds = await h.publish(twin, twinFeed, [row('SHOE', 'Trail Shoe', '120.00 USD', h.image)]);
    await h.pruned(acme);
    await h.pruned(twin);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await s3?.close();
  });

  let shoeSquare: string;
  let shoeLandscape: string;
  let mugSquare: string;

  it("counts the brand's creatives in storageUsage (creativeBytes, in usedBytes), each key once", async () => {
    const before = await h.usage(acme);
    expect(before.creativeBytes).toBe(0);
    shoeSquare = (await h.render(acme, acmeIds.SHOE, 'SQUARE_1080')).creative!.key;
    shoeLandscape = (await h.render(acme, acmeIds.SHOE, 'LANDSCAPE_1200x628')).creative!.key;
    mugSquare = (await h.render(acme, acmeIds.MUG, 'SQUARE_1080')).creative!.key;
    const files = [shoeSquare, shoeLandscape, mugSquare];
    const sizes = await Promise.all(files.map(h.size));
    for (const bytes of sizes) expect(bytes).toBeGreaterThan(1000);
    const total = sizes.reduce((a, b) => a! + b!, 0)!;

    const after = await h.usage(acme);
    expect(after.creativeBytes).toBe(total);
    expect(after.usedBytes).toBe(after.sourceBytes! + after.renditionBytes! + total);
    expect(after.remainingBytes).toBe(after.quotaBytes! - after.usedBytes!);
    // Asked again: the same key, nothing more counted.
    expect((await h.render(acme, acmeIds.SHOE, 'SQUARE_1080')).creative).toEqual({ key: shoeSquare, reused: true });
    expect((await h.usage(acme)).creativeBytes).toBe(total);

    // Twin renders the same content: the same file, counted for Twin too (it has it), not again for Acme.
    const twinSquare = (await h.render(twin, twinIds.SHOE, 'SQUARE_1080')).creative!;
    expect(twinSquare).toEqual({ key: shoeSquare, reused: true });
    expect((await h.usage(twin)).creativeBytes).toBe(sizes[0]);
    expect((await h.usage(acme)).creativeBytes).toBe(total);

    // Rows recorded before sizes were (migration 22) get theirs from storage at the brand's next prune.
    await h.api.runtime.dataSource.query('UPDATE creative SET stored_bytes = NULL WHERE brand_id = $1', [
      rawId(acme.id),
    ]);
    expect((await h.usage(acme)).creativeBytes).toBe(0);
    await h.api.app.get(CreativePruner).pruneBrand(rawId(acme.id));
    expect((await h.usage(acme)).creativeBytes).toBe(total);
  });

  it('prunes the creatives a republish made stale, deleting a file only once no brand has its key', async () => {
    const before = await h.usage(acme);
    // The shoe's title changes; the mug is as it was.
    await h.publish(acme, acmeFeed, [
      row('SHOE', 'Trail Shoe Pro', '120.00 USD', h.image),
      row('MUG', 'Camp Mug', '15.00 USD', h.image),
    ]);
    await h.pruned(acme);

    expect(await h.rows(acme)).toEqual([mugSquare]);
    // Only Acme had the landscape: its file is gone. Twin still has the square: its file stays, and so does its row.
    expect(await h.media.exists(shoeLandscape)).toBe(false);
    expect(await h.media.exists(shoeSquare)).toBe(true);
    expect(await h.rows(twin)).toEqual([shoeSquare]);
    expect(await h.media.exists(mugSquare)).toBe(true);
    const after = await h.usage(acme);
    expect(after.creativeBytes).toBe((await h.size(mugSquare))!);
    expect(after.creativeBytes).toBeLessThan(before.creativeBytes!);

    // The new title's creative renders afresh, at a new key; the mug's is still there and not rendered again.
    const pro = (await h.render(acme, acmeIds.SHOE, 'SQUARE_1080')).creative!;
    expect(pro.key).not.toBe(shoeSquare);
    expect(pro.reused).toBe(false);
    expect((await h.render(acme, acmeIds.MUG, 'SQUARE_1080')).creative).toEqual({ key: mugSquare, reused: true });
  });

  it("never prunes another brand's creative, even one stale for that brand whose row is the only reference", async () => {
    const pruner = h.api.app.get(CreativePruner);
    // Twin's shoe changes in its live catalog (as a publish would leave it) without Twin's prune running yet.
    await h.api.runtime.dataSource.query(`UPDATE catalog_product SET title = 'Trail Shoe II' WHERE brand_id = $1`, [
      rawId(twin.id),
    ]);
    const acmeBefore = await h.rows(acme);
    const result = await pruner.pruneBrand(rawId(acme.id));
    expect(result.rows).toBe(0);
    expect(await h.rows(acme)).toEqual(acmeBefore);
    expect(await h.rows(twin)).toEqual([shoeSquare]);
    expect(await h.media.exists(shoeSquare)).toBe(true);

    // Twin's own prune removes it, and the file with it: no row of any brand has the key any more.
    expect(await pruner.pruneBrand(rawId(twin.id))).toEqual({ stale: 1, rows: 1, files: 1 });
    expect(await h.rows(twin)).toEqual([]);
    expect(await h.media.exists(shoeSquare)).toBe(false);
    expect((await h.usage(twin)).creativeBytes).toBe(0);
  });

  it('loses nothing when a prune fails midway, and the next prune finishes', async () => {
    const pruner = h.api.app.get(CreativePruner);
    const mug = (await h.render(acme, acmeIds.MUG, 'STORY_1080x1920')).creative!.key;
    // The mug leaves the live catalog (a REPLACE publish without it).
    await h.publish(acme, acmeFeed, [row('SHOE', 'Trail Shoe Pro', '120.00 USD', h.image)]);
    await h.pruned(acme);
    expect(await h.rows(acme)).not.toContain(mug);
    expect(await h.media.exists(mug)).toBe(false);

    // Now the storage fails while a prune deletes: the stale rows must survive it.
    const pro = (await h.render(acme, acmeIds.SHOE, 'STORY_1080x1920')).creative!.key;
    await h.api.runtime.dataSource.query(`UPDATE catalog_product SET title = 'Trail Shoe Max' WHERE brand_id = $1`, [
      rawId(acme.id),
    ]);
    const media = h.media as ObjectStorage & { deleteMany?: (keys: string[]) => Promise<void> };
    const deleteMany = media.deleteMany;
    const del = media.delete;
    const fail = async () => {
      throw new Error('storage went away');
    };
    media.deleteMany = deleteMany ? fail : undefined;
    media.delete = fail;
    try {
      await expect(pruner.pruneBrand(rawId(acme.id))).rejects.toThrow('storage went away');
    } finally {
      media.deleteMany = deleteMany;
      media.delete = del;
    }
    expect(await h.rows(acme)).toContain(pro);
    expect(await h.media.exists(pro)).toBe(true);

    const next = await pruner.pruneBrand(rawId(acme.id));
    expect(next.rows).toBeGreaterThanOrEqual(1);
    expect(await h.rows(acme)).not.toContain(pro);
    expect(await h.media.exists(pro)).toBe(false);
  });

  it('keeps a stale creative for CREATIVE_PRUNE_GRACE_HOURS, then the sweep prunes it', async () => {
    const pruner = h.api.app.get(CreativePruner);
    const settings = h.api.config.creatives;
    const grace = settings.pruneGraceHours;
    settings.pruneGraceHours = 24;
    try {
      const old = (await h.render(acme, acmeIds.SHOE, 'SQUARE_1080')).creative!.key;
      await h.publish(acme, acmeFeed, [row('SHOE', 'Trail Shoe Ultra', '120.00 USD', h.image)]);
      await h.pruned(acme);
      // Marked stale, kept (and still counted) for the grace.
      const [marked] = (await h.api.runtime.dataSource.query(
        'SELECT stale_since FROM creative WHERE brand_id = $1 AND key = $2',
        [rawId(acme.id), old],
      )) as { stale_since: Date | null }[];
      expect(marked.stale_since).toBeInstanceOf(Date);
      expect(await h.media.exists(old)).toBe(true);
      expect((await h.usage(acme)).creativeBytes).toBe(await h.size(old));
      expect(await pruner.sweep()).toBe(0);
      expect(await h.rows(acme)).toEqual([old]);

      // A day later (moved back rather than waited for), the sweep deletes it and its file.
      await h.api.runtime.dataSource.query(
        `UPDATE creative SET stale_since = now() - interval '25 hours' WHERE brand_id = $1 AND key = $2`,
        [rawId(acme.id), old],
      );
      expect(await pruner.sweep()).toBe(1);
      expect(await h.rows(acme)).toEqual([]);
      expect(await h.media.exists(old)).toBe(false);
    } finally {
      settings.pruneGraceHours = grace;
    }
  });

  it("prunes a deleted feed's creatives (its products are no longer live) with their files", async () => {
    const twinShoe = (await h.render(twin, twinIds.SHOE, 'LANDSCAPE_1200x628')).creative!.key;
    expect(await h.rows(twin)).toEqual([twinShoe]);
    await h.api.gqlOk(
      'mutation($id: ID!) { deleteFeed(input: { feedId: $id }) { deletedFeedId userErrors { code } } }',
      { id: twinFeed },
      twin.apiKey,
    );
    await h.pruned(twin);
    expect(await h.rows(twin)).toEqual([]);
    expect(await h.media.exists(twinShoe)).toBe(false);
    expect((await h.usage(twin)).creativeBytes).toBe(0);
  });
});

describe('creatives and the storage quota', () => {
  let h: Awaited<ReturnType<typeof harness>>;

  beforeAll(async () => {
    // Room for the feed file, not for its image's renditions: the brand is over its quota once they are stored.
    // Noise compresses badly: its renditions alone take well over the quota.
    const noise = await sharp(randomBytes(800 * 600 * 3), { raw: { width: 800, height: 600, channels: 3 } })
      .jpeg()
      .toBuffer();
    h = await harness({ STORAGE_QUOTA_BYTES: '4000' }, noise);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('refuses a new creative with the userError QUOTA_EXCEEDED once usage reaches the quota, rendering nothing', async () => {
    const brand = await registerBrand(h.api, 'Full');
    const feed = await createFeed(h.api, brand.apiKey, { name: 'Full' });
    const ids = await h.publish(brand, feed, [row('SHOE', 'Trail Shoe', '120.00 USD', h.image)]);
    const usage = await h.usage(brand);
    expect(usage.usedBytes).toBeGreaterThanOrEqual(usage.quotaBytes!);
    expect(usage.remainingBytes).toBe(0);

    const service = h.api.app.get(CreativesService);
    const rendered = service.rendered;
    const refused = await h.render(brand, ids.SHOE, 'SQUARE_1080');
    expect(refused.creative).toBeNull();
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0].code).toBe('QUOTA_EXCEEDED');
    expect(refused.userErrors[0].message).toContain('storage quota of 4000 bytes');
    expect(refused.userErrors[0].message).toContain('ask for a larger quota');
    expect(service.rendered).toBe(rendered);
    expect(await h.rows(brand)).toEqual([]);
    expect((await h.usage(brand)).creativeBytes).toBe(0);
  });
});
