import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../../api/src/create-api.js';

const ROOT = process.cwd();

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI as a child process, stderr and stdout piped (so neither is a terminal). `feed` writes
 * standard input chunk by chunk with pauses, like a slow producer, once the CLI shows it is uploading.
 */
function cli(args: string[], env: Record<string, string> = {}, feed?: string[], pauseMs = 0): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BRANDSHELF_')));
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--import', './scripts/register.mjs', 'dist/apps/cli/src/main.js', ...args],
    { cwd: ROOT, env: { ...clean, LOG_LEVEL: 'error', ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let uploading: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (uploading = resolve));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (/^progress UPLOADING/m.test(stderr)) uploading();
  });
  child.stdin.on('error', () => undefined); // a CLI that exits early (bad usage) closes its stdin
  void (async () => {
    if (feed) await Promise.race([started, new Promise((resolve) => child.on('close', resolve))]);
    for (const chunk of feed ?? []) {
      child.stdin.write(chunk);
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    child.stdin.end();
  })();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
const rows = (ids: string[], image: string) =>
  ids.map((id) => `${id},Product ${id},A product.,https://shop.example/${id},${image},in stock,10.00 USD,Acme,M-${id}`);

const RUN = `query($id: ID!) { ingestionRun(id: $id) { id status phase imagesDone imagesTotal itemsAccepted publishStatus
  error { code } } }`;
const runIdOf = (stdout: string) => /^Run (\S+):/m.exec(stdout)?.[1];

describe('CLI (built, as a child process, against a loopback server)', () => {
  let api: TestApi;
  let key: string;
  let imageHost: Server;
  let image: string;
  let dir: string;
  let good: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--no-console'], { cwd: ROOT });
    const jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#246' } })
      .jpeg()
      .toBuffer();
    imageHost = createServer((req, res) => {
      if (req.url === '/p.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
    image = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/p.jpg`;
    api = await startTestApi(createApi, { IMAGES_ENABLED: 'true', SSRF_ALLOW_HOSTS: '127.0.0.1' });
    key = (await registerBrand(api, 'Cli')).apiKey;
    dir = await mkdtemp(join(tmpdir(), 'bs-cli-'));
    good = join(dir, 'good.csv');
    await writeFile(good, [HEADER, ...rows(['C1', 'C2', 'C3'], image)].join('\n'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    imageHost?.closeAllConnections();
    imageHost?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads a good feed, follows it through its images to SUCCEEDED and exits 0', async () => {
    const feedId = await createFeed(api, key, { name: 'Good' });
    const out = await cli(['ingest', good, '--feed', feedId, '--server', api.url, '--key', key]);
    expect(out).toMatchObject({ code: 0 });
    expect(out.stdout).toMatch(/: SUCCEEDED in /);
    expect(out.stdout).toContain('images 1: 1 done, 0 failed');
    const run = (await api.gqlOk(RUN, { id: runIdOf(out.stdout) }, key)).ingestionRun;
    expect(run).toMatchObject({ status: 'SUCCEEDED', phase: 'DONE', imagesDone: 1, itemsAccepted: 3 });
    // stderr is a pipe here: whole progress lines, never a bar redrawn with carriage returns.
    expect(out.stderr).toMatch(/^progress UPLOADING /m);
    expect(out.stderr).toMatch(/^progress DONE .*3 rows/m);
    expect(out.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('waits for the auto-publish of an auto-publish feed and says so', async () => {
    const feedId = await createFeed(api, key, { name: 'Auto', autoPublish: true });
    const out = await cli(['ingest', good, '--feed', feedId, '--server', api.url, '--key', key]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('publish: PUBLISHED');
  });

  it('exits 1 with the reason when the run fails, taking server and key from the environment', async () => {
    const feedId = await createFeed(api, key, { name: 'Broken' });
    const page = join(dir, 'page.csv');
    await writeFile(page, '<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>');
    const out = await cli(['ingest', page, '--feed', feedId], { BRANDSHELF_SERVER: api.url, BRANDSHELF_API_KEY: key });
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/: FAILED in /);
    expect(out.stdout).toContain('NOT_A_FEED: The file is an HTML web page, not a product feed.');
    const run = (await api.gqlOk(RUN, { id: runIdOf(out.stdout) }, key)).ingestionRun;
    expect(run).toMatchObject({ status: 'FAILED', error: { code: 'NOT_A_FEED' } });
  });

  it('exits 1 when the server refuses the key or cannot be reached', async () => {
    const feedId = await createFeed(api, key, { name: 'Refused' });
    const refused = await cli(['ingest', good, '--feed', feedId, '--server', api.url, '--key', 'bs_not_a_key']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the upload \(HTTP 401/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await cli(['ingest', good, '--feed', feedId, '--server', deadUrl, '--key', key]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Cannot reach the server .*ECONNREFUSED/);
  });

  it.each([
    ['no command', []],
    ['an unknown command', ['publish']],
    ['an unknown option', ['ingest', 'x.csv', '--feed', 'f', '--fast']],
    ['ingest without --feed', ['ingest', 'x.csv']],
    [
      'a missing file',
      ['ingest', '/nonexistent/feed.csv', '--feed', 'f', '--server', 'http://127.0.0.1:9', '--key', 'k'],
    ],
    ['--server without a key', ['ingest', '-', '--feed', 'f', '--server', 'http://127.0.0.1:9']],
    ['--key without a server', ['feeds', '--key', 'k']],
    ['a server that is not a URL', ['feeds', '--server', 'localhost:3000', '--key', 'k']],
    [
      'a URL to upload in client mode',
      ['ingest', 'http://127.0.0.1:9/f.csv', '--feed', 'f', '--server', 'http://127.0.0.1:9', '--key', 'k'],
    ],
    ['a bad --progress-every', ['ingest', '-', '--feed', 'f', '--progress-every', 'soon']],
  ])('exits 2 on bad usage: %s', async (_name, args) => {
    const out = await cli(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('Usage:');
    expect(out.stdout).toBe('');
  });

  it('prints a progress line every interval while a slow upload goes on, when stderr is not a terminal', async () => {
    const feedId = await createFeed(api, key, { name: 'Slow' });
    const ids = Array.from({ length: 12 }, (_, i) => `S${i}`);
    const chunks = [HEADER + '\n', ...rows(ids, image).map((r) => r + '\n')];
    const out = await cli(
      ['ingest', '-', '--feed', feedId, '--server', api.url, '--key', key, '--progress-every', '0.2'],
      {},
      chunks,
      150,
    );
    expect(out.code).toBe(0);
    // 13 chunks 150 ms apart: the upload alone outlasts several 200 ms intervals, each with its line.
    expect(out.stderr.match(/^progress UPLOADING .*bytes/gm)!.length).toBeGreaterThanOrEqual(3);
    expect(out.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('lists the brand’s feeds in client mode', async () => {
    const feedId = await createFeed(api, key, { name: 'Listed feed' });
    const out = await cli(['feeds', '--server', api.url, '--key', key]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^${feedId}\\s+UPLOAD\\s+Listed feed$`, 'm'));
  });
});

