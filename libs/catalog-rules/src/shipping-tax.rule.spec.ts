import { describe, expect, it } from '@jest/globals';

import { COUNTRY_CODES, countryCode } from './country.table.js';
import {
  encodeAttributeGroup,
  encodeHeaderGroups,
  MAX_SHIPPING_ENTRIES,
  MAX_TAX_ENTRIES,
  parseShipping,
  parseTax,
  readGroupHeader,
} from './shipping-tax.rule.js';

const xml = (...parts: Array<[string, string]>) => encodeAttributeGroup(parts);
const messages = (check: { findings: { finding: { message: string } }[] }) =>
  check.findings.map((f) => f.finding.message);

describe('countryCode', () => {
  it('knows the 249 assigned ISO 3166-1 alpha-2 codes, in any case, and nothing else', () => {
    expect(COUNTRY_CODES.size).toBe(249);
    expect(countryCode('us')).toBe('US');
    expect(countryCode(' SE ')).toBe('SE');
    for (const bad of ['UK', 'EU', 'XK', 'USA', 'U', '']) expect(countryCode(bad)).toBeNull();
  });
});

describe('parseShipping: text form', () => {
  it('reads country:region:service:price, empty parts kept by their colons, several groups by commas', () => {
    const check = parseShipping('US:CA:Overnight:16.00 USD, US::Standard:4.95 USD,DE:::0 EUR', null);
    expect(check.findings).toEqual([]);
    expect(check.entries).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 1600, region: 'CA', service: 'Overnight' },
      { country: 'US', currency: 'USD', priceMinor: 495, service: 'Standard' },
      { country: 'DE', currency: 'EUR', priceMinor: 0 },
    ]);
    // Keys in sorted order: the product stays canonical JSON.
    for (const entry of check.entries) expect(Object.keys(entry)).toEqual(Object.keys(entry).sort());
  });

  it('reads the handling and transit times after the price', () => {
    expect(parseShipping('US:CA:Overnight:16.00 USD:1:2:3:5', null).entries).toEqual([
      {
        country: 'US',
        currency: 'USD',
        maxHandlingTime: 2,
        maxTransitTime: 5,
        minHandlingTime: 1,
        minTransitTime: 3,
        priceMinor: 1600,
        region: 'CA',
        service: 'Overnight',
      },
    ]);
  });

  it('keeps a decimal comma inside its group, and takes the given currency for a bare price', () => {
    expect(parseShipping('DE::Standard:4,95 EUR, AT:::6,90 EUR', null).entries.map((e) => e.priceMinor)).toEqual([
      495, 690,
    ]);
    expect(parseShipping('SE:::49', 'SEK').entries).toEqual([{ country: 'SE', currency: 'SEK', priceMinor: 4900 }]);
    expect(parseShipping(['US:::5 USD', 'CA:::7 CAD'], null).entries.map((e) => e.country)).toEqual(['US', 'CA']);
  });

  it('leaves out each bad group with a message naming the group, the part and its value, keeping the others', () => {
    const check = parseShipping('USA::Standard:4.95 USD, US::Standard:4.95 USD, UK:::3 GBP', null);
    expect(check.entries).toEqual([{ country: 'US', currency: 'USD', priceMinor: 495, service: 'Standard' }]);
    expect(check.findings.map((f) => [f.finding.code, f.finding.severity, f.value])).toEqual([
      ['INVALID_SHIPPING', 'WARNING', 'USA::Standard:4.95 USD'],
      ['INVALID_SHIPPING', 'WARNING', 'UK:::3 GBP'],
    ]);
    expect(check.findings[0].finding.message).toBe(
      'shipping group 1 "USA::Standard:4.95 USD": country "USA" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
    );
    expect(check.findings[0].finding.hint).toBe(
      'Write the two-letter ISO 3166-1 code of the country, e.g. US, DE or SE: US::Standard:4.95 USD.',
    );
    expect(check.findings[1].finding.message).toContain('shipping group 3 "UK:::3 GBP": country "UK"');
    expect(check.findings[1].finding.hint).toBe('Write GB instead of UK: GB::Standard:4.95 USD.');
  });

  it.each([
    ['US:Standard:4.95 USD', 'it has 3 colon-separated parts; shipping takes 4 to 8 (country:region:service:price).'],
    ['US:CA:Ground:5 USD:1:2:3:4:5', 'it has 9 colon-separated parts; shipping takes 4 to 8'],
    [':CA:Ground:5 USD', 'country is missing.'],
    ['US:CA:Ground:', 'price is missing.'],
    ['US:CA:Ground:cheap', 'price "cheap" cannot be read: "cheap" has no amount.'],
    ['US:CA:Ground:5', 'price "5" cannot be read'],
    ['US:CA:Ground:-5 USD', 'price -5.00 USD is negative.'],
    ['US:CA:Ground:5 USD:one:2', 'min_handling_time "one" is not a whole number of days.'],
    ['US:CA:Ground:5 USD:3:1', 'min_handling_time 3 is more than max_handling_time 1.'],
    ['US:CA:Ground:5 USD:::4:2', 'min_transit_time 4 is more than max_transit_time 2.'],
  ])('INVALID_SHIPPING for %s', (text, message) => {
    const check = parseShipping(text, null);
    expect(check.entries).toEqual([]);
    expect(check.findings).toHaveLength(1);
    expect(check.findings[0].finding.code).toBe('INVALID_SHIPPING');
    expect(check.findings[0].finding.message).toContain(message);
    expect(check.findings[0].finding.hint.length).toBeGreaterThan(20);
  });

  it('passes on the AMBIGUOUS_CURRENCY warning of a price written with "$", and keeps the entry', () => {
    const check = parseShipping('US:::$5', null);
    expect(check.entries).toEqual([{ country: 'US', currency: 'USD', priceMinor: 500 }]);
    expect(check.findings.map((f) => [f.finding.code, f.value])).toEqual([['AMBIGUOUS_CURRENCY', 'US:::$5']]);
  });
});

