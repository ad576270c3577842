/**
 * The smooth dual of the entrywise ℓp SVM (SPEC.md §5, `lp`), solved by projected Newton (Bertsekas 1982)
 * over any Field.
 *
 * Primal  min (1/p)‖w‖_p^p  s.t.  A w ≥ 1           (same minimizer as min ‖w‖_p)
 * Dual    min_{λ≥0} f(λ) = (1/q)‖Aᵀλ‖_q^q − 1ᵀλ,    1/p + 1/q = 1,
 * with the primal recovered by the ℓq → ℓp duality map w(λ) = sign(M)|M|^{q−1}, M = Aᵀλ.
 * Gradient ∇f = A w(λ) − 1 (the primal margins minus one), Hessian A diag((q−1)|M|^{q−2}) Aᵀ.
 * At the optimum λ ⊥ (A w − 1) ≥ 0 (complementary slackness) and w(λ) is the SVM solution itself.
 *
 * A is m×N, restricted by the caller to the columns that are not identically zero (other w_j are 0).
 */
import type { Field } from '../numeric/Field.js';
import { luFactor, luSolve } from '../numeric/linalg.js';

export interface LpDualPoint<S> {
  readonly lambda: S[];
  /** M = Aᵀλ */
  readonly M: S[];
  /** w = sign(M)|M|^{q−1} */
  readonly w: S[];
  /** f(λ) */
  readonly f: S;
  /** ∇f = A w − 1 */
  readonly g: S[];
  /** Hessian weights (q−1)|M_j|^{q−2} (capped where M_j ≈ 0 and q < 2). */
  readonly D: S[];
}

export interface LpDualOptions<S> {
  readonly maxIterations: number;
  /** Stop when this returns true (e.g. the certified relative gap is small enough). */
  readonly done: (pt: LpDualPoint<S>) => boolean;
}

export interface LpDualRun<S> {
  readonly point: LpDualPoint<S>;
  readonly iterations: number;
  /** why the iteration stopped */
  readonly stop: 'target' | 'stagnation' | 'max-iterations';
}

/** Evaluate f, ∇f, the duality map and the Hessian weights at λ. */
export function lpDualPoint<S>(F: Field<S>, A: readonly (readonly S[])[], q: S, lambda: S[]): LpDualPoint<S> {
  const m = A.length;
  const N = m === 0 ? 0 : A[0]!.length;
  const qm1 = F.sub(q, F.one);
  const qm2 = F.sub(q, F.two);
  const M: S[] = Array.from({ length: N }, () => F.zero);
  for (let k = 0; k < m; k++) {
    const l = lambda[k]!;
    if (F.isZero(l)) continue;
    const row = A[k]!;
    for (let j = 0; j < N; j++) M[j] = F.add(M[j]!, F.mul(l, row[j]!));
  }
  let maxAbs = F.zero;
  for (const x of M) maxAbs = F.max(maxAbs, F.abs(x));
  const floor = F.mul(maxAbs, F.of('1e-12'));
  const qBelow2 = F.sign(qm2) < 0;
  const w: S[] = [];
  const D: S[] = [];
  let sumq = F.zero;
  for (let j = 0; j < N; j++) {
    const a = F.abs(M[j]!);
    if (F.isZero(a)) {
      w.push(F.zero);
      if (qBelow2) D.push(F.isZero(floor) ? F.one : F.mul(qm1, F.pow(floor, qm2)));
      else D.push(F.isZero(qm2) ? qm1 : F.zero);
      continue;
    }
    const aq1 = F.pow(a, qm1); // |M|^{q−1}
    w.push(F.sign(M[j]!) < 0 ? F.neg(aq1) : aq1);
    sumq = F.add(sumq, F.mul(aq1, a));
    if (qBelow2 && F.lt(a, floor)) D.push(F.mul(qm1, F.pow(floor, qm2)));
    else D.push(F.mul(qm1, F.div(aq1, a)));
  }
  let sumL = F.zero;
  for (const l of lambda) sumL = F.add(sumL, l);
  const f = F.sub(F.div(sumq, q), sumL);
  const g = A.map((row) => {
    let s = F.zero;
    for (let j = 0; j < N; j++) s = F.add(s, F.mul(row[j]!, w[j]!));
    return F.sub(s, F.one);
  });
  return { lambda, M, w, f, g, D };
}

/**
 * λ₀ on the ray through `direction` (≥ 0) minimizing f: f(sλ) = s^q‖Aᵀλ‖_q^q/q − s·1ᵀλ, so
 * s^{q−1} = 1ᵀλ / ‖Aᵀλ‖_q^q.
 */
export function lpDualStart<S>(F: Field<S>, A: readonly (readonly S[])[], q: S, direction: S[]): S[] {
  const pt = lpDualPoint(F, A, q, direction);
  let sumL = F.zero;
  for (const l of direction) sumL = F.add(sumL, l);
  let sumq = F.zero;
  pt.M.forEach((x, j) => { sumq = F.add(sumq, F.mul(F.abs(x), F.abs(pt.w[j]!))); });
  if (F.isZero(sumq)) return direction;
  const s = F.pow(F.div(sumL, sumq), F.div(F.one, F.sub(q, F.one)));
  return direction.map((l) => F.mul(l, s));
}

