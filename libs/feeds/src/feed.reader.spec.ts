import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseShipping, parseTax } from '@brandshelf/catalog-rules';
import { chunked, readAll, sample, SAMPLES_DIR } from './__fixtures__/read-feed.fixture.js';
import { MAX_CSV_COLUMNS } from './csv.tokenizer.js';
import { readFeed } from './feed.reader.js';
import { SNIFF_BYTES } from './format.sniffer.js';

const HEADER = 'id,title,price,link';

describe('readFeed: delimiters and encodings', () => {
  it.each([
    [',', 'CSV'],
    ['\t', 'TSV'],
    [';', 'CSV'],
    ['|', 'CSV'],
    ['~', 'CSV'],
  ])('sniffs the delimiter %j', async (delimiter, format) => {
    const csv = [
      ['id', 'title', 'price', 'description'],
      ['A1', 'Lamp', '9.99 EUR', '"Bright, warm; small|cheap~nice"'],
      ['A2', 'Desk', '99 EUR', 'Oak'],
    ]
      .map((row) => row.join(delimiter))
      .join('\r\n');
    const result = await readAll(csv);
    expect(result.meta).toMatchObject({ format, delimiter, dialect: 'GENERIC' });
    expect(result.items.map((item) => item.fields)).toEqual([
      { id: 'A1', title: 'Lamp', price: '9.99 EUR', description: 'Bright, warm; small|cheap~nice' },
      { id: 'A2', title: 'Desk', price: '99 EUR', description: 'Oak' },
    ]);
  });

  it("honours Excel's sep= line and a forced TSV format", async () => {
    expect((await readAll('sep=;\nid;title\nA;Lamp\n')).items).toEqual([
      { row: 3, fields: { id: 'A', title: 'Lamp' } },
    ]);
    const forced = await readAll('id\ttitle, with comma\nA\tLamp\n', { format: 'TSV' });
    expect(forced.meta).toMatchObject({ format: 'TSV', delimiter: '\t' });
    expect(forced.items[0].fields).toEqual({ id: 'A', 'custom:title, with comma': 'Lamp' });
  });

  it('strips a UTF-8 BOM', async () => {
    const result = await readAll(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,title\nA,Crème\n')]),
      {},
      1,
    );
    expect(result.meta).toMatchObject({ encoding: 'utf-8', headers: ['id', 'title'] });
    expect(result.items[0].fields).toEqual({ id: 'A', title: 'Crème' });
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    const text = 'id\ttitle\nA\tFärg 🍕\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [bytes, encoding] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      for (const chunkSize of [undefined, 1, 3]) {
        const result = await readAll(bytes, {}, chunkSize);
        expect(result.meta).toMatchObject({ encoding, format: 'TSV' });
        expect(result.items).toEqual([{ row: 2, fields: { id: 'A', title: 'Färg 🍕' } }]);
      }
    }
  });

  it('reads Windows-1252 when the start is not UTF-8', async () => {
    const bytes = Buffer.from([
      ...Buffer.from('id,title\nA,Caf'),
      0xe9,
      ...Buffer.from(' '),
      0x80,
      ...Buffer.from('5\n'),
    ]);
    const result = await readAll(bytes);
    expect(result.meta?.encoding).toBe('windows-1252');
    expect(result.issues).toEqual([]);
    expect(result.items[0].fields.title).toBe('Café €5');
  });

  it('falls back to Windows-1252 where invalid UTF-8 first appears, with one warning', async () => {
    const rows = ['id,title'];
    for (let i = 0; i < 3000; i++) rows.push(`U${i},Crème brûlée ${i}`);
    const utf8 = Buffer.from(`${rows.join('\n')}\n`);
    const latin = Buffer.from([
      ...Buffer.from('L1,P'),
      0xe2,
      ...Buffer.from('t'),
      0xe9,
      ...Buffer.from('\nL2,'),
      0xc9,
      ...Buffer.from('t'),
      0xe9,
      0x0a,
    ]);
    const result = await readAll(Buffer.concat([utf8, latin]), {}, 4096);
    expect(result.meta?.encoding).toBe('utf-8');
    expect(result.items).toHaveLength(3002);
    expect(result.items[0].fields.title).toBe('Crème brûlée 0');
    expect(result.items.slice(-2).map((item) => item.fields.title)).toEqual(['Pâté', 'Été']);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'ENCODING_FALLBACK',
        severity: 'WARNING',
        row: 0,
        message: expect.stringContaining(`byte ${utf8.length + 4}`),
      }),
    ]);
  });

  it('reads a UTF-8 file with a stray Windows-1252 byte as UTF-8, repairing only that byte', async () => {
    // A UTF-8 export where one cell was pasted from a Windows program: its en dash is the single byte 0x96. The
    // file used to be read whole as Windows-1252, every accented letter of every item garbled (CafÃ© crÃ¨me)
    // without a word; now only the stray byte is read as Windows-1252, with one warning naming where it is.
    const rows = ['id,title,brand'];
    for (let i = 0; i < 40; i++) rows.push(`M${i},Café crème ${i} – größe,Bräu`);
    const head = Buffer.from(`${rows.slice(0, 4).join('\n')}\nS1,Mug `);
    const bytes = Buffer.concat([
      head,
      Buffer.from([0x96]),
      Buffer.from(` blue,Bräu\n${rows.slice(4).join('\n')}\n`),
      // Past the first stray byte, more: a lone é (0xE9) and another en dash.
      Buffer.from('S2,Pur'),
      Buffer.from([0xe9, 0x20, 0x96]),
      Buffer.from(' x,Bräu\n'),
    ]);
    for (const chunkSize of [undefined, 1, 7, 4096]) {
      const result = await readAll(bytes, {}, chunkSize);
      expect(result.meta?.encoding).toBe('utf-8');
      const titles = result.items.map((item) => item.fields.title);
      expect(titles).toHaveLength(42);
      expect(titles[0]).toBe('Café crème 0 – größe');
      expect(titles[3]).toBe('Mug – blue');
      expect(titles[40]).toBe('Café crème 39 – größe');
      expect(titles[41]).toBe('Puré – x');
      expect(result.items.every((item) => item.fields.brand === 'Bräu')).toBe(true);
      expect(result.issues).toEqual([
        expect.objectContaining({
          code: 'ENCODING_FALLBACK',
          severity: 'WARNING',
          row: 0,
          message: expect.stringContaining(`byte ${head.length}`),
        }),
      ]);
    }
  });

  it('decides the encoding from the same first 64 KB however the input is chunked', async () => {
    // Invalid UTF-8 a few bytes past the sniffing window: a single whole-file chunk used to overshoot the
    // window, see it and read everything as Windows-1252, while small chunks stopped at the window and
    // fell back only from that byte on.
    const rows = ['id,title'];
    for (let i = 0; Buffer.byteLength(rows.join('\n')) < SNIFF_BYTES - 80; i++) rows.push(`U${i},Crème brûlée ${i}`);
    let utf8 = Buffer.from(`${rows.join('\n')}\n`);
    utf8 = Buffer.concat([
      utf8,
      Buffer.from('X1,'),
      Buffer.alloc(SNIFF_BYTES - utf8.length + 2, 0x61),
      Buffer.from('\n'),
    ]);
    const bytes = Buffer.concat([utf8, Buffer.from('L1,P'), Buffer.from([0xe2]), Buffer.from('te\n')]);
    const whole = await readAll(Readable.from([bytes]));
    const chunks = await readAll(bytes, {}, 5);
    expect(whole.meta?.encoding).toBe('utf-8');
    expect(whole.items.at(-1)?.fields.title).toBe('Pâte');
    expect(whole.items[0].fields.title).toBe('Crème brûlée 0');
    expect(whole.issues).toEqual([expect.objectContaining({ code: 'ENCODING_FALLBACK' })]);
    expect(chunks.events).toEqual(whole.events);
  });
});

