import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@brandshelf/db';
import { listeningTcpPorts } from '@brandshelf/testing';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// Each test boots PGlite (WASM): seconds alone, minutes on a machine busy with other suites.
const BOOT_TIMEOUT = 300_000;

describe('embedded PostgreSQL (PGlite) on a private Unix socket', () => {
  const dirs: string[] = [];
  const tempDir = async (prefix = 'bs-embedded-db-') => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it(
    'listens on DATA_DIR/pg-socket (0700, socket 0600) and on no TCP port',
    async () => {
      const dataDir = await tempDir();
      const before = await listeningTcpPorts();
      const db = await startEmbeddedPostgres(dataDir);
      try {
        expect(db.socketDir).toBe(join(dataDir, 'pg-socket'));
        expect(await mode(db.socketDir)).toBe(0o700);
        const socket = await stat(join(db.socketDir, '.s.PGSQL.5432'));
        expect(socket.isSocket()).toBe(true);
        expect(socket.mode & 0o777).toBe(0o600);
        // The data files themselves are closed to other users as well.
        expect(await mode(join(dataDir, 'pg'))).toBe(0o700);
        expect(new URL(db.url).hostname).toBe(encodeURIComponent(db.socketDir));
        expect(await query(db.url, 'SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
        if (before) expect(await listeningTcpPorts()).toEqual(before);
      } finally {
        await db.stop();
      }
    },
    BOOT_TIMEOUT,
  );

  it(
    'tightens directories an older version left open and replaces a stale socket file',
    async () => {
      const dataDir = await tempDir();
      await mkdir(join(dataDir, 'pg'), { mode: 0o755 });
      await mkdir(join(dataDir, 'pg-socket'), { mode: 0o755 });
      // What a killed process leaves behind: the lock file is free, the socket path is taken.
      await writeFile(join(dataDir, 'pg-socket', '.s.PGSQL.5432'), '');
      const db = await startEmbeddedPostgres(dataDir);
      try {
        expect(await mode(join(dataDir, 'pg'))).toBe(0o700);
        expect(await mode(db.socketDir)).toBe(0o700);
        expect(await query(db.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await db.stop();
      }
    },
    BOOT_TIMEOUT,
  );

  it('refuses a socket directory that is a symlink to somewhere else', async () => {
    const dataDir = await tempDir();
    const elsewhere = await tempDir('bs-elsewhere-');
    await symlink(elsewhere, join(dataDir, 'pg-socket'));
    await expect(startEmbeddedPostgres(dataDir)).rejects.toThrow(/pg-socket must be a directory owned by this user/);
  });

  it(
    'keeps its socket in a private temp directory when DATA_DIR is too deep for a socket address',
    async () => {
      const deep = join(await tempDir(), 'a'.repeat(60), 'b'.repeat(60));
      const db = await startEmbeddedPostgres(deep);
      try {
        expect(db.socketDir.startsWith(tmpdir())).toBe(true);
        expect(db.socketDir.startsWith(deep)).toBe(false);
        expect(await mode(db.socketDir)).toBe(0o700);
        expect(await query(db.url, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
      } finally {
        await db.stop();
      }
      await expect(stat(db.socketDir)).rejects.toMatchObject({ code: 'ENOENT' });
    },
    BOOT_TIMEOUT,
  );

  it(
    'runs in memory for tests, on a private socket directory removed at stop',
    async () => {
      const db: EmbeddedPostgres = await startEmbeddedPostgres(null);
      const { socketDir } = db;
      try {
        expect(await mode(socketDir)).toBe(0o700);
        await query(db.url, 'CREATE TABLE t (n int); INSERT INTO t VALUES (7)');
        expect(await query(db.url, 'SELECT n FROM t')).toEqual([{ n: 7 }]);
      } finally {
        await db.stop();
      }
      await expect(stat(socketDir)).rejects.toMatchObject({ code: 'ENOENT' });
    },
    BOOT_TIMEOUT,
  );
});
