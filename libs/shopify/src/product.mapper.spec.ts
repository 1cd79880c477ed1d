import { Readable } from 'node:stream';
import { ItemValidator, type NormalizedProduct } from '@brandshelf/catalog-rules';
import { readFeed, type RawItem } from '@brandshelf/feeds';
import type { AdminProduct, ShopInfo } from './admin-api.queries.js';
import { mapProduct, numericId, offerIdOf } from './product.mapper.js';

const SHOP: ShopInfo = {
  name: 'Northwind',
  currencyCode: 'USD',
  myshopifyDomain: 'northwind.myshopify.com',
  primaryDomain: { url: 'https://northwind.example' },
};

/** One product as the GraphQL Admin API (2025-01) returns it to PRODUCTS_QUERY. */
const JACKET: AdminProduct = {
  id: 'gid://shopify/Product/7001',
  handle: 'trail-jacket',
  title: 'Trail Jacket',
  descriptionHtml: '<p>Warm <b>and</b> dry.</p>',
  vendor: 'Northwind',
  productType: 'Jackets',
  status: 'ACTIVE',
  tags: ['outdoor', 'winter'],
  onlineStoreUrl: 'https://northwind.example/products/trail-jacket',
  updatedAt: '2025-01-10T10:00:00Z',
  media: {
    nodes: [
      { image: { url: 'https://cdn.example/jacket-1.jpg' } },
      {},
      { image: { url: 'https://cdn.example/jacket-2.jpg' } },
    ],
  },
  variants: {
    pageInfo: { hasNextPage: false, endCursor: null },
    nodes: [
      {
        id: 'gid://shopify/ProductVariant/9001',
        sku: 'TJ-RED-M',
        barcode: '4006381333931',
        price: '89.00',
        compareAtPrice: '120.00',
        inventoryQuantity: 4,
        inventoryPolicy: 'DENY',
        selectedOptions: [
          { name: 'Colour', value: 'Red' },
          { name: 'Size', value: 'M' },
        ],
        image: { url: 'https://cdn.example/jacket-red.jpg' },
        inventoryItem: { tracked: true },
      },
      {
        id: 'gid://shopify/ProductVariant/9002',
        sku: 'TJ-RED-L',
        barcode: '4006381333948',
        price: '89.00',
        compareAtPrice: '120.00',
        inventoryQuantity: 0,
        inventoryPolicy: 'DENY',
        selectedOptions: [
          { name: 'Colour', value: 'Red' },
          { name: 'Size', value: 'L' },
        ],
        image: { url: 'https://cdn.example/jacket-red.jpg' },
        inventoryItem: { tracked: true },
      },
      {
        id: 'gid://shopify/ProductVariant/9003',
        sku: 'TJ-BLU-M',
        barcode: '4006381333955',
        price: '95.00',
        // Compare-at below the price: no sale.
        compareAtPrice: '90.00',
        inventoryQuantity: 0,
        inventoryPolicy: 'CONTINUE',
        selectedOptions: [
          { name: 'Colour', value: 'Blue' },
          { name: 'Size', value: 'M' },
        ],
        image: { url: 'https://cdn.example/jacket-blue.jpg' },
        inventoryItem: { tracked: true },
      },
    ],
  },
};

/** The same product as Shopify's product CSV export has it (rows grouped by Handle). */
const JACKET_CSV = [
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,' +
    'Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,' +
    'Variant Compare At Price,Variant Barcode,Image Src,Image Position,Variant Image,Status',
  'trail-jacket,Trail Jacket,<p>Warm <b>and</b> dry.</p>,Northwind,Jackets,"outdoor, winter",true,Colour,Red,Size,M,' +
    'TJ-RED-M,shopify,4,deny,89.00,120.00,4006381333931,https://cdn.example/jacket-1.jpg,1,https://cdn.example/jacket-red.jpg,active',
  'trail-jacket,,,,,,,,Red,,L,TJ-RED-L,shopify,0,deny,89.00,120.00,4006381333948,https://cdn.example/jacket-2.jpg,2,' +
    'https://cdn.example/jacket-red.jpg,',
  'trail-jacket,,,,,,,,Blue,,M,TJ-BLU-M,shopify,0,continue,95.00,90.00,4006381333955,,,https://cdn.example/jacket-blue.jpg,',
].join('\n');

async function readCsv(csv: string): Promise<RawItem[]> {
  const items: RawItem[] = [];
  for await (const event of readFeed(Readable.from([Buffer.from(csv)])))
    if (event.type === 'item') items.push(event.item);
  return items;
}

