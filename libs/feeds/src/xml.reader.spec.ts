import { Readable } from 'node:stream';
import { encodeAttributeGroup, parseShipping, parseTax } from '@brandshelf/catalog-rules';
import { itemById, readAll, sample } from './__fixtures__/read-feed.fixture.js';
import { MAX_XML_TAG_ATTRIBUTES } from './xml-input.filter.js';
import { MAX_XML_ITEM_DEPTH, MAX_XML_ITEM_VALUES } from './xml.reader.js';

const RSS_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n<title>Shop</title>\n';
const RSS_TAIL = '</channel>\n</rss>\n';

function rss(items: string[]): string {
  return `${RSS_HEAD}${items.map((item) => `<item>${item}</item>\n`).join('')}${RSS_TAIL}`;
}

describe('XML feeds: samples', () => {
  it('reads the AirFeel GMC feed despite its raw ampersands, warning once per item', async () => {
    const result = await readAll(sample('xml/airfeel_gmc_feed.xml'));
    expect(result.error).toBeNull();
    expect(result.meta).toEqual({ format: 'XML', dialect: 'GOOGLE_RSS', encoding: 'utf-8' });
    expect(result.items.map((item) => item.row)).toEqual([1, 2, 3, 4, 5]);
    const first = itemById(result, 'AF-714-1');
    expect(first.fields).toMatchObject({
      title: 'RV AC Filter 7.5"x14" – Replacement for Dometic Duo Therm, MERV 6, 1 Pack by AirFeel',
      link: 'https://airfeelfilters.com/products/rv-air-conditioner-filter-6-x-14',
      image_link: 'https://airfeelfilters.com/cdn/shop/files/1-set1.png?v=1748723738&width=1100',
      price: '22.91 USD',
      availability: 'in stock',
      gtin: '860013870508',
      brand: 'AirFeel',
    });
    expect(result.issues).toHaveLength(5);
    expect(result.issues.map((issue) => [issue.code, issue.severity, issue.row, issue.attribute])).toEqual(
      [1, 2, 3, 4, 5].map((row) => ['XML_UNESCAPED_AMPERSAND', 'WARNING', row, 'image_link']),
    );
    expect(result.issues[0].itemId).toBe('AF-714-1');
  });

  it('reads the Prisjakt RSS feed: CDATA, comments, channel fields repeated mid-channel are not items', async () => {
    const result = await readAll(sample('xml/velofant_prisjakt_feed.xml'));
    expect(result.error).toBeNull();
    expect(result.meta?.dialect).toBe('GOOGLE_RSS');
    expect(result.issues).toEqual([]);
    expect(result.items.map((item) => item.fields.id)).toEqual([
      'CY-ARK-CHR-57',
      'LT-ABUS-Set',
      'ABUS-VAREDO-47-230MM',
      'LK-Ugrip-Pur',
      'RK-CRANE-BLK',
      'HB-KEN-MID-72',
      'RACK-PIZZA-FRONT',
      'PD-STRAPS-BLK',
      'WH-VF-700C-SILVER',
    ]);
    expect(result.items.filter((item) => item.fields.image_link === undefined)).toHaveLength(5);
    expect(itemById(result, 'LT-ABUS-Set').fields).toMatchObject({ price: '500.00 SEK', sale_price: '349.00 SEK' });
    const bar = itemById(result, 'HB-KEN-MID-72');
    expect(bar.fields.description).toMatch(/^Ett brett aluminiumstyre/);
    expect(bar.fields.description).toMatch(/Color: black & silver$/);
    expect(bar.fields).toMatchObject({
      google_product_category: '505776',
      image_link: 'https://velofant.se/cdn/shop/files/ken-mid-rise-bar-72cm.jpg',
    });
    expect(itemById(result, 'RACK-PIZZA-FRONT').fields.title).toBe('PIZZA FRONT RACK 🍕');
    expect(result.items.some((item) => item.fields.title === 'Velofant Produktfeed')).toBe(false);
  });

  it('reads the custom <products><product> feed (a .txt file) by content, mapping its names through the table', async () => {
    for (const options of [{}, { xmlItemElement: 'product' }]) {
      const result = await readAll(sample('xml/velofant_custom_feed.txt'), options);
      expect(result.error).toBeNull();
      expect(result.meta?.dialect).toBe('CUSTOM_XML');
      expect(result.issues).toEqual([]);
      expect(result.items).toHaveLength(20);
      expect(result.items.filter((item) => item.fields.description !== undefined)).toHaveLength(1);
      expect(itemById(result, 'CY-ARK-CHR-57').fields).toMatchObject({
        title: 'ARKIPELAGO – Framekit',
        price: '6900',
        availability: 'out of stock',
        image_link: 'https://velofant.se/cdn/shop/files/6.jpg?v=1766274720&width=1946',
        product_type: 'Cykelramar',
        'custom:shipping_cost': '49 SEK',
        'custom:delivery_time': '2-4 days',
        'custom:shipping_country': 'SE',
      });
    }
  });
});

