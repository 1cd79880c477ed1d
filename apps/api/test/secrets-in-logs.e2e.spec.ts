import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

interface RequestLine {
  msg: string;
  method: string;
  path: string;
  status: number;
}

/**
 * A channel export's URL is its only credential (no API key; only sha256 of the token is stored, like an API key's),
 * yet every download was logged with the token in its path: anyone reading the logs could fetch, and keep fetching,
 * the brand's catalog export until the brand rotated it.
 */
describe('secrets in request logs (e2e on a real database)', () => {
  let api: TestApi;
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    // The logger writes JSON lines to stdout: keep what it writes (instead of printing it among the test's output).
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof process.stdout.write;
    api = await startTestApi(createApi, { LOG_LEVEL: 'info' });
  }, 120_000);

  afterAll(async () => {
    process.stdout.write = write;
    await api?.close();
  });

  /** The request lines logged so far for paths under /exports (case-insensitively, as Express routes them). */
  const exportRequests = (): RequestLine[] =>
    written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as RequestLine)
      .filter((line) => line.msg === 'request' && /^\/exports\//i.test(line.path));

  it('logs channel export downloads without the token in their path', async () => {
    const brand = await registerBrand(api, 'Logged Exports');
    const created = await api.gqlOk<{ createChannelExport: { channelExport: { id: string }; url: string } }>(
      'mutation { createChannelExport(input: { channel: GOOGLE }) { channelExport { id } url userErrors { code } } }',
      {},
      brand.apiKey,
    );
    const first = new URL(created.createChannelExport.url);
    const token = first.pathname.replace(/^\/exports\/|\.xml$/g, '');
    expect(token).toMatch(/^bsx_/);
    const at = (path: string, method = 'GET') => fetch(`${api.url}${path}`, { method }).then((r) => r.status);
    expect(await at(first.pathname)).toBe(200);
    expect(await at(first.pathname, 'HEAD')).toBe(200);
    expect(await at(first.pathname.replace('/exports/', '/EXPORTS/'))).toBe(200);
    expect(await at(`${first.pathname}?utm=1`)).toBe(200);

    const rotated = await api.gqlOk<{ rotateChannelExportToken: { url: string } }>(
      'mutation($id: ID!) { rotateChannelExportToken(input: { channelExportId: $id }) { url userErrors { code } } }',
      { id: created.createChannelExport.channelExport.id },
      brand.apiKey,
    );
    const second = new URL(rotated.rotateChannelExportToken.url);
    const newToken = second.pathname.replace(/^\/exports\/|\.xml$/g, '');
    expect(await at(first.pathname)).toBe(404); // the old token is gone
    expect(await at(second.pathname)).toBe(200);

    // A request's line is written once its response has finished, which can be just after the client has it.
    for (let i = 0; i < 100 && exportRequests().length < 6; i++) await new Promise((r) => setTimeout(r, 50));
    const lines = exportRequests();
    expect(lines.map((l) => [l.method, l.status])).toEqual([
      ['GET', 200],
      ['HEAD', 200],
      ['GET', 200],
      ['GET', 200],
      ['GET', 404],
      ['GET', 200],
    ]);
    // Every one is logged, each without its token.
    expect(lines.map((l) => l.path.toLowerCase())).toEqual(Array(6).fill('/exports/[token].xml'));
    const everything = written.join('');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(newToken);
  }, 60_000);
});
