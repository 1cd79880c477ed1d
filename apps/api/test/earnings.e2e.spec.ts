import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  insertTestClick,
  insertTestShareLink,
  registerBrand,
  startTestApi,
  type TestApi,
} from '@brandshelf/testing';
import { rawId as rawIdOf } from '@brandshelf/testing';
import { ApprovalScheduler, EarningsClock, signConversionBody } from '@brandshelf/earnings';
import { createApi } from '../src/create-api.js';
import { fromGlobalId, toGlobalId } from '../src/graphql/global-id.js';

const DAY = 86_400_000;
const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const row = (id: string, price = '100.00 USD') =>
  [
    id,
    `Product ${id}`,
    'Made to last.',
    `https://shop.example/${id}`,
    `https://img.example/${id}.jpg`,
    'in stock',
    price,
    'Acme',
  ].join(',');

const REPORT = `mutation($input: ReportConversionInput!) {
  reportConversion(input: $input) {
    duplicate
    conversion { id orderId outcome reason creatorId attributedLines commission { amount currency } }
    userErrors { code message field }
  }
}`;
const REFUND = `mutation($input: RefundConversionInput!) {
  refundConversion(input: $input) {
    duplicate reversed { amount currency }
    conversion { outcome commission { amount currency } }
    userErrors { code message field }
  }
}`;
const EARNINGS = `query($first: Int, $after: String) {
  earnings {
    totals { currency pending { amount } approved { amount } paid { amount } reversed { amount } }
    byBrand { totalCount nodes { brandName currency pending { amount } approved { amount } paid { amount } } }
    byMonth { nodes { month currency pending { amount } reversed { amount } } }
    entries(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id kind fromStatus toStatus amount { amount currency } orderId ratePercent reason reversesId
              lineAmount { amount } refundedAmount { amount } }
    }
  }
}`;
const PAYOUT = `mutation($input: MarkAffiliatePayoutInput!) {
  markAffiliatePayout(input: $input) { payout { id amount { amount currency } lineCount } userErrors { code message } }
}`;
const REPORT_QUERY = `query { affiliateReport(first: 50) { totalCount nodes { creatorId creatorHandle productId offerId clicks orders
  amounts { revenue { amount currency } commission { amount currency } } } } }`;
const SETTINGS = `mutation($input: UpdateAffiliateSettingsInput!) {
  updateAffiliateSettings(input: $input) { settings { attributionWindowDays returnWindowDays } userErrors { code field } }
}`;
const ROTATE = `mutation { rotateConversionSecret(input: {}) { secret settings { conversionSecretPrefix } userErrors { code } } }`;

interface Creator {
  id: string;
  apiKey: string;
}

