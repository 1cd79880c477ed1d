import { describe, expect, it } from '@jest/globals';

import type { ItemIssue } from './issue.js';
import { ItemValidator } from './item.validator.js';
import { encodeHeaderGroups } from './shipping-tax.rule.js';
import type { RawItem, ValidationResult, ValidatorOptions } from './normalized-product.model.js';

const COMPLETE = {
  id: 'SKU-1',
  title: 'Organic Cotton Tee',
  description: '<p>Soft organic cotton.</p><ul><li>Crew neck</li><li>Machine wash</li></ul>',
  link: 'https://shop.example.com/products/tee',
  image_link: 'https://cdn.example.com/tee.jpg',
  availability: 'in stock',
  price: '24.90 EUR',
  brand: 'Acme',
  gtin: '4006381333931',
};

function validate(fields: RawItem['fields'], opts: ValidatorOptions = { mode: 'REPLACE' }): ValidationResult {
  return new ItemValidator(opts).validate({ row: 7, fields });
}

/** Validates COMPLETE with some attributes changed (undefined removes one). */
function withFields(changes: Record<string, string | string[] | undefined>, opts?: ValidatorOptions): ValidationResult {
  const fields: RawItem['fields'] = { ...COMPLETE };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete fields[key];
    else fields[key] = value;
  }
  return validate(fields, opts);
}

const codes = (result: ValidationResult) => result.issues.map((i) => i.code);

function issue(result: ValidationResult, code: string): ItemIssue {
  const found = result.issues.find((i) => i.code === code);
  if (!found) throw new Error(`no ${code} among ${codes(result).join(', ') || 'no issues'}`);
  return found;
}

describe('ItemValidator: whole items', () => {
  it('normalizes a complete item without issues', () => {
    const result = validate({
      ...COMPLETE,
      title: '  Organic   Cotton\u00A0Tee ',
      mobile_link: 'https://m.shop.example.com/products/tee',
      additional_image_link: ['https://cdn.example.com/tee-2.jpg', 'https://cdn.example.com/tee-3.jpg'],
      availability_date: '2025-03-01',
      sale_price: '19.90 EUR',
      mpn: 'AC-TEE-1',
      identifier_exists: 'yes',
      condition: 'NewCondition',
      google_product_category: 'Apparel & Accessories > Clothing > Shirts & Tops',
      product_type: 'Clothing > Tops',
      item_group_id: 'TEE',
      color: 'Navy',
      size: 'M',
      gender: 'unisex',
      age_group: 'adult',
      material: 'Cotton',
      pattern: 'Solid',
      quantity: '12',
      custom_label_0: 'summer',
      custom_label_2: 'bestseller',
      shipping_weight: '0.2 kg',
      'custom:Care': 'Wash cold',
    });
    expect(result.issues).toEqual([]);
    expect(result.product).toEqual({
      offerId: 'SKU-1',
      title: 'Organic Cotton Tee',
      description: 'Soft organic cotton.\n\nCrew neck\nMachine wash',
      link: 'https://shop.example.com/products/tee',
      mobileLink: 'https://m.shop.example.com/products/tee',
      imageLink: 'https://cdn.example.com/tee.jpg',
      additionalImageLinks: ['https://cdn.example.com/tee-2.jpg', 'https://cdn.example.com/tee-3.jpg'],
      availability: 'IN_STOCK',
      availabilityDate: '2025-03-01',
      priceMinor: 2490,
      currency: 'EUR',
      salePriceMinor: 1990,
      brand: 'Acme',
      gtin: '4006381333931',
      mpn: 'AC-TEE-1',
      identifierExists: true,
      condition: 'NEW',
      googleProductCategoryId: 212,
      googleProductCategoryPath: 'Apparel & Accessories > Clothing > Shirts & Tops',
      productType: 'Clothing > Tops',
      itemGroupId: 'TEE',
      color: 'Navy',
      size: 'M',
      gender: 'UNISEX',
      ageGroup: 'ADULT',
      material: 'Cotton',
      pattern: 'Solid',
      quantity: 12,
      shipping: [],
      tax: [],
      customLabels: ['summer', '', 'bestseller'],
      customAttributes: { Care: 'Wash cold', shipping_weight: '0.2 kg' },
      presentAttributes: [
        'id',
        'title',
        'description',
        'link',
        'mobile_link',
        'image_link',
        'additional_image_link',
        'availability',
        'availability_date',
        'price',
        'sale_price',
        'brand',
        'gtin',
        'mpn',
        'identifier_exists',
        'condition',
        'google_product_category',
        'product_type',
        'item_group_id',
        'color',
        'size',
        'gender',
        'age_group',
        'material',
        'pattern',
        'shipping_weight',
        'quantity',
        'custom_label_0',
        'custom_label_2',
      ],
    });
  });

  it('validates a Prisjakt XML item without an image (velofant sample shape)', () => {
    const result = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'SEK' }).validate({
      row: 1,
      fields: {
        id: 'CY-ARK-CHR-57',
        title: 'A R K I P E L A G O - FRAMEKIT',
        description: 'Vårt första ramset – Arkipelago – är en hyllning till landskapet.',
        link: 'https://velofant.se/sv/products/arkipelago',
        price: '7900.00 SEK',
        sale_price: '6900',
        availability: 'out of stock',
        condition: 'new',
        google_product_category: '499776',
        brand: 'Velofant',
        product_type: 'Cykelramar',
        mpn: 'ARK-CHR-57',
      },
    });
    expect(result.product).toBeNull();
    expect(codes(result)).toEqual(['TITLE_ALL_CAPS', 'MISSING_REQUIRED']);
    expect(issue(result, 'MISSING_REQUIRED')).toMatchObject({
      attribute: 'image_link',
      row: 1,
      itemId: 'CY-ARK-CHR-57',
    });
  });

  it('accepts a Meta catalog row with warnings for its rounded GTIN and its variant', () => {
    const result = validate({
      id: 'DB_1',
      title: 'title DB_1',
      description: 'Description DB_1',
      google_product_category: '503735',
      product_type: 'Bowls & Dining > Food & Water Bowls',
      link: 'https://vishwarajanand.com?prod=1',
      image_link: 'https://user-images.githubusercontent.com/7369612/91123916-a12eb400-e6d0-11ea-8041-a07095220918.png',
      condition: 'new',
      availability: 'in stock',
      price: '1 USD',
      mpn: '100020003',
      gtin: '4011200000000',
      brand: 'brand1',
      item_group_id: 'DB_GROUP_1',
      'custom:ios_url': 'example-ios://electronic/db_1',
      'custom:additional_variant_attribute': 'cover:LED',
    });
    expect(result.product).not.toBeNull();
    expect(result.product?.priceMinor).toBe(100);
    expect(result.product?.customAttributes).toEqual({
      ios_url: 'example-ios://electronic/db_1',
      additional_variant_attribute: 'cover:LED',
    });
    expect(result.product?.googleProductCategoryPath).toBe('Cameras & Optics > Photography > Photo Mounting Supplies');
    expect(codes(result)).toEqual(['GTIN_POSSIBLY_ROUNDED', 'MISSING_VARIANT_ATTRIBUTE']);
  });

  it('accepts a Shopify row whose barcode carries an apostrophe', () => {
    const result = withFields({ gtin: "'7350177880121", description: 'Cykel\u00A0lås', title: 'Pizza 🍕 cutter' });
    expect(result.product?.gtin).toBe('7350177880121');
    expect(result.product?.description).toBe('Cykel lås');
    expect(result.product?.title).toBe('Pizza 🍕 cutter');
    expect(issue(result, 'GTIN_SPREADSHEET_APOSTROPHE')).toMatchObject({ severity: 'WARNING', attribute: 'gtin' });
  });

  it('rejects the item with every problem listed, not just the first', () => {
    const result = withFields({ price: '0 EUR', link: '/p/tee', gtin: '4.0112E+12' });
    expect(result.product).toBeNull();
    expect(codes(result)).toEqual(['INVALID_URL', 'INVALID_PRICE', 'GTIN_SPREADSHEET_DAMAGED']);
  });
});

