import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '@brandshelf/db';
import {
  gqlHttp,
  startProcessCluster,
  testServerUrl,
  waitForHealth,
  waitForWorker,
  type ProcessCluster,
} from '@brandshelf/testing';

/**
 * "Running at scale" as a deployment starts it: two API processes and three workers, built, started at the same
 * moment on a new, empty PostgreSQL database. Every one must come up (migrations, the queue's schema and its
 * queues made once, by whichever process gets there first), and the result must be whole: every migration
 * applied once, every queue made, and a feed uploaded to one API published by the workers.
 */

const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the multi-process boot test');
}
const suite = server ? describe : describe.skip;

suite('operator: an API pair and three workers started at once on an empty database', () => {
  let cluster: ProcessCluster;

  beforeAll(async () => {
    cluster = await startProcessCluster('boot');
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  }, 120_000);

  it('all five come up, the schema and queues are whole, and a feed is published', async () => {
    const { sql, apps } = cluster;
    // All at once: no process waits for another to be ready.
    const apis = [await cluster.startApi({ wait: false }), await cluster.startApi({ wait: false })];
    const apiUrls = apis.map((api) => api.url);
    for (let i = 0; i < 3; i++) await cluster.startWorker({ wait: false });
    await Promise.all(
      apps.map((app, i) => (app.role === 'api' ? waitForHealth(`${apiUrls[i]}/health`, app) : waitForWorker(app))),
    );
    expect(apps.filter((app) => !app.alive()).map((app) => `${app.role} ${app.pid}:\n${app.output()}`)).toEqual([]);

    const migrations = await sql.query('SELECT name FROM schema_migration ORDER BY id');
    expect(migrations.rows.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    const queues = await sql.query(`SELECT name FROM pgboss.queue WHERE name NOT LIKE '\\_\\_pgboss%'`);
    expect(queues.rows.length).toBeGreaterThanOrEqual(5);
    expect(queues.rows.map((q) => q.name)).toEqual(expect.arrayContaining(['ingestion.run', 'catalog.run-staged']));

    // Work flows through the whole: an upload to the second API, run and published by the workers.
    const registered = await gqlHttp<{ registerBrand: { apiKey: string } }>(
      apiUrls[1],
      'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { apiKey } }',
      { input: { name: 'Boot Outdoor', email: `boot-${Date.now()}@example.test` } },
    );
    const key = registered.registerBrand.apiKey;
    const feed = await gqlHttp<{ createFeed: { feed: { id: string } } }>(
      apiUrls[0],
      'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } } }',
      { input: { name: 'Main', source: 'UPLOAD', format: 'CSV', autoPublish: true } },
      key,
    );
    const res = await fetch(`${apiUrls[1]}/feeds/${feed.createFeed.feed.id}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body:
        'id,title,description,link,image_link,availability,price,brand,mpn\n' +
        'b-1,Boot product 1,A boot thing.,https://shop.example/b-1,https://shop.example/b-1.jpg,in stock,10.00 USD,Acme,M-1\n',
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const deadline = Date.now() + 120_000;
    let run: { status: string; publishStatus: string } | null = null;
    while (Date.now() < deadline) {
      run = (
        await gqlHttp<{ ingestionRun: { status: string; publishStatus: string } }>(
          apiUrls[0],
          'query($id: ID!) { ingestionRun(id: $id) { status publishStatus } }',
          { id: runId },
          key,
        )
      ).ingestionRun;
      if (run.publishStatus === 'PUBLISHED' || run.status === 'FAILED') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(run).toMatchObject({ status: 'SUCCEEDED', publishStatus: 'PUBLISHED' });
  }, 300_000);
});
