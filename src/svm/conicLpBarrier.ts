/**
 * Primal log-barrier path following for the ℓp SVM with p ≥ 2 (SPEC.md §5 `lp`), over any Field:
 *
 *   min_w  φ_t(w) = t·(1/p)‖w‖_p^p − Σ_k log(⟨a_k, w⟩ − 1),   t → ∞.
 *
 * For p ≥ 2 the objective is C² (Hessian (p−1)|w|^{p−2} ≥ 0), so damped Newton is globally convergent
 * from any strictly feasible w, whatever the dynamic range of the solution (the dual map |M|^{q−1}
 * with q < 2 is not: see conicLpKkt.ts). On the central path λ_k = 1/(t·s_k), s = A w − 1, is dual
 * feasible for the smooth dual and the objective gap is ≤ m/t; the KKT Newton of conicLpKkt.ts then
 * polishes from a point whose active set is already clear.
 */
import type { Field } from '../numeric/Field.js';
import { luFactor, luSolve } from '../numeric/linalg.js';

export interface LpBarrierRun<S> {
  readonly w: S[];
  readonly lambda: S[];
  readonly t: S;
  readonly newtonSteps: number;
  readonly stop: 'target' | 'stagnation' | 'max-newton';
}

function slacks<S>(F: Field<S>, A: readonly (readonly S[])[], w: readonly S[]): S[] {
  return A.map((row) => {
    let s = F.zero;
    for (let j = 0; j < w.length; j++) s = F.add(s, F.mul(row[j]!, w[j]!));
    return F.sub(s, F.one);
  });
}

/** (1/p)‖w‖_p^p */
function powerSum<S>(F: Field<S>, w: readonly S[], p: S): S {
  let s = F.zero;
  for (const x of w) if (!F.isZero(x)) s = F.add(s, F.pow(F.abs(x), p));
  return F.div(s, p);
}

/** φ_t(w') − φ_t(w), with the log terms as log1p of relative slack changes (no cancellation). */
function change<S>(F: Field<S>, t: S, p: S, w: readonly S[], s: readonly S[], w2: readonly S[], s2: readonly S[]): S | null {
  let c = F.mul(t, F.sub(powerSum(F, w2, p), powerSum(F, w, p)));
  for (let k = 0; k < s.length; k++) {
    if (F.sign(s2[k]!) <= 0) return null;
    c = F.sub(c, F.log1p(F.div(F.sub(s2[k]!, s[k]!), s[k]!)));
  }
  return c;
}

/**
 * Path following from a strictly feasible w0 (every ⟨a_k, w0⟩ > 1); stops when m/t ≤ relGap·(1/p)‖w‖_p^p
 * or when centring stalls at the roundoff floor.
 */
export function lpBarrier<S>(
  F: Field<S>, A: readonly (readonly S[])[], p: S, w0: S[], opts: { relGap: S; maxNewton: number; growth: number },
): LpBarrierRun<S> {
  const m = A.length;
  const N = w0.length;
  const pm1 = F.sub(p, F.one);
  const pm2 = F.sub(p, F.two);
  let w = w0.slice();
  let s = slacks(F, A, w);
  const mS = F.of(m);
  let t = F.div(mS, F.max(powerSum(F, w, p), F.epsilon()));
  let steps = 0;
  const decTol = F.of('1e-12');
  for (;;) {
    let centred = false;
    for (let inner = 0; inner < 100 && steps < opts.maxNewton; inner++) {
      const inv = s.map((x) => F.div(F.one, x));
      const grad = w.map((x, j) => {
        const gx = F.isZero(x) ? F.zero : F.mul(F.mul(t, F.pow(F.abs(x), pm1)), F.of(F.sign(x)));
        let b = F.zero;
        for (let k = 0; k < m; k++) b = F.add(b, F.mul(A[k]![j]!, inv[k]!));
        return F.sub(gx, b);
      });
      const H = Array.from({ length: N }, (_, a) => Array.from({ length: N }, (_, b) => {
        let h = F.zero;
        for (let k = 0; k < m; k++) h = F.add(h, F.mul(F.mul(A[k]![a]!, A[k]![b]!), F.mul(inv[k]!, inv[k]!)));
        if (a === b && !F.isZero(w[a]!)) h = F.add(h, F.mul(F.mul(t, pm1), F.pow(F.abs(w[a]!), pm2)));
        return h;
      }));
      let scale = F.zero;
      for (let a = 0; a < N; a++) scale = F.max(scale, H[a]![a]!);
      for (let a = 0; a < N; a++) H[a]![a] = F.add(H[a]![a]!, F.mul(scale, F.scale(F.epsilon(), 16)));
      const lu = luFactor(F, H);
      if (lu.singular) break;
      const dw = luSolve(F, lu, grad.map((g) => F.neg(g)));
      let dec2 = F.zero;
      dw.forEach((x, j) => { dec2 = F.sub(dec2, F.mul(x, grad[j]!)); });
      steps++;
      if (!F.gt(dec2, decTol)) { centred = true; break; }
      let alpha = F.one;
      let moved = false;
      for (let ls = 0; ls < 60; ls++) {
        const w2 = w.map((x, j) => F.add(x, F.mul(alpha, dw[j]!)));
        const s2 = slacks(F, A, w2);
        const c = change(F, t, p, w, s, w2, s2);
        if (c !== null && !F.gt(c, F.neg(F.mul(F.mul(alpha, dec2), F.of('0.25'))))) { w = w2; s = s2; moved = true; break; }
        alpha = F.mul(alpha, F.half);
      }
      if (!moved) { if (!F.gt(dec2, F.of('0.01'))) centred = true; break; }
    }
    const lambda = s.map((x) => F.div(F.one, F.mul(t, x)));
    if (!centred) return { w, lambda, t, newtonSteps: steps, stop: steps >= opts.maxNewton ? 'max-newton' : 'stagnation' };
    if (!F.gt(F.div(mS, t), F.mul(opts.relGap, powerSum(F, w, p)))) return { w, lambda, t, newtonSteps: steps, stop: 'target' };
    t = F.scale(t, opts.growth);
  }
}