describe('ItemValidator: required attributes', () => {
  it.each(['id', 'title', 'description', 'link', 'image_link', 'availability', 'price'])(
    'reports MISSING_REQUIRED for %s in a REPLACE feed',
    (name) => {
      const result = withFields({ [name]: undefined });
      expect(result.product).toBeNull();
      const found = issue(result, 'MISSING_REQUIRED');
      expect(found).toMatchObject({ severity: 'ERROR', attribute: name, row: 7, value: null });
      expect(found.message).toContain(name);
      expect(found.hint.length).toBeGreaterThan(20);
    },
  );

  it('treats blank values as missing', () => {
    expect(issue(withFields({ title: '   ' }), 'MISSING_REQUIRED').attribute).toBe('title');
    expect(issue(withFields({ price: ['', ' '] }), 'MISSING_REQUIRED').attribute).toBe('price');
  });

  it('reports a description that is only markup', () => {
    const found = issue(withFields({ description: '<p><br></p>' }), 'MISSING_REQUIRED');
    expect(found.attribute).toBe('description');
    expect(found.message).toContain('HTML');
  });

  it('keeps no tag that a control or zero-width character hid from the HTML reader (the fuzz run found "<\\u0000r")', () => {
    for (const hidden of ['\u0000', '\u200B', '\u0001\u200B']) {
      const result = withFields({ description: `Soft <${hidden}b>cotton</b> <${hidden}r` });
      expect(result.product?.description).toBe('Soft cotton');
    }
    const removed = withFields({ description: 'Soft <\u0000b>cotton</b>' });
    expect(removed.issues.map((i) => i.attribute)).toContain('description');
  });

  it('sets itemId on issues once the id is known, and null without one', () => {
    expect(issue(withFields({ title: undefined }), 'MISSING_REQUIRED').itemId).toBe('SKU-1');
    expect(issue(withFields({ id: undefined }), 'MISSING_REQUIRED').itemId).toBeNull();
  });

  it('requires only id in an UPDATE_ONLY feed and lists what was given', () => {
    const result = validate({ id: 'SKU-1', price: '19.99 USD' }, { mode: 'UPDATE_ONLY' });
    expect(result.issues).toEqual([]);
    expect(result.product).toMatchObject({ offerId: 'SKU-1', priceMinor: 1999, currency: 'USD', title: null });
    expect(result.product?.presentAttributes).toEqual(['id', 'price']);
    expect(codes(validate({ price: '19.99 USD' }, { mode: 'UPDATE_ONLY' }))).toEqual(['MISSING_REQUIRED']);
  });

  it('still validates what an UPDATE_ONLY item provides', () => {
    const result = validate({ id: 'SKU-1', availability: 'whenever', gender: 'robots' }, { mode: 'UPDATE_ONLY' });
    expect(result.product).toBeNull();
    expect(codes(result)).toEqual(['INVALID_AVAILABILITY', 'INVALID_GENDER']);
  });

  it('warns MISSING_BRAND in a REPLACE feed only', () => {
    expect(issue(withFields({ brand: undefined }), 'MISSING_BRAND')).toMatchObject({
      severity: 'WARNING',
      attribute: 'brand',
    });
    expect(withFields({ brand: undefined }).product).not.toBeNull();
    expect(codes(validate({ id: 'x', title: 'T' }, { mode: 'UPDATE_ONLY' }))).toEqual([]);
  });
});

describe('ItemValidator: identifiers', () => {
  it('warns MISSING_IDENTIFIER without gtin and mpn', () => {
    const result = withFields({ gtin: undefined });
    expect(issue(result, 'MISSING_IDENTIFIER').severity).toBe('WARNING');
    expect(result.product).not.toBeNull();
  });

  it.each(['no', 'FALSE', '0'])('does not warn when identifier_exists is %s', (value) => {
    const result = withFields({ gtin: undefined, identifier_exists: value });
    expect(codes(result)).toEqual([]);
    expect(result.product?.identifierExists).toBe(false);
  });

  it('is satisfied by an mpn alone', () => {
    expect(codes(withFields({ gtin: undefined, mpn: 'AC-1' }))).toEqual([]);
  });

  it('does not pile MISSING_IDENTIFIER on a rejected GTIN', () => {
    expect(codes(withFields({ gtin: '4006381333932' }))).toEqual(['INVALID_GTIN_CHECK_DIGIT']);
  });

  it('warns INVALID_IDENTIFIER_EXISTS and ignores the value', () => {
    const result = withFields({ identifier_exists: 'sometimes' });
    expect(issue(result, 'INVALID_IDENTIFIER_EXISTS').severity).toBe('WARNING');
    expect(result.product?.identifierExists).toBeNull();
    expect(result.product?.presentAttributes).not.toContain('identifier_exists');
  });

  it('rejects a spreadsheet-damaged GTIN with the spreadsheet named', () => {
    const result = withFields({ gtin: '4.6347E+11' });
    expect(result.product).toBeNull();
    expect(issue(result, 'GTIN_SPREADSHEET_DAMAGED').message).toContain('spreadsheet');
  });

  it.each([
    ['1234567', 'INVALID_GTIN_LENGTH'],
    ['2000000000008', 'RESTRICTED_GTIN'],
    ['ABC', 'INVALID_GTIN'],
  ])('rejects gtin %s with %s', (gtin, code) => {
    const result = withFields({ gtin });
    expect(result.product).toBeNull();
    expect(issue(result, code)).toMatchObject({ severity: 'ERROR', attribute: 'gtin', value: gtin });
  });
});

