import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { googleTaxonomy } from '@brandshelf/catalog-rules';
import { isUuid } from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import type { RuleRecord, RuleScope } from './precedence.js';
import { rateFromSql, rateToSql } from './rate.js';
import { sqlPage } from './sql-page.js';
import type { Owner } from './tenancy.js';
import { SystemPath } from '@brandshelf/db';

type Row = Record<string, any>;

export interface RuleTarget {
  scope: RuleScope;
  target: string;
}

const NIL = '00000000-0000-0000-0000-000000000000';

export function toRuleRecord(row: Row): RuleRecord {
  const scope = row.scope as RuleScope;
  return {
    id: row.id,
    brandId: row.brand_id,
    offerId: row.offer_id,
    scope,
    target: row.target,
    rate: rateFromSql(row.rate_percent),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    categoryPath: scope === 'CATEGORY' ? (googleTaxonomy().byId.get(Number(row.target)) ?? null) : null,
    offer: row.o_creator_id
      ? {
          creatorId: row.o_creator_id,
          creatorHandle: row.o_creator_handle,
          acceptedAt: row.o_accepted_at,
          withdrawnAt: row.o_withdrawn_at,
          startsAt: row.o_starts_at,
          endsAt: row.o_ends_at,
        }
      : null,
  };
}

const SELECT = `r.id, r.brand_id, r.offer_id, r.scope, r.target, r.rate_percent::text AS rate_percent, r.valid_from,
  r.valid_to, o.creator_id AS o_creator_id, c.handle AS o_creator_handle, o.accepted_at AS o_accepted_at,
  o.withdrawn_at AS o_withdrawn_at, o.starts_at AS o_starts_at, o.ends_at AS o_ends_at`;
const FROM = `commission_rule r LEFT JOIN commission_offer o ON o.id = r.offer_id LEFT JOIN creator c ON c.id = o.creator_id`;

