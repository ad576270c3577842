/**
 * The weak-duality certificate of the entrywise ℓp SVM (SPEC.md §5, §6), evaluated in a Field.
 *
 * From any λ ≥ 0 with M = Aᵀλ ≠ 0:
 *  - primal point w̃ = w(λ)/min_k⟨a_k, w(λ)⟩, then nudged up until every margin is ≥ 1 *exactly*
 *    (margins recomputed in rationals from the exact value of each stored entry);
 *  - dual point λ̃ = λ/‖M‖_q, shrunk by a few units of roundoff so that ‖Aᵀλ̃‖_q ≤ 1 in the field;
 *  - gap = ‖w̃‖_p − 1ᵀλ̃ ≥ 0 by weak duality (OPT lies in [1ᵀλ̃, ‖w̃‖_p]).
 */
import type { Field } from '../numeric/Field.js';
import { type Rational, qcmp, qdot, qsub, Q0, Q1, qmax } from '../numeric/rational.js';
import { exactValue } from './conicData.js';

export interface LpCertificate<S> {
  readonly w: S[];
  readonly lambda: S[];
  readonly primalObjective: S;
  readonly dualObjective: S;
  readonly gap: S;
  readonly relativeGap: S;
  /** max(0, 1 − min margin), exact */
  readonly primalInfeasibility: Rational;
  /** max(0, ‖Aᵀλ̃‖_q − 1) in the field */
  readonly dualInfeasibility: S;
  readonly minMargin: Rational;
}

/** ‖x‖_r = (Σ|x_j|^r)^{1/r}, scaled by max|x_j| against overflow. */
export function lpNorm<S>(F: Field<S>, x: readonly S[], r: S): S {
  let mx = F.zero;
  for (const v of x) mx = F.max(mx, F.abs(v));
  if (F.isZero(mx)) return F.zero;
  let s = F.zero;
  for (const v of x) {
    if (F.isZero(v)) continue;
    s = F.add(s, F.pow(F.div(F.abs(v), mx), r));
  }
  return F.mul(mx, F.pow(s, F.div(F.one, r)));
}

function fieldMargins<S>(F: Field<S>, A: readonly (readonly S[])[], w: readonly S[]): S[] {
  return A.map((row) => {
    let s = F.zero;
    for (let j = 0; j < row.length; j++) s = F.add(s, F.mul(row[j]!, w[j]!));
    return s;
  });
}

/** Cheap field-only relative gap (for stopping rules): (‖w̃‖_p − 1ᵀλ̃)/‖w̃‖_p, or null when undefined. */
export function lpRelativeGap<S>(F: Field<S>, A: readonly (readonly S[])[], p: S, q: S, lambda: readonly S[], M: readonly S[], w: readonly S[]): S | null {
  const h = fieldMargins(F, A, w);
  let hmin: S | null = null;
  for (const x of h) hmin = hmin === null ? x : F.min(hmin, x);
  if (hmin === null || F.sign(hmin) <= 0) return null;
  const nq = lpNorm(F, M, q);
  if (F.isZero(nq)) return null;
  const primal = F.div(lpNorm(F, w, p), hmin);
  let sumL = F.zero;
  for (const l of lambda) sumL = F.add(sumL, l);
  const dual = F.div(sumL, nq);
  return F.div(F.sub(primal, dual), primal);
}

/**
 * The full certificate. `rows` are the exact constraint vectors over the same columns as A;
 * returns null when w(λ) has no positive margin (λ too far from optimal to certify anything).
 */
export function lpCertificate<S>(
  F: Field<S>, rows: readonly (readonly Rational[])[], A: readonly (readonly S[])[], p: S, q: S,
  lambda: readonly S[], M: readonly S[], w: readonly S[],
): LpCertificate<S> | null {
  const h = fieldMargins(F, A, w);
  let hmin: S | null = null;
  for (const x of h) hmin = hmin === null ? x : F.min(hmin, x);
  if (hmin === null || F.sign(hmin) <= 0) return null;
  let wt = w.map((x) => F.div(x, hmin!));
  // exact primal feasibility: every ⟨a_k, w̃⟩ ≥ 1 in Q
  // nudge factors 1 + 8u·2^k: a few ulps first, growing geometrically so that any deficit is covered
  let step = F.scale(F.epsilon(), 8);
  let minMargin = Q0;
  for (let tries = 0; tries < 60; tries++) {
    const wq = wt.map((x) => exactValue(F, x));
    minMargin = rows.map((r) => qdot(r, wq)).reduce((a, b) => (qcmp(a, b) <= 0 ? a : b));
    if (qcmp(minMargin, Q1) >= 0) break;
    const bump = F.add(F.one, step);
    wt = wt.map((x) => F.mul(x, bump));
    step = F.scale(step, 2);
  }
  const primalInfeasibility = qmax(Q0, qsub(Q1, minMargin));
  // dual feasibility: ‖Aᵀλ̃‖_q ≤ 1 in the field
  const nq = lpNorm(F, M, q);
  const shrink = F.add(F.one, F.scale(F.epsilon(), 4));
  let lt = lambda.map((l) => F.div(l, F.mul(nq, shrink)));
  let dualNorm = F.zero;
  for (let tries = 0; tries < 60; tries++) {
    const Mt: S[] = M.map(() => F.zero);
    lt.forEach((l, k) => { if (!F.isZero(l)) A[k]!.forEach((a, j) => { Mt[j] = F.add(Mt[j]!, F.mul(l, a)); }); });
    dualNorm = lpNorm(F, Mt, q);
    if (!F.gt(dualNorm, F.one)) break;
    lt = lt.map((l) => F.div(l, F.mul(dualNorm, shrink)));
  }
  const primalObjective = lpNorm(F, wt, p);
  let dualObjective = F.zero;
  for (const l of lt) dualObjective = F.add(dualObjective, l);
  const gap = F.sub(primalObjective, dualObjective);
  return {
    w: wt, lambda: lt, primalObjective, dualObjective, gap,
    relativeGap: F.div(gap, primalObjective),
    primalInfeasibility,
    dualInfeasibility: F.max(F.zero, F.sub(dualNorm, F.one)),
    minMargin,
  };
}

