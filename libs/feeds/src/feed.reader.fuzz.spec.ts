import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CODES, ItemValidator, type CodeKind, type ItemIssue } from '@brandshelf/catalog-rules';
import fc from 'fast-check';
import { readAll, sample, SAMPLES_DIR, type ReadResult } from './__fixtures__/read-feed.fixture.js';
import { fuzzParameters, splitAt } from './__fixtures__/fuzz.fixture.js';
import type { FeedReadOptions } from './feed.types.js';
import { SNIFF_BYTES } from './format.sniffer.js';

// The catalogue's codes by who raises them: a reader may raise only READER codes as issues and READ_ERROR codes
// when it stops, the validator only RULE codes.
const codesOf = (kind: CodeKind) =>
  Object.fromEntries(
    Object.entries(CODES)
      .filter(([, info]) => info.kind === kind)
      .map(([code]) => [code, true]),
  );
const READER_CODES = codesOf('READER');
const FATAL_CODES = codesOf('READ_ERROR');
const RULE_CODES = codesOf('RULE');

const SAMPLES = ['csv', 'shopify', 'xml'].flatMap((dir) =>
  readdirSync(`${SAMPLES_DIR}${dir}`).map((name) => ({ name: `${dir}/${name}`, bytes: sample(`${dir}/${name}`) })),
);

/**
 * The sample made longer than the sniffing window (which is read whole), so that chunk boundaries land in the
 * readers: CSV data rows and XML items are repeated.
 */
function grown(name: string, bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  let head: string;
  let body: string;
  let tail: string;
  if (name.startsWith('xml/')) {
    const start = Math.min(...['<item', '<product'].map((tag) => text.indexOf(tag)).filter((at) => at >= 0));
    const end = Math.max(...['</item>', '</product>'].map((tag) => text.lastIndexOf(tag) + tag.length));
    [head, body, tail] = [text.slice(0, start), text.slice(start, end), text.slice(end)];
  } else {
    const firstBreak = text.indexOf('\n') + 1;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    [head, body, tail] = [text.slice(0, firstBreak), text.slice(firstBreak) + (text.endsWith('\n') ? '' : eol), ''];
  }
  let out = head + body;
  while (out.length < SNIFF_BYTES + 12 * 1024) out += body;
  return Buffer.from(out + tail, 'latin1');
}

/**
 * One damage of the kind real uploads show, as plain data so a counterexample prints small: a flipped byte, a cut,
 * inserted quotes/delimiters/NUL/BOM/markup or random bytes, a lost or doubled span. `at` is a fraction of the length.
 */
type Mutation =
  | { flip: number; byte: number }
  | { truncate: number }
  | { insert: string; at: number; times: number }
  | { bytes: number[]; at: number }
  | { remove: number; at: number }
  | { repeat: number; at: number };

const INSERTS = [
  '"',
  '""',
  ',',
  ';',
  '\t',
  '|',
  '\0',
  '\uFEFF',
  '\r',
  '\n',
  '\r\n',
  '<',
  '>',
  '&',
  '</',
  '<!--',
  ']]>',
  '<![CDATA[',
  "'",
  '=',
  'é',
  '\uFFFD',
];

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ flip: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ truncate: fraction }),
  {
    weight: 2,
    arbitrary: fc.record({ insert: fc.constantFrom(...INSERTS), at: fraction, times: fc.integer({ min: 1, max: 3 }) }),
  },
  fc.record({ bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }), at: fraction }),
  fc.record({ remove: fc.integer({ min: 1, max: 400 }), at: fraction }),
  fc.record({ repeat: fc.integer({ min: 1, max: 400 }), at: fraction }),
);

function mutate(b: Buffer, m: Mutation): Buffer {
  if ('flip' in m) {
    if (b.length === 0) return b;
    const copy = Buffer.from(b);
    copy[Math.floor(m.flip * b.length)] = m.byte;
    return copy;
  }
  if ('truncate' in m) return b.subarray(0, Math.floor(m.truncate * b.length));
  const i = Math.floor(m.at * (b.length + 1));
  if ('insert' in m)
    return Buffer.concat([b.subarray(0, i), Buffer.from(m.insert.repeat(m.times), 'utf8'), b.subarray(i)]);
  if ('bytes' in m) return Buffer.concat([b.subarray(0, i), Buffer.from(m.bytes), b.subarray(i)]);
  if ('remove' in m) return Buffer.concat([b.subarray(0, i), b.subarray(i + m.remove)]);
  return Buffer.concat([b.subarray(0, i + m.repeat), b.subarray(i)]);
}

function damaged(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  return mutations.reduce(mutate, bytes);
}

/** Chunking as plain data: fixed-size chunks, or cuts at fractions of the length. */
type Chunking = { size: number } | { cutsAt: number[] };
const chunking: fc.Arbitrary<Chunking> = fc.oneof(
  fc.record({ size: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 4096 })) }),
  fc.record({ cutsAt: fc.array(fraction, { maxLength: 12 }) }),
);

