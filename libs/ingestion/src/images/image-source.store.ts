import type { EntityManager } from 'typeorm';
import { CODE } from '@brandshelf/catalog-rules';
import { returnedRows } from '@brandshelf/db';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** What fetching and processing an image stored, for its row. */
export interface ProcessedImage {
  status: 'PROCESSED' | 'FAILED';
  sha256: string;
  etag: string | null;
  lastModified: string | null;
  format: string;
  bytes: number;
  width: number;
  height: number;
  placeholder: string | null;
  dominantColor: string | null;
  renditions: unknown;
  errorCode: string | null;
  errorMessage: string | null;
  sizeWarning: string | null;
  storedBytes: number | null;
}

/**
 * The one writer of image_source (libs/db/src/table-owners.ts): a brand's image URLs and what fetching them found.
 * Every method takes the brand. A statement that writes run_image too is run by RunImageStore, with the part
 * that writes image_source from here.
 */
export class ImageSourceStore {
  /**
   * A CTE `sources` upserting the brand's (`$2`) rows for every URL of the CTE `urls`, returning id, url and
   * status (RunImageStore.plan).
   */
  static readonly UPSERT_URLS = `
       sources AS (
         INSERT INTO image_source (brand_id, url) SELECT $2, url FROM urls
         ON CONFLICT (brand_id, url) DO UPDATE SET url = EXCLUDED.url
         RETURNING id, url, status)`;

  /**
   * A CTE `sources` failing, as unreachable with message `$4`, the brand's (`$2`) images the CTE `settled` just
   * failed (RunImageStore.failPending).
   */
  static readonly FAIL_SETTLED_UNREACHABLE = `
       sources AS (
         UPDATE image_source s SET status = 'FAILED', error_code = '${CODE.IMAGE_UNREACHABLE}', error_message = $4,
                size_warning = NULL, updated_at = now()
           FROM settled WHERE s.id = settled.image_id AND s.brand_id = $2)`;

  /** What fetching the brand's image `imageId` stored. */
  static async recordProcessed(db: Queryable, brandId: string, imageId: string, image: ProcessedImage): Promise<void> {
    await db.query(
      `UPDATE image_source SET status = $2, sha256 = $3, etag = $4, last_modified = $5, format = $6, bytes = $7,
                width = $8, height = $9, placeholder = $10, dominant_color = $11, renditions = $12,
                error_code = $13, error_message = $14, size_warning = $15, stored_bytes = $16, fetched_at = now(),
                updated_at = now()
          WHERE id = $1 AND brand_id = $17`,
      [
        imageId,
        image.status,
        image.sha256,
        image.etag,
        image.lastModified,
        image.format,
        image.bytes,
        image.width,
        image.height,
        image.placeholder,
        image.dominantColor,
        JSON.stringify(image.renditions),
        image.errorCode,
        image.errorMessage,
        image.sizeWarning,
        image.storedBytes,
        brandId,
      ],
    );
  }

  /** Fetching the brand's image `imageId` failed with `code`. */
  static async recordFailed(
    db: Queryable,
    brandId: string,
    imageId: string,
    code: string,
    message: string,
  ): Promise<void> {
    await db.query(
      `UPDATE image_source SET status = 'FAILED', error_code = $2, error_message = $3, size_warning = NULL,
                fetched_at = now(), updated_at = now() WHERE id = $1 AND brand_id = $4`,
      [imageId, code, message, brandId],
    );
  }

  /**
   * Deletes the brand's image rows `imageIds` that no run still in progress or of a kept version lists; returns
   * the sha256 of each deleted row (null when never processed).
   */
  static async deleteUnused(
    manager: Queryable,
    brandId: string,
    imageIds: string[],
  ): Promise<{ sha256: string | null }[]> {
    return returnedRows<{ sha256: string | null }>(
      await manager.query(
        `DELETE FROM image_source s
          WHERE s.brand_id = $1 AND s.id = ANY($2::uuid[])
            AND NOT EXISTS (
              SELECT 1 FROM run_image ri JOIN ingestion_run r ON r.id = ri.run_id
               WHERE ri.image_id = s.id
                 AND (r.status IN ('QUEUED', 'RUNNING') OR EXISTS (SELECT 1 FROM catalog_version v WHERE v.id = r.version_id)))
          RETURNING s.sha256`,
        [brandId, imageIds],
      ),
    );
  }
}
