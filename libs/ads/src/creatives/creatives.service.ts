import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, BadInputError, MEDIA_STORAGE, NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import {
  CREATIVE_LAYOUTS,
  CREATIVE_TEMPLATES,
  CreativeRenderer,
  creativeKey,
  type CreativeContent,
  type CreativeTemplate,
} from '@brandshelf/media';
import { BrandStorageService, type StorageUsage } from '@brandshelf/ingestion';
import { PRODUCT_COLUMNS, toProduct, type CatalogProduct, type ProductImageData } from '@brandshelf/search';
import type { ObjectStorage } from '@brandshelf/storage';
import { CreativeStore } from './creative.store.js';

/** A creative as stored and served. */
export interface Creative {
  productId: string;
  template: CreativeTemplate;
  /** Storage key, `creative/ab/cd/<sha256>.jpg`: the hash of everything drawn (see creativeKey). */
  key: string;
  url: string;
  width: number;
  height: number;
  format: 'jpeg';
  /** True when a file with this key was stored already and nothing was rendered. */
  reused: boolean;
}

/** Runs a render when a slot is free (the API bounds renders per process with it); none when absent. */
export type RenderLimit = <T>(render: () => Promise<T>) => Promise<T>;

/** Keys are content-addressed: what is at a key never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The rendition files of a processed image, as the live row's rendition URLs end (see contentKey in libs/media). */
const RENDITION_KEY = /(img\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\/(?:\d+\.webp|full\.jpg))$/;
const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/**
 * Ad creatives: a brand's live product drawn on a template (libs/media CreativeRenderer) and stored like image
 * renditions, content-addressed under the hash of what is drawn, so the same product and template reuse the stored
 * file and any change that shows (title, prices, brand name, image) gives a new file at a new key.
 */
@Injectable()
export class CreativesService {
  private readonly renderer = new CreativeRenderer();
  /** Renders in progress by key: a second request for the same creative waits for the first instead of redoing it. */
  private readonly inflight = new Map<string, Promise<Stored>>();
  /** Renders done by this process (tests and benches read it). */
  rendered = 0;

