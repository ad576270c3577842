/**
 * A number backend: the arithmetic every numeric layer of attnbias is written against.
 *
 * Three implementations exist: `float64Field` (IEEE doubles), `decimalField(digits)` (decimal.js with an
 * explicit precision context; no global precision is ever read or set) and `binaryField(digits)` (a BigInt
 * significand of Decimal(digits)'s precision: the arithmetic of Decimal flows, binaryFloat.ts).
 * Values of one field must not be mixed with values of another.
 *
 * Comparisons return booleans or a sign; there is deliberately no `equals`: computed reals are compared
 * with tolerances derived from `log10UnitRoundoff` (see DEVELOPERS guide, "Standards").
 */
import type { Rational } from './rational.js';

export type FieldKind = 'float64' | 'decimal' | 'binary';

export interface Field<S> {
  readonly kind: FieldKind;
  /** Working precision in significant decimal digits (≈15.95 for float64). */
  readonly digits: number;
  /** log10 of the unit roundoff u (2^-53 for float64, ½·10^(1-digits) for Decimal). */
  readonly log10UnitRoundoff: number;
  /** Smallest log10 of a positive normal value the backend can hold (≈ -307.65 for float64). */
  readonly log10MinPositive: number;
  /** Largest log10 of a finite value (≈ 308.25 for float64). */
  readonly log10MaxFinite: number;

  readonly zero: S;
  readonly one: S;
  readonly two: S;
  readonly half: S;

  /** A JS number, a decimal string ("-2e-3") or a rational string ("1/3"); strings are exact up to rounding to the working precision. */
  of(x: number | string): S;
  fromRational(q: Rational): S;
  /** The unit roundoff as a value of this field. */
  epsilon(): S;
  /** ln 10 and π at working precision. */
  ln10(): S;
  pi(): S;

  toNumber(a: S): number;
  /** Full working precision, a decimal string that `of` reads back to the same value. */
  toString(a: S): string;
  /** Shortened decimal string with `sig` significant digits (for display). */
  toPrecision(a: S, sig: number): string;

  add(a: S, b: S): S;
  sub(a: S, b: S): S;
  mul(a: S, b: S): S;
  div(a: S, b: S): S;
  neg(a: S): S;
  abs(a: S): S;
  sqrt(a: S): S;
  exp(a: S): S;
  /** Natural logarithm; log(0) = -Infinity for float64 and is an error for Decimal. */
  log(a: S): S;
  log10(a: S): S;
  /** exp(a) - 1 without cancellation near 0. */
  expm1(a: S): S;
  /** log(1 + a) without cancellation near 0. */
  log1p(a: S): S;
  sinh(a: S): S;
  cosh(a: S): S;
  /** a^b for a > 0, or integer b. */
  pow(a: S, b: S): S;
  /** a * k for a small integer or JS number k (exact when k is an integer). */
  scale(a: S, k: number): S;

  /** Sign of a - b: -1, 0 or 1. */
  cmp(a: S, b: S): -1 | 0 | 1;
  sign(a: S): -1 | 0 | 1;
  lt(a: S, b: S): boolean;
  gt(a: S, b: S): boolean;
  max(a: S, b: S): S;
  min(a: S, b: S): S;
  isZero(a: S): boolean;
  isFinite(a: S): boolean;

  /**
   * Σ_j a_j b_j accumulated exactly and rounded once (Decimal: decimalDot.ts). Optional: without it `dot`
   * sums in the field.
   */
  fusedDot?(a: readonly S[], b: readonly S[]): S;
}

/** Sum of a list. */
export function sum<S>(F: Field<S>, xs: readonly S[]): S {
  let s = F.zero;
  for (const x of xs) s = F.add(s, x);
  return s;
}

/** Dot product of two equal-length vectors (the backend's fused dot product when it has one). */
export function dot<S>(F: Field<S>, a: readonly S[], b: readonly S[]): S {
  if (F.fusedDot) return F.fusedDot(a, b);
  let s = F.zero;
  for (let j = 0; j < a.length; j++) s = F.add(s, F.mul(a[j]!, b[j]!));
  return s;
}

export function normInf<S>(F: Field<S>, a: readonly S[]): S {
  let m = F.zero;
  for (const x of a) m = F.max(m, F.abs(x));
  return m;
}

export function norm1<S>(F: Field<S>, a: readonly S[]): S {
  let s = F.zero;
  for (const x of a) s = F.add(s, F.abs(x));
  return s;
}

/** Euclidean norm, scaled by the largest entry so that it neither overflows nor underflows. */
export function norm2<S>(F: Field<S>, a: readonly S[]): S {
  const m = normInf(F, a);
  if (F.isZero(m)) return F.zero;
  const inv = F.div(F.one, m);
  let s = F.zero;
  for (const x of a) {
    const y = F.mul(x, inv);
    s = F.add(s, F.mul(y, y));
  }
  return F.mul(m, F.sqrt(s));
}