describe('XML feeds: hand-made', () => {
  it('rejects an item of more values than MAX_XML_ITEM_VALUES (elements or attributes), and reads on', async () => {
    // Well within the record's bytes, but each value was a field: a million of them cost hundreds of MB.
    const manyElements = Array.from({ length: MAX_XML_ITEM_VALUES + 1 }, (_, i) => `<e${i}>x</e${i}>`).join('');
    const manyAttributes = Array.from(
      { length: 20 },
      (_, i) => `<f${i} ${Array.from({ length: 600 }, (_, j) => `a${j}="v"`).join(' ')}>x</f${i}>`,
    ).join('');
    const repeated = '<title>x</title>'.repeat(MAX_XML_ITEM_VALUES + 1);
    const xml = rss([
      `<g:id>A</g:id>${manyElements}`,
      `<g:id>B</g:id>${manyAttributes}`,
      `<g:id>C</g:id>${repeated}`,
      '<g:id>D</g:id><g:title>Fine</g:title>',
    ]);
    const result = await readAll(xml, {}, 4096);
    expect(result.error).toBeNull();
    expect(result.items.map((item) => item.fields.id)).toEqual(['D']);
    expect(result.issues.map((issue) => [issue.row, issue.code, issue.message])).toEqual(
      [1, 2, 3].map((row) => [
        row,
        'RECORD_TOO_LARGE',
        `The item has more than ${MAX_XML_ITEM_VALUES} values (elements and attributes), so it was not read.`,
      ]),
    );
  });

  it('counts attributes into the record limit', async () => {
    // Two tags of about 4.3 KB each (each within the markup limit, which is the record limit): 8.6 KB of attributes.
    const attributes = Array.from({ length: 40 }, (_, i) => `a${i}="${'v'.repeat(100)}"`).join(' ');
    const xml = rss([`<g:id>A</g:id><t ${attributes}>x</t><u ${attributes}>y</u>`, '<g:id>B</g:id>']);
    const result = await readAll(xml, { maxRecordBytes: 5000 });
    expect(result.items.map((item) => item.fields.id)).toEqual(['B']);
    expect(result.issues.map((issue) => [issue.row, issue.code])).toEqual([[1, 'RECORD_TOO_LARGE']]);
  });

  it(`stops at a tag of more than ${MAX_XML_TAG_ATTRIBUTES} attributes with XML_MARKUP_TOO_LARGE`, async () => {
    const attributes = Array.from({ length: MAX_XML_TAG_ATTRIBUTES + 1 }, (_, i) => `a${i}="v"`).join(' ');
    const xml = rss([`<g:id>B</g:id><t ${attributes}>x</t>`]);
    const result = await readAll(xml, {}, 1000);
    expect(result.items).toEqual([]);
    expect(result.error).toMatchObject({
      code: 'XML_MARKUP_TOO_LARGE',
      message: `A tag has more than ${MAX_XML_TAG_ATTRIBUTES} attributes.`,
    });
    // At the limit the tag is read (its attributes are custom fields).
    const atLimit = Array.from({ length: MAX_XML_TAG_ATTRIBUTES }, (_, i) => `a${i}="v"`).join(' ');
    const fine = await readAll(rss([`<g:id>C</g:id><t ${atLimit}>x</t>`]));
    expect(fine.error).toBeNull();
    expect(fine.items.map((item) => item.fields.id)).toEqual(['C']);
  });

  it('reads RSS: namespaced and plain names, entities, CDATA, nested and repeated elements', async () => {
    const xml = rss([
      '<!-- first --><g:id>A1</g:id><title>Caf&#233; &quot;Mug&quot; &amp; co &#x263A;</title>' +
        '<g:description><![CDATA[<b>Bold</b> & raw]]></g:description><link>https://x.test/a</link>' +
        '<g:image_link>https://x.test/a.jpg</g:image_link>' +
        '<g:additional_image_link>https://x.test/b.jpg</g:additional_image_link>' +
        '<g:additional_image_link>https://x.test/c.jpg</g:additional_image_link>' +
        '<g:shipping><g:country>US</g:country><g:price>4.99 USD</g:price></g:shipping>' +
        '<g:shipping><g:country>CA</g:country><g:price>6.99 USD</g:price></g:shipping>' +
        '<g:price currency="USD">10.00 USD</g:price><g:product_highlight>Durable</g:product_highlight>',
      '<g:id>A2</g:id><g:title>Second</g:title>',
    ]);
    const result = await readAll(xml);
    expect(result.error).toBeNull();
    expect(result.issues).toEqual([]);
    expect(result.items).toHaveLength(2);
    expect(result.items[0]).toEqual({
      row: 1,
      fields: {
        id: 'A1',
        title: 'Café "Mug" & co ☺',
        description: '<b>Bold</b> & raw',
        link: 'https://x.test/a',
        image_link: 'https://x.test/a.jpg',
        additional_image_link: ['https://x.test/b.jpg', 'https://x.test/c.jpg'],
        shipping: [
          encodeAttributeGroup([
            ['country', 'US'],
            ['price', '4.99 USD'],
          ]),
          encodeAttributeGroup([
            ['country', 'CA'],
            ['price', '6.99 USD'],
          ]),
        ],
        price: '10.00 USD',
        'custom:price@currency': 'USD',
        'custom:product_highlight': 'Durable',
      },
    });
    expect(result.items[1]).toEqual({ row: 2, fields: { id: 'A2', title: 'Second' } });
  });

  it('keeps the parts of each <g:shipping> and <g:tax> together, whichever optional parts a group leaves out', async () => {
    const result = await readAll(
      rss([
        '<g:id>S1</g:id>' +
          '<g:shipping><g:country>US</g:country><g:region>CA</g:region><g:service>Overnight</g:service>' +
          '<g:price>16.00 USD</g:price><g:min_handling_time>1</g:min_handling_time></g:shipping>' +
          '<g:shipping><g:country>US</g:country><g:service>Standard</g:service><g:price>4.95 USD</g:price></g:shipping>' +
          '<shipping><country>CA</country><region>QC</region><price>9 CAD</price></shipping>' +
          '<g:tax><g:country>US</g:country><g:region>NY</g:region><g:rate>4</g:rate><g:tax_ship>n</g:tax_ship></g:tax>' +
          '<g:shipping>DE::Standard:4.95 EUR</g:shipping>',
      ]),
    );
    expect(result.error).toBeNull();
    const fields = result.items[0].fields;
    expect(Object.keys(fields).sort()).toEqual(['id', 'shipping', 'tax']);
    // Before, the parts were flattened into lists per part (custom:shipping.region: ['CA', 'QC']), so QC seemed
    // to be the second group's region.
    expect(parseShipping(fields.shipping, null).entries).toEqual([
      { country: 'US', currency: 'USD', minHandlingTime: 1, priceMinor: 1600, region: 'CA', service: 'Overnight' },
      { country: 'US', currency: 'USD', priceMinor: 495, service: 'Standard' },
      { country: 'CA', currency: 'CAD', priceMinor: 900, region: 'QC' },
      { country: 'DE', currency: 'EUR', priceMinor: 495, service: 'Standard' },
    ]);
    expect(parseTax(fields.tax).entries).toEqual([{ country: 'US', rate: 4, region: 'NY', taxShip: false }]);
  });

  it('is not tripped by a feed full of &quot; (no expansion cap on predefined entities)', async () => {
    const title = '&quot;'.repeat(5000);
    const result = await readAll(rss([`<g:id>Q</g:id><g:title>${title}</g:title>`]));
    expect(result.error).toBeNull();
    expect(result.items[0].fields.title).toBe('"'.repeat(5000));
  });

  it('reads Atom: entries, <link href>, summary as description, g:id over the Atom id', async () => {
    const xml = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
  <title>Shop</title>
  <link rel="self" href="https://x.test/feed.atom"/>
  <updated>2024-01-01T00:00:00Z</updated>
  <entry>
    <id>tag:x.test,2024:1</id>
    <g:id>SKU-1</g:id>
    <title>Lamp</title>
    <link rel="alternate" href="https://x.test/lamp"/>
    <link rel="enclosure" href="https://x.test/lamp.pdf"/>
    <summary>A lamp.</summary>
    <g:price>12 EUR</g:price>
  </entry>
  <entry>
    <g:id>SKU-2</g:id>
    <title>Chair</title>
    <link href="https://x.test/chair"/>
  </entry>
</feed>`;
    const result = await readAll(xml);
    expect(result.meta?.dialect).toBe('GOOGLE_ATOM');
    expect(result.issues).toEqual([]);
    expect(result.items.map((item) => item.fields)).toEqual([
      {
        id: 'SKU-1',
        title: 'Lamp',
        link: 'https://x.test/lamp',
        'custom:link.enclosure': 'https://x.test/lamp.pdf',
        description: 'A lamp.',
        price: '12 EUR',
      },
      { id: 'SKU-2', title: 'Chair', link: 'https://x.test/chair' },
    ]);
  });

  it('reads a custom dialect with xmlItemElement, and maps elements with columnMapping', async () => {
    const xml = `<catalog><shop><name>Acme</name></shop><goods>
      <article code="X-1"><naam>Tafel</naam><prijs>99</prijs><img>https://x.test/t.jpg</img></article>
      <article code="X-2"><naam>Stoel</naam><prijs>49</prijs></article>
    </goods></catalog>`;
    const result = await readAll(xml, {
      xmlItemElement: 'article',
      columnMapping: { code: 'id', naam: 'title', prijs: 'price', img: 'image_link' },
    });
    expect(result.meta?.dialect).toBe('CUSTOM_XML');
    expect(result.items.map((item) => item.fields)).toEqual([
      { id: 'X-1', title: 'Tafel', price: '99', image_link: 'https://x.test/t.jpg' },
      { id: 'X-2', title: 'Stoel', price: '49' },
    ]);
  });

  it('auto-detects the repeated child of the root', async () => {
    const xml = `<export><info><created>today</created></info><thing><sku>1</sku></thing><thing><sku>2</sku></thing><thing><sku>3</sku></thing></export>`;
    const result = await readAll(xml);
    expect(result.items.map((item) => [item.row, item.fields.id])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
    ]);
    const single = await readAll('<export><thing><sku>only</sku></thing></export>');
    expect(single.items.map((item) => item.fields.id)).toEqual(['only']);
  });

  it('refuses a DOCTYPE (entity bomb, XXE) before reading anything', async () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>`;
    for (const chunkSize of [undefined, 1]) {
      const result = await readAll(bomb, {}, chunkSize);
      expect(result.items).toEqual([]);
      expect(result.error).toMatchObject({ code: 'XML_DOCTYPE_FORBIDDEN' });
      expect(result.error?.hint).toMatch(/Remove the DOCTYPE/);
    }
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><item><id>&x;</id></item></r>';
    expect((await readAll(xxe)).error?.code).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('reads raw ampersands as literal text, one warning per item naming the element', async () => {
    const xml = rss([
      '<g:id>A</g:id><g:link>https://x.test/?a=1&b=2&c=3</g:link><g:title>Salt & Pepper &nbsp; Co</g:title>',
      '<g:id>B</g:id><g:link>https://x.test/?a=1&amp;b=2</g:link>',
      '<g:id>C</g:id><g:image_link url="https://x.test/?q=1&z=2">https://x.test/c.jpg</g:image_link>',
    ]);
    for (const chunkSize of [undefined, 1, 3]) {
      const result = await readAll(xml, {}, chunkSize);
      expect(result.error).toBeNull();
      expect(result.items.map((item) => item.fields)).toEqual([
        { id: 'A', link: 'https://x.test/?a=1&b=2&c=3', title: 'Salt & Pepper &nbsp; Co' },
        { id: 'B', link: 'https://x.test/?a=1&b=2' },
        { id: 'C', image_link: 'https://x.test/c.jpg', 'custom:image_link@url': 'https://x.test/?q=1&z=2' },
      ]);
      expect(result.issues.map((issue) => [issue.code, issue.row, issue.attribute, issue.itemId])).toEqual([
        ['XML_UNESCAPED_AMPERSAND', 1, 'link', 'A'],
        ['XML_UNESCAPED_AMPERSAND', 3, 'image_link', 'C'],
      ]);
      expect(result.issues[0].message).toMatch(/^4 raw "&" characters/);
    }
  });

  it('yields the items before a well-formedness error, then fails with the line', async () => {
    const xml = rss([
      '<g:id>1</g:id>',
      '<g:id>2</g:id>',
      '<g:id>3</g:id>',
      '<g:id>4</g:id><g:title>Broken</g:titel>',
      '<g:id>5</g:id>',
    ]);
    const result = await readAll(xml);
    expect(result.items.map((item) => item.fields.id)).toEqual(['1', '2', '3']);
    expect(result.error).toMatchObject({ code: 'XML_MALFORMED', row: 4 });
    expect(result.error?.message).toMatch(/line 8, column \d+: unexpected close tag/);
  });

  it('fails on a truncated document after its complete items', async () => {
    const xml = rss(['<g:id>1</g:id>', '<g:id>2</g:id>']).slice(0, -30);
    const result = await readAll(xml);
    expect(result.items.map((item) => item.fields.id)).toEqual(['1']);
    expect(result.error?.code).toBe('XML_MALFORMED');
  });

  it('rejects an item with an oversized element and reads on, in bounded memory', async () => {
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const xml = rss([
      `<g:id>big</g:id><g:description>${huge}</g:description>`,
      `<g:id>cdata</g:id><g:description><![CDATA[${huge}]]></g:description>`,
      '<g:id>ok</g:id>',
    ]);
    const result = await readAll(xml, {}, 64 * 1024);
    expect(result.error).toBeNull();
    expect(result.items.map((item) => [item.row, item.fields.id])).toEqual([[3, 'ok']]);
    expect(result.issues.map((issue) => [issue.code, issue.severity, issue.row, issue.attribute])).toEqual([
      ['CELL_TOO_LARGE', 'ERROR', 1, 'description'],
      ['CELL_TOO_LARGE', 'ERROR', 2, 'description'],
    ]);
  });

  it(`reads an item nested ${MAX_XML_ITEM_DEPTH} levels deep, the deepest path as a custom attribute`, async () => {
    const levels = Array.from({ length: MAX_XML_ITEM_DEPTH - 1 }, (_, i) => `l${i + 1}`);
    const nested = `${levels.map((l) => `<${l}>`).join('')}<leaf>v</leaf>${[...levels]
      .reverse()
      .map((l) => `</${l}>`)
      .join('')}`;
    const result = await readAll(rss([`<g:id>ok</g:id>${nested}`]));
    expect(result.issues).toEqual([]);
    expect(itemById(result, 'ok').fields[`custom:${levels.join('.')}.leaf`]).toBe('v');
  });

  it('rejects an item nested 100,000 deep (streamed) with XML_TOO_DEEP and reads the items around it', async () => {
    const depth = 100_000;
    // The deep item is generated chunk by chunk, never as one string: about 1.4 MB of XML.
    async function* deepFeed(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${RSS_HEAD}<item><g:id>before</g:id></item>\n<item><g:id>deep</g:id>`);
      for (let done = 0; done < depth; done += 1000) yield Buffer.from('<a>'.repeat(1000));
      yield Buffer.from('<g:title>lost</g:title>');
      for (let done = 0; done < depth; done += 1000) yield Buffer.from('</a>'.repeat(1000));
      yield Buffer.from(`</item>\n<item><g:id>after</g:id></item>\n${RSS_TAIL}`);
    }
    const result = await readAll(Readable.from(deepFeed()));
    expect(result.error).toBeNull();
    expect(result.items.map((item) => [item.row, item.fields.id])).toEqual([
      [1, 'before'],
      [3, 'after'],
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'XML_TOO_DEEP',
        severity: 'ERROR',
        row: 2,
        value: Array(MAX_XML_ITEM_DEPTH).fill('a').join('.'),
      }),
    ]);
    expect(result.issues[0].message).toContain(`more than ${MAX_XML_ITEM_DEPTH} levels`);
    // Every row accounted for: the deep item is a row-level ERROR, not a silent drop.
    expect(result.rowsRead).toBe(3);
  });

  it('warns when there are no items', async () => {
    const result = await readAll(rss([]));
    expect(result.items).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'NO_ITEMS', severity: 'WARNING', row: 0 })]);
  });

  it('accepts blank lines before the XML declaration', async () => {
    const result = await readAll(`\n\n  ${rss(['<g:id>1</g:id>'])}`);
    expect(result.error).toBeNull();
    expect(result.items).toHaveLength(1);
  });
});
