/**
 * Small dense linear algebra over any Field: row-major S[][] matrices.
 * LU with partial pivoting (used by the implicit integrators and the SVM solvers).
 */
import type { Field } from './Field.js';

export type Matrix<S> = S[][];

export function zeros<S>(F: Field<S>, rows: number, cols: number): Matrix<S> {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => F.zero));
}

export function identity<S>(F: Field<S>, n: number): Matrix<S> {
  const I = zeros(F, n, n);
  for (let i = 0; i < n; i++) I[i]![i] = F.one;
  return I;
}

export function matVec<S>(F: Field<S>, A: Matrix<S>, x: readonly S[]): S[] {
  return A.map((row) => {
    let s = F.zero;
    for (let j = 0; j < row.length; j++) s = F.add(s, F.mul(row[j]!, x[j]!));
    return s;
  });
}

export function matMul<S>(F: Field<S>, A: Matrix<S>, B: Matrix<S>): Matrix<S> {
  const n = A.length;
  const k = B.length;
  const m = k === 0 ? 0 : B[0]!.length;
  const C = zeros(F, n, m);
  for (let i = 0; i < n; i++) {
    const Ai = A[i]!;
    const Ci = C[i]!;
    for (let l = 0; l < k; l++) {
      const a = Ai[l]!;
      if (F.isZero(a)) continue;
      const Bl = B[l]!;
      for (let j = 0; j < m; j++) Ci[j] = F.add(Ci[j]!, F.mul(a, Bl[j]!));
    }
  }
  return C;
}

export function transpose<S>(A: Matrix<S>): Matrix<S> {
  if (A.length === 0) return [];
  return A[0]!.map((_, j) => A.map((row) => row[j]!));
}

export interface LU<S> {
  readonly lu: Matrix<S>;
  readonly perm: number[];
  /** True when a pivot was exactly zero. */
  readonly singular: boolean;
}

/** LU factorization with partial pivoting, PA = LU. */
export function luFactor<S>(F: Field<S>, A: Matrix<S>): LU<S> {
  const n = A.length;
  const lu = A.map((r) => r.slice());
  const perm = Array.from({ length: n }, (_, i) => i);
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = F.abs(lu[k]![k]!);
    for (let i = k + 1; i < n; i++) {
      const v = F.abs(lu[i]![k]!);
      if (F.gt(v, best)) { best = v; p = i; }
    }
    if (F.isZero(best)) { singular = true; continue; }
    if (p !== k) {
      [lu[k], lu[p]] = [lu[p]!, lu[k]!];
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
    }
    const pivot = lu[k]![k]!;
    const rowK = lu[k]!;
    for (let i = k + 1; i < n; i++) {
      const rowI = lu[i]!;
      const f = F.div(rowI[k]!, pivot);
      rowI[k] = f;
      if (F.isZero(f)) continue;
      for (let j = k + 1; j < n; j++) rowI[j] = F.sub(rowI[j]!, F.mul(f, rowK[j]!));
    }
  }
  return { lu, perm, singular };
}

/** Solve A x = b from its LU factorization. */
export function luSolve<S>(F: Field<S>, f: LU<S>, b: readonly S[]): S[] {
  if (f.singular) throw new RangeError('luSolve: singular matrix');
  const n = f.lu.length;
  const x: S[] = f.perm.map((p) => b[p] as S);
  for (let i = 0; i < n; i++) {
    const row = f.lu[i]!;
    let s: S = x[i] as S;
    for (let j = 0; j < i; j++) s = F.sub(s, F.mul(row[j]!, x[j]!));
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = f.lu[i]!;
    let s: S = x[i] as S;
    for (let j = i + 1; j < n; j++) s = F.sub(s, F.mul(row[j]!, x[j]!));
    x[i] = F.div(s, row[i]!);
  }
  return x;
}

/** A⁻¹ from its (non-singular) LU factorization: the solutions for the unit vectors, as columns. */
export function luInverse<S>(F: Field<S>, f: LU<S>): Matrix<S> {
  return transpose(identity(F, f.lu.length).map((e) => luSolve(F, f, e)));
}

export function solve<S>(F: Field<S>, A: Matrix<S>, b: readonly S[]): S[] {
  return luSolve(F, luFactor(F, A), b);
}
