import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { cutsFor, fuzzParameters, splitAt } from './__fixtures__/fuzz.fixture.js';
import { CsvTokenizer, type CsvRecord, type UnterminatedQuote } from './csv.tokenizer.js';

const DELIMITERS = [',', ';', '\t', '|'] as const;
const LINE_ENDINGS = ['\n', '\r\n'] as const;

interface Tokenized {
  records: Pick<CsvRecord, 'cells' | 'line' | 'cellCount'>[];
  open: UnterminatedQuote | null;
}

function tokenize(chunks: readonly string[], delimiter: string, maxCell = 1 << 20, maxRecord = 1 << 24): Tokenized {
  const records: Tokenized['records'] = [];
  const tokenizer = new CsvTokenizer(delimiter, maxCell, maxRecord, (record) =>
    records.push({ cells: record.cells, line: record.line, cellCount: record.cellCount }),
  );
  for (const chunk of chunks) tokenizer.write(chunk);
  return { records, open: tokenizer.end() };
}

// Cell text: letters, blanks, every delimiter, quotes, line breaks, NUL, a BOM and characters outside the BMP.
const cellChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '7', ' ', '\t', ',', ';', '|', '"', '\n', '\r', '\0', '\uFEFF') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const cellText = fc.string({ unit: cellChar, maxLength: 12 });

/** One well-formed cell: quoted when it has to be (or by chance), with embedded quotes doubled. */
function cellSource(text: string, delimiter: string, forceQuote: boolean): string {
  const mustQuote = text.includes('"') || text.includes('\n') || text.includes('\r') || text.includes(delimiter);
  // A quoted cell may be padded with blanks in front; an unquoted one that starts with blanks then a quote cannot.
  return mustQuote || forceQuote ? `"${text.replaceAll('"', '""')}"` : text;
}

const wellFormedCsv = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    eol: fc.constantFrom(...LINE_ENDINGS),
    rows: fc.array(fc.array(fc.tuple(cellText, fc.boolean()), { minLength: 1, maxLength: 8 }), {
      minLength: 1,
      maxLength: 15,
    }),
    finalEol: fc.boolean(),
  })
  .map(({ delimiter, eol, rows, finalEol }) => {
    const records = rows.map((row) => row.map(([text]) => text));
    const lines = rows.map((row) => row.map(([text, quote]) => cellSource(text, delimiter, quote)).join(delimiter));
    // An unquoted empty last row would be indistinguishable from a final line break; quote it.
    if (lines[lines.length - 1] === '') lines[lines.length - 1] = '""';
    return { delimiter, eol, records, text: lines.join(eol) + (finalEol ? eol : '') };
  });

/** The physical line each record starts on, counting CRLF, CR and LF inside quoted cells as line breaks. */
function startLines(records: readonly string[][]): number[] {
  const lines: number[] = [];
  let line = 1;
  for (const record of records) {
    lines.push(line);
    for (const cell of record) line += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    line++;
  }
  return lines;
}

