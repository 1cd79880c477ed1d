import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { googleTaxonomy } from '@brandshelf/catalog-rules';
import {
  BadInputError,
  ConflictError,
  NotFoundError,
  checkInputTime,
  isUuid,
  type RequestContext,
} from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import { AffiliateClock } from './clock.js';
import { OfferStore, type OfferRecord, type OfferStatus } from './offer.store.js';
import { chooseCommission, type CommissionChoice, type ProductFacts, type RuleRecord } from './precedence.js';
import { ProgramStore } from './program.store.js';
import { parseRate } from './rate.js';
import { RuleStore, toRuleRecord, type RuleTarget } from './rule.store.js';
import { brandOf, creatorOf, ownerOf } from './tenancy.js';
import { SystemPath } from '@brandshelf/db';

type Row = Record<string, any>;

/** Where a rate applies: nothing (the open default, or an offer's brand-wide rate), or one of these. */
export interface TargetInput {
  productId?: string | null;
  itemGroupId?: string | null;
  categoryId?: number | null;
}

export interface OfferInput {
  creatorHandle: string;
  /** The offer's brand-wide rate; optional when it has rules. */
  ratePercent?: string | null;
  rules?: Array<{ target: TargetInput; ratePercent: string }> | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  message?: string | null;
}

/** Rules per offer at most (an offer is a short list of rates, not a second catalog). */
export const MAX_OFFER_RULES = 50;

export interface CommissionQuote {
  productId: string;
  brandId: string;
  creatorId: string | null;
  choice: CommissionChoice;
  at: Date;
}

