import { describe, expect, it } from '@jest/globals';
import { chooseCommission, type RuleRecord } from './precedence.js';
import { formatRate, parseRate, rateFromSql, rateToSql } from './rate.js';

describe('rates', () => {
  it('parses decimal percentages from 1 to 80 with at most two decimals, exactly', () => {
    expect(['1', '12.5', '12.05', '80', '80.00', ' 7.1 '].map((r) => parseRate(r, 'ratePercent'))).toEqual([
      100, 1250, 1205, 8000, 8000, 710,
    ]);
    for (const bad of ['0.99', '80.01', '12.345', '1e1', '-5', '', '12,5', '100']) {
      expect(() => parseRate(bad, 'ratePercent')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('formats the shortest exact decimal and round-trips through numeric(5,2)', () => {
    expect([100, 1250, 1205, 8000, 710].map(formatRate)).toEqual(['1', '12.5', '12.05', '80', '7.1']);
    for (const h of [100, 1250, 1205, 8000, 710]) expect(rateFromSql(rateToSql(h))).toBe(h);
  });
});

describe('precedence', () => {
  const at = new Date('2030-01-01T00:00:00Z');
  const product = { id: 'p1', brandId: 'b1', itemGroupId: 'G', categoryPath: 'Apparel & Accessories > Shoes' };
  const rule = (over: Partial<RuleRecord>): RuleRecord => ({
    id: Math.random().toString(36),
    brandId: 'b1',
    offerId: null,
    scope: 'BRAND',
    target: '',
    rate: 1000,
    validFrom: new Date('2029-01-01'),
    validTo: null,
    categoryPath: null,
    offer: null,
    ...over,
  });

  it('does not count a rule before it was in force or after it was closed', () => {
    const old = rule({ rate: 500, validTo: at });
    const current = rule({ rate: 700, validFrom: at });
    expect(chooseCommission([old, current], product, null, new Date(at.getTime() - 1)).applied?.rate).toBe(500);
    expect(chooseCommission([old, current], product, null, at).applied?.rate).toBe(700);
  });

  it("ignores another brand's rules and another creator's offers", () => {
    const offer = {
      creatorId: 'c1',
      creatorHandle: 'c',
      acceptedAt: at,
      withdrawnAt: null,
      startsAt: at,
      endsAt: null,
    };
    const rules = [rule({ brandId: 'b2', rate: 7000 }), rule({ offerId: 'o1', rate: 6000, offer })];
    expect(chooseCommission(rules, product, 'c2', at).applied).toBeNull();
    expect(chooseCommission(rules, product, 'c1', at).applied).toMatchObject({ kind: 'TARGETED_BRAND', rate: 6000 });
    expect(chooseCommission(rules, product, null, at).applied).toBeNull();
  });

  it('matches categories with their subcategories, not by prefix of a name', () => {
    const rules = [rule({ scope: 'CATEGORY', target: '166', categoryPath: 'Apparel & Accessories', rate: 900 })];
    expect(chooseCommission(rules, product, null, at).applied?.kind).toBe('OPEN_CATEGORY');
    const similar = { ...product, categoryPath: 'Apparel & Accessories Extra > Shoes' };
    expect(chooseCommission(rules, similar, null, at).applied).toBeNull();
  });
});
