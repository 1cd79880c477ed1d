import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@brandshelf/core';
import { returnedRows, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { sqlPage } from './sql-page.js';

type Row = Record<string, any>;

/** showcase_item: a creator's products in the creator's order; every method takes the creator. */
@Injectable()
export class ShowcaseStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  page(creatorId: string, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return sqlPage(
      this.db,
      {
        name: 'position',
        select: 's.product_id, s.position, s.added_at',
        from: 'showcase_item s',
        where: 's.creator_id = $1',
        params: [creatorId],
        key: 's.position',
        keyType: 'integer',
        id: 's.product_id',
        idType: 'uuid',
        direction: 'ASC',
      },
      request,
    );
  }

  /** The creator's items among these products (its showcase only), in one statement. */
  async findMany(creatorId: string, productIds: readonly string[]): Promise<Row[]> {
    const wanted = productIds.filter(isUuid);
    if (!wanted.length) return [];
    return this.db.query(
      'SELECT s.product_id, s.position, s.added_at FROM showcase_item s WHERE s.creator_id = $1 AND s.product_id = ANY($2::uuid[])',
      [creatorId, wanted],
    );
  }

  count(creatorId: string): Promise<number> {
    return this.db
      .query('SELECT count(*)::int AS n FROM showcase_item WHERE creator_id = $1', [creatorId])
      .then((rows: Row[]) => rows[0].n);
  }

  /**
   * Puts the product at `position` (1-based; null or past the end: last), moving it if it is already there, and
   * renumbers the showcase 1..n in one transaction. Answers the product's place and when it was added.
   */
  async place(
    creatorId: string,
    productId: string,
    position: number | null,
    at: Date,
  ): Promise<{ position: number; addedAt: Date }> {
    return this.db.transaction(async (m) => {
      // One writer per showcase at a time: the creator row is the lock.
      await m.query('SELECT 1 FROM creator WHERE id = $1 FOR UPDATE', [creatorId]);
      const rows: Row[] = await m.query(
        'SELECT product_id FROM showcase_item WHERE creator_id = $1 ORDER BY position, product_id',
        [creatorId],
      );
      const order = rows.map((r) => r.product_id as string).filter((id) => id !== productId);
      const index = position === null ? order.length : Math.min(Math.max(position - 1, 0), order.length);
      order.splice(index, 0, productId);
      await m.query(
        `INSERT INTO showcase_item (creator_id, product_id, position, added_at) VALUES ($1, $2, 0, $3)
         ON CONFLICT (creator_id, product_id) DO NOTHING`,
        [creatorId, productId, at],
      );
      await m.query(
        `UPDATE showcase_item s SET position = v.position
         FROM unnest($2::uuid[]) WITH ORDINALITY AS v(product_id, position)
         WHERE s.creator_id = $1 AND s.product_id = v.product_id`,
        [creatorId, order],
      );
      const [row] = await m.query(
        'SELECT position, added_at FROM showcase_item WHERE creator_id = $1 AND product_id = $2',
        [creatorId, productId],
      );
      return { position: row.position, addedAt: row.added_at };
    });
  }

  /** Removes the product from the showcase; false when it was not in it. */
  async remove(creatorId: string, productId: string): Promise<boolean> {
    const rows = returnedRows<Row>(
      await this.db.query('DELETE FROM showcase_item WHERE creator_id = $1 AND product_id = $2 RETURNING product_id', [
        creatorId,
        productId,
      ]),
    );
    return rows.length > 0;
  }
}
