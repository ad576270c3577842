/**
 * Cholesky factorization over any Field, used as the positive-definiteness test and solver of the
 * nuclear-norm barrier (SPEC.md §5 `nuclear`): S = L Lᵀ exists iff S ≻ 0 (numerically: every pivot > 0).
 */
import type { Field } from '../numeric/Field.js';
import type { Matrix } from '../numeric/linalg.js';

/** Lower-triangular L with S = L Lᵀ, or null when a pivot is ≤ 0 (S not positive definite). */
export function cholesky<S>(F: Field<S>, A: Matrix<S>): Matrix<S> | null {
  const n = A.length;
  const L: Matrix<S> = Array.from({ length: n }, () => Array.from({ length: n }, () => F.zero));
  for (let j = 0; j < n; j++) {
    let s: S = A[j]![j] as S;
    for (let k = 0; k < j; k++) s = F.sub(s, F.mul(L[j]![k]!, L[j]![k]!));
    if (F.sign(s) <= 0) return null;
    const ljj = F.sqrt(s);
    L[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t: S = A[i]![j] as S;
      for (let k = 0; k < j; k++) t = F.sub(t, F.mul(L[i]![k]!, L[j]![k]!));
      L[i]![j] = F.div(t, ljj);
    }
  }
  return L;
}

/** Solve L Lᵀ x = b. */
export function choleskySolve<S>(F: Field<S>, L: Matrix<S>, b: readonly S[]): S[] {
  const n = L.length;
  const y: S[] = [];
  for (let i = 0; i < n; i++) {
    let s: S = b[i] as S;
    for (let k = 0; k < i; k++) s = F.sub(s, F.mul(L[i]![k]!, y[k]!));
    y.push(F.div(s, L[i]![i]!));
  }
  const x: S[] = Array.from({ length: n }, () => F.zero);
  for (let i = n - 1; i >= 0; i--) {
    let s: S = y[i] as S;
    for (let k = i + 1; k < n; k++) s = F.sub(s, F.mul(L[k]![i]!, x[k]!));
    x[i] = F.div(s, L[i]![i]!);
  }
  return x;
}

/** log det(L Lᵀ) = 2 Σ log L_ii. */
export function choleskyLogDet<S>(F: Field<S>, L: Matrix<S>): S {
  let s = F.zero;
  for (let i = 0; i < L.length; i++) s = F.add(s, F.log(L[i]![i]!));
  return F.scale(s, 2);
}

/** The inverse (L Lᵀ)⁻¹, column by column. */
export function choleskyInverse<S>(F: Field<S>, L: Matrix<S>): Matrix<S> {
  const n = L.length;
  const cols = Array.from({ length: n }, (_, j) =>
    choleskySolve(F, L, Array.from({ length: n }, (_, i) => (i === j ? F.one : F.zero))));
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}
