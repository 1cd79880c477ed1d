import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * A catalog with nothing live yet (a new installation, or every feed rolled back) must answer a search with an
 * empty page, not an internal error: the query's reading per catalog language is looked up in the live catalog,
 * and with no languages there nothing comes back to read it in.
 */
const SEARCH = `query($query: String) {
  products(query: $query, first: 10) {
    nodes { id } totalCount matchMode facets { brand { name count } }
  }
}`;

describe('search over an empty catalog (e2e)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(createApi);
  }, 120_000);
  afterAll(async () => api?.close(), 60_000);

  it.each(['shoes', 'runing shoes', 'the', ''])('answers %j with an empty page', async (query) => {
    const data = await api.gqlOk<{ products: { nodes: unknown[]; totalCount: number } }>(SEARCH, { query });
    expect(data.products.nodes).toEqual([]);
    expect(data.products.totalCount).toBe(0);
  });
});
