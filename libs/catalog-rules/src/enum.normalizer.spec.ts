import { describe, expect, it } from '@jest/globals';

import {
  normalizeAgeGroup,
  normalizeAvailability,
  normalizeCondition,
  normalizeGender,
  normalizeYesNo,
} from './enum.normalizer.js';

describe('normalizeAvailability', () => {
  it.each([
    ['in_stock', 'IN_STOCK'],
    ['in stock', 'IN_STOCK'],
    ['InStock', 'IN_STOCK'],
    ['IN-STOCK', 'IN_STOCK'],
    ['available', 'IN_STOCK'],
    ['Available for order', 'IN_STOCK'],
    ['limited availability', 'IN_STOCK'],
    ['yes', 'IN_STOCK'],
    ['TRUE', 'IN_STOCK'],
    ['1', 'IN_STOCK'],
    ['i lager', 'IN_STOCK'],
    ['https://schema.org/InStock', 'IN_STOCK'],
    ['http://schema.org/OutOfStock', 'OUT_OF_STOCK'],
    ['out of stock', 'OUT_OF_STOCK'],
    ['Sold out', 'OUT_OF_STOCK'],
    ['discontinued', 'OUT_OF_STOCK'],
    ['slut i lager', 'OUT_OF_STOCK'],
    ['pre-order', 'PREORDER'],
    ['https://schema.org/PreOrder', 'PREORDER'],
    ['back order', 'BACKORDER'],
    ['backorder', 'BACKORDER'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeAvailability(raw)).toBe(expected);
  });

  it('reads a stock count: more than 0 in stock, 0 or less out of stock', () => {
    expect(normalizeAvailability('12')).toBe('IN_STOCK');
    expect(normalizeAvailability('0')).toBe('OUT_OF_STOCK');
    expect(normalizeAvailability('-3')).toBe('OUT_OF_STOCK');
  });

  it.each(['maybe', 'soon', '', 'in stock soon'])('returns null for %p', (raw) => {
    expect(normalizeAvailability(raw)).toBeNull();
  });
});

describe('normalizeCondition', () => {
  it.each([
    ['new', 'NEW'],
    ['NewCondition', 'NEW'],
    ['https://schema.org/NewCondition', 'NEW'],
    ['Brand New', 'NEW'],
    ['renewed', 'REFURBISHED'],
    ['Refurbished', 'REFURBISHED'],
    ['used', 'USED'],
    ['second hand', 'USED'],
    ['second-hand', 'USED'],
    ['pre-owned', 'USED'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeCondition(raw)).toBe(expected);
  });

  it('returns null for an unknown condition', () => {
    expect(normalizeCondition('mint-ish')).toBeNull();
  });
});

describe('normalizeGender', () => {
  it.each([
    ['male', 'MALE'],
    ['Men', 'MALE'],
    ["men's", 'MALE'],
    ['Herr', 'MALE'],
    ['female', 'FEMALE'],
    ['Women', 'FEMALE'],
    ["WOMEN'S", 'FEMALE'],
    ['dam', 'FEMALE'],
    ['Damen', 'FEMALE'],
    ['unisex', 'UNISEX'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeGender(raw)).toBe(expected);
  });

  it('returns null for an unknown gender', () => {
    expect(normalizeGender('robots')).toBeNull();
  });
});

describe('normalizeAgeGroup', () => {
  it.each([
    ['newborn', 'NEWBORN'],
    ['infant', 'INFANT'],
    ['toddler', 'TODDLER'],
    ['kids', 'KIDS'],
    ['Children', 'KIDS'],
    ['adult', 'ADULT'],
    ['Adults', 'ADULT'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeAgeGroup(raw)).toBe(expected);
  });

  it('returns null for an unknown age group', () => {
    expect(normalizeAgeGroup('seniors')).toBeNull();
  });
});

describe('normalizeYesNo', () => {
  it('reads yes/no, true/false and 1/0', () => {
    expect(normalizeYesNo('no')).toBe(false);
    expect(normalizeYesNo('FALSE')).toBe(false);
    expect(normalizeYesNo('0')).toBe(false);
    expect(normalizeYesNo('Yes')).toBe(true);
    expect(normalizeYesNo('true')).toBe(true);
    expect(normalizeYesNo('perhaps')).toBeNull();
  });
});