function normalize(fields: RawItem['fields']): NormalizedProduct {
  const result = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'USD' }).validate({ row: 1, fields });
  expect(result.issues.filter((i) => i.severity === 'ERROR')).toEqual([]);
  return result.product!;
}

describe('Shopify product mapping', () => {
  it('maps a product to one item per variant', () => {
    const items = mapProduct(JACKET, JACKET.variants.nodes, SHOP, 'VARIANT_ID');
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({
      id: '9001',
      title: 'Trail Jacket',
      description: '<p>Warm <b>and</b> dry.</p>',
      brand: 'Northwind',
      product_type: 'Jackets',
      item_group_id: '7001',
      price: '120.00 USD',
      sale_price: '89.00 USD',
      gtin: '4006381333931',
      image_link: 'https://cdn.example/jacket-red.jpg',
      additional_image_link: ['https://cdn.example/jacket-1.jpg', 'https://cdn.example/jacket-2.jpg'],
      color: 'Red',
      size: 'M',
      quantity: '4',
      availability: 'in_stock',
      link: 'https://northwind.example/products/trail-jacket',
      'custom:Handle': 'trail-jacket',
      'custom:Tags': 'outdoor, winter',
      'custom:shopify_product_id': '7001',
    });
    expect(items[1]).toMatchObject({ quantity: '0', availability: 'out_of_stock' });
    expect(items[2]).toMatchObject({ price: '95.00 USD', availability: 'in_stock' }); // CONTINUE sells when out
    expect(items[2].sale_price).toBeUndefined();
  });

  it('keeps drafts and archived products out, and reads ids and links the brand chose', () => {
    expect(mapProduct({ ...JACKET, status: 'DRAFT' }, JACKET.variants.nodes, SHOP, 'VARIANT_ID')).toEqual([]);
    expect(mapProduct({ ...JACKET, status: 'ARCHIVED' }, JACKET.variants.nodes, SHOP, 'VARIANT_ID')).toEqual([]);
    const single = {
      ...JACKET,
      onlineStoreUrl: null,
      variants: { ...JACKET.variants, nodes: [JACKET.variants.nodes[0]] },
    };
    const [item] = mapProduct(single, single.variants.nodes, SHOP, 'SKU');
    expect(item.id).toBe('TJ-RED-M');
    expect(item.item_group_id).toBeUndefined();
    // Not on the Online Store channel (a headless storefront): the primary domain's product path.
    expect(item.link).toBe('https://northwind.example/products/trail-jacket');
    expect(offerIdOf({ id: 'gid://shopify/ProductVariant/5', sku: ' ' }, 'SKU')).toBe('5');
    expect(numericId('gid://shopify/Product/123')).toBe('123');
  });

  it('skips the Default Title placeholder and reads untracked inventory as in stock', () => {
    const plain = {
      ...JACKET.variants.nodes[0],
      selectedOptions: [{ name: 'Title', value: 'Default Title' }],
      inventoryQuantity: 0,
      inventoryItem: { tracked: false },
    };
    const [item] = mapProduct(JACKET, [plain], SHOP, 'VARIANT_ID');
    expect(item).toMatchObject({ availability: 'in_stock' });
    expect(item.quantity).toBeUndefined();
    expect(Object.keys(item).some((key) => key.toLowerCase().includes('title') && key !== 'title')).toBe(false);
  });

  it('gives the same product the same canonical fields as the Shopify CSV export', async () => {
    const fromApi = mapProduct(JACKET, JACKET.variants.nodes, SHOP, 'SKU');
    const fromCsv = await readCsv(JACKET_CSV);
    expect(fromCsv).toHaveLength(fromApi.length);
    const shared = [
      'id',
      'title',
      'description',
      'brand',
      'product_type',
      'gtin',
      'image_link',
      'additional_image_link',
      'color',
      'size',
      'quantity',
      'availability',
      'custom:Handle',
      'custom:Tags',
    ];
    fromApi.forEach((api, i) => {
      const csv = fromCsv[i].fields;
      for (const attribute of shared) expect([attribute, api[attribute]]).toEqual([attribute, csv[attribute]]);
      // The export names no currency (the feed's default does) and no link (the API has the URL).
      const a = normalize(api);
      const c = normalize({ ...csv, link: api.link });
      const differ = new Set(['itemGroupId', 'customAttributes', 'presentAttributes']);
      for (const key of Object.keys(a) as (keyof NormalizedProduct)[]) {
        if (!differ.has(key)) expect([key, a[key]]).toEqual([key, c[key]]);
      }
      // The group id: the product id (stable) from the API, the handle (editable) in the export.
      expect([a.itemGroupId, c.itemGroupId]).toEqual(['7001', 'trail-jacket']);
    });
  });
});