describe('ItemValidator: lengths and characters', () => {
  it('rejects an id over 50 characters', () => {
    const result = withFields({ id: 'X'.repeat(51) });
    expect(result.product).toBeNull();
    const found = issue(result, 'VALUE_TOO_LONG');
    expect(found).toMatchObject({ severity: 'ERROR', attribute: 'id' });
    expect(found.message).toContain('rejected');
  });

  it('truncates a long title at a word boundary with a warning that says so', () => {
    const title = `${'Word '.repeat(40)}end`;
    const result = withFields({ title });
    const found = issue(result, 'VALUE_TOO_LONG');
    expect(found).toMatchObject({ severity: 'WARNING', attribute: 'title' });
    expect(found.message).toContain('truncated');
    expect(result.product?.title?.length).toBeLessThanOrEqual(150);
    expect(result.product?.title).toMatch(/Word$/);
  });

  it('truncates a description over 5000 characters', () => {
    const result = withFields({ description: 'lorem ipsum '.repeat(500) });
    expect(issue(result, 'VALUE_TOO_LONG').severity).toBe('WARNING');
    expect(result.product?.description?.length).toBeLessThanOrEqual(5000);
    // Cut between words: the 5000th character falls inside "ipsum".
    expect(result.product?.description).toMatch(/ lorem$/);
  });

  it('drops an mpn over 70 characters and keeps the item', () => {
    const result = withFields({ mpn: 'M'.repeat(71) });
    expect(issue(result, 'VALUE_TOO_LONG')).toMatchObject({ severity: 'WARNING', attribute: 'mpn' });
    expect(result.product?.mpn).toBeNull();
    expect(result.product?.presentAttributes).not.toContain('mpn');
  });

  it('rejects a link over 2000 characters', () => {
    const result = withFields({ link: `https://shop.example.com/${'a'.repeat(2000)}` });
    expect(result.product).toBeNull();
    expect(issue(result, 'VALUE_TOO_LONG').attribute).toBe('link');
  });

  it('truncates the value kept on an issue', () => {
    const found = issue(withFields({ id: 'X'.repeat(300) }), 'VALUE_TOO_LONG');
    expect(found.value?.length).toBe(200);
  });

  it('removes control characters with an INVALID_CHARACTERS warning', () => {
    const result = withFields({ title: 'Organic\u0007 Tee\u0000', 'custom:Note': 'a\u0001b' });
    expect(result.product?.title).toBe('Organic Tee');
    expect(result.product?.customAttributes.Note).toBe('ab');
    const found = result.issues.filter((i) => i.code === 'INVALID_CHARACTERS');
    expect(found.map((i) => [i.severity, i.attribute])).toEqual([
      ['WARNING', 'title'],
      ['WARNING', 'custom:Note'],
    ]);
    expect(found[0].message).toBe(
      '2 control or invalid characters were removed from title: U+0007, U+0000, the first at character 8.',
    );
  });

  it('removes bidirectional controls from every free-text attribute with a BIDI_CONTROL_CHARACTERS warning each', () => {
    const result = withFields({
      title: 'Trail shoe \u202Ederf\u202C',
      description: '<p>Soft \u2067cotton\u2069</p>',
      brand: '\u202DAcme',
      product_type: 'Shoes > \u202BTrail',
      custom_label_0: 'sale\u202E',
      color: '🏳\uFE0F\u200D🌈 \u202Erainbow',
      'custom:Note': 'a\u2066b',
    });
    const product = result.product!;
    expect([product.title, product.description, product.brand, product.productType]).toEqual([
      'Trail shoe derf',
      'Soft cotton',
      'Acme',
      'Shoes > Trail',
    ]);
    expect(product.customLabels).toEqual(['sale']);
    // The emoji ZWJ sequence is text and stays whole.
    expect(product.color).toBe('🏳\uFE0F\u200D🌈 rainbow');
    expect(product.customAttributes.Note).toBe('ab');
    const found = result.issues.filter((i) => i.code === 'BIDI_CONTROL_CHARACTERS');
    expect(found.map((i) => [i.severity, i.attribute])).toEqual([
      ['WARNING', 'title'],
      ['WARNING', 'description'],
      ['WARNING', 'brand'],
      ['WARNING', 'product_type'],
      ['WARNING', 'color'],
      ['WARNING', 'custom_label_0'],
      ['WARNING', 'custom:Note'],
    ]);
    expect(found[0].message).toBe(
      '2 bidirectional control characters were removed from title: U+202E (right-to-left override), U+202C (pop directional formatting), the first at character 12.',
    );
    expect(found[0].value).toBe('Trail shoe \u202Ederf\u202C');
    // The position is in the value as sent (the description's HTML), an emoji counting one character.
    expect(found[1].message).toContain(
      'U+2067 (right-to-left isolate), U+2069 (pop directional isolate), the first at character 9.',
    );
    expect(found[4].message).toContain('the first at character 6.');
    expect(result.issues.filter((i) => i.code === 'INVALID_CHARACTERS')).toEqual([]);
  });

  it('removes bidirectional controls from ids, and says so when they were written as character references', () => {
    const result = withFields({ id: 'SKU-\u202E1', title: 'Tee &#x202E;red' });
    expect(result.product?.offerId).toBe('SKU-1');
    expect(result.product?.title).toBe('Tee red');
    const found = result.issues.filter((i) => i.code === 'BIDI_CONTROL_CHARACTERS');
    expect(found.map((i) => i.message)).toEqual([
      '1 bidirectional control character was removed from id: U+202E (right-to-left override), the first at character 5.',
      '1 bidirectional control character was removed from title: U+202E (right-to-left override), written as HTML character references.',
    ]);
  });

  it('normalizes text to NFC', () => {
    expect(withFields({ title: 'Cafe\u0301 mug' }).product?.title).toBe('Caf\u00E9 mug');
  });

  it('warns TITLE_ALL_CAPS for a title in capitals', () => {
    const result = withFields({ title: 'ABUS - GEMINI LIGHTS' });
    expect(issue(result, 'TITLE_ALL_CAPS').severity).toBe('WARNING');
    expect(codes(withFields({ title: 'ABUS Gemini Lights' }))).toEqual([]);
  });
});

