import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { AffiliateClock, ClickRecorder, LINK_LOOKUPS_IN_FLIGHT, LinkCache } from '@brandshelf/affiliate';
import { SEED_ENV, seedCatalog, startTestApi, type SeededCatalog, type TestApi } from '@brandshelf/testing';
import { rawId as rawIdOf } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Share links and clicks (issue 12): the redirect with the brand's attribution parameters merged in, a product that
 * left the catalog, clicks buffered and deduped (30 minutes, on an injected clock), the rate snapshotted at click
 * time, the showcase, who sees which links, and clicks written at graceful shutdown.
 */
describe('share links and clicks', () => {
  let api: TestApi;
  let seed: SeededCatalog;
  let other: SeededCatalog;
  let closed = false;
  let now = Date.parse('2030-06-01T12:00:00Z');
  const tick = (ms = 1000) => (now += ms);

  const CREATE = `mutation($input: CreateShareLinkInput!) {
    createShareLink(input: $input) { shareLink { id code url channel productId product { title } } userErrors { code field } } }`;
  const create = async (productId: string, key = seed.creator.apiKey, channel: string | null = 'TIKTOK') =>
    (await api.gqlOk<any>(CREATE, { input: { productId, channel } }, key)).createShareLink.shareLink;
  const follow = (code: string, userAgent = 'agent-1', method = 'GET') =>
    fetch(`${api.url}/l/${code}`, { method, redirect: 'manual', headers: { 'user-agent': userAgent } });
  const recorder = () => api.app.get(ClickRecorder);
  const clicks = (linkCode: string) =>
    api.runtime.dataSource.query(
      `SELECT c.click_id, c.visitor_hash, c.rate_percent::text AS rate, c.commission_rule, c.clicked_at, c.brand_id,
              c.creator_id, c.product_id
       FROM affiliate_click c JOIN share_link l ON l.id = c.share_link_id WHERE l.code = $1 ORDER BY c.clicked_at`,
      [linkCode],
    );

  beforeAll(async () => {
    // No timed flush: each test writes the buffer when it means to, and the last one leaves it to the shutdown.
    api = await startTestApi(createApi, { ...SEED_ENV, CLICK_FLUSH_INTERVAL_MS: '600000' });
    seed = await seedCatalog(api, 'Link Gear');
    other = await seedCatalog(api, 'Other Links');
    api.app.get(AffiliateClock).now = () => new Date(now);
  }, 180_000);

  afterAll(async () => {
    if (!closed) {
      await seed?.close();
      await other?.close();
    }
    if (!api) return;
    if (!closed) await api.close();
    else {
      await api.runtime.close();
      await api.database.drop();
      await rm(api.dataDir, { recursive: true, force: true });
    }
  });

  it('makes a short unguessable code and redirects with the click id and utm merged into the query', async () => {
    const red = seed.products['TRS-RED-42'];
    // The brand's link already has a query: it is kept, ours are set beside it (utm_source replaced).
    await api.runtime.dataSource.query(`UPDATE catalog_product SET link = $2 WHERE id = $1`, [
      rawIdOf(red),
      'https://shop.example/trail-runner-red?color=red&utm_source=feed#reviews',
    ]);
    await api.app.get(LinkCache).poll();
    const link = await create(red);
    expect(link.code).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(link.url).toBe(`${api.url}/l/${link.code}`);
    expect(link.product.title).toBe('Trail Runner Shoe');
    const codes = new Set([link.code]);
    for (let i = 0; i < 5; i++) codes.add((await create(red)).code);
    expect(codes.size).toBe(6);

    const res = await follow(link.code);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example/trail-runner-red');
    expect(location.hash).toBe('#reviews');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      color: 'red',
      utm_source: 'tiktok',
      utm_medium: 'affiliate',
      utm_campaign: expect.stringMatching(/^creator/),
      utm_content: link.code,
      bsclid: expect.stringMatching(/^[0-9A-Za-z]{20}$/),
    });
    // Not written on the redirect's path: buffered until the flush.
    expect(await clicks(link.code)).toHaveLength(0);
    await recorder().flush();
    const [click] = await clicks(link.code);
    expect(click).toMatchObject({
      click_id: location.searchParams.get('bsclid'),
      brand_id: rawIdOf(seed.brand.id),
      creator_id: rawIdOf(seed.creator.id),
      product_id: rawIdOf(red),
    });
    // A keyed hash of address and user agent, never the address itself.
    expect(click.visitor_hash).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(click.visitor_hash).not.toContain('127.0.0.1');
  });

  it('counts one click per visitor and link within 30 minutes, in the buffer and against written rows', async () => {
    const link = await create(seed.products['TRS-BLUE-43']);
    const id = async (agent: string) =>
      new URL((await follow(link.code, agent)).headers.get('location')!).searchParams.get('bsclid');
    const first = await id('visitor-a');
    tick(60_000);
    expect(await id('visitor-a')).toBe(first); // repeat, still buffered
    await recorder().flush();
    tick(30 * 60_000 - 60_001);
    expect(await id('visitor-a')).toBe(first); // just inside 30 minutes, already written
    const other = await id('visitor-b');
    expect(other).not.toBe(first);
    tick(1);
    const later = await id('visitor-a'); // 30 minutes after the first click: a new click
    expect(later).not.toBe(first);
    // HEAD (link previews) counts nothing.
    expect((await follow(link.code, 'visitor-c', 'HEAD')).status).toBe(302);
    await recorder().flush();
    expect((await clicks(link.code)).map((c: any) => c.click_id)).toEqual([first, other, later]);

    // A click another process (or this one before a restart) already wrote: the batch leaves the repeat out.
    const fresh = await create(seed.products['TRS-BLUE-43']);
    const hash = recorder().visitorHash('127.0.0.1', 'visitor-d');
    await api.runtime.dataSource.query(
      `INSERT INTO affiliate_click (click_id, share_link_id, brand_id, creator_id, product_id, visitor_hash, clicked_at)
       SELECT 'written-elsewhere', id, brand_id, creator_id, product_id, $2, $3 FROM share_link WHERE code = $1`,
      [fresh.code, hash, new Date(now - 10 * 60_000)],
    );
    await follow(fresh.code, 'visitor-d');
    await recorder().flush();
    expect((await clicks(fresh.code)).map((c: any) => c.click_id)).toEqual(['written-elsewhere']);
  });

  it('snapshots the rate in force at click time: a change never touches clicks already made', async () => {
    const jacket = seed.products['JKT-1'];
    const SET = `mutation($input: SetCommissionRateInput!) { setCommissionRate(input: $input) { userErrors { code } } }`;
    tick();
    await api.gqlOk(SET, { input: { ratePercent: '10' } }, seed.brand.apiKey);
    const link = await create(jacket);
    tick();
    await follow(link.code, 'rate-1');
    await recorder().flush();
    tick();
    await follow(link.code, 'rate-2'); // still buffered when the rate changes
    tick();
    await api.gqlOk(SET, { input: { target: { productId: jacket }, ratePercent: '22.5' } }, seed.brand.apiKey);
    tick();
    await follow(link.code, 'rate-3');
    await recorder().flush();
    expect((await clicks(link.code)).map((c: any) => [c.rate, c.commission_rule])).toEqual([
      ['10.00', 'OPEN_DEFAULT'],
      ['10.00', 'OPEN_DEFAULT'],
      ['22.50', 'OPEN_PRODUCT'],
    ]);
    // A product of a brand without a program: the click is counted, with no rate.
    const none = await create(other.products['JKT-1']);
    await follow(none.code, 'rate-4');
    await recorder().flush();
    expect((await clicks(none.code)).map((c: any) => [c.rate, c.commission_rule])).toEqual([[null, null]]);
  });

  it('answers a clear page for a product that left the catalog and 404 for unknown codes, never a 500', async () => {
    const link = await create(seed.products['TRS-BLUE-43']);
    await api.runtime.dataSource.query('DELETE FROM catalog_product WHERE id = $1', [
      rawIdOf(seed.products['TRS-BLUE-43']),
    ]);
    await api.app.get(LinkCache).poll(); // what the once-a-second poll does: the catalog generation moved
    const gone = await follow(link.code, 'gone-visitor');
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/text\/html/);
    expect(await gone.text()).toContain('no longer sold by Link Gear');
    await recorder().flush();
    expect(await clicks(link.code)).toHaveLength(0);
    const listed = await api.gqlOk<any>(
      '{ shareLinks(first: 100) { nodes { code product { id } } } }',
      {},
      seed.creator.apiKey,
    );
    expect(listed.shareLinks.nodes.find((n: any) => n.code === link.code).product).toBeNull();

    for (const code of ['AAAAAAAAAAAA', 'short', 'not-a-code!', 'a'.repeat(40)]) {
      const res = await follow(code);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Link not found');
    }
    // Making a link to a product that is not live: NOT_FOUND.
    const res = await api.gql<any>(CREATE, { input: { productId: seed.products['TRS-BLUE-43'] } }, seed.creator.apiKey);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('answers a flood of codes it does not remember with 503 at once beyond the lookups in flight, not a queue', async () => {
    const known = await create(seed.products['TRS-RED-42']);
    expect((await follow(known.code, 'flood-1', 'HEAD')).status).toBe(302); // remembered now
    const cache = api.app.get(LinkCache);
    // Hold the lookups: the share_link table locked by another connection (as the owner).
    const holder = new pg.Client({ connectionString: api.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE share_link IN ACCESS EXCLUSIVE MODE');
      const made = (i: number) => `Flood${String(i).padStart(7, '0')}`;
      const waiting = Array.from({ length: LINK_LOOKUPS_IN_FLIGHT }, (_, i) => follow(made(i), 'flood', 'HEAD'));
      while (cache.stats().inFlight < LINK_LOOKUPS_IN_FLIGHT) await new Promise((r) => setTimeout(r, 10));
      // One more made-up code: answered now, 503 with Retry-After; a remembered code still redirects.
      const refused = await follow(made(LINK_LOOKUPS_IN_FLIGHT), 'flood', 'HEAD');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await follow(known.code, 'flood-1', 'HEAD')).status).toBe(302);
      await holder.query('COMMIT');
      expect((await Promise.all(waiting)).map((r) => r.status)).toEqual(Array(LINK_LOOKUPS_IN_FLIGHT).fill(404));
    } finally {
      await holder.end();
    }
  });

  it('keeps a showcase in order: add, move, remove', async () => {
    const PLACE = `mutation($input: PlaceShowcaseItemInput!) { placeShowcaseItem(input: $input) { item { position productId } userErrors { code field } } }`;
    const REMOVE = `mutation($input: RemoveShowcaseItemInput!) { removeShowcaseItem(input: $input) { userErrors { code } } }`;
    const LIST = '{ showcase(first: 10) { totalCount nodes { position product { id } } } }';
    const [red, jacket, otherJacket] = [seed.products['TRS-RED-42'], seed.products['JKT-1'], other.products['JKT-1']];
    for (const productId of [red, jacket, otherJacket]) {
      await api.gqlOk(PLACE, { input: { productId } }, seed.creator.apiKey);
    }
    const order = async (key = seed.creator.apiKey) =>
      (await api.gqlOk<any>(LIST, {}, key)).showcase.nodes.map((n: any) => [n.position, n.product.id]);
    expect(await order()).toEqual([
      [1, red],
      [2, jacket],
      [3, otherJacket],
    ]);
    const moved = await api.gqlOk<any>(PLACE, { input: { productId: otherJacket, position: 1 } }, seed.creator.apiKey);
    expect(moved.placeShowcaseItem.item.position).toBe(1);
    expect(await order()).toEqual([
      [1, otherJacket],
      [2, red],
      [3, jacket],
    ]);
    await api.gqlOk(REMOVE, { input: { productId: red } }, seed.creator.apiKey);
    expect(await order()).toEqual([
      [1, otherJacket],
      [3, jacket],
    ]);
    const page = await api.gqlOk<any>(
      '{ showcase(first: 1) { pageInfo { hasNextPage endCursor } nodes { position } } }',
      {},
      seed.creator.apiKey,
    );
    const next = await api.gqlOk<any>(
      'query($a: String) { showcase(first: 1, after: $a) { nodes { position } } }',
      { a: page.showcase.pageInfo.endCursor },
      seed.creator.apiKey,
    );
    expect([page.showcase.nodes[0].position, next.showcase.nodes[0].position]).toEqual([1, 3]);
    // Another creator's showcase is its own (empty); removing what is not in it is NOT_FOUND.
    expect(await order(other.creator.apiKey)).toEqual([]);
    const res = await api.gql<any>(REMOVE, { input: { productId: jacket } }, other.creator.apiKey);
    expect(JSON.stringify(res)).toContain('NOT_FOUND');
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql<any>(LIST)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.gql<any>(LIST, {}, seed.brand.apiKey)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('tenancy: a creator sees its own links, a brand the links to its products, the public none', async () => {
    const theirs = await create(seed.products['TRS-RED-42'], other.creator.apiKey, null);
    const LIST = '{ shareLinks(first: 100) { totalCount nodes { code productId } } }';
    const mine = (await api.gqlOk<any>(LIST, {}, seed.creator.apiKey)).shareLinks.nodes.map((n: any) => n.code);
    expect(mine).not.toContain(theirs.code);
    const otherCreator = (await api.gqlOk<any>(LIST, {}, other.creator.apiKey)).shareLinks.nodes;
    expect(otherCreator.map((n: any) => n.code)).toEqual([theirs.code]);
    // Link Gear sees every link to its products (both creators'), Other Links only those to its own.
    const [linkGear] = await api.runtime.dataSource.query(
      'SELECT count(*)::int AS n FROM share_link WHERE brand_id = $1',
      [rawIdOf(seed.brand.id)],
    );
    const brandView = (await api.gqlOk<any>(LIST, {}, seed.brand.apiKey)).shareLinks;
    expect(brandView.totalCount).toBe(linkGear.n);
    expect(brandView.nodes.map((n: any) => n.code)).toContain(theirs.code);
    const otherBrand = (await api.gqlOk<any>(LIST, {}, other.brand.apiKey)).shareLinks.nodes.map((n: any) => n.code);
    expect(otherBrand).not.toContain(theirs.code);
    expect(otherBrand).toHaveLength(1); // the link to its jacket made in the rate test
    expect((await api.gql<any>(LIST)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const byBrand = await api.gql<any>(CREATE, { input: { productId: seed.products['JKT-1'] } }, seed.brand.apiKey);
    expect(byBrand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byPublic = await api.gql<any>(CREATE, { input: { productId: seed.products['JKT-1'] } });
    expect(byPublic.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('writes buffered clicks on graceful shutdown', async () => {
    const link = await create(seed.products['JKT-1']);
    for (let i = 0; i < 25; i++) await follow(link.code, `shutdown-${i}`);
    expect(recorder().stats().buffered).toBe(25);
    await seed.close();
    await other.close();
    closed = true;
    await api.app.close();
    const client = new pg.Client({ connectionString: api.database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM affiliate_click c JOIN share_link l ON l.id = c.share_link_id WHERE l.code = $1',
        [link.code],
      );
      expect(rows[0].n).toBe(25);
    } finally {
      await client.end();
    }
  });
});
