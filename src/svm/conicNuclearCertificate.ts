/**
 * Primal candidates and the weak-duality certificate of the nuclear-norm SVM (SPEC.md §5 `nuclear`, §6).
 *
 * Candidates for W, from a dual point λ (M = Σλ_k A_k, SVD M = U Σ Vᵀ):
 *  - the barrier primal W_t = (2/t) M (I − MᵀM)⁻¹ (strictly feasible on the central path);
 *  - for r = 1..d, W = U_r Z V_rᵀ with Z = Zᵀ solved (least squares / least norm) from the equalities
 *    ⟨A_k, W⟩ = 1 of the active constraints (λ_k ≫ 1/t). When U_r, V_r span the singular vectors with
 *    σ = 1 and Z ⪰ 0, M is a subgradient of ‖·‖_* at W and W is optimal (SPEC.md §5 optimality).
 * Certificate of a candidate: W̃ = W / min margin, nudged until every margin ≥ 1 *exactly* (rationals);
 * λ̃ = λ / ‖M‖₂ (SVD in the field, shrunk by a few ulps until ‖M(λ̃)‖₂ ≤ 1);
 * gap = ‖W̃‖_* − 1ᵀλ̃ ≥ 0 by weak duality.
 */
import type { Field } from '../numeric/Field.js';
import type { Matrix } from '../numeric/linalg.js';
import { luFactor, luSolve } from '../numeric/linalg.js';
import { type Rational, Q0, Q1, qcmp, qdot, qmax, qsub } from '../numeric/rational.js';
import { svd } from './svd.js';
import { exactValue } from './conicData.js';
import { dualMatrix, type NuclearData } from './conicNuclearBarrier.js';

export interface NuclearCertificate<S> {
  readonly W: Matrix<S>;
  readonly lambda: S[];
  readonly primalObjective: S;
  readonly dualObjective: S;
  readonly gap: S;
  readonly relativeGap: S;
  readonly primalInfeasibility: Rational;
  readonly dualInfeasibility: S;
  /** which candidate produced W */
  readonly source: string;
}

function margin<S>(F: Field<S>, W: Matrix<S>, l: readonly S[], r: readonly S[]): S {
  let s = F.zero;
  for (let a = 0; a < l.length; a++) {
    if (F.isZero(l[a]!)) continue;
    let t = F.zero;
    for (let b = 0; b < r.length; b++) t = F.add(t, F.mul(W[a]![b]!, r[b]!));
    s = F.add(s, F.mul(l[a]!, t));
  }
  return s;
}

/** The rescaled dual point λ̃ with ‖M(λ̃)‖₂ ≤ 1 in the field, and the final spectral norm. */
export function feasibleDual<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[]): { lambda: S[]; spectral: S } {
  const shrink = F.add(F.one, F.scale(F.epsilon(), 4));
  let lt = lambda.map((l) => F.max(l, F.zero));
  let spectral = F.zero;
  for (let tries = 0; tries < 60; tries++) {
    const s = svd(F, dualMatrix(F, data, lt)).sigma[0]!;
    spectral = s;
    if (!F.gt(s, F.one) && tries > 0) break;
    if (F.isZero(s)) break;
    lt = lt.map((l) => F.div(l, F.mul(s, shrink)));
  }
  return { lambda: lt, spectral };
}

/** A primal candidate made exactly feasible: W̃ = W / min margin (nudged until all margins ≥ 1 in Q). */
export interface CertifiedPrimal<S> {
  readonly W: Matrix<S>;
  readonly objective: S;
  readonly primalInfeasibility: Rational;
  /** margins ⟨A_k, W̃⟩ in the field */
  readonly margins: S[];
  readonly source: string;
}

export function certifyPrimal<S>(
  F: Field<S>, data: NuclearData<S>, rowsQ: readonly (readonly Rational[])[], W: Matrix<S>, source: string,
): CertifiedPrimal<S> | null {
  const scaled = scalePrimal(F, data, W);
  if (scaled === null) return null;
  return exactlyFeasible(F, data, rowsQ, scaled, source);
}

