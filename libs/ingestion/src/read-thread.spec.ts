import { describe, expect, it } from '@jest/globals';
import { FeedReadError } from '@brandshelf/feeds';
import { readInThread, type ReadWorkerData } from './read-thread.js';
import type { PreparedEvent } from './row-preparer.js';

const OPTIONS: ReadWorkerData = { read: {}, prepare: { mode: 'REPLACE', defaultCurrency: 'USD' } };
const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn\n';
const row = (i: number) =>
  `SKU-${i},Trail Runner ${i},A light running shoe.,https://shop.example/p/${i},https://img.example/${i}.jpg,in stock,19.99 USD,Acme,M-${i}\n`;

/** A CSV of `rows` rows in chunks of about 64 KiB, made as they are asked for; `pulled` counts the chunks handed out. */
function csvSource(rows: number, counter: { pulled: number }): AsyncIterable<Buffer> {
  return (async function* () {
    let text = HEADER;
    for (let i = 1; i <= rows; i++) {
      text += row(i);
      if (text.length >= 65536) {
        counter.pulled++;
        yield Buffer.from(text);
        text = '';
      }
    }
    counter.pulled++;
    yield Buffer.from(text);
  })();
}

describe('readInThread', () => {
  it('validates on another thread and stops reading while the consumer is behind', async () => {
    const counter = { pulled: 0 };
    const rows = 100_000; // about 150 chunks
    const events = readInThread(csvSource(rows, counter), OPTIONS);
    let items = 0;
    let first = await events.next();
    while (!first.done && (first.value as PreparedEvent).type !== 'item') first = await events.next();
    items++;
    // The consumer (the database writer) stalls: the thread may read ahead only a bounded amount.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pulledWhileStalled = counter.pulled;
    expect(pulledWhileStalled).toBeLessThan(30);
    let next = await events.next();
    while (!next.done) {
      if (next.value.type === 'item') {
        items++;
        expect(next.value.staged).toEqual(expect.objectContaining({ offerId: expect.stringMatching(/^SKU-/) }));
      }
      next = await events.next();
    }
    expect(items).toBe(rows);
    expect(counter.pulled).toBeGreaterThan(100);
    expect(next.value.items).toBe(rows);
    expect(next.value.threadId).toBeGreaterThan(0); // 0 is the main thread
  }, 120_000);

  it('hands over a read error with its code, hint and row, after the items read before it', async () => {
    const source = (async function* () {
      yield Buffer.from(HEADER + row(1) + row(2) + 'SKU-3,"an unterminated quote\n' + row(4));
    })();
    const seen: PreparedEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of readInThread(source, OPTIONS)) seen.push(event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FeedReadError);
    expect(caught).toMatchObject({ code: 'UNTERMINATED_QUOTE', row: 4 });
    expect((caught as FeedReadError).hint).toEqual(expect.any(String));
    expect(seen.filter((e) => e.type === 'item')).toHaveLength(2);
  }, 60_000);

  it('rethrows a failure of the source as the very same error', async () => {
    const boom = new Error('storage went away');
    const source = (async function* () {
      yield Buffer.from(HEADER + row(1));
      throw boom;
    })();
    const read = async () => {
      for await (const event of readInThread(source, OPTIONS)) void event;
    };
    await expect(read()).rejects.toBe(boom);
  }, 60_000);
});
