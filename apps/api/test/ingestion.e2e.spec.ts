import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFeed,
  ingest,
  registerBrand,
  startTestApi,
  summaryCodes,
  uploadFeed,
  waitForRun,
  type TestApi,
  rawId,
} from '@brandshelf/testing';
import { FeedScheduler, INGEST_RUN, spreadsheetSafe } from '@brandshelf/ingestion';
import { QueueService } from '@brandshelf/queue';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn,condition';
const row = (id: string, price = '59.99 USD', extra: Partial<Record<string, string>> = {}) => {
  const v = {
    title: `Trail Runner ${id}`,
    description: 'A light trail shoe with a grippy sole.',
    link: `https://shop.example/p/${id}`,
    image: `https://img.example/${id}.jpg`,
    availability: 'in stock',
    ...extra,
  };
  return [id, v.title, v.description, v.link, v.image, v.availability, price, 'Acme', `MPN-${id}`, 'new'].join(',');
};
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe('feed ingestion (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Ingest')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const count = async (table: string, feedId: string) =>
    Number(
      (await api.runtime.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE feed_id = $1`, [rawId(feedId)]))[0]
        .n,
    );

  it('stages a valid CSV, then finds an identical re-upload unchanged and writes nothing', async () => {
    const feedId = await createFeed(api, key, { name: 'Main' });
    const body = csv(row('A1'), row('A2'), row('A3'));
    const first = await ingest(api, key, feedId, body);
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 3,
      itemsAccepted: 3,
      itemsRejected: 0,
      errors: 0,
      detectedFormat: 'CSV',
      delimiter: ',',
      diff: { created: 3, updated: 0, unchanged: 0, removed: 0 },
    });
    expect(first.versionId).toBeTruthy();
    expect(first.bytesRead).toBe(String(Buffer.byteLength(body)));
    const revisions = await count('item_revision', feedId);
    expect(revisions).toBe(3);

    const second = await ingest(api, key, feedId, body);
    expect(second.diff).toEqual({ created: 0, updated: 0, unchanged: 3, removed: 0 });
    expect(second.versionId).toBe(first.versionId); // no new version for an unchanged feed
    expect(await count('item_revision', feedId)).toBe(revisions);
    expect(await count('catalog_version', feedId)).toBe(1);

    const third = await ingest(api, key, feedId, csv(row('A1', '49.99 USD'), row('A2'), row('A4')));
    expect(third.diff).toEqual({ created: 1, updated: 1, unchanged: 1, removed: 1 });
    expect(third.versionId).not.toBe(first.versionId);
    expect(await count('item_revision', feedId)).toBe(5); // only the changed and the new item were written
  });

  it('validateOnly gives diagnostics and would-be counts without staging anything', async () => {
    const feedId = await createFeed(api, key, { name: 'Dry run' });
    await ingest(api, key, feedId, csv(row('B1'), row('B2')));
    const versions = await count('catalog_version', feedId);
    const dry = await ingest(
      api,
      key,
      feedId,
      csv(row('B1', '1.00 USD'), row('B3'), row('B4', 'free')),
      '?validateOnly=true',
    );
    expect(dry).toMatchObject({
      status: 'SUCCEEDED',
      validateOnly: true,
      versionId: null,
      itemsAccepted: 2,
      itemsRejected: 1,
    });
    expect(dry.diff).toEqual({ created: 1, updated: 1, unchanged: 0, removed: 1 });
    expect(await count('catalog_version', feedId)).toBe(versions);
    expect(summaryCodes(dry)).toContain('INVALID_PRICE');
  });

  it('refuses a validateOnly it cannot read instead of running for real', async () => {
    const feedId = await createFeed(api, key, { name: 'Dry run, spelt otherwise', autoPublish: true });
    for (const query of ['?validateOnly=yes', '?validateOnly', '?validateOnly=true&validateOnly=false']) {
      const refused = await uploadFeed(api, key, feedId, csv(row('V1')), query);
      expect({ query, status: refused.status, json: refused.json }).toMatchObject({
        query,
        status: 400,
        json: { code: 'BAD_USER_INPUT', field: 'validateOnly', message: expect.stringContaining('validateOnly') },
      });
    }
    expect(await count('ingestion_run', feedId)).toBe(0);
    expect(await count('catalog_version', feedId)).toBe(0);
    // Its spellings that are read: 1 and TRUE a dry run, 0 a real one.
    expect(await ingest(api, key, feedId, csv(row('V1')), '?validateOnly=1')).toMatchObject({ validateOnly: true });
    expect(await ingest(api, key, feedId, csv(row('V1')), '?validateOnly=TRUE')).toMatchObject({ validateOnly: true });
    expect(await ingest(api, key, feedId, csv(row('V1')), '?validateOnly=0')).toMatchObject({ validateOnly: false });
  });

  it('diagnoses bad rows precisely and serves them filtered, paged and as CSV', async () => {
    const feedId = await createFeed(api, key, { name: 'Messy' });
    const body = csv(
      row('C1'),
      row('C2', ''), // line 3: no price
      row('C3', '20.00 USD', { availability: 'maybe' }), // line 4
      row('C1'), // line 5: duplicate id
      row('C5', '=HYPERLINK(1)'), // line 6: a formula where a price should be
    );
    const run = await ingest(api, key, feedId, body);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.itemsAccepted).toBe(1);
    expect(run.itemsRejected).toBe(4);
    expect(summaryCodes(run)).toEqual(
      expect.arrayContaining(['MISSING_REQUIRED', 'INVALID_AVAILABILITY', 'DUPLICATE_ID', 'INVALID_CURRENCY']),
    );
    const missing = run.issueSummary.find((s) => s.code === 'MISSING_REQUIRED');
    expect(missing).toMatchObject({ severity: 'ERROR', attribute: 'price', count: 1, sampleRows: [3] });

    const q = `query($id: ID!, $filter: IssueFilterInput, $first: Int, $after: String) { ingestionRun(id: $id) {
      issues(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        nodes { severity code attribute row itemId value message hint } } } }`;
    const filtered = await api.gqlOk(q, { id: run.id, filter: { code: 'INVALID_AVAILABILITY' } }, key);
    expect(filtered.ingestionRun.issues.totalCount).toBe(1);
    const issue = filtered.ingestionRun.issues.nodes[0];
    expect(issue).toMatchObject({ severity: 'ERROR', attribute: 'availability', row: 4, itemId: 'C3', value: 'maybe' });
    expect(issue.hint.length).toBeGreaterThan(10);

    const errors = await api.gqlOk(q, { id: run.id, filter: { severity: 'ERROR' }, first: 2 }, key);
    const page1 = errors.ingestionRun.issues;
    expect(page1.nodes).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await api.gqlOk(q, { id: run.id, filter: { severity: 'ERROR' }, first: 50, after: page1.pageInfo.endCursor }, key)
    ).ingestionRun.issues;
    expect(page1.totalCount).toBe(page1.nodes.length + page2.nodes.length);
    const rows = [...page1.nodes, ...page2.nodes].map((i: { row: number }) => i.row);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));

    // issuesCsvUrl is absolute, on PUBLIC_BASE_URL (the harness sets it to the server's own origin); a Host or
    // X-Forwarded-* header a client sends does not steer it.
    const asked = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'x-forwarded-host': 'attacker.example',
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({
        query: 'query($id: ID!) { ingestionRun(id: $id) { issuesCsvUrl } }',
        variables: { id: run.id },
      }),
    });
    const csvUrl = ((await asked.json()) as { data: { ingestionRun: { issuesCsvUrl: string } } }).data.ingestionRun
      .issuesCsvUrl;
    expect(csvUrl).toBe(`${api.url}/runs/${run.id}/issues.csv`);
    const res = await fetch(csvUrl, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('row,item_id,severity,code,attribute,value,message,hint');
    expect(lines).toHaveLength(run.issuesStored + 1);
    expect(text).toContain('INVALID_AVAILABILITY');
    expect(text).toContain(`'=HYPERLINK`); // defused for spreadsheets
    expect(text).not.toMatch(/,=HYPERLINK/);
    const defused = await api.runtime.dataSource.query(
      `SELECT ${spreadsheetSafe('v')} AS v FROM (VALUES ('=1+1'), ('+1'), ('-1'), ('@SUM(A1)'), ('12.50'), ('a-b'), ('')) AS t(v)`,
    );
    expect(defused.map((r: { v: string }) => r.v)).toEqual([`'=1+1`, `'+1`, `'-1`, `'@SUM(A1)`, '12.50', 'a-b', '']);
  });

  it('accepts gzip, TSV and multipart uploads', async () => {
    const feedId = await createFeed(api, key, { name: 'Formats' });
    const gz = await ingest(api, key, feedId, gzipSync(csv(row('D1'), row('D2'))));
    expect(gz).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });

    const tsv = [HEADER, row('D1'), row('D2')].map((l) => l.replaceAll(',', '\t')).join('\n');
    const tsvRun = await ingest(api, key, feedId, tsv);
    expect(tsvRun).toMatchObject({ status: 'SUCCEEDED', delimiter: '\t', itemsAccepted: 2 });

    const form = new FormData();
    form.append('file', new Blob([csv(row('D3'))]), 'catalog.csv');
    const res = await fetch(`${api.url}/feeds/${feedId}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const run = await waitForRun(api, key, ((await res.json()) as { runId: string }).runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
  });

  it('undoes a request Content-Encoding before storing, and refuses one it cannot', async () => {
    const feedId = await createFeed(api, key, { name: 'Encoded' });
    const body = csv(row('E1'), row('E2'));
    const upload = (data: Buffer, encoding: string, contentType = 'application/octet-stream') =>
      fetch(`${api.url}/feeds/${feedId}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'content-encoding': encoding },
        body: data,
      });
    // httpie --compress sends deflate; other clients br; a .gz file sent by a client that gzips requests is gzip twice.
    for (const [encoding, data] of [
      ['deflate', deflateSync(body)],
      ['br', brotliCompressSync(body)],
      ['gzip', gzipSync(body)],
      ['gzip', gzipSync(gzipSync(body))],
      ['gzip, br', brotliCompressSync(gzipSync(body))],
      ['identity', Buffer.from(body)],
    ] as const) {
      const res = await upload(data, encoding);
      expect([encoding, res.status]).toEqual([encoding, 202]);
      const run = await waitForRun(api, key, ((await res.json()) as { runId: string }).runId);
      expect([encoding, run.status, run.itemsAccepted]).toEqual([encoding, 'SUCCEEDED', 2]);
    }
    // A multipart form compressed as a whole.
    const form = new Response(
      (() => {
        const f = new FormData();
        f.append('file', new Blob([body]), 'catalog.csv');
        return f;
      })(),
    );
    const formBytes = Buffer.from(await form.arrayBuffer());
    const multipart = await upload(deflateSync(formBytes), 'deflate', form.headers.get('content-type')!);
    expect(multipart.status).toBe(202);
    const multipartRun = await waitForRun(api, key, ((await multipart.json()) as { runId: string }).runId);
    expect(multipartRun).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2 });

    const zstd = await upload(Buffer.from(body), 'zstd');
    expect(zstd.status).toBe(400);
    expect(await zstd.json()).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('"zstd"') });
    const notDeflate = await upload(Buffer.from(body), 'deflate');
    expect(notDeflate.status).toBe(400);
    expect(await notDeflate.json()).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('not valid deflate data'),
    });
    const notDeflateForm = await upload(formBytes, 'deflate', form.headers.get('content-type')!);
    expect(notDeflateForm.status).toBe(400);
    // Nothing of the refused uploads was kept: one run for each accepted upload.
    const runs = await api.gqlOk<{ feed: { runs: { totalCount: number } } }>(
      'query($id: ID!) { feed(id: $id) { runs(first: 1) { totalCount } } }',
      { id: feedId },
      key,
    );
    expect(runs.feed.runs.totalCount).toBe(7);
  });

  it('stores a sale price only inside its sale_price_effective_date window', async () => {
    const feedId = await createFeed(api, key, { name: 'Sales' });
    const header = `${HEADER},sale_price,sale_price_effective_date`;
    const body = [
      header,
      `${row('W1')},39.99 USD,2020-01-01T00:00-0800/2020-01-31T23:59-0800`,
      `${row('W2')},39.99 USD,2020-01-01/2099-12-31`,
      `${row('W3')},39.99 USD,2099-01-01/2099-01-31`,
      `${row('W4')},39.99 USD,from Monday`,
      `${row('W5')},39.99 USD,`,
    ].join('\n');
    const run = await ingest(api, key, feedId, body);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 5, itemsRejected: 0 });
    expect(run.issueSummary).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'SALE_PRICE_NOT_IN_EFFECT',
          severity: 'WARNING',
          attribute: 'sale_price',
          count: 2,
          sampleRows: [2, 4],
        }),
        expect.objectContaining({
          code: 'INVALID_DATE',
          severity: 'WARNING',
          attribute: 'sale_price_effective_date',
          count: 1,
          sampleRows: [5],
        }),
      ]),
    );
    const stored: { offer_id: string; sale: string | null; price: string }[] = await api.runtime.dataSource.query(
      `SELECT offer_id, data->>'salePriceMinor' AS sale, data->>'priceMinor' AS price
         FROM item_revision WHERE feed_id = $1 ORDER BY offer_id`,
      [rawId(feedId)],
    );
    // The ended (W1) and future (W3) sales are stored at the regular price; an unreadable window is ignored (W4).
    expect(stored.map((r) => [r.offer_id, r.price, r.sale])).toEqual([
      ['W1', '5999', null],
      ['W2', '5999', '3999'],
      ['W3', '5999', null],
      ['W4', '5999', '3999'],
      ['W5', '5999', '3999'],
    ]);
  });

  describe('bad input gives a clear run result and never crashes the worker', () => {
    let feedId: string;
    beforeAll(async () => {
      feedId = await createFeed(api, key, { name: 'Hostile' });
    });

    it('binary garbage', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);
      const run = await ingest(api, key, feedId, png);
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'NOT_A_FEED' } });
      expect(run.error!.hint.length).toBeGreaterThan(10);
    });

    it('a truncated gzip keeps the rows it could read', async () => {
      const rows = Array.from({ length: 3000 }, (_, i) => row(`T${i}`));
      const full = gzipSync(csv(...rows));
      const run = await ingest(api, key, feedId, full.subarray(0, Math.floor(full.length * 0.6)));
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'TRUNCATED_GZIP' } });
      expect(run.rowsRead).toBeGreaterThan(100);
      expect(run.versionId).toBeNull();
    });

    it('an unterminated quote', async () => {
      const run = await ingest(api, key, feedId, csv(row('U1'), row('U2')) + 'U3,"never closed,desc\n');
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'UNTERMINATED_QUOTE' } });
      expect(run.rowsRead).toBe(2);
    });

    it('XML that is not well-formed', async () => {
      const xml = `<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel>
        <item><g:id>X1</g:id><title>One</title></item>
        <item><g:id>X2</g:id><title>Two</title></wrong></item></channel></rss>`;
      const run = await ingest(api, key, feedId, xml);
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'XML_MALFORMED' }, detectedFormat: 'XML' });
      expect(run.rowsRead).toBeGreaterThanOrEqual(1);
    });

    it('an entity-expansion bomb is refused', async () => {
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
        <rss><channel><item><title>&lol2;</title></item></channel></rss>`;
      const run = await ingest(api, key, feedId, bomb);
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'XML_DOCTYPE_FORBIDDEN' } });
    });

    it('an empty file', async () => {
      const run = await ingest(api, key, feedId, '');
      expect(run).toMatchObject({ status: 'FAILED', error: { code: 'EMPTY_FEED' } });
    });

    it('a header-only file', async () => {
      const run = await ingest(api, key, feedId, HEADER + '\n');
      expect(run).toMatchObject({ status: 'SUCCEEDED', rowsRead: 0, itemsAccepted: 0 });
      expect(summaryCodes(run)).toContain('NO_ITEMS');
    });

    it('a 10 MB cell rejects its row only', async () => {
      const big = row('BIG', '10.00 USD', { title: 'x'.repeat(10 * 1024 * 1024) });
      const run = await ingest(api, key, feedId, csv(row('OK1'), big, row('OK2')));
      expect(run.status).toBe('SUCCEEDED');
      expect(run.itemsAccepted).toBe(2);
      expect(run.itemsRejected).toBe(1);
      expect(summaryCodes(run).some((c) => c === 'CELL_TOO_LARGE' || c === 'RECORD_TOO_LARGE')).toBe(true);
    });

    it('and the worker still ingests a good file afterwards', async () => {
      const run = await ingest(api, key, feedId, csv(row('G1')));
      expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
    });
  });

  it('supplemental (UPDATE_ONLY) feeds update existing products only', async () => {
    const primary = await createFeed(api, key, { name: 'Primary' });
    await ingest(api, key, primary, csv(row('S1'), row('S2')));
    const supplemental = await createFeed(api, key, { name: 'Prices', mode: 'UPDATE_ONLY' });
    const run = await ingest(api, key, supplemental, 'id,price\nS1,10.00 USD\nS2,12.00 USD\nNOPE,5.00 USD\n');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.itemsAccepted).toBe(2);
    expect(run.itemsRejected).toBe(1);
    expect(run.diff?.removed).toBe(0);
    const unknown = run.issueSummary.find((s) => s.code === 'UNKNOWN_ITEM_ID');
    expect(unknown).toMatchObject({ severity: 'ERROR', count: 1, sampleRows: [4] });
  });

  it("keeps brands out of each other's feeds, runs and diagnostics", async () => {
    const feedId = await createFeed(api, key, { name: 'Private' });
    const run = await ingest(api, key, feedId, csv(row('P1', '')));
    const other = await registerBrand(api, 'Intruder');
    const codeOf = async (query: string, variables: Record<string, unknown>) =>
      (await api.gql(query, variables, other.apiKey)).errors?.[0].extensions?.code;
    expect(await codeOf('query($id: ID!) { feed(id: $id) { id } }', { id: feedId })).toBe('NOT_FOUND');
    expect(await codeOf('query($id: ID!) { ingestionRun(id: $id) { id } }', { id: run.id })).toBe('NOT_FOUND');
    expect(await codeOf('mutation($id: ID!) { cancelRun(input: { runId: $id }) { run { id } } }', { id: run.id })).toBe(
      'NOT_FOUND',
    );
    expect(
      await codeOf('mutation($id: ID!) { updateFeed(input: { feedId: $id, name: "x" }) { feed { id } } }', {
        id: feedId,
      }),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf('mutation($id: ID!) { deleteFeed(input: { feedId: $id }) { deletedFeedId } }', { id: feedId }),
    ).toBe('NOT_FOUND');
    expect((await api.gqlOk('{ feeds { totalCount nodes { id } } }', {}, other.apiKey)).feeds).toEqual({
      totalCount: 0,
      nodes: [],
    });
    const csvRes = await fetch(`${api.url}/runs/${run.id}/issues.csv`, {
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(csvRes.status).toBe(404);
    const upload = await uploadFeed(api, other.apiKey, feedId, csv(row('Z1')));
    expect(upload.status).toBe(404);
    expect(upload.json.code).toBe('NOT_FOUND');
    // The owner still sees everything intact.
    expect((await api.gqlOk('query($id: ID!) { feed(id: $id) { name } }', { id: feedId }, key)).feed.name).toBe(
      'Private',
    );
  });

  it('picks up a run whose worker died mid-way and starts it over', async () => {
    const feedId = await createFeed(api, key, { name: 'Crashed worker' });
    const done = await ingest(api, key, feedId, csv(row('W1'), row('W2')));
    const db = api.runtime.dataSource;
    // A run a worker had claimed and was reading when it died: RUNNING, no progress for ten minutes.
    const [{ id }] = await db.query(
      `INSERT INTO ingestion_run (brand_id, feed_id, trigger, status, phase, attempt, source_key, rows_read, updated_at, started_at)
       SELECT brand_id, feed_id, 'UPLOAD', 'RUNNING', 'READING', 1, source_key, 1, now() - interval '10 minutes', now() - interval '10 minutes'
         FROM ingestion_run WHERE id = $1 RETURNING id`,
      [rawId(done.id)],
    );
    await db.query(
      `INSERT INTO run_issue (run_id, brand_id, severity, code, "row", message, hint)
                    SELECT $1, brand_id, 'ERROR', 'LEFT_BY_DEAD_WORKER', 1, 'x', 'x' FROM ingestion_run WHERE id = $1`,
      [rawId(id)],
    );
    expect(await api.app.get(FeedScheduler).recoverStalledRuns()).toBe(1);
    const run = await waitForRun(api, key, id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsRead: 2, itemsAccepted: 2 });
    // The restart replaced what the dead attempt wrote.
    const leftovers = await db.query(`SELECT 1 FROM run_issue WHERE run_id = $1 AND code = 'LEFT_BY_DEAD_WORKER'`, [
      rawId(id),
    ]);
    expect(leftovers).toEqual([]);
    const [{ attempt }] = await db.query('SELECT attempt FROM ingestion_run WHERE id = $1', [rawId(id)]);
    expect(attempt).toBe(2);
  });

  it('queues again a run left QUEUED with no job (a crash between requeueing it and sending its job)', async () => {
    const feedId = await createFeed(api, key, { name: 'Orphaned run' });
    const done = await ingest(api, key, feedId, csv(row('O1'), row('O2')));
    const db = api.runtime.dataSource;
    // What a sweep that crashed after its UPDATE and before its send left: QUEUED for ten minutes, and no job.
    const [{ id }] = await db.query(
      `INSERT INTO ingestion_run (brand_id, feed_id, trigger, status, phase, attempt, source_key, updated_at)
       SELECT brand_id, feed_id, 'UPLOAD', 'QUEUED', 'QUEUED', 1, source_key, now() - interval '10 minutes'
         FROM ingestion_run WHERE id = $1 RETURNING id`,
      [rawId(done.id)],
    );
    const jobs = () =>
      db.query(`SELECT state FROM pgboss.job WHERE name = 'ingestion.run' AND data->>'runId' = $1`, [rawId(id)]);
    expect(await jobs()).toEqual([]);
    expect(await api.app.get(FeedScheduler).recoverStalledRuns()).toBe(1);
    const run = await waitForRun(api, key, id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsRead: 2, itemsAccepted: 2 });
    // One job was sent for it (the worker may not have marked it completed yet).
    expect(await jobs()).toHaveLength(1);
    // Recovered once: the next sweep finds nothing.
    expect(await api.app.get(FeedScheduler).recoverStalledRuns()).toBe(0);
  });

  it('leaves a long-QUEUED run alone while its job is still waiting (a retry not yet due)', async () => {
    const feedId = await createFeed(api, key, { name: 'Waiting run' });
    const done = await ingest(api, key, feedId, csv(row('Q1')));
    const db = api.runtime.dataSource;
    const [{ id, brand_id }] = await db.query(
      `INSERT INTO ingestion_run (brand_id, feed_id, trigger, status, phase, attempt, source_key, updated_at)
       SELECT brand_id, feed_id, 'UPLOAD', 'QUEUED', 'QUEUED', 1, source_key, now() - interval '10 minutes'
         FROM ingestion_run WHERE id = $1 RETURNING id, brand_id`,
      [rawId(done.id)],
    );
    const queue = api.app.get(QueueService);
    const jobId = await queue.send(INGEST_RUN, { runId: id, brandId: brand_id }, { startAfterSeconds: 3600 });
    expect(await api.app.get(FeedScheduler).recoverStalledRuns()).toBe(0);
    const jobs = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'runId' = $1`, [id]);
    expect(jobs[0].n).toBe(1);
    // Not left behind for the other tests: the run ends, and its job with it.
    await db.query(`UPDATE ingestion_run SET status = 'CANCELLED', phase = 'DONE' WHERE id = $1`, [id]);
    await queue.cancel(INGEST_RUN, jobId!);
  });

  it('refuses uploads without a brand key', async () => {
    const feedId = await createFeed(api, key, { name: 'Guarded' });
    const res = await fetch(`${api.url}/feeds/${feedId}/uploads`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });

  it('validates feed settings with specific messages, as userErrors naming the input field', async () => {
    const before = (await api.gqlOk('{ feeds { totalCount } }', {}, key)).feeds.totalCount;
    const bad = async (input: Record<string, unknown>) => {
      const res = await api.gql(
        'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } userErrors { code message field } } }',
        { input: { name: 'x', ...input } },
        key,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.createFeed.feed).toBeNull();
      expect(res.data?.createFeed.userErrors).toHaveLength(1);
      return res.data?.createFeed.userErrors[0];
    };
    expect(await bad({ source: 'URL' })).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'url'] });
    expect((await bad({ source: 'URL', url: 'ftp://x.example/feed' })).message).toMatch(/http/);
    expect(await bad({ defaultCurrency: 'XYZ' })).toMatchObject({ field: ['input', 'defaultCurrency'] });
    expect((await bad({ columnMapping: [{ column: 'Preis', attribute: 'prize' }] })).message).toMatch(
      /not an attribute/,
    );
    expect(await bad({ source: 'URL', url: 'https://x.example/f', schedule: 'whenever' })).toMatchObject({
      field: ['input', 'schedule'],
    });
    expect((await api.gqlOk('{ feeds { totalCount } }', {}, key)).feeds.totalCount).toBe(before); // none created
  });
});
