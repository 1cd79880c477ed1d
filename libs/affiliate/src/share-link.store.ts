import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import { randomBase62, SHARE_CODE_LENGTH } from './codes.js';
import { sqlPage } from './sql-page.js';
import type { Owner } from './tenancy.js';
import { SystemPath } from '@brandshelf/db';

type Row = Record<string, any>;

export interface ShareLinkRecord {
  id: string;
  code: string;
  creatorId: string;
  brandId: string;
  productId: string;
  channel: string | null;
  createdAt: Date;
}

/** Where a code leads, as the redirect needs it: null landing when the product left the catalog. */
export interface LinkTarget {
  linkId: string;
  code: string;
  creatorId: string;
  creatorHandle: string;
  brandId: string;
  brandName: string;
  productId: string;
  channel: string | null;
  /** The live product's landing page (catalog_product.link); null when it left the catalog or has none. */
  landing: string | null;
  live: boolean;
  /** What decides the product's rate (its item group and category path), read with it. */
  itemGroupId: string | null;
  categoryPath: string | null;
}

const SELECT = 'l.id, l.code, l.creator_id, l.brand_id, l.product_id, l.channel, l.created_at';

export function toShareLink(row: Row): ShareLinkRecord {
  return {
    id: row.id,
    code: row.code,
    creatorId: row.creator_id,
    brandId: row.brand_id,
    productId: row.product_id,
    channel: row.channel,
    createdAt: row.created_at,
  };
}

/** share_link: a creator's links; a creator reads its own, a brand the links to its products. */
@Injectable()
export class ShareLinkStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A new link with a fresh random code (drawn again on the astronomically unlikely collision). */
  async create(
    creatorId: string,
    link: { brandId: string; productId: string; channel: string | null; at: Date },
  ): Promise<ShareLinkRecord> {
    for (let attempt = 0; ; attempt++) {
      const rows: Row[] = await this.db.query(
        `INSERT INTO share_link (code, creator_id, brand_id, product_id, channel, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING ${SELECT.replace(/l\./g, '')}`,
        [randomBase62(SHARE_CODE_LENGTH), creatorId, link.brandId, link.productId, link.channel, link.at],
      );
      if (rows[0]) return toShareLink(rows[0]);
      if (attempt > 5) throw new Error('share_link: could not draw a free code');
    }
  }

  async findForCreator(creatorId: string, id: string): Promise<ShareLinkRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Row[] = await this.db.query(
      `SELECT ${SELECT} FROM share_link l WHERE l.id = $1 AND l.creator_id = $2`,
      [id, creatorId],
    );
    return rows[0] ? toShareLink(rows[0]) : null;
  }

  /** The links among `ids` the owner may read (a creator its own, a brand those to its products), in one statement. */
  async findManyForOwner(owner: Owner, ids: readonly string[]): Promise<ShareLinkRecord[]> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return [];
    const mine = owner.kind === 'brand' ? 'l.brand_id = $2' : 'l.creator_id = $2';
    const rows: Row[] = await this.db.query(
      `SELECT ${SELECT} FROM share_link l WHERE l.id = ANY($1::uuid[]) AND ${mine}`,
      [wanted, owner.kind === 'brand' ? owner.brandId : owner.creatorId],
    );
    return rows.map(toShareLink);
  }

  pageForCreator(creatorId: string, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return this.page('l.creator_id = $1', [creatorId], request);
  }

  pageForBrand(brandId: string, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return this.page('l.brand_id = $1', [brandId], request);
  }

  /** System method (the public redirect): where a code leads, or null for a code nobody was given. */
  @SystemPath('share-link.store.systemTargetByCode')
  async systemTargetByCode(code: string): Promise<LinkTarget | null> {
    const rows: Row[] = await this.db.query(
      `SELECT l.id, l.code, l.creator_id, c.handle, l.brand_id, b.name AS brand_name, l.product_id, l.channel,
              p.link, p.id IS NOT NULL AS live, p.item_group_id, p.google_category_path
       FROM share_link l JOIN creator c ON c.id = l.creator_id JOIN brand b ON b.id = l.brand_id
       LEFT JOIN catalog_product p ON p.id = l.product_id
       WHERE l.code = $1`,
      [code],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      linkId: r.id,
      code: r.code,
      creatorId: r.creator_id,
      creatorHandle: r.handle,
      brandId: r.brand_id,
      brandName: r.brand_name,
      productId: r.product_id,
      channel: r.channel,
      landing: r.link,
      live: r.live,
      itemGroupId: r.item_group_id,
      categoryPath: r.google_category_path,
    };
  }

  private page(where: string, params: unknown[], request: KeysetRequest) {
    return sqlPage(
      this.db,
      {
        name: 'createdAt',
        select: SELECT,
        from: 'share_link l',
        where,
        params,
        key: 'l.created_at',
        keyType: 'timestamptz',
        id: 'l.id',
        idType: 'uuid',
        direction: 'DESC',
      },
      request,
    );
  }
}
