import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  registerBrand,
  SEED_ENV,
  settleRuns,
  startImageHost,
  startTestApi,
  testJpeg,
  type ImageHost,
  type TestApi,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Product sets (issue 13): rules as data over the brand's live catalog, previewed without saving, and a saved
 * set's members following every publish and rollback. Products go through the real pipeline (custom labels
 * included), images from a loopback host.
 */
const HEADER =
  'id,title,description,link,image_link,availability,price,sale_price,brand,google_product_category,product_type,' +
  'color,size,gender,condition,custom_label_0,custom_label_1';

const ROWS: Record<string, string[]> = {
  'SHOE-1': [
    'Trail Runner Shoe',
    'Grippy.',
    'in stock',
    '89.99 USD',
    '',
    'Acme',
    '187',
    'Footwear > Trail',
    'Red',
    '42',
    'unisex',
    'new',
    'summer',
    'bestseller',
  ],
  'SHOE-2': [
    'Road Runner Shoe',
    'Light.',
    'in stock',
    '120.00 USD',
    '99.00 USD',
    'Acme',
    'Apparel & Accessories > Shoes',
    'Footwear > Road',
    'Blue',
    '43',
    'male',
    'new',
    'summer',
    '',
  ],
  'BOOT-1': [
    'Winter Boot',
    'Warm.',
    'out of stock',
    '150.00 USD',
    '',
    'Acme Pro',
    '187',
    'Footwear',
    'Black',
    '44',
    'female',
    'new',
    'winter',
    'bestseller',
  ],
  'JKT-1': [
    'Rain Jacket',
    'Dry.',
    'in stock',
    '129.00 USD',
    '',
    'Acme',
    'Apparel & Accessories > Clothing > Outerwear',
    'Outerwear',
    'Green',
    'M',
    'female',
    'used',
    'winter',
    '',
  ],
  'MUG-1': [
    'Camp Mug',
    'Enamel.',
    'preorder',
    '15.00 EUR',
    '',
    'Acme',
    'Home & Garden',
    'Kitchen',
    'White',
    '',
    '',
    'new',
    '',
    '',
  ],
};

