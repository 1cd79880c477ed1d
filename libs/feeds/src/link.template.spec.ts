import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

/** Exports carry no product-page URL: the feed's storeUrl and linkTemplate build one. */
describe('links built from storeUrl and linkTemplate', () => {
  it('gives a Shopify export /products/<handle> with only storeUrl set, and nothing without it', async () => {
    const bare = await readAll(sample('shopify/products_export_demo.csv'));
    expect(bare.items.length).toBeGreaterThan(0);
    expect(bare.items.every((item) => item.fields.link === undefined)).toBe(true);

    const result = await readAll(sample('shopify/products_export_demo.csv'), { storeUrl: 'https://demo.example' });
    expect(result.items).toHaveLength(bare.items.length);
    for (const item of result.items) {
      expect(item.fields.link).toBe(`https://demo.example/products/${item.fields['custom:Handle'] as string}`);
    }
  });

  it("gives WooCommerce items the shop's permalink by post id, variations their parent's, external products their own URL", async () => {
    const result = await readAll(sample('csv/woocommerce_sample_products.csv'), {
      storeUrl: 'https://woo.example/shop',
    });
    expect(itemById(result, 'woo-beanie').fields.link).toBe('https://woo.example/shop/?post_type=product&p=48');
    // A variation of V-Neck T-Shirt (ID 44), which names its parent by SKU.
    expect(itemById(result, 'woo-vneck-tee-red').fields.link).toBe('https://woo.example/shop/?post_type=product&p=44');
    expect(itemById(result, 'wp-pennant').fields.link).toBe(
      'https://mercantile.wordpress.org/product/wordpress-pennant/',
    );
  });

  it('gives Vendure items /products/<slug>, and a linkTemplate replaces the default', async () => {
    const byDefault = await readAll(sample('csv/vendure_products.csv'), { storeUrl: 'https://vendure.example' });
    expect(itemById(byDefault, '834444').fields.link).toBe('https://vendure.example/products/cordless-mouse');

    const templated = await readAll(sample('csv/vendure_products.csv'), {
      storeUrl: 'https://vendure.example',
      linkTemplate: '{store}/en/product/{handle}?sku={id}',
    });
    expect(itemById(templated, 'L2201308').fields.link).toBe('https://vendure.example/en/product/laptop?sku=L2201308');
  });

  it('fills placeholders from any field, URL-encoded, and never replaces a link the row has', async () => {
    const csv = [
      'id,title,link,custom slug',
      'A 1,First,,first/one',
      'B2,Second,https://own.example/b2,second',
      'C3,Third,,',
    ].join('\n');
    const result = await readAll(csv, { linkTemplate: 'https://generic.example/p/{custom slug}?ref={id}' });
    expect(result.items.map((item) => item.fields.link)).toEqual([
      'https://generic.example/p/first%2Fone?ref=A%201',
      'https://own.example/b2',
      // A placeholder without a value builds nothing: validation reports the missing link.
      undefined,
    ]);
  });

  it('builds nothing from a template that needs {store} when no storeUrl is set, or that is not absolute', async () => {
    const csv = 'id,title\nA1,First\n';
    expect((await readAll(csv, { linkTemplate: '{store}/p/{id}' })).items[0].fields.link).toBeUndefined();
    expect((await readAll(csv, { linkTemplate: '/p/{id}' })).items[0].fields.link).toBeUndefined();
    expect(
      (await readAll(csv, { linkTemplate: '{store}/p/{id}', storeUrl: 'http://s.example' })).items[0].fields.link,
    ).toBe('http://s.example/p/A1');
  });

  it('applies a linkTemplate to XML feeds too', async () => {
    const xml =
      '<?xml version="1.0"?><products><product><id>7</id><title>Seven</title></product><product><id>8</id><title>Eight</title></product></products>';
    const result = await readAll(xml, { storeUrl: 'https://x.example', linkTemplate: '{store}/item/{id}' });
    expect(result.items.map((item) => item.fields.link)).toEqual([
      'https://x.example/item/7',
      'https://x.example/item/8',
    ]);
  });
});
