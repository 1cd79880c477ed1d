import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Medusa product import CSV', () => {
  it('reads the import template: one item per variant, grouped by handle, never the empty Product Id', async () => {
    const result = await readAll(sample('csv/medusa_product_import_template.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'MEDUSA', delimiter: ';' });
    expect(result.meta?.columns?.find((column) => column.header === 'Product Id')?.attribute).toBe('custom:Product Id');
    expect(result.issues).toEqual([]);
    // 1 mug variant + 4 sweatpants variants; SKU and Variant Id are empty, so ids come from the handle.
    expect(result.items.map((item) => [item.row, item.fields.id, item.fields.item_group_id, item.fields.size])).toEqual(
      [
        [2, 'coffee-mug-v2-1', undefined, 'One Size'],
        [3, 'sweatpants-v2-1', 'sweatpants-v2', 'S'],
        [4, 'sweatpants-v2-2', 'sweatpants-v2', 'M'],
        [5, 'sweatpants-v2-3', 'sweatpants-v2', 'L'],
        [6, 'sweatpants-v2-4', 'sweatpants-v2', 'XL'],
      ],
    );
    const pants = itemById(result, 'sweatpants-v2-3');
    expect(pants.fields).toMatchObject({
      title: 'Medusa Sweatpants',
      description: expect.stringMatching(/^Reimagine the feeling of classic sweatpants\./),
      image_link: 'https://medusa-public-images.s3.eu-west-1.amazonaws.com/sweatpants-gray-front.png',
      additional_image_link: ['https://medusa-public-images.s3.eu-west-1.amazonaws.com/sweatpants-gray-back.png'],
      // v1 columns hold minor units: 2950 is 29.50 EUR; the first price column wins without a default currency.
      price: '29.50 EUR',
      'custom:Price USD': '3350',
      quantity: '100',
      availability: 'in_stock',
      shipping_weight: '400 g',
      'custom:Product Handle': 'sweatpants-v2',
      'custom:Variant Title': 'L',
    });
    // The export has no product-page URL and no storeUrl was given.
    expect(pants.fields.link).toBeUndefined();
  });

  it('takes the price column of the default currency and builds links from the handle with a storeUrl', async () => {
    const result = await readAll(sample('csv/medusa_product_import_template.csv'), {
      defaultCurrency: 'usd',
      storeUrl: 'https://shop.example.com/',
    });
    const mug = itemById(result, 'coffee-mug-v2-1');
    expect(mug.fields).toMatchObject({
      price: '12.00 USD',
      'custom:Price EUR': '1000',
      link: 'https://shop.example.com/products/coffee-mug-v2',
    });
    expect(itemById(result, 'sweatpants-v2-4').fields.link).toBe('https://shop.example.com/products/sweatpants-v2');
  });

  it('reads a v2 export: SKU or variant id as id, major-unit prices, skips unpublished products', async () => {
    const csv = [
      'Product Id,Product Handle,Product Title,Product Status,Product Thumbnail,Product Image 1,Variant Id,Variant Title,Variant Sku,Variant Manage Inventory,Variant Allow Backorder,Variant Inventory Quantity,Variant Option 1 Name,Variant Option 1 Value,Variant Option 2 Name,Variant Option 2 Value,Variant Price EUR,Variant Price USD',
      'prod_1,tee,Tee,published,,https://img.example/tee.png,variant_1,Red S,TEE-R-S,true,false,0,Color,Red,Size,S,30,45',
      'prod_1,tee,Tee,published,,https://img.example/tee.png,variant_2,Red M,,true,true,0,Color,Red,Size,M,30.5,45',
      'prod_2,cap,Cap,draft,,https://img.example/cap.png,variant_3,One,CAP-1,false,false,0,Size,One,,,10,12',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.meta?.dialect).toBe('MEDUSA');
    expect(
      result.items.map((item) => [item.fields.id, item.fields.price, item.fields.availability, item.fields.color]),
    ).toEqual([
      ['TEE-R-S', '30 EUR', 'out_of_stock', 'Red'],
      // Backorders allowed: still sold.
      ['variant_2', '30.5 EUR', 'in_stock', 'Red'],
    ]);
    expect(result.items[0].fields).toMatchObject({
      item_group_id: 'tee',
      size: 'S',
      image_link: 'https://img.example/tee.png',
      'custom:Product Id': 'prod_1',
      'custom:Variant Id': 'variant_1',
    });
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.value, issue.itemId])).toEqual([
      [4, 'INACTIVE_PRODUCT_SKIPPED', 'draft', 'CAP-1'],
    ]);
  });
});