/** commission_rule: rates with their history (rows are closed by valid_to, never changed otherwise). */
@Injectable()
export class RuleStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The brand's open rule in force for a target (BRAND: the default), inside the caller's locked transaction. */
  async currentOpen(manager: EntityManager, brandId: string, target: RuleTarget): Promise<RuleRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${SELECT} FROM ${FROM}
       WHERE r.brand_id = $1 AND r.offer_id IS NULL AND r.scope = $2 AND r.target = $3 AND r.valid_to IS NULL`,
      [brandId, target.scope, target.target],
    );
    return rows[0] ? toRuleRecord(rows[0]) : null;
  }

  /**
   * Replaces the brand's open rate for a target from `at` on: closes the rule in force and, unless `rate` is null
   * (remove), opens a new one. Clicks before `at` keep the old rate; the caller holds the program lock.
   */
  async replaceOpen(
    manager: EntityManager,
    brandId: string,
    target: RuleTarget,
    rate: number | null,
    at: Date,
  ): Promise<RuleRecord | null> {
    await manager.query(
      `UPDATE commission_rule SET valid_to = greatest(valid_from, $4::timestamptz)
       WHERE brand_id = $1 AND offer_id IS NULL AND scope = $2 AND target = $3 AND valid_to IS NULL`,
      [brandId, target.scope, target.target, at],
    );
    if (rate === null) return null;
    await manager.query(
      `INSERT INTO commission_rule (brand_id, offer_id, scope, target, rate_percent, valid_from)
       VALUES ($1, NULL, $2, $3, $4::numeric, $5)`,
      [brandId, target.scope, target.target, rateToSql(rate), at],
    );
    return this.currentOpen(manager, brandId, target);
  }

  /** An offer's rules, written once when the brand makes the offer. */
  async insertForOffer(
    manager: EntityManager,
    brandId: string,
    offerId: string,
    rules: Array<RuleTarget & { rate: number }>,
    at: Date,
  ): Promise<void> {
    if (!rules.length) return;
    await manager.query(
      `INSERT INTO commission_rule (brand_id, offer_id, scope, target, rate_percent, valid_from)
       SELECT $1, $2, s, t, r::numeric, $3 FROM unnest($4::text[], $5::text[], $6::text[]) AS v(s, t, r)`,
      [
        brandId,
        offerId,
        at,
        rules.map((r) => r.scope),
        rules.map((r) => r.target),
        rules.map((r) => rateToSql(r.rate)),
      ],
    );
  }

  /** A page of the brand's open overrides and default in force now (the brand's own rows only). */
  pageOpen(brandId: string, request: KeysetRequest): Promise<KeysetPage<Row>> {
    return sqlPage(
      this.db,
      {
        name: 'validFrom',
        select: SELECT,
        from: FROM,
        where: 'r.brand_id = $1 AND r.offer_id IS NULL AND r.valid_to IS NULL',
        params: [brandId],
        key: 'r.valid_from',
        keyType: 'timestamptz',
        id: 'r.id',
        idType: 'uuid',
        direction: 'DESC',
      },
      request,
    );
  }

  /** The rules of the given offers, of those the owner may see (a brand its own offers, a creator those made to it). */
  async ofOffers(owner: Owner, offerIds: readonly string[]): Promise<RuleRecord[]> {
    if (!offerIds.length) return [];
    const mine = owner.kind === 'brand' ? 'r.brand_id = $2' : 'o.creator_id = $2';
    const rows: Row[] = await this.db.query(
      `SELECT ${SELECT} FROM ${FROM} WHERE r.offer_id = ANY($1::uuid[]) AND ${mine} ORDER BY r.scope, r.target`,
      [offerIds, owner.kind === 'brand' ? owner.brandId : owner.creatorId],
    );
    return rows.map(toRuleRecord);
  }

  /**
   * The rule versions among `ids` the owner may read: a brand its own; a creator the open rules (the open program is
   * every creator's, and commissionFor already names them) and the rules of offers made to it. One statement.
   */
  async findManyForOwner(owner: Owner, ids: readonly string[]): Promise<RuleRecord[]> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return [];
    const mine = owner.kind === 'brand' ? 'r.brand_id = $2' : '(r.offer_id IS NULL OR o.creator_id = $2)';
    const rows: Row[] = await this.db.query(`SELECT ${SELECT} FROM ${FROM} WHERE r.id = ANY($1::uuid[]) AND ${mine}`, [
      wanted,
      owner.kind === 'brand' ? owner.brandId : owner.creatorId,
    ]);
    return rows.map(toRuleRecord);
  }

  /**
   * System method (rates for a page of products, a quote, a batch of clicks): the rules of these brands that may
   * apply to these products for this creator (null: open rules only) at some instant of [from, to]: open rules,
   * and the rules of offers to this creator. One statement, whatever the number of products.
   */
  @SystemPath('rule.store.systemApplicable')
  async systemApplicable(query: {
    brandIds: readonly string[];
    creatorIds: readonly string[];
    productIds: readonly string[];
    itemGroups: readonly string[];
    from: Date;
    to: Date;
  }): Promise<RuleRecord[]> {
    if (!query.brandIds.length) return [];
    const rows: Row[] = await this.db.query(
      `SELECT ${SELECT} FROM ${FROM}
       WHERE r.brand_id = ANY($1::uuid[])
         AND r.valid_from <= $6 AND (r.valid_to IS NULL OR r.valid_to > $5)
         AND (r.offer_id IS NULL OR (o.creator_id = ANY($2::uuid[]) AND o.accepted_at IS NOT NULL))
         AND (r.scope IN ('BRAND', 'CATEGORY')
              OR (r.scope = 'PRODUCT' AND r.target = ANY($3::text[]))
              OR (r.scope = 'ITEM_GROUP' AND r.target = ANY($4::text[])))`,
      [
        query.brandIds,
        query.creatorIds.length ? query.creatorIds : [NIL],
        query.productIds,
        query.itemGroups,
        query.from,
        query.to,
      ],
    );
    return rows.map(toRuleRecord);
  }
}
