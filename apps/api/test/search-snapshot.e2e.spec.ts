import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * One search, one snapshot: a page, its totalCount and its facets describe the same catalog version, even while
 * publishes replace it. A feed has two versions of different sizes whose titles carry a marker (Alpha: 200
 * products, Beta: 320), published in turn while searchers keep asking; every answer's page shows which version
 * it read, and its counts must be that version's. (Before, the page and the counts were separate transactions
 * and a publish committing between them gave a page of one version with the count of the other.)
 */

const SIZES = { Alpha: 200, Beta: 320 } as const;
type Marker = keyof typeof SIZES;

const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const feedOf = (marker: Marker) =>
  [
    HEADER,
    ...Array.from({ length: SIZES[marker] }, (_, i) =>
      [
        `${marker}-${i}`,
        `${marker} Lantern ${i}`,
        'A lantern for long evenings.',
        `https://shop.example/${marker}-${i}`,
        `https://img.example/${marker}-${i}.jpg`,
        'in stock',
        '25.00 USD',
        'Lumen',
      ].join(','),
    ),
  ].join('\n');

const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created removed } userErrors { code } } }`;
const SEARCH = `query($query: String, $filter: ProductFilter) {
  products(query: $query, filter: $filter, first: 5) {
    totalCount totalCountExact
    facets { exact brand { id count } availability { value count } }
    nodes { title }
  }
}`;

interface Answer {
  totalCount: number;
  totalCountExact: boolean;
  facets: { exact: boolean; brand: { id: string; count: number }[]; availability: { value: string; count: number }[] };
  nodes: { title: string }[];
}

describe('search reads one snapshot (e2e)', () => {
  let api: TestApi;
  let brandId: string;
  let apiKey: string;
  const runs = {} as Record<Marker, string>;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    ({ id: brandId, apiKey } = await registerBrand(api, 'Lumen'));
    const feedId = await createFeed(api, apiKey, { name: 'Lanterns' });
    for (const marker of ['Alpha', 'Beta'] as const) {
      const run = await ingest(api, apiKey, feedId, feedOf(marker));
      expect(run.status).toBe('SUCCEEDED');
      runs[marker] = run.id;
    }
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  });

  it('gives every answer the counts of the version its page shows, across repeated publishes', async () => {
    await api.gqlOk(PUBLISH, { runId: runs.Alpha }, apiKey);
    const searches = [{ query: 'lantern' }, { filter: { brandIds: [brandId] } }];
    const answers: Array<{ marker: Marker; answer: Answer }> = [];
    const wrong: string[] = [];
    let publishing = true;

    const searcher = async (k: number) => {
      for (let i = k; publishing; i++) {
        const variables = searches[i % searches.length];
        const { products } = await api.gqlOk<{ products: Answer }>(SEARCH, variables);
        const markers = new Set(products.nodes.map((n) => n.title.split(' ')[0] as Marker));
        // A publish is atomic: a page never mixes versions (checked here, guaranteed elsewhere).
        expect(markers.size).toBe(1);
        const marker = [...markers][0];
        answers.push({ marker, answer: products });
        const brand = products.facets.brand.find((b) => b.id === brandId)?.count;
        const inStock = products.facets.availability.find((a) => a.value === 'IN_STOCK')?.count;
        if (products.totalCount !== SIZES[marker] || brand !== SIZES[marker] || inStock !== SIZES[marker]) {
          wrong.push(
            `${JSON.stringify(variables)}: page of ${marker} (${SIZES[marker]}) with totalCount ${products.totalCount}, ` +
              `brand facet ${brand}, availability facet ${inStock}`,
          );
        }
        expect(products.totalCountExact).toBe(true);
        expect(products.facets.exact).toBe(true);
      }
    };
    const searchers = [0, 1, 2].map(searcher);
    try {
      for (let round = 0; round < 6; round++) {
        for (const marker of ['Beta', 'Alpha'] as const) {
          await api.gqlOk(PUBLISH, { runId: runs[marker] }, apiKey);
          // Let a few answers come from each version between publishes.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      publishing = false;
    }
    await Promise.all(searchers);

    expect(wrong).toEqual([]);
    expect(answers.length).toBeGreaterThan(20);
    // Both versions were read (the loop did run across publishes).
    expect(new Set(answers.map((a) => a.marker))).toEqual(new Set(['Alpha', 'Beta']));
  }, 300_000);

  it('counts the version live now once the publishes are over (the cached counts were replaced)', async () => {
    await api.gqlOk(PUBLISH, { runId: runs.Beta }, apiKey);
    const first = (await api.gqlOk<{ products: Answer }>(SEARCH, { query: 'lantern' })).products;
    expect(first.totalCount).toBe(SIZES.Beta);
    await api.gqlOk(PUBLISH, { runId: runs.Alpha }, apiKey);
    const second = (await api.gqlOk<{ products: Answer }>(SEARCH, { query: 'lantern' })).products;
    expect(second.nodes[0].title).toMatch(/^Alpha /);
    expect(second.totalCount).toBe(SIZES.Alpha);
    expect(second.facets.brand).toEqual([{ id: brandId, count: SIZES.Alpha }]);
  }, 120_000);
});