/** W / min margin and its nuclear norm, in the field only (cheap screening of candidates). */
export function scalePrimal<S>(F: Field<S>, data: NuclearData<S>, W: Matrix<S>): { W: Matrix<S>; objective: S } | null {
  let hmin: S | null = null;
  data.left.forEach((l, k) => { const h = margin(F, W, l, data.right[k]!); hmin = hmin === null ? h : F.min(hmin, h); });
  if (hmin === null || F.sign(hmin) <= 0) return null;
  const Wt = W.map((row) => row.map((x) => F.div(x, hmin!)));
  let objective = F.zero;
  for (const s of svd(F, Wt).sigma) objective = F.add(objective, s);
  return { W: Wt, objective };
}

/** Nudge a scaled candidate until every margin of its reported decimal strings is ≥ 1 in Q. */
export function exactlyFeasible<S>(
  F: Field<S>, data: NuclearData<S>, rowsQ: readonly (readonly Rational[])[], scaled: { W: Matrix<S>; objective: S }, source: string,
): CertifiedPrimal<S> {
  let Wt = scaled.W;
  let objective = scaled.objective;
  // nudge factors 1 + 8u·2^k: a few ulps first, growing geometrically so that any deficit is covered
  let step = F.scale(F.epsilon(), 8);
  let minMargin = Q0;
  for (let tries = 0; tries < 60; tries++) {
    const wq = Wt.flatMap((row) => row.map((x) => exactValue(F, x)));
    minMargin = rowsQ.map((r) => qdot(r, wq)).reduce((a, b) => (qcmp(a, b) <= 0 ? a : b));
    if (qcmp(minMargin, Q1) >= 0) break;
    const bump = F.add(F.one, step);
    Wt = Wt.map((row) => row.map((x) => F.mul(x, bump)));
    objective = F.mul(objective, bump);
    step = F.scale(step, 2);
  }
  if (Wt !== scaled.W) {
    objective = F.zero;
    for (const s of svd(F, Wt).sigma) objective = F.add(objective, s);
  }
  const margins = data.left.map((l, k) => margin(F, Wt, l, data.right[k]!));
  return { W: Wt, objective, primalInfeasibility: qmax(Q0, qsub(Q1, minMargin)), margins, source };
}

/** Combine the best certified primal and the best feasible dual into one weak-duality certificate. */
export function combineCertificate<S>(
  F: Field<S>, primal: CertifiedPrimal<S>, dual: { lambda: S[]; spectral: S; source: string },
): NuclearCertificate<S> {
  let dualObj = F.zero;
  for (const l of dual.lambda) dualObj = F.add(dualObj, l);
  const gap = F.sub(primal.objective, dualObj);
  return {
    W: primal.W, lambda: dual.lambda, primalObjective: primal.objective, dualObjective: dualObj, gap,
    relativeGap: F.div(gap, primal.objective),
    primalInfeasibility: primal.primalInfeasibility,
    dualInfeasibility: F.max(F.zero, F.sub(dual.spectral, F.one)),
    source: `primal from ${primal.source}, dual from ${dual.source}`,
  };
}

/**
 * Dual candidates refitted on a top-r singular subspace: on the active set S, the λ_S closest to the
 * barrier λ (regularized least squares) with M(λ_S) V_r = U_r and M(λ_S)ᵀ U_r = V_r — the KKT condition
 * that U_r, V_r are singular vectors of M with σ = 1. Negative entries are clipped; the caller rescales
 * to ‖M‖₂ ≤ 1. The barrier λ is off by O(1/t); this projection removes the first-order error.
 */
