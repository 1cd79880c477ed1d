import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger, loadConfig, type AppConfig } from '@brandshelf/core';
import type { LookupAll } from '@brandshelf/net';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
import { systemView } from './system-view.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }[];
}

export interface TestApi {
  url: string;
  app: NestExpressApplication;
  runtime: Runtime;
  config: AppConfig;
  database: TestDatabase;
  dataDir: string;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    apiKey?: string,
  ): Promise<GraphQLResponse<T>>;
  /** The data of a GraphQL call that must succeed; throws with the errors (or a mutation's userErrors) otherwise. */
  gqlOk<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, apiKey?: string): Promise<T>;
  close(): Promise<void>;
}

type CreateApi = (runtime: Runtime) => Promise<NestExpressApplication>;

/**
 * A real API on a real database of its own, listening on a loopback port: the end-to-end harness.
 * The app factory is passed in, so libs never import the app.
 */
export async function startTestApi(
  createApi: CreateApi,
  env: Record<string, string> = {},
  /** `lookup`: the resolver for feed and image hosts (simulate DNS failures without a real query). */
  options: { lookup?: LookupAll } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'bs-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    RUN_WORKERS: 'true',
    // Feeds in tests name hosts like img.example: fetching them would mean a DNS query off this machine.
    // Image tests turn this on and serve their images from loopback.
    IMAGES_ENABLED: 'false',
    SHUTDOWN_TIMEOUT_MS: '2000',
    // Every test request comes from one address, in bursts no client would send: no rate limit, and queues
    // long enough that admission never refuses. apps/api/test/overload.e2e.spec.ts sets its own tiny limits.
    RATE_LIMIT_PER_MINUTE: '0',
    SEARCH_QUEUE: '10000',
    SEARCH_QUEUE_TIMEOUT_MS: '120000',
    UPLOAD_QUEUE: '10000',
    UPLOAD_QUEUE_TIMEOUT_MS: '120000',
    ...env,
  });
  const runtime = await prepareRuntime(config, new JsonLogger(config.logLevel));
  runtime.lookup = options.lookup;
  const app = await createApi(runtime);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  config.publicBaseUrl = url;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, apiKey?: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  };
  return {
    url,
    app,
    // The test's own queries see every brand's rows (systemView); the app under test keeps its scoped one.
    runtime: { ...runtime, dataSource: systemView(runtime.dataSource) },
    config,
    database,
    dataDir,
    gql,
    async gqlOk<T>(query: string, variables?: Record<string, unknown>, apiKey?: string) {
      const res = await gql<T>(query, variables, apiKey);
      if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
      const userErrors = userErrorsOf(res.data);
      if (userErrors.length) throw new Error(`GraphQL userErrors: ${JSON.stringify(userErrors)}`);
      return res.data as T;
    },
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The userErrors of every mutation payload in `data` (top-level fields), in order. */
export function userErrorsOf(data: unknown): { code: string; message: string; field: string[] | null }[] {
  if (!data || typeof data !== 'object') return [];
  return Object.values(data).flatMap((value) =>
    value && typeof value === 'object' && Array.isArray((value as { userErrors?: unknown }).userErrors)
      ? (value as { userErrors: { code: string; message: string; field: string[] | null }[] }).userErrors
      : [],
  );
}

export async function registerBrand(api: TestApi, name = 'Brand'): Promise<{ id: string; apiKey: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '')}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const data = await api.gqlOk<{ registerBrand: { brand: { id: string }; apiKey: string } }>(
    'mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { brand { id } apiKey userErrors { code } } }',
    { input: { name, email } },
  );
  return { id: data.registerBrand.brand.id, apiKey: data.registerBrand.apiKey };
}
