import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creatives count toward a brand's storage and are pruned (libs/ads/src/creatives/creative-pruner.ts).
 * `stored_bytes`: the file's size, so a brand's usage is one sum (NULL for rows recorded before it was; the next
 * prune of the brand fills them in from storage). `stale_since`: when the prune first found the row's key no
 * longer the current content of a live product; it is deleted (and its file once no row of any brand has the key)
 * CREATIVE_PRUNE_GRACE_HOURS after that, and cleared if the key is current again first.
 */
export class CreativeStorage1764000000022 implements MigrationInterface {
  name = 'CreativeStorage1764000000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE creative ADD COLUMN stored_bytes bigint, ADD COLUMN stale_since timestamptz;
      -- A file is deleted only once no row of any brand has its key.
      CREATE INDEX creative_key_idx ON creative (key);
      -- The sweep finds brands whose stale creatives are due.
      CREATE INDEX creative_stale_idx ON creative (stale_since) WHERE stale_since IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX creative_stale_idx; DROP INDEX creative_key_idx;
      ALTER TABLE creative DROP COLUMN stale_since, DROP COLUMN stored_bytes;
    `);
  }
}
