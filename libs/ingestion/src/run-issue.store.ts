import type { PoolClient } from 'pg';
import { CODE } from '@brandshelf/catalog-rules';
import type { EntityManager } from 'typeorm';
import { openRowWriter, type RowWriter } from './copy-writer.js';
import { ITEM_IMAGE_URLS } from './images/item-image-urls.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/**
 * The one writer of run_issue (libs/db/src/table-owners.ts): the issues a run stored, streamed while it reads and
 * replaced for its images. Every method takes the brand of the run.
 */
export class RunIssueStore {
  /**
   * Streams issues of the brand's run into run_issue (COPY, or batched INSERTs on PGlite) on the caller's own
   * connection: each row written is [severity, code, attribute, row, item id, value, message, hint, rule id, rule
   * name] (the rule when a feed rule set the attribute's value).
   */
  static openWriter(client: PoolClient, brandId: string, runId: string, pglite: boolean): RowWriter {
    const writer = openRowWriter(
      client,
      'run_issue',
      [
        'run_id',
        'brand_id',
        'severity',
        'code',
        'attribute',
        '"row"',
        'item_id',
        'value',
        'message',
        'hint',
        'rule_id',
        'rule_name',
      ],
      pglite,
    );
    return {
      get count() {
        return writer.count;
      },
      write: (fields) => writer.write([runId, brandId, ...fields]),
      end: () => writer.end(),
      abort: () => writer.abort(),
    };
  }

  /** Every issue an earlier attempt of the run stored (a retry starts over). */
  static async deleteForRun(db: Queryable, brandId: string, runId: string): Promise<void> {
    await db.query('DELETE FROM run_issue WHERE run_id = $1 AND brand_id = $2', [runId, brandId]);
  }

  /**
   * Replaces the run's image issues with those of version `versionId`'s failed (and undersized) images: an item
   * whose main image failed gets an ERROR, a failed additional image a WARNING. `hints`: each image code's hint.
   */
  static async replaceImageIssues(
    db: Queryable,
    brandId: string,
    run: { runId: string; feedId: string; versionId: string },
    hints: [string, string][],
  ): Promise<void> {
    const hintValues = hints.map((_, i) => `($${5 + i * 2}, $${6 + i * 2})`).join(', ');
    await db.query(`DELETE FROM run_issue WHERE run_id = $1 AND brand_id = $2 AND code LIKE 'IMAGE\\_%'`, [
      run.runId,
      brandId,
    ]);
    await db.query(
      `WITH hint(code, text) AS (VALUES ${hintValues})
       INSERT INTO run_issue (run_id, brand_id, severity, code, attribute, "row", item_id, value, message, hint)
       SELECT $1, $2,
              CASE WHEN u.ord = 0 AND s.status = 'FAILED' THEN 'ERROR' ELSE 'WARNING' END,
              coalesce(s.error_code, '${CODE.IMAGE_TOO_SMALL}'),
              CASE WHEN u.ord = 0 THEN 'image_link' ELSE 'additional_image_link' END,
              ir."row", vi.offer_id, left(u.url, 200),
              CASE WHEN s.status = 'FAILED' THEN s.error_message ELSE s.size_warning END,
              coalesce(h.text, '')
         FROM version_item vi
         JOIN item_revision ir ON ir.feed_id = $3 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
         CROSS JOIN LATERAL (SELECT ir.data AS d) x
         CROSS JOIN LATERAL (${ITEM_IMAGE_URLS}) u
         JOIN image_source s ON s.brand_id = $2 AND s.url = u.url
         LEFT JOIN hint h ON h.code = coalesce(s.error_code, '${CODE.IMAGE_TOO_SMALL}')
        WHERE vi.version_id = $4 AND (s.status = 'FAILED' OR s.size_warning IS NOT NULL)`,
      [run.runId, brandId, run.feedId, run.versionId, ...hints.flat()],
    );
  }
}
