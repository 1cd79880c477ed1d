import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * The console is served at / from CONSOLE_DIR (dist/console by default) without shadowing anything the API answers;
 * when it was not built, / says how to build it and the API works as before. A stand-in build (index.html and one
 * hashed asset) keeps this test independent of Vite; test/browser drives the real one.
 */
const INDEX =
  '<!doctype html><html lang="en"><head><title>Console</title></head><body><div id="root"></div></body></html>';

describe('the web console served by the API', () => {
  let built: TestApi;
  let bare: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bs-console-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log("console")');
    await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    built = await startTestApi(createApi, { CONSOLE_DIR: dir });
    bare = await startTestApi(createApi, { CONSOLE_DIR: join(dir, 'missing') });
  }, 120_000);

  afterAll(async () => {
    await built?.close();
    await bare?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers index.html at / and at client routes, never cached', async () => {
    for (const path of [
      '/',
      '/signin',
      '/brand/feeds',
      '/brand/runs/SW5nZXN0aW9uUnVuOjE',
      '/creator/search?q=hoodie',
    ]) {
      const res = await fetch(`${built.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets for a year, fixed files for an hour, and 404s an unknown asset', async () => {
    const asset = await fetch(`${built.url}/assets/index-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    const icon = await fetch(`${built.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await fetch(`${built.url}/assets/index-gone.js`)).status).toBe(404);
    expect((await fetch(`${built.url}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('leaves every API path to the API', async () => {
    for (const api of [built, bare]) {
      expect(await api.gqlOk('{ __typename }')).toEqual({ __typename: 'Query' });
      const health = await fetch(`${api.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      // The IDE still answers browsers at /graphql.
      const ide = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await ide.text()).toContain('GraphiQL');
      expect((await fetch(`${api.url}/l/NoSuchCode12`, { redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`${api.url}/exports/nope.xml`)).status).toBe(404);
      const upload = await fetch(`${api.url}/feeds/nope/uploads`, { method: 'POST', body: 'x' });
      expect(upload.status).toBe(401);
      expect((await fetch(`${api.url}/runs/nope/issues.csv`)).status).toBe(401);
      expect((await fetch(`${api.url}/media/nope.webp`)).status).toBe(404);
      const conversions = await fetch(`${api.url}/conversions`, { method: 'POST', body: '{}' });
      expect(conversions.headers.get('content-type')).toMatch(/json/);
      // An unknown path is the API's JSON 404, not the console.
      const unknown = await fetch(`${api.url}/nothing-here`, { headers: { accept: 'text/html' } });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/json/);
    }
  });

  it('says how to build the console when it was not built, and the API still starts', async () => {
    for (const path of ['/', '/brand/feeds']) {
      const res = await fetch(`${bare.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain('npm run build');
      expect(html).toContain('/graphql');
    }
    expect((await fetch(`${bare.url}/assets/index-AbC123.js`)).status).toBe(404);
  });
});