export function subspaceDuals<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[], active: readonly number[]): { lambda: S[]; r: number }[] {
  const d = data.d;
  if (active.length === 0) return [];
  const { U, sigma, V } = svd(F, dualMatrix(F, data, lambda));
  const out: { lambda: S[]; r: number }[] = [];
  const x0 = active.map((k) => lambda[k]!);
  for (let r = 1; r <= nearOne(F, sigma); r++) {
    // (M V_r)_{ib} = Σ_k λ_k ℓ_k[i] (r_k·V_b);  (Mᵀ U_r)_{jb} = Σ_k λ_k r_k[j] (ℓ_k·U_b)
    const rv = active.map((k) => Array.from({ length: r }, (_, b) => { let s = F.zero; for (let i = 0; i < d; i++) s = F.add(s, F.mul(V[i]![b]!, data.right[k]![i]!)); return s; }));
    const lu = active.map((k) => Array.from({ length: r }, (_, b) => { let s = F.zero; for (let i = 0; i < d; i++) s = F.add(s, F.mul(U[i]![b]!, data.left[k]![i]!)); return s; }));
    const B: S[][] = [];
    const c: S[] = [];
    for (let i = 0; i < d; i++) for (let b = 0; b < r; b++) {
      B.push(active.map((k, s) => F.mul(data.left[k]![i]!, rv[s]![b]!)));
      c.push(U[i]![b]!);
      B.push(active.map((k, s) => F.mul(data.right[k]![i]!, lu[s]![b]!)));
      c.push(V[i]![b]!);
    }
    const x = closestSolution(F, B, c, x0);
    if (x === null) continue;
    const lam: S[] = lambda.map(() => F.zero);
    active.forEach((k, s) => { lam[k] = F.max(F.zero, x[s]!); });
    out.push({ lambda: lam, r });
  }
  return out;
}

/** argmin ‖Bx − c‖² + ε‖x − x₀‖² with ε tiny: the least-squares solution nearest x₀. */
function closestSolution<S>(F: Field<S>, B: S[][], c: S[], x0: S[]): S[] | null {
  const n = x0.length;
  const N: S[][] = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => {
    let s = F.zero;
    for (const row of B) s = F.add(s, F.mul(row[a]!, row[b]!));
    return s;
  }));
  let scale = F.zero;
  for (let a = 0; a < n; a++) scale = F.max(scale, N[a]![a]!);
  if (F.isZero(scale)) return null;
  const eps = F.mul(scale, F.mul(F.epsilon(), F.of(64)));
  const rhs = Array.from({ length: n }, (_, a) => {
    let s = F.mul(eps, x0[a]!);
    B.forEach((row, i) => { s = F.add(s, F.mul(row[a]!, c[i]!)); });
    return s;
  });
  for (let a = 0; a < n; a++) N[a]![a] = F.add(N[a]![a]!, eps);
  const f = luFactor(F, N);
  if (f.singular) return null;
  return luSolve(F, f, rhs);
}

/** Primal candidates W = U_r Z V_rᵀ, r = 1..d, from a guess of the active constraints. */
export function subspacePrimals<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[], active: readonly number[]): { W: Matrix<S>; r: number }[] {
  const d = data.d;
  if (active.length === 0) return [];
  const { U, sigma, V } = svd(F, dualMatrix(F, data, lambda));
  const out: { W: Matrix<S>; r: number }[] = [];
  for (let r = 1; r <= nearOne(F, sigma); r++) {
    const pairs: [number, number][] = [];
    for (let a = 0; a < r; a++) for (let b = a; b < r; b++) pairs.push([a, b]);
    const B: S[][] = active.map((k) => {
      const ut = Array.from({ length: r }, (_, a) => { let s = F.zero; for (let i = 0; i < d; i++) s = F.add(s, F.mul(U[i]![a]!, data.left[k]![i]!)); return s; });
      const vt = Array.from({ length: r }, (_, a) => { let s = F.zero; for (let i = 0; i < d; i++) s = F.add(s, F.mul(V[i]![a]!, data.right[k]![i]!)); return s; });
      return pairs.map(([a, b]) => (a === b ? F.mul(ut[a]!, vt[a]!) : F.add(F.mul(ut[a]!, vt[b]!), F.mul(ut[b]!, vt[a]!))));
    });
    const z = leastSquares(F, B, active.map(() => F.one));
    if (z === null) continue;
    const Z: Matrix<S> = Array.from({ length: r }, () => Array.from({ length: r }, () => F.zero));
    pairs.forEach(([a, b], s) => { Z[a]![b] = z[s]!; Z[b]![a] = z[s]!; });
    const W: Matrix<S> = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
      let s = F.zero;
      for (let a = 0; a < r; a++) {
        if (F.isZero(U[i]![a]!)) continue;
        let t2 = F.zero;
        for (let b = 0; b < r; b++) t2 = F.add(t2, F.mul(Z[a]![b]!, V[j]![b]!));
        s = F.add(s, F.mul(U[i]![a]!, t2));
      }
      return s;
    }));
    out.push({ W, r });
  }
  return out;
}

