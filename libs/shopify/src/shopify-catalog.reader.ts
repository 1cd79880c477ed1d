import type { FeedEvent } from '@brandshelf/feeds';
import {
  IDS_PER_PAGE,
  PRODUCTS_QUERY,
  PRODUCT_IDS_QUERY,
  PRODUCT_VARIANTS_QUERY,
  SHOP_QUERY,
  type AdminProduct,
  type AdminVariant,
  type ProductsAnswer,
  type ShopInfo,
} from './admin-api.queries.js';
import { ShopifyApiError, type ShopifyAdminClient } from './admin-api.client.js';
import { nextCursor, productIdsPageOf, productsPageOf, productVariantsOf, shopOf } from './admin-api.shapes.js';
import { isPublishable, mapProduct, numericId } from './product.mapper.js';
import type { ShopifyIdStrategy } from './shopify-store.entity.js';

/** Shopify allows a product at most this many variants (API 2024-04 and later). */
export const MAX_VARIANTS_PER_PRODUCT = 2048;

export interface CatalogReadOptions {
  idStrategy: ShopifyIdStrategy;
  pageSize: number;
}

/** What an incremental read needs of the base version: each product's offer ids. */
export type OffersByProduct = Map<string, string[]>;

/**
 * Reads a store's catalog as feed events. `full` reads every active product; `incremental` reads the
 * products updated since a cursor (all statuses, so one that became a draft is removed), then lists
 * every active product id to find the products deleted since the base version. Offers to take out of
 * the base version are collected into `removed`.
 */
export class ShopifyCatalogReader {
  private row = 0;
  private pageSize: number;
  /** Products read with all their fields (the rest of the requests list ids only). */
  productsRead = 0;
  shop: ShopInfo | null = null;

  constructor(
    private readonly client: ShopifyAdminClient,
    private readonly options: CatalogReadOptions,
  ) {
    this.pageSize = options.pageSize;
  }

  async *full(): AsyncGenerator<FeedEvent> {
    const shop = await this.readShop();
    for await (const product of this.products('status:active')) {
      yield* this.items(product, shop);
    }
  }

  async *incremental(since: Date, base: OffersByProduct, removed: Set<string>): AsyncGenerator<FeedEvent> {
    const shop = await this.readShop();
    const changedActive = new Set<string>();
    for await (const product of this.products(`updated_at:>'${since.toISOString()}'`)) {
      const productId = numericId(product.id);
      const emitted = new Set<string>();
      for await (const event of this.items(product, shop)) {
        if (event.type === 'item') emitted.add(String(event.item.fields.id));
        yield event;
      }
      if (isPublishable(product)) changedActive.add(productId);
      // Variants deleted from the product, SKUs changed, or the whole product unpublished.
      for (const offerId of base.get(productId) ?? []) if (!emitted.has(offerId)) removed.add(offerId);
    }
    const active = new Set<string>();
    for await (const id of this.productIds('status:active')) active.add(id);
    for (const [productId, offerIds] of base) {
      if (active.has(productId) || changedActive.has(productId)) continue;
      for (const offerId of offerIds) removed.add(offerId);
    }
  }

  private async readShop(): Promise<ShopInfo> {
    this.shop = shopOf(await this.client.query<unknown>(SHOP_QUERY));
    return this.shop;
  }

  private async *items(product: AdminProduct, shop: ShopInfo): AsyncGenerator<FeedEvent> {
    if (!isPublishable(product)) return;
    const variants = await this.allVariants(product);
    for (const fields of mapProduct(product, variants, shop, this.options.idStrategy)) {
      yield { type: 'item', item: { row: ++this.row, fields } };
    }
  }

  private async allVariants(product: AdminProduct): Promise<AdminVariant[]> {
    const variants = [...product.variants.nodes];
    const seen = new Set<string>();
    let after = nextCursor(product.variants.pageInfo, seen, `the variants of ${product.id}`);
    while (after !== null) {
      const page = productVariantsOf(
        await this.client.query<unknown>(PRODUCT_VARIANTS_QUERY, { id: product.id, after }),
      );
      if (!page) break; // deleted meanwhile: the next sync removes it
      variants.push(...page.nodes);
      if (variants.length > MAX_VARIANTS_PER_PRODUCT) {
        // Pages of new cursors without end: every one would be held in memory (a page loop in disguise).
        throw new ShopifyApiError(
          'BAD_RESPONSE',
          `The Admin API answered more than ${MAX_VARIANTS_PER_PRODUCT} variants for ${product.id}, more than Shopify allows a product.`,
        );
      }
      after = nextCursor(page.pageInfo, seen, `the variants of ${product.id}`);
    }
    return variants;
  }

  /** Every product matching `search`, page by page; a page Shopify finds too costly is halved. */
  private async *products(search: string): AsyncGenerator<AdminProduct> {
    let after: string | null = null;
    const seen = new Set<string>();
    for (;;) {
      let page: ProductsAnswer['products'];
      try {
        page = productsPageOf(
          await this.client.query<unknown>(PRODUCTS_QUERY, { first: this.pageSize, after, query: search }),
        );
      } catch (error) {
        if (error instanceof ShopifyApiError && error.code === 'MAX_COST_EXCEEDED' && this.pageSize > 1) {
          this.pageSize = Math.max(1, Math.floor(this.pageSize / 2));
          continue;
        }
        throw error;
      }
      this.productsRead += page.nodes.length;
      yield* page.nodes;
      after = nextCursor(page.pageInfo, seen, 'the products');
      if (after === null) return;
    }
  }

  private async *productIds(search: string): AsyncGenerator<string> {
    let after: string | null = null;
    const seen = new Set<string>();
    for (;;) {
      const page = productIdsPageOf(
        await this.client.query<unknown>(PRODUCT_IDS_QUERY, { first: IDS_PER_PAGE, after, query: search }),
      );
      for (const node of page.nodes) yield numericId(node.id);
      after = nextCursor(page.pageInfo, seen, 'the product ids');
      if (after === null) return;
    }
  }
}