describe('parseShipping: XML form', () => {
  it('reads the parts by name, the location parts too', () => {
    const check = parseShipping(
      [
        xml(['country', 'US'], ['region', 'CA'], ['service', 'Overnight'], ['price', '16.00 USD']),
        xml(['country', 'US'], ['postal_code', '80302-80310'], ['price', '4.95 USD'], ['max_transit_time', '3']),
        xml(['country', 'DE'], ['location_group_name', 'Nord: Inseln'], ['price', '9 EUR']),
      ],
      null,
    );
    expect(check.findings).toEqual([]);
    expect(check.entries).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 1600, region: 'CA', service: 'Overnight' },
      { country: 'US', currency: 'USD', maxTransitTime: 3, postalCode: '80302-80310', priceMinor: 495 },
      { country: 'DE', currency: 'EUR', locationGroupName: 'Nord: Inseln', priceMinor: 9_00 },
    ]);
  });

  it('names the element by position and shows its parts', () => {
    const check = parseShipping([xml(['country', 'US'], ['price', '5 USD']), xml(['country', 'Sweden'])], null);
    expect(check.entries).toHaveLength(1);
    expect(messages(check)).toEqual([
      '<g:shipping> element 2: country "Sweden" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
    ]);
    expect(check.findings[0].value).toBe('country=Sweden');
  });
});

