/**
 * Singular value decomposition over any Field (SPEC.md §5: the nuclear and spectral norms of the `nuclear`
 * SVM and its dual). One-sided (Hestenes) Jacobi: orthogonalize the columns of A by plane rotations.
 * It is simple, needs only + − × ÷ √, and is accurate to working precision in float64 and in Decimal at
 * any number of digits (relative accuracy of small singular values, too).
 *
 * A = U diag(σ) Vᵀ with A m×n, k = min(m, n): U m×k and V n×k with orthonormal columns, σ descending ≥ 0.
 */
import type { Field } from '../numeric/Field.js';
import type { Matrix } from '../numeric/linalg.js';

export interface Svd<S> {
  /** m×k, orthonormal columns (left singular vectors). */
  readonly U: Matrix<S>;
  /** k singular values, descending. */
  readonly sigma: S[];
  /** n×k, orthonormal columns (right singular vectors). */
  readonly V: Matrix<S>;
  /** Jacobi sweeps used. */
  readonly sweeps: number;
}

const MAX_SWEEPS = 80;

/** Thin SVD of a dense m×n matrix (rows of S). */
export function svd<S>(F: Field<S>, A: Matrix<S>): Svd<S> {
  const m = A.length;
  const n = m === 0 ? 0 : A[0]!.length;
  if (m < n) {
    const t = svdTall(F, transposeOf(A), m, n);
    return { U: t.V, sigma: t.sigma, V: t.U, sweeps: t.sweeps };
  }
  return svdTall(F, A, n, m);
}

function transposeOf<S>(A: Matrix<S>): Matrix<S> {
  if (A.length === 0) return [];
  return A[0]!.map((_, j) => A.map((row) => row[j]!));
}

/** Hestenes–Jacobi on a tall matrix (rows ≥ cols = n); columns are stored as arrays. */
function svdTall<S>(F: Field<S>, A: Matrix<S>, n: number, rows: number): Svd<S> {
  const cols: S[][] = Array.from({ length: n }, (_, j) => A.map((r) => r[j]!));
  const vcols: S[][] = Array.from({ length: n }, (_, j) =>
    Array.from({ length: n }, (_, i) => (i === j ? F.one : F.zero)));
  // Rotate a pair while its cosine |γ|/√(αβ) exceeds a few units of roundoff.
  const tol = F.scale(F.epsilon(), Math.max(4, n));
  // Columns at the roundoff level of ‖A‖_F are numerically zero: rotating them only stirs noise
  // (their cosine with other columns never settles), so they are left alone.
  let frob2 = F.zero;
  for (const c of cols) for (const x of c) frob2 = F.add(frob2, F.mul(x, x));
  const negligible = F.mul(frob2, F.mul(F.mul(F.epsilon(), F.epsilon()), F.of(Math.max(4, rows * n))));
  let sweeps = 0;
  for (; sweeps < MAX_SWEEPS; sweeps++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const ci = cols[i]!;
        const cj = cols[j]!;
        let alpha = F.zero;
        let beta = F.zero;
        let gamma = F.zero;
        for (let k = 0; k < rows; k++) {
          alpha = F.add(alpha, F.mul(ci[k]!, ci[k]!));
          beta = F.add(beta, F.mul(cj[k]!, cj[k]!));
          gamma = F.add(gamma, F.mul(ci[k]!, cj[k]!));
        }
        if (F.isZero(gamma)) continue;
        if (!F.gt(alpha, negligible) || !F.gt(beta, negligible)) continue;
        if (!F.gt(F.abs(gamma), F.mul(tol, F.sqrt(F.mul(alpha, beta))))) continue;
        rotated = true;
        const zeta = F.div(F.sub(beta, alpha), F.scale(gamma, 2));
        const root = F.sqrt(F.add(F.one, F.mul(zeta, zeta)));
        const t = F.sign(zeta) >= 0
          ? F.div(F.one, F.add(zeta, root))
          : F.neg(F.div(F.one, F.sub(root, zeta)));
        const c = F.div(F.one, F.sqrt(F.add(F.one, F.mul(t, t))));
        const s = F.mul(c, t);
        rotate(F, ci, cj, c, s);
        rotate(F, vcols[i]!, vcols[j]!, c, s);
      }
    }
    if (!rotated) break;
  }
  if (sweeps === MAX_SWEEPS) throw new Error(`svd: Jacobi did not converge in ${MAX_SWEEPS} sweeps`);

  // numerically zero columns get σ = 0 and a completed orthonormal U column
  const sig = cols.map((c) => {
    const s = norm2Plain(F, c);
    return F.gt(F.mul(s, s), negligible) ? s : F.zero;
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => F.cmp(sig[b]!, sig[a]!));
  const sigma = order.map((j) => sig[j]!);
  const ucols: (S[] | null)[] = order.map((j) =>
    F.isZero(sig[j]!) ? null : cols[j]!.map((x) => F.div(x, sig[j]!)));
  completeOrthonormal(F, ucols, rows);
  const U: Matrix<S> = Array.from({ length: rows }, (_, r) => ucols.map((c) => c![r]!));
  const V: Matrix<S> = Array.from({ length: n }, (_, r) => order.map((j) => vcols[j]![r]!));
  return { U, sigma, V, sweeps: sweeps + 1 };
}

/** (ci, cj) ← (c·ci − s·cj, s·ci + c·cj), in place. */
function rotate<S>(F: Field<S>, ci: S[], cj: S[], c: S, s: S): void {
  for (let k = 0; k < ci.length; k++) {
    const a = ci[k]!;
    const b = cj[k]!;
    ci[k] = F.sub(F.mul(c, a), F.mul(s, b));
    cj[k] = F.add(F.mul(s, a), F.mul(c, b));
  }
}

function norm2Plain<S>(F: Field<S>, x: readonly S[]): S {
  let s = F.zero;
  for (const v of x) s = F.add(s, F.mul(v, v));
  return F.sqrt(s);
}

/** Replace null columns (zero singular values) by unit vectors orthogonal to all others (Gram–Schmidt, twice). */
function completeOrthonormal<S>(F: Field<S>, cols: (S[] | null)[], rows: number): void {
  let e = 0;
  for (let j = 0; j < cols.length; j++) {
    if (cols[j] !== null) continue;
    for (; e < rows; e++) {
      let v: S[] = Array.from({ length: rows }, (_, r) => (r === e ? F.one : F.zero));
      for (let pass = 0; pass < 2; pass++) {
        for (const c of cols) {
          if (c === null) continue;
          let d = F.zero;
          for (let r = 0; r < rows; r++) d = F.add(d, F.mul(c[r]!, v[r]!));
          v = v.map((x, r) => F.sub(x, F.mul(d, c[r]!)));
        }
      }
      const nv = norm2Plain(F, v);
      if (F.gt(nv, F.half)) {
        cols[j] = v.map((x) => F.div(x, nv));
        e++;
        break;
      }
    }
    if (cols[j] === null) throw new Error('svd: could not complete an orthonormal basis');
  }
}

/** Spectral norm ‖A‖₂ = σ_max (the dual norm of the nuclear norm, SPEC.md §5). */
export function spectralNorm<S>(F: Field<S>, A: Matrix<S>): S {
  const s = svd(F, A).sigma;
  return s.length === 0 ? F.zero : s[0]!;
}

/** Nuclear norm ‖A‖_* = Σ σ_i. */
export function nuclearNorm<S>(F: Field<S>, A: Matrix<S>): S {
  let t = F.zero;
  for (const s of svd(F, A).sigma) t = F.add(t, s);
  return t;
}
