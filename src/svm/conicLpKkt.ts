/**
 * Primal–dual semismooth Newton on the KKT system of the ℓp SVM (SPEC.md §5 `lp`), for p ≥ 2, over any
 * Field. It complements the dual projected Newton of conicLpNewton.ts, whose duality map
 * w = sign(M)|M|^{q−1} is only Hölder near M_j = 0 when q < 2: there a coordinate with w*_j ≈ 0 is
 * resolved only to |M_j|^{q−1}, while here w is an unknown of a C¹ system.
 *
 *   G₁(w, λ) = ∇ψ(w) − Aᵀλ = 0,  ∇ψ(w) = sign(w)|w|^{p−1}      (stationarity of (1/p)‖w‖_p^p)
 *   G₂(w, λ) = min(λ, A w − 1) = 0                                (complementarity, semismooth)
 *
 * Step on the predicted active set S = {k : λ_k > ⟨a_k, w⟩ − 1}: λ_k → 0 off S, and
 *   [ D  −A_Sᵀ ] [dw ]   [ −(∇ψ(w) − A_Sᵀλ_S) ]
 *   [ A_S  δI  ] [dλ_S] = [ 1 − A_S w          ],   D = diag((p−1)|w|^{p−2}) + εI,
 * with tiny ε, δ keeping the matrix nonsingular; backtracking on the merit ½‖ΩG‖², where Ω scales each
 * stationarity row by 1/max(|∇ψ(w)_j|, |M_j|) (relative residuals: entries of M can span many decades
 * and absolute residuals would stall at the roundoff of the largest). Row scaling leaves the Newton step unchanged.
 */
import type { Field } from '../numeric/Field.js';
import { luFactor, luSolve } from '../numeric/linalg.js';

export interface LpKktState<S> {
  readonly w: S[];
  readonly lambda: S[];
  /** M = Aᵀλ */
  readonly M: S[];
  /** ½‖G‖² */
  readonly merit: S;
}

export interface LpKktRun<S> {
  readonly state: LpKktState<S>;
  readonly iterations: number;
  readonly stop: 'target' | 'stagnation' | 'max-iterations';
}

function state<S>(F: Field<S>, A: readonly (readonly S[])[], pm1: S, w: S[], lambda: S[]): LpKktState<S> & { g1: S[]; g2: S[]; slack: S[] } {
  const N = w.length;
  const M: S[] = Array.from({ length: N }, () => F.zero);
  lambda.forEach((l, k) => { if (!F.isZero(l)) A[k]!.forEach((a, j) => { M[j] = F.add(M[j]!, F.mul(l, a)); }); });
  const g1 = w.map((x, j) => {
    const gx = F.isZero(x) ? F.zero : (F.sign(x) < 0 ? F.neg(F.pow(F.abs(x), pm1)) : F.pow(x, pm1));
    return F.sub(gx, M[j]!);
  });
  const slack = A.map((row) => {
    let s = F.zero;
    for (let j = 0; j < N; j++) s = F.add(s, F.mul(row[j]!, w[j]!));
    return F.sub(s, F.one);
  });
  const g2 = lambda.map((l, k) => F.min(l, slack[k]!));
  let merit = F.zero;
  for (const x of g1) merit = F.add(merit, F.mul(x, x));
  for (const x of g2) merit = F.add(merit, F.mul(x, x));
  return { w, lambda, M, merit: F.mul(merit, F.half), g1, g2, slack };
}

