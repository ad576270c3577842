/**
 * The binary field (src/numeric/binaryFloat.ts) at 30, 50, 100 and 300 digits:
 *  - +, −, ×, ÷ and the fused dot product are correctly rounded: checked exactly, in BigInt, against the
 *    dyadic (or rational) exact result — within ½ ulp (the dot product for terms within its 6644-bit window);
 *  - exp, ln, expm1, log1p, √ are within 1 ulp of decimal.js in a context 2·digits + 30 wide;
 *  - decimal strings: `of` rounds correctly and toString reads back to the same value, for magnitudes up to
 *    10^±100000 (conversions beyond 2^±10000 take the fixed-point route);
 *  - ±∞, NaN, overflow and underflow at 2^±2^50.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { type BinaryFloat, binaryField, bitLength } from '../../src/numeric/binaryFloat.js';
import { qparse } from '../../src/numeric/rational.js';
import { fcParams } from '../support/budget.js';

const DIGITS = [30, 50, 100, 300];

/** |got − num·2^exp/den| in units of got's last place (den > 0), computed exactly. */
function ulpsFromRational(got: BinaryFloat, num: bigint, exp: number, den: bigint): number {
  const low = Math.min(exp, got.e);
  const X = got.m * den * (1n << BigInt(got.e - low)) - num * (1n << BigInt(exp - low));
  const unit = den << BigInt(got.e - low);
  const a = X < 0n ? -X : X;
  return Number((a << 30n) / unit) / 2 ** 30;
}

/** A decimal string with `sig` random significant digits and magnitude 10^exponent. */
const arbDecimal = (sig: number, minExp: number, maxExp: number) =>
  fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: sig, maxLength: sig }), fc.integer({ min: minExp, max: maxExp }))
    .map(([neg, ds, e]) => `${neg ? '-' : ''}${Math.max(1, ds[0]!)}.${ds.slice(1).join('')}e${e}`);

test('bitLength is exact around powers of two and beyond the double range', () => {
  for (const k of [1, 2, 52, 53, 54, 63, 64, 65, 999, 1000, 1001, 1023, 1024, 1025, 5000]) {
    const p = 1n << BigInt(k);
    assert.is(bitLength(p), k + 1, `2^${k}`);
    assert.is(bitLength(p - 1n), k, `2^${k} − 1`);
    assert.is(bitLength(p + 1n), k + 1, `2^${k} + 1`);
  }
});

