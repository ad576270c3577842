/**
 * decimalFromParts (src/numeric/decimalParts.ts) builds the Decimal ±m·10^e rounded half-even to the context's
 * digits without the string parse: it must equal the string path digit for digit and in decimal.js's internal
 * layout (limbs, exponent, sign), or decimal.js's own arithmetic on it would go wrong. Cases: mantissas shorter
 * and longer than the precision, exact ties (round to even), carries 99…9 → 10…0, trailing zeros, exponents
 * of both signs around every limb boundary, and the inverse decimalParts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { decimalFromParts, decimalParts } from '../../src/numeric/decimalParts.js';
import { fcParams } from '../support/budget.js';

const digitString = (maxLength: number) => fc.oneof(
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength }).map((ds) => `${Math.max(1, ds[0]!)}${ds.slice(1).join('')}`),
  // ties and carries: k digits, then 5 or 9s, then zeros
  fc.tuple(fc.integer({ min: 1, max: maxLength }), fc.constantFrom('5', '9', '0', '49', '50', '51'), fc.integer({ min: 0, max: 20 }))
    .map(([k, tail, zeros]) => `${'9'.repeat(k)}${tail}${'0'.repeat(zeros)}`),
  fc.tuple(fc.integer({ min: 1, max: maxLength }), fc.constantFrom('5', '15', '25'), fc.integer({ min: 0, max: 20 }))
    .map(([k, tail, zeros]) => `1${'2'.repeat(k)}${tail}${'0'.repeat(zeros)}`),
);

for (const digits of [7, 30, 50, 100]) {
  const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
  test(`[${digits} digits] decimalFromParts = the string path, digits and internal layout`, () => {
    fc.assert(
      fc.property(fc.boolean(), digitString(2 * digits + 10), fc.integer({ min: -200, max: 200 }), (negative, m, exp10) => {
        const got = decimalFromParts(D, digits, negative, BigInt(m), exp10);
        const want = new D(`${negative ? '-' : ''}${m}e${exp10}`).toSignificantDigits(digits);
        assert.is(got.toString(), want.toString());
        assert.equal([got.s, got.e, got.d], [want.s, want.e, want.d], `layout of ${negative ? '-' : ''}${m}e${exp10}`);
        // arithmetic on it is decimal.js's own: x·1 + 0 reproduces it
        assert.ok(got.times(1).plus(0).eq(want));
        // and decimalParts reads it back
        const p = decimalParts(got);
        assert.ok(new D(`${p.negative ? '-' : ''}${p.mantissa}e${p.exp10}`).eq(want));
        return true;
      }),
      fcParams(`decimalParts.${digits}`, 400, 4000),
    );
  });
}

test('decimalFromParts: zero and the exponent-range limits behave as the constructor', () => {
  const D = Decimal.clone({ precision: 20, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
  assert.ok(decimalFromParts(D, 20, true, 0n, 5).isZero());
  assert.is(decimalFromParts(D, 20, false, 123n, 9e15 + 10).toString(), 'Infinity');
  assert.ok(decimalFromParts(D, 20, false, 123n, -9e15 - 10).isZero());
});

test.run();
