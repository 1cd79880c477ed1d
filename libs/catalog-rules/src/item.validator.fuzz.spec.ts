import fc from 'fast-check';
import { feedText, fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import { ATTRIBUTES, CUSTOM_PREFIX } from './attribute-table.js';
import { currencyExponent } from './currency.table.js';
import { checkDigit } from './gtin.rule.js';
import { CODES } from './code.catalog.js';
import { MAX_ISSUE_VALUE_LENGTH } from './issue.js';
import { canonicalJson, compactProductJson } from './product.hash.js';
import { ItemValidator, MAX_ADDITIONAL_IMAGES } from './item.validator.js';
import type { RawItem } from './normalized-product.model.js';

const INVALID =
  /[\x00-\x08\x0E-\x1F\x7F-\x9F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Values that are nearly right, as feeds write them, beside random text. */
const PLAUSIBLE = [
  'A-1',
  'SKU 42',
  '12.50 USD',
  '1.234,50 EUR',
  '6900',
  '$5',
  '0 USD',
  '-3 SEK',
  '19.99',
  'in stock',
  'out_of_stock',
  'preorder',
  'new',
  'used',
  'male',
  'kids',
  'yes',
  'no',
  '4006381333931',
  "'7350177880121",
  '4.0112E+12',
  '0123456789012',
  'https://shop.example/p/1',
  '//cdn.example/a.jpg',
  'javascript:alert(1)',
  'https://cdn.example/a.jpg, https://cdn.example/b.jpg',
  '<p>Soft <b>cotton</b></p>',
  '&lt;p&gt;x&lt;/p&gt;',
  '2026-01-31',
  '2026-13-01',
  '3',
  '-2',
  '1.5',
  'Apparel & Accessories',
  '166',
  'SHOUTING TITLE HERE',
  'x'.repeat(151),
  '\u200B',
  ' ',
  '',
];

const value = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE) }, { weight: 2, arbitrary: feedText(30) });
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ATTRIBUTES.map((spec) => spec.name)) },
  fc.constantFrom(
    'custom:Material',
    'custom:__proto__',
    'custom:constructor',
    'custom:toString',
    'custom:',
    'unknown_key',
  ),
  feedText(8).map((name) => `${CUSTOM_PREFIX}${name}`),
);
const rawItem: fc.Arbitrary<RawItem> = fc.record({
  row: fc.integer({ min: 1, max: 1_000_000 }),
  fields: fc
    .array(fc.tuple(key, fc.oneof({ weight: 4, arbitrary: value }, fc.array(value, { maxLength: 3 }))), {
      maxLength: 20,
    })
    .map((entries) => {
      // Own properties even for "__proto__": a reader builds fields from headers it does not know.
      const fields: Record<string, string | string[]> = {};
      for (const [name, v] of entries)
        Object.defineProperty(fields, name, { value: v, enumerable: true, writable: true, configurable: true });
      return fields;
    }),
});

