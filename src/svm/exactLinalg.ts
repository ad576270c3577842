/**
 * Exact linear algebra over Q for the SVM certificates (SPEC.md §5): integer-preserving (Bareiss)
 * elimination on systems whose rows are first scaled to integers, so no gcd is taken inside the
 * elimination; solutions come back as integer numerators over one common denominator.
 */
import { type Rational, Q0, rat, qadd, qmul } from '../numeric/rational.js';

const abs = (a: bigint): bigint => (a < 0n ? -a : a);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a); b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** Scale a rational vector to integers: v = ints / scale with scale > 0 the lcm of the denominators. */
export function toIntegerVector(v: readonly Rational[]): { ints: bigint[]; scale: bigint } {
  let L = 1n;
  for (const x of v) L = lcm(L, x.den);
  return { ints: v.map((x) => x.num * (L / x.den)), scale: L };
}

/** An exact solution x = num / den (den ≠ 0, sign carried by den). */
export interface IntSolution {
  readonly num: bigint[];
  readonly den: bigint;
}

export function intSolutionToRationals(s: IntSolution): Rational[] {
  return s.num.map((x) => rat(x, s.den));
}

/**
 * Solve the square integer system M x = b (several right-hand sides) by Bareiss elimination with row
 * pivoting. Returns null when M is singular. Solution c is X[c] / det, with det = ±det(M) ≠ 0.
 */
export function solveIntegerSquare(M: readonly (readonly bigint[])[], rhs: readonly (readonly bigint[])[]): { det: bigint; X: bigint[][] } | null {
  const n = M.length;
  const k = rhs.length;
  // augmented matrix [M | b_1 … b_k]
  const a: bigint[][] = M.map((row, i) => [...row, ...rhs.map((b) => b[i]!)]);
  let prev = 1n;
  for (let p = 0; p < n; p++) {
    let piv = p;
    while (piv < n && a[piv]![p] === 0n) piv++;
    if (piv === n) return null;
    if (piv !== p) { [a[p], a[piv]] = [a[piv]!, a[p]!]; }
    const rp = a[p]!;
    const app = rp[p]!;
    for (let i = p + 1; i < n; i++) {
      const ri = a[i]!;
      const aip = ri[p]!;
      for (let j = p + 1; j < n + k; j++) ri[j] = (app * ri[j]! - aip * rp[j]!) / prev;
      ri[p] = 0n;
    }
    prev = app;
  }
  // prev = det of the row-permuted M (= ±det M); back substitution yields integer numerators over it
  const X: bigint[][] = [];
  for (let c = 0; c < k; c++) {
    const x = new Array<bigint>(n).fill(0n);
    // solve upper-triangular U x = y with x_i = num_i / prev exactly
    for (let i = n - 1; i >= 0; i--) {
      const ri = a[i]!;
      let s = ri[n + c]! * prev;
      for (let j = i + 1; j < n; j++) s -= ri[j]! * x[j]!;
      x[i] = s / ri[i]!; // exact by Cramer's rule
    }
    X.push(x);
  }
  return { det: prev, X };
}

/** Solve the square rational system M x = b exactly; null if singular. */
export function solveRationalSquare(M: readonly (readonly Rational[])[], b: readonly Rational[]): Rational[] | null {
  const rows = M.map((row, i) => toIntegerVector([...row, b[i]!]).ints);
  const Mi = rows.map((r) => r.slice(0, -1));
  const bi = rows.map((r) => r[r.length - 1]!);
  const s = solveIntegerSquare(Mi, [bi]);
  if (!s) return null;
  return s.X[0]!.map((x) => rat(x, s.det));
}

/**
 * Indices of a maximal linearly independent subset of the given rational vectors, chosen greedily in
 * the given order (exact, incremental elimination).
 */
export function independentSubset(vectors: readonly (readonly Rational[])[], order?: readonly number[], limit = Infinity): number[] {
  const idx = order ?? vectors.map((_, i) => i);
  const basis: { pivot: number; row: bigint[] }[] = [];
  const chosen: number[] = [];
  for (const i of idx) {
    if (chosen.length >= limit) break;
    let v = toIntegerVector(vectors[i]!).ints;
    for (const b of basis) {
      const c = v[b.pivot]!;
      if (c === 0n) continue;
      const bp = b.row[b.pivot]!;
      v = v.map((x, j) => x * bp - c * b.row[j]!);
      const g = v.reduce((acc, x) => gcd(acc, x), 0n);
      if (g > 1n) v = v.map((x) => x / g);
    }
    const p = v.findIndex((x) => x !== 0n);
    if (p >= 0) { basis.push({ pivot: p, row: v }); chosen.push(i); }
  }
  return chosen;
}

/** Rank of a list of rational vectors. */
export function rank(vectors: readonly (readonly Rational[])[]): number {
  return independentSubset(vectors).length;
}

/**
 * A solution of the (possibly non-square) rational system M x = b, or null when inconsistent:
 * independent rows and columns are selected exactly, the square core solved, free variables set to 0,
 * and the whole system checked.
 */
export function solveRationalConsistent(M: readonly (readonly Rational[])[], b: readonly Rational[]): Rational[] | null {
  const nCols = M[0]?.length ?? 0;
  const rowsSel = independentSubset(M);
  if (rowsSel.length === 0) return b.every((x) => x.num === 0n) ? new Array<Rational>(nCols).fill(Q0) : null;
  const sub = rowsSel.map((i) => M[i]!);
  const cols = independentSubset(transpose(sub));
  const core = sub.map((row) => cols.map((j) => row[j]!));
  const xc = solveRationalSquare(core, rowsSel.map((i) => b[i]!));
  if (!xc) return null;
  const x = new Array<Rational>(nCols).fill(Q0);
  cols.forEach((j, k) => { x[j] = xc[k]!; });
  for (let i = 0; i < M.length; i++) {
    const row = M[i]!;
    let s = Q0;
    for (let j = 0; j < nCols; j++) if (x[j]!.num !== 0n) s = qadd(s, qmul(row[j]!, x[j]!));
    if (s.num !== b[i]!.num || s.den !== b[i]!.den) return null;
  }
  return x;
}

export function transpose<T>(M: readonly (readonly T[])[]): T[][] {
  const r = M.length;
  const c = M[0]?.length ?? 0;
  const out: T[][] = [];
  for (let j = 0; j < c; j++) {
    const col: T[] = [];
    for (let i = 0; i < r; i++) col.push(M[i]![j]!);
    out.push(col);
  }
  return out;
}

/** Rows scaled to integers: row k = ints_k / scale_k (scale_k > 0, not necessarily minimal). */
export interface IntegerRows {
  readonly ints: readonly (readonly bigint[])[];
  readonly scale: readonly bigint[];
}

export function integerRows(a: readonly (readonly Rational[])[]): IntegerRows {
  const conv = a.map(toIntegerVector);
  return { ints: conv.map((c) => c.ints), scale: conv.map((c) => c.scale) };
}

/** Row k of integer rows as rationals. */
export function rationalRow(rows: IntegerRows, k: number): Rational[] {
  return rows.ints[k]!.map((x) => rat(x, rows.scale[k]!));
}