function cutsOf(length: number, chunks: Chunking): number[] {
  const cuts =
    'size' in chunks
      ? Array.from({ length: Math.max(0, Math.ceil(length / chunks.size) - 1) }, (_, i) => (i + 1) * chunks.size)
      : chunks.cutsAt.map((at) => Math.floor(at * length));
  return [...new Set(cuts)].filter((cut) => cut > 0 && cut < length).sort((a, b) => a - b);
}

const options: fc.Arbitrary<FeedReadOptions> = fc.record(
  {
    format: fc.constantFrom<FeedReadOptions['format']>('AUTO', 'AUTO', 'CSV', 'TSV', 'XML'),
    maxCellBytes: fc.constantFrom(64, 1024, 1024 * 1024),
    maxRecordBytes: fc.constantFrom(512, 16 * 1024 * 1024),
    defaultCurrency: fc.constantFrom(null, 'SEK', 'USD'),
  },
  { requiredKeys: [] },
);

function streamOf(bytes: Buffer, cuts: readonly number[]): Readable {
  return Readable.from(splitAt(bytes, cuts));
}

/** What every read must satisfy, damaged input or not: only diagnosed problems, and every row accounted for. */
function expectDiagnosed(result: ReadResult): void {
  if (result.error) {
    expect(FATAL_CODES[result.error.code]).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.hint.length).toBeGreaterThan(0);
  }
  for (const issue of result.issues) expectWellFormedIssue(issue, READER_CODES);
  let sawMeta = false;
  for (const event of result.events) {
    if (event.type === 'meta') sawMeta = true;
    else if (event.type === 'item') {
      // Meta always comes before the first item.
      expect(sawMeta).toBe(true);
      expect(Number.isInteger(event.item.row) && event.item.row > 0).toBe(true);
      for (const value of Object.values(event.item.fields)) {
        const values = Array.isArray(value) ? value : [value];
        for (const text of values) expect(typeof text).toBe('string');
      }
    }
  }
  if (!result.error) {
    // The reader's own row count matches what became of the rows: an item, a row ERROR or a skip.
    const rowErrors = result.issues.filter((issue) => issue.severity === 'ERROR' && issue.row > 0).length;
    expect(result.rowsRead).toBe(result.items.length + rowErrors + result.skips.length);
  }
}

function expectWellFormedIssue(issue: ItemIssue, codes: Record<string, unknown>): void {
  expect(codes).toHaveProperty([issue.code]);
  expect(['ERROR', 'WARNING']).toContain(issue.severity);
  expect(Number.isInteger(issue.row) && issue.row >= 0).toBe(true);
  expect(issue.message.length).toBeGreaterThan(0);
  expect(issue.hint.length).toBeGreaterThan(0);
}

describe('readFeed on damaged sample feeds (fuzzed)', () => {
  it('diagnoses every problem (FeedReadError or row issues), and validation never throws on what it reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SAMPLES.map((feed) => feed.name)),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        options,
        // Coarse chunks here: fine ones are the chunking property's job, and cost a pull per byte.
        fc.record({ size: fc.integer({ min: 256, max: 64 * 1024 }) }),
        async (name, mutations, readOptions, chunks) => {
          const bytes = damaged(SAMPLES.find((feed) => feed.name === name)!.bytes, mutations);
          const result = await readAll(streamOf(bytes, cutsOf(bytes.length, chunks)), readOptions);
          expectDiagnosed(result);
          const validator = new ItemValidator({ mode: 'REPLACE', defaultCurrency: readOptions.defaultCurrency });
          for (const item of result.items) {
            const validated = validator.validate(item);
            for (const issue of validated.issues) expectWellFormedIssue(issue, RULE_CODES);
            expect(validated.product === null).toBe(validated.issues.some((issue) => issue.severity === 'ERROR'));
          }
        },
      ),
      fuzzParameters(50),
    );
  });

  it('gives the same events and the same error whatever the chunking', async () => {
    const big = new Map(SAMPLES.map((feed) => [feed.name, grown(feed.name, feed.bytes)]));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...big.keys()),
        fc.array(mutation, { maxLength: 3 }),
        options,
        chunking,
        async (name, mutations, readOptions, chunks) => {
          const bytes = damaged(big.get(name)!, mutations);
          const whole = await readAll(streamOf(bytes, []), readOptions);
          const chunked = await readAll(streamOf(bytes, cutsOf(bytes.length, chunks)), readOptions);
          expectDiagnosed(chunked);
          expect({ events: chunked.events, rowsRead: chunked.rowsRead, error: chunked.error }).toEqual({
            events: whole.events,
            rowsRead: whole.rowsRead,
            error: whole.error,
          });
          expect(chunked.error?.code).toBe(whole.error?.code);
        },
      ),
      fuzzParameters(20),
    );
  });
});
