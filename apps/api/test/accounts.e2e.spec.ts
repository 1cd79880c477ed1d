import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi, rawId } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { toGlobalId } from '../src/graphql/global-id.js';

const ME_QUERY = `{ me { __typename
  ... on BrandPrincipal { apiKeyId brand { id name email } }
  ... on CreatorPrincipal { apiKeyId creator { id handle } } } }`;

describe('accounts and API keys (e2e on a real database)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(createApi);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('registers a brand whose key authenticates `me`', async () => {
    const brand = await registerBrand(api, 'Acme Outdoor');
    expect(brand.apiKey).toMatch(/^bsk_[A-Za-z0-9]{12}_/);
    const data = await api.gqlOk(ME_QUERY, {}, brand.apiKey);
    // The union resolves to BrandPrincipal: only its fragment is filled, with the key this request used.
    expect(data.me).toEqual({
      __typename: 'BrandPrincipal',
      apiKeyId: expect.any(String),
      brand: { id: brand.id, name: 'Acme Outdoor', email: expect.stringContaining('@') },
    });
    const second = await api.gqlOk<{ createApiKey: { apiKey: string; key: { id: string } } }>(
      'mutation { createApiKey(input: { name: "second" }) { apiKey key { id } } }',
      {},
      brand.apiKey,
    );
    const viaSecond = await api.gqlOk(ME_QUERY, {}, second.createApiKey.apiKey);
    expect(viaSecond.me.apiKeyId).toBe(second.createApiKey.key.id);
    expect(viaSecond.me.apiKeyId).not.toBe(data.me.apiKeyId);
  });

  it('answers byte counts past 2^31 exactly, as BigInt decimal strings', async () => {
    const brand = await registerBrand(api, 'Big Bytes');
    const feedId = await createFeed(api, brand.apiKey, { name: 'Big' });
    const run = await ingest(api, brand.apiKey, feedId, 'id,title\nA1,One\n');
    // A 5 GB file read past 2^32 (no test writes one: the counters are set where the pipeline keeps them).
    await api.runtime.dataSource.query('UPDATE ingestion_run SET bytes_read = $1, bytes_total = $2 WHERE id = $3', [
      '5000000123',
      '5000000789',
      rawId(run.id),
    ]);
    const data = await api.gqlOk(
      `query($id: ID!) { ingestionRun(id: $id) { bytesRead bytesTotal }
        me { ... on BrandPrincipal { brand { storageUsage { quotaBytes remainingBytes usedBytes } } } } }`,
      { id: run.id },
      brand.apiKey,
    );
    expect(data.ingestionRun).toEqual({ bytesRead: '5000000123', bytesTotal: '5000000789' });
    const usage = data.me.brand.storageUsage;
    expect(usage.quotaBytes).toBe('10737418240'); // STORAGE_QUOTA_BYTES' default, 10 GiB
    expect(BigInt(usage.remainingBytes)).toBe(10737418240n - BigInt(usage.usedBytes));
  });

  it('stores no plain key anywhere in the database', async () => {
    const brand = await registerBrand(api, 'Secretive');
    const extra = await api.gqlOk<{ createApiKey: { apiKey: string } }>(
      'mutation { createApiKey(input: { name: "ci" }) { apiKey key { id prefix } } }',
      {},
      brand.apiKey,
    );
    const creator = await api.gqlOk(
      'mutation { registerCreator(input: { handle: "sam.makes", email: "sam@example.test" }) { apiKey } }',
    );
    const tables = await api.runtime.dataSource.query(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(3);
    const keys = [brand.apiKey, extra.createApiKey.apiKey, creator.registerCreator.apiKey];
    for (const { table_schema, table_name } of tables) {
      const rows = await api.runtime.dataSource.query(`SELECT t::text AS row FROM "${table_schema}"."${table_name}" t`);
      for (const { row } of rows) {
        for (const key of keys) {
          expect(row).not.toContain(key);
          expect(row).not.toContain(key.slice('bsk_'.length + 13)); // nor the secret part alone
        }
      }
    }
  });

  it('refuses a revoked key and a malformed one with UNAUTHENTICATED', async () => {
    const brand = await registerBrand(api, 'Revoker');
    const second = await api.gqlOk<{ createApiKey: { apiKey: string; key: { id: string } } }>(
      'mutation { createApiKey(input: { name: "temp" }) { apiKey key { id } } }',
      {},
      brand.apiKey,
    );
    expect((await api.gql('{ me { __typename } }', {}, second.createApiKey.apiKey)).data?.me.__typename).toBe(
      'BrandPrincipal',
    );
    const revoked = await api.gqlOk(
      'mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { key { id revokedAt } userErrors { code } } }',
      { id: second.createApiKey.key.id },
      brand.apiKey,
    );
    expect(revoked.revokeApiKey.key.revokedAt).toBeTruthy();
    const after = await api.gql('{ me { __typename } }', {}, second.createApiKey.apiKey);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // The original key still works: revoking one key touches no other.
    expect((await api.gql('{ me { __typename } }', {}, brand.apiKey)).data?.me.__typename).toBe('BrandPrincipal');
    expect((await api.gql('{ me { __typename } }', {}, 'bsk_nope')).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.gql('{ me { __typename } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("keeps one brand out of another's rows: a foreign id answers exactly as a missing one", async () => {
    const a = await registerBrand(api, 'Brand A');
    const b = await registerBrand(api, 'Brand B');
    type Keys = { apiKeys: { nodes: { id: string }[] } };
    const bKeys = await api.gqlOk<Keys>('{ apiKeys { nodes { id } } }', {}, b.apiKey);
    const foreignId = bKeys.apiKeys.nodes[0].id;

    const aKeys = await api.gqlOk<Keys>('{ apiKeys { nodes { id } } }', {}, a.apiKey);
    expect(aKeys.apiKeys.nodes.map((k) => k.id)).not.toContain(foreignId);

    const revoke = 'mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { key { id } } }';
    const foreign = await api.gql(revoke, { id: foreignId }, a.apiKey);
    const missingId = '00000000-0000-4000-8000-000000000000';
    const missing = await api.gql(revoke, { id: missingId }, a.apiKey);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Each message names its id as the global id the API gives out (the raw one given is answered globally too).
    expect(foreign.errors?.[0].message.replace(foreignId, 'ID')).toBe(
      missing.errors?.[0].message.replace(toGlobalId('ApiKey', missingId), 'ID'),
    );
    // B's key was not revoked by A's attempt.
    expect((await api.gql('{ me { __typename } }', {}, b.apiKey)).data?.me.__typename).toBe('BrandPrincipal');
  });

  it('answers bad input and duplicates as userErrors with specific codes', async () => {
    const register = `mutation($name: String!, $e: String!) { registerBrand(input: { name: $name, email: $e }) {
      brand { id } apiKey userErrors { code message field } } }`;
    const bad = await api.gql(register, { name: 'X', e: 'not-an-email' });
    expect(bad.errors).toBeUndefined();
    expect(bad.data?.registerBrand).toEqual({
      brand: null,
      apiKey: null,
      userErrors: [
        { code: 'BAD_USER_INPUT', message: expect.stringMatching(/not-an-email/), field: ['input', 'email'] },
      ],
    });
    const email = 'twice@example.test';
    await api.gqlOk(register, { name: 'One', e: email });
    const again = await api.gql(register, { name: 'Two', e: email.toUpperCase() });
    expect(again.errors).toBeUndefined();
    expect(again.data?.registerBrand).toEqual({
      brand: null,
      apiKey: null,
      userErrors: [{ code: 'ALREADY_REGISTERED', message: expect.any(String), field: ['input', 'email'] }],
    });
    const brands = await api.runtime.dataSource.query('SELECT name FROM brand WHERE email = $1', [email]);
    expect(brands).toEqual([{ name: 'One' }]); // the refused sign-up created nothing

    const creator = `mutation($h: String!, $e: String!) { registerCreator(input: { handle: $h, email: $e }) {
      creator { id } userErrors { code field } } }`;
    await api.gqlOk(creator, { h: 'taken.handle', e: 'first@example.test' });
    const taken = await api.gql(creator, { h: 'taken.handle', e: 'second@example.test' });
    expect(taken.data?.registerCreator).toEqual({
      creator: null,
      userErrors: [{ code: 'ALREADY_REGISTERED', field: ['input', 'handle'] }],
    });
  });

  it('registers creators, whose keys are refused by brand-only operations', async () => {
    const res = await api.gqlOk(
      'mutation { registerCreator(input: { handle: "@lena_styles", email: "lena@example.test" }) { creator { id handle } apiKey } }',
    );
    expect(res.registerCreator.creator.handle).toBe('lena_styles');
    const me = await api.gqlOk(ME_QUERY, {}, res.registerCreator.apiKey);
    expect(me.me).toEqual({
      __typename: 'CreatorPrincipal',
      apiKeyId: expect.any(String),
      creator: { id: res.registerCreator.creator.id, handle: 'lena_styles' },
    });
  });

  it('serves /health and a landing page at /graphql, and echoes request ids', async () => {
    const health = await fetch(`${api.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('trace-123');
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });
    const page = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });
});
