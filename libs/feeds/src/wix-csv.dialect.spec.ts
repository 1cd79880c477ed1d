import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Wix catalog CSV', () => {
  it('reads the sample: BOM, products with and without variant rows, media ids as URLs', async () => {
    const result = await readAll(sample('csv/wix_catalog_products.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'WIX', encoding: 'utf-8' });
    expect(result.meta?.headers?.[0]).toBe('handleId');
    // 33 products: those with variant rows give one item per variant (109 in all). 18 of them are hidden
    // (visible false): 6 products without variants (lines 2, 12, 13, 27, 425), the 4 variants each of two
    // hidden products (364–367, 383–386), and the 5 hidden variants of the Cult of Mathilda T-Shirt (4–8).
    expect(result.issues.map((issue) => issue.row)).toEqual([
      2, 4, 5, 6, 7, 8, 12, 13, 27, 364, 365, 366, 367, 383, 384, 385, 386, 425,
    ]);
    expect(result.issues.every((issue) => issue.code === 'INACTIVE_PRODUCT_SKIPPED')).toBe(true);
    expect(result.issues[0]).toMatchObject({
      severity: 'WARNING',
      attribute: 'custom:visible',
      value: 'false',
      itemId: 'product_529ed0e5-8572-a205-c1dd-9bf703c76675',
    });
    expect(result.issues[1].itemId).toBe('product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-1');
    expect(result.issues[9].itemId).toBe('MOA3XL');
    expect(result.items).toHaveLength(91);

    const pants = result.items.filter(
      (item) => item.fields.item_group_id === 'product_01464e1f-94fc-8cf7-ba10-5d7090245302',
    );
    expect(pants.map((item) => [item.row, item.fields.id, item.fields.size])).toEqual([
      [493, 'CCC11M', 'M'],
      [494, 'CCC11L', 'L'],
      [495, 'CCC11XL', 'XL'],
      [496, 'CCC11XS', 'XS'],
      [497, 'CCC11S', 'S'],
    ]);
    expect(pants[0].fields).toMatchObject({
      price: '135.0',
      quantity: '3',
      availability: 'in_stock',
      'custom:visible': 'true',
    });
    expect(pants[0].fields.image_link).toMatch(/^https:\/\/static\.wixstatic\.com\/media\/a47bec_/);

    // A COLOR option value is written `#B81616:Red`.
    expect(itemById(result, 'CCC6S').fields).toMatchObject({
      size: 'S',
      color: 'Red',
      quantity: '2',
      availability: 'in_stock',
    });
    expect(itemById(result, 'CCC14S').fields).toMatchObject({ brand: 'Fenclaw & Faund', size: 'Human - 21" Inches' });
    expect(itemById(result, 'CCC9M').fields.availability).toBe('out_of_stock');
  });

  it('skips hidden products and hidden variants; options without variant rows stay a list', async () => {
    const csv = [
      'handleId,fieldType,name,price,inventory,visible,sku,productOptionName1,productOptionDescription1',
      'p1,Product,Collar,10.0,InStock,true,,Color,#ff0000:Red;#fffdd0:Cream',
      'p2,Product,Hidden,10.0,InStock,false,,,',
      'p3,Product,Mug,10.0,InStock,true,,Size,S;M;L',
      'p3,Variant,,,3,true,MUG-S,,S',
      'p3,Variant,,,3,false,MUG-M,,M',
      'p4,Product,Cup,10.0,InStock,FALSE,,Size,S;L',
      'p4,Variant,,,3,true,CUP-S,,S',
      'p4,Variant,,,3,true,,,L',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields.id)).toEqual(['p1', 'MUG-S']);
    expect(itemById(result, 'p1').fields).toMatchObject({ availability: 'in_stock', 'custom:Color': 'Red;Cream' });
    // One visible variant left is no group.
    expect(itemById(result, 'MUG-S').fields.item_group_id).toBeUndefined();
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.value, issue.itemId])).toEqual([
      [3, 'INACTIVE_PRODUCT_SKIPPED', 'false', 'p2'],
      [6, 'INACTIVE_PRODUCT_SKIPPED', 'false', 'MUG-M'],
      [8, 'INACTIVE_PRODUCT_SKIPPED', 'FALSE', 'CUP-S'],
      [9, 'INACTIVE_PRODUCT_SKIPPED', 'FALSE', 'p4-2'],
    ]);
  });

  it('adds surcharges and discounts to the product price', async () => {
    const csv = [
      'handleId,fieldType,name,price,surcharge,discountMode,discountValue,inventory,sku,productOptionName1,productOptionDescription1',
      'p1,Product,Mug,10.0,,PERCENT,10.0,InStock,,Size,S;L',
      'p1,Variant,,,,,,OutOfStock,MUG-S,,S',
      'p1,Variant,,,2.5,,,7,MUG-L,,L',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields)).toEqual([
      expect.objectContaining({
        id: 'MUG-S',
        price: '10.0',
        sale_price: '9.00',
        availability: 'out_of_stock',
        size: 'S',
      }),
      expect.objectContaining({
        id: 'MUG-L',
        price: '12.50',
        sale_price: '11.25',
        quantity: '7',
        availability: 'in_stock',
      }),
    ]);
  });
});
