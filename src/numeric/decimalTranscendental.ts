/**
 * exp, ln, expm1 and log1p for the Decimal backend in binary fixed point (BigInt), 9–40× faster than
 * decimal.js's own at 30–100 digits (SPEC.md §8: "its exp costs ~1 ms at 50 digits, so cut the number of
 * exps" — this cuts the cost of each). Measured at 50 digits: exp 15.5 µs vs 250 µs, ln 20 µs vs 270 µs.
 *
 * Method. A value x = m·10^e (m an integer) becomes X = round(x·2^P) with P = ⌈digits·log2 10⌉ + GUARD_BITS.
 *  - exp: x = n ln 10 + ρ with n = round(x/ln 10), |ρ| ≤ 1.16, so e^x = 10^n e^ρ; e^ρ = (e^{ρ/2^s})^{2^s} with
 *    the Taylor series of e^{ρ/2^s} (s ≈ √P/1.3 halvings balance series terms against squarings).
 *  - ln: x = f·10^k, f ∈ [1, 10), ln x = k ln 10 + ln f; ln f by Halley's iteration y ← y + 2(f − e^y)/(f + e^y)
 *    from the float64 logarithm (53 → 159 → 477 bits: two or three iterations).
 *  - Results near 0 (ln x for x ≈ 1, expm1 and log1p of a small argument) are computed with extra bits,
 *    −log2|result|, so that the relative error stays at the working precision.
 * The final decimal string carries digits + 6 digits and is rounded once to the context's precision, so a
 * result is within 1 ulp (typically correctly rounded; properties/numeric/decimalTranscendental.test.ts
 * compares with decimal.js at 30, 50, 100 and 300 digits).
 * Arguments outside the fast range (non-finite, 2e16 < |x| ≤ 2.1e16 for exp, x ≤ 0 for ln) go to decimal.js. Up to
 * that limit e^x is within decimal.js's exponent range (±9e15, i.e. |x| ≲ 2.07e16), where decimal.js's own exp
 * costs 2–3 ms at |x| ~ 1e16 (margins of 1e16 in a late Decimal flow); beyond it decimal.js returns 0 or ∞ at once.
 */
import type { Decimal as DecimalJs } from 'decimal.js';
import { decimalFromParts, decimalParts, pow10 } from './decimalParts.js';
import { type FixedContext, LN_EXTRA_BITS, expFixed, fixedContext, isqrt, ln10Wide, lnFixed } from './fixedPoint.js';

type Dec = DecimalJs;
type DecCtor = typeof DecimalJs;

/** Bits kept beyond the working precision (absorbs the 2^s growth of errors in the squarings). */
const GUARD_BITS = 48;
/** Decimal digits carried past the precision before the final rounding. */
const EXTRA_DIGITS = 6;
const LOG2_10 = Math.log2(10);
/** |x| up to which exp is computed here: e^{±2e16} = 10^{±8.69e15}, inside decimal.js's exponent range */
const EXP_FAST_LIMIT = 2e16;
/**
 * Beyond this e^x is outside decimal.js's exponent range (±9e15·ln 10 = ±2.0723e16): 0 or ∞, as decimal.js
 * returns, without its 0.3–7 ms of work (a late Decimal flow asks for e^{−h} at margins of 1e17–1e19 thousands
 * of times: 7 s of the demo's 12 s before this shortcut).
 */
const EXP_RANGE_LIMIT = 2.1e16;

/**
 * x to ~14 significant digits from its two leading limbs (not correctly rounded; used for |x| < 1e10): the
 * reduction x = n ln 10 + ρ only needs n near x/ln 10, and |ρ| ≤ 1.16 + 1e-13·|x| stays in expFixed's range.
 */
function leadingValue(x: Dec): number {
  const d = x.d;
  const lead = String(d[0]!).length; // digits in the first limb
  const top = d[0]! + (d.length > 1 ? d[1]! / 1e7 : 0);
  return x.s * top * Math.pow(10, x.e - lead + 1);
}

/** round(x · 2^bits) (0 when |x| < 2^-(bits+1), without forming 10^-exp10 for exponents like −9e15) */
function toFixed(x: Dec, bits: bigint): bigint {
  if (x.e < -Number(bits) / LOG2_10 - 2) return 0n;
  const { negative, mantissa, exp10 } = decimalParts(x);
  let X: bigint;
  if (exp10 >= 0) X = (mantissa * pow10(exp10)) << bits;
  else {
    const q = pow10(-exp10);
    X = ((mantissa << bits) + q / 2n) / q;
  }
  return negative ? -X : X;
}

/** The Decimal nearest V·2^-bits·10^exp10, carrying `digits + EXTRA_DIGITS` significant digits before rounding. */
function fromFixed(D: DecCtor, digits: number, V: bigint, bits: bigint, exp10 = 0): Dec {
  if (V === 0n) return new D(0);
  const negative = V < 0n;
  const a = negative ? -V : V;
  // a·2^-bits has about (bitLength − bits)·log10 2 integer digits
  const intDigits = Math.floor((4 * a.toString(16).length - Number(bits)) / LOG2_10); // bit length to within 3: ± 1 digit
  const shift = digits + EXTRA_DIGITS - intDigits;
  const scaled = shift >= 0 ? (a * pow10(shift)) >> bits : (a >> bits) / pow10(-shift);
  return decimalFromParts(D, digits, negative, scaled, exp10 - shift);
}