/** Commission programs: the brand's rates and offers, and the rate a creator gets on a product, with its reason. */
@Injectable()
export class CommissionService {
  private pending = new Map<string, { facts: ProductFacts; waiters: Array<(c: CommissionChoice) => void> }[]>();
  private scheduled = false;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ProgramStore) private readonly programs: ProgramStore,
    @Inject(RuleStore) private readonly rules: RuleStore,
    @Inject(OfferStore) private readonly offers: OfferStore,
    @Inject(AffiliateClock) private readonly clock: AffiliateClock,
  ) {}

  // ---- brand side ---------------------------------------------------------------------------------------------

  /**
   * Sets (or, with a null rate, removes) the brand's open rate for a target: no target is the default open rate.
   * The change applies from now on; clicks already made keep the rate they snapshotted.
   */
  async setOpenRate(
    ctx: RequestContext,
    input: { target?: TargetInput | null; ratePercent?: string | null },
  ): Promise<RuleRecord | null> {
    const brandId = brandOf(ctx);
    const rate =
      input.ratePercent === null || input.ratePercent === undefined
        ? null
        : parseRate(input.ratePercent, 'ratePercent');
    const target = await this.target(brandId, input.target ?? null, 'target');
    const at = this.clock.now();
    return this.db.transaction(async (m) => {
      await this.programs.lock(m, brandId, at);
      return this.rules.replaceOpen(m, brandId, target, rate, at);
    });
  }

  /** The brand's open default rate in force now, or null (no open collaboration). */
  async openDefault(ctx: RequestContext): Promise<RuleRecord | null> {
    const brandId = brandOf(ctx);
    return this.rules.currentOpen(this.db.manager, brandId, { scope: 'BRAND', target: '' });
  }

  /** A page of the brand's open rules in force (default and overrides), newest first. */
  openRules(ctx: RequestContext, request: KeysetRequest): Promise<KeysetPage<RuleRecord>> {
    return this.rules.pageOpen(brandOf(ctx), request).then((p) => ({
      ...p,
      rows: p.rows.map((r) => ({ cursor: r.cursor, node: toRuleRecord(r.node) })),
    }));
  }

  async createOffer(ctx: RequestContext, input: OfferInput): Promise<OfferRecord> {
    const brandId = brandOf(ctx);
    const rules: Array<RuleTarget & { rate: number }> = [];
    if (input.ratePercent !== null && input.ratePercent !== undefined) {
      rules.push({ scope: 'BRAND', target: '', rate: parseRate(input.ratePercent, 'ratePercent') });
    }
    const extra = input.rules ?? [];
    if (extra.length > MAX_OFFER_RULES) {
      throw new BadInputError(`An offer holds at most ${MAX_OFFER_RULES} rules; got ${extra.length}.`, 'rules');
    }
    for (const [i, rule] of extra.entries()) {
      const target = await this.target(brandId, rule.target, `rules.${i}.target`);
      if (target.scope === 'BRAND') {
        throw new BadInputError(
          'A rule names a product, an item group or a category; use ratePercent for brand-wide.',
          `rules.${i}.target`,
        );
      }
      if (rules.some((r) => r.scope === target.scope && r.target === target.target)) {
        throw new BadInputError('Two rules of the offer name the same target.', `rules.${i}.target`);
      }
      rules.push({ ...target, rate: parseRate(rule.ratePercent, `rules.${i}.ratePercent`) });
    }
    if (!rules.length) throw new BadInputError('An offer needs a ratePercent or at least one rule.', 'ratePercent');
    // The targets first: another brand's product is NOT_FOUND whatever else is wrong.
    const handle = (input.creatorHandle ?? '').trim().replace(/^@/, '');
    const [creator] = handle
      ? await this.db.query('SELECT id FROM creator WHERE lower(handle) = lower($1)', [handle])
      : [];
    if (!creator) throw new BadInputError(`No creator has the handle "${handle.slice(0, 40)}".`, 'creatorHandle');
    const at = this.clock.now();
    const startsAt = input.startsAt ?? at;
    const endsAt = input.endsAt ?? null;
    checkInputTime(startsAt, 'startsAt');
    if (endsAt) checkInputTime(endsAt, 'endsAt');
    if (endsAt && !(endsAt.getTime() > startsAt.getTime())) {
      throw new BadInputError('endsAt must be after startsAt.', 'endsAt');
    }
    if (endsAt && endsAt.getTime() <= at.getTime()) throw new BadInputError('endsAt is in the past.', 'endsAt');
    const message = input.message?.trim() || null;
    if (message && message.length > 1000) throw new BadInputError('message is at most 1000 characters.', 'message');
    const id = await this.db.transaction(async (m) => {
      await this.programs.lock(m, brandId, at);
      const offerId = await this.offers.create(m, brandId, { creatorId: creator.id, message, startsAt, endsAt, at });
      await this.rules.insertForOffer(m, brandId, offerId, rules, at);
      return offerId;
    });
    return (await this.offers.findForBrand(brandId, id))!;
  }

  async withdrawOffer(ctx: RequestContext, offerId: string): Promise<OfferRecord> {
    const brandId = brandOf(ctx);
    const offer = await this.offers.findForBrand(brandId, offerId);
    if (!offer) throw new NotFoundError('CommissionOffer', offerId);
    if (!(await this.offers.withdraw(brandId, offer.id, this.clock.now()))) {
      throw new ConflictError(`The offer is already ${offer.status.toLowerCase()}.`, { field: 'offerId' });
    }
    return (await this.offers.findForBrand(brandId, offer.id))!;
  }

  // ---- creator side -------------------------------------------------------------------------------------------

  /** The creator accepts or declines a pending offer; an offer already answered, withdrawn or ended is a CONFLICT. */
  async respondToOffer(ctx: RequestContext, offerId: string, accept: boolean): Promise<OfferRecord> {
    const creatorId = creatorOf(ctx);
    const offer = await this.offers.findForCreator(creatorId, offerId);
    if (!offer) throw new NotFoundError('CommissionOffer', offerId);
    const at = this.clock.now();
    if (offer.status !== 'PENDING') {
      throw new ConflictError(`The offer is ${offer.status.toLowerCase()}; only a pending offer can be answered.`, {
        field: 'offerId',
      });
    }
    if (accept && offer.endsAt && offer.endsAt.getTime() <= at.getTime()) {
      throw new ConflictError('The offer ended before it was accepted.', { field: 'offerId' });
    }
    if (!(await this.offers.decide(creatorId, offer.id, accept, at))) {
      throw new ConflictError('The offer was answered or withdrawn meanwhile.', { field: 'offerId' });
    }
    return (await this.offers.findForCreator(creatorId, offer.id))!;
  }

  /** Offers the caller may see: a brand its own, a creator those made to it. */
  offersPage(ctx: RequestContext, status: OfferStatus | null, request: KeysetRequest) {
    const owner = ownerOf(ctx);
    return owner.kind === 'brand'
      ? this.offers.pageForBrand(owner.brandId, status, request)
      : this.offers.pageForCreator(owner.creatorId, status, request);
  }

  /** The rules of offers the caller has already been shown (the resolver passes offers read through the stores). */
  offerRules(ctx: RequestContext, offerIds: readonly string[]): Promise<RuleRecord[]> {
    return this.rules.ofOffers(ownerOf(ctx), offerIds);
  }

  /** The offers among `ids` the caller may read: a brand the ones it made, a creator those made to it. */
  offersByIds(ctx: RequestContext, ids: readonly string[]): Promise<OfferRecord[]> {
    return this.offers.findManyForOwner(ownerOf(ctx), ids);
  }

  /** The rule versions among `ids` the caller may read (RuleStore.findManyForOwner says which). */
  rulesByIds(ctx: RequestContext, ids: readonly string[]): Promise<RuleRecord[]> {
    return this.rules.findManyForOwner(ownerOf(ctx), ids);
  }

  /** Brands' public fields (id, name, createdAt: what the catalog shows of a brand), for offers. */
  async brands(brandIds: readonly string[]): Promise<Map<string, { id: string; name: string; createdAt: Date }>> {
    const ids = [...new Set(brandIds)];
    if (!ids.length) return new Map();
    const rows: Row[] = await this.db.query('SELECT id, name, created_at FROM brand WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, createdAt: r.created_at }]));
  }

  // ---- quotes -------------------------------------------------------------------------------------------------

  /**
   * commissionFor: the rate, its rule and why. A brand asks about its own products (the open program, or what one
   * creator it names by handle gets); a creator about any live product (its own rate). Others' products: NOT_FOUND.
   */
  async quote(ctx: RequestContext, productId: string, creatorHandle: string | null): Promise<CommissionQuote> {
    const owner = ownerOf(ctx);
    const facts = (await this.liveFacts([productId]))[0];
    if (!facts || (owner.kind === 'brand' && facts.brandId !== owner.brandId)) {
      throw new NotFoundError('Product', productId);
    }
    let creatorId: string | null = owner.kind === 'creator' ? owner.creatorId : null;
    if (owner.kind === 'brand' && creatorHandle) {
      const [creator] = await this.db.query('SELECT id FROM creator WHERE lower(handle) = lower($1)', [
        creatorHandle.trim().replace(/^@/, ''),
      ]);
      if (!creator)
        throw new BadInputError(`No creator has the handle "${creatorHandle.slice(0, 40)}".`, 'creatorHandle');
      creatorId = creator.id;
    }
    const at = this.clock.now();
    const rules = await this.rules.systemApplicable({
      brandIds: [facts.brandId],
      creatorIds: creatorId ? [creatorId] : [],
      productIds: [facts.id],
      itemGroups: facts.itemGroupId ? [facts.itemGroupId] : [],
      from: at,
      to: at,
    });
    return {
      productId: facts.id,
      brandId: facts.brandId,
      creatorId,
      at,
      choice: chooseCommission(rules, facts, creatorId, at),
    };
  }

  /**
   * The creator's rate on a product of a page, batched: every product asked for within one turn of the event loop
   * (a page of `products`) is answered from one query per creator.
   */
  creatorRate(creatorId: string, facts: ProductFacts): Promise<CommissionChoice> {
    return new Promise((resolve) => {
      const list = this.pending.get(creatorId) ?? [];
      list.push({ facts, waiters: [resolve] });
      this.pending.set(creatorId, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flushRates());
      }
    });
  }

  private async flushRates(): Promise<void> {
    this.scheduled = false;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [creatorId, items] of batches) {
      const facts = items.map((i) => i.facts);
      let choices: CommissionChoice[];
      try {
        choices = await this.systemChoices(
          facts.map((f) => ({ facts: f, creatorId, at: this.clock.now() })),
          this.clock.now(),
          this.clock.now(),
        );
      } catch {
        choices = facts.map(() => ({ applied: null, candidates: [], reason: 'unavailable' }));
      }
      items.forEach((item, i) => item.waiters.forEach((w) => w(choices[i])));
    }
  }

  /**
   * System method (a page's rates, a batch of clicks): each (product, creator, instant)'s choice, from one query
   * for the rules that may apply anywhere in [from, to].
   */
  @SystemPath('commission.service.systemChoices')
  async systemChoices(
    asks: ReadonlyArray<{ facts: ProductFacts; creatorId: string | null; at: Date }>,
    from: Date,
    to: Date,
  ): Promise<CommissionChoice[]> {
    if (!asks.length) return [];
    const unique = <T>(xs: T[]) => [...new Set(xs)];
    const rules = await this.rules.systemApplicable({
      brandIds: unique(asks.map((a) => a.facts.brandId)),
      creatorIds: unique(asks.flatMap((a) => (a.creatorId ? [a.creatorId] : []))),
      productIds: unique(asks.map((a) => a.facts.id)),
      itemGroups: unique(asks.flatMap((a) => (a.facts.itemGroupId ? [a.facts.itemGroupId] : []))),
      from,
      to,
    });
    const byBrand = new Map<string, RuleRecord[]>();
    for (const rule of rules) byBrand.set(rule.brandId, [...(byBrand.get(rule.brandId) ?? []), rule]);
    return asks.map((a) => chooseCommission(byBrand.get(a.facts.brandId) ?? [], a.facts, a.creatorId, a.at));
  }

  /** What decides the rate of live products (unknown or gone ones are left out). */
  async liveFacts(productIds: readonly string[]): Promise<ProductFacts[]> {
    const ids = productIds.filter(isUuid);
    if (!ids.length) return [];
    const rows: Row[] = await this.db.query(
      `SELECT id, brand_id, item_group_id, google_category_path FROM catalog_product WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id,
      brandId: r.brand_id,
      itemGroupId: r.item_group_id,
      categoryPath: r.google_category_path,
    }));
  }

  /** A target named by the brand, checked: its own product, an item group id, or a Google taxonomy id. */
  private async target(brandId: string, input: TargetInput | null, field: string): Promise<RuleTarget> {
    const given = [input?.productId, input?.itemGroupId, input?.categoryId].filter(
      (v) => v !== null && v !== undefined,
    ).length;
    if (!input) return { scope: 'BRAND', target: '' };
    // A target that names nothing is a mistake (a form that sent an empty field), not a request for the default:
    // read as the default it silently replaced the rate of every product.
    if (given === 0) {
      throw new BadInputError(
        'The target names nothing: give one of productId, itemGroupId or categoryId, or omit target for the default rate.',
        field,
      );
    }
    if (given > 1) throw new BadInputError('Name one of productId, itemGroupId or categoryId.', field);
    if (input.productId) {
      const [row] = isUuid(input.productId)
        ? await this.db.query('SELECT id FROM product_identity WHERE id = $1 AND brand_id = $2', [
            input.productId,
            brandId,
          ])
        : [];
      if (!row) throw new NotFoundError('Product', input.productId);
      return { scope: 'PRODUCT', target: row.id };
    }
    if (input.itemGroupId !== null && input.itemGroupId !== undefined) {
      const group = input.itemGroupId.trim();
      if (!group || group.length > 200) {
        throw new BadInputError('itemGroupId must be 1 to 200 characters.', `${field}.itemGroupId`);
      }
      return { scope: 'ITEM_GROUP', target: group };
    }
    const id = input.categoryId!;
    if (!googleTaxonomy().byId.has(id)) {
      throw new BadInputError(`categoryId ${id} is not a Google product taxonomy id.`, `${field}.categoryId`);
    }
    return { scope: 'CATEGORY', target: String(id) };
  }
}
