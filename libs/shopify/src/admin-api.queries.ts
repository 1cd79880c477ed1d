/**
 * The GraphQL Admin API documents the sync sends (version in SHOPIFY_API_VERSION, written against
 * 2025-01) and the shapes it reads back.
 */

/** Variants read with their product; a product with more is completed with PRODUCT_VARIANTS_QUERY. */
export const VARIANTS_PER_PRODUCT = 20;
/** One image_link and Merchant Center's ten additional_image_link. */
export const IMAGES_PER_PRODUCT = 11;
export const VARIANTS_PER_PAGE = 100;
/** Ids only: the deletion pass lists every product id of the store. */
export const IDS_PER_PAGE = 250;

export const SHOP_QUERY = `query BrandshelfShop {
  shop { name currencyCode myshopifyDomain primaryDomain { url } }
}`;

const VARIANT_FIELDS = `id sku barcode price compareAtPrice inventoryQuantity inventoryPolicy
        selectedOptions { name value }
        image { url }
        inventoryItem { tracked }`;

export const PRODUCTS_QUERY = `query BrandshelfProducts($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id handle title descriptionHtml vendor productType status tags onlineStoreUrl updatedAt
      media(first: ${IMAGES_PER_PRODUCT}) { nodes { ... on MediaImage { image { url } } } }
      variants(first: ${VARIANTS_PER_PRODUCT}) {
        pageInfo { hasNextPage endCursor }
        nodes { ${VARIANT_FIELDS} }
      }
    }
  }
}`;

export const PRODUCT_VARIANTS_QUERY = `query BrandshelfProductVariants($id: ID!, $after: String) {
  product(id: $id) {
    variants(first: ${VARIANTS_PER_PAGE}, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${VARIANT_FIELDS} }
    }
  }
}`;

export const PRODUCT_IDS_QUERY = `query BrandshelfProductIds($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes { id }
  }
}`;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ShopInfo {
  name: string;
  currencyCode: string;
  myshopifyDomain: string;
  primaryDomain: { url: string } | null;
}

export interface AdminVariant {
  id: string;
  sku: string | null;
  barcode: string | null;
  /** Money: a decimal string in the shop's currency, e.g. "19.99". */
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  selectedOptions: { name: string; value: string }[];
  image: { url: string } | null;
  inventoryItem: { tracked: boolean } | null;
}

export type ProductStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED';

export interface AdminProduct {
  id: string;
  handle: string;
  title: string;
  descriptionHtml: string | null;
  vendor: string | null;
  productType: string | null;
  status: ProductStatus;
  tags: string[];
  onlineStoreUrl: string | null;
  updatedAt: string;
  /** Non-image media (videos, 3D models) come back as empty objects. */
  media: { nodes: { image?: { url: string } | null }[] };
  variants: { pageInfo: PageInfo; nodes: AdminVariant[] };
}

export interface ShopAnswer {
  shop: ShopInfo;
}

export interface ProductsAnswer {
  products: { pageInfo: PageInfo; nodes: AdminProduct[] };
}

export interface ProductVariantsAnswer {
  product: { variants: { pageInfo: PageInfo; nodes: AdminVariant[] } } | null;
}

export interface ProductIdsAnswer {
  products: { pageInfo: PageInfo; nodes: { id: string }[] };
}