describe('ItemValidator (fuzzed)', () => {
  // Found by the property below: a column named "__proto__" set the prototype of customAttributes instead of a key,
  // so its value vanished (unknown columns are kept, never dropped), and a stored product lost it when re-sorted.
  it('keeps a custom column named "__proto__" (counterexample {"custom:__proto__":"A-1","id":"A-1"})', () => {
    const fields: Record<string, string> = { id: 'A-1', 'custom:zeta': 'z' };
    Object.defineProperty(fields, 'custom:__proto__', { value: 'A-1', enumerable: true });
    const { product } = new ItemValidator({ mode: 'UPDATE_ONLY' }).validate({ row: 1, fields });
    expect(Object.entries(product!.customAttributes)).toEqual([
      ['__proto__', 'A-1'],
      ['zeta', 'z'],
    ]);
    const stored = JSON.parse(compactProductJson(product!)) as { customAttributes: Record<string, string> };
    expect(Object.keys(stored.customAttributes)).toEqual(['__proto__', 'zeta']);
    expect(JSON.parse(canonicalJson(JSON.parse('{"b":1,"__proto__":"x"}')))).toHaveProperty(['__proto__'], 'x');
  });

  it('never throws; every issue is coded; a kept product holds only valid, normalized values', () => {
    fc.assert(
      fc.property(
        fc.array(rawItem, { minLength: 1, maxLength: 5 }),
        fc.constantFrom('REPLACE', 'UPDATE_ONLY') as fc.Arbitrary<'REPLACE' | 'UPDATE_ONLY'>,
        fc.constantFrom(null, 'USD', 'SEK', 'JPY', 'KWD'),
        (items, mode, defaultCurrency) => {
          const validator = new ItemValidator({ mode, defaultCurrency });
          for (const item of items) {
            const { product, issues } = validator.validate(item);
            for (const issue of issues) {
              expect(CODES[issue.code].kind).toBe('RULE');
              expect(issue.row).toBe(item.row);
              expect(issue.message.length).toBeGreaterThan(0);
              expect(issue.hint.length).toBeGreaterThan(0);
              if (issue.value !== null) expect(issue.value.length).toBeLessThanOrEqual(MAX_ISSUE_VALUE_LENGTH);
            }
            expect(product === null).toBe(issues.some((issue) => issue.severity === 'ERROR'));
            if (!product) continue;
            expect(product.offerId.length).toBeGreaterThan(0);
            expect(product.offerId.length).toBeLessThanOrEqual(50);
            if (product.priceMinor !== null) {
              expect(Number.isSafeInteger(product.priceMinor) && product.priceMinor > 0).toBe(true);
              expect(currencyExponent(product.currency!)).toBeDefined();
            }
            if (product.salePriceMinor !== null && product.priceMinor !== null) {
              expect(product.salePriceMinor).toBeLessThanOrEqual(product.priceMinor);
            }
            if (product.gtin !== null) expect(checkDigit(product.gtin)).toBe(Number(product.gtin.at(-1)));
            if (product.title !== null) expect(product.title.length).toBeLessThanOrEqual(150);
            if (product.description !== null) expect(product.description).not.toMatch(/<[a-zA-Z/!?]/);
            expect(product.additionalImageLinks.length).toBeLessThanOrEqual(MAX_ADDITIONAL_IMAGES);
            for (const text of [
              product.offerId,
              product.title,
              product.description,
              product.brand,
              ...Object.values(product.customAttributes),
            ]) {
              if (text !== null) expect(text).not.toMatch(INVALID);
              if (text !== null) expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
            }
            // Unknown columns are kept, never dropped: each non-blank one is a custom attribute of its own name.
            for (const name of Object.keys(item.fields)) {
              if (ATTRIBUTES.some((spec) => spec.name === name)) continue;
              const raw = item.fields[name];
              const joined = (Array.isArray(raw) ? raw.filter((v) => v.trim() !== '').join(', ') : raw).trim();
              if (
                !joined ||
                joined
                  .replace(new RegExp(INVALID.source, 'g'), '')
                  .replace(/[\u200B\u2060\uFEFF\u00AD\u202A-\u202E\u2066-\u2069\s]/g, '') === ''
              )
                continue;
              const own = name.startsWith(CUSTOM_PREFIX) ? name.slice(CUSTOM_PREFIX.length) : name;
              expect(Object.prototype.hasOwnProperty.call(product.customAttributes, own)).toBe(true);
            }
          }
        },
      ),
      fuzzParameters(300),
    );
  });

  // compactProductJson writes a model product through generated named stores; this is its definition, by entries.
  const storedForm = (product: object): string => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(product)) {
      if (key === 'presentAttributes' || value === null || value === undefined) continue;
      if (typeof value === 'object' && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0))
        continue;
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return canonicalJson(out);
  };

  it('stores a product as its non-empty fields in canonical JSON, however its keys were ordered or added', () => {
    fc.assert(
      fc.property(
        rawItem,
        fc.constantFrom('REPLACE', 'UPDATE_ONLY') as fc.Arbitrary<'REPLACE' | 'UPDATE_ONLY'>,
        (item, mode) => {
          const { product } = new ItemValidator({ mode, defaultCurrency: 'USD' }).validate(item);
          if (!product) return;
          const json = compactProductJson(product);
          expect(json).toBe(storedForm(product));
          // The same fields in another order, custom attributes reversed too: the same stored form.
          const reversed = Object.fromEntries(Object.entries(product).reverse()) as typeof product;
          reversed.customAttributes = Object.fromEntries(Object.entries(product.customAttributes).reverse());
          expect(compactProductJson(reversed)).toBe(json);
          // Without presentAttributes, with a field left undefined, or with a key the model does not have.
          const { presentAttributes: _, ...bare } = product;
          expect(compactProductJson(bare as typeof product)).toBe(json);
          const missing = { ...product, title: undefined } as unknown as typeof product;
          expect(compactProductJson(missing)).toBe(storedForm(missing));
          const extra = { ...product, zExtra: 'x' } as typeof product;
          expect(compactProductJson(extra)).toBe(storedForm(extra));
          expect(JSON.parse(compactProductJson(extra))).toHaveProperty('zExtra', 'x');
        },
      ),
      fuzzParameters(300),
    );
  });
});
