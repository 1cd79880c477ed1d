import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import { optionAttribute } from '@brandshelf/feeds';
import type { AdminProduct, AdminVariant, ShopInfo } from './admin-api.queries.js';
import type { ShopifyIdStrategy } from './shopify-store.entity.js';

export type ItemFields = Record<string, string | string[]>;

/** Every item carries its product's id, so an incremental sync knows which offers a product had. */
export const PRODUCT_ID_ATTRIBUTE = 'shopify_product_id';

/** `gid://shopify/ProductVariant/123` → `123`. */
export function numericId(gid: string): string {
  const slash = gid.lastIndexOf('/');
  return slash >= 0 ? gid.slice(slash + 1) : gid;
}

export function isPublishable(product: Pick<AdminProduct, 'status'>): boolean {
  return product.status === 'ACTIVE';
}

export function offerIdOf(variant: Pick<AdminVariant, 'id' | 'sku'>, strategy: ShopifyIdStrategy): string {
  const sku = variant.sku?.trim();
  return strategy === 'SKU' && sku ? sku : numericId(variant.id);
}

/**
 * A Shopify product as items, one per variant, with the same canonical fields the Shopify CSV dialect
 * (libs/feeds) gives the same product: title, description (body HTML), brand = vendor, product_type,
 * price = compare-at price when it is higher with sale_price = price, gtin = barcode, image_link = the
 * variant's image or the first product image and the rest additional, options named like
 * colour/size/material/pattern fill those attributes and others become custom, quantity and
 * availability from inventory and its policy, custom:Handle and custom:Tags.
 *
 * What only the API has: id = the variant id (or its SKU when the brand chose SKU ids), item_group_id =
 * the product id when it has more than one variant, link = the product's online store URL (the
 * primary domain's /products/<handle> when the product is not on the Online Store channel, e.g. a
 * headless storefront), custom:shopify_product_id, and prices with the shop's currency.
 * DRAFT and ARCHIVED products are never items: they are not published.
 */
export function mapProduct(
  product: AdminProduct,
  variants: AdminVariant[],
  shop: ShopInfo,
  strategy: ShopifyIdStrategy,
): ItemFields[] {
  if (!isPublishable(product)) return [];
  const productId = numericId(product.id);
  const grouped = variants.length > 1;
  const images = product.media.nodes.map((node) => node.image?.url).filter((url): url is string => Boolean(url));
  const link = product.onlineStoreUrl || fallbackLink(shop, product.handle);
  return variants.map((variant) => {
    const fields: ItemFields = {};
    const put = (attribute: string, value: string | null | undefined) => {
      const text = value?.trim();
      if (text && fields[attribute] === undefined) fields[attribute] = text;
    };
    put('id', offerIdOf(variant, strategy));
    put('title', product.title);
    put('description', product.descriptionHtml);
    put('brand', product.vendor);
    put('product_type', product.productType);
    if (grouped) put('item_group_id', productId);

    const currency = shop.currencyCode;
    const price = Number(variant.price);
    const compareAt = variant.compareAtPrice === null ? Number.NaN : Number(variant.compareAtPrice);
    if (compareAt > price) {
      put('price', `${variant.compareAtPrice} ${currency}`);
      put('sale_price', `${variant.price} ${currency}`);
    } else {
      put('price', `${variant.price} ${currency}`);
    }
    put('gtin', variant.barcode);

    const urls = [...new Set([variant.image?.url, ...images].filter((url): url is string => Boolean(url?.trim())))];
    if (urls.length) {
      fields.image_link = urls[0];
      if (urls.length > 1) fields.additional_image_link = urls.slice(1);
    }

    for (const option of variant.selectedOptions) {
      // Shopify's placeholder for a product without options.
      if (option.name.toLowerCase() === 'title' && option.value.toLowerCase() === 'default title') continue;
      put(optionAttribute(option.name), option.value);
    }

    const tracked = variant.inventoryItem?.tracked ?? true;
    if (tracked && typeof variant.inventoryQuantity === 'number') {
      put('quantity', String(variant.inventoryQuantity));
      put(
        'availability',
        variant.inventoryQuantity > 0 || variant.inventoryPolicy === 'CONTINUE' ? 'in_stock' : 'out_of_stock',
      );
    } else {
      put('availability', 'in_stock');
    }

    put('link', link);
    put(`${CUSTOM_PREFIX}Handle`, product.handle);
    if (product.tags.length) put(`${CUSTOM_PREFIX}Tags`, product.tags.join(', '));
    put(`${CUSTOM_PREFIX}${PRODUCT_ID_ATTRIBUTE}`, productId);
    return fields;
  });
}

function fallbackLink(shop: ShopInfo, handle: string): string {
  const base = (shop.primaryDomain?.url || `https://${shop.myshopifyDomain}`).replace(/\/+$/, '');
  return `${base}/products/${encodeURIComponent(handle)}`;
}