describe('CLI local mode (built, as a child process, on a database no worker serves)', () => {
  let api: TestApi;
  let key: string;
  let imageHost: Server;
  let image: string;
  let dir: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--no-console'], { cwd: ROOT });
    const jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#642' } })
      .jpeg()
      .toBuffer();
    imageHost = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
    image = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/p.jpg`;
    // The API here only creates the brand and feed: it works no jobs, so the CLI must.
    api = await startTestApi(createApi, { RUN_WORKERS: 'false' });
    key = (await registerBrand(api, 'Local')).apiKey;
    dir = await mkdtemp(join(tmpdir(), 'bs-cli-local-'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    imageHost?.closeAllConnections();
    imageHost?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('processes the images itself and exits 0 with the run SUCCEEDED, published on an auto-publish feed', async () => {
    const feedId = await createFeed(api, key, { name: 'Local', autoPublish: true });
    const file = join(dir, 'local.csv');
    await writeFile(file, [HEADER, ...rows(['L1', 'L2'], image)].join('\n'));
    const out = await cli(['ingest', file, '--feed', feedId], {
      DATABASE_URL: api.database.url,
      DATA_DIR: api.dataDir,
      IMAGES_ENABLED: 'true',
      SSRF_ALLOW_HOSTS: '127.0.0.1',
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('images 1: 1 done, 0 failed');
    expect(out.stdout).toContain('publish: PUBLISHED');
    const run = (await api.gqlOk(RUN, { id: runIdOf(out.stdout) }, key)).ingestionRun;
    expect(run).toMatchObject({ status: 'SUCCEEDED', imagesDone: 1, itemsAccepted: 2, publishStatus: 'PUBLISHED' });
    // The run is named by the id the API gives out, as in client mode, not by its row's key.
    expect(runIdOf(out.stdout)).toBe(run.id);
  });

  it('says why a URL could not be fetched, with the code and what to do, not a stack', async () => {
    const feedId = await createFeed(api, key, { name: 'Local URL' });
    const host = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}`;
    const env = { DATABASE_URL: api.database.url, DATA_DIR: api.dataDir };
    const blocked = await cli(['ingest', `${host}/feed.csv`, '--feed', feedId], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      'FETCH_BLOCKED_ADDRESS: Fetching the feed failed: Refused to connect to 127.0.0.1',
    );
    expect(blocked.stderr).toContain('SSRF_ALLOW_HOSTS=127.0.0.1');
    expect(blocked.stderr).not.toMatch(/^\s+at /m);
    // Named in SSRF_ALLOW_HOSTS, the same URL gets past the guard (the host answers an image, read as a feed).
    const allowed = await cli(['ingest', `${host}/feed.csv`, '--feed', feedId], {
      ...env,
      SSRF_ALLOW_HOSTS: '127.0.0.1',
    });
    expect(allowed.stderr).not.toContain('FETCH_BLOCKED_ADDRESS');
  });
});