  /** Product.creatives lookups waiting for this turn of the event loop: one query answers all of them. */
  private pending: Array<{
    brandId: string;
    key: string;
    resolve: (held: boolean) => void;
    reject: (e: unknown) => void;
  }> = [];

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(MEDIA_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CreativeStore) private readonly store: CreativeStore,
    @Inject(BrandStorageService) private readonly brandStorage: BrandStorageService,
  ) {}

  /**
   * The creative of one of the brand's live products on a template, rendered unless stored already. Another brand's
   * product is NOT_FOUND; a product without a processed main image is the userError NO_PROCESSED_IMAGE. A creative
   * the brand does not have yet counts toward its storage: once the brand's usage has reached STORAGE_QUOTA_BYTES
   * it is the userError QUOTA_EXCEEDED, and nothing is rendered (one the brand has is still answered).
   */
  async render(
    ctx: BrandContext,
    input: { productId: string; template: CreativeTemplate },
    limit?: RenderLimit,
  ): Promise<Creative> {
    if (!CREATIVE_TEMPLATES.includes(input.template)) {
      throw new BadInputError(`template is one of ${CREATIVE_TEMPLATES.join(', ')}.`, 'template');
    }
    const product = await this.product(ctx, input.productId);
    const content = contentOf(product, input.template);
    if (!content) throw noProcessedImage(product, mainImage(product));
    const key = creativeKey(content);
    if (!(await this.store.has(ctx, key))) await this.checkQuota(ctx);
    // The row is recorded under the key's lock only while the file is there; a prune that deleted the file between
    // the two (the key was another product's stale creative) makes this store it again.
    for (let attempt = 1; ; attempt++) {
      const stored = await this.storeOnce(key, content, limit);
      const creative = this.describe(product, input.template, key, stored.reused);
      if (await this.store.record(ctx, { ...creative, storedBytes: stored.bytes }, () => this.storage.exists(key))) {
        return creative;
      }
      if (attempt === 3) {
        throw new AppError('INTERNAL_SERVER_ERROR', `Creative ${key} was deleted again each time it was stored.`);
      }
    }
  }

  /** QUOTA_EXCEEDED once the brand's storage usage has reached its quota (none when the quota is off). */
  private async checkQuota(ctx: BrandContext): Promise<void> {
    const usage = await this.brandStorage.usage(ctx.principal.brandId);
    if (usage.remainingBytes === null || usage.remainingBytes > 0) return;
    throw quotaExceeded(usage);
  }

  /** The brand's live products of these ids, by id (the prune's view of what is current). */
  async liveProducts(ctx: BrandContext, ids: string[]): Promise<Map<string, CatalogProduct>> {
    if (!ids.length) return new Map();
    const rows = await this.db.query(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id
        WHERE p.id = ANY($1::uuid[]) AND p.brand_id = $2`,
      [ids, ctx.principal.brandId],
    );
    return new Map(rows.map((row: Record<string, unknown>) => [row.id as string, toProduct(row)]));
  }

  /**
   * The product's creatives as it is now, in template order: those of its current content (the key its title,
   * prices, brand name and image give today) that its brand has rendered. A creative of an earlier version of the
   * product is not listed (render again for the current one).
   */
  async current(product: CatalogProduct): Promise<Creative[]> {
    const wanted = CREATIVE_TEMPLATES.flatMap((template) => {
      const content = contentOf(product, template);
      return content ? [{ template, key: creativeKey(content) }] : [];
    });
    const held = await Promise.all(wanted.map(({ key }) => this.held(product.brandId, key)));
    return wanted.filter((_, i) => held[i]).map(({ template, key }) => this.describe(product, template, key, true));
  }

  private describe(product: CatalogProduct, template: CreativeTemplate, key: string, reused: boolean): Creative {
    const layout = CREATIVE_LAYOUTS[template];
    return {
      productId: product.id,
      template,
      key,
      url: this.storage.publicUrl(key),
      width: layout.width,
      height: layout.height,
      format: 'jpeg',
      reused,
    };
  }

  /** Whether the brand has the creative at this key, asked together with every other asked in this turn. */
  private held(brandId: string, key: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ brandId, key, resolve, reject }) > 1) return;
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.store.systemHeld(batch).then(
          (found) => batch.forEach((w) => w.resolve(found.has(`${w.brandId} ${w.key}`))),
          (error) => batch.forEach((w) => w.reject(error)),
        );
      });
    });
  }

  /**
   * Whether the file was there already (reused) or had to be rendered, and its size. The work is registered before
   * its first await, so a request for the same key arriving meanwhile (while the first checks storage) joins it.
   */
  private async storeOnce(key: string, content: CreativeContent, limit?: RenderLimit): Promise<Stored> {
    const running = this.inflight.get(key);
    if (running) return { reused: true, bytes: (await running).bytes };
    const work = (async (): Promise<Stored> => {
      const info = await this.storage.head(key);
      if (info) return { reused: true, bytes: info.size };
      const source = await this.storage.get(content.renditionKey);
      if (!source) throw new AppError('INTERNAL_SERVER_ERROR', `Rendition ${content.renditionKey} is not in storage.`);
      const bytes = Buffer.concat(await source.body.toArray());
      const run = () => this.renderer.render(content, bytes);
      const creative = await (limit ? limit(run) : run());
      await this.storage.put(key, creative.buffer, {
        contentType: 'image/jpeg',
        cacheControl: IMMUTABLE,
        contentLength: creative.buffer.length,
      });
      this.rendered++;
      return { reused: false, bytes: creative.buffer.length };
    })();
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** One of the brand's live products; another brand's (or an unknown id) is NOT_FOUND alike. */
  private async product(ctx: BrandContext, id: string): Promise<CatalogProduct> {
    const rows = isUuid(id)
      ? await this.db.query(
          `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id
            WHERE p.id = $1 AND p.brand_id = $2`,
          [id, ctx.principal.brandId],
        )
      : [];
    if (!rows[0]) throw new NotFoundError('Product', id);
    return toProduct(rows[0]);
  }
}

/** What storeOnce did: found the file (reused) or rendered it, and the file's size. */
interface Stored {
  reused: boolean;
  bytes: number;
}

/** The key of the product's creative on the template as the product is now; null without a processed image. */
export function currentCreativeKey(product: CatalogProduct, template: CreativeTemplate): string | null {
  const content = contentOf(product, template);
  return content ? creativeKey(content) : null;
}

/** What a creative of the product on the template shows, or null when it has no processed main image. */
function contentOf(product: CatalogProduct, template: CreativeTemplate): CreativeContent | null {
  const image = mainImage(product);
  const rendition = image && bestRendition(image);
  if (!image || !rendition) return null;
  return {
    template,
    renditionKey: rendition,
    background: image.dominantColor && HEX_COLOUR.test(image.dominantColor) ? image.dominantColor : '#ffffff',
    title: product.title,
    ...prices(product),
    brandName: product.brandName?.trim() || product.brand.name,
  };
}

function mainImage(product: CatalogProduct): ProductImageData | null {
  return product.images.find((i) => i.role === 'MAIN') ?? null;
}

/** The key of the largest WebP rendition (the JPEG of the same pixels when no WebP is listed), or null. */
function bestRendition(image: ProductImageData): string | null {
  const ranked = [...image.renditions].sort((a, b) =>
    a.size !== b.size ? b.size - a.size : (a.format === 'webp' ? 0 : 1) - (b.format === 'webp' ? 0 : 1),
  );
  for (const rendition of ranked) {
    const key = RENDITION_KEY.exec(decodeURI(rendition.url.split('?')[0]))?.[1];
    if (key) return key;
  }
  return null;
}

function prices(product: CatalogProduct): Pick<CreativeContent, 'price' | 'regularPrice'> {
  if (product.onSale && product.salePrice && product.price) {
    return { price: product.salePrice.formatted, regularPrice: product.price.formatted };
  }
  return { price: product.price?.formatted ?? null, regularPrice: null };
}

function quotaExceeded(usage: StorageUsage): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `The brand has used its storage quota of ${usage.quotaBytes} bytes (${usage.usedBytes} used: ` +
      `${usage.sourceBytes} in feed files, ${usage.renditionBytes} in images, ${usage.creativeBytes} in ad ` +
      'creatives), so no new creative is rendered. Creatives of an earlier title, price or image, or of products ' +
      'no longer live, are pruned after the next publish (CREATIVE_PRUNE_GRACE_HOURS); delete feeds you no longer ' +
      'need, or ask for a larger quota. Creatives the brand already has are still answered.',
    { quotaBytes: usage.quotaBytes, usedBytes: usage.usedBytes, remainingBytes: usage.remainingBytes },
  );
}

function noProcessedImage(product: CatalogProduct, image: ProductImageData | null): AppError {
  const which = image ? `its main image (${image.sourceUrl})` : 'it has no image_link, so it';
  return new AppError(
    'BAD_USER_INPUT',
    `Product ${product.offerId} has no processed image to draw: ${which} has not been fetched and processed. ` +
      'Fix the image_link in the feed if the run reported an IMAGE_* issue for it, run the feed with images on ' +
      '(IMAGES_ENABLED) and publish the run; then render the creative again.',
    { userErrorCode: 'NO_PROCESSED_IMAGE', field: 'productId' },
  );
}