describe('readFeed: CSV records', () => {
  it('reports the line a record starts on, across quoted multi-line cells and blank lines', async () => {
    const csv = `${HEADER}\r\nA,"Multi\r\nline\nand ""quoted""",1,https://x.test/a\r\n\r\nB,Plain,2,https://x.test/b\r\n,,,\r\nC,"Ends",3,https://x.test/c`;
    for (const chunkSize of [undefined, 1, 2, 5]) {
      const result = await readAll(csv, {}, chunkSize);
      expect(result.items).toEqual([
        { row: 2, fields: { id: 'A', title: 'Multi\r\nline\nand "quoted"', price: '1', link: 'https://x.test/a' } },
        { row: 6, fields: { id: 'B', title: 'Plain', price: '2', link: 'https://x.test/b' } },
        { row: 8, fields: { id: 'C', title: 'Ends', price: '3', link: 'https://x.test/c' } },
      ]);
    }
  });

  it('trims padded headers and cells and keeps stray quotes in unquoted cells', async () => {
    const csv = 'id   ,title          ,size\n  A1 ,  "Padded, quoted"   ,  9" x 12"  \n';
    const result = await readAll(csv);
    expect(result.meta?.headers).toEqual(['id', 'title', 'size']);
    expect(result.items[0].fields).toEqual({ id: 'A1', title: 'Padded, quoted', size: '9" x 12"' });
  });

  it('keeps the blanks between a quoted start of a cell and the text after it, as spreadsheets do', async () => {
    // A cell such as `"Deluxe" Pizza Pan` (a naive exporter's quoted word, not an RFC 4180 quoted cell): Excel,
    // LibreOffice and Python's csv read it as `Deluxe Pizza Pan`; the space must not go with the quotes.
    for (const delimiter of [',', '\t']) {
      const csv = [
        ['id', 'title', 'description', 'size'],
        ['A1', '"Deluxe" Pizza Pan', '"Non-stick"   coating', '"L" '],
        ['A2', '  "Padded, quoted"   ', 'Plain', 'M'],
      ]
        .map((row) => row.join(delimiter))
        .join('\n');
      for (const chunkSize of [undefined, 1, 2, 3]) {
        const result = await readAll(csv, {}, chunkSize);
        expect(result.items.map((item) => item.fields)).toEqual([
          { id: 'A1', title: 'Deluxe Pizza Pan', description: 'Non-stick   coating', size: 'L' },
          { id: 'A2', title: 'Padded, quoted', description: 'Plain', size: 'M' },
        ]);
      }
    }
  });

  it('rejects a ragged row with an issue naming both column counts, and reads on', async () => {
    const csv = `${HEADER}\nA,Lamp,1,https://x.test/a\nB,Desk,2\nC,Chair,3,https://x.test/c,extra\nD,Sofa,4,https://x.test/d,,\n`;
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields.id)).toEqual(['A', 'D']);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'RAGGED_ROW',
        severity: 'ERROR',
        row: 3,
        message: expect.stringMatching(/has 3 columns but the header has 4/),
      }),
      expect.objectContaining({
        code: 'RAGGED_ROW',
        severity: 'ERROR',
        row: 4,
        message: expect.stringMatching(/has 5 columns but the header has 4/),
      }),
    ]);
  });

  it('keeps the rows before an unterminated quote, then fails naming the line it opened on', async () => {
    const csv = `${HEADER}\nA,Lamp,1,https://x.test/a\nB,"Desk\nC,Chair,3,https://x.test/c\nD,Sofa,4,https://x.test/d\n`;
    for (const chunkSize of [undefined, 1]) {
      const result = await readAll(csv, {}, chunkSize);
      expect(result.items.map((item) => item.fields.id)).toEqual(['A']);
      expect(result.error).toMatchObject({ code: 'UNTERMINATED_QUOTE', row: 3 });
      expect(result.error?.message).toMatch(/opened on line 3/);
    }
  });

  it('flushes the buffered Shopify product before an unterminated quote', async () => {
    const csv = 'Handle,Title,Variant SKU,Variant Price\nmug,Mug,M-1,5\nmug,,M-2,6\ncup,"Cup,C-1,4\n';
    const result = await readAll(csv);
    expect(result.items.map((item) => item.fields.id)).toEqual(['M-1', 'M-2']);
    expect(result.error?.code).toBe('UNTERMINATED_QUOTE');
  });

  it('rejects a row with a 10 MB cell and reads on', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const csv = `${HEADER}\nA,Lamp,1,https://x.test/a\nB,"${big}",2,https://x.test/b\nC,Chair,3,https://x.test/c\n`;
    const result = await readAll(csv);
    expect(result.error).toBeNull();
    expect(result.items.map((item) => [item.row, item.fields.id])).toEqual([
      [2, 'A'],
      [4, 'C'],
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'CELL_TOO_LARGE',
        severity: 'ERROR',
        row: 3,
        attribute: 'title',
        value: 'x'.repeat(200),
      }),
    ]);
    // The limit counts UTF-8 bytes: "Café" is 5.
    const strict = await readAll('id,name\nA,Cafe\nB,Café\n', { maxCellBytes: 4 });
    expect(strict.items.map((item) => item.fields.title)).toEqual(['Cafe']);
    expect(strict.issues).toEqual([
      expect.objectContaining({ code: 'CELL_TOO_LARGE', row: 3, attribute: 'title', value: 'Café' }),
    ]);
  });

  it('rejects a record over maxRecordBytes', async () => {
    const csv = `${HEADER}\nA,Lamp,1,https://x.test/a\nB,Desk,2,https://x.test/b/a/very/long/path\n`;
    const result = await readAll(csv, { maxRecordBytes: 30 });
    expect(result.items.map((item) => item.fields.id)).toEqual(['A']);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'RECORD_TOO_LARGE', row: 3 })]);
  });

  it('fails a 100,000-column file with TOO_MANY_COLUMNS naming the limit, not EMPTY_FEED', async () => {
    const columns = 100_000;
    // Streamed in pieces: a header of 100,000 names, then rows as wide.
    async function* wide(): AsyncGenerator<Buffer> {
      for (let line = 0; line < 3; line++) {
        for (let c = 0; c < columns; c += 1000) {
          const names = Array.from({ length: 1000 }, (_, i) => (line ? `v${c + i}` : `col${c + i}`));
          yield Buffer.from((c ? ',' : '') + names.join(','));
        }
        yield Buffer.from('\n');
      }
    }
    const result = await readAll(Readable.from(wide()));
    expect(result.error).toMatchObject({ code: 'TOO_MANY_COLUMNS', row: 1 });
    expect(result.error?.message).toContain(`${columns} columns`);
    expect(result.error?.message).toContain(`at most ${MAX_CSV_COLUMNS}`);
    // At the limit the header is read.
    const atLimit = Array.from({ length: MAX_CSV_COLUMNS }, (_, i) => (i ? `c${i}` : 'id')).join(',');
    const ok = await readAll(`${atLimit}\nA${','.repeat(MAX_CSV_COLUMNS - 1)}\n`);
    expect(ok.error).toBeNull();
    expect(ok.meta?.headers).toHaveLength(MAX_CSV_COLUMNS);
  });

  it('fails on an empty file and warns on a header-only file', async () => {
    expect((await readAll('')).error).toMatchObject({ code: 'EMPTY_FEED' });
    expect((await readAll(' \r\n\n ')).error).toMatchObject({ code: 'EMPTY_FEED' });
    const headerOnly = await readAll(`${HEADER}\r\n`);
    expect(headerOnly.error).toBeNull();
    expect(headerOnly.meta?.headers).toEqual(['id', 'title', 'price', 'link']);
    expect(headerOnly.items).toEqual([]);
    expect(headerOnly.issues).toEqual([expect.objectContaining({ code: 'NO_ITEMS', severity: 'WARNING', row: 0 })]);
    // Rows that are all skipped or rejected are no "header-only" file: their skips and errors say what happened.
    const allDrafts = await readAll(
      'Handle,Title,Status,Variant SKU,Variant Price\nlamp,Lamp,draft,L-1,10\nchair,Chair,archived,C-1,20\n',
    );
    expect(allDrafts.items).toEqual([]);
    expect(allDrafts.rowsRead).toBe(2);
    expect(allDrafts.skips.map((skip) => skip.reason)).toEqual(['INACTIVE', 'INACTIVE']);
    expect(allDrafts.issues.map((issue) => issue.code)).toEqual([
      'INACTIVE_PRODUCT_SKIPPED',
      'INACTIVE_PRODUCT_SKIPPED',
    ]);
  });
});

