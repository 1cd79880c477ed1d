import { readAll, sample } from './__fixtures__/read-feed.fixture.js';

describe('Meta catalog CSV', () => {
  it('reads the DPA sample: indexed image columns become additional images, app columns stay custom', async () => {
    const result = await readAll(sample('csv/meta_dpa_sample_feed.csv'));
    expect(result.error).toBeNull();
    expect(result.meta).toMatchObject({ format: 'CSV', dialect: 'META', delimiter: ',' });
    expect(result.issues).toEqual([]);
    expect(result.items).toHaveLength(9);
    expect(result.items.map((item) => item.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const first = result.items[0].fields;
    expect(first).toMatchObject({
      id: 'DB_1',
      title: 'title DB_1',
      link: 'https://vishwarajanand.com?prod=1',
      image_link: 'https://user-images.githubusercontent.com/7369612/91123916-a12eb400-e6d0-11ea-8041-a07095220918.png',
      price: '1 USD',
      availability: 'in stock',
      gtin: '4011200000000',
      item_group_id: 'DB_GROUP_1',
      'custom:additional_variant_attribute': 'cover:LED',
      'custom:image[0].tag[0]': '1st image of 1st product',
      'custom:ios_url': 'example-ios://electronic/db_1',
      'custom:tag': 'Electronics',
    });
    expect(first.additional_image_link).toHaveLength(10);
    expect(result.meta?.columns).toContainEqual({ header: 'image[0].url', attribute: 'additional_image_link' });
  });

  it('makes image[0].url the main image when there is no image_link column', async () => {
    const csv = 'id,title,image[1].url,image[0].url\nA,Lamp,https://x.test/2.jpg,https://x.test/1.jpg\n';
    const result = await readAll(csv);
    expect(result.meta?.dialect).toBe('META');
    expect(result.items[0].fields).toMatchObject({
      image_link: 'https://x.test/1.jpg',
      additional_image_link: ['https://x.test/2.jpg'],
    });
  });
});
