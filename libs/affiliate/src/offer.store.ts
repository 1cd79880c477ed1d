import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '@brandshelf/core';
import { returnedRows, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { sqlPage } from './sql-page.js';
import type { Owner } from './tenancy.js';

type Row = Record<string, any>;

export const OFFER_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface OfferRecord {
  id: string;
  brandId: string;
  creatorId: string;
  creatorHandle: string;
  status: OfferStatus;
  message: string | null;
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  withdrawnAt: Date | null;
}

const SELECT = `o.id, o.brand_id, o.creator_id, c.handle AS creator_handle, o.status, o.message, o.starts_at, o.ends_at,
  o.created_at, o.accepted_at, o.declined_at, o.withdrawn_at`;
const FROM = 'commission_offer o JOIN creator c ON c.id = o.creator_id';

export function toOffer(row: Row): OfferRecord {
  return {
    id: row.id,
    brandId: row.brand_id,
    creatorId: row.creator_id,
    creatorHandle: row.creator_handle,
    status: row.status,
    message: row.message,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    declinedAt: row.declined_at,
    withdrawnAt: row.withdrawn_at,
  };
}

/** commission_offer: a brand's offers to creators; a brand reads its own, a creator the ones made to it. */
@Injectable()
export class OfferStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async create(
    manager: EntityManager,
    brandId: string,
    offer: { creatorId: string; message: string | null; startsAt: Date; endsAt: Date | null; at: Date },
  ): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO commission_offer (brand_id, creator_id, status, message, starts_at, ends_at, created_at)
       VALUES ($1, $2, 'PENDING', $3, $4, $5, $6) RETURNING id`,
      [brandId, offer.creatorId, offer.message, offer.startsAt, offer.endsAt, offer.at],
    );
    return row.id;
  }

  async findForBrand(brandId: string, id: string, manager: EntityManager | DataSource = this.db) {
    if (!isUuid(id)) return null;
    const rows: Row[] = await manager.query(`SELECT ${SELECT} FROM ${FROM} WHERE o.id = $1 AND o.brand_id = $2`, [
      id,
      brandId,
    ]);
    return rows[0] ? toOffer(rows[0]) : null;
  }

  async findForCreator(creatorId: string, id: string, manager: EntityManager | DataSource = this.db) {
    if (!isUuid(id)) return null;
    const rows: Row[] = await manager.query(`SELECT ${SELECT} FROM ${FROM} WHERE o.id = $1 AND o.creator_id = $2`, [
      id,
      creatorId,
    ]);
    return rows[0] ? toOffer(rows[0]) : null;
  }

  /** The offers among `ids` the owner may read (a brand the ones it made, a creator those made to it). */
  async findManyForOwner(owner: Owner, ids: readonly string[]): Promise<OfferRecord[]> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return [];
    const mine = owner.kind === 'brand' ? 'o.brand_id = $2' : 'o.creator_id = $2';
    const rows: Row[] = await this.db.query(`SELECT ${SELECT} FROM ${FROM} WHERE o.id = ANY($1::uuid[]) AND ${mine}`, [
      wanted,
      owner.kind === 'brand' ? owner.brandId : owner.creatorId,
    ]);
    return rows.map(toOffer);
  }

  /** The creator's answer to a pending offer; false when it was no longer pending (raced). */
  async decide(creatorId: string, id: string, accept: boolean, at: Date): Promise<boolean> {
    const rows = returnedRows<Row>(
      await this.db.query(
        `UPDATE commission_offer SET status = $3, ${accept ? 'accepted_at' : 'declined_at'} = $4
       WHERE id = $1 AND creator_id = $2 AND status = 'PENDING' RETURNING id`,
        [id, creatorId, accept ? 'ACCEPTED' : 'DECLINED', at],
      ),
    );
    return rows.length > 0;
  }

  /** The brand ends an offer (pending or accepted) from `at` on; false when it was already over. */
  async withdraw(brandId: string, id: string, at: Date): Promise<boolean> {
    const rows = returnedRows<Row>(
      await this.db.query(
        `UPDATE commission_offer SET status = 'WITHDRAWN', withdrawn_at = $3
         WHERE id = $1 AND brand_id = $2 AND status IN ('PENDING', 'ACCEPTED') RETURNING id`,
        [id, brandId, at],
      ),
    );
    return rows.length > 0;
  }

  pageForBrand(brandId: string, status: OfferStatus | null, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return this.page('o.brand_id = $1', [brandId], status, request);
  }

  pageForCreator(creatorId: string, status: OfferStatus | null, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return this.page('o.creator_id = $1', [creatorId], status, request);
  }

  private page(where: string, params: unknown[], status: OfferStatus | null, request: KeysetRequest) {
    return sqlPage(
      this.db,
      {
        name: 'createdAt',
        select: SELECT,
        from: FROM,
        where: status ? `${where} AND o.status = $2` : where,
        params: status ? [...params, status] : params,
        key: 'o.created_at',
        keyType: 'timestamptz',
        id: 'o.id',
        idType: 'uuid',
        direction: 'DESC',
      },
      request,
    );
  }
}
