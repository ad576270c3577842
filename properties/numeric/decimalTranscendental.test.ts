/**
 * The Decimal backend's exp, ln, expm1 and log1p (binary fixed point, src/numeric/decimalTranscendental.ts)
 * agree with decimal.js's own (correctly rounded) to within 1 ulp of the working precision — at 30, 50, 100
 * and 300 digits, for arguments from 1e-(digits+1) to 1e14 in size, including x ≈ 1 for ln (results
 * near 0 keep their relative precision) and arguments of 1e±5000 (α = "1e-5000" in the flows).
 * The reference is decimal.js applied to the same (rounded) argument in a context 2·digits + 30 wide — wide
 * enough that exp(a) − 1 for |a| ≥ 1e-(digits+1) loses nothing — then rounded to the working precision.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { decimalField } from '../../src/numeric/decimal.js';
import { fcParams } from '../support/budget.js';

const DIGITS = [30, 50, 100, 300];

/** |a − b| in units of the last place of b at `digits` digits. */
function ulps(a: Decimal, b: Decimal, digits: number): number {
  if (b.isZero()) return a.isZero() ? 0 : Infinity;
  const ulp = new Decimal(10).pow(b.e - digits + 1);
  return a.minus(b).abs().div(ulp).toNumber();
}

/** A decimal string with `digits` random significant digits and magnitude 10^exponent. */
const arbDecimal = (digits: number, minExp: number, maxExp: number) =>
  fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: digits, maxLength: digits }), fc.integer({ min: minExp, max: maxExp }))
    .map(([neg, ds, e]) => `${neg ? '-' : ''}${Math.max(1, ds[0]!)}.${ds.slice(1).join('')}e${e}`);

for (const digits of DIGITS) {
  const F = decimalField(digits);
  const Ref = Decimal.clone({ precision: 2 * digits + 30, minE: -9e15, maxE: 9e15 });
  const round = (x: Decimal) => new Decimal(x).toSignificantDigits(digits, Decimal.ROUND_HALF_EVEN);
  const params = fcParams<[string]>(`decimalTranscendental-${digits}`, digits > 100 ? 40 : 150, 2000);
  /** fails unless `got` is within 1 ulp of the exact value (computed in Ref) rounded to the working precision */
  const within1Ulp = (what: string, got: Decimal, exact: Decimal) => {
    const err = ulps(got, round(exact), digits);
    if (err > 1) throw new Error(`${what}: ${err} ulp`);
  };

  test(`[${digits} digits] exp within 1 ulp of decimal.js for |x| from 1e-${digits + 1} to 1e5`, () => {
    fc.assert(fc.property(arbDecimal(digits, -digits - 1, 5), (s) => {
      const x = F.of(s);
      within1Ulp(`exp(${s})`, F.exp(x), new Ref(F.toString(x)).exp());
    }), params);
  });

  test(`[${digits} digits] ln within 1 ulp for x from 1e-5000 to 1e5000 and x = 1 ± 1e-k`, () => {
    const arbPositive = fc.oneof(
      arbDecimal(digits, -5000, 5000).map((s) => s.replace(/^-/, '')),
      // x = 1 ± δ: the result is ≈ ±δ and must keep its relative precision
      fc.tuple(fc.boolean(), arbDecimal(Math.min(digits - 2, 20), -(digits - 3), -1)).map(([neg, d]) => new Ref(1).plus(new Ref(d.replace(/^-/, '')).times(neg ? -1 : 1)).toString()),
    );
    fc.assert(fc.property(arbPositive, (s) => {
      const x = F.of(s);
      within1Ulp(`ln(${s})`, F.log(x), new Ref(F.toString(x)).ln());
    }), params);
  });

  test(`[${digits} digits] sqrt within 1 ulp for x from 1e-5000 to 1e5000, and exact on squares`, () => {
    fc.assert(fc.property(arbDecimal(digits, -5000, 5000).map((s) => s.replace(/^-/, '')), (s) => {
      const x = F.of(s);
      within1Ulp(`sqrt(${s})`, F.sqrt(x), new Ref(F.toString(x)).sqrt());
      // a square of a short number has an exact root (odd and even exponents)
      const short = F.of(`${s.slice(0, 8)}`);
      const sq = F.mul(short, short);
      if (F.toString(F.sqrt(sq)) !== F.toString(short)) throw new Error(`sqrt(${F.toString(sq)}) = ${F.toString(F.sqrt(sq))}, not ${F.toString(short)}`);
    }), params);
    assert.is(F.toString(F.sqrt(F.of('1e-401'))), new Ref('1e-401').sqrt().toSignificantDigits(digits).toString());
    assert.is(F.toString(F.sqrt(F.zero)), '0');
    assert.ok(F.sqrt(F.of(-1)).isNaN());
  });

  test(`[${digits} digits] expm1 and log1p within 1 ulp for |a| from 1e-${digits + 1} to 10`, () => {
    fc.assert(fc.property(arbDecimal(digits, -digits - 1, 0), (s) => {
      const a = F.of(s);
      const exact = new Ref(F.toString(a));
      within1Ulp(`expm1(${s})`, F.expm1(a), exact.exp().minus(1));
      if (exact.gt(-1)) within1Ulp(`log1p(${s})`, F.log1p(a), exact.plus(1).ln());
    }), params);
  });
}