describe('ItemValidator: duplicate ids', () => {
  it('rejects the second and later occurrences, naming the row of the first', () => {
    const validator = new ItemValidator({ mode: 'REPLACE' });
    const first = validator.validate({ row: 2, fields: { ...COMPLETE } });
    const second = validator.validate({ row: 5, fields: { ...COMPLETE } });
    const third = validator.validate({ row: 9, fields: { ...COMPLETE } });
    expect(first.product).not.toBeNull();
    for (const later of [second, third]) {
      expect(later.product).toBeNull();
      const found = issue(later, 'DUPLICATE_ID');
      expect(found).toMatchObject({ severity: 'ERROR', attribute: 'id', itemId: 'SKU-1' });
      expect(found.message).toContain('row 2');
    }
  });

  it('compares ids after trimming and keeps runs apart', () => {
    const validator = new ItemValidator({ mode: 'REPLACE' });
    validator.validate({ row: 2, fields: { ...COMPLETE } });
    expect(codes(validator.validate({ row: 3, fields: { ...COMPLETE, id: ' SKU-1 ' } }))).toContain('DUPLICATE_ID');
    expect(codes(validator.validate({ row: 4, fields: { ...COMPLETE, id: 'SKU-2', gtin: '5901234123457' } }))).toEqual(
      [],
    );
    expect(codes(new ItemValidator({ mode: 'REPLACE' }).validate({ row: 5, fields: { ...COMPLETE } }))).toEqual([]);
  });
});

describe('ItemValidator: duplicate GTINs', () => {
  it('warns on the second and later items with a GTIN already used, naming the row of the first', () => {
    const validator = new ItemValidator({ mode: 'REPLACE' });
    const first = validator.validate({ row: 2, fields: { ...COMPLETE } });
    const second = validator.validate({ row: 5, fields: { ...COMPLETE, id: 'SKU-2', item_group_id: 'G', size: 'M' } });
    const third = validator.validate({ row: 9, fields: { ...COMPLETE, id: 'SKU-3', gtin: ' 4006381333931 ' } });
    expect(codes(first)).toEqual([]);
    for (const later of [second, third]) {
      expect(later.product).not.toBeNull();
      expect(later.product!.gtin).toBe('4006381333931');
      const found = issue(later, 'DUPLICATE_GTIN');
      expect(found).toMatchObject({ severity: 'WARNING', attribute: 'gtin', value: '4006381333931' });
      expect(found.message).toContain('row 2');
      expect(found.hint).toContain('identifier_exists=no');
    }
  });

  it('compares the GTIN as read, ignores rejected GTINs and keeps runs apart', () => {
    const validator = new ItemValidator({ mode: 'REPLACE' });
    validator.validate({ row: 2, fields: { ...COMPLETE, gtin: '4006-3813-3393-1' } });
    expect(codes(validator.validate({ row: 3, fields: { ...COMPLETE, id: 'B' } }))).toEqual(['DUPLICATE_GTIN']);
    const bad = { ...COMPLETE, gtin: '4006381333932' };
    validator.validate({ row: 4, fields: { ...bad, id: 'C' } });
    expect(codes(validator.validate({ row: 5, fields: { ...bad, id: 'D' } }))).toEqual(['INVALID_GTIN_CHECK_DIGIT']);
    expect(codes(new ItemValidator({ mode: 'REPLACE' }).validate({ row: 6, fields: { ...COMPLETE } }))).toEqual([]);
  });

  it('says nothing more about an item that repeats an earlier id', () => {
    const validator = new ItemValidator({ mode: 'REPLACE' });
    validator.validate({ row: 2, fields: { ...COMPLETE } });
    expect(codes(validator.validate({ row: 3, fields: { ...COMPLETE } }))).toEqual(['DUPLICATE_ID']);
  });
});

describe('ItemValidator: identifiers damaged by a spreadsheet', () => {
  it('warns about an mpn in scientific notation and ignores it', () => {
    const result = withFields({ gtin: undefined, mpn: '3.65275E+11' });
    const found = issue(result, 'MPN_SPREADSHEET_DAMAGED');
    expect(found).toMatchObject({ severity: 'WARNING', attribute: 'mpn', value: '3.65275E+11' });
    expect(found.message).toContain('scientific notation');
    expect(found.hint).toContain('as text');
    expect(result.product).not.toBeNull();
    expect(result.product!.mpn).toBeNull();
    // The mpn given has its own issue; MISSING_IDENTIFIER would only repeat it.
    expect(codes(result)).toEqual(['MPN_SPREADSHEET_DAMAGED']);
  });

  it('warns about an id or item_group_id in scientific notation and keeps it', () => {
    const result = withFields({ id: '4,6347E+11', item_group_id: '7E+12', size: 'M' });
    expect(issue(result, 'ID_SPREADSHEET_DAMAGED')).toMatchObject({ severity: 'WARNING', attribute: 'id' });
    expect(result.issues.filter((i) => i.code === 'ID_SPREADSHEET_DAMAGED').map((i) => i.attribute)).toEqual([
      'id',
      'item_group_id',
    ]);
    expect(result.product).toMatchObject({ offerId: '4,6347E+11', itemGroupId: '7E+12' });
  });

  it('leaves identifiers that only contain an E alone', () => {
    for (const value of ['12E40', '3E5', 'AB-1.5E+3', '1.5E+3X']) {
      expect(codes(withFields({ id: value, mpn: value }))).toEqual([]);
    }
  });
});

