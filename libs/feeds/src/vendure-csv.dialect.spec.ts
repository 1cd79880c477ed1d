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
