import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startS3, startTestApi, type S3Server, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * /health reports the media store beside the database (README: Overload and rate limits, /health): on s3rver, up
 * while it answers and down once it is stopped; the status code still follows the database alone, so a load
 * balancer keeps serving searches (which need no storage) while the bucket is away.
 */
describe('/health reports the media store (s3rver)', () => {
  let s3: S3Server;
  let api: TestApi;
  let s3Closed = false;

  beforeAll(async () => {
    s3 = await startS3();
    api = await startTestApi(createApi, s3.env);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (!s3Closed) await s3?.close();
  });

  type Health = { status: string; database: string; storage?: { status: string; driver: string; error?: string } };
  const health = async (): Promise<{ code: number; body: Health }> => {
    const res = await fetch(`${api.url}/health`);
    return { code: res.status, body: (await res.json()) as Health };
  };
  const until = async (what: string, probe: (h: { code: number; body: Health }) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const h = await health();
      if (probe(h)) return h;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(h)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('says storage up while the bucket answers, and down (still 200, database up) once it is stopped', async () => {
    const up = await until('storage up', (h) => h.body.storage?.status === 'up');
    expect(up.code).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', database: 'up', storage: { status: 'up', driver: 's3' } });

    await s3.close();
    s3Closed = true;
    const down = await until('storage down', (h) => h.body.storage?.status === 'down');
    // The contract clients rely on is the database's: 200 and status ok while it answers.
    expect(down.code).toBe(200);
    expect(down.body).toMatchObject({ status: 'ok', database: 'up', storage: { status: 'down', driver: 's3' } });
    // /health is public: the failure is named, the bucket's address is not.
    expect(down.body.storage?.error).toEqual(expect.any(String));
    expect(down.body.storage?.error).not.toContain('127.0.0.1');
  }, 120_000);
});
