/** Rational → decimal string at the working precision (SvmResult numbers, SPEC.md §5 / CONTRACT.md). */
import { decimalField } from '../numeric/decimal.js';
import type { Rational } from '../numeric/rational.js';

export const DEFAULT_SVM_DIGITS = 50;

export function decimalString(q: Rational, digits: number): string {
  const F = decimalField(digits);
  return F.toString(F.fromRational(q));
}

export function decimalStrings(qs: readonly Rational[], digits: number): string[] {
  return qs.map((q) => decimalString(q, digits));
}

/** A JS number as a decimal string (for float-only, uncertified values). */
export function floatString(x: number): string {
  return Number.isFinite(x) ? String(x) : 'NaN';
}
