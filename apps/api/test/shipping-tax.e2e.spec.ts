import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'csv-stringify/sync';
import { createFeed, ingest, registerBrand, settleRuns, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Merchant Center shipping and tax through real runs (CSV, CSV with sub-attribute headers such as
 * `shipping(country:postal_code:price)`, and Google RSS) on PostgreSQL: each bad entry is an issue on its row naming
 * the attribute, the entry and what to write, the good entries beside it are published (Product.shipping,
 * Product.tax) and written into the Google and Meta exports, shipping_weight into Google's.
 */
const ISSUES = `query($id: ID!) { ingestionRun(id: $id) {
  issues(first: 50) { edges { node { severity code attribute row value message hint itemId } } }
} }`;
const PRODUCTS = `{ products(first: 10) { edges { node {
  offerId
  shipping { country region postalCode service price { amount currency } minHandlingTime maxHandlingTime }
  tax { country region rate taxShip }
} } } }`;
const CREATE_EXPORT = `mutation($input: CreateChannelExportInput!) {
  createChannelExport(input: $input) { url userErrors { code message } }
}`;

interface Issue {
  severity: string;
  code: string;
  attribute: string | null;
  row: number;
  value: string | null;
  message: string;
  hint: string;
  itemId: string | null;
}

const CSV = stringify([
  ['id', 'title', 'description', 'link', 'image_link', 'availability', 'price', 'brand', 'mpn', 'shipping', 'tax'],
  [
    'LAMP-1',
    'Desk Lamp',
    'A lamp.',
    'https://shop.example/lamp',
    'https://shop.example/lamp.jpg',
    'in stock',
    '49.00 USD',
    'Acme',
    'L1',
    // The second group's country is no ISO code: it alone is left out.
    'US:CA:Overnight:16.00 USD, USA::Standard:4.95 USD, US::Standard:4.95 USD:1:2',
    'US:CA:8.25:y',
  ],
  [
    'MUG-1',
    'Mug',
    'A mug.',
    'https://shop.example/mug',
    'https://shop.example/mug.jpg',
    'in stock',
    '9.00 USD',
    'Acme',
    'M1',
    'US:::0',
    'US:NY:8,875:n',
  ],
]);

// Merchant Center's sub-attribute column headers: the parts named in the header, several columns adding up.
const HEADER_CSV = stringify([
  [
    'id',
    'title',
    'description',
    'link',
    'image_link',
    'availability',
    'price',
    'brand',
    'mpn',
    'g:Shipping(Country:Region:Service:Price)',
    'shipping(country:postal_code:price)',
    'tax(country:region:rate:tax_ship)',
    'shipping(country:zip:price)',
    'shipping_weight',
  ],
  [
    'LAMP-2',
    'Floor Lamp',
    'A lamp.',
    'https://shop.example/lamp2',
    'https://shop.example/lamp2.jpg',
    'in stock',
    '89.00 USD',
    'Acme',
    'L2',
    'US:MA:Ground:6.49 USD,US:NY:Express:12.00 USD',
    // The second group has one part too few: it alone is left out.
    'US:024*:7.99 USD,US:8.99 USD',
    'US:CA:8.25:y',
    'US:1:2 USD',
    '0.5 kg',
  ],
  [
    'MUG-2',
    'Big Mug',
    'A mug.',
    'https://shop.example/mug2',
    'https://shop.example/mug2.jpg',
    'in stock',
    '12.00 USD',
    'Acme',
    'M2',
    '',
    'US:94002-95460:1,234.00 USD',
    'US:NY:4:n',
    '',
    '',
  ],
]);

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>
<item><g:id>CHAIR-1</g:id><g:title>Chair</g:title><g:description>A chair.</g:description>
  <g:link>https://shop.example/chair</g:link><g:image_link>https://shop.example/chair.jpg</g:image_link>
  <g:availability>in_stock</g:availability><g:price>120.00 EUR</g:price><g:brand>Acme</g:brand><g:mpn>C1</g:mpn>
  <g:shipping><g:country>DE</g:country><g:service>Spedition</g:service><g:price>29.00 EUR</g:price>
    <g:min_handling_time>1</g:min_handling_time><g:max_handling_time>3</g:max_handling_time></g:shipping>
  <g:shipping><g:country>AT</g:country><g:postal_code>1010</g:postal_code><g:price>39.00 EUR</g:price></g:shipping>
</item>
<item><g:id>TABLE-1</g:id><g:title>Table</g:title><g:description>A table.</g:description>
  <g:link>https://shop.example/table</g:link><g:image_link>https://shop.example/table.jpg</g:image_link>
  <g:availability>in_stock</g:availability><g:price>300.00 EUR</g:price><g:brand>Acme</g:brand><g:mpn>T1</g:mpn>
  <g:shipping><g:country>Germany</g:country><g:price>49.00 EUR</g:price></g:shipping>
  <g:shipping><g:country>DE</g:country><g:price>49.00 EUR</g:price></g:shipping>
  <g:tax><g:country>US</g:country><g:region>CA</g:region><g:rate>8.25</g:rate><g:tax_ship>maybe</g:tax_ship></g:tax>
</item>
</channel></rss>
`;

describe('shipping and tax (e2e)', () => {
  let api: TestApi;
  let csvBrand: { id: string; apiKey: string };
  let xmlBrand: { id: string; apiKey: string };
  let headerBrand: { id: string; apiKey: string };
  let csvIssues: Issue[];
  let xmlIssues: Issue[];
  let headerIssues: Issue[];

  const run = async (apiKey: string, body: string) => {
    const feedId = await createFeed(api, apiKey, { name: 'Catalog' });
    const result = await ingest(api, apiKey, feedId, body);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.itemsAccepted).toBe(2);
    expect(result.itemsRejected).toBe(0);
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: result.id },
      apiKey,
    );
    const data = await api.gqlOk<{ ingestionRun: { issues: { edges: { node: Issue }[] } } }>(
      ISSUES,
      { id: result.id },
      apiKey,
    );
    return data.ingestionRun.issues.edges.map((e) => e.node);
  };
  const exported = async (apiKey: string, channel: string) => {
    const data = await api.gqlOk<{ createChannelExport: { url: string | null; userErrors: unknown[] } }>(
      CREATE_EXPORT,
      { input: { channel } },
      apiKey,
    );
    expect(data.createChannelExport.userErrors).toEqual([]);
    const res = await fetch(`${api.url}${new URL(data.createChannelExport.url!).pathname}`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    api = await startTestApi(createApi);
    csvBrand = await registerBrand(api, 'Csv Shop');
    xmlBrand = await registerBrand(api, 'Xml Shop');
    headerBrand = await registerBrand(api, 'Header Shop');
    csvIssues = await run(csvBrand.apiKey, CSV);
    xmlIssues = await run(xmlBrand.apiKey, XML);
    headerIssues = await run(headerBrand.apiKey, HEADER_CSV);
  }, 180_000);
  afterAll(async () => {
    await settleRuns(api);
    await api?.close();
  }, 60_000);

  it('CSV: an issue per bad entry, with its line, attribute, entry and a hint saying what to write', () => {
    const mine = csvIssues.filter((i) => i.code === 'INVALID_SHIPPING' || i.code === 'INVALID_TAX');
    expect(mine).toEqual([
      {
        severity: 'WARNING',
        code: 'INVALID_SHIPPING',
        attribute: 'shipping',
        row: 2,
        value: 'USA::Standard:4.95 USD',
        message:
          'shipping group 2 "USA::Standard:4.95 USD": country "USA" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
        hint: 'Write the two-letter ISO 3166-1 code of the country, e.g. US, DE or SE: US::Standard:4.95 USD.',
        itemId: 'LAMP-1',
      },
      {
        severity: 'WARNING',
        code: 'INVALID_TAX',
        attribute: 'tax',
        row: 3,
        value: 'US:NY:8,875:n',
        message:
          'tax group 1 "US:NY:8,875:n": rate "8,875" is not a percentage from 0 to 100. That tax entry was ignored.',
        hint: 'Write the rate as a number of percent with a dot for decimals and no % sign, e.g. 8.25 for 8.25 %.',
        itemId: 'MUG-1',
      },
    ]);
  });

  it('XML: the issue names the item index and the element, and shows its parts', () => {
    const mine = xmlIssues.filter((i) => i.code === 'INVALID_SHIPPING' || i.code === 'INVALID_TAX');
    expect(mine.map((i) => [i.code, i.row, i.attribute, i.value, i.itemId])).toEqual([
      ['INVALID_SHIPPING', 2, 'shipping', 'country=Germany, price=49.00 EUR', 'TABLE-1'],
      ['INVALID_TAX', 2, 'tax', 'country=US, region=CA, rate=8.25, tax_ship=maybe', 'TABLE-1'],
    ]);
    expect(mine[0].message).toBe(
      '<g:shipping> element 1: country "Germany" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
    );
    expect(mine[1].message).toBe('<g:tax> element 1: tax_ship "maybe" is not yes or no. That tax entry was ignored.');
    expect(mine[1].hint).toMatch(/^Write y if shipping is taxed too, n if not/);
  });

  it('CSV, sub-attribute headers: a warning on a header naming an unknown part, an issue per group with the wrong part count', () => {
    const mine = headerIssues.filter((i) =>
      ['INVALID_SHIPPING', 'INVALID_TAX', 'INVALID_SUB_ATTRIBUTE_HEADER'].includes(i.code),
    );
    expect(mine).toEqual([
      {
        severity: 'WARNING',
        code: 'INVALID_SUB_ATTRIBUTE_HEADER',
        attribute: 'shipping',
        row: 0,
        value: 'shipping(country:zip:price)',
        message:
          'Column "shipping(country:zip:price)" names "zip", which is no part of shipping, so it is not read as shipping: it is kept as custom:shipping(country:zip:price).',
        hint: expect.stringContaining('postal_code'),
        itemId: null,
      },
      {
        severity: 'WARNING',
        code: 'INVALID_SHIPPING',
        attribute: 'shipping',
        row: 2,
        value: 'US:8.99 USD',
        message:
          'shipping(country:postal_code:price) group 4 "US:8.99 USD": it has 2 colon-separated parts; its column names 3 (country:postal_code:price). That shipping entry was ignored.',
        hint: 'Write the parts the column header names, in its order, e.g. US:94043:4.95 USD; keep the colons of parts you leave empty, and separate several entries with commas.',
        itemId: 'LAMP-2',
      },
    ]);
  });

  it('publishes the valid entries on the product', async () => {
    const data = await api.gqlOk<{ products: { edges: { node: Record<string, unknown> }[] } }>(PRODUCTS);
    const byId = new Map(data.products.edges.map((e) => [e.node.offerId, e.node]));
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    const ship = (over: Record<string, unknown>) => ({
      region: null,
      postalCode: null,
      service: null,
      minHandlingTime: null,
      maxHandlingTime: null,
      ...over,
    });
    expect(byId.get('LAMP-1')).toEqual({
      offerId: 'LAMP-1',
      shipping: [
        ship({ country: 'US', region: 'CA', service: 'Overnight', price: usd('16.00') }),
        ship({ country: 'US', service: 'Standard', price: usd('4.95'), minHandlingTime: 1, maxHandlingTime: 2 }),
      ],
      tax: [{ country: 'US', region: 'CA', rate: 8.25, taxShip: true }],
    });
    expect(byId.get('MUG-1')).toMatchObject({ shipping: [ship({ country: 'US', price: usd('0.00') })], tax: [] });
    expect(byId.get('CHAIR-1')).toMatchObject({
      shipping: [
        ship({
          country: 'DE',
          service: 'Spedition',
          price: { amount: '29.00', currency: 'EUR' },
          minHandlingTime: 1,
          maxHandlingTime: 3,
        }),
        ship({ country: 'AT', postalCode: '1010', price: { amount: '39.00', currency: 'EUR' } }),
      ],
    });
    expect(byId.get('TABLE-1')).toMatchObject({
      shipping: [ship({ country: 'DE', price: { amount: '49.00', currency: 'EUR' } })],
      tax: [],
    });
    // Read from the sub-attribute columns, in column and cell order.
    expect(byId.get('LAMP-2')).toEqual({
      offerId: 'LAMP-2',
      shipping: [
        ship({ country: 'US', region: 'MA', service: 'Ground', price: usd('6.49') }),
        ship({ country: 'US', region: 'NY', service: 'Express', price: usd('12.00') }),
        ship({ country: 'US', postalCode: '024*', price: usd('7.99') }),
      ],
      tax: [{ country: 'US', region: 'CA', rate: 8.25, taxShip: true }],
    });
    expect(byId.get('MUG-2')).toEqual({
      offerId: 'MUG-2',
      shipping: [ship({ country: 'US', postalCode: '94002-95460', price: usd('1234.00') })],
      tax: [{ country: 'US', region: 'NY', rate: 4, taxShip: false }],
    });
  });

  it('writes them into the Google RSS and Meta CSV exports', async () => {
    const google = await exported(csvBrand.apiKey, 'GOOGLE');
    expect(google).toContain(
      '<g:shipping><g:country>US</g:country><g:region>CA</g:region><g:service>Overnight</g:service><g:price>16.00 USD</g:price></g:shipping>' +
        '<g:shipping><g:country>US</g:country><g:service>Standard</g:service><g:price>4.95 USD</g:price><g:min_handling_time>1</g:min_handling_time><g:max_handling_time>2</g:max_handling_time></g:shipping>' +
        '<g:tax><g:country>US</g:country><g:region>CA</g:region><g:rate>8.25</g:rate><g:tax_ship>yes</g:tax_ship></g:tax>',
    );
    expect(google).not.toContain('USA');
    const xmlGoogle = await exported(xmlBrand.apiKey, 'GOOGLE');
    expect(xmlGoogle).toContain(
      '<g:shipping><g:country>AT</g:country><g:postal_code>1010</g:postal_code><g:price>39.00 EUR</g:price></g:shipping>',
    );
    expect(xmlGoogle).not.toContain('<g:tax>');

    const headerGoogle = await exported(headerBrand.apiKey, 'GOOGLE');
    expect(headerGoogle).toContain(
      '<g:shipping><g:country>US</g:country><g:postal_code>024*</g:postal_code><g:price>7.99 USD</g:price></g:shipping>',
    );
    expect(headerGoogle).toContain('<g:shipping_weight>0.5 kg</g:shipping_weight>');
    expect(headerGoogle.match(/<g:shipping_weight>/g)).toHaveLength(1);
    expect(google).not.toContain('<g:shipping_weight>');

    const meta = await exported(csvBrand.apiKey, 'META');
    const [header, ...lines] = meta.trim().split('\n');
    expect(header.split(',').at(-1)).toBe('shipping');
    const lamp = lines.find((l) => l.startsWith('LAMP-1,'))!;
    expect(lamp.endsWith(',"US:CA:Overnight:16.00 USD,US::Standard:4.95 USD"')).toBe(true);
    // Meta's form has no postal code: the AT entry limited to 1010 is not widened to all of Austria.
    const xmlMeta = await exported(xmlBrand.apiKey, 'META');
    expect(xmlMeta.split('\n').find((l) => l.startsWith('CHAIR-1,'))).toMatch(/,DE::Spedition:29\.00 EUR$/);
  });

  // Last: it changes CHAIR-1's shipping.
  it("a supplemental (UPDATE_ONLY) feed's shipping replaces the primary's entries; a product it does not name keeps its own", async () => {
    const feedId = await createFeed(api, xmlBrand.apiKey, { name: 'Freight', mode: 'UPDATE_ONLY' });
    const result = await ingest(api, xmlBrand.apiKey, feedId, 'id,shipping\nCHAIR-1,DE::Express:59 EUR\n');
    expect(result.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { updated } } }',
      { runId: result.id },
      xmlBrand.apiKey,
    );
    const data = await api.gqlOk<{ products: { edges: { node: Record<string, unknown> }[] } }>(PRODUCTS);
    const chair = data.products.edges.map((e) => e.node).find((n) => n.offerId === 'CHAIR-1');
    expect(chair).toMatchObject({
      shipping: [{ country: 'DE', service: 'Express', price: { amount: '59.00', currency: 'EUR' } }],
      tax: [],
    });
    const table = data.products.edges.map((e) => e.node).find((n) => n.offerId === 'TABLE-1');
    expect(table).toMatchObject({ shipping: [{ country: 'DE', price: { amount: '49.00', currency: 'EUR' } }] });
  });
});