function csv(ids: string[], base: string): string {
  const lines = ids.map((id) => {
    const [
      title,
      description,
      availability,
      price,
      sale,
      brand,
      category,
      type,
      color,
      size,
      gender,
      condition,
      l0,
      l1,
    ] = ROWS[id];
    return [
      id,
      title,
      description,
      `https://shop.example/${id}`,
      `${base}/p.jpg`,
      availability,
      price,
      sale,
      brand,
      `"${category}"`,
      `"${type}"`,
      color,
      size,
      gender,
      condition,
      l0,
      l1,
    ].join(',');
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const PREVIEW = `query($rules: ProductSetRuleInput!) {
  previewProductSet(rules: $rules, sample: 50) { count sample { title } }
}`;
const CREATE = `mutation($input: CreateProductSetInput!) {
  createProductSet(input: $input) {
    productSet { id name rules { all { condition { attribute operator values currency } } condition { values } } }
    userErrors { code message field }
  }
}`;

/** `levels` all-nodes around one condition. */
const nest = (levels: number): unknown => (levels === 0 ? cond('COLOR', 'IS', ['red']) : { all: [nest(levels - 1)] });

const cond = (attribute: string, operator: string, values: string[], currency?: string) => ({
  condition: { attribute, operator, values, ...(currency ? { currency } : {}) },
});

describe('product sets (e2e)', () => {
  let api: TestApi;
  let host: ImageHost;
  let acme: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let feedId: string;

  const publish = async (ids: string[]) => {
    const run = await ingest(api, acme.apiKey, feedId, csv(ids, host.base));
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: run.id },
      acme.apiKey,
    );
  };
  const preview = async (rules: unknown, key = acme.apiKey) =>
    (await api.gqlOk<{ previewProductSet: { count: number; sample: { title: string }[] } }>(PREVIEW, { rules }, key))
      .previewProductSet;
  /** The data of a call that may answer userErrors (gqlOk refuses those). */
  const data = async <T>(query: string, variables: Record<string, unknown>, key: string): Promise<T> => {
    const res = await api.gql<T>(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data as T;
  };
  const titles = async (rules: unknown) => (await preview(rules)).sample.map((p) => p.title).sort();

  beforeAll(async () => {
    api = await startTestApi(createApi, SEED_ENV);
    host = await startImageHost({ '/p.jpg': await testJpeg(800, 800, { r: 10, g: 200, b: 10 }) });
    acme = await registerBrand(api, 'Acme');
    other = await registerBrand(api, 'Other');
    feedId = await createFeed(api, acme.apiKey, { name: 'Acme catalog' });
    await publish(Object.keys(ROWS));
  }, 180_000);
  afterAll(async () => {
    await settleRuns(api);
    await host?.close();
    await api?.close();
  }, 60_000);

  it('filters on every kind of attribute, custom labels included', async () => {
    expect(await titles(cond('CUSTOM_LABEL_0', 'IS', ['Summer']))).toEqual(['Road Runner Shoe', 'Trail Runner Shoe']);
    expect(await titles(cond('CUSTOM_LABEL_1', 'IS', ['bestseller']))).toEqual(['Trail Runner Shoe', 'Winter Boot']);
    // A category includes its subcategories; by id or by path.
    expect(await titles(cond('CATEGORY', 'IS', ['Apparel & Accessories']))).toHaveLength(4);
    expect(await titles(cond('CATEGORY', 'IS', ['187']))).toEqual([
      'Road Runner Shoe',
      'Trail Runner Shoe',
      'Winter Boot',
    ]);
    expect(await titles(cond('PRODUCT_TYPE', 'IS', ['footwear']))).toHaveLength(3);
    expect(await titles(cond('PRODUCT_TYPE', 'STARTS_WITH', ['Footwear >']))).toHaveLength(2);
    expect(await titles(cond('AVAILABILITY', 'IS_ANY_OF', ['out of stock', 'PREORDER']))).toEqual([
      'Camp Mug',
      'Winter Boot',
    ]);
    expect(await titles(cond('BRAND', 'IS', ['acme pro']))).toEqual(['Winter Boot']);
    expect(await titles(cond('TITLE', 'CONTAINS', ['runner']))).toHaveLength(2);
    expect(await titles(cond('ID', 'IS_ANY_OF', ['shoe-1', 'MUG-1']))).toEqual(['Camp Mug', 'Trail Runner Shoe']);
    expect(await titles(cond('ON_SALE', 'IS', ['true']))).toEqual(['Road Runner Shoe']);
    expect(await titles(cond('GENDER', 'IS', ['female']))).toEqual(['Rain Jacket', 'Winter Boot']);
    expect(await titles(cond('CONDITION', 'IS_NOT', ['new']))).toEqual(['Rain Jacket']);
    expect(await titles(cond('COLOR', 'IS', ['RED']))).toEqual(['Trail Runner Shoe']);
    // The price a shopper pays (the sale price when on sale), in the condition's currency only.
    expect(await titles(cond('PRICE', 'LESS_THAN', ['100'], 'USD'))).toEqual(['Road Runner Shoe', 'Trail Runner Shoe']);
    expect(await titles(cond('PRICE', 'GREATER_THAN', ['10'], 'EUR'))).toEqual(['Camp Mug']);
    // IS_NOT matches a product without the attribute (the mug has no size).
    expect(await titles(cond('SIZE', 'IS_NOT', ['42']))).toHaveLength(4);
  });

  it('combines conditions with all and any, nested', async () => {
    const rules = {
      all: [
        cond('CATEGORY', 'IS', ['187']),
        { any: [cond('CUSTOM_LABEL_1', 'IS', ['bestseller']), cond('ON_SALE', 'IS', ['true'])] },
        cond('AVAILABILITY', 'IS', ['in_stock']),
      ],
    };
    const { count, sample } = await preview(rules);
    expect(count).toBe(2);
    expect(sample.map((p) => p.title).sort()).toEqual(['Road Runner Shoe', 'Trail Runner Shoe']);
  });

  it('refuses bad rules with the input path at fault, in userErrors for a mutation', async () => {
    const bad = await data<{
      createProductSet: { productSet: null; userErrors: { code: string; field: string[] }[] };
    }>(CREATE, { input: { name: 'Bad', rules: { all: [cond('PRICE', 'LESS_THAN', ['100'])] } } }, acme.apiKey);
    expect(bad.createProductSet.productSet).toBeNull();
    expect(bad.createProductSet.userErrors).toEqual([
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        field: ['input', 'rules', 'all', '0', 'condition', 'currency'],
      }),
    ]);
    for (const [rules, said] of [
      [cond('COLOR', 'LESS_THAN', ['1']), /operators IS, IS_NOT/],
      [cond('AVAILABILITY', 'IS', ['sold']), /IN_STOCK, OUT_OF_STOCK/],
      [cond('CATEGORY', 'IS', ['Not A Category']), /not a Google product category/],
      [cond('COLOR', 'IS', ['red', 'blue']), /exactly one value/],
      [{ all: [] }, /at least one rule/],
      [
        { all: [cond('COLOR', 'IS', ['red'])], any: [cond('COLOR', 'IS', ['red'])] },
        /exactly one of all, any or condition/,
      ],
      [nest(6), /at most 5 levels/],
    ] as const) {
      const res = await api.gql(PREVIEW, { rules }, acme.apiKey);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(said);
    }
    // Five levels are allowed: the limit is not off by one.
    expect((await preview(nest(5))).count).toBe(1);
  });

  it('refuses half a surrogate pair in a value with a userError (jsonb would refuse it: no INTERNAL_SERVER_ERROR)', async () => {
    const fine = await data<{ createProductSet: { productSet: { id: string } } }>(
      CREATE,
      { input: { name: 'Emoji', rules: cond('TITLE', 'CONTAINS', ['\ud83d\ude00']) } },
      acme.apiKey,
    );
    for (const value of ['\ud800x', 'x\udc00', '\ud83d']) {
      const rules = { any: [cond('COLOR', 'IS', ['red']), cond('TITLE', 'CONTAINS', [value])] };
      const created = await api.gql(CREATE, { input: { name: `Broken ${value.length}`, rules } }, acme.apiKey);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createProductSet).toEqual({
        productSet: null,
        userErrors: [
          expect.objectContaining({
            code: 'BAD_USER_INPUT',
            field: ['input', 'rules', 'any', '1', 'condition', 'values'],
            message: expect.stringMatching(/surrogate/),
          }),
        ],
      });
      const updated = await api.gql(
        'mutation($input: UpdateProductSetInput!) { updateProductSet(input: $input) { userErrors { code field } } }',
        { input: { productSetId: fine.createProductSet.productSet.id, rules } },
        acme.apiKey,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateProductSet.userErrors).toEqual([
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          field: ['input', 'rules', 'any', '1', 'condition', 'values'],
        }),
      ]);
      const previewed = await api.gql(PREVIEW, { rules }, acme.apiKey);
      expect(previewed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('answers a member count that passes its 15 s statement timeout as BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
    // Another transaction holds the catalog: the count waits on its lock until the statement timeout cancels it,
    // as a count over a very large catalog with heavy rules would be.
    const holder = api.runtime.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('LOCK TABLE catalog_product IN ACCESS EXCLUSIVE MODE');
      const res = await api.gql(PREVIEW, { rules: cond('COLOR', 'IS', ['red']) }, acme.apiKey);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/took longer than 15 s.*narrow its rules/);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  }, 60_000);

  it('saves a set whose members follow every publish and rollback', async () => {
    const created = await api.gqlOk<{ createProductSet: { productSet: { id: string; rules: unknown } } }>(
      CREATE,
      {
        input: {
          name: 'Summer shoes',
          rules: { all: [cond('CUSTOM_LABEL_0', 'IS', ['summer']), cond('CATEGORY', 'IS', ['187'])] },
        },
      },
      acme.apiKey,
    );
    const id = created.createProductSet.productSet.id;
    // Stored normalized: the category as Google's path.
    expect(JSON.stringify(created.createProductSet.productSet.rules)).toContain('Apparel & Accessories > Shoes');
    const members = async () =>
      (
        await api.gqlOk<{ productSet: { members: { count: number; sample: { title: string }[] } } }>(
          'query($id: ID!) { productSet(id: $id) { name members(sample: 10) { count sample { title } } } }',
          { id },
          acme.apiKey,
        )
      ).productSet.members;
    expect((await members()).count).toBe(2);

    const taken = await data<{ createProductSet: { userErrors: { code: string }[] } }>(
      CREATE,
      { input: { name: 'SUMMER SHOES', rules: cond('COLOR', 'IS', ['red']) } },
      acme.apiKey,
    );
    expect(taken.createProductSet.userErrors[0].code).toBe('CONFLICT');

    await publish(['SHOE-1', 'BOOT-1', 'JKT-1', 'MUG-1']);
    expect((await members()).sample.map((p) => p.title)).toEqual(['Trail Runner Shoe']);
    await api.gqlOk(
      'mutation($feedId: ID!, $version: Int!) { rollbackFeed(input: { feedId: $feedId, toVersion: $version }) { publication { created } } }',
      { feedId, version: 1 },
      acme.apiKey,
    );
    expect((await members()).count).toBe(2);

    const list = await api.gqlOk<{ productSets: { totalCount: number; nodes: { id: string }[] } }>(
      '{ productSets(first: 10) { totalCount nodes { id } } }',
      {},
      acme.apiKey,
    );
    expect(list.productSets.nodes.map((n) => n.id)).toContain(id);

    // Another brand: neither the set nor the products.
    const foreign = await api.gql('query($id: ID!) { productSet(id: $id) { name } }', { id }, other.apiKey);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await preview(cond('BRAND', 'STARTS_WITH', ['acme']), other.apiKey)).count).toBe(0);
    const gone = await api
      .gqlOk<{ deleteProductSet: { userErrors: unknown[] } }>(
        'mutation($input: DeleteProductSetInput!) { deleteProductSet(input: $input) { deletedProductSetId userErrors { code } } }',
        { input: { productSetId: id } },
        other.apiKey,
      )
      .catch((error: Error) => error);
    expect(String(gone)).toMatch(/NOT_FOUND|not found/i);
    expect((await members()).count).toBe(2);

    const deleted = await api.gqlOk<{ deleteProductSet: { deletedProductSetId: string } }>(
      'mutation($input: DeleteProductSetInput!) { deleteProductSet(input: $input) { deletedProductSetId userErrors { code } } }',
      { input: { productSetId: id } },
      acme.apiKey,
    );
    expect(deleted.deleteProductSet.deletedProductSetId).toBe(id);
  });

  it("productSets(nameContains:) finds the sets whose name holds the text, in any case, paged, and only the brand's", async () => {
    const brand = await registerBrand(api, 'Many Sets');
    const names = ['Red shoes', 'Blue shoes', 'Shoe laces', 'Hats 100%', 'Hats 1000', 'Socks_A', 'SocksXA'];
    for (const name of names) {
      await api.gqlOk(CREATE, { input: { name, rules: cond('COLOR', 'IS', ['red']) } }, brand.apiKey);
    }
    // Another brand's set of the same kind of name is never among them.
    await api.gqlOk(CREATE, { input: { name: 'Green shoes', rules: cond('COLOR', 'IS', ['green']) } }, other.apiKey);
    const LIST =
      'query($name: String, $first: Int, $after: String) { productSets(nameContains: $name, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }';
    type List = {
      productSets: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { name: string }[];
      };
    };
    const list = async (variables: Record<string, unknown>) =>
      (await api.gqlOk<List>(LIST, variables, brand.apiKey)).productSets;
    const named = async (name: string | null) => (await list({ name, first: 100 })).nodes.map((n) => n.name);

    expect(await named('SHOE')).toEqual(['Red shoes', 'Blue shoes', 'Shoe laces']);
    expect(await named('  blue ')).toEqual(['Blue shoes']); // trimmed, as a name is
    // LIKE's wildcards are the characters themselves: "100%" is not "100 then anything", "s_A" not "s, any, A".
    expect(await named('100%')).toEqual(['Hats 100%']);
    expect(await named('s_A')).toEqual(['Socks_A']);
    expect(await named('\\')).toEqual([]);
    expect(await named('nothing like it')).toEqual([]);
    // Empty or omitted: every set of the brand.
    expect(await named('')).toEqual(names);
    expect(await named(null)).toEqual(names);

    // Paged with the same filter: the cursor continues the filtered list.
    const first = await list({ name: 'shoe', first: 2 });
    expect({
      total: first.totalCount,
      names: first.nodes.map((n) => n.name),
      more: first.pageInfo.hasNextPage,
    }).toEqual({ total: 3, names: ['Red shoes', 'Blue shoes'], more: true });
    const second = await list({ name: 'shoe', first: 2, after: first.pageInfo.endCursor });
    expect({ names: second.nodes.map((n) => n.name), more: second.pageInfo.hasNextPage }).toEqual({
      names: ['Shoe laces'],
      more: false,
    });

    // Longer than a name can be: BAD_USER_INPUT naming the argument.
    const long = await api.gql(LIST, { name: 'x'.repeat(201) }, brand.apiKey);
    expect(long.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(long.errors?.[0].message).toMatch(/nameContains is at most 200 characters/);
    expect((await list({ name: 'x'.repeat(200) })).totalCount).toBe(0);
  });

  it('is for brands only', async () => {
    const anonymous = await api.gql(PREVIEW, { rules: cond('COLOR', 'IS', ['red']) });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