export function lpKktNewton<S>(
  F: Field<S>, A: readonly (readonly S[])[], p: S, w0: S[], lambda0: S[],
  opts: { maxIterations: number; done: (st: LpKktState<S>) => boolean },
): LpKktRun<S> {
  const m = A.length;
  const N = w0.length;
  const pm1 = F.sub(p, F.one);
  const pm2 = F.sub(p, F.two);
  const reg = F.mul(F.epsilon(), F.of(16));
  let st = state(F, A, pm1, w0, lambda0);
  for (let it = 0; it < opts.maxIterations; it++) {
    if (opts.done(st)) return { state: st, iterations: it, stop: 'target' };
    const S: number[] = [];
    for (let k = 0; k < m; k++) if (F.gt(st.lambda[k]!, st.slack[k]!)) S.push(k);
    const n = N + S.length;
    const K: S[][] = Array.from({ length: n }, () => Array.from({ length: n }, () => F.zero));
    let scale = F.zero;
    for (let j = 0; j < N; j++) {
      const x = F.abs(st.w[j]!);
      const dj = F.isZero(x) ? (F.isZero(pm2) ? pm1 : F.zero) : F.mul(pm1, F.pow(x, pm2));
      K[j]![j] = dj;
      scale = F.max(scale, dj);
    }
    if (F.isZero(scale)) scale = F.one;
    for (let j = 0; j < N; j++) K[j]![j] = F.add(K[j]![j]!, F.mul(reg, scale));
    const rhs: S[] = [];
    // first block: −(∇ψ(w) − A_Sᵀλ_S) = −(g1 + Σ_{k∉S} λ_k a_k)
    const offS = st.lambda.map((l, k) => (S.includes(k) ? F.zero : l));
    for (let j = 0; j < N; j++) {
      let r: S = st.g1[j] as S;
      offS.forEach((l, k) => { if (!F.isZero(l)) r = F.add(r, F.mul(l, A[k]![j]!)); });
      rhs.push(F.neg(r));
    }
    S.forEach((k, s) => {
      for (let j = 0; j < N; j++) {
        K[j]![N + s] = F.neg(A[k]![j]!);
        K[N + s]![j] = A[k]![j]!;
      }
      K[N + s]![N + s] = F.mul(reg, F.one);
      rhs.push(F.neg(st.slack[k]!));
    });
    const lu = luFactor(F, K);
    if (lu.singular) return { state: st, iterations: it, stop: 'stagnation' };
    const sol = luSolve(F, lu, rhs);
    const dw = sol.slice(0, N);
    const dl: S[] = st.lambda.map((l) => F.neg(l));
    S.forEach((k, s) => { dl[k] = sol[N + s]!; });
    let mMax = F.zero;
    for (const x of st.M) mMax = F.max(mMax, F.abs(x));
    const floor = F.mul(mMax, F.of('1e-8'));
    const omega = st.g1.map((g, j) => {
      const big = F.max(F.max(F.abs(F.add(g, st.M[j]!)), F.abs(st.M[j]!)), floor);
      return F.isZero(big) ? F.one : F.div(F.one, big);
    });
    const weighted = (x: { g1: S[]; g2: S[] }): S => {
      let v = F.zero;
      x.g1.forEach((g, j) => { const y = F.mul(g, omega[j]!); v = F.add(v, F.mul(y, y)); });
      for (const g of x.g2) v = F.add(v, F.mul(g, g));
      return v;
    };
    let alpha = F.one;
    let next: ReturnType<typeof state<S>> | null = null;
    for (let ls = 0; ls < 60; ls++) {
      const cand = state(F, A, pm1,
        st.w.map((x, j) => F.add(x, F.mul(alpha, dw[j]!))),
        st.lambda.map((l, k) => F.max(F.zero, F.add(l, F.mul(alpha, dl[k]!)))));
      const factor = F.sub(F.one, F.mul(alpha, F.of('1e-4')));
      // accept on either merit: relative (weighted) residuals or plain ½‖G‖²
      if (F.lt(weighted(cand), F.mul(weighted(st), factor)) || F.lt(cand.merit, F.mul(st.merit, factor))) { next = cand; break; }
      alpha = F.mul(alpha, F.half);
    }
    if (next === null) return { state: st, iterations: it, stop: 'stagnation' };
    st = next;
  }
  return { state: st, iterations: opts.maxIterations, stop: opts.done(st) ? 'target' : 'max-iterations' };
}
