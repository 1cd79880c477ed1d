import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Shopify product CSV', () => {
  it('reads the current template: one item per variant, images and options merged from continuation rows', async () => {
    const result = await readAll(sample('shopify/product_template.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'SHOPIFY', encoding: 'utf-8', delimiter: ',' });
    // 12 shirt variants + 3 jeans (the 4th jeans row only adds an image) + 1 beanie; the jeans are a draft and
    // the beanie is archived (both Published FALSE), so only the 12 shirts are items.
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.attribute, issue.value, issue.itemId])).toEqual([
      [14, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Status', 'draft', 'PNT_DEN_285'],
      [15, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Status', 'draft', 'PNT_DEN_305'],
      [16, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Status', 'draft', 'PNT_DEN_405'],
      [18, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Status', 'archived', 'HAT_GRY_275'],
    ]);
    expect(result.issues.every((issue) => issue.severity === 'WARNING')).toBe(true);
    expect(result.issues[0].hint).toContain('active/published');
    expect(result.items).toHaveLength(12);

    const shirt = itemById(result, 'SRT_COT_111');
    expect(shirt.row).toBe(2);
    expect(shirt.fields).toMatchObject({
      title: 'Example T-Shirt',
      brand: 'Acme',
      product_type: 'Shirts',
      google_product_category: '212',
      'custom:Product Category': 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts',
      item_group_id: 'example-shirt',
      price: '25',
      color: 'Green',
      size: 'S',
      // Excel's scientific notation is passed on as written; validation rejects it as a GTIN.
      gtin: '3.65275E+11',
      quantity: '0',
      availability: 'out_of_stock',
      image_link: 'https://burst.shopifycdn.com/photos/green-t-shirt.jpg?width=1500',
      shipping_weight: '145 g',
      'custom:Handle': 'example-shirt',
      'custom:Status': 'active',
    });
    expect(shirt.fields.sale_price).toBeUndefined();
    expect(shirt.fields.link).toBeUndefined();
    expect(shirt.fields.additional_image_link).toContain('https://burst.shopifycdn.com/photos/tshirts.jpg?width=1500');
    expect(shirt.fields.additional_image_link).not.toContain(shirt.fields.image_link);

    const lastShirt = itemById(result, 'SRT_COT_433');
    expect(lastShirt.fields).toMatchObject({
      title: 'Example T-Shirt',
      color: 'Purple',
      size: 'L',
      description: shirt.fields.description,
    });
  });

  it('skips draft, archived and unpublished products, one warning per variant, and reads active ones', async () => {
    const csv = [
      'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Compare At Price,Published,Status',
      'hat,Hat,Title,Default Title,HAT-1,17.99,22.99,TRUE,active',
      'jeans,Jeans,Size,28,J-28,95,64.95,FALSE,draft',
      'jeans,,,30,J-30,95,,,',
      'old,Old,,,,10,,true,archived',
      'hidden,Hidden,,,H-1,10,,false,',
      'legacy,Legacy,,,L-1,10,,FALSE,',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields.id)).toEqual(['HAT-1']);
    const hat = result.items[0];
    expect(hat.fields).toMatchObject({ price: '22.99', sale_price: '17.99', 'custom:Status': 'active' });
    // A single variant is not a group, and "Default Title" is not an option.
    expect(hat.fields.item_group_id).toBeUndefined();
    expect(Object.keys(hat.fields).some((key) => key.startsWith('custom:Title'))).toBe(false);
    expect(result.issues.map((issue) => [issue.row, issue.attribute, issue.value, issue.itemId])).toEqual([
      [3, 'custom:Status', 'draft', 'J-28'],
      [4, 'custom:Status', 'draft', 'J-30'],
      [5, 'custom:Status', 'archived', 'old-1'],
      [6, 'custom:Published', 'false', 'H-1'],
      [7, 'custom:Published', 'FALSE', 'L-1'],
    ]);
    expect(result.issues.every((issue) => issue.code === 'INACTIVE_PRODUCT_SKIPPED')).toBe(true);
  });

  it('reads the legacy template: blank first SKU, escaped inch marks, option names only on the product row', async () => {
    const result = await readAll(sample('shopify/product_template_legacy.csv'));
    expect(result.meta?.dialect).toBe('SHOPIFY');
    expect(result.items.map((item) => item.fields.id)).toEqual([
      'example-t-shirt-1',
      'example-shirt-s',
      'example-shirt-m',
    ]);
    expect(result.items.map((item) => item.row)).toEqual([2, 3, 4]);
    for (const item of result.items) {
      expect(item.fields).toMatchObject({
        item_group_id: 'example-t-shirt',
        condition: 'used',
        mpn: '7X8ABC910',
        title: 'Example T-Shirt',
      });
    }
    expect(result.items[0].fields['custom:Title']).toBe('Lithograph - Height: 9" x Width: 12"');
    expect(result.items[0].fields.price).toBe('25');
    expect(result.items[1].fields).toMatchObject({ price: '24.99', sale_price: '19.99', 'custom:Title': 'Small' });
    expect(result.items[0].fields['custom:Google Shopping / AdWords Labels']).toBe('cotton, pre-shrunk');
  });

  it('reads a real admin export with a multi-line Body and inventory quantities', async () => {
    const result = await readAll(sample('shopify/products_export_demo.csv'));
    expect(result.meta?.dialect).toBe('SHOPIFY');
    expect(result.issues).toEqual([]);
    expect(result.items).toHaveLength(21);

    const armchairs = itemById(result, 'black-armchairs-1');
    expect(armchairs.row).toBe(3);
    expect(armchairs.fields.description).toMatch(/^<h6><span>Description<\/span><\/h6>\n<p>/);
    expect(armchairs.fields).toMatchObject({
      price: '80.00',
      sale_price: '69.99',
      quantity: '6',
      availability: 'in_stock',
    });

    expect(itemById(result, 'watering-can-1').fields).toMatchObject({ quantity: '0', availability: 'out_of_stock' });
    expect(itemById(result, 'grey-wheelbarrow-1').fields.sale_price).toBeUndefined();

    const gloves = result.items.filter((item) => item.fields['custom:Handle'] === 'gardening-gloves');
    expect(gloves.map((item) => [item.row, item.fields.id, item.fields.color, item.fields.item_group_id])).toEqual([
      [26, 'gardening-gloves-1', 'Green', 'gardening-gloves'],
      [27, 'gardening-gloves-2', 'Yellow', 'gardening-gloves'],
    ]);
    expect(result.items.some((item) => item.fields.gtin !== undefined)).toBe(false);
  });

  it('reads the Velofant export: Swedish option names, apostrophe barcodes, image-only rows', async () => {
    const result = await readAll(sample('shopify/products_export_velofant.csv'));
    expect(result.meta?.dialect).toBe('SHOPIFY');
    expect(result.meta?.headers).toHaveLength(63);
    // Two used bikes are archived (and unpublished): crescent-chess-28 (line 66) and vit-bla-monark-28-10vxl (99).
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.value, issue.itemId])).toEqual([
      [66, 'INACTIVE_PRODUCT_SKIPPED', 'archived', 'crescent-chess-28-1'],
      [99, 'INACTIVE_PRODUCT_SKIPPED', 'archived', 'vit-bla-monark-28-10vxl-1'],
    ]);
    expect(result.items).toHaveLength(17);

    const wheelset = itemById(result, 'WH-FS-700C-BK-V1');
    expect(wheelset.fields).toMatchObject({
      price: '3499.00',
      sale_price: '2999.00',
      gtin: "'7350177880121",
      google_product_category: '3216',
      image_link: 'https://cdn.shopify.com/s/files/1/0837/7581/6028/files/wheelset.png?v=1748123733',
    });
    expect(wheelset.fields.additional_image_link).toHaveLength(7);

    const black = itemById(result, 'HB-MID-BLK-72-X');
    // Option "Färg" is Swedish for colour.
    expect(black).toMatchObject({ row: 14, fields: { color: 'black', item_group_id: 'ken-mid-rise-bar-styre-72cm' } });
    expect(black.fields['custom:Färg (product.metafields.shopify.color-pattern)']).toBe('black; silver');
    expect(itemById(result, 'HB-MID-SIL-72-X').fields.color).toBe('silver');

    expect(itemById(result, 'CY-ARK-CHR-57')).toMatchObject({
      row: 121,
      fields: { size: '57', item_group_id: 'arkipelago' },
    });
    expect(itemById(result, 'FR-BASIC-BLK-2')).toMatchObject({
      row: 89,
      fields: { 'custom:Mounting point': 'Mid-blade eyelets' },
    });
    expect(itemById(result, 'RK-CRANE-BLK').row).toBe(110);
    expect(itemById(result, 'nordstjerna-26-1').fields.title).toBe('Nordstjerna, 26"');
    expect(itemById(result, 'nordstjerna-26-1').fields['custom:Status']).toBe('active');
    expect(itemById(result, 'LK-Varedo-Blk').fields.google_product_category).toBe(
      'Sporting Goods > Outdoor Recreation > Cycling > Bicycle Accessories > Bicycle Locks',
    );
    // One Google knows is used as written.
    expect(itemById(result, 'RK-CRANE-BLK').fields).toMatchObject({
      google_product_category:
        'Sporting Goods > Outdoor Recreation > Cycling > Bicycle Accessories > Bicycle Bells & Horns',
    });
    expect(itemById(result, 'RK-CRANE-BLK').fields['custom:Product Category']).toBeUndefined();
    expect(itemById(result, 'FR-BASIC-BLK-1').fields.title).toBe('PIZZA FRONT RACK  🍕');
  });

  it('passes a Product Category with no Google ancestor on as written', async () => {
    const csv = [
      'Handle,Title,Product Category,Variant SKU,Variant Price',
      'a,A,Gift Cards > Digital,A1,10',
      'b,B,Apparel & Accessories > Clothing > Clothing Tops > T-Shirts,B1,10',
    ].join('\n');
    const result = await readAll(csv);
    expect(itemById(result, 'A1').fields.google_product_category).toBe('Gift Cards > Digital');
    expect(itemById(result, 'A1').fields['custom:Product Category']).toBeUndefined();
    expect(itemById(result, 'B1').fields).toMatchObject({
      google_product_category: 'Apparel & Accessories > Clothing',
      'custom:Product Category': 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts',
    });
  });
});
