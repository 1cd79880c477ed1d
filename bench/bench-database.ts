import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  /** Connection string of the throwaway database. */
  url: string;
  name: string;
  /** A scratch directory (DATA_DIR, generated files). */
  dir: string;
  /** Drops the database (unless kept) and removes the directory. */
  drop(options?: { keep?: boolean }): Promise<void>;
}

/** A throwaway database on BENCH_DATABASE_URL (default: the local server) and a scratch directory. */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'bs-bench-'));
  return {
    url: url.toString(),
    name,
    dir,
    async drop({ keep = false } = {}) {
      if (keep) console.log(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