for (const digits of DIGITS) {
  const F = binaryField(digits);
  const Ref = Decimal.clone({ precision: 2 * digits + 30, minE: -9e15, maxE: 9e15 });
  const exactRef = (x: BinaryFloat) => new Ref(x.m.toString()).times(new Ref(2).pow(x.e));
  /** |got − exact| in ulps of got (exact a decimal.js value of the wide context) */
  const ulpsFromRef = (got: BinaryFloat, exact: Decimal): number => {
    if (got.m === 0n) return exact.isZero() ? 0 : Infinity;
    return exactRef(got).minus(exact).abs().div(new Ref(2).pow(got.e)).toNumber();
  };
  const params = fcParams<[string, string]>(`binaryFloat-${digits}`, digits > 100 ? 40 : 150, 2000);
  const params1 = fcParams<[string]>(`binaryFloat1-${digits}`, digits > 100 ? 40 : 150, 2000);
  const operand = fc.oneof(arbDecimal(digits + 5, -300, 300), arbDecimal(8, -5000, 5000));

  test(`[${digits} digits] the unit roundoff is Decimal(digits)'s or just below it, and every value is normalized`, () => {
    const uDecimal = 0.5 * Math.pow(10, 1 - digits);
    const uBinary = Math.pow(2, -F.bits);
    assert.ok(uBinary <= uDecimal && uBinary > uDecimal / 2, `2^-${F.bits} against ½·10^${1 - digits}`);
    assert.ok(Math.abs(F.log10UnitRoundoff - Math.log10(uBinary)) < 1e-12);
    fc.assert(fc.property(operand, operand, (a, b) => {
      for (const v of [F.of(a), F.mul(F.of(a), F.of(b)), F.add(F.of(a), F.of(b)), F.div(F.of(a), F.of(b))]) {
        if (v.m === 0n) continue;
        const l = bitLength(v.m < 0n ? -v.m : v.m);
        if (l !== F.bits) throw new Error(`significand of ${l} bits`);
      }
    }), params);
  });

  test(`[${digits} digits] +, −, ×, ÷ are within ½ ulp of the exact result (incl. cancellation)`, () => {
    fc.assert(fc.property(operand, operand, (sa, sb) => {
      const a = F.of(sa);
      // b near a as well as independent of it: sums that cancel
      for (const b of [F.of(sb), F.neg(F.add(a, F.mul(a, F.of('1e-20')))), F.neg(a)]) {
        const low = Math.min(a.e, b.e);
        const A = a.m << BigInt(a.e - low);
        const B = b.m << BigInt(b.e - low);
        const sum = F.add(a, b);
        if (A + B === 0n) { if (!F.isZero(sum)) throw new Error('a + (−a) ≠ 0'); } else if (ulpsFromRational(sum, A + B, low, 1n) > 0.5) throw new Error(`${sa} + b: ${ulpsFromRational(sum, A + B, low, 1n)} ulp`);
        const diff = F.sub(a, b);
        if (A !== B && ulpsFromRational(diff, A - B, low, 1n) > 0.5) throw new Error(`${sa} − b`);
        if (ulpsFromRational(F.mul(a, b), a.m * b.m, a.e + b.e, 1n) > 0.5) throw new Error(`${sa} × b`);
        // a/b = (a.m/b.m)·2^(a.e − b.e)
        const q = F.div(a, b);
        const num = b.m < 0n ? -a.m : a.m;
        if (ulpsFromRational(q, num, a.e - b.e, b.m < 0n ? -b.m : b.m) > 0.5) throw new Error(`${sa} ÷ b: ${ulpsFromRational(q, num, a.e - b.e, b.m < 0n ? -b.m : b.m)}`);
      }
    }), params);
  });

  test(`[${digits} digits] the fused dot product is within ½ ulp of the exact sum of products`, () => {
    // magnitudes to 1e±300: products spread over < 6644 binary orders, the window inside which nothing is left out
    const factor = fc.oneof(arbDecimal(digits + 5, -300, 300), arbDecimal(8, -300, 300));
    fc.assert(fc.property(fc.array(fc.tuple(factor, factor), { minLength: 1, maxLength: 12 }), (pairs) => {
      const a = pairs.map(([x]) => F.of(x));
      const b = pairs.map(([, y]) => F.of(y));
      // a cancelling pair: the exact sum is then far below its largest term
      a.push(F.neg(a[0]!));
      b.push(b[0]!);
      let low = Infinity;
      a.forEach((x, j) => { low = Math.min(low, x.e + b[j]!.e); });
      let exact = 0n;
      a.forEach((x, j) => { exact += (x.m * b[j]!.m) << BigInt(x.e + b[j]!.e - low); });
      const got = F.fusedDot!(a, b);
      if (exact === 0n) return;
      const err = ulpsFromRational(got, exact, low, 1n);
      if (err > 0.5 + 1e-6) throw new Error(`dot: ${err} ulp`);
    }), fcParams<[[string, string][]]>(`binaryFloatDot-${digits}`, digits > 100 ? 30 : 100, 2000));
  });

  test(`[${digits} digits] exp, expm1, ln, log1p and √ are within 1 ulp of decimal.js`, () => {
    fc.assert(fc.property(arbDecimal(digits, -digits - 1, 5), (s) => {
      const x = F.of(s);
      const X = exactRef(x);
      const check = (what: string, got: BinaryFloat, exact: Decimal) => {
        const err = ulpsFromRef(got, exact);
        if (!(err <= 1)) throw new Error(`${what}(${s}): ${err} ulp`);
      };
      if (X.abs().lt(1e5)) check('exp', F.exp(x), X.exp());
      if (X.abs().lt(1e5)) check('expm1', F.expm1(x), X.exp().minus(1));
      const ax = F.abs(x);
      const AX = X.abs();
      check('ln', F.log(ax), AX.ln());
      check('sqrt', F.sqrt(ax), AX.sqrt());
      if (X.gt(-1)) check('log1p', F.log1p(x), X.plus(1).ln());
      // ln near 1: the result keeps its relative precision
      const near = F.add(F.one, F.scale(F.mul(x, F.of('1e-7')), 1));
      if (F.gt(near, F.zero)) check('ln(1 + x·1e-7)', F.log(near), exactRef(near).ln());
    }), params1);
  });

  test(`[${digits} digits] decimal strings: of rounds correctly and toString reads back the same value, up to 10^±100000`, () => {
    const arb = fc.oneof(arbDecimal(digits + 10, -400, 400), arbDecimal(12, -100000, 100000));
    fc.assert(fc.property(arb, (s) => {
      const x = F.of(s);
      const q = qparse(s)!;
      // x ≈ num/den: compare exactly
      const num = q.num;
      const den = q.den;
      if (ulpsFromRational(x, num, 0, den) > 0.5) throw new Error(`of(${s})`);
      const back = F.of(F.toString(x));
      if (back.m !== x.m || back.e !== x.e) throw new Error(`toString(${s}) = ${F.toString(x)} does not read back`);
      const n = F.toNumber(x);
      const want = Number(s);
      if (Number.isFinite(want) && want !== 0 && Math.abs(want) > 1e-300 && Math.abs(n - want) > 2 * Number.EPSILON * Math.abs(want)) throw new Error(`toNumber(${s}) = ${n}`);
    }), fcParams<[string]>(`binaryFloatStrings-${digits}`, digits > 100 ? 30 : 100, 2000));
  });
}