describe('ItemValidator: URLs and images', () => {
  it.each(['link', 'image_link'])('rejects a relative %s as INVALID_URL', (name) => {
    const result = withFields({ [name]: '/products/tee' });
    expect(result.product).toBeNull();
    expect(issue(result, 'INVALID_URL')).toMatchObject({ severity: 'ERROR', attribute: name, value: '/products/tee' });
  });

  it('drops a bad mobile_link with a warning', () => {
    const result = withFields({ mobile_link: 'example-ios://tee' });
    expect(issue(result, 'INVALID_URL').severity).toBe('WARNING');
    expect(result.product?.mobileLink).toBeNull();
  });

  it('assumes https for a protocol-relative image', () => {
    const result = withFields({ image_link: '//cdn.example.com/tee.jpg' });
    expect(issue(result, 'PROTOCOL_RELATIVE_URL').severity).toBe('WARNING');
    expect(result.product?.imageLink).toBe('https://cdn.example.com/tee.jpg');
  });

  it('drops a bad additional image with a warning and keeps the rest', () => {
    const result = withFields({ additional_image_link: ['a47bec_5ba1~mv2.jpg', 'https://cdn.example.com/2.jpg'] });
    expect(issue(result, 'INVALID_URL')).toMatchObject({ severity: 'WARNING', attribute: 'additional_image_link' });
    expect(result.product?.additionalImageLinks).toEqual(['https://cdn.example.com/2.jpg']);
  });

  it('keeps the first 10 of more additional images with TOO_MANY_ADDITIONAL_IMAGES', () => {
    const urls = Array.from({ length: 12 }, (_, i) => `https://cdn.example.com/${i}.jpg`);
    const result = withFields({ additional_image_link: urls });
    expect(issue(result, 'TOO_MANY_ADDITIONAL_IMAGES').severity).toBe('WARNING');
    expect(result.product?.additionalImageLinks).toEqual(urls.slice(0, 10));
  });

  it('splits a cell listing several images and drops repeats of the main image', () => {
    const result = withFields({
      additional_image_link:
        'https://cdn.example.com/tee.jpg, https://cdn.example.com/w_10,h_10/2.jpg;https://cdn.example.com/3.jpg https://cdn.example.com/3.jpg',
    });
    expect(result.issues).toEqual([]);
    expect(result.product?.additionalImageLinks).toEqual([
      'https://cdn.example.com/w_10,h_10/2.jpg',
      'https://cdn.example.com/3.jpg',
    ]);
  });
});

describe('ItemValidator: prices', () => {
  it.each([
    ['0 EUR', 'more than 0'],
    ['-5 EUR', 'more than 0'],
    ['12.345 USD', '3 decimals'],
  ])('rejects price %s as INVALID_PRICE', (price, said) => {
    const result = withFields({ price });
    expect(result.product).toBeNull();
    const found = issue(result, 'INVALID_PRICE');
    expect(found).toMatchObject({ severity: 'ERROR', attribute: 'price', value: price });
    expect(found.message).toContain(said);
  });

  it('uses the default currency for bare prices', () => {
    const result = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'sek' }).validate({
      row: 1,
      fields: { ...COMPLETE, price: '6900' },
    });
    expect(result.product).toMatchObject({ priceMinor: 690000, currency: 'SEK' });
  });

  it('reports MISSING_CURRENCY for a bare price without a default', () => {
    expect(issue(withFields({ price: '6900' }), 'MISSING_CURRENCY')).toMatchObject({
      severity: 'ERROR',
      attribute: 'price',
    });
  });

  it('names the defaultCurrency setting when a price has no currency', () => {
    expect(issue(withFields({ price: '6900' }), 'MISSING_CURRENCY').hint).toContain('defaultCurrency');
  });

  it('accepts a bare "$2,030" as USD only with an AMBIGUOUS_CURRENCY warning naming the assumption', () => {
    const result = withFields({ price: '$2,030' });
    expect(result.product).toMatchObject({ priceMinor: 203000, currency: 'USD' });
    const found = issue(result, 'AMBIGUOUS_CURRENCY');
    expect(found).toMatchObject({ severity: 'WARNING', attribute: 'price', value: '$2,030' });
    expect(found.message).toContain('read as USD');
    const canadian = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'CAD' }).validate({
      row: 1,
      fields: { ...COMPLETE, price: '$2,030' },
    });
    expect(canadian.product).toMatchObject({ priceMinor: 203000, currency: 'CAD' });
    expect(codes(canadian)).not.toContain('AMBIGUOUS_CURRENCY');
  });

  it('rejects "499 kr" and "¥1200" without a default currency: no safe guess', () => {
    for (const price of ['499 kr', '¥1200']) {
      const result = withFields({ price });
      expect(result.product).toBeNull();
      expect(issue(result, 'INVALID_CURRENCY').severity).toBe('ERROR');
    }
  });

  it('names the storeUrl and linkTemplate settings when link is missing', () => {
    const found = issue(withFields({ link: undefined }), 'MISSING_REQUIRED');
    expect(found.attribute).toBe('link');
    expect(found.hint).toContain('storeUrl');
    expect(found.hint).toContain('linkTemplate');
  });

  it('reports INVALID_CURRENCY', () => {
    expect(issue(withFields({ price: '10 EUD' }), 'INVALID_CURRENCY').attribute).toBe('price');
  });

  it('refuses a default currency that is not ISO 4217', () => {
    expect(() => new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'EURO' })).toThrow(RangeError);
  });

  it('reads a bare sale price in the currency of the price', () => {
    const result = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'USD' }).validate({
      row: 1,
      fields: { ...COMPLETE, price: '24.90 EUR', sale_price: '19.90' },
    });
    expect(result.product).toMatchObject({ salePriceMinor: 1990, currency: 'EUR' });
  });

  it('rejects a sale price above the price', () => {
    const found = issue(withFields({ sale_price: '29.90 EUR' }), 'SALE_PRICE_ABOVE_PRICE');
    expect(found).toMatchObject({ severity: 'ERROR', attribute: 'sale_price' });
    expect(found.message).toContain('29.90 EUR');
    expect(found.message).toContain('24.90 EUR');
  });

  it('accepts a sale price equal to the price', () => {
    expect(withFields({ sale_price: '24.90 EUR' }).product?.salePriceMinor).toBe(2490);
  });

  it('rejects a sale price in another currency', () => {
    const result = withFields({ sale_price: '19.90 USD' });
    expect(result.product).toBeNull();
    expect(issue(result, 'CURRENCY_MISMATCH').message).toContain('USD');
  });

  it('ignores a sale price of 0 with a warning', () => {
    const result = withFields({ sale_price: '0.00 EUR' });
    expect(issue(result, 'INVALID_PRICE').severity).toBe('WARNING');
    expect(result.product?.salePriceMinor).toBeNull();
    expect(result.product?.presentAttributes).not.toContain('sale_price');
  });
});