describe('readFeed: headers', () => {
  it('maps headers through the attribute table and keeps unknown columns as custom', async () => {
    const csv =
      'G:ID,Product Name,IMAGE_LINK,Image Link,Farbe,Lieferzeit,title,\nA,Lamp,https://x.test/1.jpg,https://x.test/2.jpg,rot,2 Tage,Lamp!,orphan\n';
    const result = await readAll(csv);
    expect(result.items[0].fields).toEqual({
      id: 'A',
      title: 'Lamp',
      image_link: 'https://x.test/1.jpg',
      additional_image_link: ['https://x.test/2.jpg'],
      color: 'rot',
      'custom:Lieferzeit': '2 Tage',
      'custom:title': 'Lamp!',
      'custom:column_8': 'orphan',
    });
    expect(result.meta?.columns).toEqual([
      { header: 'G:ID', attribute: 'id' },
      { header: 'Product Name', attribute: 'title' },
      { header: 'IMAGE_LINK', attribute: 'image_link' },
      { header: 'Image Link', attribute: 'additional_image_link' },
      { header: 'Farbe', attribute: 'color' },
      { header: 'Lieferzeit', attribute: 'custom:Lieferzeit' },
      { header: 'title', attribute: 'custom:title' },
      { header: '', attribute: 'custom:column_8' },
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_COLUMN',
        severity: 'WARNING',
        row: 0,
        attribute: 'title',
        value: 'title',
      }),
    ]);
  });

  it('lets columnMapping win over the table and over a dialect', async () => {
    const generic = await readAll('Artikel,Bezeichnung,title,Lager\nA,Lampe,Old,5\n', {
      columnMapping: { artikel: 'id', Bezeichnung: 'title', Lager: 'custom:stock', title: '' },
    });
    expect(generic.items[0].fields).toEqual({ id: 'A', title: 'Lampe', 'custom:stock': '5' });
    expect(generic.issues).toEqual([]);

    const shopify = await readAll('Handle,Title,Vendor,Variant SKU,Variant Price,Tags\nmug,Mug,Acme,M-1,5,Kitchen\n', {
      columnMapping: { Vendor: 'custom:maker', Tags: 'brand' },
    });
    expect(shopify.meta?.dialect).toBe('SHOPIFY');
    expect(shopify.items[0].fields).toMatchObject({ id: 'M-1', brand: 'Kitchen', 'custom:maker': 'Acme' });
  });
});

