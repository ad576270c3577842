/**
 * The binary backend: floating point with a BigInt significand, `bits` of precision and a JS-number exponent.
 * It carries the Decimal flows' arithmetic (SPEC.md §8: a Decimal flow's cost is its arithmetic — decimal.js
 * takes 2.4 µs for a product at 50 digits, 1.1 µs for a sum, 4.6 µs for a quotient, where a BigInt product of
 * two 170-bit integers takes tens of nanoseconds). Values enter and leave through decimal strings (`of`,
 * `toString`), so a flow run here reports in decimal.js like any Decimal run (flows/follow.ts).
 *
 * A value is m·2^e with 2^(bits−1) ≤ |m| < 2^bits (m = 0 for zero; ±∞ has m = ±1, e = ∞; NaN has e = NaN).
 * Every operation rounds its exact result to nearest (ties away from zero, or towards +∞ in products: the rule
 * of an arithmetic shift), so its error is ≤ ½ ulp; the fused dot product rounds once. exp, ln, expm1, log1p and √ go through the BigInt
 * fixed point of fixedPoint.ts with guard bits and are within 1 ulp (properties/numeric/binaryFloat.test.ts
 * compares every operation with decimal.js at 30, 50, 100 and 300 digits).
 *
 * `binaryField(digits)` has bits = ⌈(digits − 1)·log2 10⌉ + 1, so its unit roundoff 2^-bits is Decimal(digits)'s
 * ½·10^(1−digits) or just below it (by less than a factor of 2); its exponent range is 2^±2^50 (10^±3.4e14, against decimal.js's 10^±9e15):
 * a result beyond it is ±∞ or 0. Where that matters — e^{−x} for margin gaps x between 7.8e14 and 2.07e16 is 0
 * here and a number below 10^-3.4e14 in decimal.js — it is 0 beside O(1) terms in both.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import type { Field } from './Field.js';
import { type Rational, qparse } from './rational.js';
import { decimalFromParts, pow10 } from './decimalParts.js';
import { LN_EXTRA_BITS, expFixed, fixedContext, isqrt, ln10Wide, ln2Wide, lnFixed } from './fixedPoint.js';

export class BinaryFloat {
  constructor(readonly m: bigint, readonly e: number) {}
}

type BF = BinaryFloat;

/** Largest |binary exponent| of a value (2^±2^50): sums of two exponents stay exact JS integers. */
const EXP_LIMIT = 2 ** 50;
const LOG10_2 = Math.log10(2);
const LOG2_10 = Math.log2(10);
/** Bits kept beyond the precision in exp, ln, expm1 and log1p (absorbs the 2^s growth of the squarings). */
const GUARD_BITS = 40;
/** Binary exponents up to which conversion to decimal forms exact integers (beyond: 10^frac by exp in fixed point). */
const DIRECT_EXP2 = 10000;
/** The fused dot product's window: terms this many binary orders below the largest are left out (decimalDot.ts: 2000 digits). */
const DOT_WINDOW_BITS = 6644;

const ZERO = new BinaryFloat(0n, 0);
const NAN = new BinaryFloat(0n, NaN);
const POS_INF = new BinaryFloat(1n, Infinity);
const NEG_INF = new BinaryFloat(-1n, Infinity);

const powersOf2: bigint[] = [];
const pow2 = (k: number): bigint => (powersOf2[k] ??= 1n << BigInt(k));
/** 2^1000: below it a BigInt converts to a finite double */
const DOUBLE_SAFE = pow2(1000);

/** Bit length of a > 0. */
export function bitLength(a: bigint): number {
  let shift = 0;
  while (a >= DOUBLE_SAFE) { a >>= 960n; shift += 960; }
  let l = Math.floor(Math.log2(Number(a))) + 1;
  // Number(a) may round up to a power of two, and log2 near one may round either way
  if (a < pow2(l - 1)) l--;
  else if (a >= pow2(l)) l++;
  return l + shift;
}

export interface BinaryField extends Field<BF> {
  /** bits of the significand */
  readonly bits: number;
}

const cache = new Map<number, BinaryField>();

