import { describe, expect, it } from '@jest/globals';

import { ItemValidator } from './item.validator.js';
import type { NormalizedProduct } from './normalized-product.model.js';
import { canonicalJson, contentHash } from './product.hash.js';

function product(fields: Record<string, string>): NormalizedProduct {
  const result = new ItemValidator({ mode: 'UPDATE_ONLY' }).validate({ row: 1, fields: { id: 'A1', ...fields } });
  return result.product!;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('leaves out undefined properties like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('contentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(contentHash(product({ title: 'Tee' }))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal for equal products whatever the key order', () => {
    const a = product({ title: 'Tee', 'custom:x': '1', 'custom:y': '2' });
    const b = product({ 'custom:y': '2', 'custom:x': '1', title: 'Tee' });
    expect(contentHash(a)).toBe(contentHash(b));
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as NormalizedProduct;
    reordered.customAttributes = { y: '2', x: '1' };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(contentHash(reordered)).toBe(contentHash(a));
  });

  it('changes when any value changes', () => {
    const base = contentHash(product({ title: 'Tee', price: '10.00 USD' }));
    expect(contentHash(product({ title: 'Tee', price: '10.01 USD' }))).not.toBe(base);
    expect(contentHash(product({ title: 'Tee ', price: '10.00 USD' }))).toBe(base);
    expect(contentHash(product({ title: 'Tee', price: '10.00 USD', 'custom:note': 'x' }))).not.toBe(base);
  });

  it('gets products whose keys are already in order, custom attributes included', () => {
    const a = product({ title: 'Tee', 'custom:z': '1', 'custom:a': '2', shipping_weight: '1 kg' });
    expect(Object.keys(a)).toEqual(Object.keys(a).sort());
    expect(Object.keys(a.customAttributes)).toEqual(['a', 'shipping_weight', 'z']);
    expect(canonicalJson(a)).toBe(JSON.stringify(a));
  });

  it('changes when the set of provided attributes changes', () => {
    const a = product({ title: 'Tee' });
    const b = { ...a, presentAttributes: [...a.presentAttributes, 'brand'] };
    expect(contentHash(b)).not.toBe(contentHash(a));
  });
});

describe('compactProductJson', () => {
  it('drops nulls, empty lists and presentAttributes, keeps key order and values', async () => {
    const { compactProductJson } = await import('./product.hash.js');
    const product = {
      additionalImageLinks: [],
      brand: 'Acme',
      customAttributes: {},
      gtin: null,
      offerId: 'A1',
      presentAttributes: ['id', 'brand'],
      priceMinor: 1250,
    } as unknown as Parameters<typeof compactProductJson>[0];
    expect(compactProductJson(product)).toBe('{"brand":"Acme","offerId":"A1","priceMinor":1250}');
    const changed = { ...product, priceMinor: 1300 } as typeof product;
    expect(compactProductJson(changed)).not.toBe(compactProductJson(product));
  });
});