describe('readGroupHeader', () => {
  it.each([
    ['shipping(country:region:service:price)', 'shipping', ['country', 'region', 'service', 'price']],
    ['g:shipping(country:postal_code:price)', 'shipping', ['country', 'postal_code', 'price']],
    ['G: Shipping ( Country : Postal Code : Price )', 'shipping', ['country', 'postal_code', 'price']],
    [
      'SHIPPING(country:locationId:location-group-name:price:MAX_TRANSIT_TIME)',
      'shipping',
      ['country', 'location_id', 'location_group_name', 'price', 'max_transit_time'],
    ],
    ['tax(country:region:rate:tax_ship)', 'tax', ['country', 'region', 'rate', 'tax_ship']],
    ['Tax (Country:Postal Code:Rate:Tax Ship)', 'tax', ['country', 'postal_code', 'rate', 'tax_ship']],
  ])('reads %s', (header, attribute, parts) => {
    expect(readGroupHeader(header)).toEqual({ attribute, parts });
  });

  it('says what is wrong with one it cannot read, and leaves other headers alone', () => {
    expect(readGroupHeader('shipping(country:zip:price)')).toMatchObject({
      attribute: 'shipping',
      problem: 'names "zip", which is no part of shipping',
    });
    expect(readGroupHeader('tax(country:rate:location_group_name)')).toMatchObject({
      problem: 'names "location_group_name", which is no part of tax',
    });
    expect(readGroupHeader('tax(country:rate:rate)')).toMatchObject({ problem: 'names rate twice' });
    expect(readGroupHeader('shipping(price)')).toMatchObject({
      problem: 'does not name country, which every shipping entry needs',
    });
    expect(readGroupHeader('shipping(country:service)')).toMatchObject({
      problem: 'does not name price, which every shipping entry needs',
    });
    for (const other of [
      'shipping',
      'shipping_weight',
      'price(USD)',
      'size (EU)',
      'shipping(a)(b)',
      'x shipping(country:price)',
    ]) {
      expect(readGroupHeader(other)).toBeNull();
    }
  });

  it('reads a long header in linear time (a header is feed input)', () => {
    const started = performance.now();
    expect(readGroupHeader(`a${' '.repeat(200_000)}x(`)).toBeNull();
    expect(readGroupHeader(`shipping${' '.repeat(200_000)}(country:price)`)).toMatchObject({ attribute: 'shipping' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseShipping and parseTax: header form (encodeHeaderGroups)', () => {
  const parts = (header: string) => (readGroupHeader(header) as { parts: string[] }).parts;

  it('reads each group with the parts its column names, region, postal code and service alike', () => {
    const check = parseShipping(
      [
        ...encodeHeaderGroups(parts('shipping(country:region:service:price)'), 'US:MA:Ground:6.49 USD, US:CA::0 USD'),
        ...encodeHeaderGroups(parts('shipping(country:postal_code:service:price)'), 'US:024*:Ground:7.99 USD'),
      ],
      null,
    );
    expect(check.findings).toEqual([]);
    expect(check.entries).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 649, region: 'MA', service: 'Ground' },
      { country: 'US', currency: 'USD', priceMinor: 0, region: 'CA' },
      { country: 'US', currency: 'USD', postalCode: '024*', priceMinor: 799, service: 'Ground' },
    ]);
  });

  it('reads tax with tax_ship in the order the header gives', () => {
    const check = parseTax(encodeHeaderGroups(parts('tax(rate:country:tax_ship:region)'), '8.25:US:y:CA,4:US:no:NY'));
    expect(check.findings).toEqual([]);
    expect(check.entries).toEqual([
      { country: 'US', rate: 8.25, region: 'CA', taxShip: true },
      { country: 'US', rate: 4, region: 'NY', taxShip: false },
    ]);
  });

  it("shows a bad group as written, under its column, with a hint in the column's order", () => {
    const names = parts('shipping(country:postal_code:price)');
    const check = parseShipping(encodeHeaderGroups(names, 'UK:SW1*:3 GBP,US:80302:,US:10*:1:2 USD,US:9*:1 USD'), null);
    expect(check.entries).toEqual([{ country: 'US', currency: 'USD', postalCode: '9*', priceMinor: 100 }]);
    expect(check.findings.map((f) => [f.finding.code, f.value, f.finding.message, f.finding.hint])).toEqual([
      [
        'INVALID_SHIPPING',
        'UK:SW1*:3 GBP',
        'shipping(country:postal_code:price) group 1 "UK:SW1*:3 GBP": country "UK" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
        'Write GB instead of UK: GB:94043:4.95 USD.',
      ],
      [
        'INVALID_SHIPPING',
        'US:80302:',
        'shipping(country:postal_code:price) group 2 "US:80302:": price is missing. That shipping entry was ignored.',
        'Give the shipping cost with its currency, e.g. US:94043:4.95 USD; write 0 for free shipping.',
      ],
      [
        'INVALID_SHIPPING',
        'US:10*:1:2 USD',
        'shipping(country:postal_code:price) group 3 "US:10*:1:2 USD": it has 4 colon-separated parts; its column names 3 (country:postal_code:price). That shipping entry was ignored.',
        'Write the parts the column header names, in its order, e.g. US:94043:4.95 USD; keep the colons of parts you leave empty, and separate several entries with commas.',
      ],
    ]);
  });

  it('gives a group with too few parts INVALID_TAX, the others kept', () => {
    const check = parseTax(encodeHeaderGroups(parts('tax(country:region:rate:tax_ship)'), 'US:CA:8.25:y,US:NY:4'));
    expect(check.entries).toEqual([{ country: 'US', rate: 8.25, region: 'CA', taxShip: true }]);
    expect(check.findings.map((f) => [f.finding.code, f.value])).toEqual([['INVALID_TAX', 'US:NY:4']]);
    expect(messages(check)[0]).toContain('it has 3 colon-separated parts; its column names 4');
  });

  it('keeps a decimal or thousands comma in its group, as the text form does', () => {
    const names = parts('shipping(country:price)');
    expect(parseShipping(encodeHeaderGroups(names, 'DE:4,95 EUR,US:1,234.00 USD'), null).entries).toEqual([
      { country: 'DE', currency: 'EUR', priceMinor: 495 },
      { country: 'US', currency: 'USD', priceMinor: 123400 },
    ]);
    expect(encodeHeaderGroups(names, ' , ')).toEqual([]);
  });
});

describe('parseTax', () => {
  it('reads country:region:rate:tax_ship, text and XML', () => {
    const check = parseTax(['US:CA:8.25:y, US:NY:4:no,US::0:', xml(['country', 'US'], ['rate', '6'])]);
    expect(check.findings).toEqual([]);
    expect(check.entries).toEqual([
      { country: 'US', rate: 8.25, region: 'CA', taxShip: true },
      { country: 'US', rate: 4, region: 'NY', taxShip: false },
      { country: 'US', rate: 0, taxShip: false },
      { country: 'US', rate: 6, taxShip: false },
    ]);
    expect(parseTax('US:CA:7:TRUE').entries[0].taxShip).toBe(true);
  });

  it.each([
    ['US:CA:8.25', 'it has 3 colon-separated parts; tax takes 4 (country:region:rate:tax_ship).'],
    ['USA:CA:8.25:y', 'country "USA" is not an ISO 3166-1 alpha-2 country code.'],
    ['US:CA::y', 'rate is missing.'],
    ['US:CA:8.25%:y', 'rate "8.25%" is not a percentage from 0 to 100.'],
    ['US:CA:120:y', 'rate "120" is not a percentage from 0 to 100.'],
    ['US:CA:-1:y', 'rate "-1" is not a percentage from 0 to 100.'],
    ['US:CA:8.25:maybe', 'tax_ship "maybe" is not yes or no.'],
  ])('INVALID_TAX for %s, keeping the good entry beside it', (text, message) => {
    const check = parseTax(`${text}, US:NY:4:n`);
    expect(check.entries).toEqual([{ country: 'US', rate: 4, region: 'NY', taxShip: false }]);
    expect(check.findings.map((f) => [f.finding.code, f.finding.severity, f.value])).toEqual([
      ['INVALID_TAX', 'WARNING', text],
    ]);
    expect(check.findings[0].finding.message).toBe(`tax group 1 "${text}": ${message} That tax entry was ignored.`);
  });
});

describe('entries a product keeps', () => {
  it('keeps the first MAX_SHIPPING_ENTRIES shipping entries and says once, at the first left out, that the rest were ignored', () => {
    const groups = Array.from({ length: MAX_SHIPPING_ENTRIES + 5 }, (_, i) => `US::Service ${i + 1}:${i}.00 USD`);
    const check = parseShipping(groups.join(','), null);
    expect(check.entries).toHaveLength(MAX_SHIPPING_ENTRIES);
    expect(check.entries.at(-1)).toMatchObject({ service: `Service ${MAX_SHIPPING_ENTRIES}` });
    expect(check.findings.map((f) => [f.finding.code, f.finding.severity, f.value])).toEqual([
      ['INVALID_SHIPPING', 'WARNING', groups[MAX_SHIPPING_ENTRIES]],
    ]);
    expect(check.findings[0].finding.message).toBe(
      `shipping group ${MAX_SHIPPING_ENTRIES + 1} "${groups[MAX_SHIPPING_ENTRIES]}": the product already has ${MAX_SHIPPING_ENTRIES} shipping entries, the most kept; it and the entries after it were ignored.`,
    );
    expect(check.findings[0].finding.hint).toContain(`at most ${MAX_SHIPPING_ENTRIES} shipping entries`);
  });

  it('keeps the first MAX_TAX_ENTRIES tax entries, a bad entry among them not counting', () => {
    const groups = ['XX:CA:5:y', ...Array.from({ length: MAX_TAX_ENTRIES + 1 }, (_, i) => `US:R${i}:5:y`)];
    const check = parseTax(groups.join(','));
    expect(check.entries).toHaveLength(MAX_TAX_ENTRIES);
    expect(check.findings.map((f) => f.value)).toEqual(['XX:CA:5:y', groups.at(-1)]);
  });
});
