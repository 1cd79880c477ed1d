import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import type { CreativeTemplate } from '@brandshelf/media';
import { runAsSystem, SystemPath } from '@brandshelf/db';

/** A creative a brand has, by content key. */
export interface CreativeRow {
  key: string;
  productId: string;
  template: CreativeTemplate;
  width: number;
  height: number;
}

/** A row as the prune reads it. */
export interface StoredCreativeRow {
  key: string;
  productId: string;
  template: CreativeTemplate;
  storedBytes: number | null;
  staleSince: Date | null;
}

/**
 * Advisory lock class of a creative key (two-int form, so it never meets the single-bigint locks elsewhere): taken
 * by a render recording its row and by a prune deleting the file, so a file is never deleted under a row that was
 * just recorded for it.
 */
const KEY_LOCK_CLASS = 72541903;

/** The only code that reads or writes `creative`; every method takes the brand, or is named `system…`. */
@Injectable()
export class CreativeStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Notes that the brand has this creative (rendered now, or found stored), with the file's size. Under the key's
   * lock, and only if `stillStored` (asked under that lock) says the file is there: false means a prune deleted it
   * meanwhile and nothing was recorded (store the file again and record again). A key the brand has already is
   * kept, no longer stale.
   */
  async record(
    ctx: BrandContext,
    row: CreativeRow & { storedBytes: number },
    stillStored: () => Promise<boolean>,
  ): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await lockKeys(manager, [row.key]);
      if (!(await stillStored())) return false;
      await manager.query(
        `INSERT INTO creative (brand_id, key, product_id, template, width, height, stored_bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (brand_id, key) DO UPDATE
           SET stale_since = NULL, stored_bytes = coalesce(creative.stored_bytes, EXCLUDED.stored_bytes)`,
        [ctx.principal.brandId, row.key, row.productId, row.template, row.width, row.height, row.storedBytes],
      );
      return true;
    });
  }

  /** Whether the brand has this key. */
  async has(ctx: BrandContext, key: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM creative WHERE brand_id = $1 AND key = $2', [
      ctx.principal.brandId,
      key,
    ]);
    return rows.length > 0;
  }

  /** Which of these keys each brand has, for many brands at once: `<brandId> <key>` of those found. */
  @SystemPath('creative.store.systemHeld')
  async systemHeld(pairs: Array<{ brandId: string; key: string }>): Promise<Set<string>> {
    if (!pairs.length) return new Set();
    const rows: { brand_id: string; key: string }[] = await this.db.query(
      `SELECT c.brand_id, c.key FROM creative c
         JOIN unnest($1::uuid[], $2::text[]) AS w(brand_id, key) ON w.brand_id = c.brand_id AND w.key = c.key`,
      [pairs.map((p) => p.brandId), pairs.map((p) => p.key)],
    );
    return new Set(rows.map((r) => `${r.brand_id} ${r.key}`));
  }

  /** One page of the brand's creatives in key order, after `afterKey`. */
  async page(ctx: BrandContext, afterKey: string, limit: number): Promise<StoredCreativeRow[]> {
    const rows: {
      key: string;
      product_id: string;
      template: CreativeTemplate;
      stored_bytes: string | null;
      stale_since: Date | null;
    }[] = await this.db.query(
      `SELECT key, product_id, template, stored_bytes, stale_since FROM creative
        WHERE brand_id = $1 AND key > $2 ORDER BY key LIMIT $3`,
      [ctx.principal.brandId, afterKey, limit],
    );
    return rows.map((r) => ({
      key: r.key,
      productId: r.product_id,
      template: r.template,
      storedBytes: r.stored_bytes === null ? null : Number(r.stored_bytes),
      staleSince: r.stale_since,
    }));
  }

  /** Marks keys stale from now (those not already), and clears the mark of keys current again. */
  async mark(ctx: BrandContext, stale: string[], current: string[]): Promise<void> {
    const brandId = ctx.principal.brandId;
    if (stale.length) {
      await this.db.query(
        `UPDATE creative SET stale_since = now() WHERE brand_id = $1 AND key = ANY($2::text[]) AND stale_since IS NULL`,
        [brandId, stale],
      );
    }
    if (current.length) {
      await this.db.query(
        `UPDATE creative SET stale_since = NULL
          WHERE brand_id = $1 AND key = ANY($2::text[]) AND stale_since IS NOT NULL`,
        [brandId, current],
      );
    }
  }

  /** Fills in the size of a row recorded before sizes were (migration 22). */
  async setStoredBytes(ctx: BrandContext, key: string, bytes: number): Promise<void> {
    await this.db.query(
      'UPDATE creative SET stored_bytes = $3 WHERE brand_id = $1 AND key = $2 AND stored_bytes IS NULL',
      [ctx.principal.brandId, key, bytes],
    );
  }

  /**
   * Deletes the brand's rows of these keys that are still stale since at least `graceHours`, and, first, the files
   * of those keys no other row (of any brand) has: `deleteFiles` runs inside the transaction, under the keys' locks,
   * so a render recording one of these keys meanwhile waits, then finds the file gone and stores it again. If
   * anything fails the rows stay, and the next prune finds them stale again and finishes. Another brand's rows are
   * never touched. Returns the rows and files deleted.
   */
  async pruneStale(
    ctx: BrandContext,
    keys: string[],
    graceHours: number,
    deleteFiles: (keys: string[]) => Promise<void>,
  ): Promise<{ rows: number; files: number }> {
    if (!keys.length) return { rows: 0, files: 0 };
    const brandId = ctx.principal.brandId;
    return this.db.transaction(async (manager) => {
      await lockKeys(manager, keys);
      // Checked again under the locks: a render may have made one current again since the prune read it.
      const doomed: { key: string }[] = await manager.query(
        `SELECT key FROM creative
          WHERE brand_id = $1 AND key = ANY($2::text[])
            AND stale_since <= now() - make_interval(hours => $3)
          FOR UPDATE`,
        [brandId, keys, graceHours],
      );
      if (!doomed.length) return { rows: 0, files: 0 };
      const doomedKeys = doomed.map((d) => d.key);
      // Across brands (a system path): under the brand's own scope row-level security would hide another brand's row
      // with the same key, and the file that row still shows would be deleted.
      const unreferenced: { key: string }[] = await runAsSystem('creatives.shared-files', () =>
        manager.query(
          `SELECT u.key FROM unnest($2::text[]) u(key)
            WHERE NOT EXISTS (SELECT 1 FROM creative c WHERE c.key = u.key AND c.brand_id <> $1)`,
          [brandId, doomedKeys],
        ),
      );
      const files = unreferenced.map((u) => u.key);
      // Files first: if deleting the rows then fails, they are found stale again and the delete (of nothing) redone.
      if (files.length) await deleteFiles(files);
      await manager.query('DELETE FROM creative WHERE brand_id = $1 AND key = ANY($2::text[])', [brandId, doomedKeys]);
      return { rows: doomedKeys.length, files: files.length };
    });
  }

  /** Brands with stale creatives past the grace, any brand (the sweep's list), at most `limit`. */
  @SystemPath('creative.store.systemBrandsDue')
  async systemBrandsDue(graceHours: number, limit: number): Promise<string[]> {
    const rows: { brand_id: string }[] = await this.db.query(
      `SELECT DISTINCT brand_id FROM creative
        WHERE stale_since IS NOT NULL AND stale_since <= now() - make_interval(hours => $1)
        LIMIT $2`,
      [graceHours, limit],
    );
    return rows.map((r) => r.brand_id);
  }
}

/** The keys' advisory locks, in one order (so two prunes sharing keys never deadlock), until the transaction ends. */
async function lockKeys(manager: EntityManager, keys: string[]): Promise<void> {
  await manager.query(
    `SELECT pg_advisory_xact_lock($1::int, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) k ORDER BY h) s`,
    [KEY_LOCK_CLASS, keys],
  );
}
