import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, registerBrand, startTestApi, uploadFeed, type TestApi, rawId } from '@brandshelf/testing';
import { IngestionPipeline } from '@brandshelf/ingestion';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const row = (id: string, price = '10.00 USD') =>
  [id, `Lamp ${id}`, 'A warm light.', `https://shop.example/${id}`, `https://img.example/${id}.jpg`, 'in stock', price]
    .concat(['Acme', `M-${id}`])
    .join(',');
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

/**
 * The queue's retries, driven by hand (no worker consumes jobs here) so each attempt is one call: an
 * attempt that fails after staging must leave nothing that stops the next attempt of the same run.
 */
describe('a retried ingestion run (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;
  let brandId: string;
  let pipeline: IngestionPipeline;

  beforeAll(async () => {
    api = await startTestApi(createApi, { RUN_WORKERS: 'false' });
    ({ apiKey: key, id: brandId } = await registerBrand(api, 'Retrier'));
    pipeline = api.app.get(IngestionPipeline);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const upload = async (feedId: string, body: string): Promise<string> => {
    const res = await uploadFeed(api, key, feedId, body);
    expect(res.status).toBe(202);
    return res.json.runId;
  };

  it('starts over after an attempt failed with its stage written', async () => {
    const feedId = await createFeed(api, key, { name: 'Retried' });
    const first = await pipeline.execute(rawId(await upload(feedId, csv(row('R1'), row('R2')))), rawId(brandId));
    expect(first?.status).toBe('SUCCEEDED');

    const runId = await upload(feedId, csv(row('R1', '12.00 USD'), row('R2'), row('R3')));
    const db = api.runtime.dataSource;
    // The database fails the attempt at its very end, once every item is staged.
    await db.query(`CREATE FUNCTION fail_version() RETURNS trigger AS $$ BEGIN
      RAISE EXCEPTION 'no space left on device'; END $$ LANGUAGE plpgsql`);
    await db.query(
      `CREATE TRIGGER fail_version BEFORE INSERT ON catalog_version FOR EACH ROW EXECUTE FUNCTION fail_version()`,
    );
    try {
      await expect(pipeline.execute(rawId(runId), rawId(brandId))).rejects.toThrow(/no space left on device/);
    } finally {
      await db.query('DROP TRIGGER fail_version ON catalog_version; DROP FUNCTION fail_version()');
    }
    const [handedBack] = await db.query('SELECT status, attempt FROM ingestion_run WHERE id = $1', [rawId(runId)]);
    expect(handedBack).toEqual({ status: 'QUEUED', attempt: 1 });

    const retried = await pipeline.execute(rawId(runId), rawId(brandId), { lastAttempt: true });
    expect(retried).toMatchObject({ status: 'SUCCEEDED', attempt: 2, errorCode: null });
    expect(retried?.versionId).toBeTruthy();
    expect(retried?.versionId).not.toBe(first?.versionId);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM version_item WHERE version_id = $1', [
      retried?.versionId,
    ]);
    expect(n).toBe(3);
  });
});