describe('ItemValidator: enumerations', () => {
  it('rejects an unknown availability', () => {
    const result = withFields({ availability: 'call us' });
    expect(result.product).toBeNull();
    expect(issue(result, 'INVALID_AVAILABILITY')).toMatchObject({ severity: 'ERROR', value: 'call us' });
  });

  it('normalizes availability synonyms', () => {
    expect(withFields({ availability: 'https://schema.org/InStock' }).product?.availability).toBe('IN_STOCK');
    expect(withFields({ availability: 'Sold out' }).product?.availability).toBe('OUT_OF_STOCK');
  });

  it('warns MISSING_AVAILABILITY_DATE for preorder and backorder without a date', () => {
    expect(issue(withFields({ availability: 'pre-order' }), 'MISSING_AVAILABILITY_DATE').severity).toBe('WARNING');
    expect(codes(withFields({ availability: 'backorder' }))).toEqual(['MISSING_AVAILABILITY_DATE']);
    expect(codes(withFields({ availability: 'preorder', availability_date: '2025-06-01T09:00+02:00' }))).toEqual([]);
  });

  it('warns INVALID_DATE and ignores the date', () => {
    const result = withFields({ availability_date: '01/06/2025' });
    expect(issue(result, 'INVALID_DATE').severity).toBe('WARNING');
    expect(result.product?.availabilityDate).toBeNull();
    expect(codes(withFields({ availability_date: '2025-13-01' }))).toEqual(['INVALID_DATE']);
  });

  it('warns INVALID_DATE for a day its month does not have or an offset no zone has, as for the sale window', () => {
    // Before, these passed the pattern and were stored, but no channel export or Product.availabilityDate could
    // read them: a preorder went out without its ship date (which Google disapproves) and no warning said so.
    const bad = withFields({ availability: 'preorder', availability_date: '2027-02-30' });
    expect(codes(bad)).toEqual(['INVALID_DATE', 'MISSING_AVAILABILITY_DATE']);
    expect(bad.product?.availabilityDate).toBeNull();
    expect(codes(withFields({ availability_date: '2027-02-03T10:00+1900' }))).toEqual(['INVALID_DATE']);
    expect(withFields({ availability_date: '2028-02-29T10:00-08:00' }).product?.availabilityDate).toBe(
      '2028-02-29T10:00-08:00',
    );
  });

  describe('sale_price_effective_date', () => {
    // The run's instant: 2026-03-15 12:00 UTC.
    const at = { mode: 'REPLACE', now: Date.UTC(2026, 2, 15, 12) } as const;
    const onSale = (window: string | undefined) =>
      withFields({ price: '24.90 EUR', sale_price: '19.90 EUR', sale_price_effective_date: window }, at);

    it('keeps the sale price inside its window, whole days and times with offsets alike', () => {
      for (const window of [
        '2026-03-01/2026-03-31',
        '2026-03-15/2026-03-15',
        '2026-03-15T12:00Z/2026-03-15T12:01Z',
        '2026-03-15T12:30+0100/2026-03-15T13:01+01:00',
        '2026-03-15T07:00-05:00/2026-03-20',
        '2026-03-15 11:59:59/2026-04-01 00:00:00',
      ]) {
        const result = onSale(window);
        expect([window, codes(result)]).toEqual([window, []]);
        expect(result.product).toMatchObject({ priceMinor: 2490, salePriceMinor: 1990, currency: 'EUR' });
        expect(result.product!.customAttributes.sale_price_effective_date).toBe(window);
        expect(result.product!.presentAttributes).toContain('sale_price');
      }
    });

    it('ignores the sale price of a sale that has ended, with a warning naming the end and the price shown', () => {
      const result = onSale('2026-02-01T00:00-0800/2026-02-28T23:59-0800');
      expect(result.issues).toEqual([
        expect.objectContaining({
          severity: 'WARNING',
          code: 'SALE_PRICE_NOT_IN_EFFECT',
          attribute: 'sale_price',
          row: 7,
          itemId: 'SKU-1',
          value: '2026-02-01T00:00-0800/2026-02-28T23:59-0800',
          message:
            'The sale ended at 2026-02-28T23:59-0800 (sale_price_effective_date "2026-02-01T00:00-0800/2026-02-28T23:59-0800"), so sale_price 19.90 EUR was ignored and the item is shown at its price 24.90 EUR.',
        }),
      ]);
      expect(result.product).toMatchObject({ priceMinor: 2490, salePriceMinor: null, currency: 'EUR' });
      expect(result.product!.presentAttributes).not.toContain('sale_price');
      // The window is kept as the feed gave it.
      expect(result.product!.customAttributes.sale_price_effective_date).toBe(
        '2026-02-01T00:00-0800/2026-02-28T23:59-0800',
      );
      // The end is exclusive, and a date alone ends at the next midnight UTC.
      expect(codes(onSale('2026-03-01/2026-03-14'))).toEqual(['SALE_PRICE_NOT_IN_EFFECT']);
      expect(codes(onSale('2026-03-01T00:00Z/2026-03-15T12:00Z'))).toEqual(['SALE_PRICE_NOT_IN_EFFECT']);
      expect(codes(onSale('2026-03-01T00:00Z/2026-03-15T13:00+01:00'))).toEqual(['SALE_PRICE_NOT_IN_EFFECT']);
    });

    it('ignores the sale price of a sale that has not begun, saying when it starts', () => {
      const result = onSale('2026-03-16/2026-03-31');
      expect(issue(result, 'SALE_PRICE_NOT_IN_EFFECT').message).toBe(
        'The sale starts at 2026-03-16 (sale_price_effective_date "2026-03-16/2026-03-31"), so sale_price 19.90 EUR was ignored for now and the item is shown at its price 24.90 EUR; the first run of the feed after the start shows the sale.',
      );
      expect(result.product).toMatchObject({ priceMinor: 2490, salePriceMinor: null });
      expect(codes(onSale('2026-03-15T12:00:01Z/2026-03-31'))).toEqual(['SALE_PRICE_NOT_IN_EFFECT']);
      expect(codes(onSale('2026-03-15T12:30+00:30/2026-03-31'))).toEqual([]);
    });

    it('warns INVALID_DATE for a window it cannot read and keeps the sale price, as Merchant Center does', () => {
      for (const [window, why] of [
        ['2026-03-01', 'is not a start and an end date'],
        ['next week', 'is not a start and an end date'],
        ['2026-03-01/2026-02-30', 'is not a start and an end date'],
        ['03/01/2026/03/31/2026', 'is not a start and an end date'],
        ['2026-03-31/2026-03-01', 'ends before it starts'],
      ]) {
        const result = onSale(window);
        expect(result.issues).toEqual([
          expect.objectContaining({
            severity: 'WARNING',
            code: 'INVALID_DATE',
            attribute: 'sale_price_effective_date',
            value: window,
          }),
        ]);
        expect(result.issues[0].message).toContain(why);
        expect(result.product).toMatchObject({ salePriceMinor: 1990 });
        expect(result.product!.customAttributes.sale_price_effective_date).toBeUndefined();
        expect(result.product!.presentAttributes).not.toContain('sale_price_effective_date');
      }
    });

    it('says when the sale next starts or ends, so the run can be done again then', () => {
      // Not begun: its start; in effect: its end (a date alone ends at the next midnight UTC); over: never.
      expect(onSale('2026-03-16/2026-03-31').saleChangeAt).toBe(Date.UTC(2026, 2, 16));
      expect(onSale('2026-03-01/2026-03-31').saleChangeAt).toBe(Date.UTC(2026, 3, 1));
      expect(onSale('2026-03-15T12:30+01:00/2026-03-15T13:01+01:00').saleChangeAt).toBe(Date.UTC(2026, 2, 15, 12, 1));
      expect(onSale('2026-03-01/2026-03-14').saleChangeAt).toBeUndefined();
      // Nothing to change: no window, an unreadable one, no sale price, or an item that is rejected.
      expect(onSale(undefined).saleChangeAt).toBeUndefined();
      expect(onSale('next week').saleChangeAt).toBeUndefined();
      expect(withFields({ sale_price_effective_date: '2026-03-16/2026-03-31' }, at).saleChangeAt).toBeUndefined();
      const rejected = withFields(
        { price: 'free', sale_price: '19.90 EUR', sale_price_effective_date: '2026-03-16/2026-03-31' },
        at,
      );
      expect(rejected.product).toBeNull();
      expect(rejected.saleChangeAt).toBeUndefined();
    });

    it('changes nothing without a sale price or without a window', () => {
      const noSale = withFields({ sale_price_effective_date: '2020-01-01/2020-01-31' }, at);
      expect(codes(noSale)).toEqual([]);
      expect(noSale.product).toMatchObject({ priceMinor: 2490, salePriceMinor: null });
      expect(codes(onSale(undefined))).toEqual([]);
      expect(onSale(undefined).product).toMatchObject({ salePriceMinor: 1990 });
    });
  });

  it('warns INVALID_CONDITION and stores null', () => {
    const result = withFields({ condition: 'mint-ish' });
    expect(issue(result, 'INVALID_CONDITION').severity).toBe('WARNING');
    expect(result.product?.condition).toBeNull();
    expect(withFields({ condition: 'pre-owned' }).product?.condition).toBe('USED');
  });

  it('normalizes gender and age group, warning on unknown values', () => {
    expect(withFields({ gender: 'Herr', age_group: 'Children' }).product).toMatchObject({
      gender: 'MALE',
      ageGroup: 'KIDS',
    });
    const result = withFields({ gender: 'robots', age_group: 'seniors' });
    expect(issue(result, 'INVALID_GENDER').severity).toBe('WARNING');
    expect(issue(result, 'INVALID_AGE_GROUP').severity).toBe('WARNING');
    expect(result.product).toMatchObject({ gender: null, ageGroup: null });
  });
});

