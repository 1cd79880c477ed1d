import { PassThrough, Readable } from 'node:stream';
import { readFeed } from '@brandshelf/feeds';
import { parseShipping, parseTax } from '@brandshelf/catalog-rules';
import type { CatalogProduct, ShippingOptionData } from '@brandshelf/search';
import { checkProduct } from './channels.js';
import { ExportStalledError, writeChannelCsv, writeGoogleRss } from './channel-writers.js';

const product = (over: Partial<CatalogProduct>): CatalogProduct =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    brandId: '00000000-0000-4000-8000-000000000002',
    offerId: 'A-1',
    title: 'Lamp',
    description: 'Bright.',
    brand: { id: 'b', name: 'Acme', createdAt: new Date() },
    brandName: 'Acme',
    link: 'https://shop.example/a?x=1&y=2',
    imageLink: 'https://shop.example/a.jpg',
    additionalImageLinks: [],
    price: { amount: '9.99', currency: 'EUR' },
    salePrice: null,
    onSale: false,
    availability: 'IN_STOCK',
    condition: 'NEW',
    gtin: null,
    mpn: null,
    category: null,
    productType: null,
    itemGroupId: null,
    color: null,
    size: null,
    gender: null,
    ageGroup: null,
    quantity: null,
    shipping: [],
    tax: [],
    customLabels: [],
    salePriceEffectiveDate: null,
    identifierExists: null,
    availabilityDate: null,
    material: null,
    pattern: null,
    mobileLink: null,
    shippingWeight: null,
    images: [],
    publishedAt: new Date(),
    updatedAt: new Date(),
    ...over,
  }) as CatalogProduct;

async function* each(list: CatalogProduct[]) {
  yield* list;
}

