import { ShopifyApiError } from './admin-api.client.js';
import type {
  AdminProduct,
  AdminVariant,
  PageInfo,
  ProductIdsAnswer,
  ProductVariantsAnswer,
  ProductsAnswer,
  ShopInfo,
} from './admin-api.queries.js';

/**
 * The shapes the sync reads, checked before anything is read from them: a store (or anything answering at its
 * address) that answers JSON of another shape fails the sync with SHOPIFY_BAD_RESPONSE and its hint, instead of a
 * TypeError deep in the mapper that the pipeline takes for a crash of ours (retried, then INTERNAL_ERROR), or a
 * connectShopifyStore answered INTERNAL_SERVER_ERROR. Only what the mapper reads is checked; Money may come as a
 * number and is read as its decimal text.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(where: string, what: string): never {
  throw new ShopifyApiError('BAD_RESPONSE', `The Admin API answered ${where} ${what}.`);
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) bad(where, 'that is not an object');
  return v;
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) bad(where, 'that is not a list');
  return v;
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string') bad(where, 'that is not text');
  return v;
}

function optText(v: unknown, where: string): string | null {
  if (v === null || v === undefined) return null;
  return text(v, where);
}

/** Money: Shopify's decimal string; a JSON number is taken as the same decimal. */
function money(v: unknown, where: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return text(v, where);
}

function pageInfo(v: unknown, where: string): PageInfo {
  const o = obj(v, `${where}.pageInfo`);
  if (typeof o.hasNextPage !== 'boolean') bad(`${where}.pageInfo.hasNextPage`, 'that is not true or false');
  return { hasNextPage: o.hasNextPage, endCursor: optText(o.endCursor, `${where}.pageInfo.endCursor`) };
}

function connection(v: unknown, where: string): { pageInfo: PageInfo; nodes: unknown[] } {
  const o = obj(v, where);
  return { pageInfo: pageInfo(o.pageInfo, where), nodes: list(o.nodes, `${where}.nodes`) };
}

function variant(v: unknown, where: string): AdminVariant {
  const o = obj(v, where);
  const price = money(o.price, `${where}.price`);
  if (price === null) bad(`${where}.price`, 'that is missing');
  const quantity = o.inventoryQuantity;
  const image = o.image === null || o.image === undefined ? null : obj(o.image, `${where}.image`);
  const item =
    o.inventoryItem === null || o.inventoryItem === undefined ? null : obj(o.inventoryItem, `${where}.inventoryItem`);
  return {
    id: text(o.id, `${where}.id`),
    sku: optText(o.sku, `${where}.sku`),
    barcode: optText(o.barcode, `${where}.barcode`),
    price,
    compareAtPrice: money(o.compareAtPrice, `${where}.compareAtPrice`),
    inventoryQuantity: typeof quantity === 'number' && Number.isFinite(quantity) ? quantity : null,
    inventoryPolicy: o.inventoryPolicy === 'CONTINUE' ? 'CONTINUE' : 'DENY',
    selectedOptions: list(o.selectedOptions ?? [], `${where}.selectedOptions`).map((option, i) => {
      const p = obj(option, `${where}.selectedOptions.${i}`);
      return {
        name: text(p.name, `${where}.selectedOptions.${i}.name`),
        value: text(p.value, `${where}.selectedOptions.${i}.value`),
      };
    }),
    image: image && typeof image.url === 'string' ? { url: image.url } : null,
    inventoryItem: item ? { tracked: item.tracked !== false } : null,
  };
}

function variants(v: unknown, where: string): { pageInfo: PageInfo; nodes: AdminVariant[] } {
  const c = connection(v, where);
  return { pageInfo: c.pageInfo, nodes: c.nodes.map((n, i) => variant(n, `${where}.nodes.${i}`)) };
}

function product(v: unknown, where: string): AdminProduct {
  const o = obj(v, where);
  const media = obj(o.media ?? { nodes: [] }, `${where}.media`);
  return {
    id: text(o.id, `${where}.id`),
    handle: text(o.handle, `${where}.handle`),
    title: text(o.title, `${where}.title`),
    descriptionHtml: optText(o.descriptionHtml, `${where}.descriptionHtml`),
    vendor: optText(o.vendor, `${where}.vendor`),
    productType: optText(o.productType, `${where}.productType`),
    status: text(o.status, `${where}.status`) as AdminProduct['status'],
    tags: list(o.tags ?? [], `${where}.tags`).map((t, i) => text(t, `${where}.tags.${i}`)),
    onlineStoreUrl: optText(o.onlineStoreUrl, `${where}.onlineStoreUrl`),
    updatedAt: optText(o.updatedAt, `${where}.updatedAt`) ?? '',
    media: {
      nodes: list(media.nodes, `${where}.media.nodes`).map((m) => {
        const image = isObj(m) && isObj(m.image) && typeof m.image.url === 'string' ? { url: m.image.url } : null;
        return { image };
      }),
    },
    variants: variants(o.variants, `${where}.variants`),
  };
}

/** `shop` of SHOP_QUERY's answer. */
export function shopOf(data: unknown): ShopInfo {
  const shop = obj(obj(data, 'data').shop, 'shop');
  const primary =
    shop.primaryDomain === null || shop.primaryDomain === undefined
      ? null
      : obj(shop.primaryDomain, 'shop.primaryDomain');
  return {
    name: text(shop.name, 'shop.name'),
    currencyCode: text(shop.currencyCode, 'shop.currencyCode'),
    myshopifyDomain: text(shop.myshopifyDomain, 'shop.myshopifyDomain'),
    primaryDomain: primary && typeof primary.url === 'string' ? { url: primary.url } : null,
  };
}

/** PRODUCTS_QUERY's answer. */
export function productsPageOf(data: unknown): ProductsAnswer['products'] {
  const c = connection(obj(data, 'data').products, 'products');
  return { pageInfo: c.pageInfo, nodes: c.nodes.map((n, i) => product(n, `products.nodes.${i}`)) };
}

/** PRODUCT_IDS_QUERY's answer. */
export function productIdsPageOf(data: unknown): ProductIdsAnswer['products'] {
  const c = connection(obj(data, 'data').products, 'products');
  return {
    pageInfo: c.pageInfo,
    nodes: c.nodes.map((n, i) => ({ id: text(obj(n, `products.nodes.${i}`).id, `products.nodes.${i}.id`) })),
  };
}

/** PRODUCT_VARIANTS_QUERY's answer: null when the product is gone. */
export function productVariantsOf(data: unknown): NonNullable<ProductVariantsAnswer['product']>['variants'] | null {
  const p = obj(data, 'data').product;
  if (p === null || p === undefined) return null;
  return variants(obj(p, 'product').variants, 'product.variants');
}

/**
 * The cursor of the next page, or null after the last. A store that says there is a next page without a cursor,
 * or gives a cursor it gave before (a page loop), would make the sync read forever (its heartbeat keeps the run
 * alive): that is BAD_RESPONSE.
 */
export function nextCursor(page: PageInfo, seen: Set<string>, where: string): string | null {
  if (!page.hasNextPage) return null;
  if (!page.endCursor) bad(where, 'with hasNextPage true and no endCursor');
  if (seen.has(page.endCursor))
    bad(where, `with the page cursor "${page.endCursor.slice(0, 100)}" a second time (a page loop)`);
  seen.add(page.endCursor);
  return page.endCursor;
}
