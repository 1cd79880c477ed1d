import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, redact } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database with workers in the API process', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.runWorkers).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.storage.driver).toBe('local');
    expect(config.uploads.maxBytes).toBe(2 * 1024 ** 3);
  });

  it('turns introspection, field suggestions and the IDE off in production unless set, on elsewhere', () => {
    const off = { introspection: false, fieldSuggestions: false, ide: false };
    const on = { introspection: true, fieldSuggestions: true, ide: true };
    expect(loadConfig({ NODE_ENV: 'production' }).graphql).toMatchObject(off);
    expect(loadConfig({}).graphql).toMatchObject(on);
    expect(loadConfig({ NODE_ENV: 'test' }).graphql).toMatchObject(on);
    expect(
      loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_IDE: 'on' }).graphql,
    ).toMatchObject({ introspection: true, fieldSuggestions: false, ide: true });
    expect(loadConfig({ GRAPHQL_FIELD_SUGGESTIONS: 'false' }).graphql.fieldSuggestions).toBe(false);
  });

  it('bounds the heap growth between full GCs at 50% unless set (0 leaves it to V8)', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(50);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100);
  });

  it('reads SSRF_ALLOW_HOSTS as host names, IPs and CIDRs, and stops boot on an entry the guard could never match', () => {
    expect(loadConfig({}).http.allowHosts).toEqual([]);
    expect(
      loadConfig({ SSRF_ALLOW_HOSTS: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,localhost,feeds.example.com,*.cdn.example' })
        .http.allowHosts,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'localhost', 'feeds.example.com', '*.cdn.example']);
    // A port, a scheme or a path never matches a fetched host, so every fetch would be refused as before.
    expect(() => loadConfig({ SSRF_ALLOW_HOSTS: '127.0.0.1:8080' })).toThrow(
      /SSRF_ALLOW_HOSTS .*got "127\.0\.0\.1:8080" \(name the host alone: "127\.0\.0\.1"\)/,
    );
    for (const bad of [
      'http://127.0.0.1',
      'localhost:3000',
      '10.0.0.0/33',
      'fd00::/129',
      '127.0.0.1/8/1',
      '[::1]',
      'a b',
    ]) {
      expect(() => loadConfig({ SSRF_ALLOW_HOSTS: `example.com,${bad}` })).toThrow(ConfigError);
      expect(() => loadConfig({ SSRF_ALLOW_HOSTS: bad })).toThrow(`got "${bad}"`);
    }
  });

  it('sizes the search limit from the pool, and reads rate limits and trusted proxies', () => {
    const defaults = loadConfig({});
    expect(defaults.overload.search).toEqual({ concurrency: 4, queue: 32, queueTimeoutMs: 500 });
    expect(defaults.overload.upload).toEqual({ concurrency: 4, queue: 8, queueTimeoutMs: 5000 });
    expect(defaults.rateLimit).toEqual({ perMinute: 600, burst: 100 });
    expect(defaults.trustProxy).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    expect(loadConfig({ DATABASE_POOL_SIZE: '30' }).overload.search.concurrency).toBe(14);
    expect(loadConfig({ DATABASE_POOL_SIZE: '2' }).overload.search).toMatchObject({ concurrency: 1, queue: 8 });
    expect(loadConfig({ SEARCH_CONCURRENCY: '3', SEARCH_QUEUE: '0' }).overload.search).toMatchObject({
      concurrency: 3,
      queue: 0,
    });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimit.perMinute).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback, ::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
  });

  it('runs no workers in the API by default with a real database', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/brandshelf' });
    expect(config.runWorkers).toBe(false);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ RUN_WORKERS: 'maybe' }, 'RUN_WORKERS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ STORAGE_DRIVER: 's3' }, 'S3_BUCKET'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ HEAP_GROWING_PERCENT: '-5' }, 'HEAP_GROWING_PERCENT'],
    [{ HEAP_GROWING_PERCENT: '5000' }, 'HEAP_GROWING_PERCENT'],
    [{ TRUST_PROXY: 'proxy.example' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/40' }, 'TRUST_PROXY'],
    [{ SEARCH_CONCURRENCY: '0' }, 'SEARCH_CONCURRENCY'],
  ])('names the bad variable in %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('never prints a password', () => {
    expect(redact('postgres://user:hunter2@db:5432/x')).toBe('postgres://user:***@db:5432/x');
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2');
  });
});
