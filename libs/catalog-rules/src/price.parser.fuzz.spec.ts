import fc from 'fast-check';
import { fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import { CURRENCIES, currencyExponent } from './currency.table.js';
import { formatPrice, parsePrice } from './price.parser.js';

const CODES = Object.keys(CURRENCIES);
const MAX_MINOR = 10 ** 15 - 1;

const priceText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      '1',
      '0',
      '9',
      '.',
      ',',
      ' ',
      '-',
      "'",
      '$',
      '€',
      'kr',
      'USD',
      'JPY',
      'KWD',
      ':-',
      '\u00A0',
      'e',
      '+',
    ),
    maxLength: 16,
  }),
  fc.string({ maxLength: 20 }),
);

describe('parsePrice (fuzzed)', () => {
  it('never throws, and an accepted price is a safe integer in a currency with a known exponent', () => {
    fc.assert(
      fc.property(priceText, fc.constantFrom(null, 'USD', 'JPY', 'KWD', 'SEK', 'XYZ'), (text, defaultCurrency) => {
        const parsed = parsePrice(text, defaultCurrency);
        if (!parsed.ok) {
          expect(['INVALID_PRICE', 'INVALID_CURRENCY', 'MISSING_CURRENCY']).toContain(parsed.issue.code);
          expect(parsed.issue.message.length).toBeGreaterThan(0);
          return;
        }
        expect(Number.isSafeInteger(parsed.minor)).toBe(true);
        expect(Math.abs(parsed.minor)).toBeLessThanOrEqual(MAX_MINOR);
        expect(currencyExponent(parsed.currency)).toBeDefined();
        // The text holds at least as many digits as the amount needs once its exponent is accounted for.
        const significant = String(Math.abs(parsed.minor)).replace(/0+$/, '');
        expect(text.replace(/\D/g, '')).toContain(significant === '' ? '' : significant);
      }),
      fuzzParameters(1500),
    );
  });

  it('reads back every amount formatPrice writes, in every currency, with the exponent of that currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_MINOR, max: MAX_MINOR }),
        fc.constantFrom(...CODES),
        fc.constantFrom('suffix', 'prefix', 'default'),
        (minor, currency, style) => {
          const written = formatPrice(minor, currency);
          const amount = written.slice(0, -4);
          const text = style === 'suffix' ? written : style === 'prefix' ? `${currency} ${amount}` : amount;
          const parsed = parsePrice(text, style === 'default' ? currency : null);
          expect(parsed).toEqual({ ok: true, minor, currency });
          // Minor units follow the exponent: the whole part times 10^exponent plus the fraction.
          const exponent = currencyExponent(currency)!;
          const [whole, fraction = ''] = amount.replace('-', '').split('.');
          expect(fraction.length).toBe(exponent);
          expect(Math.abs(minor)).toBe(Number(whole) * 10 ** exponent + Number(fraction || '0'));
        },
      ),
      fuzzParameters(1500),
    );
  });

  it('reads grouped amounts ("1,234,567.89 USD", "1.234.567,89 EUR") as the same amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 999_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.boolean(),
        (whole, cents, european) => {
          const grouped = whole.toLocaleString('en-US').replaceAll(',', european ? '.' : ',');
          const fraction = String(cents).padStart(2, '0');
          const text = european ? `${grouped},${fraction} EUR` : `${grouped}.${fraction} EUR`;
          expect(parsePrice(text)).toEqual({ ok: true, minor: whole * 100 + cents, currency: 'EUR' });
        },
      ),
      fuzzParameters(1000),
    );
  });
});
