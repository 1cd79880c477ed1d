import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Parser } from 'htmlparser2';
import WebSocket from 'ws';
import { createFeed, findChromium, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const FEED =
  'id,title,description,link,image_link,availability,price,brand,mpn,condition\n' +
  'B1,Browser Boot,A boot.,https://shop.example/p/B1,https://img.example/B1.jpg,in stock,59.99 USD,Acme,MPN-B1,new\n';

/** The script and stylesheet URLs a page loads. */
function assetUrls(html: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'script' && attrs.src !== undefined) scripts.push(attrs.src);
      if (name === 'link' && /\bstylesheet\b/i.test(attrs.rel ?? '')) styles.push(attrs.href ?? '');
    },
  });
  parser.write(html);
  parser.end();
  return { scripts, styles };
}

describe('the GraphQL IDE at /graphql (served by the app, nothing from a CDN)', () => {
  let api: TestApi;
  let html: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    const res = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    html = await res.text();
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('loads every script and stylesheet from its own origin', () => {
    const { scripts, styles } = assetUrls(html);
    expect(scripts.length).toBeGreaterThanOrEqual(3); // react, react-dom, graphiql
    expect(styles.length).toBeGreaterThanOrEqual(1);
    const origin = new URL(api.url).origin;
    for (const url of [...scripts, ...styles]) expect(new URL(url, `${api.url}/graphql`).origin).toBe(origin);
    // Not even a link or a font: no absolute URL anywhere in the page.
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
  });

  it('serves each asset with its content type and a year of caching', async () => {
    const { scripts, styles } = assetUrls(html);
    for (const [urls, type] of [
      [scripts, /^(text|application)\/javascript/],
      [styles, /^text\/css/],
    ] as const) {
      for (const url of urls) {
        const res = await fetch(new URL(url, api.url));
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(res.headers.get('content-type')).toMatch(type);
        expect(res.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
        const body = await res.text();
        expect(body.length).toBeGreaterThan(10_000);
        // A stylesheet that imports a web font would reach out just the same.
        if (type.source.includes('css')) expect(body).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
      }
    }
    expect(scripts.some((s) => /graphiql/.test(s))).toBe(true);
  });

  it('answers 404 for a file it does not serve, and POST /graphql still answers queries', async () => {
    const missing = await fetch(`${api.url}/graphiql/graphiql@0.0.0/graphiql.min.js`);
    expect(missing.status).toBe(404);
    const traversal = await fetch(`${api.url}/graphiql/..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
    expect(await api.gqlOk('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  // A real browser (Debian: apt-get install chromium); no browser is downloaded. Without one: skipped locally, a
  // failure in CI.
  const { executablePath: chromium, skip, missing } = findChromium();
  if (skip) console.warn(`GraphiQL browser test skipped: ${missing}`);
  (skip ? it.skip : it)(
    'renders GraphiQL offline and sends the key typed into the page as a Bearer header',
    async () => {
      if (!chromium) throw new Error(`CI is set and the browser test cannot run: ${missing}`);
      const browser = await Browser.launch(chromium);
      try {
        const page = await browser.newPage();
        await page.goto(`${api.url}/graphql`);
        await page.waitFor(`!!document.querySelector('.graphiql-execute-button')`);

        const brand = await registerBrand(api, 'Browser Brand');
        await page.evaluate(`(() => {
          const input = document.getElementById('brandshelf-key');
          input.value = ${JSON.stringify(brand.apiKey)};
          input.dispatchEvent(new Event('input'));
          document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('query Me { me { __typename ... on BrandPrincipal { brand { name } } } }');
        })()`);
        // GraphiQL takes the operation name from the editor a moment later; running before that sends the old one.
        await page.waitFor(`document.querySelector('.graphiql-tab-active, .graphiql-tab').innerText.trim() === 'Me'`);
        await page.evaluate(`document.querySelector('.graphiql-execute-button').click()`);
        const response = `document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`;
        await page.waitFor(`${response}.includes('"me"')`);
        expect(JSON.parse((await page.evaluate(response)) as string)).toEqual({
          data: { me: { __typename: 'BrandPrincipal', brand: { name: 'Browser Brand' } } },
        });

        // Subscriptions go over graphql-ws on the same path, with the key as connectionParams.
        const feedId = await createFeed(api, brand.apiKey, { name: 'Browser feed' });
        const run = await ingest(api, brand.apiKey, feedId, FEED);
        const subscription = `subscription Progress { ingestionRunProgress(runId: "${run.id}") { id status } }`;
        await page.evaluate(
          `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(subscription)})`,
        );
        await page.waitFor(
          `document.querySelector('.graphiql-tab-active, .graphiql-tab').innerText.trim() === 'Progress'`,
        );
        await page.evaluate(`document.querySelector('.graphiql-execute-button').click()`);
        await page.waitFor(`${response}.includes('SUCCEEDED')`);
        expect(JSON.parse((await page.evaluate(response)) as string)).toEqual({
          data: { ingestionRunProgress: { id: run.id, status: 'SUCCEEDED' } },
        });
        expect(page.requests.some((url) => url.startsWith(api.url.replace('http', 'ws')))).toBe(true);

        // The key outlives a reload (localStorage), so a newcomer pastes it once.
        await page.goto(`${api.url}/graphql`);
        await page.waitFor(`!!document.querySelector('.graphiql-execute-button')`);
        expect(await page.evaluate(`document.getElementById('brandshelf-key').value`)).toBe(brand.apiKey);

        // Everything it asked for, the websocket included, went to the app's own host and nowhere else.
        const host = new URL(api.url).host;
        expect(page.requests.length).toBeGreaterThan(4);
        expect(page.requests.filter((url) => new URL(url).host !== host)).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    240_000,
  );
});

/** Just enough of the Chrome DevTools Protocol (over `ws`) to load a page, run script in it and see its requests. */
class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  private readonly listeners: ((method: string, params: any, sessionId?: string) => void)[] = [];

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else {
        for (const listener of this.listeners) listener(message.method, message.params, message.sessionId);
      }
    });
  }

  static async launch(executable: string): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), 'bs-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        // Every name fails to resolve: nothing leaves loopback, and a CDN reference would break the page.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        '--remote-debugging-port=0',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`chromium exited with ${code}: ${seen.slice(-500)}`)));
    });
    const socket = new WebSocket(endpoint);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new Browser(child, socket, profile);
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  async newPage() {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const requests: string[] = [];
    let loaded: (() => void) | null = null;
    this.listeners.push((method, params, from) => {
      if (from !== sessionId) return;
      if (method === 'Network.requestWillBeSent' && !params.request.url.startsWith('data:')) {
        requests.push(params.request.url);
      }
      if (method === 'Network.webSocketCreated') requests.push(params.url);
      if (method === 'Page.loadEventFired') loaded?.();
    });
    await this.send('Network.enable', {}, sessionId);
    await this.send('Page.enable', {}, sessionId);
    const evaluate = async (expression: string): Promise<unknown> => {
      const result = await this.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
      if (result.exceptionDetails) throw new Error(`in page: ${JSON.stringify(result.exceptionDetails)}`);
      return result.result.value;
    };
    return {
      requests,
      evaluate,
      goto: async (url: string) => {
        const done = new Promise<void>((resolve) => (loaded = resolve));
        await this.send('Page.navigate', { url }, sessionId);
        await done;
      },
      /** Polls an expression until it is true; gives up with the expression in the message. */
      waitFor: async (expression: string, limitMs = 60_000) => {
        const deadline = Date.now() + limitMs;
        for (;;) {
          const value = await evaluate(`(() => { try { return ${expression}; } catch { return false; } })()`);
          if (value) return;
          if (Date.now() > deadline) throw new Error(`page never satisfied: ${expression}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    };
  }

  async close(): Promise<void> {
    this.socket.close();
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill();
    await exited;
    // Chromium's helper processes may still be writing into the profile after the browser exits: retry.
    await rm(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
