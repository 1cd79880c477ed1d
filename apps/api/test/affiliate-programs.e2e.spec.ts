import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AffiliateClock } from '@brandshelf/affiliate';
import { SEED_ENV, seedCatalog, startTestApi, type SeededCatalog, type TestApi } from '@brandshelf/testing';
import { rawId as rawIdOf } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Commission programs (issue 12): the precedence of rules, each level beating the next; rate validation; offers
 * accepted, declined, withdrawn and bounded by their dates; the creator's rate on products; and who sees what.
 */
describe('commission programs', () => {
  let api: TestApi;
  let seed: SeededCatalog;
  let other: SeededCatalog;
  let creatorHandle: string;
  let otherCreatorHandle: string;
  let now = Date.parse('2030-01-01T00:00:00Z');
  const tick = (ms = 1000) => (now += ms);

  const SET = `mutation($input: SetCommissionRateInput!) {
    setCommissionRate(input: $input) { rule { id kind ratePercent } program { openRatePercent } userErrors { code field message } } }`;
  const OFFER = `mutation($input: CreateCommissionOfferInput!) {
    createCommissionOffer(input: $input) { offer { id status creatorHandle rules { kind ratePercent } } userErrors { code field message } } }`;
  const RESPOND = `mutation($input: RespondToCommissionOfferInput!) {
    respondToCommissionOffer(input: $input) { offer { id status decidedAt } userErrors { code field message } } }`;
  const QUOTE = `query($productId: ID!, $creatorHandle: String) {
    commissionFor(productId: $productId, creatorHandle: $creatorHandle) { ratePercent rule reason candidates { kind ratePercent } } }`;

  /** The data of a mutation whose userErrors the test reads (gqlOk refuses them); errors must be empty. */
  const data = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await api.gql<any>(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data;
  };
  const set = async (input: Record<string, unknown>, key = seed.brand.apiKey) => {
    tick();
    return (await data(SET, { input }, key)).setCommissionRate;
  };
  const offer = async (input: Record<string, unknown>, key = seed.brand.apiKey) => {
    tick();
    return (await data(OFFER, { input }, key)).createCommissionOffer;
  };
  const respond = async (offerId: string, decision: 'ACCEPT' | 'DECLINE', key = seed.creator.apiKey) => {
    tick();
    return (await data(RESPOND, { input: { offerId, decision } }, key)).respondToCommissionOffer;
  };
  const quote = async (productId: string, key = seed.creator.apiKey, creator?: string) =>
    (await api.gqlOk<any>(QUOTE, { productId, creatorHandle: creator ?? null }, key)).commissionFor;

  beforeAll(async () => {
    api = await startTestApi(createApi, SEED_ENV);
    seed = await seedCatalog(api, 'Peak Gear');
    other = await seedCatalog(api, 'Other Gear');
    api.app.get(AffiliateClock).now = () => new Date(now);
    const handles = await api.runtime.dataSource.query('SELECT id, handle FROM creator');
    creatorHandle = handles.find((h: any) => h.id === rawIdOf(seed.creator.id)).handle;
    otherCreatorHandle = handles.find((h: any) => h.id === rawIdOf(other.creator.id)).handle;
  }, 180_000);

  afterAll(async () => {
    await seed?.close();
    await other?.close();
    await api?.close();
  });

  it('validates rates: 1 to 80, at most two decimals, as userErrors naming the field', async () => {
    for (const bad of ['0.99', '80.01', '12.345', 'ten', '-5', '']) {
      const res = await set({ ratePercent: bad });
      expect(res.userErrors).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'ratePercent'] }),
      ]);
      expect(res.rule).toBeNull();
    }
    const bad = await set({ target: { categoryId: 99999999 }, ratePercent: '5' });
    expect(bad.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'target', 'categoryId'] });
    const two = await set({ target: { itemGroupId: 'TRS', categoryId: 187 }, ratePercent: '5' });
    expect(two.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'target'] });
    expect((await quote(seed.products['TRS-RED-42'])).ratePercent).toBeNull();
  });

  it('refuses a target that names nothing instead of reading it as the default rate', async () => {
    // A form that sent its category field empty ({ categoryId: null }) replaced the rate of every product.
    const made = await set({ ratePercent: '10' });
    expect(made.userErrors).toEqual([]);
    for (const target of [{}, { categoryId: null }, { productId: null, itemGroupId: null, categoryId: null }]) {
      const res = await set({ target, ratePercent: '20' });
      expect(res.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'target'] })]);
      expect(res.userErrors[0].message).toMatch(/omit target for the default/);
      expect(res.rule).toBeNull();
    }
    const rule = await offer({ creatorHandle, rules: [{ target: {}, ratePercent: '30' }] });
    expect(rule.userErrors).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'rules', '0', 'target'] }),
    ]);
    expect((await data(SET, { input: { ratePercent: '10' } }, seed.brand.apiKey)).setCommissionRate.program).toEqual({
      openRatePercent: '10',
    });
    const removed = await set({ ratePercent: null });
    expect(removed.userErrors).toEqual([]);
  });

  it('applies the most specific rule: each level beats the next, whatever the rates', async () => {
    const red = seed.products['TRS-RED-42'];
    const steps: Array<[string, () => Promise<unknown>, string]> = [
      ['OPEN_DEFAULT', () => set({ ratePercent: '30' }), '30'],
      ['OPEN_CATEGORY', () => set({ target: { categoryId: 166 }, ratePercent: '29' }), '29'],
      // A deeper category beats a shallower one within the level.
      ['OPEN_CATEGORY', () => set({ target: { categoryId: 187 }, ratePercent: '28.5' }), '28.5'],
      ['OPEN_ITEM_GROUP', () => set({ target: { itemGroupId: 'TRS' }, ratePercent: '27' }), '27'],
      ['OPEN_PRODUCT', () => set({ target: { productId: red }, ratePercent: '26' }), '26'],
    ];
    for (const [kind, step, rate] of steps) {
      await step();
      const q = await quote(red);
      expect({ kind, rule: q.rule, rate: q.ratePercent }).toEqual({ kind, rule: kind, rate });
    }
    const targeted: Array<[string, Record<string, unknown>, string]> = [
      ['TARGETED_BRAND', { ratePercent: '15' }, '15'],
      ['TARGETED_CATEGORY', { rules: [{ target: { categoryId: 187 }, ratePercent: '14' }] }, '14'],
      ['TARGETED_ITEM_GROUP', { rules: [{ target: { itemGroupId: 'TRS' }, ratePercent: '13' }] }, '13'],
      ['TARGETED_PRODUCT', { rules: [{ target: { productId: red }, ratePercent: '12.5' }] }, '12.5'],
    ];
    for (const [kind, input, rate] of targeted) {
      const made = await offer({ creatorHandle: `@${creatorHandle}`, ...input });
      expect(made.userErrors).toEqual([]);
      // Pending: it does not apply yet.
      const before = await quote(red);
      expect(before.rule).not.toBe(kind);
      expect((await respond(made.offer.id, 'ACCEPT')).offer.status).toBe('ACCEPTED');
      const q = await quote(red);
      expect({ kind, rule: q.rule, rate: q.ratePercent }).toEqual({ kind, rule: kind, rate });
    }
    const final = await quote(red);
    expect(final.candidates.map((c: any) => c.kind)).toEqual([
      'TARGETED_PRODUCT',
      'TARGETED_ITEM_GROUP',
      'TARGETED_CATEGORY',
      'TARGETED_BRAND',
      'OPEN_PRODUCT',
      'OPEN_ITEM_GROUP',
      'OPEN_CATEGORY',
      'OPEN_CATEGORY',
      'OPEN_DEFAULT',
    ]);
    expect(final.reason).toMatch(/12\.5%.*targeted offer.*takes precedence over/);

    // The brand sees its open program, or what the creator it names gets.
    expect((await quote(red, seed.brand.apiKey)).rule).toBe('OPEN_PRODUCT');
    expect((await quote(red, seed.brand.apiKey, creatorHandle)).rule).toBe('TARGETED_PRODUCT');
    // Another creator gets only the open program.
    expect((await quote(red, other.creator.apiKey)).rule).toBe('OPEN_PRODUCT');
    // The jacket is in another category and group: the targeted brand-wide rate applies to it.
    expect(await quote(seed.products['JKT-1'])).toMatchObject({ rule: 'TARGETED_BRAND', ratePercent: '15' });
    expect(await quote(seed.products['JKT-1'], other.creator.apiKey)).toMatchObject({
      rule: 'OPEN_CATEGORY',
      ratePercent: '29',
    });
  });

  it("shows the creator's own rate on every product of products and product, null for the public and brands", async () => {
    const PAGE = `{ products(first: 20) { nodes { id commissionRate brand { name } } } }`;
    const mine = (await api.gqlOk<any>(PAGE, {}, seed.creator.apiKey)).products.nodes;
    const rates = Object.fromEntries(mine.map((p: any) => [p.id, p.commissionRate]));
    expect(rates[seed.products['TRS-RED-42']]).toBe('12.5');
    expect(rates[seed.products['TRS-BLUE-43']]).toBe('13');
    expect(rates[seed.products['JKT-1']]).toBe('15');
    // Other Gear has no program: no rate.
    expect(rates[other.products['JKT-1']]).toBeNull();
    const theirs = (await api.gqlOk<any>(PAGE, {}, other.creator.apiKey)).products.nodes;
    expect(theirs.find((p: any) => p.id === seed.products['TRS-RED-42']).commissionRate).toBe('26');
    for (const key of [undefined, seed.brand.apiKey, other.brand.apiKey]) {
      const nodes = (await api.gqlOk<any>(PAGE, {}, key)).products.nodes;
      expect(nodes.map((p: any) => p.commissionRate)).toEqual(nodes.map(() => null));
    }
    const one = `query($id: ID!) { product(id: $id) { commissionRate } }`;
    expect(
      (await api.gqlOk<any>(one, { id: seed.products['JKT-1'] }, seed.creator.apiKey)).product.commissionRate,
    ).toBe('15');
    expect((await api.gqlOk<any>(one, { id: seed.products['JKT-1'] })).product.commissionRate).toBeNull();
  });

  it('reads the rates of a page in one query, however many products it holds', async () => {
    const statements: string[] = [];
    const original = api.runtime.dataSource.query.bind(api.runtime.dataSource);
    api.runtime.dataSource.query = (async (sql: string, params?: unknown[]) => {
      statements.push(sql);
      return original(sql, params);
    }) as typeof api.runtime.dataSource.query;
    try {
      await api.gqlOk('{ products(first: 20) { nodes { commissionRate } } }', {}, seed.creator.apiKey);
    } finally {
      api.runtime.dataSource.query = original;
    }
    expect(statements.filter((s) => s.includes('FROM commission_rule'))).toHaveLength(1);
  });

  it('offers: decline, withdraw, dates, and only pending offers can be answered', async () => {
    const jacket = seed.products['JKT-1'];
    const declined = (await offer({ creatorHandle: otherCreatorHandle, ratePercent: '40' })).offer;
    expect((await respond(declined.id, 'DECLINE', other.creator.apiKey)).offer.status).toBe('DECLINED');
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('29');
    const again = await respond(declined.id, 'ACCEPT', other.creator.apiKey);
    expect(again.userErrors[0]).toMatchObject({ code: 'CONFLICT' });

    // A future window: accepted now, applies only from startsAt until endsAt.
    const startsAt = new Date(now + 3600_000).toISOString();
    const endsAt = new Date(now + 7200_000).toISOString();
    const windowed = (await offer({ creatorHandle: otherCreatorHandle, ratePercent: '41', startsAt, endsAt })).offer;
    await respond(windowed.id, 'ACCEPT', other.creator.apiKey);
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('29');
    now = Date.parse(startsAt);
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('41');
    now = Date.parse(endsAt) - 1;
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('41');
    now = Date.parse(endsAt);
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('29');

    // Withdrawn by the brand: applies no more.
    const open = (await offer({ creatorHandle: otherCreatorHandle, ratePercent: '42' })).offer;
    await respond(open.id, 'ACCEPT', other.creator.apiKey);
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('42');
    tick();
    const withdrawn = await api.gqlOk<any>(
      'mutation($input: WithdrawCommissionOfferInput!) { withdrawCommissionOffer(input: $input) { offer { status } userErrors { code } } }',
      { input: { offerId: open.id } },
      seed.brand.apiKey,
    );
    expect(withdrawn.withdrawCommissionOffer.offer.status).toBe('WITHDRAWN');
    expect((await quote(jacket, other.creator.apiKey)).ratePercent).toBe('29');

    // An offer that ended before it was answered cannot be accepted.
    const short = (
      await offer({ creatorHandle: otherCreatorHandle, ratePercent: '43', endsAt: new Date(now + 5000).toISOString() })
    ).offer;
    now += 10_000;
    expect((await respond(short.id, 'ACCEPT', other.creator.apiKey)).userErrors[0]).toMatchObject({ code: 'CONFLICT' });

    const unknown = await offer({ creatorHandle: 'nobody_here', ratePercent: '10' });
    expect(unknown.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'creatorHandle'] });
    const badDates = await offer({
      creatorHandle,
      ratePercent: '10',
      startsAt: new Date(now + 5000).toISOString(),
      endsAt: new Date(now + 1000).toISOString(),
    });
    expect(badDates.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'endsAt'] });
    // Times JavaScript reads but PostgreSQL cannot store (before 4713 BC) were a 500 from the INSERT.
    const ancient = await offer({ creatorHandle, ratePercent: '10', startsAt: '-271821-04-20T00:00:00Z' });
    expect(ancient.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'startsAt'] });
    const farEnd = await offer({ creatorHandle, ratePercent: '10', endsAt: '+275760-09-13T00:00:00Z' });
    expect(farEnd.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'endsAt'] });
  });

  it('tenancy: a brand sees and changes only its own program; a creator only its offers; the public nothing', async () => {
    const red = seed.products['TRS-RED-42'];
    // Another brand's product, in a rate or an offer, or quoted by another brand: NOT_FOUND.
    const foreign = await api.gql<any>(
      SET,
      { input: { target: { productId: red }, ratePercent: '5' } },
      other.brand.apiKey,
    );
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const foreignOffer = await api.gql<any>(
      OFFER,
      { input: { creatorHandle, rules: [{ target: { productId: red }, ratePercent: '5' }] } },
      other.brand.apiKey,
    );
    expect(foreignOffer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const foreignQuote = await api.gql<any>(QUOTE, { productId: red }, other.brand.apiKey);
    expect(foreignQuote.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Other Gear's program is untouched by all that.
    expect(
      (await api.gqlOk<any>('{ commissionProgram { openRatePercent } }', {}, other.brand.apiKey)).commissionProgram,
    ).toEqual({ openRatePercent: null });
    expect(
      (await api.gqlOk<any>('{ commissionProgram { openRatePercent } }', {}, seed.brand.apiKey)).commissionProgram,
    ).toEqual({ openRatePercent: '30' });

    const LIST = '{ commissionOffers(first: 50) { totalCount nodes { id creatorHandle brand { name } } } }';
    const brandOffers = (await api.gqlOk<any>(LIST, {}, seed.brand.apiKey)).commissionOffers;
    expect(brandOffers.nodes.every((o: any) => o.brand.name === 'Peak Gear')).toBe(true);
    expect((await api.gqlOk<any>(LIST, {}, other.brand.apiKey)).commissionOffers.totalCount).toBe(0);
    const mine = (await api.gqlOk<any>(LIST, {}, seed.creator.apiKey)).commissionOffers.nodes;
    expect(mine.length).toBe(4);
    expect(mine.every((o: any) => o.creatorHandle === creatorHandle)).toBe(true);
    // Another creator cannot answer this creator's offer, nor a brand withdraw another brand's.
    const notYours = await api.gql<any>(
      RESPOND,
      { input: { offerId: mine[0].id, decision: 'DECLINE' } },
      other.creator.apiKey,
    );
    expect(notYours.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const notTheirs = await api.gql<any>(
      'mutation($input: WithdrawCommissionOfferInput!) { withdrawCommissionOffer(input: $input) { userErrors { code } } }',
      { input: { offerId: mine[0].id } },
      other.brand.apiKey,
    );
    expect(notTheirs.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // The public: every operation refused, nothing shown.
    for (const [query, variables] of [
      ['{ commissionProgram { openRatePercent } }', {}],
      [LIST, {}],
      [QUOTE, { productId: red }],
      [SET, { input: { ratePercent: '5' } }],
      [OFFER, { input: { creatorHandle, ratePercent: '5' } }],
      [RESPOND, { input: { offerId: mine[0].id, decision: 'ACCEPT' } }],
    ] as const) {
      const res = await api.gql<any>(query, variables);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    // Kinds: a creator cannot set rates, a brand cannot answer offers.
    expect(
      (await api.gql<any>(SET, { input: { ratePercent: '5' } }, seed.creator.apiKey)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await api.gql<any>(RESPOND, { input: { offerId: mine[0].id, decision: 'ACCEPT' } }, seed.brand.apiKey))
        .errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