/**
 * Significand bits for the precision of Decimal(digits): 2^-bits ≤ ½·10^(1−digits), its unit roundoff (and at least
 * 64 bits). Not more: the guard on the margins' roundoff (flows/run.ts) must stop a binary run where Decimal(digits),
 * in which its states are reported and measured, stops resolving them.
 */
export function bitsFor(digits: number): number {
  return Math.max(64, Math.ceil((digits - 1) * LOG2_10) + 1);
}

/** The binary field with the precision of Decimal(digits) (bitsFor). */
export function binaryField(digits: number): BinaryField {
  if (!Number.isInteger(digits) || digits < 5 || digits > 100_000) {
    throw new RangeError(`binary precision must be an integer number of digits in [5, 1e5], got ${digits}`);
  }
  let F = cache.get(digits);
  if (!F) {
    F = buildField(digits, bitsFor(digits));
    cache.set(digits, F);
  }
  return F;
}

function buildField(digits: number, P: number): BinaryField {
  const PB = BigInt(P);
  const TOP = pow2(P); // |m| < TOP
  const LOW = pow2(P - 1); // |m| ≥ LOW
  const PRODUCT_HIGH = pow2(2 * P - 1);
  const HALF_P1 = pow2(P - 2); // ½ of 2^(P−1): rounds a shift by P − 1 (LOW = 2^(P−1) rounds a shift by P)
  const P1B = BigInt(P - 1);
  const base = fixedContext(P + GUARD_BITS);
  const Q = Number(base.bits);
  /** digits that identify a value: ⌈bits·log10 2⌉ + 1 */
  const exactDigits = Math.ceil(P * LOG10_2) + 1;
  const Dexact = DecimalJs.clone({ precision: exactDigits, rounding: DecimalJs.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15, toExpNeg: -7, toExpPos: 21 });

  /** m·2^e for an exact (unnormalized) m, rounded to P bits. */
  const normalize = (m: bigint, e: number): BF => {
    if (m === 0n) return ZERO;
    const negative = m < 0n;
    let a = negative ? -m : m;
    const l = bitLength(a);
    if (l > P) {
      const s = l - P;
      a = (a + pow2(s - 1)) >> BigInt(s);
      e += s;
      if (a === TOP) { a = LOW; e++; }
    } else if (l < P) {
      a <<= BigInt(P - l);
      e -= P - l;
    }
    return checked(negative ? -a : a, e);
  };
  /** overflow to ±∞, underflow to 0 */
  const checked = (m: bigint, e: number): BF => {
    if (e > EXP_LIMIT) return m < 0n ? NEG_INF : POS_INF;
    if (e < -EXP_LIMIT) return ZERO;
    return new BinaryFloat(m, e);
  };
  const finite = (a: BF): boolean => Number.isFinite(a.e);
  const sign = (a: BF): -1 | 0 | 1 => (a.m > 0n ? 1 : a.m < 0n ? -1 : 0);

  const ofRational = (num: bigint, den: bigint): BF => {
    if (den === 0n) return num === 0n ? NAN : num > 0n ? POS_INF : NEG_INF;
    if (den < 0n) { num = -num; den = -den; }
    if (num === 0n) return ZERO;
    const a = num < 0n ? -num : num;
    const s = P + 3 - (bitLength(a) - bitLength(den));
    const q = s >= 0 ? (a << BigInt(s)) / den : a / (den << BigInt(-s));
    // a non-zero remainder below the kept bits only matters at an exact tie: make it a non-tie
    const sticky = s >= 0 ? ((a << BigInt(s)) % den !== 0n ? 1n : 0n) : 1n;
    const m = (q << 1n) | sticky;
    return normalize(num < 0n ? -m : m, -s - 1);
  };
  const fromRational = (q: Rational): BF => ofRational(q.num, q.den);

  const numberCache = new Map<number, BF>();
  const of = (x: number | string): BF => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
      let v = numberCache.get(x);
      if (v === undefined) {
        // as decimal.js reads a number: through its shortest decimal string (0.1 is 1/10, not the double)
        const q = qparse(String(x));
        if (!q) throw new RangeError(`not a number: ${x}`);
        v = fromRational(q);
        if (numberCache.size < 4096) numberCache.set(x, v);
      }
      return v;
    }
    const q = qparse(x);
    if (!q) throw new RangeError(`not a number: ${JSON.stringify(x)}`);
    return fromRational(q);
  };

  const toNumber = (a: BF): number => {
    if (a.m === 0n) return Number.isNaN(a.e) ? NaN : 0;
    if (!finite(a)) return a.m > 0n ? Infinity : -Infinity;
    const top = Number(a.m >> BigInt(P - 60)); // |top| ∈ [2^59, 2^60)
    const k = a.e + P - 60;
    const k1 = Math.trunc(k / 2);
    return top * Math.pow(2, k1) * Math.pow(2, k - k1);
  };

  // ---- arithmetic -----------------------------------------------------------------------------------------
  const neg = (a: BF): BF => (a.m === 0n ? a : new BinaryFloat(-a.m, a.e));
  const abs = (a: BF): BF => (a.m < 0n ? new BinaryFloat(-a.m, a.e) : a);

  const mul = (a: BF, b: BF): BF => {
    if (a.m === 0n || b.m === 0n || !finite(a) || !finite(b)) return mulSpecial(a, b);
    const p = a.m * b.m;
    let r: bigint;
    let e = a.e + b.e;
    if (p >= PRODUCT_HIGH || p <= -PRODUCT_HIGH) { r = (p + LOW) >> PB; e += P; } else { r = (p + HALF_P1) >> P1B; e += P - 1; }
    if (r === TOP) { r = LOW; e++; } else if (r === -TOP) { r = -LOW; e++; }
    return checked(r, e);
  };
  const mulSpecial = (a: BF, b: BF): BF => {
    if (Number.isNaN(a.e) || Number.isNaN(b.e)) return NAN;
    const infinite = !finite(a) || !finite(b);
    if (a.m === 0n || b.m === 0n) return infinite ? NAN : ZERO;
    return sign(a) * sign(b) > 0 ? POS_INF : NEG_INF;
  };

  const add = (a: BF, b: BF): BF => {
    if (a.m === 0n && a.e === 0) return b;
    if (b.m === 0n && b.e === 0) return a;
    if (!finite(a) || !finite(b)) {
      if (Number.isNaN(a.e) || Number.isNaN(b.e)) return NAN;
      if (finite(a)) return b;
      if (finite(b)) return a;
      return a.m === b.m ? a : NAN;
    }
    let hi = a;
    let lo = b;
    if (a.e < b.e) { hi = b; lo = a; }
    const d = hi.e - lo.e;
    if (d > P + 1) return hi; // |lo| < ¼ ulp(hi)
    const s = d === 0 ? hi.m + lo.m : (hi.m << BigInt(d)) + lo.m;
    if (s === 0n) return ZERO;
    return normalize(s, lo.e);
  };
  const sub = (a: BF, b: BF): BF => add(a, neg(b));

  const div = (a: BF, b: BF): BF => {
    if (b.m === 0n || a.m === 0n || !finite(a) || !finite(b)) {
      if (Number.isNaN(a.e) || Number.isNaN(b.e)) return NAN;
      if (!finite(b)) return finite(a) ? ZERO : NAN;
      if (b.m === 0n) return a.m === 0n ? NAN : a.m > 0n ? POS_INF : NEG_INF;
      if (a.m === 0n) return ZERO;
      return sign(a) * sign(b) > 0 ? POS_INF : NEG_INF;
    }
    const negative = (a.m < 0n) !== (b.m < 0n);
    const n = (a.m < 0n ? -a.m : a.m) << BigInt(P + 3);
    const d = b.m < 0n ? -b.m : b.m;
    const m = ((n / d) << 1n) | (n % d !== 0n ? 1n : 0n); // a sticky bit: no false ties
    return normalize(negative ? -m : m, a.e - b.e - P - 4);
  };

  const cmp = (a: BF, b: BF): -1 | 0 | 1 => {
    const sa = sign(a);
    const sb = sign(b);
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    if (a.e !== b.e) return (a.e > b.e) === (sa > 0) ? 1 : -1;
    return a.m === b.m ? 0 : a.m > b.m ? 1 : -1;
  };

  const scale = (a: BF, k: number): BF => {
    if (Number.isInteger(k) && Math.abs(k) < 2 ** 53 && finite(a) && a.m !== 0n) {
      return k === 0 ? ZERO : normalize(a.m * BigInt(k), a.e);
    }
    return mul(a, of(k));
  };

  // ---- fixed point ----------------------------------------------------------------------------------------
  /** round(a·2^bits) for finite a */
  const toFixed = (a: BF, bits: number): bigint => {
    const s = a.e + bits;
    if (s >= 0) return a.m << BigInt(s);
    if (s < -P - 2) return 0n;
    return (a.m + pow2(-s - 1)) >> BigInt(-s);
  };
  /** the magnitude of a ≠ 0 as a power of two: 2^(exponentOf(a) − 1) ≤ |a| < 2^exponentOf(a) */
  const exponentOf = (a: BF): number => a.e + P;
  /** a context with absolute precision 2^-(P + GUARD_BITS) relative to a result of the size of a (|a| < 1) */
  const widenedFor = (a: BF) => fixedContext(Q + Math.max(0, -exponentOf(a)) + 4);
  const one = normalize(1n, 0);
  const two = normalize(2n, 0);
  const half = normalize(1n, -1);

  let ln10Value: BF | null = null;
  const ln10 = (): BF => (ln10Value ??= normalize(ln10Wide(base), -Q - Number(LN_EXTRA_BITS)));
  /** e^x beyond this is ∞, e^−x is 0 */
  const EXP_OVERFLOW = EXP_LIMIT * Math.LN2;

  const exp = (x: BF): BF => {
    if (x.m === 0n) return Number.isNaN(x.e) ? NAN : one;
    if (!finite(x)) return x.m > 0n ? POS_INF : ZERO;
    if (exponentOf(x) < -P - 2) return one; // |x| < 2^-(P+2): e^x rounds to 1
    const xd = toNumber(x);
    if (xd > EXP_OVERFLOW) return POS_INF;
    if (xd < -EXP_OVERFLOW) return ZERO;
    const n = Math.round(xd / Math.LN2);
    const R = toFixed(x, Q) - ((BigInt(n) * ln2Wide(base)) >> LN_EXTRA_BITS);
    return normalize(expFixed(base, R), n - Q);
  };

  const expm1 = (a: BF): BF => {
    if (a.m === 0n) return a;
    if (!finite(a)) return a.m > 0n ? POS_INF : neg(one);
    if (exponentOf(a) >= 1) return sub(exp(a), one); // |a| ≥ 1
    if (exponentOf(a) < -P - 4) return a; // a + a²/2 rounds to a
    const ctx = widenedFor(a);
    return normalize(expFixed(ctx, toFixed(a, Number(ctx.bits))) - ctx.one, -Number(ctx.bits));
  };

  /** ln(1 + a) for |a| < 1/2, with the relative precision of the field */
  const log1pSmall = (a: BF): BF => {
    if (a.m === 0n || exponentOf(a) < -P - 4) return a;
    const ctx = widenedFor(a);
    const Fx = ctx.one + toFixed(a, Number(ctx.bits));
    return normalize(lnFixed(ctx, Fx, Math.log1p(toNumber(a))), -Number(ctx.bits));
  };

  /** ln(M·2^e) for an exact M > 0 whose logarithm is not near 0 (|ln| ≳ 0.4), to 2^-Q absolute */
  const lnExact = (M: bigint, e: number): BF => {
    const l = bitLength(M);
    const k = e + l - 1; // M·2^e = f·2^k, f ∈ [1, 2)
    const Fx = l - 1 <= Q ? M << BigInt(Q - l + 1) : M >> BigInt(l - 1 - Q);
    const f = Number(Fx >> BigInt(Q - 52)) / 2 ** 52;
    const L = lnFixed(base, Fx, Math.log(f)) + ((BigInt(k) * ln2Wide(base)) >> LN_EXTRA_BITS);
    return normalize(L, -Q);
  };

  const log = (x: BF): BF => {
    if (x.m <= 0n || !finite(x)) {
      if (Number.isNaN(x.e) || x.m < 0n) return NAN;
      return x.m === 0n ? NEG_INF : POS_INF;
    }
    const approx = Math.log(Number(x.m >> BigInt(P - 53)) / 2 ** 52) + (x.e + P - 1) * Math.LN2;
    if (Math.abs(approx) < 0.5) return log1pSmall(sub(x, one)); // x ≈ 1: x − 1 is exact
    return lnExact(x.m, x.e);
  };

  const log1p = (a: BF): BF => {
    if (a.m === 0n || !finite(a)) return a.m === 0n ? a : a.m > 0n ? POS_INF : NAN;
    if (exponentOf(a) <= -1) return log1pSmall(a); // |a| < 1/2
    // 1 + a ≥ 3/2 or ≤ 1/2, formed exactly (rounding it to P bits first would cost up to an ulp of the result)
    if (a.e > 64) return log(add(one, a));
    const Y = a.e >= 0 ? (a.m << BigInt(a.e)) + 1n : a.m + (1n << BigInt(-a.e));
    if (Y <= 0n) return Y === 0n ? NEG_INF : NAN;
    return lnExact(Y, Math.min(a.e, 0));
  };

  const sqrt = (x: BF): BF => {
    if (x.m === 0n) return x;
    if (x.m < 0n) return NAN;
    if (!finite(x)) return x;
    let k = P + 4;
    if ((x.e - k) % 2 !== 0) k++;
    const root = isqrt(x.m << BigInt(k), P + k);
    return normalize(root, (x.e - k) / 2);
  };

  const pow = (a: BF, b: BF): BF => {
    // integer exponents of moderate size by repeated squaring (exact up to the roundings of the products)
    if (finite(b) && b.m !== 0n && b.e >= -P && exponentOf(b) <= 31) {
      const B = toFixed(b, 0);
      if (b.e >= 0 || (B << BigInt(-b.e)) === b.m) {
        let n = B < 0n ? -B : B;
        let result = one;
        let base2 = a;
        while (n > 0n) {
          if (n & 1n) result = mul(result, base2);
          n >>= 1n;
          if (n > 0n) base2 = mul(base2, base2);
        }
        return B < 0n ? div(one, result) : result;
      }
    }
    if (b.m === 0n && b.e === 0) return one;
    return exp(mul(b, log(a)));
  };

  // ---- decimal conversions --------------------------------------------------------------------------------
  /** |a| (finite, non-zero) as mantissa·10^exp10 with at least `nd` + 1 digits in the mantissa (truncated). */
  const decimalOf = (a: BF, nd: number): { mantissa: bigint; exp10: number } => {
    const M = a.m < 0n ? -a.m : a.m;
    const magnitude = Math.floor((a.e + P) * LOG10_2); // ≈ ⌊log10 |a|⌋, within 1
    const k = nd + 2 - magnitude; // mantissa = ⌊|a|·10^k⌋ has nd + 1 to nd + 3 digits
    if (Math.abs(a.e) <= DIRECT_EXP2) {
      let N: bigint;
      if (k >= 0) { const t = M * pow10(k); N = a.e >= 0 ? t << BigInt(a.e) : t >> BigInt(-a.e); } else {
        N = a.e >= 0 ? (M << BigInt(a.e)) / pow10(-k) : M / (pow10(-k) << BigInt(-a.e));
      }
      return { mantissa: N, exp10: -k };
    }
    // |a| = M·2^e = M·10^(e·log10 2): k10 = ⌊e·log10 2⌋, 10^frac by exp in fixed point
    const ctx = fixedContext(P + 64 + bitLength(BigInt(Math.abs(a.e))));
    const W = ctx.bits;
    const L2 = ln2Wide(ctx) >> LN_EXTRA_BITS;
    const L10 = ln10Wide(ctx) >> LN_EXTRA_BITS;
    const log10of2 = (L2 << W) / L10;
    const t = BigInt(a.e) * log10of2;
    const k10 = t >> W;
    const frac = t - (k10 << W);
    const E = expFixed(ctx, (frac * L10) >> W); // 10^frac · 2^W
    const j = nd + 2 - Math.floor(P * LOG10_2);
    const ME = M * E;
    const N = j >= 0 ? (ME * pow10(j)) >> W : (ME >> W) / pow10(-j);
    return { mantissa: N, exp10: Number(k10) - j };
  };

  /** The decimal.js value nearest a with the digits that identify it (exactDigits). */
  const toDecimal = (a: BF): DecimalJs => {
    if (a.m === 0n) return new Dexact(Number.isNaN(a.e) ? NaN : 0);
    if (!finite(a)) return new Dexact(a.m > 0n ? Infinity : -Infinity);
    const { mantissa, exp10 } = decimalOf(a, exactDigits + 3);
    return decimalFromParts(Dexact, exactDigits, a.m < 0n, mantissa, exp10);
  };

  const toString = (a: BF): string => toDecimal(a).toString();

  let piValue: BF | null = null;

  const fusedDot = (a: readonly BF[], b: readonly BF[]): BF => {
    const n = a.length;
    let top = -Infinity;
    for (let j = 0; j < n; j++) {
      const x = a[j]!;
      const y = b[j]!;
      if (!finite(x) || !finite(y)) {
        let s = ZERO;
        for (let i = 0; i < n; i++) s = add(s, mul(a[i]!, b[i]!));
        return s;
      }
      if (x.m !== 0n && y.m !== 0n && x.e + y.e > top) top = x.e + y.e;
    }
    if (top === -Infinity) return ZERO;
    // terms more than DOT_WINDOW_BITS below the largest are left out (they change the sum by less than 2^-6644 of
    // that term: far below the roundoff of summing in the field)
    const floor = top - Math.max(DOT_WINDOW_BITS, 2 * P + 64);
    let low = Infinity;
    for (let j = 0; j < n; j++) {
      const x = a[j]!;
      const y = b[j]!;
      if (x.m !== 0n && y.m !== 0n) { const e = x.e + y.e; if (e >= floor && e < low) low = e; }
    }
    let sum = 0n;
    for (let j = 0; j < n; j++) {
      const x = a[j]!;
      const y = b[j]!;
      if (x.m === 0n || y.m === 0n) continue;
      const e = x.e + y.e;
      if (e < floor) continue;
      sum += e === low ? x.m * y.m : (x.m * y.m) << BigInt(e - low);
    }
    return sum === 0n ? ZERO : normalize(sum, low);
  };

  const epsilon = normalize(1n, -P);

  return {
    kind: 'binary',
    digits,
    bits: P,
    log10UnitRoundoff: -P * LOG10_2,
    log10MinPositive: -EXP_LIMIT * LOG10_2,
    log10MaxFinite: EXP_LIMIT * LOG10_2,
    zero: ZERO,
    one,
    two,
    half,
    of,
    fromRational,
    epsilon: () => epsilon,
    ln10,
    pi: () => (piValue ??= of(DecimalJs.clone({ precision: exactDigits + 5 }).acos(-1).toString())),
    toNumber,
    toString,
    toPrecision: (a, sig) => toDecimal(a).toSignificantDigits(sig).toString(),
    add,
    sub,
    mul,
    div,
    neg,
    abs,
    sqrt,
    exp,
    log,
    log10: (a) => div(log(a), ln10()),
    expm1,
    log1p,
    sinh: (a) => scale(sub(expm1(a), expm1(neg(a))), 0.5),
    cosh: (a) => scale(add(exp(a), exp(neg(a))), 0.5),
    pow,
    scale,
    cmp,
    sign,
    lt: (a, b) => cmp(a, b) < 0,
    gt: (a, b) => cmp(a, b) > 0,
    max: (a, b) => (cmp(a, b) >= 0 ? a : b),
    min: (a, b) => (cmp(a, b) <= 0 ? a : b),
    isZero: (a) => a.m === 0n && a.e === 0,
    isFinite: finite,
    fusedDot,
  };
}