describe('ItemValidator: category and variants', () => {
  it('stores id and path of a known category given by id', () => {
    expect(withFields({ google_product_category: '1604' }).product).toMatchObject({
      googleProductCategoryId: 1604,
      googleProductCategoryPath: 'Apparel & Accessories > Clothing',
    });
  });

  it('warns about an unknown category and suggests the closest by leaf name', () => {
    const result = withFields({ google_product_category: 'Clothing > Dress' });
    const found = issue(result, 'UNKNOWN_GOOGLE_PRODUCT_CATEGORY');
    expect(found.severity).toBe('WARNING');
    expect(found.hint).toContain('Apparel & Accessories > Clothing > Dresses');
    expect(found.hint).toContain('2271');
    expect(result.product?.googleProductCategoryId).toBeNull();
  });

  it('gives the general hint when nothing is close', () => {
    const found = issue(withFields({ google_product_category: '99999999' }), 'UNKNOWN_GOOGLE_PRODUCT_CATEGORY');
    expect(found.hint).toContain('taxonomy');
  });

  it('warns MISSING_VARIANT_ATTRIBUTE for a variant without color, size, material or pattern', () => {
    const found = issue(withFields({ item_group_id: 'TEE' }), 'MISSING_VARIANT_ATTRIBUTE');
    expect(found).toMatchObject({ severity: 'WARNING', attribute: 'item_group_id', value: 'TEE' });
    expect(codes(withFields({ item_group_id: 'TEE', size: 'M' }))).toEqual([]);
    expect(codes(validate({ id: 'x', item_group_id: 'TEE' }, { mode: 'UPDATE_ONLY' }))).toEqual([]);
  });
});

describe('ItemValidator: quantity, labels and custom attributes', () => {
  it.each([
    ['12', 12],
    [' 5.0 ', 5],
    ['0', 0],
  ])('reads quantity %p as %i', (quantity, expected) => {
    const result = withFields({ quantity });
    expect(result.issues).toEqual([]);
    expect(result.product?.quantity).toBe(expected);
  });

  it('stores a negative quantity as 0 with INVALID_QUANTITY', () => {
    const result = withFields({ quantity: '-3' });
    expect(issue(result, 'INVALID_QUANTITY').severity).toBe('WARNING');
    expect(result.product?.quantity).toBe(0);
  });

  it.each(['lots', '2.5'])('ignores quantity %p with INVALID_QUANTITY', (quantity) => {
    const result = withFields({ quantity });
    expect(issue(result, 'INVALID_QUANTITY').severity).toBe('WARNING');
    expect(result.product?.quantity).toBeNull();
  });

  it('keeps custom labels by position', () => {
    expect(withFields({ custom_label_1: 'b', custom_label_3: 'd' }).product?.customLabels).toEqual(['', 'b', '', 'd']);
    expect(withFields({}).product?.customLabels).toEqual([]);
  });

  it('keeps every custom column under its header, and keys the reader did not prefix', () => {
    const result = withFields({
      'custom:Växeltyp': 'Singlespeed',
      'custom:Färg': ['black', 'silver'],
      shipping_cost: '49',
    });
    expect(result.product?.customAttributes).toEqual({
      Växeltyp: 'Singlespeed',
      Färg: 'black, silver',
      shipping_cost: '49',
    });
    expect(result.product?.presentAttributes).not.toContain('Växeltyp');
  });

  it('takes the first non-blank value when a single attribute comes as a list', () => {
    expect(withFields({ title: ['', 'Second title', 'Third'] }).product?.title).toBe('Second title');
  });
});

