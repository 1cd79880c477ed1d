import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '@brandshelf/db';
import { createFeed, ingest, rawId, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Feed rules as data (issue 14): versions set through the API, applied by the worker between reading and
 * validation on the next run, traced per item, excluded items counted per rule, previewed without side effects,
 * and restored with the catalog version on rollback. On the real database and worker.
 */
const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn,condition';
const row = (id: string, extra: Partial<Record<'title' | 'price' | 'brand' | 'link', string>> = {}) =>
  [
    id,
    extra.title ?? `Trail Runner ${id}`,
    'A light trail shoe with a grippy sole.',
    extra.link ?? `https://shop.example/p/${id}`,
    `https://img.example/${id}.jpg`,
    'in stock',
    extra.price ?? '59.99 USD',
    extra.brand ?? 'acme',
    `MPN-${id}`,
    'new',
  ].join(',');
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

const SET_RULES = `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) {
  feedRules { version restoredFromVersion rules { ruleId name enabled when { attribute operator value all { attribute operator value } }
    actions { type attribute value template table { from to } } } }
  feed { id } userErrors { code message field } } }`;
const RUN_RULES = `query($id: ID!) { ingestionRun(id: $id) { status itemsAccepted itemsRejected rowsRead rowsSkipped
  rowsSkippedByReason { reason count } itemsExcluded itemsChangedByRules ruleSetVersion errors
  excludedByRule { ruleId ruleName count }
  ruleTrace(first: 50) { totalCount nodes { row itemId changes { ruleId ruleName attribute } } }
  issues(first: 100) { nodes { code severity attribute itemId value hint ruleId ruleName ruleChanges { ruleId attribute } } } } }`;
const PREVIEW = `query($feedId: ID!, $rules: [FeedRuleInput!]!, $sample: Int) { previewFeedRules(feedId: $feedId, rules: $rules, sample: $sample) {
  problems { field code message } sourceRunId itemsRead truncated itemsChanged itemsExcluded validBefore validAfter
  becameValid becameInvalid elapsedMs rules { ruleId ruleName itemsChanged itemsExcluded }
  sample { row itemId validBefore validAfter excludedBy { ruleId } changes { ruleId attribute before after } errorsAfter { code attribute } } } }`;

describe('feed rules (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Rules')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const setRules = async (feedId: string, rules: unknown[]) =>
    (await api.gqlOk(SET_RULES, { input: { feedId, rules } }, key)).setFeedRules;
  const setRulesRaw = async (feedId: string, rules: unknown[]) =>
    (await api.gql<{ setFeedRules: any }>(SET_RULES, { input: { feedId, rules } }, key)).data!.setFeedRules;
  const runRules = async (runId: string) => (await api.gqlOk(RUN_RULES, { id: runId }, key)).ingestionRun;
  const count = async (table: string, brandId: string) =>
    (await api.runtime.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE brand_id = $1`, [brandId]))[0]
      .n as number;
  /** Every node of the run's ruleTrace, page by page with `query` ($id, $after), each page saying `totalCount`. */
  const tracePages = async (query: string, runId: string, totalCount: number, pageSize: number) => {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const page: any = (await api.gqlOk(query, { id: runId, after }, key)).ingestionRun.ruleTrace;
      expect(page.totalCount).toBe(totalCount);
      expect(page.nodes.length).toBeLessThanOrEqual(pageSize);
      nodes.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  };

  it('stores versions, reads the current one or any other, and refuses invalid rules with paths, storing nothing', async () => {
    const feedId = await createFeed(api, key, { name: 'Versions' });
    const none = await api.gqlOk('query($id: ID!) { feed(id: $id) { feedRules { version } } }', { id: feedId }, key);
    expect(none.feed.feedRules).toBeNull();

    const first = await setRules(feedId, [
      {
        ruleId: 'brand-case',
        name: 'Brand in capitals',
        when: { all: [{ attribute: 'brand', operator: 'EQUALS', value: 'acme' }] },
        actions: [{ type: 'UPPERCASE', attribute: 'brand' }],
      },
    ]);
    expect(first.userErrors).toEqual([]);
    expect(first.feedRules).toMatchObject({
      version: 1,
      restoredFromVersion: null,
      rules: [
        {
          ruleId: 'brand-case',
          name: 'Brand in capitals',
          enabled: true,
          when: { attribute: null, all: [{ attribute: 'brand', operator: 'EQUALS', value: 'acme' }] },
          actions: [{ type: 'UPPERCASE', attribute: 'brand' }],
        },
      ],
    });
    const second = await setRules(feedId, [
      {
        ruleId: 'map-category',
        name: 'Categories',
        actions: [{ type: 'MAP', attribute: 'product_type', table: [{ from: 'Shoes', to: '187' }] }],
      },
    ]);
    expect(second.feedRules.version).toBe(2);
    expect(second.feedRules.rules[0].actions[0].table).toEqual([{ from: 'Shoes', to: '187' }]);

    const read = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { current: feedRules { version rules { ruleId } } v1: feedRules(version: 1) { version rules { ruleId } } } }',
      { id: feedId },
      key,
    );
    expect(read.feed.current).toEqual({ version: 2, rules: [{ ruleId: 'map-category' }] });
    expect(read.feed.v1).toEqual({ version: 1, rules: [{ ruleId: 'brand-case' }] });

    // Invalid: a SET without value or template, a regular expression that does not compile, two rules with one id.
    const bad = await setRulesRaw(feedId, [
      { ruleId: 'a', name: 'No value', actions: [{ type: 'SET', attribute: 'title' }] },
      {
        ruleId: 'a',
        name: 'Bad pattern',
        actions: [{ type: 'REPLACE', attribute: 'title', pattern: '(', replacement: '' }],
      },
    ]);
    expect(bad.feedRules).toBeNull();
    expect(bad.userErrors.length).toBeGreaterThanOrEqual(2);
    for (const error of bad.userErrors) {
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.field.slice(0, 3)).toEqual(['input', 'rules', expect.stringMatching(/^[01]$/)]);
      expect(error.message).toMatch(/^[A-Z_]+: /);
    }
    expect(bad.userErrors.some((e: { field: string[] }) => e.field[2] === '0' && e.field[3] === 'actions')).toBe(true);
    expect(bad.userErrors.some((e: { field: string[] }) => e.field[2] === '1')).toBe(true);
    const after = await api.gqlOk('query($id: ID!) { feed(id: $id) { feedRules { version } } }', { id: feedId }, key);
    expect(after.feed.feedRules.version).toBe(2);
  });

  it('applies the rules on the next run: changes traced per item, an invalid value names its rule, exclusions counted per rule', async () => {
    const feedId = await createFeed(api, key, { name: 'Applied' });
    const before = await ingest(api, key, feedId, csv(row('A'), row('B', { title: 'Sample B' }), row('C')));
    expect((await runRules(before.id)).ruleSetVersion).toBeNull();
    await setRules(feedId, [
      {
        ruleId: 'drop-samples',
        name: 'Drop samples',
        when: { attribute: 'title', operator: 'STARTS_WITH', value: 'Sample' },
        actions: [{ type: 'EXCLUDE' }],
      },
      { ruleId: 'brand-case', name: 'Brand in capitals', actions: [{ type: 'UPPERCASE', attribute: 'brand' }] },
      {
        ruleId: 'free-c',
        name: 'C is free',
        when: { attribute: 'id', operator: 'EQUALS', value: 'C' },
        actions: [{ type: 'SET', attribute: 'price', value: 'free' }],
      },
    ]);
    const run = await ingest(api, key, feedId, csv(row('A'), row('B', { title: 'Sample B' }), row('C')));
    const view = await runRules(run.id);
    expect(view).toMatchObject({
      status: 'SUCCEEDED',
      ruleSetVersion: 1,
      rowsRead: 3,
      itemsAccepted: 1,
      itemsRejected: 1,
      rowsSkipped: 1,
      itemsExcluded: 1,
      itemsChangedByRules: 2,
      excludedByRule: [{ ruleId: 'drop-samples', ruleName: 'Drop samples', count: 1 }],
    });
    expect(view.rowsSkippedByReason).toEqual([{ reason: 'EXCLUDED_BY_RULE', count: 1 }]);
    // Exclusion is no error: the only errors are C's price.
    expect(
      view.issues.nodes
        .filter((i: { severity: string }) => i.severity === 'ERROR')
        .map((i: { itemId: string }) => i.itemId),
    ).toEqual(['C']);
    const priceIssue = view.issues.nodes.find(
      (i: { attribute: string; itemId: string }) => i.itemId === 'C' && i.attribute === 'price',
    );
    expect(priceIssue).toMatchObject({ ruleId: 'free-c', ruleName: 'C is free', value: 'free' });
    expect(priceIssue.hint).toContain('C is free');
    expect(priceIssue.ruleChanges).toEqual(
      expect.arrayContaining([
        { ruleId: 'brand-case', attribute: 'brand' },
        { ruleId: 'free-c', attribute: 'price' },
      ]),
    );
    const traces = Object.fromEntries(
      view.ruleTrace.nodes.map((t: { itemId: string; changes: unknown }) => [t.itemId, t.changes]),
    );
    expect(view.ruleTrace.totalCount).toBe(3);
    expect(traces.A).toEqual([{ ruleId: 'brand-case', ruleName: 'Brand in capitals', attribute: 'brand' }]);
    expect(traces.B).toEqual([{ ruleId: 'drop-samples', ruleName: 'Drop samples', attribute: 'excluded' }]);
    // The staged item carries the rule's value.
    const staged = await api.runtime.dataSource.query(
      `SELECT ir.data->>'brand' AS brand FROM version_item vi JOIN catalog_version v ON v.id = vi.version_id
         JOIN item_revision ir ON ir.feed_id = v.feed_id AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
        WHERE v.feed_id = $1 AND v.run_id = $2`,
      [rawId(feedId), rawId(run.id)],
    );
    expect(staged).toEqual([{ brand: 'ACME' }]);

    // The trace stores each change by the rule's position in the run's rule-set version: rules set since (another
    // order, other names) do not change what the run's trace says.
    await setRules(feedId, [
      { ruleId: 'other', name: 'Other', actions: [{ type: 'LOWERCASE', attribute: 'title' }] },
      { ruleId: 'brand-case', name: 'Renamed', actions: [{ type: 'LOWERCASE', attribute: 'brand' }] },
    ]);
    const later = await runRules(run.id);
    expect(later.ruleTrace.nodes).toEqual(view.ruleTrace.nodes);
    expect(later.issues.nodes).toEqual(view.issues.nodes);
  });

  it('pages a long trace by row across its stored batches, finds one item, and names the rule on a late issue', async () => {
    const feedId = await createFeed(api, key, { name: 'Long trace' });
    await setRules(feedId, [
      { ruleId: 'brand-case', name: 'Brand in capitals', actions: [{ type: 'UPPERCASE', attribute: 'brand' }] },
      {
        ruleId: 'free-late',
        name: 'P260 is free',
        when: { attribute: 'id', operator: 'EQUALS', value: 'P260' },
        actions: [{ type: 'SET', attribute: 'price', value: 'free' }],
      },
    ]);
    const ids = Array.from({ length: 300 }, (_, i) => `P${i}`);
    const run = await ingest(api, key, feedId, csv(...ids.map((id) => row(id))));
    const PAGE = `query($id: ID!, $after: String, $itemId: String) { ingestionRun(id: $id) {
      ruleTrace(first: 100, after: $after, itemId: $itemId) { totalCount pageInfo { hasNextPage endCursor }
        nodes { row itemId changes { ruleId ruleName attribute } } }
      issues(filter: { severity: ERROR }, first: 10) { nodes { itemId ruleChanges { ruleId attribute } } } } }`;
    const seen: { row: number; itemId: string; changes: unknown }[] = await tracePages(PAGE, run.id, 300, 100);
    expect(seen.map((t) => t.itemId)).toEqual(ids);
    expect(seen.map((t) => t.row)).toEqual(ids.map((_, i) => i + 2));
    expect(seen[150].changes).toEqual([{ ruleId: 'brand-case', ruleName: 'Brand in capitals', attribute: 'brand' }]);
    const one = (await api.gqlOk(PAGE, { id: run.id, itemId: 'P260' }, key)).ingestionRun;
    expect(one.ruleTrace).toMatchObject({ totalCount: 1, nodes: [{ row: 262, itemId: 'P260' }] });
    expect(one.ruleTrace.nodes[0].changes).toEqual([
      { ruleId: 'brand-case', ruleName: 'Brand in capitals', attribute: 'brand' },
      { ruleId: 'free-late', ruleName: 'P260 is free', attribute: 'price' },
    ]);
    expect(one.issues.nodes.map((i: { itemId: string }) => i.itemId)).toEqual(['P260']);
    expect(one.issues.nodes[0].ruleChanges).toEqual([
      { ruleId: 'brand-case', attribute: 'brand' },
      { ruleId: 'free-late', attribute: 'price' },
    ]);
    // Stored a batch of items per row, not a row per item.
    const [{ n }] = await api.runtime.dataSource.query(
      'SELECT count(*)::int AS n FROM run_rule_trace WHERE run_id = $1',
      [rawId(run.id)],
    );
    expect(n).toBe(3);
    // Each batch keeps each distinct change list once; its items point to them; `items` counts them.
    const batches: { patterns: number; items: number; counted: number }[] = await api.runtime.dataSource.query(
      `SELECT jsonb_array_length(changes::jsonb->'patterns') AS patterns, jsonb_array_length(changes::jsonb->'rows') AS items,
              items AS counted
         FROM run_rule_trace WHERE run_id = $1 ORDER BY "row"`,
      [rawId(run.id)],
    );
    expect(batches).toEqual([
      { patterns: 1, items: 128, counted: 128 },
      { patterns: 1, items: 128, counted: 128 },
      { patterns: 2, items: 44, counted: 44 },
    ]);
    // A batch with each item's list inline, as runs before patterns stored it, still reads.
    await api.runtime.dataSource.query(
      `INSERT INTO run_rule_trace (run_id, brand_id, "row", item_id, changes)
       SELECT id, brand_id, 400, NULL,
              '{"rows":[[400,"INLINE",[[0,"brand"]]],[401,"INLINE2",[[1,"price"]]]]}' FROM ingestion_run WHERE id = $1`,
      [rawId(run.id)],
    );
    const inline = (await api.gqlOk(PAGE, { id: run.id, itemId: 'INLINE2' }, key)).ingestionRun.ruleTrace;
    expect(inline.nodes).toEqual([
      { row: 401, itemId: 'INLINE2', changes: [{ ruleId: 'free-late', ruleName: 'P260 is free', attribute: 'price' }] },
    ]);
    // A row per item, as runs before batches stored it, still reads.
    await api.runtime.dataSource.query(
      `INSERT INTO run_rule_trace (run_id, brand_id, "row", item_id, changes)
       SELECT id, brand_id, 500, 'OLD', '[{"ruleId":"gone","ruleName":"Gone","attribute":"title"}]' FROM ingestion_run WHERE id = $1`,
      [rawId(run.id)],
    );
    const old = (await api.gqlOk(PAGE, { id: run.id, itemId: 'OLD' }, key)).ingestionRun.ruleTrace;
    expect(old.nodes).toEqual([
      { row: 500, itemId: 'OLD', changes: [{ ruleId: 'gone', ruleName: 'Gone', attribute: 'title' }] },
    ]);
    // Paged in small pages across all three forms (rows without `items` are counted by reading them).
    const SMALL = `query($id: ID!, $after: String) { ingestionRun(id: $id) {
      ruleTrace(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { row itemId } } } }`;
    const all: { row: number; itemId: string }[] = await tracePages(SMALL, run.id, 303, 7);
    expect(all.map((t) => t.itemId)).toEqual([...ids, 'INLINE', 'INLINE2', 'OLD']);
    expect(all.map((t) => t.row)).toEqual([...ids.map((_, i) => i + 2), 400, 401, 500]);
  });

  it('reads the traces runs stored as jsonb before traces were kept as text, once the migration has converted them', async () => {
    const feedId = await createFeed(api, key, { name: 'Upgraded traces' });
    await setRules(feedId, [
      { ruleId: 'brand-case', name: 'Brand in capitals', actions: [{ type: 'UPPERCASE', attribute: 'brand' }] },
    ]);
    const run = await ingest(api, key, feedId, csv(row('U1'), row('U2')));
    const db = api.runtime.dataSource;
    const Migration = MIGRATIONS.find((m) => m.name === 'RuleTraceText1764000000031')!;
    const runner = db.createQueryRunner();
    try {
      // The schema before it (changes jsonb, no items), the run's batch as it was then, and rows of the two older forms.
      await new Migration().down(runner);
      const [{ type }] = await db.query(
        `SELECT data_type AS type FROM information_schema.columns WHERE table_name = 'run_rule_trace' AND column_name = 'changes'`,
      );
      expect(type).toBe('jsonb');
      await db.query(
        `INSERT INTO run_rule_trace (run_id, brand_id, "row", item_id, changes)
         SELECT id, brand_id, 400, NULL, '{"rows":[[400,"INLINE",[[0,"brand"]]]]}'::jsonb FROM ingestion_run WHERE id = $1
         UNION ALL
         SELECT id, brand_id, 500, 'OLD', '[{"ruleId":"gone","ruleName":"Gone","attribute":"title"}]'::jsonb
           FROM ingestion_run WHERE id = $1`,
        [rawId(run.id)],
      );
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    const PAGE = `query($id: ID!, $after: String) { ingestionRun(id: $id) {
      ruleTrace(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { row itemId changes { ruleId attribute } } } } }`;
    expect(await tracePages(PAGE, run.id, 4, 2)).toEqual([
      { row: 2, itemId: 'U1', changes: [{ ruleId: 'brand-case', attribute: 'brand' }] },
      { row: 3, itemId: 'U2', changes: [{ ruleId: 'brand-case', attribute: 'brand' }] },
      { row: 400, itemId: 'INLINE', changes: [{ ruleId: 'brand-case', attribute: 'brand' }] },
      { row: 500, itemId: 'OLD', changes: [{ ruleId: 'gone', attribute: 'title' }] },
    ]);
  });

  it('accepts an item a rule could not be applied to (a value too long for its pattern) with a FEED_RULE_LIMIT warning naming the rule', async () => {
    const feedId = await createFeed(api, key, { name: 'Limits' });
    await setRules(feedId, [
      {
        ruleId: 'notes',
        name: 'Notes with x',
        when: { attribute: 'notes', operator: 'MATCHES', value: 'x+y' },
        actions: [{ type: 'SET_CUSTOM_LABEL', index: 0, value: 'noted' }],
      },
    ]);
    const long = 'x'.repeat(70_000);
    const run = await ingest(
      api,
      key,
      feedId,
      [`${HEADER},notes`, `${row('L')},${long}`, `${row('S')},xxy`].join('\n') + '\n',
    );
    expect(run).toMatchObject({ itemsAccepted: 2, itemsRejected: 0 });
    const view = await runRules(run.id);
    const limit = view.issues.nodes.filter((i: { code: string }) => i.code === 'FEED_RULE_LIMIT');
    expect(limit).toEqual([
      expect.objectContaining({ severity: 'WARNING', itemId: 'L', ruleId: 'notes', ruleName: 'Notes with x' }),
    ]);
    expect(view.ruleTrace.nodes.map((t: { itemId: string }) => t.itemId)).toEqual(['S']);
  });

  it('turns a Shopify export without links from rejected into accepted with a SET link template on the next run', async () => {
    const file = readFileSync(join(process.cwd(), 'test', 'fixtures', 'feeds', 'shopify', 'products_export_demo.csv'));
    // No storeUrl: the export has no link column, so every item lacks its required link.
    const feedId = await createFeed(api, key, { name: 'Shopify export', defaultCurrency: 'USD' });
    const rejected = await ingest(api, key, feedId, file);
    expect(rejected).toMatchObject({ status: 'SUCCEEDED', dialect: 'SHOPIFY', itemsAccepted: 0, itemsRejected: 21 });
    expect(rejected.issueSummary).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'MISSING_REQUIRED', attribute: 'link', count: 21 })]),
    );
    const set = await setRules(feedId, [
      {
        ruleId: 'shopify-links',
        name: 'Product page links',
        when: { attribute: 'link', operator: 'IS_EMPTY' },
        actions: [{ type: 'SET', attribute: 'link', template: 'https://shop.example.com/products/{handle}' }],
      },
    ]);
    expect(set.userErrors).toEqual([]);
    const accepted = await ingest(api, key, feedId, file);
    expect(accepted).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 21, itemsRejected: 0 });
    expect(accepted.issueSummary.filter((s) => s.code === 'MISSING_REQUIRED' && s.attribute === 'link')).toEqual([]);
    const links = await api.runtime.dataSource.query(
      `SELECT DISTINCT ir.data->>'link' AS link FROM version_item vi JOIN catalog_version v ON v.id = vi.version_id
         JOIN item_revision ir ON ir.feed_id = v.feed_id AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
        WHERE v.run_id = $1 ORDER BY 1`,
      [rawId(accepted.id)],
    );
    expect(links.map((l: { link: string }) => l.link)).toContain('https://shop.example.com/products/floor-lamp');
  });

  it('previews proposed rules over the latest source without changing anything', async () => {
    const { id: brandId, apiKey } = await registerBrand(api, 'Previewer');
    const feedId = await createFeed(api, apiKey, { name: 'Preview' });
    const run = await ingest(
      api,
      apiKey,
      feedId,
      csv(row('A'), row('B', { link: '' }), row('C', { title: 'Sample C' })),
    );
    expect(run).toMatchObject({ itemsAccepted: 2, itemsRejected: 1 });
    await api.gqlOk(
      'mutation($f: ID!) { publishRun(input: { runId: $f }) { userErrors { code } } }',
      { f: run.id },
      apiKey,
    );
    const tables = [
      'ingestion_run',
      'run_issue',
      'feed_rule_set',
      'catalog_version',
      'catalog_product',
      'run_rule_trace',
    ];
    const counts = async () =>
      Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t, rawId(brandId))])));
    const live = async () =>
      api.runtime.dataSource.query(
        'SELECT offer_id, title, link FROM catalog_product WHERE brand_id = $1 ORDER BY offer_id',
        [rawId(brandId)],
      );
    const before = { counts: await counts(), live: await live() };
    const rules = [
      {
        ruleId: 'links',
        name: 'Links',
        when: { attribute: 'link', operator: 'IS_EMPTY' },
        actions: [{ type: 'SET', attribute: 'link', template: 'https://shop.example/p/{id}' }],
      },
      {
        ruleId: 'samples',
        name: 'No samples',
        when: { attribute: 'title', operator: 'CONTAINS', value: 'Sample' },
        actions: [{ type: 'EXCLUDE' }],
      },
      {
        ruleId: 'bad-price',
        name: 'Break A',
        when: { attribute: 'id', operator: 'EQUALS', value: 'A' },
        actions: [{ type: 'SET', attribute: 'price', value: 'n/a' }],
      },
    ];
    const res = await api.gqlOk(PREVIEW, { feedId, rules, sample: 10 }, apiKey);
    const preview = res.previewFeedRules;
    expect(preview).toMatchObject({
      problems: [],
      sourceRunId: run.id,
      itemsRead: 3,
      truncated: false,
      itemsChanged: 2,
      itemsExcluded: 1,
      validBefore: 2,
      validAfter: 1,
      becameValid: 1,
      becameInvalid: 2,
      rules: [
        { ruleId: 'links', ruleName: 'Links', itemsChanged: 1, itemsExcluded: 0 },
        { ruleId: 'samples', ruleName: 'No samples', itemsChanged: 0, itemsExcluded: 1 },
        { ruleId: 'bad-price', ruleName: 'Break A', itemsChanged: 1, itemsExcluded: 0 },
      ],
    });
    const byId = Object.fromEntries(preview.sample.map((s: { itemId: string }) => [s.itemId, s]));
    expect(byId.B).toMatchObject({
      validBefore: false,
      validAfter: true,
      changes: [{ ruleId: 'links', attribute: 'link', before: null, after: 'https://shop.example/p/B' }],
    });
    expect(byId.C).toMatchObject({ validBefore: true, validAfter: false, excludedBy: { ruleId: 'samples' } });
    expect(byId.A).toMatchObject({
      validBefore: true,
      validAfter: false,
      changes: [{ ruleId: 'bad-price', attribute: 'price', before: '59.99 USD', after: 'n/a' }],
      errorsAfter: [expect.objectContaining({ attribute: 'price' })],
    });
    // Problems come back as data, nothing read.
    const invalid = await api.gqlOk(
      PREVIEW,
      { feedId, rules: [{ ruleId: 'x', name: 'x', actions: [{ type: 'TRUNCATE', attribute: 'title' }] }] },
      apiKey,
    );
    expect(invalid.previewFeedRules.itemsRead).toBe(0);
    expect(invalid.previewFeedRules.problems[0].field.slice(0, 2)).toEqual(['rules', '0']);
    expect({ counts: await counts(), live: await live() }).toEqual(before);
  });

  it('records the rule-set version on each catalog version, and a rollback makes that version’s rules current again', async () => {
    const feedId = await createFeed(api, key, { name: 'Rollback' });
    const publish = async (runId: string) =>
      api.gqlOk('mutation($r: ID!) { publishRun(input: { runId: $r }) { userErrors { code } } }', { r: runId }, key);
    const v1 = await ingest(api, key, feedId, csv(row('A'), row('B')));
    await publish(v1.id);
    await setRules(feedId, [
      { ruleId: 'prefix', name: 'Prefix titles', actions: [{ type: 'PREPEND', attribute: 'title', value: 'New ' }] },
    ]);
    const v2 = await ingest(api, key, feedId, csv(row('A'), row('B')));
    await publish(v2.id);
    await setRules(feedId, [
      { ruleId: 'suffix', name: 'Suffix titles', actions: [{ type: 'APPEND', attribute: 'title', value: ' (sale)' }] },
    ]);
    const v3 = await ingest(api, key, feedId, csv(row('A'), row('B')));
    await publish(v3.id);
    const versions = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { versions(first: 10) { nodes { number ruleSetVersion } } feedRules { version } } }',
      { id: feedId },
      key,
    );
    expect(versions.feed.versions.nodes).toEqual([
      { number: 3, ruleSetVersion: 2 },
      { number: 2, ruleSetVersion: 1 },
      { number: 1, ruleSetVersion: null },
    ]);
    const titles = async () =>
      (
        await api.runtime.dataSource.query('SELECT title FROM catalog_product WHERE feed_id = $1 ORDER BY offer_id', [
          rawId(feedId),
        ])
      ).map((r: { title: string }) => r.title);
    expect(await titles()).toEqual(['Trail Runner A (sale)', 'Trail Runner B (sale)']);

    const rollback = async (toVersion: number) =>
      (
        await api.gqlOk(
          'mutation($f: ID!, $n: Int!) { rollbackFeed(input: { feedId: $f, toVersion: $n }) { userErrors { code } } }',
          { f: feedId, n: toVersion },
          key,
        )
      ).rollbackFeed;
    expect((await rollback(2)).userErrors).toEqual([]);
    expect(await titles()).toEqual(['New Trail Runner A', 'New Trail Runner B']);
    const restored = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { feedRules { version restoredFromVersion rules { ruleId } } } }',
      { id: feedId },
      key,
    );
    expect(restored.feed.feedRules).toEqual({ version: 3, restoredFromVersion: 1, rules: [{ ruleId: 'prefix' }] });
    // The next run applies the restored rules: the same catalog as the version rolled back to.
    const next = await ingest(api, key, feedId, csv(row('A'), row('B')));
    expect(next.diff).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: 2 });
    expect((await runRules(next.id)).ruleSetVersion).toBe(3);

    // Back to the version made without rules: an empty rule set becomes current.
    expect((await rollback(1)).userErrors).toEqual([]);
    const cleared = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { feedRules { version restoredFromVersion rules { ruleId } } } }',
      { id: feedId },
      key,
    );
    expect(cleared.feed.feedRules).toEqual({ version: 4, restoredFromVersion: 0, rules: [] });
  });

  it('refuses half a surrogate pair in a rule as a userError with its path, storing nothing (jsonb cannot hold it)', async () => {
    const feedId = await createFeed(api, key, { name: 'Lone surrogate' });
    const bad = await setRulesRaw(feedId, [
      {
        ruleId: 'label',
        name: 'Label',
        actions: [{ type: 'MAP', attribute: 'color', table: [{ from: 'red', to: 'Rot \ud83d' }] }],
      },
      { ruleId: 'tag', name: 'Tag', actions: [{ type: 'SET', attribute: 'title', value: 'Boots \udc00' }] },
    ]);
    expect(bad.feedRules).toBeNull();
    expect(bad.userErrors).toEqual([
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        field: ['input', 'rules', '0', 'actions', '0', 'table', '0'],
      }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'rules', '1', 'actions', '0', 'value'] }),
    ]);
    for (const error of bad.userErrors) expect(error.message).toMatch(/^INVALID_VALUE: .*surrogate pair/);
    const read = await api.gqlOk('query($id: ID!) { feed(id: $id) { feedRules { version } } }', { id: feedId }, key);
    expect(read.feed.feedRules).toBeNull();
  });

  it('answers a preview over a latest file that cannot be read (its run failed) BAD_USER_INPUT, changing nothing', async () => {
    const { id: brandId, apiKey } = await registerBrand(api, 'Unreadable');
    const feedId = await createFeed(api, apiKey, { name: 'Binary upload' });
    const run = await ingest(api, apiKey, feedId, Buffer.from([0x00, 0x01, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65]));
    expect(run.status).toBe('FAILED');
    const tables = ['ingestion_run', 'run_issue', 'feed_rule_set', 'catalog_version', 'run_rule_trace'];
    const counts = async () => Promise.all(tables.map((t) => count(t, rawId(brandId))));
    const before = await counts();
    const rules = [{ ruleId: 'all', name: 'Everything out', actions: [{ type: 'EXCLUDE' }] }];
    const res = await api.gql(PREVIEW, { feedId, rules }, apiKey);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('cannot be read'),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'feedId' }),
      }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('stops a preview at FEED_RULES_PREVIEW_BUDGET_MS, part-way through an item if need be, and says it read only part', async () => {
    const feedId = await createFeed(api, key, { name: 'Preview budget' });
    await ingest(api, key, feedId, csv(row('A'), row('B'), row('C')));
    const rules = [{ ruleId: 'brand', name: 'Brand', actions: [{ type: 'UPPERCASE', attribute: 'brand' }] }];
    const saved = api.config.feedRules.previewBudgetMs;
    api.config.feedRules.previewBudgetMs = 0;
    try {
      // The budget is spent before the first rule: one item can cost minutes (2,000 patterns of 130 ms each on a
      // long description), so the rules stop part-way and that item is not counted.
      const cut = (await api.gqlOk(PREVIEW, { feedId, rules }, key)).previewFeedRules;
      expect(cut).toMatchObject({
        problems: [],
        itemsRead: 0,
        truncated: true,
        itemsChanged: 0,
        validBefore: 0,
        validAfter: 0,
        sample: [],
      });
    } finally {
      api.config.feedRules.previewBudgetMs = saved;
    }
    const whole = (await api.gqlOk(PREVIEW, { feedId, rules }, key)).previewFeedRules;
    expect(whole).toMatchObject({ itemsRead: 3, truncated: false, itemsChanged: 3 });
  });

  it('names a MAP table entry at fault by its position in the list, whatever its key holds', async () => {
    const feedId = await createFeed(api, key, { name: 'Table paths' });
    const table = [
      { from: 'Boots', to: '187' },
      { from: `size[4].eu ${'x'.repeat(10_000)}`, to: '1' },
      { from: 'Bags', to: 'y'.repeat(10_001) },
    ];
    const rules = [{ ruleId: 'map', name: 'Map', actions: [{ type: 'MAP', attribute: 'product_type', table }] }];
    const bad = await setRulesRaw(feedId, rules);
    expect(bad.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'rules', '0', 'actions', '0', 'table', '1'] }),
    ]);
    expect(bad.userErrors[0].message).toMatch(/^TOO_LONG: /);
    const preview = (
      await api.gqlOk(
        PREVIEW,
        { feedId, rules: [{ ...rules[0], actions: [{ ...rules[0].actions[0], table: [table[0], table[2]] }] }] },
        key,
      )
    ).previewFeedRules;
    expect(preview.problems).toEqual([
      expect.objectContaining({ field: ['rules', '0', 'actions', '0', 'table', '1'], code: 'TOO_LONG' }),
    ]);
  });

  it('refuses conditions nested past 8 groups as TOO_DEEP at the group past the limit, and a thousand levels with a clear error, not a stack overflow', async () => {
    const feedId = await createFeed(api, key, { name: 'Deep conditions' });
    /** JSON text, built as text: JSON.stringify itself recurses. */
    const nestedJson = (groups: number) =>
      '{"all":['.repeat(groups) + '{"attribute":"a","operator":"IS_EMPTY"}' + ']}'.repeat(groups);
    const rulesJson = (groups: number) =>
      `[{"ruleId":"deep","name":"Deep","when":${nestedJson(groups)},"actions":[{"type":"EXCLUDE"}]}]`;
    const post = async (body: string) => {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const setQuery = JSON.stringify(SET_RULES);
    const previewQuery = JSON.stringify(PREVIEW);
    const tooDeepAt = ['when', ...Array.from({ length: 8 }, () => ['all', '0']).flat()];
    // 9 and 40 groups: the engine's limit, a userError / preview problem at the ninth group.
    for (const groups of [9, 40]) {
      const set = await post(
        `{"query":${setQuery},"variables":{"input":{"feedId":"${feedId}","rules":${rulesJson(groups)}}}}`,
      );
      expect(set.body.data.setFeedRules.feedRules).toBeNull();
      expect(set.body.data.setFeedRules.userErrors).toEqual([
        {
          code: 'BAD_USER_INPUT',
          message: 'TOO_DEEP: Conditions nest at most 8 groups deep',
          field: ['input', 'rules', '0', ...tooDeepAt],
        },
      ]);
      const preview = await post(
        `{"query":${previewQuery},"variables":{"feedId":"${feedId}","rules":${rulesJson(groups)}}}`,
      );
      expect(preview.body.data.previewFeedRules.problems).toEqual([
        { field: ['rules', '0', ...tooDeepAt], code: 'TOO_DEEP', message: 'Conditions nest at most 8 groups deep' },
      ]);
    }
    // A literal 100 groups deep reads as far as the engine too.
    const literal = (groups: number) =>
      `mutation { setFeedRules(input: { feedId: "${feedId}", rules: [{ ruleId: "deep", name: "Deep", when: ${
        '{ any: ['.repeat(groups) + '{ attribute: "a", operator: IS_EMPTY }' + '] }'.repeat(groups)
      }, actions: [{ type: EXCLUDE }] }] }) { feedRules { version } userErrors { code message field } } }`;
    const literal100 = await post(JSON.stringify({ query: literal(100) }));
    expect(literal100.body.data.setFeedRules.userErrors).toEqual([
      expect.objectContaining({ message: 'TOO_DEEP: Conditions nest at most 8 groups deep' }),
    ]);
    // A thousand groups (and fifty thousand): refused before GraphQL reads them, saying where and why.
    for (const groups of [1000, 50_000]) {
      const set = await post(
        `{"query":${setQuery},"variables":{"input":{"feedId":"${feedId}","rules":${rulesJson(groups)}}}}`,
      );
      expect(set.status).toBe(400);
      expect(set.body.errors).toEqual([
        {
          message: expect.stringMatching(
            /^Variable "\$input" nests lists and objects more than 100 levels deep \(at \$input\.rules\[0\]\.when\.all\[0\]\.all\[0\]/,
          ),
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      const preview = await post(
        `{"query":${previewQuery},"variables":{"feedId":"${feedId}","rules":${rulesJson(groups)}}}`,
      );
      expect(preview.status).toBe(400);
      expect(preview.body.errors[0].message).toMatch(
        /^Variable "\$rules" nests lists and objects more than 100 levels/,
      );
      expect(preview.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      const inline = await post(JSON.stringify({ query: literal(groups) }));
      expect(inline.status).toBe(400);
      expect(inline.body.errors).toEqual([
        {
          message: expect.stringMatching(
            /^Syntax Error: the document opens more than 256 brackets .*\(at line 1, column \d+\)/,
          ),
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ]);
    }
    const read = await api.gqlOk('query($id: ID!) { feed(id: $id) { feedRules { version } } }', { id: feedId }, key);
    expect(read.feed.feedRules).toBeNull();
  });

  it('refuses two MAP entries that are one key to the lookup but map to different values, naming both, and keeps agreeing ones once', async () => {
    const feedId = await createFeed(api, key, { name: 'Map duplicates' });
    const map = (table: { from: string; to: string }[]) => [
      { ruleId: 'colors', name: 'Colors', actions: [{ type: 'MAP', attribute: 'color', table }] },
    ];
    const cases: [{ from: string; to: string }[], string][] = [
      // One `from` twice: the table kept the last one, silently.
      [
        [
          { from: 'Black', to: 'dark' },
          { from: 'Red', to: 'rot' },
          { from: 'Black', to: 'light' },
        ],
        '2',
      ],
      // Keys differing in case: "BLACK" took the first one's value, silently.
      [
        [
          { from: 'Black', to: 'dark' },
          { from: 'black', to: 'light' },
        ],
        '1',
      ],
    ];
    for (const [table, position] of cases) {
      const bad = await setRulesRaw(feedId, map(table));
      expect(bad.feedRules).toBeNull();
      expect(bad.userErrors).toEqual([
        {
          code: 'BAD_USER_INPUT',
          field: ['input', 'rules', '0', 'actions', '0', 'table', position],
          message: expect.stringMatching(/^CONFLICT: Table keys "Black" \(→ "dark"\) and "[Bb]lack" \(→ "light"\)/),
        },
      ]);
      const preview = (await api.gqlOk(PREVIEW, { feedId, rules: map(table) }, key)).previewFeedRules;
      expect(preview.problems).toEqual([
        expect.objectContaining({ field: ['rules', '0', 'actions', '0', 'table', position], code: 'CONFLICT' }),
      ]);
    }
    const read = await api.gqlOk('query($id: ID!) { feed(id: $id) { feedRules { version } } }', { id: feedId }, key);
    expect(read.feed.feedRules).toBeNull();
    const agreeing = await setRules(
      feedId,
      map([
        { from: 'Black', to: 'dark' },
        { from: 'black', to: 'dark' },
        { from: 'Black', to: 'dark' },
      ]),
    );
    expect(agreeing.userErrors).toEqual([]);
    expect(agreeing.feedRules.rules[0].actions[0].table).toEqual([
      { from: 'Black', to: 'dark' },
      { from: 'black', to: 'dark' },
    ]);
  });

  it('keeps a MAP table in the order it was given, in the version set, a run of it and a read of it later', async () => {
    const feedId = await createFeed(api, key, { name: 'Map order' });
    // Orders a jsonb column would not keep (it sorts keys by length, then bytes) and a JavaScript object would not
    // either (keys that read as whole numbers come first, ascending): a brand's own order, as it typed it.
    const table = [
      { from: 'Womens > Dresses > Evening', to: '2271' },
      { from: 'acme', to: 'Acme Outdoor' },
      { from: '42', to: 'size 42' },
      { from: 'Bags', to: '6551' },
      { from: '7', to: 'size 7' },
      { from: 'Accessories > Belts', to: '169' },
      { from: 'ACME', to: 'Acme Outdoor' },
    ];
    const set = await setRules(feedId, [
      { ruleId: 'map', name: 'Map', actions: [{ type: 'MAP', attribute: 'brand', table }] },
    ]);
    expect(set.userErrors).toEqual([]);
    expect(set.feedRules.rules[0].actions[0].table).toEqual(table);
    // A run compiles the stored version: the lookup still finds its entry.
    const run = await ingest(api, key, feedId, csv(row('M1'), row('M2', { brand: 'other' })));
    expect(run.status).toBe('SUCCEEDED');
    expect((await runRules(run.id)).itemsChangedByRules).toBe(1);
    await setRules(feedId, [{ ruleId: 'other', name: 'Other', actions: [{ type: 'UPPERCASE', attribute: 'title' }] }]);
    const read = await api.gqlOk(
      'query($id: ID!) { feed(id: $id) { feedRules(version: 1) { rules { actions { table { from to } } } } } }',
      { id: feedId },
      key,
    );
    expect(read.feed.feedRules.rules[0].actions[0].table).toEqual(table);
  });

  it('previews a supplemental feed as its run counts it: ids no primary product has are invalid, before and after the rules', async () => {
    // A brand's own ids are upper case; its price feed writes them in lower case, so its run rejects every item
    // (UNKNOWN_ITEM_ID), and a rule upper-casing the id fixes that: the preview must say so, as the run will.
    const brand = await registerBrand(api, 'Rules supplemental');
    const primary = await createFeed(api, brand.apiKey, { name: 'Primary' });
    expect((await ingest(api, brand.apiKey, primary, csv(row('SKU-1'), row('SKU-2')))).itemsAccepted).toBe(2);
    const prices = await createFeed(api, brand.apiKey, { name: 'Prices', mode: 'UPDATE_ONLY' });
    const file = 'id,price\nsku-1,10.00 USD\nsku-2,12.00 USD\nsku-3,5.00 USD\n';
    const before = await ingest(api, brand.apiKey, prices, file);
    expect([before.itemsAccepted, before.itemsRejected]).toEqual([0, 3]);
    const rules = [{ ruleId: 'ids', name: 'Ids in capitals', actions: [{ type: 'UPPERCASE', attribute: 'id' }] }];
    const preview = (await api.gqlOk(PREVIEW, { feedId: prices, rules, sample: 10 }, brand.apiKey)).previewFeedRules;
    expect(preview).toMatchObject({
      itemsRead: 3,
      itemsChanged: 3,
      validBefore: 0,
      validAfter: 2,
      becameValid: 2,
      becameInvalid: 0,
    });
    expect(preview.sample.map((s: any) => [s.itemId, s.validBefore, s.validAfter, s.errorsAfter])).toEqual([
      ['sku-1', false, true, []],
      ['sku-2', false, true, []],
      ['sku-3', false, false, [{ code: 'UNKNOWN_ITEM_ID', attribute: 'id' }]],
    ]);
    // The run agrees with the preview.
    const set = await api.gqlOk(SET_RULES, { input: { feedId: prices, rules } }, brand.apiKey);
    expect(set.setFeedRules.userErrors).toEqual([]);
    const after = await ingest(api, brand.apiKey, prices, file);
    expect([after.itemsAccepted, after.itemsRejected]).toEqual([preview.validAfter, 1]);
    // A rule that breaks the ids of a file whose ids were right makes valid items invalid, said before it runs.
    await ingest(api, brand.apiKey, prices, 'id,price\nSKU-1,11.00 USD\nSKU-2,13.00 USD\n');
    const breaking = [
      { ruleId: 'prefix', name: 'Prefix', actions: [{ type: 'PREPEND', attribute: 'id', value: 'x-' }] },
    ];
    const broken = (await api.gqlOk(PREVIEW, { feedId: prices, rules: breaking }, brand.apiKey)).previewFeedRules;
    expect(broken).toMatchObject({ itemsRead: 2, validBefore: 2, validAfter: 0, becameValid: 0, becameInvalid: 2 });
    expect(broken.sample.map((s: any) => s.errorsAfter)).toEqual([
      [{ code: 'UNKNOWN_ITEM_ID', attribute: 'id' }],
      [{ code: 'UNKNOWN_ITEM_ID', attribute: 'id' }],
    ]);
  });

  it('previews with the feed’s category-suggestion settings, agreeing with the run on items whose category a suggestion set', async () => {
    const feedId = await createFeed(api, key, { name: 'Suggested categories', acceptCategorySuggestionsAbove: 0 });
    const file = csv(
      row('W1', { title: "Men's leather wallet" }),
      row('W2', { title: 'Leather belt', price: 'free' }),
      row('W3', { title: 'Sample wallet' }),
    );
    const first = await ingest(api, key, feedId, file);
    expect(first).toMatchObject({ itemsAccepted: 2, itemsRejected: 1 });
    const rules = [
      {
        ruleId: 'price',
        name: 'A price for free ones',
        when: { attribute: 'price', operator: 'EQUALS', value: 'free' },
        actions: [{ type: 'SET', attribute: 'price', value: '9.99 USD' }],
      },
      {
        ruleId: 'samples',
        name: 'No samples',
        when: { attribute: 'title', operator: 'CONTAINS', value: 'sample' },
        actions: [{ type: 'EXCLUDE' }],
      },
    ];
    const preview = (await api.gqlOk(PREVIEW, { feedId, rules, sample: 10 }, key)).previewFeedRules;
    expect(preview).toMatchObject({ problems: [], itemsRead: 3, itemsExcluded: 1, validBefore: 2, validAfter: 2 });
    expect((await setRules(feedId, rules)).userErrors).toEqual([]);
    const second = await ingest(api, key, feedId, file);
    const run = await runRules(second.id);
    // Each item's category came from an accepted suggestion, in the run as the preview validated it.
    const suggested = run.issues.nodes.filter((i: { code: string }) => i.code === 'GOOGLE_PRODUCT_CATEGORY_SUGGESTED');
    expect(suggested.map((i: { itemId: string }) => i.itemId).sort()).toEqual(['W1', 'W2']);
    expect(run).toMatchObject({
      itemsAccepted: preview.validAfter,
      itemsRejected: preview.itemsRead - preview.validAfter - preview.itemsExcluded,
      itemsExcluded: preview.itemsExcluded,
    });
  });

  it('bounds what a preview answers per item: its first 50 changes, each value cut to 5,000 characters, and how many there were', async () => {
    const feedId = await createFeed(api, key, { name: 'Preview size' });
    await ingest(api, key, feedId, csv(row('A')));
    // The description doubled 10 times (38 characters to 38,912), then rewritten 60 times: before, a 21 KB request
    // of such rules answered 500 MB for one item, and enough of them ran the API out of memory.
    const rules = [
      {
        ruleId: 'grow',
        name: 'Grow',
        actions: Array.from({ length: 10 }, () => ({
          type: 'SET',
          attribute: 'description',
          template: '{description}{description}',
        })),
      },
      ...Array.from({ length: 3 }, (_, r) => ({
        ruleId: `case-${r}`,
        name: `Case ${r}`,
        actions: Array.from({ length: 20 }, (_, a) => ({
          type: a % 2 ? 'LOWERCASE' : 'UPPERCASE',
          attribute: 'description',
        })),
      })),
    ];
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `query($feedId: ID!, $rules: [FeedRuleInput!]!) { previewFeedRules(feedId: $feedId, rules: $rules, sample: 100) {
          itemsChanged sample { itemId changes { ruleId attribute before after } } } }`,
        variables: { feedId, rules },
      }),
    });
    const text = await res.text();
    expect(text.length).toBeLessThan(1_000_000);
    const preview = (JSON.parse(text) as { data: { previewFeedRules: any } }).data.previewFeedRules;
    expect(preview.itemsChanged).toBe(1);
    const [item] = preview.sample;
    expect(item.changes).toHaveLength(50);
    const counted = await api.gqlOk(
      'query($feedId: ID!, $rules: [FeedRuleInput!]!) { previewFeedRules(feedId: $feedId, rules: $rules) { sample { changeCount } } }',
      { feedId, rules },
      key,
    );
    expect(counted.previewFeedRules.sample).toEqual([{ changeCount: 70 }]);
    expect(item.changes[0]).toEqual({
      ruleId: 'grow',
      attribute: 'description',
      before: 'A light trail shoe with a grippy sole.',
      after: 'A light trail shoe with a grippy sole.A light trail shoe with a grippy sole.',
    });
    const last = item.changes[49];
    expect(last.ruleId).toBe('case-1');
    expect(last.before).toHaveLength(5_001);
    expect(last.before.endsWith('…')).toBe(true);
    // case-1's last action lower-cases what its previous one upper-cased.
    expect(last.before.startsWith('A LIGHT TRAIL SHOE')).toBe(true);
    expect(last.after.startsWith('a light trail shoe')).toBe(true);
    expect(last.after).toHaveLength(5_001);
  });
});
