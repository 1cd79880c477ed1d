import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, rawId, registerBrand, startTestApi, uploadFeed, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { toGlobalId } from '../src/graphql/global-id.js';

/**
 * Every id the API answers is a global id, error messages included: they used to quote the libraries' raw UUIDs
 * ("Feed 3f2a… was not found") beside details and payloads that gave global ids, so a client could not match the
 * id a message named with any id it had. One mechanism (graphql/global-id.ts publicMessage) answers them in GraphQL
 * errors, userErrors and REST bodies; the codes are unchanged.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const CSV =
  'id,title,description,link,image_link,availability,price,brand\n' +
  'E1,Tent,A tent.,https://shop.example/p/E1,https://img.example/E1.jpg,in stock,99.00 USD,Acme\n';

describe('ids in error messages (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Error ids')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const errorOf = async (query: string, variables: Record<string, unknown>) => {
    const res = await api.gql<any>(query, variables, key);
    expect(res.errors).toHaveLength(1);
    return res.errors![0] as { message: string; extensions: Record<string, unknown> };
  };

  const dataOf = async (query: string, variables: Record<string, unknown>) => {
    const res = await api.gql<any>(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data;
  };

  it('names a missing feed by its global id in REST bodies, as given or from a bare UUID', async () => {
    const raw = randomUUID();
    const feedId = toGlobalId('Feed', raw);
    for (const given of [feedId, raw, raw.toUpperCase()]) {
      const answer = await uploadFeed(api, key, given, CSV);
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({
        code: 'NOT_FOUND',
        message: `Feed ${feedId} was not found.`,
        entity: 'Feed',
        id: feedId,
      });
    }
  });

  it('names missing objects by their global ids in GraphQL errors, codes unchanged', async () => {
    const raw = randomUUID();
    const deleted = await errorOf(
      'mutation($id: ID!) { deleteFeed(input: { feedId: $id }) { deletedFeedId userErrors { code } } }',
      { id: toGlobalId('Feed', raw) },
    );
    expect(deleted.message).toBe(`Feed ${toGlobalId('Feed', raw)} was not found.`);
    expect(deleted.extensions).toMatchObject({ code: 'NOT_FOUND', id: toGlobalId('Feed', raw) });

    const set = await errorOf(
      'mutation($id: ID!) { deleteProductSet(input: { productSetId: $id }) { userErrors { code } } }',
      { id: toGlobalId('ProductSet', raw) },
    );
    expect(set.message).toBe(`Product set ${toGlobalId('ProductSet', raw)} was not found.`);
    expect(set.extensions).toMatchObject({ code: 'NOT_FOUND', id: toGlobalId('ProductSet', raw) });

    // A Shopify store looked up by its feed: named by the feed id the client gave.
    const uploadFeedId = await createFeed(api, key, { name: 'Not Shopify' });
    const store = await errorOf(
      'mutation($id: ID!) { syncShopifyStore(input: { feedId: $id }) { run { id } userErrors { code } } }',
      { id: uploadFeedId },
    );
    expect(store.message).toBe(`ShopifyStore ${uploadFeedId} was not found.`);
    expect(store.extensions).toMatchObject({ code: 'NOT_FOUND', id: uploadFeedId });
    expect(store.extensions).not.toHaveProperty('idType');

    // A version that is not kept: the feed it names, as the client gave it.
    const version = await errorOf(
      'mutation($id: ID!) { rollbackFeed(input: { feedId: $id, toVersion: 99 }) { userErrors { code } } }',
      { id: uploadFeedId },
    );
    expect(version.message).toBe(`CatalogVersion 99 of feed ${uploadFeedId} (it may have been pruned) was not found.`);
    expect(version.extensions.code).toBe('NOT_FOUND');
  });

  it('names runs and feeds by their global ids in userErrors', async () => {
    const feedId = await createFeed(api, key, { name: 'Runs' });
    const done = await ingest(api, key, feedId, CSV);
    const cancelled = await dataOf(
      'mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { id } userErrors { code message } } }',
      { id: done.id },
    );
    expect(cancelled.cancelRun.userErrors).toEqual([
      {
        code: 'RUN_ALREADY_FINISHED',
        message: `Run ${done.id} already finished with status SUCCEEDED; there is nothing to cancel.`,
      },
    ]);

    const failed = await ingest(api, key, feedId, '');
    expect(failed.status).toBe('FAILED');
    const published = await dataOf(
      'mutation($id: ID!) { publishRun(input: { runId: $id }) { publication { id } userErrors { code message field } } }',
      { id: rawId(failed.id) },
    );
    expect(published.publishRun.userErrors).toEqual([
      {
        code: 'RUN_NOT_PUBLISHABLE',
        message: `Run ${failed.id} is FAILED; only a SUCCEEDED run can be published.`,
        field: ['input', 'runId'],
      },
    ]);
    for (const error of [...cancelled.cancelRun.userErrors, ...published.publishRun.userErrors]) {
      expect(error.message).not.toMatch(UUID);
    }
  });
});
