import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import zlib from 'node:zlib';
import { HostLimiter } from './host-limiter.js';
import { hostDown, NetError } from './net.errors.js';
import { SafeHttpClient, type SafeHttpClientOptions } from './safe-http.client.js';
import { SsrfGuard, type LookupAll } from './ssrf.guard.js';

// Every server here listens on 127.0.0.1 and the only name the resolver knows is localhost → 127.0.0.1,
// so nothing in this file can reach beyond loopback.
const loopbackOnly: LookupAll = async (hostname) => {
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  port: number;
  origin: string;
  requests: IncomingMessage[];
  connections: number;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    const handler = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler) handler(req, res);
    else res.writeHead(404).end('no route');
  });
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    route: (path, handler) => routes.set(path, handler),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<NetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetError) return error;
    throw error;
  }
  throw new Error('expected a NetError');
}

describe('SafeHttpClient', () => {
  let server: TestServer;
  let other: TestServer;
  const clients: SafeHttpClient[] = [];
  const client = (options: SafeHttpClientOptions = {}) => {
    const created = new SafeHttpClient({
      guard: new SsrfGuard({ lookup: loopbackOnly, allowHosts: ['127.0.0.1'] }),
      ...options,
    });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startServer();
    other = await startServer();
    server.route('/hello', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5, etag: '"v1"' }).end('hello'),
    );
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    await other.close();
  });

  describe('with the guard on and nothing allowed', () => {
    const guarded = () => client({ guard: new SsrfGuard({ lookup: loopbackOnly }) });

    it.each([
      ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/hello`],
      ['localhost', (port: number) => `http://localhost:${port}/hello`],
      ['[::1]', (port: number) => `http://[::1]:${port}/hello`],
      ['2130706433', (port: number) => `http://2130706433:${port}/hello`],
      ['0x7f.1', (port: number) => `http://0x7f.1:${port}/hello`],
      ['[::ffff:7f00:1]', (port: number) => `http://[::ffff:7f00:1]:${port}/hello`],
    ])('refuses %s as loopback before connecting', async (_name, url) => {
      const before = server.connections;
      const error = await failure(guarded().get(url(server.port)));
      expect(error.code).toBe('BLOCKED_ADDRESS');
      expect(error.message).toMatch(/loopback/);
      expect(server.connections).toBe(before);
    });
  });

  it('fetches from an allowed loopback host, streaming the body with its validators', async () => {
    const res = await client().get(`${server.origin}/hello`);
    expect(res.status).toBe(200);
    expect(res.notModified).toBe(false);
    expect(res.etag).toBe('"v1"');
    expect(res.contentLength).toBe(5);
    expect(res.headers['content-type']).toBe('text/plain');
    expect((await buffer(res.body)).toString()).toBe('hello');
  });

  it('allowHosts [localhost] works for localhost but a redirect to 127.0.0.1 is refused', async () => {
    const byName = client({ guard: new SsrfGuard({ lookup: loopbackOnly, allowHosts: ['localhost'] }) });
    const ok = await byName.get(`http://localhost:${server.port}/hello`);
    expect((await buffer(ok.body)).toString()).toBe('hello');

    let reachedTarget = false;
    server.route('/to-literal', (_req, res) => res.writeHead(302, { location: `${server.origin}/target` }).end());
    server.route('/target', (_req, res) => {
      reachedTarget = true;
      res.end('secret');
    });
    const error = await failure(byName.get(`http://localhost:${server.port}/to-literal`));
    expect(error.code).toBe('BLOCKED_ADDRESS');
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(reachedTarget).toBe(false);
  });

  it('reuses keep-alive connections', async () => {
    const reuse = client();
    const before = server.connections;
    for (let i = 0; i < 3; i++) await buffer((await reuse.get(`${server.origin}/hello`)).body);
    expect(server.connections - before).toBe(1);
  });

  describe('redirects', () => {
    beforeAll(() => {
      for (let i = 1; i <= 7; i++) {
        server.route(`/hop/${i}`, (_req, res) => res.writeHead(i % 2 ? 301 : 307, { location: `/hop/${i - 1}` }).end());
      }
      server.route('/hop/0', (_req, res) => res.end('landed'));
      server.route('/see-other', (_req, res) => res.writeHead(303, { location: '../hop/0?x=1' }).end());
      server.route('/to-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    });

    it('follows relative redirects and reports the final URL', async () => {
      const res = await client().get(`${server.origin}/hop/3`);
      expect(res.url).toBe(`${server.origin}/hop/0`);
      expect(res.redirects).toBe(3);
      expect((await buffer(res.body)).toString()).toBe('landed');
      const seeOther = await client().get(`${server.origin}/see-other`);
      expect(seeOther.url).toBe(`${server.origin}/hop/0?x=1`);
    });

    it('follows exactly maxRedirects hops and refuses one more', async () => {
      const res = await client({ maxRedirects: 5 }).get(`${server.origin}/hop/5`);
      expect(res.redirects).toBe(5);
      await buffer(res.body);
      const error = await failure(client({ maxRedirects: 5 }).get(`${server.origin}/hop/6`));
      expect(error.code).toBe('TOO_MANY_REDIRECTS');
    });

    it('refuses a redirect to a non-http scheme', async () => {
      expect((await failure(client().get(`${server.origin}/to-file`))).code).toBe('UNSUPPORTED_SCHEME');
    });
  });

  describe('basic auth', () => {
    beforeAll(() => {
      const echoAuth: Handler = (req, res) => res.end(req.headers.authorization ?? 'none');
      server.route('/auth', echoAuth);
      other.route('/auth', echoAuth);
      server.route('/auth-same', (_req, res) => res.writeHead(302, { location: '/auth' }).end());
      server.route('/auth-cross', (_req, res) => res.writeHead(302, { location: `${other.origin}/auth` }).end());
    });
    const expected = `Basic ${Buffer.from('brand:s3cret:x').toString('base64')}`;

    it('sends credentials and keeps them on a same-origin redirect', async () => {
      const basicAuth = { username: 'brand', password: 's3cret:x' };
      const res = await client().get(`${server.origin}/auth-same`, { basicAuth });
      expect((await buffer(res.body)).toString()).toBe(expected);
    });

    it('takes credentials from the URL without leaking them into the final URL', async () => {
      const res = await client().get(`http://brand:s3cret%3Ax@127.0.0.1:${server.port}/auth`);
      expect((await buffer(res.body)).toString()).toBe(expected);
      expect(res.url).toBe(`${server.origin}/auth`);
    });

    it('drops credentials on a cross-origin redirect', async () => {
      const basicAuth = { username: 'brand', password: 's3cret:x' };
      const res = await client().get(`${server.origin}/auth-cross`, { basicAuth, headers: { Cookie: 'a=b' } });
      expect((await buffer(res.body)).toString()).toBe('none');
      expect(other.requests.at(-1)?.headers.cookie).toBeUndefined();
    });
  });

  describe('conditional GET', () => {
    beforeAll(() => {
      server.route('/feed', (req, res) => {
        const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
        if (req.headers['if-none-match'] === '"abc"' || req.headers['if-modified-since'] === lastModified) {
          return res.writeHead(304, { etag: '"abc"' }).end();
        }
        res.writeHead(200, { etag: '"abc"', 'last-modified': lastModified }).end('feed body');
      });
    });

    it('returns notModified with an empty body on 304', async () => {
      const first = await client().get(`${server.origin}/feed`);
      expect((await buffer(first.body)).toString()).toBe('feed body');
      const byEtag = await client().get(`${server.origin}/feed`, { ifNoneMatch: first.etag });
      expect(byEtag.status).toBe(304);
      expect(byEtag.notModified).toBe(true);
      expect((await buffer(byEtag.body)).length).toBe(0);
      expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"abc"');
      const byDate = await client().get(`${server.origin}/feed`, { ifModifiedSince: new Date(first.lastModified!) });
      expect(byDate.notModified).toBe(true);
    });
  });

  describe('errors', () => {
    it('maps non-2xx answers to HTTP_ERROR with the status', async () => {
      const error = await failure(client().get(`${server.origin}/missing`));
      expect(error.code).toBe('HTTP_ERROR');
      expect(error).toMatchObject({ status: 404 });
      expect(error.message).toMatch(/404/);
    });

    it('maps a refused connection to CONNECT_FAILED with the errno', async () => {
      const closed = await startServer();
      const port = closed.port;
      await closed.close();
      const error = await failure(client().get(`http://127.0.0.1:${port}/`));
      expect(error.code).toBe('CONNECT_FAILED');
      expect(error).toMatchObject({ errno: 'ECONNREFUSED' });
    });

    it('times out a connection whose TLS handshake never completes', async () => {
      // Reads and ignores the ClientHello; resume() lets it notice the client hanging up, so close() returns.
      const silent = net.createServer((socket) => socket.resume());
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const error = await failure(client({ connectTimeoutMs: 300 }).get(`https://127.0.0.1:${port}/`));
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toMatch(/Connecting timed out after 300 ms/);
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => silent.close(resolve));
    });

    it('times out when the response head never comes, and when the body stalls', async () => {
      server.route('/no-head', () => undefined);
      server.route('/stall', (_req, res) => {
        res.writeHead(200);
        res.write('partial');
      });
      const impatient = client({ readTimeoutMs: 300 });
      expect((await failure(impatient.get(`${server.origin}/no-head`))).message).toMatch(/Reading timed out/);
      const res = await impatient.get(`${server.origin}/stall`);
      const error = await failure(buffer(res.body));
      expect(error.code).toBe('TIMEOUT');
    });

    it('cuts off a body trickled within the read timeout at the total deadline, freeing its host slot', async () => {
      const closed: string[] = [];
      const trickle = (path: string, head: boolean) =>
        server.route(path, (req, res) => {
          const start = () => {
            res.writeHead(200, { 'content-type': 'image/jpeg' });
            return setInterval(() => res.write(Buffer.from([0xff])), 50);
          };
          let timer = head ? start() : undefined;
          // Without a head, the server still trickles: the head itself comes too late.
          if (!head) setTimeout(() => (timer = start()), 5_000).unref();
          res.on('close', () => {
            clearInterval(timer);
            closed.push(path);
          });
          req.on('error', () => undefined);
        });
      trickle('/trickle', true);
      const limiter = new HostLimiter(1);
      const host = `127.0.0.1:${server.port}`;
      // Each byte comes well within the read timeout: only the deadline can end this download.
      const slow = client({ readTimeoutMs: 1_000 });
      const res = await slow.get(`${server.origin}/trickle`, { deadlineMs: 600, limiter });
      const error = await failure(buffer(res.body));
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'deadline' });
      expect(error.message).toMatch(/not finished within its 0.6 s deadline/);
      expect(hostDown(error)).toMatchObject({ host, kind: 'TIMEOUT' });
      while (!closed.includes('/trickle')) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setImmediate(resolve));
      expect(limiter.active(host)).toBe(0);

      // A deadline that passes before the head comes fails the request itself the same way.
      trickle('/late-head', false);
      const early = await failure(slow.get(`${server.origin}/late-head`, { deadlineMs: 300, limiter }));
      expect(early).toMatchObject({ code: 'TIMEOUT', phase: 'deadline' });
      expect(limiter.active(host)).toBe(0);
      // A download that ends in time is not touched by its deadline afterwards.
      const quick = await slow.get(`${server.origin}/hello`, { deadlineMs: 300 });
      expect((await buffer(quick.body)).toString()).toBe('hello');
      await new Promise((resolve) => setTimeout(resolve, 400));
    });

    it('does not count time the consumer spends not reading as a stall', async () => {
      server.route('/quick', (_req, res) => res.end(Buffer.alloc(200_000, 7)));
      const res = await client({ readTimeoutMs: 200 }).get(`${server.origin}/quick`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await buffer(res.body)).length).toBe(200_000);
    });

    it('maps a TLS failure to CONNECT_FAILED', async () => {
      const error = await failure(client().get(`https://127.0.0.1:${server.port}/hello`));
      expect(error.code).toBe('CONNECT_FAILED');
    });

    it('refuses unsupported schemes', async () => {
      expect((await failure(client().get('file:///etc/passwd'))).code).toBe('UNSUPPORTED_SCHEME');
    });
  });

  describe('byte cap', () => {
    it('rejects early when Content-Length says too much, without reading the body', async () => {
      server.route('/big-declared', (_req, res) => {
        res.writeHead(200, { 'content-length': 10_000_000 });
        res.write(Buffer.alloc(1000));
      });
      const error = await failure(client({ maxBytes: 1_000_000 }).get(`${server.origin}/big-declared`));
      expect(error.code).toBe('TOO_LARGE');
    });

    it('aborts a streamed body once it passes maxBytes', async () => {
      let sent = 0;
      server.route('/endless', (_req, res) => {
        res.writeHead(200);
        const timer = setInterval(() => {
          sent += 65536;
          res.write(Buffer.alloc(65536, 1));
        }, 1);
        res.on('close', () => clearInterval(timer));
      });
      const res = await client().get(`${server.origin}/endless`, { maxBytes: 300_000 });
      const error = await failure(buffer(res.body));
      expect(error.code).toBe('TOO_LARGE');
      expect(error.message).toMatch(/300000/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const afterAbort = sent;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sent).toBe(afterAbort);
    });

    it('counts decompressed bytes, so a gzip bomb stops at the cap', async () => {
      const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(100_000);
      server.route('/bomb', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
      const res = await client({ maxBytes: 1_000_000 }).get(`${server.origin}/bomb`);
      expect((await failure(buffer(res.body))).code).toBe('TOO_LARGE');
    });
  });

  describe('content encoding', () => {
    const text = 'id,title\n'.repeat(5000);
    it.each([
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ])('decodes %s in-stream', async (encoding, encode) => {
      server.route(`/enc-${encoding}`, (req, res) => {
        expect(req.headers['accept-encoding']).toMatch(encoding);
        res.writeHead(200, { 'content-encoding': encoding }).end(encode(Buffer.from(text)));
      });
      const res = await client().get(`${server.origin}/enc-${encoding}`);
      expect(res.contentLength).toBeNull();
      expect((await buffer(res.body)).toString()).toBe(text);
    });

    it('reports an undecodable body as HTTP_ERROR', async () => {
      server.route('/bad-gzip', (_req, res) =>
        res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
      );
      const res = await client().get(`${server.origin}/bad-gzip`);
      const error = await failure(buffer(res.body));
      expect(error.code).toBe('HTTP_ERROR');
      expect(error.message).toMatch(/undecodable gzip/);
    });
  });

  describe('per-host limits', () => {
    it('runs at most perHost requests to one host at once, in arrival order, and frees slots as bodies end', async () => {
      const held: ServerResponse[] = [];
      let running = 0;
      let most = 0;
      const order: string[] = [];
      server.route('/held', (req, res) => {
        order.push(new URL(req.url!, 'http://x').searchParams.get('i')!);
        most = Math.max(most, ++running);
        res.on('close', () => running--);
        held.push(res);
      });
      other.route('/free', (_req, res) => res.end('free'));
      const limiter = new HostLimiter(3);
      const http = client();
      const bodies = Array.from({ length: 10 }, (_, i) =>
        http.get(`${server.origin}/held?i=${i}`, { limiter }).then((res) => buffer(res.body)),
      );
      while (held.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      // Another host is not held up by this one's full slots.
      const free = await http.get(`${other.origin}/free`, { limiter });
      expect((await buffer(free.body)).toString()).toBe('free');
      for (let answered = 0; answered < 10; answered++) {
        while (held.length <= answered) await new Promise((resolve) => setTimeout(resolve, 5));
        held[answered].end(`body ${answered}`);
      }
      expect((await Promise.all(bodies)).map(String)).toEqual(Array.from({ length: 10 }, (_, i) => `body ${i}`));
      expect(most).toBe(3);
      expect(order).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
      expect(limiter.active(`127.0.0.1:${server.port}`)).toBe(0);
    });

    it('frees the slot when a request fails or its body is abandoned, and drops a waiter whose signal aborts', async () => {
      const limiter = new HostLimiter(1);
      const host = `127.0.0.1:${server.port}`;
      expect((await failure(client().get(`${server.origin}/missing`, { limiter }))).code).toBe('HTTP_ERROR');
      expect(limiter.active(host)).toBe(0);
      server.route('/long', (_req, res) => {
        res.writeHead(200);
        res.write(Buffer.alloc(1000));
      });
      const res = await client().get(`${server.origin}/long`, { limiter });
      expect(limiter.active(host)).toBe(1);
      const controller = new AbortController();
      const waiting = client().get(`${server.origin}/hello`, { limiter, signal: controller.signal });
      controller.abort();
      await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
      res.body.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      expect(limiter.active(host)).toBe(0);
      expect((await buffer((await client().get(`${server.origin}/hello`, { limiter })).body)).toString()).toBe('hello');
    });
  });

  describe('hostDown: failures that condemn the host, not one URL', () => {
    it('names DNS failures, refused connections and timeouts with the host they happened on', async () => {
      // The injected resolver fails every name but localhost: no query leaves this machine.
      const dns = hostDown(await failure(client().get('http://images.dead.test/a.jpg')));
      expect(dns).toMatchObject({ host: 'images.dead.test', kind: 'DNS', code: 'DNS_FAILED' });
      expect(dns?.reason).toBe('Could not resolve images.dead.test (ENOTFOUND)');

      const closed = await startServer();
      const port = closed.port;
      await closed.close();
      const refused = hostDown(await failure(client().get(`http://127.0.0.1:${port}/a.jpg`)));
      expect(refused).toMatchObject({ host: `127.0.0.1:${port}`, kind: 'REFUSED', code: 'CONNECT_FAILED' });
      expect(refused?.reason).toContain('ECONNREFUSED');

      server.route('/silent', () => undefined);
      const timeout = hostDown(await failure(client({ readTimeoutMs: 200 }).get(`${server.origin}/silent`)));
      expect(timeout).toMatchObject({ host: `127.0.0.1:${server.port}`, kind: 'TIMEOUT', code: 'TIMEOUT' });
    });

    it('does not condemn a host that answered, even with an error', async () => {
      expect(hostDown(await failure(client().get(`${server.origin}/missing`)))).toBeNull();
      expect(hostDown(await failure(client().get(`https://127.0.0.1:${server.port}/hello`)))).toBeNull();
    });
  });

  it('releases the connection when the consumer abandons the body', async () => {
    let closed = false;
    server.route('/abandon', (_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(1000));
      res.on('close', () => (closed = true));
    });
    const res = await client().get(`${server.origin}/abandon`);
    await new Promise<void>((resolve) => res.body.once('readable', resolve));
    res.body.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });

  it('serves a body from a Readable source unchanged (large, chunked)', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024).map((_, i) => i % 251);
    server.route('/chunked', (_req, res) => Readable.from([payload.subarray(0, 1e6), payload.subarray(1e6)]).pipe(res));
    const res = await client().get(`${server.origin}/chunked`);
    expect((await buffer(res.body)).equals(payload)).toBe(true);
  });
});