/** Projected Newton with an Armijo search along the projection arc. */
export function lpDualNewton<S>(
  F: Field<S>, A: readonly (readonly S[])[], q: S, lambda0: S[], opts: LpDualOptions<S>,
): LpDualRun<S> {
  const m = A.length;
  const N = m === 0 ? 0 : A[0]!.length;
  const sigma = F.of('1e-4');
  const tiny = F.mul(F.epsilon(), F.of(100));
  let pt = lpDualPoint(F, A, q, lambda0.map((l) => F.max(l, F.zero)));
  for (let it = 0; it < opts.maxIterations; it++) {
    if (opts.done(pt)) return { point: pt, iterations: it, stop: 'target' };
    const { lambda, g, D } = pt;
    // projected-gradient size sets the width of the "nearly active" band (Bertsekas' ε_k)
    let pg = F.zero;
    for (let k = 0; k < m; k++) pg = F.max(pg, F.abs(F.min(lambda[k]!, g[k]!)));
    const band = F.min(pg, F.of('1e-3'));
    const free: number[] = [];
    const bound: number[] = [];
    for (let k = 0; k < m; k++) {
      if (!F.gt(lambda[k]!, band) && F.sign(g[k]!) > 0) bound.push(k);
      else free.push(k);
    }
    // Newton direction on the free set: (H_FF + ρI) d = −g_F, ρ shrinking with the gradient (LM).
    const nf = free.length;
    const H: S[][] = Array.from({ length: nf }, () => Array.from({ length: nf }, () => F.zero));
    for (let a = 0; a < nf; a++) {
      const ra = A[free[a]!]!;
      for (let b = a; b < nf; b++) {
        const rb = A[free[b]!]!;
        let s = F.zero;
        for (let j = 0; j < N; j++) {
          if (F.isZero(ra[j]!) || F.isZero(rb[j]!)) continue;
          s = F.add(s, F.mul(F.mul(ra[j]!, rb[j]!), D[j]!));
        }
        H[a]![b] = s;
        H[b]![a] = s;
      }
    }
    let maxDiag = F.zero;
    for (let a = 0; a < nf; a++) maxDiag = F.max(maxDiag, H[a]![a]!);
    let gF = F.zero;
    for (const k of free) gF = F.max(gF, F.abs(g[k]!));
    // Marquardt scaling (ρ relative to each diagonal entry: the λ_k may differ by many orders of
    // magnitude), plus a tiny absolute floor for zero rows; raised only if the matrix is singular.
    let rel = F.max(tiny, F.min(F.of('1e-6'), gF));
    const floorAbs = F.isZero(maxDiag) ? F.one : F.mul(maxDiag, tiny);
    let dF: S[] | null = null;
    for (let tries = 0; tries < 20 && dF === null; tries++) {
      const Hr = H.map((row, a) => row.map((x, b) => (a === b ? F.add(x, F.add(F.mul(x, rel), floorAbs)) : x)));
      const lu = luFactor(F, Hr);
      if (!lu.singular) {
        const sol = luSolve(F, lu, free.map((k) => F.neg(g[k]!)));
        if (sol.every((x) => F.isFinite(x))) dF = sol;
      }
      rel = F.scale(rel, 100);
    }
    if (dF === null) return { point: pt, iterations: it, stop: 'stagnation' };
    const dir: S[] = Array.from({ length: m }, () => F.zero);
    free.forEach((k, a) => { dir[k] = dF![a]!; });
    for (const k of bound) dir[k] = F.neg(lambda[k]!);
    // Armijo along the arc α ↦ P(λ + α d).
    let alpha = F.one;
    let next: LpDualPoint<S> | null = null;
    for (let ls = 0; ls < 80; ls++) {
      const trial = lambda.map((l, k) => F.max(F.zero, F.add(l, F.mul(alpha, dir[k]!))));
      let pred = F.zero;
      for (const k of free) pred = F.sub(pred, F.mul(F.mul(alpha, g[k]!), dir[k]!));
      for (const k of bound) pred = F.add(pred, F.mul(g[k]!, F.sub(lambda[k]!, trial[k]!)));
      const cand = lpDualPoint(F, A, q, trial);
      const decrease = F.sub(pt.f, cand.f);
      if (F.gt(decrease, F.zero) && !F.lt(decrease, F.mul(sigma, pred))) { next = cand; break; }
      // Near the optimum f changes below its roundoff while the KKT residual (first order) still
      // shrinks quadratically: accept a step that halves the natural residual within f's noise.
      const noise = F.mul(F.scale(F.epsilon(), 1000), F.add(F.abs(pt.f), F.one));
      if (!F.gt(F.abs(decrease), noise) && F.lt(F.scale(naturalResidual(F, cand), 2), naturalResidual(F, pt))) {
        next = cand;
        break;
      }
      alpha = F.mul(alpha, F.half);
    }
    if (next === null) return { point: pt, iterations: it, stop: 'stagnation' };
    pt = next;
  }
  return { point: pt, iterations: opts.maxIterations, stop: opts.done(pt) ? 'target' : 'max-iterations' };
}

/** max_k |min(λ_k, ∇f_k)|: zero exactly at a KKT point of min_{λ≥0} f. */
export function naturalResidual<S>(F: Field<S>, pt: LpDualPoint<S>): S {
  let r = F.zero;
  pt.lambda.forEach((l, k) => { r = F.max(r, F.abs(F.min(l, pt.g[k]!))); });
  return r;
}
