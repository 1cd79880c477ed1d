import { formatRate } from './rate.js';

/** Which rule chose a rate, most specific first (the order of precedence). */
export const COMMISSION_RULE_KINDS = [
  'TARGETED_PRODUCT',
  'TARGETED_ITEM_GROUP',
  'TARGETED_CATEGORY',
  'TARGETED_BRAND',
  'OPEN_PRODUCT',
  'OPEN_ITEM_GROUP',
  'OPEN_CATEGORY',
  'OPEN_DEFAULT',
] as const;
export type CommissionRuleKind = (typeof COMMISSION_RULE_KINDS)[number];

export type RuleScope = 'BRAND' | 'PRODUCT' | 'ITEM_GROUP' | 'CATEGORY';

/** A rule row with, for an offer's rule, what decides whether the offer applies at an instant. */
export interface RuleRecord {
  id: string;
  brandId: string;
  offerId: string | null;
  scope: RuleScope;
  target: string;
  rate: number;
  validFrom: Date;
  validTo: Date | null;
  /** For a CATEGORY rule: the taxonomy path of its target, resolved when loaded (null: not in the taxonomy). */
  categoryPath: string | null;
  offer: OfferWindow | null;
}

export interface OfferWindow {
  creatorId: string;
  creatorHandle: string;
  acceptedAt: Date | null;
  withdrawnAt: Date | null;
  startsAt: Date;
  endsAt: Date | null;
}

/** What decides a product's rate: its brand, id, item group and category path. */
export interface ProductFacts {
  id: string;
  brandId: string;
  itemGroupId: string | null;
  categoryPath: string | null;
}

export interface CommissionMatch {
  kind: CommissionRuleKind;
  rate: number;
  ruleId: string;
  offerId: string | null;
  /** For category rules: the matched path (deeper beats shallower within a level). */
  categoryPath: string | null;
}

export interface CommissionChoice {
  /** The rule that applies, or null: no rule, no commission (the brand runs no open collaboration). */
  applied: CommissionMatch | null;
  /** Every rule that matched, the applied one first, in precedence order. */
  candidates: CommissionMatch[];
  reason: string;
}

/** Whether a rule was in force at `at` (offers: accepted before, within their dates, not withdrawn by then). */
export function inForce(rule: RuleRecord, at: Date, creatorId: string | null): boolean {
  const t = at.getTime();
  if (rule.validFrom.getTime() > t || (rule.validTo && rule.validTo.getTime() <= t)) return false;
  const offer = rule.offer;
  if (!rule.offerId) return true;
  if (!offer || creatorId === null || offer.creatorId !== creatorId) return false;
  if (!offer.acceptedAt || offer.acceptedAt.getTime() > t) return false;
  if (offer.withdrawnAt && offer.withdrawnAt.getTime() <= t) return false;
  if (offer.startsAt.getTime() > t) return false;
  return !offer.endsAt || offer.endsAt.getTime() > t;
}

function categoryMatches(rulePath: string | null, productPath: string | null): boolean {
  if (!rulePath || !productPath) return false;
  const a = rulePath.toLowerCase();
  const b = productPath.toLowerCase();
  return b === a || b.startsWith(`${a} > `);
}

function kindOf(rule: RuleRecord, product: ProductFacts): CommissionRuleKind | null {
  const prefix = rule.offerId ? 'TARGETED' : 'OPEN';
  switch (rule.scope) {
    case 'PRODUCT':
      return rule.target === product.id ? `${prefix}_PRODUCT` : null;
    case 'ITEM_GROUP':
      return product.itemGroupId !== null && rule.target === product.itemGroupId ? `${prefix}_ITEM_GROUP` : null;
    case 'CATEGORY':
      return categoryMatches(rule.categoryPath, product.categoryPath) ? `${prefix}_CATEGORY` : null;
    case 'BRAND':
      return rule.offerId ? 'TARGETED_BRAND' : 'OPEN_DEFAULT';
  }
}

/**
 * The order within the precedence: the level first (targeted product … open default; an item group and a category
 * share a level, the item group first, being the narrower), then within a level a deeper category before a
 * shallower one, then (two accepted offers of one brand at one level) the higher rate, then the older rule.
 */
function compare(a: CommissionMatch, b: CommissionMatch): number {
  const rank = (k: CommissionRuleKind) => COMMISSION_RULE_KINDS.indexOf(k);
  return (
    rank(a.kind) - rank(b.kind) ||
    (b.categoryPath?.length ?? 0) - (a.categoryPath?.length ?? 0) ||
    b.rate - a.rate ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

const LABEL: Record<CommissionRuleKind, string> = {
  TARGETED_PRODUCT: "a targeted offer's rate for this product",
  TARGETED_ITEM_GROUP: "a targeted offer's rate for this product's item group",
  TARGETED_CATEGORY: "a targeted offer's rate for this product's category",
  TARGETED_BRAND: "a targeted offer's brand-wide rate",
  OPEN_PRODUCT: "the open program's rate for this product",
  OPEN_ITEM_GROUP: "the open program's rate for this product's item group",
  OPEN_CATEGORY: "the open program's rate for this product's category",
  OPEN_DEFAULT: "the open program's default rate",
};

export function describeKind(kind: CommissionRuleKind): string {
  return LABEL[kind];
}

/**
 * The rate for one product, for one creator (null: the open program only, as a brand sees it without naming a
 * creator), at one instant, from the brand's rules. Most specific first: targeted product > targeted group or
 * category > targeted brand-wide > open product > open group or category > open default.
 */
export function chooseCommission(
  rules: readonly RuleRecord[],
  product: ProductFacts,
  creatorId: string | null,
  at: Date,
): CommissionChoice {
  const candidates: CommissionMatch[] = [];
  for (const rule of rules) {
    if (rule.brandId !== product.brandId || !inForce(rule, at, creatorId)) continue;
    const kind = kindOf(rule, product);
    if (!kind) continue;
    candidates.push({
      kind,
      rate: rule.rate,
      ruleId: rule.id,
      offerId: rule.offerId,
      categoryPath: rule.scope === 'CATEGORY' ? rule.categoryPath : null,
    });
  }
  candidates.sort(compare);
  const applied = candidates[0] ?? null;
  if (!applied) {
    return {
      applied: null,
      candidates,
      reason:
        creatorId === null
          ? 'No rule applies: the brand has no open rate for this product (no default, no override).'
          : 'No rule applies: the brand has no open rate for this product and no accepted offer in force covers it.',
    };
  }
  const beaten = candidates.slice(1);
  const reason =
    `${formatRate(applied.rate)}% from ${describeKind(applied.kind)}` +
    (applied.categoryPath ? ` ("${applied.categoryPath}")` : '') +
    (beaten.length
      ? `, the most specific rule that applies; it takes precedence over ${beaten
          .map((c) => `${describeKind(c.kind)} (${formatRate(c.rate)}%)`)
          .join(', ')}.`
      : ', the only rule that applies.');
  return { applied, candidates, reason };
}