describe('readFeed: input', () => {
  it.each([
    ['random bytes with NULs', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['a PNG', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
    ['an HTML page', Buffer.from('<!DOCTYPE html>\n<html><body>Login</body></html>')],
  ])('refuses %s as NOT_A_FEED', async (_name, bytes) => {
    const result = await readAll(bytes);
    expect(result.items).toEqual([]);
    expect(result.error).toMatchObject({ code: 'NOT_A_FEED' });
  });

  it('refuses a web page even when the feed is configured as XML', async () => {
    const result = await readAll('<!DOCTYPE html><html><body>Sign in</body></html>', { format: 'XML' });
    expect(result.error).toMatchObject({ code: 'NOT_A_FEED', hint: expect.stringMatching(/web page/) });
  });

  it.each([
    ['xml/velofant_prisjakt_feed.xml', 'CSV', 'XML'],
    ['xml/airfeel_gmc_feed.xml', 'TSV', 'XML'],
    ['xml/velofant_custom_feed.txt', 'CSV', 'XML'],
    ['csv/meta_dpa_sample_feed.csv', 'XML', 'CSV'],
    ['shopify/products_export_demo.csv', 'XML', 'CSV'],
  ] as const)('refuses %s declared as %s with FORMAT_MISMATCH naming both', async (file, declared, found) => {
    const result = await readAll(sample(file), { format: declared });
    expect(result.error).toMatchObject({ code: 'FORMAT_MISMATCH' });
    expect(result.error!.message).toContain(`set to ${declared}`);
    expect(result.error!.message).toContain(found);
    expect(result.error!.hint).toContain('AUTO');
    // At once: not a row read, so no ragged-row issues or malformed-XML noise.
    expect(result.items).toEqual([]);
    expect(result.issues).toEqual([]);
    expect(result.rowsRead).toBe(0);
  });

  it('reads the same files when the declared format agrees with them', async () => {
    expect((await readAll(sample('xml/velofant_prisjakt_feed.xml'), { format: 'XML' })).items).toHaveLength(9);
    expect((await readAll(sample('csv/meta_dpa_sample_feed.csv'), { format: 'CSV' })).items).toHaveLength(9);
  });

  it('tells an XLSX upload to export as CSV', async () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml')]);
    const result = await readAll(xlsx);
    expect(result.error).toMatchObject({ code: 'NOT_A_FEED' });
    expect(result.error?.hint).toMatch(/export the sheet as CSV/);
  });

  it('inflates gzip by its magic bytes', async () => {
    const result = await readAll(gzipSync(`${HEADER}\nA,Lamp,1,https://x.test/a\n`), {}, 5);
    expect(result.meta).toMatchObject({ compression: 'gzip', format: 'CSV' });
    expect(result.items.map((item) => item.fields.id)).toEqual(['A']);
  });

  it('inflates gzip inside gzip (a .gz file a client gzipped again), up to three layers', async () => {
    const feed = `${HEADER}\nA,Lamp,1,https://x.test/a\n`;
    for (const chunkSize of [undefined, 5]) {
      const result = await readAll(gzipSync(gzipSync(feed)), {}, chunkSize);
      expect(result.error).toBeNull();
      expect(result.meta).toMatchObject({ compression: 'gzip', format: 'CSV' });
      expect(result.items.map((item) => item.fields.id)).toEqual(['A']);
    }
    expect((await readAll(gzipSync(gzipSync(gzipSync(feed))))).items).toHaveLength(1);
    expect((await readAll(gzipSync(gzipSync(gzipSync(gzipSync(feed)))))).error?.code).toBe('NOT_A_FEED');
  });

  it('fails on a truncated gzip after the items it could read', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 20000; i++)
      rows.push(`ID-${i},Product ${i} ${(i * 2654435761) % 1000003},${i}.99,https://x.test/${i}`);
    const gz = gzipSync(rows.join('\n'));
    const result = await readAll(gz.subarray(0, Math.floor(gz.length * 0.6)), {}, 16 * 1024);
    expect(result.items.length).toBeGreaterThan(1000);
    expect(result.items.length).toBeLessThan(20000);
    expect(result.items.at(-1)?.fields.id).toBe(`ID-${result.items.length - 1}`);
    expect(result.error).toMatchObject({ code: 'TRUNCATED_GZIP' });
  });

  it('stops a gzip that inflates past maxDecompressedBytes with GZIP_TOO_LARGE, after the items before it', async () => {
    // 1,000 items, then one 4 MB line of a repeated byte: a few KB compressed, a gzip bomb in small.
    const rows = [HEADER];
    for (let i = 0; i < 1000; i++) rows.push(`ID-${i},Product ${i},${i}.99,https://x.test/${i}`);
    const text = `${rows.join('\n')}\n${'a'.repeat(4 * 1024 * 1024)}\nLAST,Lamp,1,https://x.test/z\n`;
    const gz = gzipSync(text, { level: 9 });
    expect(gz.length).toBeLessThan(64 * 1024);
    const capped = await readAll(gz, { maxDecompressedBytes: 1024 * 1024 }, 16 * 1024);
    expect(capped.error).toMatchObject({ code: 'GZIP_TOO_LARGE' });
    expect(capped.items.map((item) => item.fields.id)).toEqual(rows.slice(1).map((row) => row.split(',')[0]));
    // Within the limit (exactly its inflated size), the same file reads to its end.
    const whole = await readAll(gz, { maxDecompressedBytes: Buffer.byteLength(text) }, 16 * 1024);
    expect(whole.error).toBeNull();
    expect(whole.items.at(-1)?.fields.id).toBe('LAST');
  });

  it('gives the same events whatever the chunking, for every sample feed', async () => {
    for (const dir of ['csv', 'shopify', 'xml']) {
      for (const name of readdirSync(`${SAMPLES_DIR}${dir}`)) {
        const bytes = sample(`${dir}/${name}`);
        const whole = await readAll(bytes);
        const bytewise = await readAll(bytes, {}, 1);
        expect({ name, events: bytewise.events, rowsRead: bytewise.rowsRead, error: bytewise.error }).toEqual({
          name,
          events: whole.events,
          rowsRead: whole.rowsRead,
          error: whole.error,
        });
      }
    }
  });

  it('pulls the input as it goes (backpressure) and stops it when the consumer stops', async () => {
    let produced = 0;
    let destroyed = false;
    let row = 0;
    const source = new Readable({
      read() {
        let chunk = row === 0 ? `${HEADER}\n` : '';
        for (let i = 0; i < 100; i++, row++) chunk += `ID-${row},Product ${row},1.00,https://x.test/${row}\n`;
        produced += chunk.length;
        this.push(chunk);
      },
      destroy(error, callback) {
        destroyed = true;
        callback(error);
      },
    });
    let items = 0;
    for await (const event of readFeed(source)) {
      if (event.type === 'item') items++;
      if (items === 5000) break;
    }
    // An endless source: only a small window beyond what was consumed has been read.
    expect(produced).toBeLessThan(1024 * 1024);
    expect(destroyed).toBe(true);
  });

  it('accepts string chunks', async () => {
    const result = await readAll(Readable.from(['id,tit', 'le\nA,Lamp\n']));
    expect(result.items[0].fields).toEqual({ id: 'A', title: 'Lamp' });
  });

  it('streams 1-byte chunks of a hand-made feed identically', async () => {
    const csv = `\uFEFF${HEADER}\r\nA,"x\r\ny",1,u\rB,"""",2,v\n`;
    const whole = await readAll(csv);
    expect(whole.items.map((item) => [item.row, item.fields.title])).toEqual([
      [2, 'x\r\ny'],
      [4, '"'],
    ]);
    expect((await readAll(chunked(csv, 1))).events).toEqual(whole.events);
  });
});

