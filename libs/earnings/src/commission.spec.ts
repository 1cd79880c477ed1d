import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { commissionMinor, divideHalfEven, rateHundredths, reversalMinor } from './commission.js';

describe('commission rounding (half-even on the exact decimal)', () => {
  it('rounds an exact half to the even neighbour, and anything else to the nearest', () => {
    // 10% of 5 cents = 0.5 cent → 0; of 15 cents = 1.5 → 2; of 25 = 2.5 → 2; of 35 = 3.5 → 4.
    expect(commissionMinor(5n, '10')).toBe(0n);
    expect(commissionMinor(15n, '10')).toBe(2n);
    expect(commissionMinor(25n, '10')).toBe(2n);
    expect(commissionMinor(35n, '10.00')).toBe(4n);
    // 12.5% of 1999 = 249.875 → 250; 7.25% of 1000 = 72.5 → 72; 7.35% of 1000 = 73.5 → 74.
    expect(commissionMinor(1999n, '12.50')).toBe(250n);
    expect(commissionMinor(1000n, '7.25')).toBe(72n);
    expect(commissionMinor(1000n, '7.35')).toBe(74n);
    expect(commissionMinor(1001n, '7.25')).toBe(73n); // 72.5725
  });

  it('reads rates exactly', () => {
    expect(rateHundredths('12.5')).toBe(1250n);
    expect(rateHundredths('80.00')).toBe(8000n);
    expect(rateHundredths('1')).toBe(100n);
    expect(() => rateHundredths('1e2')).toThrow();
  });

  it('matches half-even on the exact rational for any amount and rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 100, max: 8000 }), (base, hundredths) => {
        const rate = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
        const got = commissionMinor(base, rate);
        const exact = base * BigInt(hundredths); // commission × 10000
        const diff = exact - got * 10_000n; // what rounding dropped, × 10000
        expect(diff <= 5000n && diff >= -5000n).toBe(true);
        if (diff === 5000n || diff === -5000n) expect(got % 2n).toBe(0n);
      }),
    );
  });

  it('partial refunds in any steps reverse exactly the commission', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.constantFrom('12.50', '7.35', '33.33', '1.00'),
        (base, cuts, rate) => {
          let refunded = 0n;
          let reversed = 0n;
          for (const cut of cuts) {
            const step = BigInt(Math.floor(Number(base - refunded) * cut));
            const r = reversalMinor(base, refunded, step, rate);
            expect(r >= 0n).toBe(true);
            reversed += r;
            refunded += step;
          }
          reversed += reversalMinor(base, refunded, base - refunded, rate);
          expect(reversed).toBe(commissionMinor(base, rate));
        },
      ),
    );
  });

  it('refuses a negative numerator', () => {
    expect(() => divideHalfEven(-1n, 2n)).toThrow();
  });
});
