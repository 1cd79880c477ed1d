import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { suggestCategoryForItem } from '@brandshelf/catalog-rules';
import pg from 'pg';
import { createFeed, ingest, rawId, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Category suggestions through the real API, worker and database: a feed that asks for them gets a
 * GOOGLE_PRODUCT_CATEGORY_SUGGESTED warning with id, path and confidence on each item without a usable category,
 * and a feed with acceptCategorySuggestionsAbove has the confident ones applied.
 */
const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn,google_product_category';
const ITEMS = [
  { id: 'W1', title: "Men's leather wallet", description: 'Slim bifold in full-grain leather.', category: '' },
  { id: 'B1', title: 'Leather goods', description: 'Handmade in Porto.', category: '' },
  { id: 'M1', title: 'Ceramic coffee mug', description: 'Holds 350 ml.', category: '99999999' },
  { id: 'T1', title: 'Organic cotton T-shirt', description: 'Crew neck.', category: '212' },
];
const CSV = [
  HEADER,
  ...ITEMS.map((item) =>
    [
      item.id,
      `"${item.title}"`,
      item.description,
      `https://shop.example/${item.id}`,
      `https://cdn.example/${item.id}.jpg`,
      'in stock',
      '10.00 USD',
      'Acme',
      `M-${item.id}`,
      item.category,
    ].join(','),
  ),
].join('\n');
const confidenceOf = (id: string) => {
  const item = ITEMS.find((i) => i.id === id)!;
  // As the pipeline asks it: the validated product, brand included (every row's brand is Acme).
  return suggestCategoryForItem({ title: item.title, description: item.description, brand: 'Acme' })!.confidence;
};

const ISSUES = `query($id: ID!) { ingestionRun(id: $id) {
  issues(filter: { code: GOOGLE_PRODUCT_CATEGORY_SUGGESTED }, first: 20) {
    totalCount nodes { itemId severity attribute value message hint } } } }`;
const FEED = `query($id: ID!) { feed(id: $id) { suggestCategories acceptCategorySuggestionsAbove } }`;

interface IssueView {
  itemId: string;
  severity: string;
  attribute: string;
  value: string | null;
  message: string;
  hint: string;
}

describe('category suggestions on an ingest run (images off)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Categories')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const suggestions = async (runId: string) => {
    const data = await api.gqlOk<{ ingestionRun: { issues: { totalCount: number; nodes: IssueView[] } } }>(
      ISSUES,
      { id: runId },
      key,
    );
    return new Map(data.ingestionRun.issues.nodes.map((node) => [node.itemId, node]));
  };

  it('is off by default: no suggestion issues', async () => {
    const feedId = await createFeed(api, key, { name: 'Plain' });
    const run = await ingest(api, key, feedId, CSV);
    expect(run.status).toBe('SUCCEEDED');
    expect((await suggestions(run.id)).size).toBe(0);
  });

  it('warns with the suggested id, path and confidence for a missing and for an unknown category', async () => {
    const feedId = await createFeed(api, key, { name: 'Suggest', suggestCategories: true });
    const run = await ingest(api, key, feedId, CSV);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 4 });
    const found = await suggestions(run.id);
    // T1's category 212 is valid: nothing to suggest.
    expect([...found.keys()].sort()).toEqual(['B1', 'M1', 'W1']);
    expect(found.get('W1')).toMatchObject({ severity: 'WARNING', attribute: 'google_product_category', value: null });
    expect(found.get('W1')!.message).toContain(
      `suggested 2668 "Apparel & Accessories > Handbags, Wallets & Cases > Wallets & Money Clips" with confidence ${confidenceOf('W1').toFixed(2)}, not applied`,
    );
    expect(found.get('W1')!.hint).toContain('acceptCategorySuggestionsAbove');
    // A number that is no taxonomy id gets a suggestion too.
    expect(found.get('M1')).toMatchObject({ value: '99999999' });
    expect(found.get('M1')!.message).toContain('"99999999" is not in the taxonomy; suggested 2169 ');
  });

  it('applies suggestions above the feed threshold and not below', async () => {
    const high = confidenceOf('W1');
    const low = confidenceOf('B1');
    expect(high).toBeGreaterThan(low);
    const threshold = Math.round(((high + low) / 2) * 1000) / 1000;
    const feedId = await createFeed(api, key, { name: 'Accept', acceptCategorySuggestionsAbove: threshold });
    const feed = await api.gqlOk<{ feed: { suggestCategories: boolean; acceptCategorySuggestionsAbove: number } }>(
      FEED,
      { id: feedId },
      key,
    );
    expect(feed.feed.acceptCategorySuggestionsAbove).toBeCloseTo(threshold, 5);
    const run = await ingest(api, key, feedId, CSV);
    const found = await suggestions(run.id);
    expect(found.get('W1')!.message).toContain('applied as its google_product_category');
    expect(found.get('B1')!.message).toContain('not applied (the feed accepts suggestions above');
    // What the run staged: the applied category is the item's own, the other item has none.
    const client = new pg.Client({ connectionString: api.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ offer_id: string; id: number | null; path: string | null }>(
        `SELECT r.offer_id, (r.data->>'googleProductCategoryId')::int AS id, r.data->>'googleProductCategoryPath' AS path
           FROM version_item v JOIN item_revision r ON r.offer_id = v.offer_id AND r.content_hash = v.content_hash
          WHERE v.version_id = $1 AND r.feed_id = $2 ORDER BY r.offer_id`,
        [rawId(run.versionId!), rawId(feedId)],
      );
      expect(rows).toEqual([
        { offer_id: 'B1', id: null, path: null },
        expect.objectContaining({ offer_id: 'M1' }),
        { offer_id: 'T1', id: 212, path: 'Apparel & Accessories > Clothing > Shirts & Tops' },
        { offer_id: 'W1', id: 2668, path: 'Apparel & Accessories > Handbags, Wallets & Cases > Wallets & Money Clips' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses a threshold outside 0–1 as a userError, and null turns applying off', async () => {
    const feedId = await createFeed(api, key, { name: 'Edit' });
    const bad = await api.gql<{ updateFeed: { feed: null; userErrors: { code: string; field: string[] }[] } }>(
      `mutation($input: UpdateFeedInput!) { updateFeed(input: $input) { feed { id } userErrors { code field } } }`,
      { input: { feedId, acceptCategorySuggestionsAbove: 2 } },
      key,
    );
    expect(bad.data!.updateFeed.feed).toBeNull();
    expect(bad.data!.updateFeed.userErrors[0].field).toEqual(['input', 'acceptCategorySuggestionsAbove']);
    const set = await api.gqlOk<{ updateFeed: { feed: { acceptCategorySuggestionsAbove: number | null } } }>(
      `mutation($input: UpdateFeedInput!) { updateFeed(input: $input) { feed { acceptCategorySuggestionsAbove } userErrors { code } } }`,
      { input: { feedId, acceptCategorySuggestionsAbove: 0.5, suggestCategories: true } },
      key,
    );
    expect(set.updateFeed.feed.acceptCategorySuggestionsAbove).toBe(0.5);
    const cleared = await api.gqlOk<{ updateFeed: { feed: { acceptCategorySuggestionsAbove: number | null } } }>(
      `mutation($input: UpdateFeedInput!) { updateFeed(input: $input) { feed { acceptCategorySuggestionsAbove } userErrors { code } } }`,
      { input: { feedId, acceptCategorySuggestionsAbove: null } },
      key,
    );
    expect(cleared.updateFeed.feed.acceptCategorySuggestionsAbove).toBeNull();
  });
});