async function capture(write: (out: PassThrough) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

async function readBack(body: string): Promise<Record<string, string>[]> {
  const items: Record<string, string>[] = [];
  for await (const e of readFeed(Readable.from([Buffer.from(body)]))) {
    if (e.type === 'item') items.push(e.item.fields as Record<string, string>);
  }
  return items;
}

describe('channel writers: shipping and tax', () => {
  const option = (over: Partial<ShippingOptionData>): ShippingOptionData => ({
    country: 'US',
    region: null,
    postalCode: null,
    locationId: null,
    locationGroupName: null,
    service: null,
    price: { amount: '4.95', currency: 'USD', formatted: '$4.95' },
    minHandlingTime: null,
    maxHandlingTime: null,
    minTransitTime: null,
    maxTransitTime: null,
    ...over,
  });
  const shipped = product({
    shipping: [
      option({ region: 'CA', service: 'Overnight', price: { amount: '16.00', currency: 'USD', formatted: '' } }),
      option({ service: 'Standard', minTransitTime: 2, maxTransitTime: 5 }),
      option({ postalCode: '80302-80310', price: { amount: '0.00', currency: 'USD', formatted: '' } }),
    ],
    tax: [{ country: 'US', region: 'CA', postalCode: null, locationId: null, rate: 8.25, taxShip: true }],
  });

  it('Google RSS: one <g:shipping> and <g:tax> per entry, with the sub-elements Merchant Center reads', async () => {
    const body = await capture((out) => writeGoogleRss(each([shipped]), out, { title: 't', link: 'https://x' }));
    expect(body).toContain(
      '<g:shipping><g:country>US</g:country><g:region>CA</g:region><g:service>Overnight</g:service><g:price>16.00 USD</g:price></g:shipping>' +
        '<g:shipping><g:country>US</g:country><g:service>Standard</g:service><g:price>4.95 USD</g:price><g:min_transit_time>2</g:min_transit_time><g:max_transit_time>5</g:max_transit_time></g:shipping>' +
        '<g:shipping><g:country>US</g:country><g:postal_code>80302-80310</g:postal_code><g:price>0.00 USD</g:price></g:shipping>' +
        '<g:tax><g:country>US</g:country><g:region>CA</g:region><g:rate>8.25</g:rate><g:tax_ship>yes</g:tax_ship></g:tax>',
    );
    // What Brandshelf writes it reads back to the same entries.
    const [item] = await readBack(body);
    expect(parseShipping(item.shipping, null).entries).toHaveLength(3);
    expect(parseTax(item.tax).entries).toEqual([{ country: 'US', rate: 8.25, region: 'CA', taxShip: true }]);
    const bare = await capture((out) => writeGoogleRss(each([product({})]), out, { title: 't', link: 'https://x' }));
    expect(bare).not.toContain('g:shipping');
  });

  it('Google RSS: <g:shipping_weight> as the feed wrote it, none when the product has none', async () => {
    const heavy = product({ shippingWeight: '0.5 kg' });
    const body = await capture((out) => writeGoogleRss(each([heavy]), out, { title: 't', link: 'https://x' }));
    expect(body).toContain('<g:shipping_weight>0.5 kg</g:shipping_weight>');
    const [item] = await readBack(body);
    expect(item.shipping_weight).toBe('0.5 kg');
    const bare = await capture((out) => writeGoogleRss(each([product({})]), out, { title: 't', link: 'https://x' }));
    expect(bare).not.toContain('shipping_weight');
    // Meta's and TikTok's columns are unchanged.
    const [meta] = await readBack(await capture((out) => writeChannelCsv('META', each([heavy]), out)));
    expect(meta.shipping_weight).toBeUndefined();
  });

  it("Meta CSV: the shipping column as COUNTRY:REGION:SERVICE:PRICE, leaving out what Meta's form cannot say", async () => {
    const [meta] = await readBack(await capture((out) => writeChannelCsv('META', each([shipped]), out)));
    // The postal-code entry would read as the whole of the US: it is left out.
    expect(meta.shipping).toEqual(['US:CA:Overnight:16.00 USD,US::Standard:4.95 USD']);
    const [tiktok] = await readBack(await capture((out) => writeChannelCsv('TIKTOK', each([shipped]), out)));
    expect(tiktok.shipping).toBeUndefined();
  });
});

describe('channel writers: custom labels and the sale window', () => {
  // Labels 0 and 2 given (1 empty, 3 and 4 absent); on sale now, through a window of whole days (UTC) as the feed wrote it.
  const labelled = product({
    customLabels: ['summer', '', 'best seller'],
    price: { amount: '20.00', currency: 'USD', formatted: '$20.00' },
    salePrice: { amount: '15.00', currency: 'USD', formatted: '$15.00' },
    onSale: true,
    salePriceEffectiveDate: '2026-12-01/2099-12-24',
  });
  const WINDOW = '2026-12-01T00:00+0000/2099-12-25T00:00+0000';

  it('Google RSS: <g:custom_label_N> for each label given and the window with its times in UTC, read back alike', async () => {
    const body = await capture((out) => writeGoogleRss(each([labelled]), out, { title: 't', link: 'https://x' }));
    expect(body).toContain('<g:custom_label_0>summer</g:custom_label_0>');
    expect(body).toContain('<g:custom_label_2>best seller</g:custom_label_2>');
    expect(body).not.toContain('custom_label_1');
    expect(body).toContain(`<g:sale_price_effective_date>${WINDOW}</g:sale_price_effective_date>`);
    const [item] = await readBack(body);
    expect(item).toMatchObject({
      custom_label_0: 'summer',
      custom_label_2: 'best seller',
      sale_price: '15.00 USD',
      sale_price_effective_date: WINDOW,
    });
  });

  it('Meta CSV takes the labels and the window; TikTok the labels', async () => {
    const meta = await capture((out) => writeChannelCsv('META', each([labelled]), out));
    expect(meta.split('\n')[0]).toContain(
      'sale_price,sale_price_effective_date,availability_date,link,image_link,additional_image_link,brand,google_product_category,product_type,' +
        'item_group_id,color,size,gender,age_group,gtin,mpn,material,pattern,custom_label_0,custom_label_1,custom_label_2,custom_label_3,custom_label_4,shipping',
    );
    const [m] = await readBack(meta);
    expect(m).toMatchObject({
      custom_label_0: 'summer',
      custom_label_2: 'best seller',
      sale_price_effective_date: WINDOW,
    });
    expect(m.custom_label_1).toBeUndefined();
    const [t] = await readBack(await capture((out) => writeChannelCsv('TIKTOK', each([labelled]), out)));
    expect(t).toMatchObject({ custom_label_0: 'summer', custom_label_2: 'best seller', sale_price: '15.00 USD' });
    expect(t.sale_price_effective_date).toBeUndefined();
  });

  it('the window goes out only with a sale price in effect, and as the validator reads it', async () => {
    const windowOf = async (over: Partial<CatalogProduct>) => {
      const body = await capture((out) =>
        writeGoogleRss(each([product({ ...labelled, ...over })]), out, { title: 't', link: 'https://x' }),
      );
      return /<g:sale_price_effective_date>([^<]*)</.exec(body)?.[1] ?? null;
    };
    // Not on sale (the window ended or has not begun): neither the sale price nor its window.
    expect(await windowOf({ onSale: false, salePrice: null })).toBeNull();
    expect(await windowOf({ salePriceEffectiveDate: null })).toBeNull();
    // Offsets become UTC; seconds are kept when there are any.
    expect(await windowOf({ salePriceEffectiveDate: '2026-12-01T09:30+01:00/2099-12-02T10:00:15-0500' })).toBe(
      '2026-12-01T08:30+0000/2099-12-02T15:00:15+0000',
    );
    // A window the validator cannot read (it would have been dropped with a warning) is not passed on.
    expect(await windowOf({ salePriceEffectiveDate: '2026-12-24/2026-12-01' })).toBeNull();
  });

  it('a sale whose window has ended, or not begun, goes to no channel, though the live catalog still shows it', async () => {
    // A feed published by hand keeps the sale live until its brand publishes the SALE_WINDOW run.
    for (const window of ['2020-01-01/2020-01-31', '2099-01-01/2099-01-31']) {
      const stale = product({ ...labelled, salePriceEffectiveDate: window });
      const [google] = await readBack(
        await capture((out) => writeGoogleRss(each([stale]), out, { title: 't', link: 'https://x' })),
      );
      const [meta] = await readBack(await capture((out) => writeChannelCsv('META', each([stale]), out)));
      const [tiktok] = await readBack(await capture((out) => writeChannelCsv('TIKTOK', each([stale]), out)));
      for (const item of [google, meta, tiktok]) {
        expect(item.price).toBe('20.00 USD');
        expect(item.sale_price).toBeUndefined();
        expect(item.sale_price_effective_date).toBeUndefined();
      }
    }
  });
});

describe('channel writers: preorders, identifiers, material and pattern', () => {
  const preorder = product({
    availability: 'PREORDER',
    availabilityDate: '2027-03-01T10:00+01:00',
    identifierExists: false,
    material: 'ceramic',
    pattern: 'striped',
    mobileLink: 'https://m.shop.example/a',
  });

  it('Google RSS: the ship date in UTC, identifier_exists no, material, pattern and mobile_link, read back alike', async () => {
    const [item] = await readBack(
      await capture((out) => writeGoogleRss(each([preorder]), out, { title: 't', link: 'https://x' })),
    );
    expect(item).toMatchObject({
      availability: 'preorder',
      availability_date: '2027-03-01T09:00+0000',
      identifier_exists: 'no',
      material: 'ceramic',
      pattern: 'striped',
      mobile_link: 'https://m.shop.example/a',
    });
    // No GTIN to advise for a product that says it has none.
    expect(checkProduct('GOOGLE', preorder).map((f) => f.check)).not.toContain('MISSING_GTIN');
    expect(checkProduct('GOOGLE', product({})).map((f) => f.check)).toContain('MISSING_GTIN');
    // In stock, a leftover date is not passed on; nor is identifier_exists when the feed did not say "no".
    const [inStock] = await readBack(
      await capture((out) =>
        writeGoogleRss(each([product({ availabilityDate: '2027-03-01', identifierExists: true })]), out, {
          title: 't',
          link: 'https://x',
        }),
      ),
    );
    expect(inStock.availability_date).toBeUndefined();
    expect(inStock.identifier_exists).toBeUndefined();
  });

  it('Google RSS: no identifier_exists "no" beside a GTIN, which Merchant Center flags as an incorrect value', async () => {
    // Merchant Center: "This item has an internationally recognized unique identifier. Submit a valid GTIN, and
    // either set this value to true or remove this value." The GTIN goes out; the contradicting "no" does not.
    const withGtin = product({ identifierExists: false, gtin: '4006381333931' });
    const [item] = await readBack(
      await capture((out) => writeGoogleRss(each([withGtin]), out, { title: 't', link: 'https://x' })),
    );
    expect(item.gtin).toBe('4006381333931');
    expect(item.identifier_exists).toBeUndefined();
    expect(checkProduct('GOOGLE', withGtin).map((f) => f.check)).not.toContain('MISSING_GTIN');
  });

  it('Google: a preorder or backorder without a ship date it can read is left out, as Google would disapprove it', async () => {
    // Merchant Center requires availability_date for preorder and backorder; before, such a product went out with
    // no date and no finding, to be disapproved there.
    const findings = (over: Partial<CatalogProduct>) =>
      checkProduct('GOOGLE', product({ availability: 'PREORDER', ...over })).filter((f) => f.required);
    expect(findings({ availabilityDate: null })).toEqual([
      expect.objectContaining({ check: 'MISSING_REQUIRED_FIELD', message: 'Missing availability_date.' }),
    ]);
    expect(findings({ availability: 'BACKORDER', availabilityDate: '2027-02-30' })).toHaveLength(1);
    expect(findings({ availabilityDate: '2027-03-01' })).toEqual([]);
    expect(findings({ availability: 'IN_STOCK', availabilityDate: null })).toEqual([]);
    // Meta and TikTok do not require it.
    expect(checkProduct('META', product({ availability: 'PREORDER' })).filter((f) => f.required)).toEqual([]);
  });

  it('Meta CSV takes the ship date, material and pattern; TikTok none of them', async () => {
    const [meta] = await readBack(await capture((out) => writeChannelCsv('META', each([preorder]), out)));
    expect(meta).toMatchObject({
      availability: 'preorder',
      availability_date: '2027-03-01T09:00+0000',
      material: 'ceramic',
      pattern: 'striped',
    });
    expect(meta.identifier_exists).toBeUndefined();
    const [tiktok] = await readBack(await capture((out) => writeChannelCsv('TIKTOK', each([preorder]), out)));
    expect(tiktok.availability_date).toBeUndefined();
    expect(tiktok.material).toBeUndefined();
  });
});

describe('channel writers: hostile values', () => {
  const hostile = product({
    title: 'Bad\u0001 "title" ]]> <x> & \uFFFE end',
    description: 'one\ntwo ]]>\u0000 three',
  });

  it('Google RSS: escaped by XMLBuilder, characters XML 1.0 forbids stripped, readable back', async () => {
    const body = await capture((out) => writeGoogleRss(each([hostile]), out, { title: 't', link: 'https://x' }));
    expect(body).not.toMatch(/[\u0000\u0001\uFFFE]/);
    expect(body).not.toContain(']]>');
    const [item] = await readBack(body);
    expect(item.title).toBe('Bad "title" ]]> <x> &  end');
    expect(item.description).toBe('one\ntwo ]]> three');
    expect(item.link).toBe('https://shop.example/a?x=1&y=2');
  });

  it('CSV: quotes and newlines quoted by csv-stringify, formulas defused', async () => {
    const formula = product({ offerId: 'F-1', title: '=1+1', description: '@SUM(A1)' });
    const body = await capture((out) => writeChannelCsv('META', each([hostile, formula]), out));
    const items = await readBack(body);
    expect(items.map((i) => i.title)).toEqual(['Bad "title" ]]> <x> &  end', "'=1+1"]);
    expect(items[1].description).toBe("'@SUM(A1)");
    expect(items[0].description).toBe('one\ntwo ]]> three');
  });

  it('checks: promotional words, title length, image size', () => {
    expect(checkProduct('GOOGLE', product({ title: 'Lamp - Best Price!' })).map((f) => f.check)).toContain(
      'PROMOTIONAL_TITLE',
    );
    expect(checkProduct('GOOGLE', product({ title: 'Salesforce mug' })).map((f) => f.check)).not.toContain(
      'PROMOTIONAL_TITLE',
    );
    expect(checkProduct('GOOGLE', product({ title: 'x'.repeat(151) })).map((f) => f.check)).toContain('TITLE_TOO_LONG');
    expect(checkProduct('META', product({ title: 'x'.repeat(151) })).map((f) => f.check)).not.toContain(
      'TITLE_TOO_LONG',
    );
    const small = product({
      images: [{ role: 'MAIN', width: 400, height: 900, renditions: [] } as never],
    });
    expect(
      checkProduct('TIKTOK', small)
        .filter((f) => f.required)
        .map((f) => f.check),
    ).toEqual(['IMAGE_TOO_SMALL']);
    expect(checkProduct('GOOGLE', small).filter((f) => f.required)).toEqual([]);
  });

  it('stops, without waiting forever, when the reader goes away', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => product({ offerId: `A-${i}`, description: 'x'.repeat(500) }));
    for (const write of [
      (out: PassThrough) => writeGoogleRss(each(many), out, { title: 't', link: 'https://x' }),
      (out: PassThrough) => writeChannelCsv('TIKTOK', each(many), out),
    ]) {
      const out = new PassThrough({ highWaterMark: 1024 });
      const done = write(out);
      setImmediate(() => out.destroy());
      await expect(done).rejects.toThrow(/closed before the end/);
    }
  });

  it('cuts a reader that keeps the connection open but takes nothing, instead of waiting for it forever', async () => {
    // A client that connects and never reads held the download (a catalog read in progress, and one of the
    // export's download slots) for as long as it kept the socket open.
    const many = Array.from({ length: 2000 }, (_, i) => product({ offerId: `A-${i}`, description: 'x'.repeat(500) }));
    for (const write of [
      (out: PassThrough) => writeGoogleRss(each(many), out, { title: 't', link: 'https://x' }, 50),
      (out: PassThrough) => writeChannelCsv('META', each(many), out, 50),
    ]) {
      const out = new PassThrough({ highWaterMark: 1024 });
      const error = await write(out).then(
        () => new Error('wrote everything to a reader that read nothing'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExportStalledError);
      expect(out.destroyed).toBe(true);
    }
  });
});