describe("readFeed: Merchant Center's sub-attribute column headers, shipping(…) and tax(…)", () => {
  const shipping = (fields: Record<string, unknown>) =>
    parseShipping(fields.shipping, null).entries.map((e) => ({ ...e }));

  it('reads each comma-separated group of a cell as one shipping or tax entry with the parts its header names', async () => {
    const csv = [
      'id,shipping(country:region:service:price),shipping(country:postal_code:price),tax(country:region:rate:tax_ship)',
      'A1,"US:MA:Ground:6.49 USD, US:NY:Express:12.00 USD","US:024*:7.99 USD,US:94002-95460:9.99 USD","US:CA:8.25:y,US:NY:4:n"',
      'A2,,"CA:H0H:1,234.00 CAD",',
    ].join('\n');
    const result = await readAll(csv);
    expect(result.issues).toEqual([]);
    expect(result.meta?.columns?.map((c) => c.attribute)).toEqual(['id', 'shipping', 'shipping', 'tax']);
    const [a1, a2] = result.items.map((item) => item.fields);
    // One value per group, in cell order, the columns adding to the same list.
    expect(a1.shipping).toHaveLength(4);
    expect(Object.keys(a1).sort()).toEqual(['id', 'shipping', 'tax']);
    expect(parseShipping(a1.shipping, null)).toEqual({
      entries: [
        { country: 'US', currency: 'USD', priceMinor: 649, region: 'MA', service: 'Ground' },
        { country: 'US', currency: 'USD', priceMinor: 1200, region: 'NY', service: 'Express' },
        { country: 'US', currency: 'USD', postalCode: '024*', priceMinor: 799 },
        { country: 'US', currency: 'USD', postalCode: '94002-95460', priceMinor: 999 },
      ],
      findings: [],
    });
    expect(parseTax(a1.tax)).toEqual({
      entries: [
        { country: 'US', rate: 8.25, region: 'CA', taxShip: true },
        { country: 'US', rate: 4, region: 'NY', taxShip: false },
      ],
      findings: [],
    });
    // A thousands comma inside the price stays in its group, as in the plain text form.
    expect(shipping(a2)).toEqual([{ country: 'CA', currency: 'CAD', postalCode: 'H0H', priceMinor: 123400 }]);
    expect(a2.tax).toBeUndefined();
  });

  it('accepts a g: prefix, any case, spaces and Google spellings of the parts, in CSV and TSV', async () => {
    const header = ['id', 'G:Shipping ( Country : Postal Code : Price )', 'g:TAX(country:region:rate:taxShip)'];
    const row = ['A1', 'DE:10115:4,95 EUR,AT:1010:6.90 EUR', 'US:CA:8.25:yes'];
    for (const delimiter of [',', '\t']) {
      const text = [header, row]
        .map((cells) => cells.map((c) => (delimiter === ',' && c.includes(',') ? `"${c}"` : c)).join(delimiter))
        .join('\n');
      const result = await readAll(text);
      expect(result.meta).toMatchObject({ format: delimiter === ',' ? 'CSV' : 'TSV', delimiter });
      expect(result.issues).toEqual([]);
      const fields = result.items[0].fields;
      expect(shipping(fields)).toEqual([
        { country: 'DE', currency: 'EUR', postalCode: '10115', priceMinor: 495 },
        { country: 'AT', currency: 'EUR', postalCode: '1010', priceMinor: 690 },
      ]);
      expect(parseTax(fields.tax).entries).toEqual([{ country: 'US', rate: 8.25, region: 'CA', taxShip: true }]);
    }
  });

  it('adds to the plain shipping column, and reads the parts only the XML form had before', async () => {
    const result = await readAll(
      [
        'id,shipping,shipping(country:location_group_name:price:min_handling_time:max_handling_time)',
        'A1,US::Standard:4.95 USD,US:West Coast:8 USD:1:3',
      ].join('\n'),
    );
    expect(result.issues).toEqual([]);
    expect(shipping(result.items[0].fields)).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 495, service: 'Standard' },
      {
        country: 'US',
        currency: 'USD',
        locationGroupName: 'West Coast',
        maxHandlingTime: 3,
        minHandlingTime: 1,
        priceMinor: 800,
      },
    ]);
  });

  it.each([
    ['shipping(country:zip:price)', 'shipping', 'names "zip", which is no part of shipping'],
    ['tax(country:region:rate:price)', 'tax', 'names "price", which is no part of tax'],
    ['shipping(country:price:Price)', 'shipping', 'names price twice'],
    ['shipping(region:price)', 'shipping', 'does not name country, which every shipping entry needs'],
    ['tax(country:region)', 'tax', 'does not name rate, which every tax entry needs'],
    ['shipping(country::price)', 'shipping', 'has an empty part name (two colons in a row, or one at an end)'],
  ])(
    'keeps a %s column as a custom attribute, with a warning on the header saying why',
    async (header, attribute, why) => {
      const result = await readAll(`id,${header}\nA1,US:024*:7.99 USD\n`);
      expect(result.items[0].fields).toEqual({ id: 'A1', [`custom:${header}`]: 'US:024*:7.99 USD' });
      expect(result.meta?.columns?.[1]).toEqual({ header, attribute: `custom:${header}` });
      expect(result.issues).toEqual([
        expect.objectContaining({
          severity: 'WARNING',
          code: 'INVALID_SUB_ATTRIBUTE_HEADER',
          row: 0,
          attribute,
          value: header,
          message: `Column "${header}" ${why}, so it is not read as ${attribute}: it is kept as custom:${header}.`,
        }),
      ]);
      expect(result.issues[0].hint).toMatch(/e\.g\. (shipping|tax)\(country:region:/);
    },
  );

  it('leaves other headers with parentheses alone', async () => {
    const result = await readAll('id,size (EU),price(USD)\nA1,42,9.99\n');
    expect(result.issues).toEqual([]);
    expect(result.items[0].fields).toEqual({ id: 'A1', 'custom:size (EU)': '42', 'custom:price(USD)': '9.99' });
  });

  it('leaves a group with more or fewer parts than the header names to the validator, keeping its other groups', async () => {
    const result = await readAll(
      'id,shipping(country:postal_code:price)\nA1,"US:024*:7.99 USD,US:8.99 USD, US:1:2:3 USD,US:10*:0 USD"\n',
    );
    expect(result.issues).toEqual([]);
    const check = parseShipping(result.items[0].fields.shipping, null);
    expect(check.entries).toEqual([
      { country: 'US', currency: 'USD', postalCode: '024*', priceMinor: 799 },
      { country: 'US', currency: 'USD', postalCode: '10*', priceMinor: 0 },
    ]);
    expect(check.findings.map((f) => [f.finding.code, f.value, f.finding.message])).toEqual([
      [
        'INVALID_SHIPPING',
        'US:8.99 USD',
        'shipping(country:postal_code:price) group 2 "US:8.99 USD": it has 2 colon-separated parts; its column names 3 (country:postal_code:price). That shipping entry was ignored.',
      ],
      [
        'INVALID_SHIPPING',
        'US:1:2:3 USD',
        'shipping(country:postal_code:price) group 3 "US:1:2:3 USD": it has 4 colon-separated parts; its column names 3 (country:postal_code:price). That shipping entry was ignored.',
      ],
    ]);
    expect(check.findings[0].finding.hint).toBe(
      'Write the parts the column header names, in its order, e.g. US:94043:4.95 USD; keep the colons of parts you leave empty, and separate several entries with commas.',
    );
  });
});
