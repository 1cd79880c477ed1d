import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readThreadStats } from '@brandshelf/ingestion';
import { createFeed, registerBrand, startTestApi, uploadFeed, waitForRun, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const ROWS = 5000;
const HEADER = 'id,title,description,link,image_link,availability,price,brand,gtin,condition';
const feed = () =>
  [
    HEADER,
    ...Array.from({ length: ROWS }, (_, i) =>
      [
        `SKU-${i}`,
        `Trail Runner ${i}`,
        `"A light, <b>breathable</b> running shoe, model ${i}."`,
        `https://shop.example/p/${i}`,
        `https://img.example/${i}.jpg`,
        'in stock',
        `${(10 + (i % 90)).toFixed(2)} USD`,
        'Acme',
        '',
        'new',
      ].join(','),
    ),
  ].join('\n');

// Issue 10: the CPU-heavy part of a run (decoding, tokenizing, validating, hashing) runs on a worker
// thread, never on the event loop that answers HTTP, in the embedded mode too (run without
// TEST_DATABASE_URL). No timing is asserted here: bench/responsiveness.ts measures the latencies.
describe('ingestion off the main thread (e2e)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ apiKey: key } = await registerBrand(api, 'Threads'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  }, 120_000);

  it('reads and validates a file on a worker thread while /health keeps answering 200', async () => {
    const feedId = await createFeed(api, key, { name: 'Big', defaultCurrency: 'USD' });
    const before = { ...readThreadStats };
    const statuses: number[] = [];
    let running = true;
    const polling = (async () => {
      while (running) {
        const res = await fetch(`${api.url}/health`).catch(() => null);
        await res?.arrayBuffer();
        statuses.push(res?.status ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    let run;
    try {
      const res = await uploadFeed(api, key, feedId, feed());
      expect(res.status).toBe(202);
      run = await waitForRun(api, key, res.json.runId, 240_000);
    } finally {
      running = false;
      await polling;
    }
    expect(run.status).toBe('SUCCEEDED');
    expect(run.itemsAccepted).toBe(ROWS);
    // Every item was validated on a thread that is not the main one (threadId 0).
    expect(readThreadStats.runs).toBe(before.runs + 1);
    expect(readThreadStats.items - before.items).toBe(ROWS);
    expect(readThreadStats.lastThreadId).toEqual(expect.any(Number));
    expect(readThreadStats.lastThreadId).not.toBe(0);
    // /health was asked all along and always answered.
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 300_000);
});