export interface DecimalTranscendentals {
  /** √x for x > 0 (decimal.js's sqrt otherwise) */
  sqrt(x: Dec): Dec;
  exp(x: Dec): Dec;
  ln(x: Dec): Dec;
  /** e^a − 1 for |a| < 1 with the relative precision of the context */
  expm1Small(a: Dec): Dec;
  /** ln(1 + a) for |a| < 1 with the relative precision of the context */
  log1pSmall(a: Dec): Dec;
}

/** The fast transcendental functions for a decimal.js constructor D with `digits` significant digits. */
export function decimalTranscendentals(D: DecCtor, digits: number): DecimalTranscendentals {
  const baseBits = Math.ceil(digits * LOG2_10) + GUARD_BITS;
  const base = fixedContext(baseBits);
  /** A context whose absolute precision is 2^-baseBits relative to a result of the size of a (|a| < 1). */
  const widenedFor = (a: Dec): FixedContext => fixedContext(baseBits + Math.max(0, Math.ceil(-(a.e + 1) * LOG2_10)) + 4);

  const exp = (x: Dec): Dec => {
    if (!x.isFinite()) return x.exp();
    // (|x| < 1e16 when its leading digit's exponent e ≤ 15: no Decimal comparison needed)
    if (x.e >= 16 && x.abs().gt(EXP_FAST_LIMIT)) {
      if (x.abs().gt(EXP_RANGE_LIMIT)) return x.isNeg() ? new D(0) : new D(Infinity);
      return x.exp();
    }
    if (x.isZero()) return new D(1);
    const n = Math.round((x.e < 10 ? leadingValue(x) : x.toNumber()) / Math.LN10);
    const R = toFixed(x, base.bits) - ((BigInt(n) * ln10Wide(base)) >> LN_EXTRA_BITS);
    const E = expFixed(base, R);
    return fromFixed(D, digits, E, base.bits, n);
  };

  const ln = (x: Dec): Dec => {
    if (!x.isFinite() || x.isNeg() || x.isZero()) return x.ln();
    const { mantissa, digitCount, exp10 } = decimalParts(x);
    const k = exp10 + digitCount - 1; // x = f·10^k, f = mantissa / 10^(digitCount−1) ∈ [1, 10)
    const fApprox = Number(`${mantissa.toString().slice(0, 17)}e-${Math.min(16, digitCount - 1)}`);
    const lnApprox = Math.log(fApprox) + k * Math.LN10;
    if (Math.abs(lnApprox) < 0.5) {
      // x ≈ 1: ln x = log1p(x − 1); x − 1 is exact in Decimal (x has `digits` digits and is near 1)
      return log1pSmall(x.minus(1));
    }
    const Fx = (mantissa << base.bits) / pow10(digitCount - 1);
    const L = lnFixed(base, Fx, Math.log(fApprox)) + ((BigInt(k) * ln10Wide(base)) >> LN_EXTRA_BITS);
    return fromFixed(D, digits, L, base.bits);
  };

  const expm1Small = (a: Dec): Dec => {
    if (a.isZero()) return new D(0);
    const ctx = widenedFor(a);
    return fromFixed(D, digits, expFixed(ctx, toFixed(a, ctx.bits)) - ctx.one, ctx.bits);
  };

  const log1pSmall = (a: Dec): Dec => {
    if (a.isZero()) return new D(0);
    const ctx = widenedFor(a);
    const Fx = ctx.one + toFixed(a, ctx.bits);
    return fromFixed(D, digits, lnFixed(ctx, Fx, Math.log1p(a.toNumber())), ctx.bits);
  };

  /**
   * √x = √(m·10^k)·10^((e−k)/2) with m·10^e = x and k ≥ 0 chosen so that m·10^k has 2(digits + EXTRA_DIGITS) digits
   * and e − k is even: the integer square root carries digits + EXTRA_DIGITS digits, rounded once (within 1 ulp,
   * like exp). Measured at 50 digits: 15 µs against decimal.js's 42 µs (σ_j = 2√(v_j² + 4κ_j²e^{−2L}) costs d
   * square roots per right-hand side of the scaled chart, mirrorScaled.ts).
   */
  const sqrt = (x: Dec): Dec => {
    if (!x.isFinite() || x.isZero() || x.isNeg()) return x.sqrt();
    const { mantissa, digitCount, exp10 } = decimalParts(x);
    let k = Math.max(0, 2 * (digits + EXTRA_DIGITS) - digitCount);
    if ((exp10 - k) % 2 !== 0) k++;
    const root = isqrt(mantissa * pow10(k), (digitCount + k) * LOG2_10);
    return decimalFromParts(D, digits, false, root, (exp10 - k) / 2);
  };

  return { sqrt, exp, ln, expm1Small, log1pSmall };
}