test('exp at the ends of the range: e^{±11512.9} ≈ 1e±5000, e^{±2e16} ≈ 10^{±8.7e15}, e^{−1e18} = 0, e^{1e18} = ∞, e^0 = 1, e^{1e-9000000} = 1; ln of powers of 10', () => {
  const F = decimalField(50);
  const Ref = Decimal.clone({ precision: 130, minE: -9e15, maxE: 9e15 });
  for (const s of ['11512.925464970228420089957273421821038005507443143864880166639', '-11512.92546497022842', '1e14', '-1e14', '123456789.123456789',
    '-2e15', '1.2345678901234567e16', '-1.9999999999999999e16', '2e16']) {
    const want = new Ref(F.toString(F.of(s))).exp().toSignificantDigits(50);
    assert.ok(ulps(F.exp(F.of(s)), want, 50) <= 1, `exp(${s})`);
  }
  assert.is(F.exp(F.zero).toString(), '1');
  // beyond the exponent range: 0 and ∞ exactly as decimal.js gives them
  for (const s of ['-2.1e16', '-5e17', '-1e18', '-3.8e18', '2.1e16', '1e18']) {
    const x = F.of(s);
    assert.is(F.exp(x).toString(), x.exp().toString(), `exp(${s})`);
  }
  // arguments far below the working precision (margins of a stalled run reach 1e-9000000): e^x rounds to 1,
  // expm1 and log1p return the argument, and nothing forms 10^9000000
  const tiny = F.pow(F.of(10), F.of(-9000000));
  for (const x of [tiny, F.scale(tiny, -3), F.of('1e-70')]) {
    const s = F.toString(x);
    assert.is(F.exp(x).toString(), '1', `exp(${s})`);
    assert.is(F.expm1(x).toString(), s, `expm1(${s})`);
    assert.is(F.log1p(x).toString(), s, `log1p(${s})`);
  }
  for (const k of [-5000, -1, 1, 7, 5000]) {
    const want = new Ref(10).ln().times(k).toSignificantDigits(50);
    assert.ok(ulps(F.log(F.of(`1e${k}`)), want, 50) <= 1, `ln(1e${k})`);
  }
  // ln 1 is exactly 0, and ln of a non-positive number keeps decimal.js's answer (−∞ at 0, NaN below)
  assert.ok(F.log(F.one).isZero());
  assert.ok(F.log(F.zero).eq(-Infinity));
  assert.ok(F.log(F.of(-2)).isNaN());
});

test.run();
