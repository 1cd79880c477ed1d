import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountsService } from '@brandshelf/accounts';
import { startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

describe('GraphQL depth and cost limits', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi, { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '12' });
    // Registered through the service: the registration mutation itself is deeper than this tiny limit.
    const { apiKey } = await api.app
      .get(AccountsService)
      .registerBrand({ name: 'Limits', email: 'limits@example.test' });
    key = apiKey.plain;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('runs a query within the limits', async () => {
    const res = await api.gql('{ me { kind } }', {}, key);
    expect(res.errors).toBeUndefined();
  });

  it('refuses a query deeper than the limit before running it', async () => {
    const res = await api.gql('{ me { brand { id } } }', {}, key);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/depth 3 exceeds the limit of 2/);
  });

  it('counts fragments toward depth', async () => {
    const res = await api.gql('query { me { ...B } } fragment B on Me { brand { id } }', {}, key);
    expect(res.errors?.[0].message).toMatch(/depth 3/);
  });

  it('refuses a query whose cost exceeds the limit (lists multiply)', async () => {
    const res = await api.gql('{ apiKeys { id name prefix } }', {}, key);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/cost \d+ exceeds the limit of 12/);
  });
});
