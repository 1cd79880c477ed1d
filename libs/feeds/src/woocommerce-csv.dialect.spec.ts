import { ItemValidator } from '@brandshelf/catalog-rules';
import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('WooCommerce product CSV', () => {
  it('accounts for every row: parents and grouped products are counted skips, a parent without variations an error', async () => {
    const whole = await readAll(sample('csv/woocommerce_sample_products.csv'));
    expect(whole.rowsRead).toBe(25);
    expect(whole.skips).toEqual([
      { row: 2, reason: 'VARIANT_PARENT' },
      { row: 3, reason: 'VARIANT_PARENT' },
      { row: 24, reason: 'GROUPED_PRODUCT' },
    ]);

    // The same export without the hoodie's four variation rows (IDs 79, 80, 81, 90): the variable Hoodie
    // has nothing to sell and must not vanish without a word.
    const lines = sample('csv/woocommerce_sample_products.csv').toString('utf8').split('\n');
    const withoutHoodies = lines.filter((line) => !/^(79|80|81|90),variation,/.test(line)).join('\n');
    const result = await readAll(withoutHoodies);
    expect(result.error).toBeNull();
    expect(result.rowsRead).toBe(21);
    expect(result.items).toHaveLength(18);
    expect(result.skips).toEqual([
      { row: 2, reason: 'VARIANT_PARENT' },
      { row: 21, reason: 'GROUPED_PRODUCT' },
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        code: 'VARIABLE_WITHOUT_VARIATIONS',
        row: 3,
        itemId: 'woo-hoodie',
        attribute: 'item_group_id',
      }),
    ]);
    expect(result.issues[0].message).toContain('"Hoodie" is a variable product');
    expect(result.items.map((item) => item.fields.id)).not.toContain('woo-hoodie');
    expect(result.rowsRead).toBe(result.items.length + result.skips.length + result.issues.length);
  });

  it('reads the core sample: variations grouped under their parent, variable and grouped parents not emitted', async () => {
    const result = await readAll(sample('csv/woocommerce_sample_products.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'WOOCOMMERCE', delimiter: ',' });
    expect(result.issues).toEqual([]);
    // 25 rows less the 2 variable parents and the grouped product
    expect(result.items).toHaveLength(22);
    const ids = result.items.map((item) => item.fields.id);
    expect(ids).not.toContain('woo-vneck-tee');
    expect(ids).not.toContain('woo-hoodie');
    // A grouped product only lists other products (each a row of its own) and has no price.
    expect(ids).not.toContain('logo-collection');

    const red = itemById(result, 'woo-vneck-tee-red');
    expect(red).toMatchObject({
      row: 16,
      fields: {
        title: 'V-Neck T-Shirt - Red',
        item_group_id: 'woo-vneck-tee',
        color: 'Red',
        price: '20',
        availability: 'in_stock',
        // The variation has no category of its own: the parent lends it.
        product_type: 'Clothing > Tshirts',
        'custom:Type': 'variation',
        'custom:ID': '76',
      },
    });
    expect(red.fields.size).toBeUndefined();

    expect(itemById(result, 'woo-hoodie-red').fields).toMatchObject({
      item_group_id: 'woo-hoodie',
      price: '45',
      sale_price: '42',
      color: 'Red',
      'custom:Logo': 'No',
    });
    expect(itemById(result, 'woo-hoodie-blue-logo').row).toBe(26);

    const simple = itemById(result, 'woo-hoodie-with-logo');
    expect(simple.fields).toMatchObject({
      price: '45',
      shipping_weight: '2 lb',
      color: 'Blue',
      product_type: 'Clothing > Hoodies',
    });
    expect(simple.fields.item_group_id).toBeUndefined();
    expect(simple.fields.image_link).toMatch(/^https:\/\/woocommercecore\.mystagingwebsite\.com\/.*hoodie-with-logo/);
    // ".5" pounds, in Merchant Center's unit.
    expect(itemById(result, 'Woo-tshirt-logo').fields.shipping_weight).toBe('0.5 lb');
    expect(itemById(result, 'woo-belt').fields.shipping_weight).toBe('1.2 lb');

    expect(itemById(result, 'wp-pennant').fields).toMatchObject({
      link: 'https://mercantile.wordpress.org/product/wordpress-pennant/',
      price: '11.05',
      'custom:Button text': 'Buy on the WordPress swag store!',
    });
    expect(itemById(result, 'woo-album').fields['custom:Type']).toBe('simple, downloadable, virtual');
    expect(itemById(result, 'woo-beanie').fields).toMatchObject({ price: '20', sale_price: '18' });
  });

  it("reads a scheduled sale's dates as sale_price_effective_date, so a sale that ended is not shown", async () => {
    // The core sample with schedules set on its own sale rows, as WooCommerce exports them (the date columns follow
    // the Description cell): the Beanie's sale ran through January 2026, the Belt's runs all of 2026 (to the end of
    // its last day), and the Hoodie variation's sale has a start only.
    const schedules: Record<string, [string, string]> = {
      '48': ['2026-01-01', '2026-01-31'],
      '58': ['2026-01-01 00:00:00', '2026-12-31'],
      '79': ['2026-03-20', ''],
    };
    const csv = sample('csv/woocommerce_sample_products.csv')
      .toString('utf8')
      .split('\n')
      .map((line) => {
        const dates = schedules[line.slice(0, line.indexOf(','))];
        return dates ? line.replace('",,,taxable,', `","${dates[0]}","${dates[1]}",taxable,`) : line;
      })
      .join('\n');
    const result = await readAll(csv, { storeUrl: 'https://shop.example.com' });
    expect(result.error).toBeNull();
    expect(result.issues).toEqual([]);
    expect(itemById(result, 'woo-beanie').fields).toMatchObject({
      price: '20',
      sale_price: '18',
      sale_price_effective_date: '2026-01-01/2026-01-31',
    });
    expect(itemById(result, 'woo-belt').fields.sale_price_effective_date).toBe('2026-01-01 00:00:00/2026-12-31');
    expect(itemById(result, 'woo-hoodie-red').fields.sale_price_effective_date).toBe('2026-03-20/9999-12-31');
    // The date columns are read, not kept as custom attributes too; rows without dates have no window.
    expect(Object.keys(itemById(result, 'woo-beanie').fields).filter((key) => /date/i.test(key))).toEqual([
      'sale_price_effective_date',
    ]);
    expect(itemById(result, 'woo-hoodie-blue-logo').fields.sale_price_effective_date).toBeUndefined();

    // Validated on 2026-03-15: the Beanie's sale is over and the Hoodie's has not begun, the Belt is on sale.
    const validator = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'USD', now: Date.UTC(2026, 2, 15) });
    const validated = new Map(result.items.map((item) => [item.fields.id, validator.validate(item)]));
    const sale = (id: string) => {
      const { product, issues } = validated.get(id)!;
      return [
        product?.priceMinor,
        product?.salePriceMinor,
        issues.filter((i) => i.code === 'SALE_PRICE_NOT_IN_EFFECT').length,
      ];
    };
    expect(sale('woo-beanie')).toEqual([2000, null, 1]);
    expect(sale('woo-belt')).toEqual([6500, 5500, 0]);
    expect(sale('woo-hoodie-red')).toEqual([4500, null, 1]);
    expect(sale('woo-cap')).toEqual([1800, 1600, 0]);
  });

  it('resolves `id:` parent references and inherits from a variable parent read earlier', async () => {
    const csv = [
      'ID,Type,SKU,Name,Parent,Regular price,In stock?,Stock,Description,Categories,Images',
      '10,variable,shirt,Shirt,,,1,,Soft cotton,Apparel > Shirts,"https://x.test/a.jpg, https://x.test/b.jpg"',
      '11,variation,,Shirt - S,id:10,12,0,0,,,',
      '12,variation,shirt-m,Shirt - M,id:99,12,backorder,,,,',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.meta?.dialect).toBe('WOOCOMMERCE');
    expect(result.items.map((item) => item.fields)).toEqual([
      expect.objectContaining({
        id: '11',
        item_group_id: 'shirt',
        description: 'Soft cotton',
        product_type: 'Apparel > Shirts',
        image_link: 'https://x.test/a.jpg',
        additional_image_link: ['https://x.test/b.jpg'],
        availability: 'out_of_stock',
        quantity: '0',
      }),
      expect.objectContaining({ id: 'shirt-m', item_group_id: '99', availability: 'backorder' }),
    ]);
  });

  it('writes weights in Merchant Center units and skips grouped products', async () => {
    const csv = [
      'ID,Type,SKU,Name,Regular price,Weight (kg),Grouped products',
      '1,simple,a,A,10,"1,5",',
      '2,simple,b,B,10,about 2,',
      '3,grouped,set,Set,,,"a, b"',
      '4,simple,c,C,10,.25,',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.items.map((item) => [item.fields.id, item.fields.shipping_weight])).toEqual([
      ['a', '1.5 kg'],
      ['b', 'about 2 kg'],
      ['c', '0.25 kg'],
    ]);
  });

  it('skips private (0) and draft (-1) products, and the variations of an unpublished parent', async () => {
    const csv = [
      'ID,Type,SKU,Name,Published,Regular price,Parent',
      '1,simple,a,A,1,10,',
      '2,simple,b,B,0,10,',
      '3,simple,,C,-1,10,',
      '4,variable,tee,Tee,-1,,',
      '5,variation,tee-s,,1,10,tee',
      '6,variable,cap,Cap,1,,',
      '7,variation,cap-s,,1,10,cap',
      '8,variation,cap-m,,0,10,cap',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields.id)).toEqual(['a', 'cap-s']);
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.attribute, issue.value, issue.itemId])).toEqual([
      [3, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Published', '0', 'b'],
      [4, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Published', '-1', '3'],
      [6, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Published', '-1', 'tee-s'],
      [9, 'INACTIVE_PRODUCT_SKIPPED', 'custom:Published', '0', 'cap-m'],
    ]);
    expect(result.issues[0]).toMatchObject({ severity: 'WARNING' });
    expect(result.issues[0].hint).toContain('active/published');
  });
});