/** Least squares (rows ≥ cols) or least norm (rows < cols) solution of B z = c, lightly regularized. */
function leastSquares<S>(F: Field<S>, B: S[][], c: S[]): S[] | null {
  const rows = B.length;
  const cols = B[0]!.length;
  const reg = F.mul(F.epsilon(), F.of(64));
  if (rows >= cols) {
    const N: S[][] = Array.from({ length: cols }, (_, a) => Array.from({ length: cols }, (_, b) => {
      let s = F.zero;
      for (let i = 0; i < rows; i++) s = F.add(s, F.mul(B[i]![a]!, B[i]![b]!));
      return s;
    }));
    let scale = F.zero;
    for (let a = 0; a < cols; a++) scale = F.max(scale, N[a]![a]!);
    for (let a = 0; a < cols; a++) N[a]![a] = F.add(N[a]![a]!, F.mul(reg, scale));
    const lu = luFactor(F, N);
    if (lu.singular) return null;
    return luSolve(F, lu, Array.from({ length: cols }, (_, a) => { let s = F.zero; for (let i = 0; i < rows; i++) s = F.add(s, F.mul(B[i]![a]!, c[i]!)); return s; }));
  }
  const N: S[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: rows }, (_, j) => {
    let s = F.zero;
    for (let a = 0; a < cols; a++) s = F.add(s, F.mul(B[i]![a]!, B[j]![a]!));
    return s;
  }));
  let scale = F.zero;
  for (let i = 0; i < rows; i++) scale = F.max(scale, N[i]![i]!);
  for (let i = 0; i < rows; i++) N[i]![i] = F.add(N[i]![i]!, F.mul(reg, scale));
  const lu = luFactor(F, N);
  if (lu.singular) return null;
  const y = luSolve(F, lu, c);
  return Array.from({ length: cols }, (_, a) => { let s = F.zero; for (let i = 0; i < rows; i++) s = F.add(s, F.mul(B[i]![a]!, y[i]!)); return s; });
}

/**
 * Guesses of the active set from a barrier point: {k : λ_k t ≥ 10^s} (on the central path λ_k t is
 * 1/slack_k), for a few s, and {k : ⟨A_k, W_t⟩ − 1 ≤ 10^{-s}}; duplicates removed.
 */
export function activeSetGuesses<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[], t: S, W: Matrix<S>): number[][] {
  const sets = new Map<string, number[]>();
  const add = (set: number[]): void => { if (set.length > 0) sets.set(set.join(','), set); };
  for (const s of [1, 2, 3, 5, 7]) {
    const big = F.of(`1e${s}`);
    add(lambda.map((l, k) => (F.lt(F.mul(l, t), big) ? -1 : k)).filter((k) => k >= 0));
    const small = F.of(`1e-${s}`);
    add(data.left.map((l, k) => (F.gt(F.sub(margin(F, W, l, data.right[k]!), F.one), small) ? -1 : k)).filter((k) => k >= 0));
  }
  return [...sets.values()];
}

/** How many singular values are ≥ σ_max/2: the optimal support lies among the directions with σ ≈ σ_max. */
function nearOne<S>(F: Field<S>, sigma: readonly S[]): number {
  if (sigma.length === 0) return 0;
  const half = F.mul(sigma[0]!, F.half);
  return Math.max(1, sigma.filter((s) => !F.lt(s, half)).length);
}
