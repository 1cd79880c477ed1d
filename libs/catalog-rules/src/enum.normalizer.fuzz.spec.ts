import fc from 'fast-check';
import { feedText, fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import {
  enumKey,
  normalizeAgeGroup,
  normalizeAvailability,
  normalizeCondition,
  normalizeGender,
  normalizeYesNo,
} from './enum.normalizer.js';

const NORMALIZERS = {
  availability: [normalizeAvailability, ['IN_STOCK', 'OUT_OF_STOCK', 'PREORDER', 'BACKORDER']],
  condition: [normalizeCondition, ['NEW', 'REFURBISHED', 'USED']],
  gender: [normalizeGender, ['MALE', 'FEMALE', 'UNISEX']],
  ageGroup: [normalizeAgeGroup, ['NEWBORN', 'INFANT', 'TODDLER', 'KIDS', 'ADULT']],
  yesNo: [normalizeYesNo, [true, false]],
} as const;

const SPELLINGS = [
  'in stock',
  'InStock',
  'https://schema.org/InStock',
  'out_of_stock',
  'Sold Out',
  'pre-order',
  'backorder',
  'på lager',
  'new',
  'https://schema.org/NewCondition',
  'refurbished',
  'used',
  'pre-owned',
  'male',
  "men's",
  'female',
  'unisex',
  'newborn',
  'infant',
  'toddler',
  'kids',
  'adult',
  'yes',
  'no',
  'ja',
  'nein',
];

/** What feeds do to a spelling without changing its meaning: ASCII case, separators, padding. */
const noisy = (value: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length }),
      fc.constantFrom('', ' ', '  ', '\t', '\u00A0'),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(([upper, before, after]) => {
      const cased = [...value].map((c, i) => (/[a-z]/i.test(c) ? (upper[i] ? c.toUpperCase() : c.toLowerCase()) : c));
      return before + cased.join('').replaceAll(' ', () => '_') + after;
    });

describe('enum normalizers (fuzzed)', () => {
  it('never throw, answer a value of their enum or null, and answer the same for the same text', () => {
    fc.assert(
      fc.property(fc.oneof(feedText(20), fc.constantFrom(...SPELLINGS)), (raw) => {
        for (const [normalize, values] of Object.values(NORMALIZERS)) {
          const value = (normalize as (raw: string) => unknown)(raw);
          if (value !== null) expect(values).toContain(value);
          expect((normalize as (raw: string) => unknown)(raw)).toBe(value);
        }
      }),
      fuzzParameters(2000),
    );
  });

  it('read a spelling the same whatever its case, separators and padding', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPELLINGS).chain((spelling) => fc.tuple(fc.constant(spelling), noisy(spelling))),
        ([spelling, variant]) => {
          for (const [normalize] of Object.values(NORMALIZERS)) {
            const read = normalize as (raw: string) => unknown;
            expect(read(variant)).toBe(read(spelling));
          }
          expect(enumKey(variant)).toBe(enumKey(spelling));
        },
      ),
      fuzzParameters(1000),
    );
  });
});
