import { gzipSync } from 'node:zlib';
import { sample } from './__fixtures__/read-feed.fixture.js';
import { detectDialect } from './dialect.detector.js';
import { sniffFormat } from './format.sniffer.js';

describe('sniffFormat', () => {
  it('tells formats, delimiters and encodings from the first bytes', () => {
    expect(sniffFormat(Buffer.from('id,title\nA,B\n'))).toEqual({
      compression: null,
      format: 'CSV',
      encoding: 'utf-8',
      delimiter: ',',
    });
    expect(sniffFormat(Buffer.from('id\ttitle\nA\tB\n'))).toMatchObject({ format: 'TSV', delimiter: '\t' });
    expect(sniffFormat(Buffer.from('id;title;price\nA;B, C;1,50\n'))).toMatchObject({ format: 'CSV', delimiter: ';' });
    expect(sniffFormat(Buffer.from([0x69, 0x64, 0x0a, 0xe9, 0x0a]))).toMatchObject({
      format: 'CSV',
      encoding: 'windows-1252',
    });
    expect(sniffFormat(sample('xml/velofant_custom_feed.txt'))).toEqual({
      compression: null,
      format: 'XML',
      encoding: 'utf-8',
    });
    expect(sniffFormat(gzipSync(sample('csv/vendure_products.csv')))).toMatchObject({
      compression: 'gzip',
      format: 'CSV',
      delimiter: ',',
    });
    const latin = Buffer.from([
      ...Buffer.from('<?xml version="1.0" encoding="ISO-8859-15"?><r>'),
      0xa4,
      ...Buffer.from('</r>'),
    ]);
    expect(sniffFormat(latin)).toMatchObject({ format: 'XML', encoding: 'iso-8859-15' });
  });

  it('says why bytes are not a feed', () => {
    expect(sniffFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatchObject({
      format: null,
      notAFeed: { reason: expect.stringMatching(/xlsx/), hint: expect.stringMatching(/CSV/) },
    });
    expect(sniffFormat(Buffer.from('{"products": []}')).notAFeed?.reason).toMatch(/JSON/);
    expect(sniffFormat(Buffer.from('  \n')).format).toBeNull();
  });
});

describe('detectDialect', () => {
  it('recognises shop exports from their headers', () => {
    expect(detectDialect(['Handle', 'Title', 'Body (HTML)', 'Vendor', 'Variant SKU', 'Variant Price'])).toBe('SHOPIFY');
    expect(detectDialect(['ID', 'Type', 'SKU', 'Name', 'Regular price', 'Parent'])).toBe('WOOCOMMERCE');
    expect(detectDialect(['\uFEFFhandleId', 'fieldType', 'name', 'price'])).toBe('WIX');
    expect(detectDialect(['name ', 'slug ', 'optionGroups', 'optionValues', 'sku', 'price'])).toBe('VENDURE');
    expect(detectDialect(['id', 'title', 'image[0].url', 'image[0].tag[0]'])).toBe('META');
    expect(detectDialect(['id', 'title', 'link', 'image_link', 'price', 'availability'])).toBe('GENERIC');
  });
});