test('±∞, NaN, overflow beyond 2^(2^50) and underflow to 0', () => {
  const F = binaryField(50);
  assert.not.ok(F.isFinite(F.div(F.one, F.zero)));
  assert.ok(F.gt(F.div(F.one, F.zero), F.of('1e3000')));
  assert.not.ok(F.isFinite(F.log(F.zero)));
  assert.ok(F.lt(F.log(F.zero), F.of('-1e3000')));
  assert.ok(F.isZero(F.exp(F.of('-1e15'))));
  assert.not.ok(F.isFinite(F.exp(F.of('1e15'))));
  // e^{−7e14} is still a value (2^{−1.01e15} > 2^{−2^50})
  const tiny = F.exp(F.of('-7e14'));
  assert.ok(F.gt(tiny, F.zero));
  const l = F.toNumber(F.log(tiny));
  assert.ok(Math.abs(l + 7e14) < 1e-3, `ln e^{−7e14} = ${l}`);
  const nan = F.mul(F.zero, F.div(F.one, F.zero));
  assert.not.ok(F.isFinite(nan));
  assert.not.ok(F.isZero(nan));
  assert.ok(Number.isNaN(F.toNumber(nan)));
  const big = F.exp(F.of('4.5e14')); // 2^6.5e14: in range
  assert.ok(F.isFinite(big));
  assert.not.ok(F.isFinite(F.mul(big, big))); // 2^1.3e15 > 2^(2^50)
  assert.ok(F.isZero(F.div(F.one, F.mul(big, big))));
});

test('0.1 is read as 1/10 (as decimal.js reads a number), not as the double nearest it', () => {
  const F = binaryField(50);
  const tenth = F.of(0.1);
  const exact = F.div(F.one, F.of(10));
  assert.is(tenth.m, exact.m);
  assert.is(tenth.e, exact.e);
});

test.run();