describe('creators earn: conversions, attribution and the ledger (e2e on a real database)', () => {
  let api: TestApi;
  let brandA: { id: string; apiKey: string };
  let brandB: { id: string; apiKey: string };
  let creator1: Creator;
  let creator2: Creator;
  let productA1: string;
  let productA2: string;
  let productB1: string;
  let orderSeq = 0;
  const db = () => api.runtime.dataSource;

  const registerCreator = async (handle: string): Promise<Creator> => {
    const data = await api.gqlOk<{ registerCreator: { creator: { id: string }; apiKey: string } }>(
      'mutation($input: RegisterCreatorInput!) { registerCreator(input: $input) { creator { id } apiKey } }',
      { input: { email: `${handle}@example.test`, handle } },
    );
    return { id: fromGlobalId(data.registerCreator.creator.id, 'Creator'), apiKey: data.registerCreator.apiKey };
  };

  /** The data of a call that may answer userErrors (gqlOk refuses those); errors must be empty. */
  const gqlData = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await api.gql(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data as Record<string, any>;
  };

  const publishCatalog = async (brand: { apiKey: string }, rows: string[]) => {
    const feedId = await createFeed(api, brand.apiKey, { name: 'Main' });
    const run = await ingest(api, brand.apiKey, feedId, [HEADER, ...rows].join('\n'));
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: run.id },
      brand.apiKey,
    );
    const live: { id: string; offer_id: string }[] = await db().query(
      'SELECT id, offer_id FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id',
      [rawIdOf(feedId)],
    );
    return Object.fromEntries(live.map((p) => [p.offer_id, p.id]));
  };

  /** A link of `creator` to `product` of `brand`, clicked at `clickedAt` with the snapshotted `rate`. */
  const clicked = async (
    brand: { id: string },
    creator: Creator,
    product: string,
    clickedAt: Date,
    rate: string | null = '10.00',
  ) => {
    const link = await insertTestShareLink(db(), { brandId: brand.id, creatorId: creator.id, productId: product });
    const clickId = await insertTestClick(db(), link, { clickedAt, ratePercent: rate });
    return { link, clickId };
  };

  const report = async (key: string, input: Record<string, unknown>) => {
    const res = await api.gqlOk(REPORT, { input: { currency: 'USD', ...input } }, key);
    return res.reportConversion;
  };
  const newOrder = () => `ORDER-${++orderSeq}`;
  /** A line amount in USD, the MoneyInput shape every amount takes. */
  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const earnings = async (creator: Creator, vars: Record<string, unknown> = { first: 100 }) =>
    (await api.gqlOk(EARNINGS, vars, creator.apiKey)).earnings;
  const totalsOf = async (creator: Creator, currency = 'USD') => {
    const t = (await earnings(creator)).totals.find((x: { currency: string }) => x.currency === currency);
    return t
      ? { pending: t.pending.amount, approved: t.approved.amount, paid: t.paid.amount, reversed: t.reversed.amount }
      : null;
  };

  beforeAll(async () => {
    api = await startTestApi(createApi);
    const raw = (brand: { id: string; apiKey: string }) => ({ ...brand, id: fromGlobalId(brand.id, 'Brand') });
    brandA = raw(await registerBrand(api, 'Earn Brand A'));
    brandB = raw(await registerBrand(api, 'Earn Brand B'));
    creator1 = await registerCreator('earner_one');
    creator2 = await registerCreator('earner_two');
    const a = await publishCatalog(brandA, [row('A1'), row('A2')]);
    productA1 = a.A1;
    productA2 = a.A2;
    productB1 = (await publishCatalog(brandB, [row('B1')])).B1;
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  });

  it("attributes at the window's edges: just inside earns, just outside earns nothing with the reason", async () => {
    const t0 = new Date('2026-11-01T12:00:00.000Z');
    const inside = await clicked(brandA, creator2, productA1, t0);
    const ok = await report(brandA.apiKey, {
      clickId: inside.clickId,
      orderId: newOrder(),
      orderedAt: new Date(t0.getTime() + 7 * DAY - 1000).toISOString(),
      lines: [{ productId: toGlobalId('Product', productA1), amount: usd('50.00') }],
    });
    expect(ok.conversion).toMatchObject({ outcome: 'ATTRIBUTED', attributedLines: 1, commission: { amount: '5.00' } });
    expect(ok.conversion.creatorId).toBe(toGlobalId('Creator', creator2.id));

    const outside = await clicked(brandA, creator2, productA1, t0);
    const late = await report(brandA.apiKey, {
      clickId: outside.clickId,
      orderId: newOrder(),
      orderedAt: new Date(t0.getTime() + 7 * DAY + 1000).toISOString(),
      lines: [{ offerId: 'A1', amount: usd('50.00') }],
    });
    expect(late.conversion).toMatchObject({
      outcome: 'OUTSIDE_WINDOW',
      attributedLines: 0,
      commission: { amount: '0.00' },
    });
    expect(late.conversion.reason).toMatch(/more than 7 days/);

    // A click after the order is outside too; by link code, the last click at or before the order counts.
    const before = await report(brandA.apiKey, {
      linkCode: outside.link.code,
      orderId: newOrder(),
      orderedAt: new Date(t0.getTime() - 1000).toISOString(),
      lines: [{ offerId: 'A1', amount: usd('50.00') }],
    });
    expect(before.conversion.outcome).toBe('UNKNOWN_CLICK');
    await insertTestClick(db(), outside.link, { clickedAt: new Date(t0.getTime() + 6 * DAY), ratePercent: '20.00' });
    const byLink = await report(brandA.apiKey, {
      linkCode: outside.link.code,
      orderId: newOrder(),
      orderedAt: new Date(t0.getTime() + 7 * DAY + 1000).toISOString(),
      lines: [
        { offerId: 'A1', amount: usd('50.00') },
        { offerId: 'A2', amount: usd('20.00') },
      ],
    });
    // The later click (20%) is the last one, within the window; only the linked product's line earns.
    expect(byLink.conversion).toMatchObject({
      outcome: 'ATTRIBUTED',
      attributedLines: 1,
      commission: { amount: '10.00' },
    });
  });

  it('lets the brand set the window (1–90 days) and applies it', async () => {
    const refused = await gqlData(SETTINGS, { input: { attributionWindowDays: 91 } }, brandA.apiKey);
    expect(refused.updateAffiliateSettings.userErrors).toEqual([
      { code: 'BAD_USER_INPUT', field: ['input', 'attributionWindowDays'] },
    ]);
    const zero = await gqlData(SETTINGS, { input: { attributionWindowDays: 0 } }, brandA.apiKey);
    expect(zero.updateAffiliateSettings.userErrors[0].code).toBe('BAD_USER_INPUT');
    const set = await api.gqlOk(SETTINGS, { input: { attributionWindowDays: 1 } }, brandA.apiKey);
    expect(set.updateAffiliateSettings.settings).toEqual({ attributionWindowDays: 1, returnWindowDays: 30 });
    const t0 = new Date('2026-11-10T00:00:00.000Z');
    const { clickId } = await clicked(brandA, creator2, productA1, t0);
    const out = await report(brandA.apiKey, {
      clickId,
      orderId: newOrder(),
      orderedAt: new Date(t0.getTime() + 2 * DAY).toISOString(),
      lines: [{ offerId: 'A1', amount: usd('1.00') }],
    });
    expect(out.conversion.outcome).toBe('OUTSIDE_WINDOW');
    await api.gqlOk(SETTINGS, { input: { attributionWindowDays: 7 } }, brandA.apiKey);
  });

  it('is idempotent by (brand, order id): a repeat changes nothing and says so', async () => {
    const { clickId } = await clicked(brandA, creator2, productA1, new Date(Date.now() - DAY));
    const input = {
      clickId,
      orderId: newOrder(),
      orderedAt: new Date().toISOString(),
      lines: [{ offerId: 'A1', amount: usd('80.00') }],
    };
    const first = await report(brandA.apiKey, input);
    expect(first).toMatchObject({ duplicate: false, conversion: { commission: { amount: '8.00' } } });
    const entriesBefore = (await earnings(creator2)).entries.totalCount;
    const totalsBefore = await totalsOf(creator2);
    const again = await report(brandA.apiKey, { ...input, lines: [{ offerId: 'A1', amount: usd('999.00') }] });
    expect(again).toMatchObject({
      duplicate: true,
      conversion: { id: first.conversion.id, commission: { amount: '8.00' } },
    });
    expect((await earnings(creator2)).entries.totalCount).toBe(entriesBefore);
    expect(await totalsOf(creator2)).toEqual(totalsBefore);
    // Concurrent repeats: one is recorded, the others are duplicates.
    const order = newOrder();
    const results = await Promise.all([1, 2, 3, 4].map(() => report(brandA.apiKey, { ...input, orderId: order })));
    expect(results.filter((r) => r.duplicate === false)).toHaveLength(1);
    const [{ count }] = await db().query('SELECT count(*)::int AS count FROM conversion WHERE order_id = $1', [order]);
    expect(count).toBe(1);
  });

  it('rounds commission half-even on the exact decimal, in the minor units of the order currency', async () => {
    const rounding = await registerCreator('rounding_creator');
    const cases: [string, string, string, string][] = [
      // amount, rate, currency, commission
      ['0.05', '10.00', 'USD', '0.00'], // 0.5 cent → 0 (even)
      ['0.15', '10.00', 'USD', '0.02'], // 1.5 cents → 2 (even)
      ['0.25', '10.00', 'USD', '0.02'], // 2.5 cents → 2 (even)
      ['19.99', '12.50', 'USD', '2.50'], // 249.875 cents → 250
      ['1500', '12.50', 'JPY', '188'], // 187.5 yen → 188 (even)
      ['1.234', '12.50', 'KWD', '0.154'], // 154.25 fils → 154
    ];
    for (const [amount, rate, currency, commission] of cases) {
      const { clickId } = await clicked(brandA, rounding, productA1, new Date(Date.now() - DAY), rate);
      const res = await report(brandA.apiKey, {
        clickId,
        currency,
        orderId: newOrder(),
        orderedAt: new Date().toISOString(),
        lines: [{ offerId: 'A1', amount: { amount, currency } }],
      });
      expect([amount, rate, res.conversion.commission]).toEqual([amount, rate, { amount: commission, currency }]);
    }
    const tooPrecise = await api.gql(
      REPORT,
      {
        input: {
          clickId: 'whatever',
          currency: 'USD',
          orderId: newOrder(),
          orderedAt: new Date().toISOString(),
          lines: [{ offerId: 'A1', amount: usd('1.005') }],
        },
      },
      brandA.apiKey,
    );
    expect(tooPrecise.data?.reportConversion.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'lines', '0', 'amount', 'amount'],
    });
    // A line in another currency than the order's is refused on that line's currency: amounts are never converted.
    const otherCurrency = await api.gql(
      REPORT,
      {
        input: {
          clickId: 'whatever',
          currency: 'USD',
          orderId: newOrder(),
          orderedAt: new Date().toISOString(),
          lines: [usd('1.00'), { amount: '2.00', currency: 'EUR' }].map((amount) => ({ offerId: 'A1', amount })),
        },
      },
      brandA.apiKey,
    );
    expect(otherCurrency.errors).toBeUndefined();
    expect(otherCurrency.data?.reportConversion.conversion).toBeNull();
    expect(otherCurrency.data?.reportConversion.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'lines', '1', 'amount', 'currency'],
    });
    expect(otherCurrency.data?.reportConversion.userErrors[0].message).toMatch(/EUR.*USD/);
    // The old shape (a bare decimal string) is no longer a valid GraphQL line amount.
    const oldShape = await api.gql(
      REPORT,
      {
        input: {
          clickId: 'whatever',
          currency: 'USD',
          orderId: newOrder(),
          orderedAt: new Date().toISOString(),
          lines: [{ offerId: 'A1', amount: '1.00' }],
        },
      },
      brandA.apiKey,
    );
    expect(oldShape.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("earns nothing on a self-referral or an order without the program's rate, with the reason", async () => {
    const { clickId } = await clicked(brandA, creator2, productA1, new Date(Date.now() - DAY));
    const self = await report(brandA.apiKey, {
      clickId,
      orderId: newOrder(),
      orderedAt: new Date().toISOString(),
      selfReferral: true,
      lines: [{ offerId: 'A1', amount: usd('100.00') }],
    });
    expect(self.conversion).toMatchObject({ outcome: 'SELF_REFERRAL', commission: { amount: '0.00' } });
    expect(self.conversion.reason).toMatch(/own purchase/);
    const noRate = await clicked(brandA, creator2, productA1, new Date(Date.now() - DAY), null);
    const none = await report(brandA.apiKey, {
      clickId: noRate.clickId,
      orderId: newOrder(),
      orderedAt: new Date().toISOString(),
      lines: [{ offerId: 'A1', amount: usd('100.00') }],
    });
    expect(none.conversion.outcome).toBe('NO_COMMISSION');
  });

  it('reverses partial and full refunds before approval, once per refund id', async () => {
    const refunder = await registerCreator('refund_before');
    const { clickId } = await clicked(brandA, refunder, productA1, new Date(Date.now() - DAY));
    const orderId = newOrder();
    await report(brandA.apiKey, {
      clickId,
      orderId,
      orderedAt: new Date().toISOString(),
      lines: [
        { offerId: 'A1', amount: usd('100.00') },
        { offerId: 'A1', amount: usd('0.15') },
      ],
    });
    // 10.00 + 0.02 (1.5 cents, half-even)
    expect(await totalsOf(refunder)).toEqual({ pending: '10.02', approved: '0.00', paid: '0.00', reversed: '0.00' });
    const partial = await api.gqlOk(
      REFUND,
      { input: { orderId, refundId: 'R1', reason: 'REFUND', lines: [{ offerId: 'A1', amount: usd('30.00') }] } },
      brandA.apiKey,
    );
    expect(partial.refundConversion).toMatchObject({ duplicate: false, reversed: { amount: '3.00' } });
    expect(await totalsOf(refunder)).toEqual({ pending: '7.02', approved: '0.00', paid: '0.00', reversed: '3.00' });
    // A refund line in another currency than the order's: refused on its currency, nothing reversed.
    const otherCurrency = await api.gql<any>(
      REFUND,
      {
        input: {
          orderId,
          refundId: 'R-EUR',
          reason: 'REFUND',
          lines: [{ offerId: 'A1', amount: { amount: '1.00', currency: 'EUR' } }],
        },
      },
      brandA.apiKey,
    );
    expect(otherCurrency.data.refundConversion.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'lines', '0', 'amount', 'currency'],
    });
    expect(await totalsOf(refunder)).toEqual({ pending: '7.02', approved: '0.00', paid: '0.00', reversed: '3.00' });
    const again = await api.gqlOk(
      REFUND,
      { input: { orderId, refundId: 'R1', reason: 'REFUND', lines: [{ offerId: 'A1', amount: usd('30.00') }] } },
      brandA.apiKey,
    );
    expect(again.refundConversion).toMatchObject({ duplicate: true, reversed: { amount: '0.00' } });
    expect(await totalsOf(refunder)).toEqual({ pending: '7.02', approved: '0.00', paid: '0.00', reversed: '3.00' });
    const tooMuch = await gqlData(
      REFUND,
      { input: { orderId, refundId: 'R2', reason: 'REFUND', lines: [{ offerId: 'A1', amount: usd('70.16') }] } },
      brandA.apiKey,
    );
    expect(tooMuch.refundConversion.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    const full = await api.gqlOk(REFUND, { input: { orderId, refundId: 'R3', reason: 'CANCELLATION' } }, brandA.apiKey);
    expect(full.refundConversion).toMatchObject({
      reversed: { amount: '7.02' },
      conversion: { commission: { amount: '0.00' } },
    });
    expect(await totalsOf(refunder)).toEqual({ pending: '0.00', approved: '0.00', paid: '0.00', reversed: '10.02' });
    const { entries } = await earnings(refunder);
    const reversals = entries.nodes.filter((e: { kind: string }) => e.kind === 'REVERSAL');
    const commissions = entries.nodes.filter((e: { kind: string }) => e.kind === 'COMMISSION');
    expect(reversals.map((r: { amount: { amount: string } }) => r.amount.amount).sort()).toEqual([
      '-0.02',
      '-3.00',
      '-7.00',
    ]);
    for (const r of reversals) expect(commissions.map((c: { id: string }) => c.id)).toContain(r.reversesId);
  });

  it('refuses a refund line that names no line of the order, with its position, and refunds nothing', async () => {
    const refunder = await registerCreator('refund_unknown_line');
    const { clickId } = await clicked(brandA, refunder, productA1, new Date(Date.now() - DAY));
    const orderId = newOrder();
    await report(brandA.apiKey, {
      clickId,
      orderId,
      orderedAt: new Date().toISOString(),
      lines: [
        { offerId: 'A1', amount: usd('100.00') },
        { offerId: 'A2', amount: usd('50.00') },
      ],
    });
    /** refundConversion of this order by brand A (its userErrors are read, not refused). */
    const refund = async (refundId: string, lines: Record<string, unknown>[]) =>
      (await gqlData(REFUND, { input: { orderId, refundId, reason: 'REFUND', lines } }, brandA.apiKey))
        .refundConversion;
    const before = await totalsOf(refunder);
    expect(before).toEqual({ pending: '10.00', approved: '0.00', paid: '0.00', reversed: '0.00' });
    // Before, B9 (no line of the order) was skipped in silence: the refund applied (alone, it answered reversed 0)
    // and its refundId was used up.
    const unknown = await refund('R-mixed', [
      { offerId: 'A1', amount: usd('10.00') },
      { offerId: 'B9', amount: usd('5.00') },
    ]);
    expect(unknown.userErrors).toEqual([
      {
        code: 'REFUND_LINE_NOT_IN_ORDER',
        field: ['input', 'lines', '1'],
        message: `lines.1 names offer "B9" that is not in order "${orderId}": a refund line must name a product of the order. Its lines name "A1", "A2". Nothing was refunded.`,
      },
    ]);
    // By product id too (another brand product the order never had).
    const byProduct = await refund('R-p', [{ productId: productB1, amount: usd('1.00') }]);
    expect(byProduct.userErrors[0]).toMatchObject({
      code: 'REFUND_LINE_NOT_IN_ORDER',
      field: ['input', 'lines', '0'],
    });
    expect(await totalsOf(refunder)).toEqual(before);

    // The signed REST body: a 400 with the same position and the code as `reason`.
    const secret: string = (await api.gqlOk(ROTATE, {}, brandA.apiKey)).rotateConversionSecret.secret;
    const text = JSON.stringify({
      orderId,
      refundId: 'R-mixed',
      reason: 'REFUND',
      lines: [
        { offerId: 'A2', amount: '5.00' },
        { offerId: 'B9', amount: '5.00' },
      ],
    });
    const res = await fetch(`${api.url}/conversions/refunds`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-brandshelf-brand': toGlobalId('Brand', brandA.id),
        'x-brandshelf-signature': signConversionBody(secret, text),
      },
      body: text,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'REFUND_LINE_NOT_IN_ORDER',
      field: 'lines.1',
    });
    expect(await totalsOf(refunder)).toEqual(before);

    // A line of the order that earned nothing (A2) is accepted and reverses nothing, up to what the order paid for it.
    const overUnearned = await refund('R-a2', [{ offerId: 'A2', amount: usd('50.01') }]);
    expect(overUnearned.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'lines', '0', 'amount'],
    });
    // The refund id the refused attempts named is not used up: sent again with the right lines, it applies.
    const fixed = await refund('R-mixed', [
      { offerId: 'A1', amount: usd('10.00') },
      { offerId: 'A2', amount: usd('50.00') },
    ]);
    expect(fixed.userErrors).toEqual([]);
    expect(fixed).toMatchObject({ duplicate: false, reversed: { amount: '1.00' } });
    expect(await totalsOf(refunder)).toEqual({ pending: '9.00', approved: '0.00', paid: '0.00', reversed: '1.00' });
  });

  it('approves by the scheduled job once the return window passed, then refunds, pays and reverses after approval', async () => {
    const approver = await registerCreator('approved_one');
    const scheduler = api.app.get(ApprovalScheduler);
    const clock = api.app.get(EarningsClock);
    const orderedAt = new Date('2026-10-01T10:00:00.000Z');
    const { clickId } = await clicked(brandA, approver, productA2, new Date(orderedAt.getTime() - DAY), '20.00');
    const orderId = newOrder();
    await report(brandA.apiKey, {
      clickId,
      orderId,
      orderedAt: orderedAt.toISOString(),
      lines: [{ offerId: 'A2', amount: usd('50.00') }],
    });
    try {
      clock.now = () => new Date(orderedAt.getTime() + 30 * DAY - 1000);
      await scheduler.tick();
      expect(await totalsOf(approver)).toEqual({ pending: '10.00', approved: '0.00', paid: '0.00', reversed: '0.00' });
      clock.now = () => new Date(orderedAt.getTime() + 30 * DAY);
      expect(await scheduler.tick()).toBeGreaterThanOrEqual(1);
      expect(await totalsOf(approver)).toEqual({ pending: '0.00', approved: '10.00', paid: '0.00', reversed: '0.00' });
      expect(await scheduler.tick()).toBe(0); // nothing approved twice
    } finally {
      clock.now = () => new Date();
    }
    const partial = await api.gqlOk(
      REFUND,
      { input: { orderId, refundId: 'late-1', reason: 'REFUND', lines: [{ offerId: 'A2', amount: usd('12.50') }] } },
      brandA.apiKey,
    );
    expect(partial.refundConversion.reversed.amount).toBe('2.50');
    expect(await totalsOf(approver)).toEqual({ pending: '0.00', approved: '7.50', paid: '0.00', reversed: '2.50' });

    const payout = await api.gqlOk(
      PAYOUT,
      { input: { creatorId: toGlobalId('Creator', approver.id), currency: 'USD' } },
      brandA.apiKey,
    );
    expect(payout.markAffiliatePayout.payout).toMatchObject({ amount: { amount: '7.50' }, lineCount: 1 });
    expect(await totalsOf(approver)).toEqual({ pending: '0.00', approved: '0.00', paid: '7.50', reversed: '2.50' });

    const full = await api.gqlOk(REFUND, { input: { orderId, refundId: 'late-2', reason: 'REFUND' } }, brandA.apiKey);
    expect(full.refundConversion.reversed.amount).toBe('7.50');
    expect(await totalsOf(approver)).toEqual({ pending: '0.00', approved: '0.00', paid: '0.00', reversed: '10.00' });
    const kinds = (await earnings(approver)).entries.nodes.map(
      (e: { kind: string; fromStatus: string | null; toStatus: string }) => `${e.kind}:${e.fromStatus}→${e.toStatus}`,
    );
    expect(kinds).toEqual([
      'REVERSAL:PAID→REVERSED',
      'PAYOUT:APPROVED→PAID',
      'REVERSAL:APPROVED→REVERSED',
      'APPROVAL:PENDING→APPROVED',
      'COMMISSION:null→PENDING',
    ]);
    const month = (await earnings(approver)).byMonth.nodes;
    expect(month).toEqual([
      { month: '2026-10', currency: 'USD', pending: { amount: '0.00' }, reversed: { amount: '10.00' } },
    ]);
  });

  it('reverses a whole approved (unpaid) order on cancellation', async () => {
    const creator = await registerCreator('approved_two');
    const orderedAt = new Date(Date.now() - 31 * DAY);
    const { clickId } = await clicked(brandA, creator, productA1, new Date(orderedAt.getTime() - DAY), '15.00');
    const orderId = newOrder();
    await report(brandA.apiKey, {
      clickId,
      orderId,
      orderedAt: orderedAt.toISOString(),
      lines: [{ offerId: 'A1', amount: usd('33.33') }],
    });
    // The wall clock: ordered 31 days ago, past the 30-day return window. 15% of 33.33 = 4.9995 → 5.00.
    await api.app.get(ApprovalScheduler).tick();
    expect(await totalsOf(creator)).toEqual({ pending: '0.00', approved: '5.00', paid: '0.00', reversed: '0.00' });
    const cancelled = await api.gqlOk(
      REFUND,
      { input: { orderId, refundId: 'cancel', reason: 'CANCELLATION', note: 'customer cancelled' } },
      brandA.apiKey,
    );
    expect(cancelled.refundConversion.reversed.amount).toBe('5.00');
    expect(await totalsOf(creator)).toEqual({ pending: '0.00', approved: '0.00', paid: '0.00', reversed: '5.00' });
    const [latest] = (await earnings(creator)).entries.nodes;
    expect(latest).toMatchObject({
      kind: 'REVERSAL',
      fromStatus: 'APPROVED',
      toStatus: 'REVERSED',
      reason: 'CANCELLATION',
      amount: { amount: '-5.00' },
      refundedAmount: { amount: '33.33' },
    });
  });

  it('accepts signed POST /conversions and refuses missing, wrong and re-serialized signatures', async () => {
    const rotated = await api.gqlOk(ROTATE, {}, brandA.apiKey);
    const secret: string = rotated.rotateConversionSecret.secret;
    expect(secret).toMatch(/^bscs_/);
    expect(rotated.rotateConversionSecret.settings.conversionSecretPrefix).toBe(secret.slice(0, 9));
    const { clickId } = await clicked(brandA, creator2, productA1, new Date(Date.now() - DAY));
    const payload = {
      clickId,
      orderId: newOrder(),
      currency: 'USD',
      orderedAt: new Date().toISOString(),
      lines: [{ offerId: 'A1', quantity: 2, amount: usd('40.00') }],
    };
    const body = JSON.stringify(payload);
    const post = (data: string, headers: Record<string, string>, path = '/conversions') =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: data,
      });
    const brandHeader = { 'x-brandshelf-brand': toGlobalId('Brand', brandA.id) };

    const missing = await post(body, brandHeader);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SIGNATURE_MISSING' });

    const wrong = await post(body, {
      ...brandHeader,
      'x-brandshelf-signature': signConversionBody('not-the-secret', body),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ reason: 'SIGNATURE_MISMATCH' });

    // Signed over the compact JSON, sent pretty-printed: the same object, other bytes.
    const reserialized = await post(JSON.stringify(payload, null, 2), {
      ...brandHeader,
      'x-brandshelf-signature': signConversionBody(secret, body),
    });
    expect(reserialized.status).toBe(401);
    expect(await reserialized.json()).toMatchObject({ reason: 'SIGNATURE_MISMATCH' });

    const otherBrand = await post(body, {
      'x-brandshelf-brand': brandB.id,
      'x-brandshelf-signature': signConversionBody(secret, body),
    });
    expect(otherBrand.status).toBe(401);

    const good = await post(body, { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, body) });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      duplicate: false,
      conversion: { outcome: 'ATTRIBUTED', commission: { amount: '4.00', currency: 'USD' } },
    });
    const repeat = await post(body, { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, body) });
    expect(await repeat.json()).toMatchObject({ duplicate: true });

    // The signed body shares the GraphQL parser: a line in another currency is a 400 naming it ...
    const signed = (value: object, path = '/conversions') => {
      const text = JSON.stringify(value);
      return post(text, { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, text) }, path);
    };
    const eur = await signed({
      ...payload,
      orderId: newOrder(),
      lines: [
        { offerId: 'A1', amount: usd('1.00') },
        { offerId: 'A1', amount: { amount: '1.00', currency: 'EUR' } },
      ],
    });
    expect(eur.status).toBe(400);
    expect(await eur.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.1.amount.currency' });
    // ... and the older bare decimal string is still read there, in the order's currency (a string is unambiguous
    // in JSON; servers that sign their bodies are slow to change).
    const older = await signed({ ...payload, orderId: newOrder(), lines: [{ offerId: 'A1', amount: '40.00' }] });
    expect(older.status).toBe(200);
    expect(await older.json()).toMatchObject({ conversion: { commission: { amount: '4.00', currency: 'USD' } } });
    const notMoney = await signed({ ...payload, orderId: newOrder(), lines: [{ offerId: 'A1', amount: 40 }] });
    expect([notMoney.status, ((await notMoney.json()) as { field?: string }).field]).toEqual([400, 'lines.0.amount']);

    const refundBody = JSON.stringify({ orderId: payload.orderId, refundId: 'web-1', reason: 'REFUND' });
    const refunded = await post(
      refundBody,
      { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, refundBody) },
      '/conversions/refunds',
    );
    expect(refunded.status).toBe(200);
    expect(await refunded.json()).toMatchObject({ duplicate: false, reversed: { amount: '4.00' } });

    const huge = 'x'.repeat(300 * 1024);
    const tooLarge = await post(huge, { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, huge) });
    expect(tooLarge.status).toBe(413);

    // After a rotation the old secret no longer verifies.
    await api.gqlOk(ROTATE, {}, brandA.apiKey);
    const stale = await post(body, { ...brandHeader, 'x-brandshelf-signature': signConversionBody(secret, body) });
    expect(stale.status).toBe(401);
  });

  it('answers hostile signed bodies with a coded 400, never a 500, and books nothing', async () => {
    const secret: string = (await api.gqlOk(ROTATE, {}, brandA.apiKey)).rotateConversionSecret.secret;
    const { clickId } = await clicked(brandA, creator2, productA1, new Date(Date.now() - DAY));
    const signed = async (value: object, path = '/conversions') => {
      const text = JSON.stringify(value);
      const res = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-brandshelf-brand': toGlobalId('Brand', brandA.id),
          'x-brandshelf-signature': signConversionBody(secret, text),
        },
        body: text,
      });
      return { status: res.status, json: (await res.json()) as { code?: string; field?: string } };
    };
    const orderId = newOrder();
    const payload = {
      clickId,
      orderId,
      currency: 'USD',
      orderedAt: new Date().toISOString(),
      lines: [{ offerId: 'A1', amount: '40.00' }],
    };
    const before = await totalsOf(creator2);
    const conversionsBefore = await db().query('SELECT count(*)::int AS n FROM conversion');

    // NUL in any string (PostgreSQL refuses it in text): named, before anything is written.
    expect(await signed({ ...payload, orderId: 'A\u0000B' })).toEqual({
      status: 400,
      json: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'orderId' }),
    });
    const nulOffer = await signed({ ...payload, lines: [{ offerId: 'A1\u0000', amount: '1.00' }] });
    expect([nulOffer.status, nulOffer.json.code, nulOffer.json.field]).toEqual([
      400,
      'BAD_USER_INPUT',
      'lines.0.offerId',
    ]);

    // A time JavaScript reads but PostgreSQL cannot store, on the signed body and on the mutation.
    for (const orderedAt of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z']) {
      const far = await signed({ ...payload, orderedAt });
      expect([far.status, far.json.code, far.json.field]).toEqual([400, 'BAD_USER_INPUT', 'orderedAt']);
    }
    const viaKey = await api.gql(
      REPORT,
      { input: { ...payload, orderedAt: '-271821-04-20T00:00:00Z', lines: [{ offerId: 'A1', amount: usd('1.00') }] } },
      brandA.apiKey,
    );
    expect(viaKey.errors).toBeUndefined();
    expect((viaKey.data as any).reportConversion.userErrors).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'orderedAt'] }),
    ]);

    // Amounts that each fit but whose commission passes PostgreSQL's bigint (CLF has 4 decimals).
    const huge = await signed({
      ...payload,
      currency: 'CLF',
      lines: Array.from({ length: 500 }, () => ({ offerId: 'A1', amount: '99999999999999.9999' })),
    });
    expect([huge.status, huge.json.code, huge.json.field]).toEqual([400, 'BAD_USER_INPUT', 'lines']);

    // A real order, then refunds whose lines are not a list, or carry NUL.
    expect((await signed(payload)).status).toBe(200);
    const afterOrder = await totalsOf(creator2);
    for (const lines of ['all', { 0: { offerId: 'A1', amount: '1.00' } }, 5]) {
      const bad = await signed({ orderId, refundId: 'R-bad', reason: 'REFUND', lines }, '/conversions/refunds');
      expect([bad.status, bad.json.code, bad.json.field]).toEqual([400, 'BAD_USER_INPUT', 'lines']);
    }
    const nulRefund = await signed({ orderId, refundId: 'R\u0000', reason: 'REFUND' }, '/conversions/refunds');
    expect([nulRefund.status, nulRefund.json.field]).toEqual([400, 'refundId']);
    const nulNote = await signed(
      { orderId, refundId: 'R-2', reason: 'REFUND', note: 'x\u0000' },
      '/conversions/refunds',
    );
    expect([nulNote.status, nulNote.json.field]).toEqual([400, 'note']);
    // None of them reversed anything; only the one good order was booked.
    expect(await totalsOf(creator2)).toEqual(afterOrder);
    expect(afterOrder!.pending).not.toBe(before?.pending);
    expect(await db().query('SELECT count(*)::int AS n FROM conversion')).toEqual([{ n: conversionsBefore[0].n + 1 }]);

    // ?status given twice reaches the CSV endpoint as an array.
    const twice = await fetch(`${api.url}/affiliate/payouts.csv?status=PAID&status=APPROVED`, {
      headers: { authorization: `Bearer ${brandA.apiKey}` },
    });
    expect([twice.status, ((await twice.json()) as { code: string }).code]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('shows each brand its own report and payouts CSV, with formula-safe cells', async () => {
    const hostile = await registerCreator('csv_creator');
    await db().query(`UPDATE creator SET handle = '=HYPERLINK("x")' WHERE id = $1`, [rawIdOf(hostile.id)]);
    const orderedAt = new Date(Date.now() - 40 * DAY);
    const { clickId } = await clicked(brandA, hostile, productA1, new Date(orderedAt.getTime() - DAY));
    await report(brandA.apiKey, {
      clickId,
      orderId: newOrder(),
      orderedAt: orderedAt.toISOString(),
      lines: [{ offerId: 'A1', amount: usd('25.00') }],
    });
    await api.app.get(ApprovalScheduler).tick();
    const csv = async (key: string | undefined, status = 'APPROVED') => {
      const res = await fetch(`${api.url}/affiliate/payouts.csv?status=${status}`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      return { status: res.status, text: await res.text() };
    };
    const a = await csv(brandA.apiKey);
    expect(a.status).toBe(200);
    const lines = a.text.trim().split('\n');
    expect(lines[0]).toBe('creator_id,creator_handle,currency,amount');
    expect(lines).toContain(`${toGlobalId('Creator', hostile.id)},"'=HYPERLINK(""x"")",USD,2.50`);
    const b = await csv(brandB.apiKey);
    expect(b.text.trim()).toBe('creator_id,creator_handle,currency,amount');
    expect((await csv(undefined)).status).toBe(401);
    expect((await csv(creator1.apiKey)).status).toBe(403);
    expect((await csv(brandA.apiKey, 'BOGUS')).status).toBe(400);

    const reportA = (await api.gqlOk(REPORT_QUERY, {}, brandA.apiKey)).affiliateReport;
    const mine = reportA.nodes.find((n: { creatorId: string }) => n.creatorId === toGlobalId('Creator', hostile.id));
    expect(mine).toMatchObject({
      productId: toGlobalId('Product', productA1),
      offerId: 'A1',
      clicks: 1,
      orders: 1,
      amounts: [{ revenue: { amount: '25.00', currency: 'USD' }, commission: { amount: '2.50', currency: 'USD' } }],
    });
    const reportB = (await api.gqlOk(REPORT_QUERY, {}, brandB.apiKey)).affiliateReport;
    expect(reportB).toEqual({ totalCount: 0, nodes: [] });
  });

  it('keeps earnings invisible to the public, to other brands and to other creators on every operation', async () => {
    const { clickId } = await clicked(brandA, creator1, productA1, new Date(Date.now() - DAY));
    const orderId = newOrder();
    await report(brandA.apiKey, {
      clickId,
      orderId,
      orderedAt: new Date().toISOString(),
      lines: [{ offerId: 'A1', amount: usd('10.00') }],
    });
    const ops: [string, Record<string, unknown>][] = [
      [EARNINGS, {}],
      ['query { affiliateSettings { attributionWindowDays } }', {}],
      [REPORT_QUERY, {}],
      [SETTINGS, { input: { attributionWindowDays: 3 } }],
      [ROTATE, {}],
      [
        REPORT,
        {
          input: {
            clickId,
            orderId: 'X',
            currency: 'USD',
            orderedAt: new Date().toISOString(),
            lines: [{ offerId: 'A1', amount: usd('1') }],
          },
        },
      ],
      [REFUND, { input: { orderId, refundId: 'x', reason: 'REFUND' } }],
      [PAYOUT, { input: { creatorId: creator1.id, currency: 'USD' } }],
    ];
    for (const [query, variables] of ops) {
      const anonymous = await api.gql(query, variables);
      expect([query.slice(0, 40), anonymous.errors?.[0]?.extensions?.code]).toEqual([
        query.slice(0, 40),
        'UNAUTHENTICATED',
      ]);
      // Brand operations refuse creators, the creator's earnings refuse brands.
      const wrongKind = await api.gql(query, variables, query === EARNINGS ? brandA.apiKey : creator1.apiKey);
      expect([query.slice(0, 40), wrongKind.errors?.[0]?.extensions?.code]).toEqual([query.slice(0, 40), 'FORBIDDEN']);
    }
    // Another brand: cannot refund A's order, attribute A's click, pay A's creator, or see A's report rows.
    const refundB = await api.gql(REFUND, { input: { orderId, refundId: 'b', reason: 'REFUND' } }, brandB.apiKey);
    expect(refundB.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const stolen = await report(brandB.apiKey, {
      clickId,
      orderId,
      orderedAt: new Date().toISOString(),
      lines: [{ productId: productB1, amount: usd('10.00') }],
    });
    expect(stolen.conversion).toMatchObject({ outcome: 'UNKNOWN_CLICK', creatorId: null });
    const before = await totalsOf(creator1);
    const payB = await api.gqlOk(PAYOUT, { input: { creatorId: creator1.id, currency: 'USD' } }, brandB.apiKey);
    expect(payB.markAffiliatePayout.payout).toMatchObject({ amount: { amount: '0.00' }, lineCount: 0 });
    expect(await totalsOf(creator1)).toEqual(before);
    // Another creator sees only its own.
    const other = await earnings(await registerCreator('nobody_here'));
    expect(other.totals).toEqual([]);
    expect(other.entries.totalCount).toBe(0);
    const own = await earnings(creator1);
    expect(own.byBrand.nodes.map((n: { brandName: string }) => n.brandName)).toEqual(['Earn Brand A']);
    // Secrets are never readable: the settings answer a prefix only.
    const settings = await api.gqlOk('query { affiliateSettings { conversionSecretPrefix } }', {}, brandA.apiKey);
    expect(settings.affiliateSettings.conversionSecretPrefix).toHaveLength(9);
  });

  it('pages the ledger, keeps it append-only, and keeps the rollup equal to the ledger', async () => {
    const first = await earnings(creator2, { first: 2 });
    expect(first.entries.nodes).toHaveLength(2);
    expect(first.entries.pageInfo.hasNextPage).toBe(true);
    const next = await earnings(creator2, { first: 2, after: first.entries.pageInfo.endCursor });
    expect(next.entries.nodes[0].id).not.toBe(first.entries.nodes[1].id);
    const all = await earnings(creator2, { first: 100 });
    expect(all.entries.totalCount).toBe(all.entries.nodes.length);
    expect(all.entries.nodes.slice(2, 4).map((n: { id: string }) => n.id)).toEqual(
      next.entries.nodes.map((n: { id: string }) => n.id),
    );

    await expect(db().query('UPDATE ledger_entry SET amount_minor = amount_minor + 1')).rejects.toThrow(/append-only/);

    const fromLedger: { key: string; amount: string }[] = await db().query(`
      SELECT concat_ws('/', creator_id, brand_id, currency, earned_month, status) AS key, sum(amount)::text AS amount FROM (
        SELECT creator_id, brand_id, currency, earned_month, to_status AS status, abs(amount_minor) AS amount FROM ledger_entry
        UNION ALL
        SELECT creator_id, brand_id, currency, earned_month, from_status, -abs(amount_minor) FROM ledger_entry
         WHERE from_status IS NOT NULL) m
      GROUP BY 1 HAVING sum(amount) <> 0 ORDER BY 1`);
    const rollup: { key: string; amount: string }[] = await db().query(`
      SELECT concat_ws('/', creator_id, brand_id, currency, month, status) AS key, amount_minor::text AS amount
        FROM earnings_rollup WHERE amount_minor <> 0 ORDER BY 1`);
    expect(rollup).toEqual(fromLedger);
    const lines: { bad: number }[] = await db().query(`
      SELECT count(*)::int AS bad FROM commission_line
       WHERE pending_minor + approved_minor + paid_minor + reversed_minor <> commission_minor`);
    expect(lines[0].bad).toBe(0);
  });
});
