import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Vendure import CSV', () => {
  it('reads the mock data: padded cells trimmed, variant rows inherit the product columns', async () => {
    const result = await readAll(sample('csv/vendure_products.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'VENDURE', delimiter: ',' });
    expect(result.meta?.headers?.slice(0, 3)).toEqual(['name', 'slug', 'description']);
    expect(result.issues).toEqual([]);
    expect(result.items).toHaveLength(88);

    const laptops = result.items.filter((item) => item.fields.item_group_id === 'laptop');
    expect(
      laptops.map((item) => [item.row, item.fields.id, item.fields.price, item.fields.size, item.fields['custom:RAM']]),
    ).toEqual([
      [2, 'L2201308', '1299.00', '13 inch', '8GB'],
      [3, 'L2201508', '1399.00', '15 inch', '8GB'],
      [4, 'L2201316', '2199.00', '13 inch', '16GB'],
      [5, 'L2201516', '2299.00', '15 inch', '16GB'],
    ]);
    expect(laptops[3].fields).toMatchObject({
      title: 'Laptop',
      brand: 'Apple',
      product_type: 'Electronics > Computers',
      // Bare file names are kept; validation reports them as invalid URLs.
      image_link: 'derick-david-409858-unsplash.jpg',
      quantity: '100',
      availability: 'in_stock',
      'custom:taxCategory': 'standard',
    });
    expect(laptops[3].fields.description).toMatch(/^Now equipped with seventh-generation Intel Core processors/);

    const mouse = itemById(result, '834444');
    expect(mouse.fields).toMatchObject({
      title: 'Wireless Optical Mouse',
      brand: 'Logitech',
      'custom:slug': 'cordless-mouse',
    });
    expect(mouse.fields.item_group_id).toBeUndefined();

    const chairs = result.items.filter((item) => item.fields.item_group_id === 'modern-cafe-chair');
    expect(chairs.map((item) => item.fields.color)).toContain('mint');
  });
});

describe('Vendure language-suffixed columns', () => {
  const csv = [
    'name:en,name:de,slug:en,slug:de,description:en,description:de,assets,facets:en,optionGroups:en,optionGroups:de,optionValues:en,optionValues:de,sku,price,stockOnHand,product:keywords:en,product:keywords:de,variant:note',
    'Hat,Hut,hat,hut,A warm hat.,Ein warmer Hut.,hat.jpg,brand:Acme,size,Größe,S,S,HAT-S,10.00,5,warm,warm winter,soft',
    ',,,,,,,,,,M,M,HAT-M,11.00,0,,,',
    'Scarf,,scarf,,A long scarf.,,scarf.jpg,brand:Acme,,,,,SCARF,20.00,3,long,,',
  ].join('\n');

  it('reads English by default: the product is recognized and its title is there', async () => {
    const result = await readAll(csv);
    expect(result.meta?.dialect).toBe('VENDURE');
    expect(result.issues).toEqual([]);
    expect(result.items.map((item) => [item.fields.id, item.fields.title, item.fields.size])).toEqual([
      ['HAT-S', 'Hat', 'S'],
      ['HAT-M', 'Hat', 'M'],
      ['SCARF', 'Scarf', undefined],
    ]);
    expect(result.items[0].fields).toMatchObject({
      description: 'A warm hat.',
      brand: 'Acme',
      item_group_id: 'hat',
      'custom:slug': 'hat',
      'custom:product:keywords': 'warm',
      'custom:variant:note': 'soft',
    });
    // The other language's columns add nothing of their own.
    expect(Object.keys(result.items[0].fields).filter((key) => key.endsWith(':de'))).toEqual([]);
  });

  it("lets the feed's language win, falling back cell by cell to English where a translation is missing", async () => {
    const result = await readAll(csv, { language: 'de', storeUrl: 'https://shop.example' });
    expect(result.items.map((item) => [item.fields.id, item.fields.title, item.fields.description])).toEqual([
      ['HAT-S', 'Hut', 'Ein warmer Hut.'],
      ['HAT-M', 'Hut', 'Ein warmer Hut.'],
      ['SCARF', 'Scarf', 'A long scarf.'],
    ]);
    expect(result.items[0].fields).toMatchObject({
      size: 'S',
      item_group_id: 'hut',
      'custom:product:keywords': 'warm winter',
      link: 'https://shop.example/products/hut',
    });
    expect(result.items[2].fields['custom:product:keywords']).toBe('long');
  });

  it('falls back to English when the chosen language has no columns at all', async () => {
    const result = await readAll(csv, { language: 'fr' });
    expect(result.items.map((item) => item.fields.title)).toEqual(['Hat', 'Hat', 'Scarf']);
  });
});
