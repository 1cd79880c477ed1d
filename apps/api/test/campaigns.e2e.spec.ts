import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AdsClock, SponsoredClickRecorder, SponsoredSearch } from '@brandshelf/ads';
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
 * Sponsored products (issue 13): campaigns on product sets, sponsored results above the organic ones in creator
 * search (auction, eligibility), clicks through /s/:token (dedupe, charge, budget), and stats by day with orders
 * attributed from conversion reports. Real pipeline, real PostgreSQL; the ads clock is moved instead of sleeping.
 */
const HEADER = 'id,title,description,link,image_link,availability,price,brand,google_product_category';
const DAY = '2026-06-15';
const at = (time: string) => new Date(`${DAY}T${time}Z`);

function csv(rows: Array<[string, string, string]>, base: string, brand: string): string {
  return (
    [
      HEADER,
      ...rows.map(([id, title, description]) =>
        [
          id,
          title,
          description,
          `https://shop.example/${id}`,
          `${base}/p.jpg`,
          'in stock',
          '80.00 USD',
          brand,
          '"Apparel & Accessories > Shoes"',
        ].join(','),
      ),
    ].join('\n') + '\n'
  );
}

const SEARCH = `query($query: String, $filter: ProductFilter, $first: Int, $after: String) {
  products(query: $query, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id title } sponsored { campaignId clickUrl } }
    nodes { id }
    pageInfo { endCursor hasNextPage }
  }
}`;
const CREATE = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    campaign { id productSetId status running dailyBudget { amount currency } maxCpc { amount currency } startsAt endsAt }
    userErrors { code message field }
  }
}`;
const STATS = `query($id: ID!, $from: String!, $to: String!) {
  campaign(id: $id) {
    stats(from: $from, to: $to) {
      day impressions clicks spend { amount currency } ctr cpc { amount } attributedOrders
      attributedRevenue { amount currency } roas
    }
  }
}`;

type Edge = {
  cursor: string;
  node: { id: string; title: string };
  sponsored: { campaignId: string; clickUrl: string } | null;
};

describe('campaigns and sponsored products (e2e)', () => {
  let api: TestApi;
  let host: ImageHost;
  let acme: { id: string; apiKey: string };
  let rival: { id: string; apiKey: string };
  let clock: AdsClock;
  let now = at('12:00:00');
  const sets: Record<string, string> = {};
  const products: Record<string, string> = {};

  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const search = async (variables: Record<string, unknown>) =>
    (
      await api.gqlOk<{ products: { edges: Edge[]; nodes: { id: string }[]; pageInfo: { endCursor: string } } }>(
        SEARCH,
        { first: 20, ...variables },
      )
    ).products;
  const sponsoredOf = async (query: string) => (await search({ query })).edges.filter((e) => e.sponsored);
  const data = async <T = any>(query: string, variables: Record<string, unknown>, key: string): Promise<T> => {
    const res = await api.gql<T>(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data as T;
  };
  const createCampaign = async (key: string, input: Record<string, unknown>) => {
    const out = await data(CREATE, { input: { startsAt: `${DAY}T00:00:00Z`, ...input } }, key);
    expect(out.createCampaign.userErrors).toEqual([]);
    return out.createCampaign.campaign as { id: string; status: string; running: boolean };
  };
  const move = async (name: string, campaignId: string, key = acme.apiKey) =>
    api.gql(
      `mutation($id: ID!) { ${name}(input: { campaignId: $id }) { campaign { status } userErrors { code } } }`,
      {
        id: campaignId,
      },
      key,
    );
  const click = (clickUrl: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${new URL(clickUrl).pathname}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'test-browser/1.0', ...headers },
    });
  const flush = async () => {
    await api.app.get(SponsoredClickRecorder).flush();
    await api.app.get(SponsoredSearch).flushImpressions();
  };
  const stats = async (id: string, from = DAY, to = DAY, key = acme.apiKey) =>
    (await api.gqlOk(STATS, { id, from, to }, key)).campaign.stats;
  const newSet = async (key: string, name: string, titleContains: string) => {
    const out = await api.gqlOk(
      'mutation($input: CreateProductSetInput!) { createProductSet(input: $input) { productSet { id } } }',
      { input: { name, rules: { condition: { attribute: 'TITLE', operator: 'CONTAINS', values: [titleContains] } } } },
      key,
    );
    return out.createProductSet.productSet.id as string;
  };
  const publish = async (key: string, rows: Array<[string, string, string]>, brand: string) => {
    const feedId = await createFeed(api, key, { name: `${brand} catalog` });
    const run = await ingest(api, key, feedId, csv(rows, host.base, brand));
    expect(run.status).toBe('SUCCEEDED');
    await api.gqlOk(
      'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } } }',
      { runId: run.id },
      key,
    );
  };

  beforeAll(async () => {
    api = await startTestApi(createApi, { ...SEED_ENV, ADS_CAMPAIGN_CACHE_MS: '0', CLICK_FLUSH_INTERVAL_MS: '600000' });
    host = await startImageHost({ '/p.jpg': await testJpeg(600, 600, { r: 10, g: 200, b: 10 }) });
    clock = api.app.get(AdsClock);
    clock.now = () => now;
    acme = await registerBrand(api, 'Acme');
    rival = await registerBrand(api, 'Rival');
    await publish(
      acme.apiKey,
      [
        ['RUN-1', 'Trail Runner Shoe', 'Grippy.'],
        ['RUN-2', 'Road Runner Shoe', 'Light.'],
        ['RUN-3', 'Runner Socks', 'Soft.'],
        ['BELT-1', 'Leather Belt', 'For the runner in you.'],
        ['MUG-1', 'Camp Mug', 'Enamel.'],
      ],
      'Acme',
    );
    await publish(rival.apiKey, [['R-1', 'Rival Runner Shoe', 'Fast.']], 'Rival');
    for (const e of (await search({ first: 100 })).edges) products[e.node.title] = e.node.id;
    sets.runners = await newSet(acme.apiKey, 'Runners', 'runner');
    sets.belts = await newSet(acme.apiKey, 'Belts', 'belt');
    sets.rival = await newSet(rival.apiKey, 'Rival runners', 'runner');
  }, 180_000);
  afterAll(async () => {
    await settleRuns(api);
    await host?.close();
    await api?.close();
  }, 120_000);

  let acmeRunners: string;
  let rivalRunners: string;

  it('creates, lists and reads campaigns; money in the ads currency, the bid at least the reserve', async () => {
    const bad = await data(
      CREATE,
      {
        input: {
          productSetId: sets.runners,
          dailyBudget: usd('10.00'),
          maxCpc: { amount: '1.00', currency: 'EUR' },
          startsAt: `${DAY}T00:00:00Z`,
        },
      },
      acme.apiKey,
    );
    expect(bad.createCampaign.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'maxCpc', 'currency'],
    });
    // What a form may offer: the one currency and the least bid createCampaign takes (the console reads it).
    const terms = await data('{ adsTerms { currency reserveCpc { amount currency } } }', {}, acme.apiKey);
    expect(terms.adsTerms).toEqual({
      currency: api.config.ads.currency,
      reserveCpc: { amount: api.config.ads.reserveCpc, currency: api.config.ads.currency },
    });
    const low = await data(
      CREATE,
      {
        input: {
          productSetId: sets.runners,
          dailyBudget: usd('10.00'),
          maxCpc: usd('0.05'),
          startsAt: `${DAY}T00:00:00Z`,
        },
      },
      acme.apiKey,
    );
    expect(low.createCampaign.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'maxCpc', 'amount'],
    });
    const backwards = await data(
      CREATE,
      {
        input: {
          productSetId: sets.runners,
          dailyBudget: usd('10.00'),
          maxCpc: usd('1.00'),
          startsAt: `${DAY}T00:00:00Z`,
          endsAt: `${DAY}T00:00:00Z`,
        },
      },
      acme.apiKey,
    );
    expect(backwards.createCampaign.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'endsAt'],
    });
    // A start JavaScript reads but PostgreSQL cannot store (before 4713 BC) was a 500 from the INSERT.
    const ancient = await data(
      CREATE,
      {
        input: {
          productSetId: sets.runners,
          dailyBudget: usd('10.00'),
          maxCpc: usd('1.00'),
          startsAt: '-271821-04-20T00:00:00Z',
        },
      },
      acme.apiKey,
    );
    expect(ancient.createCampaign.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['input', 'startsAt'],
    });
    // Another brand's set is not found.
    const foreign = await api.gql(
      CREATE,
      {
        input: {
          productSetId: sets.rival,
          dailyBudget: usd('10.00'),
          maxCpc: usd('1.00'),
          startsAt: `${DAY}T00:00:00Z`,
        },
      },
      acme.apiKey,
    );
    expect(JSON.stringify(foreign)).toContain('NOT_FOUND');

    const created = await createCampaign(acme.apiKey, {
      productSetId: sets.runners,
      dailyBudget: usd('50.00'),
      maxCpc: usd('1.00'),
    });
    expect(created).toMatchObject({ status: 'ACTIVE', running: true, productSetId: sets.runners });
    acmeRunners = created.id;
    rivalRunners = (
      await createCampaign(rival.apiKey, { productSetId: sets.rival, dailyBudget: usd('50.00'), maxCpc: usd('0.50') })
    ).id;
    const { campaigns } = await api.gqlOk(
      '{ campaigns(first: 10) { totalCount nodes { id maxCpc { amount currency formatted } } } }',
      {},
      acme.apiKey,
    );
    expect(campaigns.totalCount).toBe(1);
    // The set of a campaign stays: deleting it is a CONFLICT (it was an internal error).
    const deleted = await data(
      'mutation($id: ID!) { deleteProductSet(input: { productSetId: $id }) { userErrors { code } } }',
      { id: sets.runners },
      acme.apiKey,
    );
    expect(deleted.deleteProductSet.userErrors).toEqual([{ code: 'CONFLICT' }]);
    expect(campaigns.nodes[0]).toMatchObject({ id: acmeRunners, maxCpc: { amount: '1.00', currency: 'USD' } });
  });

  it('shows at most 2 sponsored results above the organic ones, marked, never repeating a product', async () => {
    const page = await search({ query: 'runner' });
    const sponsored = page.edges.filter((e) => e.sponsored);
    expect(sponsored).toHaveLength(2);
    // Sponsored first, then organic ones only.
    expect(page.edges.slice(0, 2).every((e) => e.sponsored)).toBe(true);
    expect(page.edges.slice(2).every((e) => e.sponsored === null)).toBe(true);
    // Acme bids more on equally relevant products: first slot; Rival second.
    expect(sponsored.map((e) => e.sponsored!.campaignId)).toEqual([acmeRunners, rivalRunners]);
    expect(sponsored[1].node.title).toBe('Rival Runner Shoe');
    // No product twice on the page; the organic list keeps every other match (nothing hidden).
    const ids = page.edges.map((e) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(page.nodes.map((n) => n.id)).toEqual(ids);
    expect(page.edges.map((e) => e.node.title).sort()).toEqual(
      ['Leather Belt', 'Rival Runner Shoe', 'Road Runner Shoe', 'Runner Socks', 'Trail Runner Shoe'].sort(),
    );
    // Without a query or a category: no sponsored results; nor on a next page.
    expect((await search({})).edges.some((e) => e.sponsored)).toBe(false);
    const first = await search({ query: 'runner', first: 2 });
    const next = await search({ query: 'runner', first: 2, after: first.pageInfo.endCursor });
    expect(next.edges.some((e) => e.sponsored)).toBe(false);
    // A category listing has them too.
    const category = await search({ filter: { category: 'Apparel & Accessories > Shoes' } });
    expect(category.edges.filter((e) => e.sponsored).length).toBeGreaterThan(0);
  });

  it('shows none for a paused, ended, not yet started or irrelevant campaign', async () => {
    // Relevance floor: the belt matches "runner" only in its description.
    const belts = await createCampaign(acme.apiKey, {
      productSetId: sets.belts,
      dailyBudget: usd('50.00'),
      maxCpc: usd('5.00'),
    });
    expect((await sponsoredOf('runner')).map((e) => e.node.title)).not.toContain('Leather Belt');
    expect((await sponsoredOf('belt')).map((e) => e.node.title)).toEqual(['Leather Belt']);
    expect((await move('endCampaign', belts.id)).data).toMatchObject({
      endCampaign: { campaign: { status: 'ENDED' } },
    });
    expect(await sponsoredOf('belt')).toEqual([]);
    // An ended campaign cannot come back.
    expect(JSON.stringify((await move('resumeCampaign', belts.id)).data)).toContain('CONFLICT');

    expect((await move('pauseCampaign', acmeRunners)).data).toMatchObject({
      pauseCampaign: { campaign: { status: 'PAUSED' } },
    });
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).toEqual([rivalRunners]);
    await move('resumeCampaign', acmeRunners);
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).toEqual([acmeRunners, rivalRunners]);

    // Dates: not started yet, then over.
    const later = await createCampaign(rival.apiKey, {
      productSetId: sets.rival,
      dailyBudget: usd('50.00'),
      maxCpc: usd('9.00'),
      startsAt: `${DAY}T18:00:00Z`,
      endsAt: `${DAY}T20:00:00Z`,
    });
    expect(later.running).toBe(false);
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).not.toContain(later.id);
    now = at('19:00:00');
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).toContain(later.id);
    now = at('21:00:00');
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).not.toContain(later.id);
    now = at('12:00:00');
  });

  it('charges a click once per visitor and campaign within 30 minutes, between the reserve and the max CPC', async () => {
    const [top] = await sponsoredOf('runner');
    expect(top.sponsored!.campaignId).toBe(acmeRunners);
    const first = await click(top.sponsored!.clickUrl, { 'x-forwarded-for': '203.0.113.7' });
    expect(first.status).toBe(302);
    const location = new URL(first.headers.get('location')!);
    expect(location.origin + location.pathname).toMatch(/^https:\/\/shop\.example\/RUN-/);
    expect(location.searchParams.get('utm_medium')).toBe('cpc');
    const clickId = location.searchParams.get('bsclid')!;
    expect(clickId).toMatch(/^[0-9A-Za-z]{20}$/);
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^bs_v=/);

    // The same visitor again (same address and agent; then with the cookie, from elsewhere): the same click.
    const again = await click(top.sponsored!.clickUrl, { 'x-forwarded-for': '203.0.113.7' });
    expect(new URL(again.headers.get('location')!).searchParams.get('bsclid')).toBe(clickId);
    const withCookie = await click(top.sponsored!.clickUrl, { cookie, 'x-forwarded-for': '198.51.100.1' });
    expect(new URL(withCookie.headers.get('location')!).searchParams.get('bsclid')).toBe(clickId);
    // A cookie we did not issue names no one: from the same address and agent it is the same click, not a new
    // visitor (each made-up cookie was one, so one machine could be charged for every click).
    for (const forged of ['bs_v=AAAAAAAAAAAAAAAAAAAA', `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await click(top.sponsored!.clickUrl, { cookie: forged, 'x-forwarded-for': '203.0.113.7' });
      expect(new URL(res.headers.get('location')!).searchParams.get('bsclid')).toBe(clickId);
      // The cookie that repeat was given names the same visitor too, from anywhere.
      const issued = res.headers.get('set-cookie')!.split(';')[0];
      const next = await click(top.sponsored!.clickUrl, { cookie: issued, 'x-forwarded-for': '192.0.2.99' });
      expect(new URL(next.headers.get('location')!).searchParams.get('bsclid')).toBe(clickId);
    }
    // HEAD (link previews) counts nothing; a forged token is a 404.
    expect(
      (await fetch(`${api.url}${new URL(top.sponsored!.clickUrl).pathname}`, { method: 'HEAD', redirect: 'manual' }))
        .status,
    ).toBe(302);
    expect((await click(top.sponsored!.clickUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(404);
    await flush();
    let [day] = await stats(acmeRunners);
    expect(day.clicks).toBe(1);
    const price = Number(day.spend.amount);
    // Second price: more than the reserve (Rival ranks below), at most the max CPC.
    expect(price).toBeGreaterThan(0.1);
    expect(price).toBeLessThanOrEqual(1);

    // 31 minutes later the same visitor counts again, once more (the database check holds after a flush too).
    now = at('12:31:00');
    const later = await click(top.sponsored!.clickUrl, { cookie });
    expect(new URL(later.headers.get('location')!).searchParams.get('bsclid')).not.toBe(clickId);
    await flush();
    [day] = await stats(acmeRunners);
    expect(day.clicks).toBe(2);
    expect(Number(day.spend.amount)).toBeCloseTo(2 * price, 2);
    now = at('12:00:00');
  });

  it('stops at the daily budget: one click over at most, then no sponsored result', async () => {
    const tight = await createCampaign(rival.apiKey, {
      productSetId: sets.rival,
      dailyBudget: usd('2.00'),
      maxCpc: usd('2.00'),
    });
    now = at('23:00:00');
    const mine = (await sponsoredOf('runner')).find((e) => e.sponsored!.campaignId === tight.id)!;
    expect(mine).toBeDefined();
    // Visitors click the shown result until the day's budget is spent: the click that crosses it is charged,
    // the ones after it are free, and the campaign leaves the auctions.
    let visitors = 0;
    let spent = 0;
    while (visitors < 30) {
      expect((await click(mine.sponsored!.clickUrl, { 'user-agent': `visitor-${visitors++}` })).status).toBe(302);
      await flush();
      spent = Number((await stats(tight.id, DAY, DAY, rival.apiKey))[0].spend.amount);
      if (spent >= 2) break;
    }
    const price = spent / visitors;
    for (let i = 0; i < 3; i++) await click(mine.sponsored!.clickUrl, { 'user-agent': `late-${i}` });
    await flush();
    const [day] = await stats(tight.id, DAY, DAY, rival.apiKey);
    expect(day.clicks).toBe(visitors + 3);
    expect(Number(day.spend.amount)).toBe(spent);
    expect(spent).toBeGreaterThanOrEqual(2);
    expect(spent).toBeLessThan(2 + price + 0.001);
    expect((await sponsoredOf('runner')).map((e) => e.sponsored!.campaignId)).not.toContain(tight.id);
    // Ended so the other tests' auctions stay as they were.
    await move('endCampaign', tight.id, rival.apiKey);
    now = at('12:00:00');
  });

  it('reports stats by day, with orders attributed from conversion reports', async () => {
    await flush();
    const [top] = await sponsoredOf('runner');
    now = at('14:00:00');
    const res = await click(top.sponsored!.clickUrl, { 'user-agent': 'buyer' });
    const clickId = new URL(res.headers.get('location')!).searchParams.get('bsclid')!;
    await flush();
    const report = async (orderId: string, orderedAt: string, productId: string, amount: string) =>
      api.gqlOk(
        `mutation($input: ReportConversionInput!) { reportConversion(input: $input) { conversion { outcome } } }`,
        {
          input: {
            orderId,
            clickId,
            orderedAt,
            currency: 'USD',
            lines: [{ productId, quantity: 1, amount: { amount, currency: 'USD' } }],
          },
        },
        acme.apiKey,
      );
    // An order of the clicked product two hours later counts; one for a product never clicked does not.
    await report('ORDER-1', `${DAY}T16:00:00Z`, top.node.id, '80.00');
    await report('ORDER-2', `${DAY}T16:30:00Z`, products['Camp Mug'], '15.00');
    // Next day, still within the 7-day window.
    await report('ORDER-3', '2026-06-16T09:00:00Z', top.node.id, '40.50');
    const rows = await stats(acmeRunners, '2026-06-14', '2026-06-16');
    expect(rows.map((r: { day: string }) => r.day)).toEqual(['2026-06-14', '2026-06-15', '2026-06-16']);
    expect(rows[0]).toMatchObject({ impressions: 0, clicks: 0, attributedOrders: 0, ctr: null, roas: null });
    const day = rows[1];
    expect(day.impressions).toBeGreaterThan(0);
    expect(day.clicks).toBe(3);
    expect(day.ctr).toBeCloseTo(3 / day.impressions, 5);
    expect(Number(day.cpc.amount)).toBeCloseTo(Number(day.spend.amount) / 3, 2);
    expect(day).toMatchObject({ attributedOrders: 1, attributedRevenue: { amount: '80.00', currency: 'USD' } });
    expect(day.roas).toBeCloseTo(80 / Number(day.spend.amount), 5);
    expect(rows[2]).toMatchObject({ attributedOrders: 1, attributedRevenue: { amount: '40.50' } });
    // Bad ranges are refused.
    const wide = await api.gql(STATS, { id: acmeRunners, from: '2026-01-01', to: '2026-12-31' }, acme.apiKey);
    expect(wide.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // Days JavaScript rolls over or takes but PostgreSQL's date refuses were a 500.
    for (const [from, to] of [
      ['2026-02-29', '2026-03-01'],
      ['2026-02-31', '2026-03-05'],
      ['0000-01-01', '0000-01-02'],
    ]) {
      const odd = await api.gql(STATS, { id: acmeRunners, from, to }, acme.apiKey);
      expect(odd.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    }
    // Each line fits in 14 digits, a day's sum of them need not: still read, exactly.
    await report('ORDER-4', '2026-06-16T10:00:00Z', top.node.id, '99999999999999.99');
    await report('ORDER-5', '2026-06-16T11:00:00Z', top.node.id, '99999999999999.99');
    const [big] = await stats(acmeRunners, '2026-06-16', '2026-06-16');
    expect(big).toMatchObject({ attributedOrders: 3, attributedRevenue: { amount: '200000000000040.48' } });
    now = at('12:00:00');
  });

  it('keeps campaigns to their brand: another brand can neither see nor pause them', async () => {
    const seen = await api.gql('query($id: ID!) { campaign(id: $id) { id } }', { id: acmeRunners }, rival.apiKey);
    expect(seen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const paused = await move('pauseCampaign', acmeRunners, rival.apiKey);
    expect(JSON.stringify(paused)).toContain('NOT_FOUND');
    const stats = await api.gql(STATS, { id: acmeRunners, from: DAY, to: DAY }, rival.apiKey);
    expect(stats.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const { campaigns } = await api.gqlOk('{ campaigns(first: 10) { nodes { id } } }', {}, rival.apiKey);
    expect(campaigns.nodes.map((n: { id: string }) => n.id)).not.toContain(acmeRunners);
    const [acmeCampaign] = (
      await api.gqlOk('query($id: ID!) { campaign(id: $id) { status } }', { id: acmeRunners }, acme.apiKey)
    ).campaign
      ? [1]
      : [];
    expect(acmeCampaign).toBe(1);
  });
});
