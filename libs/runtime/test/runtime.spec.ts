import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { AccountsService } from '@brandshelf/accounts';
import { loadConfig, JsonLogger } from '@brandshelf/core';
import { DatabaseUnavailableError, MIGRATIONS } from '@brandshelf/db';
import { prepareRuntime } from '@brandshelf/runtime';
import { createTestDatabase } from '@brandshelf/testing';

const quiet = new JsonLogger('error');

describe('runtime', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('fails fast with a message naming DATABASE_URL when the database is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/brandshelf', LOG_LEVEL: 'error' });
    const attempt = prepareRuntime(config, quiet);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(prepareRuntime(config, quiet)).rejects.toThrow(
      /^DATABASE_URL: cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1/,
    );
  });

  it('refuses to start when its connections cannot take DATABASE_APP_ROLE, saying what to do', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bs-approle-'));
    dirs.push(dataDir);
    // A role that does not exist: setting it fails, and the connections would otherwise run as the login.
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', DATABASE_APP_ROLE: 'bs_no_such_role' });
    await expect(prepareRuntime(config, quiet)).rejects.toThrow(
      /^DATABASE_APP_ROLE: the database login "postgres" cannot take the role "bs_no_such_role".*GRANT bs_no_such_role TO postgres/,
    );
  });

  it('keeps data in the embedded database across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bs-embedded-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });

    const first = await prepareRuntime(config, quiet);
    expect(first.embedded).not.toBeNull();
    const accounts = new AccountsService(first.dataSource);
    const { brand, apiKey } = await accounts.registerBrand({ name: 'Persistent', email: 'p@example.test' });
    await first.close();

    const second = await prepareRuntime(config, quiet);
    try {
      const principal = await new AccountsService(second.dataSource).authenticate(apiKey.plain);
      expect(principal).toMatchObject({ kind: 'brand', brandId: brand.id });
      expect(second.secretKey).toBe(first.secretKey);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('migrates through DATABASE_MIGRATION_URL when it is set, then serves on DATABASE_URL', async () => {
    const database = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'bs-migration-url-'));
    dirs.push(dataDir);
    try {
      // The tables' owner migrates (README: Running at scale); here the same login as the application's.
      const config = loadConfig({
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        DATABASE_URL: database.url,
        DATABASE_MIGRATION_URL: database.url,
      });
      const runtime = await prepareRuntime(config, quiet);
      try {
        const applied = await runtime.dataSource.query('SELECT count(*)::int AS n FROM schema_migration');
        expect(applied).toEqual([{ n: MIGRATIONS.length }]);
        const [{ user }] = await runtime.dataSource.query('SELECT current_user AS user');
        expect(user).toBe('brandshelf_app');
      } finally {
        await runtime.close();
      }
    } finally {
      await database.drop();
    }
  }, 120_000);
});
