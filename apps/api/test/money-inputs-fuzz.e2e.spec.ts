import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  createFeed,
  ingest,
  insertTestClick,
  insertTestShareLink,
  rawId,
  registerBrand,
  startTestApi,
  type TestApi,
  fuzzOptions,
} from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';
import { fromGlobalId, toGlobalId } from '../src/graphql/global-id.js';

/**
 * Money a brand's systems send, fuzzed against the real API and database: conversions (order ids, currencies,
 * lines with any amount, quantity, offer or product, any order time, a real or made-up click), commission rates
 * and campaign budgets. Every answer is a result or a userError / BAD_USER_INPUT naming the field: never an internal
 * error. A recorded conversion's commission is a non-negative decimal in the order's currency, and reporting the
 * same order again is a duplicate that changes nothing. FUZZ_RUNS scales the runs, FUZZ_SEED replays one.
 */

const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const FEED = [
  HEADER,
  'M1,Trail Shoe,Light.,https://shop.example/m1,https://img.example/m1.jpg,in stock,100.00 USD,Acme',
  'M2,Rain Jacket,Dry.,https://shop.example/m2,https://img.example/m2.jpg,in stock,59.99 USD,Acme',
].join('\n');

const REPORT = `mutation($input: ReportConversionInput!) {
  reportConversion(input: $input) {
    duplicate
    conversion { id orderId outcome commission { amount currency } }
    userErrors { code message field }
  }
}`;
const RATE = `mutation($input: SetCommissionRateInput!) {
  setCommissionRate(input: $input) { userErrors { code message field } }
}`;
const CAMPAIGN = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id } userErrors { code message field } }
}`;

const amount = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('50.00', '0', '0.01', '19.99', '100', '1234567.89', '5') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom('-1', '1e3', '0.001', '12,50', ' 5 ', 'NaN', 'Infinity', '99999999999999999999', '', '٣'),
      fc.double({ noNaN: true, min: -1e6, max: 1e12 }).map(String),
      fc.string({ maxLength: 8 }),
    ),
  },
);
const currency = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('USD', 'EUR', 'JPY') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('usd', 'XXX', '', '€', 'US'), fc.string({ maxLength: 4 })) },
);
const when = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -40, max: 2 }).map((days) => new Date(Date.now() + days * 86_400_000)) },
  { weight: 1, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }) },
);

const isInternal = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).some((error) => error.extensions?.code !== 'BAD_USER_INPUT');

describe('money inputs from brands (fuzzed, e2e)', () => {
  let api: TestApi;
  let brand: { id: string; apiKey: string };
  const products: string[] = [];
  const clickIds: string[] = [];
  const linkCodes: string[] = [];
  let productSetId: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    brand = await registerBrand(api, 'Money Fuzz');
    const feedId = await createFeed(api, brand.apiKey, { name: 'Main' });
    const run = await ingest(api, brand.apiKey, feedId, FEED);
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: run.id },
      brand.apiKey,
    );
    const live: { id: string }[] = await api.runtime.dataSource.query(
      'SELECT id FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id',
      [rawId(feedId)],
    );
    products.push(...live.map((p) => p.id));
    const creator = await api.gqlOk<{ registerCreator: { creator: { id: string } } }>(
      'mutation($input: RegisterCreatorInput!) { registerCreator(input: $input) { creator { id } apiKey } }',
      { input: { email: 'money-fuzz@example.test', handle: 'moneyfuzz' } },
    );
    const creatorId = fromGlobalId(creator.registerCreator.creator.id, 'Creator');
    for (const productId of products) {
      const link = await insertTestShareLink(api.runtime.dataSource, {
        brandId: rawId(brand.id),
        creatorId,
        productId,
      });
      linkCodes.push(link.code);
      clickIds.push(
        await insertTestClick(api.runtime.dataSource, link, {
          clickedAt: new Date(Date.now() - 86_400_000),
          ratePercent: '10.00',
        }),
      );
    }
    const set = await api.gqlOk<{ createProductSet: { productSet: { id: string } } }>(
      `mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } userErrors { code } } }`,
      { input: { name: 'All', rules: { condition: { attribute: 'BRAND', operator: 'IS', values: ['Acme'] } } } },
      brand.apiKey,
    );
    productSetId = set.createProductSet.productSet.id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('reportConversion records, refuses with a field, or says duplicate; never an internal error', async () => {
    let recorded = 0;
    let order = 0;
    const item = fc.oneof(
      { weight: 3, arbitrary: fc.record({ offerId: fc.constantFrom('M1', 'M2') }) },
      {
        weight: 3,
        arbitrary: fc.record({ productId: fc.constantFrom(...products).map((id) => toGlobalId('Product', id)) }),
      },
      { weight: 1, arbitrary: fc.record({ offerId: fc.string({ maxLength: 6 }) }) },
      {
        weight: 1,
        arbitrary: fc.record(
          { offerId: fc.string({ maxLength: 6 }), productId: fc.string({ maxLength: 10 }) },
          { requiredKeys: [] },
        ),
      },
    );
    const line = fc
      .tuple(
        item,
        amount,
        fc.option(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: -3, max: 2_000_000_000 })), {
          nil: undefined,
        }),
      )
      .map(([which, a, quantity]) => ({ ...which, amount: a, ...(quantity === undefined ? {} : { quantity }) }));
    const attribution = fc.oneof(
      { weight: 3, arbitrary: fc.record({ clickId: fc.constantFrom(...clickIds) }) },
      { weight: 3, arbitrary: fc.record({ linkCode: fc.constantFrom(...linkCodes) }) },
      {
        weight: 1,
        arbitrary: fc.record(
          { clickId: fc.string({ maxLength: 12 }), linkCode: fc.string({ maxLength: 8 }) },
          { requiredKeys: [] },
        ),
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(
            fc.record(
              {
                orderId: fc.oneof(
                  { weight: 4, arbitrary: fc.constant(null).map(() => `ORDER-${++order}`) },
                  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 12 }) },
                ),
                currency,
                lines: fc.array(line, { minLength: 0, maxLength: 4 }),
                orderedAt: when.map((d) => d.toISOString()),
                selfReferral: fc.boolean(),
              },
              { requiredKeys: ['orderId', 'currency', 'lines', 'orderedAt'] },
            ),
            attribution,
          )
          // Each line's amount in the order's currency (MoneyInput); earnings e2e checks a currency that differs.
          .map(([order, via]) => ({
            ...order,
            lines: order.lines.map((l) => ({ ...l, amount: { amount: l.amount, currency: order.currency } })),
            ...via,
          })),
        async (input) => {
          const res = await api.gql<any>(REPORT, { input }, brand.apiKey);
          expect(isInternal(res)).toBe(false);
          if (res.errors?.length) return;
          const { conversion, userErrors, duplicate } = res.data.reportConversion;
          if (!conversion) {
            expect(userErrors.length).toBeGreaterThan(0);
            return;
          }
          if (duplicate) return;
          recorded++;
          if (conversion.commission) {
            expect(conversion.commission.amount).toMatch(/^\d+(\.\d+)?$/);
            expect(conversion.commission.currency).toBe(input.currency.toUpperCase());
          }
          // The same order again changes nothing.
          const again = await api.gql<any>(REPORT, { input }, brand.apiKey);
          expect(isInternal(again)).toBe(false);
          expect(again.data?.reportConversion.duplicate).toBe(true);
          expect(again.data?.reportConversion.conversion.id).toBe(conversion.id);
        },
      ),
      fuzzOptions(60),
    );
    if (process.env.FUZZ_LOG) console.log('recorded', recorded);
    expect(recorded).toBeGreaterThan(0);
  });

  it('setCommissionRate and createCampaign take any rate, budget and dates, or say which field is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(amount, fc.constant(null)),
        fc.oneof(
          fc.constant(null),
          fc.record({ productId: fc.constantFrom(...products).map((id) => toGlobalId('Product', id)) }),
          fc.record({ categoryId: fc.integer({ min: -5, max: 600_000 }) }),
          fc.record({ itemGroupId: fc.string({ maxLength: 10 }) }),
        ),
        fc.record({ amount, currency }),
        fc.record({ amount, currency }),
        when,
        fc.option(when, { nil: null }),
        async (ratePercent, target, dailyBudget, maxCpc, startsAt, endsAt) => {
          const rate = await api.gql<any>(RATE, { input: { ratePercent, target } }, brand.apiKey);
          expect(isInternal(rate)).toBe(false);
          const campaign = await api.gql<any>(
            CAMPAIGN,
            {
              input: {
                productSetId,
                dailyBudget,
                maxCpc,
                startsAt: startsAt.toISOString(),
                endsAt: endsAt?.toISOString() ?? null,
              },
            },
            brand.apiKey,
          );
          expect(isInternal(campaign)).toBe(false);
          const payload = campaign.data?.createCampaign;
          if (payload && !payload.campaign) expect(payload.userErrors.length).toBeGreaterThan(0);
        },
      ),
      fuzzOptions(60),
    );
  });
});
