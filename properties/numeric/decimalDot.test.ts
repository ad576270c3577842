/**
 * The Decimal backend's fused dot product (src/numeric/decimalDot.ts) is the exact Σ a_j b_j rounded once:
 * on decimal vectors with mixed signs, zeros, magnitudes 1e-60 … 1e60 and deliberate cancellation it equals,
 * digit for digit, the exact sum (decimal.js at 1000 digits, where these sums are exact) rounded to the
 * working precision; and it is never further from it than the loop of rounded multiply-adds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { decimalField } from '../../src/numeric/decimal.js';
import { fcParams } from '../support/budget.js';

const Exact = Decimal.clone({ precision: 1000, minE: -9e15, maxE: 9e15 });

const arbEntry = (digits: number) => fc.oneof(
  { weight: 1, arbitrary: fc.constant('0') },
  {
    weight: 6,
    arbitrary: fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: digits }), fc.integer({ min: -60, max: 60 }))
      .map(([neg, ds, e]) => `${neg ? '-' : ''}${Math.max(1, ds[0]!)}.${ds.slice(1).join('') || '0'}e${e}`),
  },
);

for (const digits of [30, 50, 100]) {
  const F = decimalField(digits);
  test(`[${digits} digits] fusedDot = exact sum rounded once, and never worse than the loop`, () => {
    const arb = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(
      fc.array(arbEntry(digits), { minLength: n, maxLength: n }),
      fc.array(arbEntry(digits), { minLength: n, maxLength: n }),
      fc.boolean(),
    ));
    fc.assert(fc.property(arb, ([as, bs, cancel]) => {
      const a = as.map((s) => F.of(s));
      const b = bs.map((s) => F.of(s));
      if (cancel && a.length >= 2) {
        // append the negation of the first product: the result is the rest of the sum, often tiny
        a.push(F.neg(a[0]!));
        b.push(b[0]!);
      }
      let exact = new Exact(0);
      a.forEach((x, j) => { exact = exact.plus(new Exact(F.toString(x)).times(new Exact(F.toString(b[j]!)))); });
      const want = exact.toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN);
      const got = F.fusedDot!(a, b);
      assert.ok(new Exact(F.toString(got)).eq(want), `fused ${F.toString(got)} ≠ exact rounded ${want.toString()}`);
      let loop = F.zero;
      a.forEach((x, j) => { loop = F.add(loop, F.mul(x, b[j]!)); });
      assert.ok(new Exact(F.toString(got)).minus(exact).abs().lte(new Exact(F.toString(loop)).minus(exact).abs()), 'never worse than the loop');
    }), fcParams(`decimalDot-${digits}`, 300, 5000));
  });
}

test('fusedDot: empty and all-zero vectors give 0; Infinity falls back to decimal.js rules; terms 1e-10000 beside O(1) ones', () => {
  const F = decimalField(50);
  // the spread exceeds the window: the tiny term is dropped, as the loop's rounding drops it
  const tiny = F.pow(F.of(10), F.of(-10000));
  assert.is(F.toString(F.fusedDot!([F.one, F.of(3)], [F.of(2), tiny])), '2');
  assert.is(F.toString(F.fusedDot!([tiny, tiny], [F.of(2), F.of(3)])), F.toString(F.scale(tiny, 5)));
  assert.ok(F.fusedDot!([], []).isZero());
  assert.ok(F.fusedDot!([F.zero, F.one], [F.of(7), F.zero]).isZero());
  const inf = F.div(F.one, F.zero);
  assert.ok(!F.fusedDot!([inf, F.one], [F.one, F.one]).isFinite());
});

test.run();