describe('CsvTokenizer (fuzzed)', () => {
  // Found by the oracle property: the second quote of `""` was dropped when a chunk ended right after it.
  it.each([
    ['a,"x""y"', ['a,"x"', '"', 'y"'], ['a', 'x"y']],
    [',"""",\n""', [',"', '""', '",', '\n"', '"'], ['', '"', '']],
  ])('keeps the quote of a doubled quote that ends a chunk (counterexample %j)', (text, chunks, firstRecord) => {
    expect(chunks.join('')).toBe(text);
    expect((parse(text, { relax_column_count: true }) as string[][])[0]).toEqual(firstRecord);
    expect(tokenize(chunks, ',').records[0].cells).toEqual(firstRecord);
  });

  // Found by the chunking property of readFeed (medusa template, maxCellBytes 64): the CELL_TOO_LARGE preview held
  // whatever the chunk had delivered when the limit was crossed.
  it('previews an oversized cell the same whatever the chunking (counterexample: a 120-character cell, limit 64)', () => {
    const cell = 'Reimagine the feeling of classic sweatpants. With our cotton sweatpants, everyday essentials.';
    const previews = [[`a;${cell};b\n`], [`a;${cell.slice(0, 63)}`, `${cell.slice(63)};b\n`]].map((chunks) => {
      const found: string[] = [];
      const tokenizer = new CsvTokenizer(';', 64, 1 << 20, (record) => found.push(record.oversizePreview));
      for (const chunk of chunks) tokenizer.write(chunk);
      tokenizer.end();
      return found;
    });
    expect(previews[1]).toEqual(previews[0]);
    expect(previews[0]).toEqual([cell.slice(0, 65)]);
  });

  // Blanks after a closing quote are held until it is known whether text follows (`"Deluxe" Pizza Pan`): held
  // without a bound, a quote followed by endless blanks grew one string with the input, past the cell limit.
  it('holds no more blanks after a closing quote than the cell limit, and reads the cell the same', () => {
    const found: { cells: string[]; oversize: number }[] = [];
    const tokenizer = new CsvTokenizer(',', 64, 1 << 20, (record) =>
      found.push({ cells: record.cells, oversize: record.oversizeCell }),
    );
    tokenizer.write('"Deluxe"');
    for (let i = 0; i < 100; i++) tokenizer.write(' '.repeat(1000));
    expect((tokenizer as unknown as { blanksAfterQuote: string }).blanksAfterQuote.length).toBeLessThanOrEqual(65);
    tokenizer.write('Pizza Pan,b\n"Short"   ,c\n"Deluxe" Pan,d\n');
    tokenizer.end();
    expect(found.map((r) => r.oversize)).toEqual([0, -1, -1]);
    expect(found.slice(1).map((r) => r.cells)).toEqual([
      ['Short', 'c'],
      ['Deluxe Pan', 'd'],
    ]);
  });

  it('gives the same records as csv-parse on well-formed CSV, whatever the chunking', () => {
    fc.assert(
      fc.property(
        wellFormedCsv.chain((csv) => fc.tuple(fc.constant(csv), cutsFor(csv.text.length))),
        ([{ delimiter, eol, records, text }, cuts]) => {
          const oracle = parse(text, {
            delimiter,
            record_delimiter: [eol],
            relax_column_count: true,
            skip_empty_lines: false,
          }) as string[][];
          expect(oracle).toEqual(records);
          const result = tokenize(splitAt(text, cuts), delimiter);
          expect(result.open).toBeNull();
          expect(result.records.map((record) => record.cells)).toEqual(oracle);
          expect(result.records.map((record) => record.line)).toEqual(startLines(records));
          expect(result.records.map((record) => record.cellCount)).toEqual(records.map((record) => record.length));
        },
      ),
      fuzzParameters(400),
    );
  });

  it('reads any text, well-formed or not, the same whatever the chunking, and never throws', () => {
    const anyText = fc.string({
      unit: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom('a', ' ', '\t', ',', ';', '"', '\n', '\r', '\0', '\uFEFF') },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
      ),
      maxLength: 80,
      size: 'medium',
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...DELIMITERS),
        anyText.chain((text) => fc.tuple(fc.constant(text), cutsFor(text.length))),
        // Mostly no limit in reach, so cell content is compared; sometimes a tiny one, so dropping is too.
        fc.oneof(fc.constant(1 << 20), fc.integer({ min: 1, max: 12 })),
        (delimiter, [text, cuts], maxCell) => {
          const whole = tokenize([text], delimiter, maxCell, maxCell * 3);
          const chunked = tokenize(splitAt(text, cuts), delimiter, maxCell, maxCell * 3);
          expect(chunked).toEqual(whole);
          // A record starts on a line that exists, and records come in line order.
          const physicalLines = (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
          let previous = 0;
          for (const record of whole.records) {
            expect(record.line).toBeGreaterThanOrEqual(Math.max(1, previous));
            expect(record.line).toBeLessThanOrEqual(physicalLines);
            previous = record.line;
          }
        },
      ),
      fuzzParameters(1000),
    );
  });
});
