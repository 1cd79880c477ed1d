import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Wix catalog CSV', () => {
  it('reads the sample: BOM, products with and without variant rows, media ids as URLs', async () => {
    const result = await readAll(sample('csv/wix_catalog_products.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'WIX', encoding: 'utf-8' });
    expect(result.meta?.headers?.[0]).toBe('handleId');
    expect(result.issues).toEqual([]);
    // 33 products: those with variant rows give one item per variant (109 in all)
    expect(result.items).toHaveLength(109);

    const dice = itemById(result, 'product_529ed0e5-8572-a205-c1dd-9bf703c76675');
    expect(dice).toMatchObject({
      row: 2,
      fields: {
        title: 'Just the dice',
        price: '30.0',
        quantity: '15',
        availability: 'in_stock',
        'custom:visible': 'false',
      },
    });
    expect(dice.fields.item_group_id).toBeUndefined();
    expect(dice.fields.sale_price).toBeUndefined();

    const shirts = result.items.filter(
      (item) => item.fields.item_group_id === 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba',
    );
    expect(shirts.map((item) => [item.row, item.fields.id, item.fields.size])).toEqual([
      [4, 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-1', 'XL'],
      [5, 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-2', 'Medium'],
      [6, 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-3', 'Large'],
      [7, 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-4', 'XXXL'],
      [8, 'product_6ef4f446-65e5-5147-ac2d-9bc674c60fba-5', 'XXL'],
    ]);
    expect(shirts[0].fields).toMatchObject({
      title: 'Cult of Mathilda T-Shirt',
      price: '65.0',
      availability: 'out_of_stock',
      product_type: 'The Cult of Mathilda',
      image_link: 'https://static.wixstatic.com/media/a47bec_5d5931d309c440e58ae748d45778c293~mv2.jpg',
    });
    expect(shirts[0].fields.additional_image_link).toHaveLength(3);

    // A COLOR option value is written `#B81616:Red`.
    expect(itemById(result, 'CCC6S').fields).toMatchObject({
      size: 'S',
      color: 'Red',
      quantity: '2',
      availability: 'in_stock',
    });
    expect(itemById(result, 'CCC14S').fields).toMatchObject({ brand: 'Fenclaw & Faund', size: 'Human - 21" Inches' });
    expect(itemById(result, 'CCC9M').fields.availability).toBe('out_of_stock');
    // Options without variant rows stay a list on the product.
    expect(itemById(result, 'product_6a6e6379-986f-9a94-07b5-3190f997fc1d').fields).toMatchObject({
      title: "Fiona's Cloth Collar",
      availability: 'in_stock',
      'custom:Color': 'Red;Cream',
    });
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
