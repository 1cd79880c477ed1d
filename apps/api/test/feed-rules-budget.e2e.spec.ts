import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { RULES_STOPPED_ITEMS_LIMIT } from '@brandshelf/ingestion';
import { createApi } from '../src/create-api.js';

/**
 * FEED_RULES_ITEM_BUDGET_MS through a real run (upload, reader thread, GraphQL): rules far too slow for long values
 * (4,000 case changes of a 200,000-character description, within the rule-set limits: ten times the budget and more) could hold a worker for hours
 * over a large feed. Past the budget each slow item is rejected with FEED_RULES_TOO_SLOW naming the rule, and past
 * RULES_STOPPED_ITEMS_LIMIT of them the run fails with FEED_RULES_RUN_TOO_SLOW, leaving the live catalog as it was.
 */
const SET_RULES = `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) { feedRules { version } userErrors { code message } } }`;
const ISSUES = `query($id: ID!) { ingestionRun(id: $id) { issues(first: 10, filter: { code: FEED_RULES_TOO_SLOW }) {
  totalCount nodes { code severity row itemId ruleId message } } } }`;
const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created } userErrors { code message } } }`;
const LIVE = `query($id: ID!) { feed(id: $id) { liveVersion { number itemCount } } }`;

const RULES = Array.from({ length: 200 }, (_, r) => ({
  ruleId: `case-${r}`,
  name: `Case ${r}`,
  when: { attribute: 'custom:Slow', operator: 'IS_NOT_EMPTY' },
  actions: Array.from({ length: 20 }, (_, a) => ({
    type: a % 2 ? 'LOWERCASE' : 'UPPERCASE',
    attribute: 'description',
  })),
}));

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn,condition,Slow';
const row = (id: string, slow: boolean) =>
  [
    id,
    `Trail shoe ${id}`,
    slow ? 'Ab'.repeat(100_000) : 'A light trail shoe.',
    `https://shop.example/p/${id}`,
    `https://img.example/${id}.jpg`,
    'in stock',
    '59.99 USD',
    'Acme',
    `MPN-${id}`,
    'new',
    slow ? 'yes' : '',
  ].join(',');
const csv = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe('feed rules: the time budget of one item in a run (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi, { FEED_RULES_ITEM_BUDGET_MS: '20' });
    key = (await registerBrand(api, 'Slow Rules')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('rejects items stopped at the budget, and fails a run with too many of them without touching the catalog', async () => {
    const feedId = await createFeed(api, key, { name: 'Slow rules' });
    const set = await api.gqlOk(SET_RULES, { input: { feedId, rules: RULES } }, key);
    expect(set.setFeedRules.userErrors).toEqual([]);

    // The first slow item finishes (and is kept); the later slow one is stopped and rejected, naming its rule.
    const run = await ingest(api, key, feedId, csv([row('S1', true), row('F1', false), row('S2', true)]));
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2, itemsRejected: 1 });
    const issues = (await api.gqlOk(ISSUES, { id: run.id }, key)).ingestionRun.issues;
    expect(issues.totalCount).toBe(1);
    expect(issues.nodes[0]).toMatchObject({ code: 'FEED_RULES_TOO_SLOW', severity: 'ERROR', row: 4, itemId: 'S2' });
    expect(issues.nodes[0].ruleId).toMatch(/^case-\d+$/);
    expect(issues.nodes[0].message).toMatch(/took longer than 20 ms on this item and were stopped in rule "Case \d+"/);
    const published = await api.gqlOk(PUBLISH, { runId: run.id }, key);
    expect(published.publishRun.userErrors).toEqual([]);
    const live = (await api.gqlOk(LIVE, { id: feedId }, key)).feed.liveVersion;
    expect(live).toEqual({ number: 1, itemCount: 2 });

    // Past the limit of stopped items the run fails with its own code, and the live catalog stays as it was.
    const rows = Array.from({ length: RULES_STOPPED_ITEMS_LIMIT + 3 }, (_, i) => row(`S${i}`, true));
    const failed = await ingest(api, key, feedId, csv(rows));
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'FEED_RULES_RUN_TOO_SLOW' });
    expect(failed.error!.message).toMatch(
      new RegExp(`on each of ${RULES_STOPPED_ITEMS_LIMIT + 1} items \\(the first at row 3, in rule "Case \\d+"`),
    );
    expect(failed.error!.hint).toMatch(/previewFeedRules/);
    expect((await api.gqlOk(LIVE, { id: feedId }, key)).feed.liveVersion).toEqual(live);
  }, 120_000);
});