describe('ItemValidator: shipping and tax', () => {
  it('keeps the valid entries on the product and lists the attributes as present', () => {
    const result = withFields({ shipping: 'DE::Standard:4.95 EUR, AT:::0', tax: 'US:CA:8.25:y' });
    expect(result.issues).toEqual([]);
    // A bare shipping price is in the item price's currency.
    expect(result.product?.shipping).toEqual([
      { country: 'DE', currency: 'EUR', priceMinor: 495, service: 'Standard' },
      { country: 'AT', currency: 'EUR', priceMinor: 0 },
    ]);
    expect(result.product?.tax).toEqual([{ country: 'US', rate: 8.25, region: 'CA', taxShip: true }]);
    expect(result.product?.presentAttributes).toEqual(expect.arrayContaining(['shipping', 'tax']));
  });

  it('warns INVALID_SHIPPING and INVALID_TAX with row, attribute, value and hint, and keeps the item', () => {
    const result = withFields({ shipping: 'USA::Standard:4.95 EUR, DE::Standard:4.95 EUR', tax: 'US:CA:8,25:y' });
    expect(result.product).not.toBeNull();
    expect(result.product?.shipping.map((entry) => entry.country)).toEqual(['DE']);
    expect(result.product?.tax).toEqual([]);
    expect(result.product?.presentAttributes).not.toContain('tax');
    expect(result.issues).toEqual([
      {
        severity: 'WARNING',
        code: 'INVALID_SHIPPING',
        attribute: 'shipping',
        row: 7,
        value: 'USA::Standard:4.95 EUR',
        message:
          'shipping group 1 "USA::Standard:4.95 EUR": country "USA" is not an ISO 3166-1 alpha-2 country code. That shipping entry was ignored.',
        hint: 'Write the two-letter ISO 3166-1 code of the country, e.g. US, DE or SE: US::Standard:4.95 USD.',
        itemId: 'SKU-1',
      },
      expect.objectContaining({
        code: 'INVALID_TAX',
        attribute: 'tax',
        row: 7,
        value: 'US:CA:8,25:y',
        message:
          'tax group 1 "US:CA:8,25:y": rate "8,25" is not a percentage from 0 to 100. That tax entry was ignored.',
      }),
    ]);
  });

  it('reads the groups of a shipping(…) column beside a plain shipping column, a bad one shown as written', () => {
    const header = ['country', 'postal_code', 'service', 'price'];
    const result = withFields({
      shipping: [
        'US::Standard:4.95 USD',
        ...encodeHeaderGroups(header, 'US:024*:Ground:7.99,US:10*:Ground,US:9*:Air:20'),
      ],
      tax: encodeHeaderGroups(['country', 'region', 'rate', 'tax_ship'], 'US:CA:8.25:y'),
    });
    expect(result.product?.shipping).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 495, service: 'Standard' },
      // A bare price is in the item price's currency, as in the text form.
      { country: 'US', currency: 'EUR', postalCode: '024*', priceMinor: 799, service: 'Ground' },
      { country: 'US', currency: 'EUR', postalCode: '9*', priceMinor: 2000, service: 'Air' },
    ]);
    expect(result.product?.tax).toEqual([{ country: 'US', rate: 8.25, region: 'CA', taxShip: true }]);
    // No INVALID_CHARACTERS for the separators the encoded groups carry.
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        code: 'INVALID_SHIPPING',
        attribute: 'shipping',
        value: 'US:10*:Ground',
        message:
          'shipping(country:postal_code:service:price) group 3 "US:10*:Ground": it has 3 colon-separated parts; its column names 4 (country:postal_code:service:price). That shipping entry was ignored.',
      }),
    ]);
  });

  it('carries shipping on an UPDATE_ONLY item that gives only it', () => {
    const result = validate({ id: 'SKU-1', shipping: 'US::Express:12 USD' }, { mode: 'UPDATE_ONLY' });
    expect(result.issues).toEqual([]);
    expect(result.product?.presentAttributes).toEqual(['id', 'shipping']);
    expect(result.product?.shipping).toEqual([
      { country: 'US', currency: 'USD', priceMinor: 1200, service: 'Express' },
    ]);
  });
});

describe('ItemValidator: shipping_weight', () => {
  it('keeps a number followed by lb, oz, g or kg as written', () => {
    for (const weight of ['0.5 kg', '145 g', '226.796185 g', '2 lb', '12 oz', '1KG']) {
      const result = withFields({ shipping_weight: weight });
      expect(result.issues).toEqual([]);
      expect(result.product?.customAttributes.shipping_weight).toBe(weight);
    }
  });

  it('warns INVALID_SHIPPING_WEIGHT and ignores a weight Merchant Center cannot read', () => {
    for (const weight of ['2', 'heavy', '0,5 kg', '3 stone', '-1 kg']) {
      const result = withFields({ shipping_weight: weight });
      expect(result.issues).toEqual([
        expect.objectContaining({
          severity: 'WARNING',
          code: 'INVALID_SHIPPING_WEIGHT',
          attribute: 'shipping_weight',
          row: 7,
          value: weight,
          message: `shipping_weight "${weight}" is not a number followed by lb, oz, g or kg; it was ignored.`,
          hint: 'Write the weight as a number with a dot for decimals and a unit, e.g. 0.5 kg, 500 g, 1.2 lb or 12 oz.',
        }),
      ]);
      expect(result.product?.customAttributes).not.toHaveProperty('shipping_weight');
      expect(result.product?.presentAttributes).not.toContain('shipping_weight');
    }
  });
});
