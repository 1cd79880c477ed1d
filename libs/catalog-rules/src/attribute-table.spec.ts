import { describe, expect, it } from '@jest/globals';

import { ATTRIBUTE_BY_NAME, ATTRIBUTES, normalizeHeaderKey, resolveHeader } from './attribute-table.js';
import { ItemValidator } from './item.validator.js';

describe('resolveHeader', () => {
  it.each([
    ['g:image_link', 'image_link'],
    ['Image Link', 'image_link'],
    ['imageLink', 'image_link'],
    ['\uFEFFid', 'id'],
    ['SKU', 'id'],
    ['Variant Barcode', 'gtin'],
    ['EAN', 'gtin'],
    ['colour', 'color'],
  ])('resolves %s to %s', (header, name) => {
    expect(resolveHeader(header)?.name).toBe(name);
  });

  it('returns null for unknown headers', () => {
    expect(resolveHeader('Växeltyp')).toBeNull();
    expect(normalizeHeaderKey(' G:Image-Link ')).toBe('imagelink');
  });
});

describe('ATTRIBUTES', () => {
  it('has unique names, and every alias resolves to its own attribute', () => {
    expect(ATTRIBUTE_BY_NAME.size).toBe(ATTRIBUTES.length);
    for (const spec of ATTRIBUTES) {
      for (const alias of spec.aliases ?? []) expect(resolveHeader(alias)).toBe(spec);
    }
  });

  it('gives every enum attribute a normalizer and the issue for bad values', () => {
    for (const spec of ATTRIBUTES.filter((s) => s.kind === 'enum')) {
      expect(typeof spec.normalize).toBe('function');
      expect(spec.invalid).toBeDefined();
    }
  });

  it('says what a too-long value costs wherever there is a limit', () => {
    for (const spec of ATTRIBUTES.filter((s) => s.maxLength !== undefined)) expect(spec.overflow).toBeDefined();
  });

  it('points every field at a property of the normalized product', () => {
    const product = new ItemValidator({ mode: 'UPDATE_ONLY' }).validate({ row: 1, fields: { id: 'x' } }).product!;
    for (const spec of ATTRIBUTES) if (spec.field) expect(product).toHaveProperty(spec.field);
  });
});
