/**
 * Gradients of L (SPEC.md §2): −∇_W L = Σ c_{i,t} A_{i,t}, in scaled form so that nothing underflows:
 * a `Scaled` value v stands for e^{logScale}·v, with logScale = max log|c| (the scaled entries are O(1)).
 */
import type { Field } from '../numeric/Field.js';
import type { AttentionEval } from './attention.js';
import type { AttentionProblem } from './problem.js';

export interface Scaled<T, S> {
  readonly logScale: S;
  readonly value: T;
}

/** The largest log|c_{i,t}| (the common scale), or null when every c is 0. */
export function weightScale<S>(F: Field<S>, ev: AttentionEval<S>): S | null {
  let m: S | null = null;
  for (const c of ev.c) if (c.sign !== 0 && (m === null || F.gt(c.log, m))) m = c.log;
  return m;
}

/** c_{i,t} e^{−logScale}, per constraint. */
export function scaledWeights<S>(F: Field<S>, ev: AttentionEval<S>, logScale: S): S[] {
  return ev.c.map((c) => (c.sign === 0 ? F.zero : F.scale(F.exp(F.sub(c.log, logScale)), c.sign)));
}

/** ∇L with respect to a linear parameter θ whose margins are h_k = ⟨features_k, θ⟩: −Σ c_k features_k. */
export function gradientLinearScaled<S>(P: AttentionProblem<S>, ev: AttentionEval<S>, features: readonly (readonly S[])[], dim: number): Scaled<S[], S> {
  const F = P.F;
  const scale = weightScale(F, ev);
  const g = Array.from({ length: dim }, () => F.zero);
  if (scale === null) return { logScale: F.zero, value: g };
  const cs = scaledWeights(F, ev, scale);
  features.forEach((a, k) => {
    const ck = cs[k]!;
    if (F.isZero(ck)) return;
    for (let j = 0; j < dim; j++) if (!F.isZero(a[j]!)) g[j] = F.sub(g[j]!, F.mul(ck, a[j]!));
  });
  return { logScale: scale, value: g };
}

/** g = ∇_w L for W = diag(w). */
export function gradientDiagScaled<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): Scaled<S[], S> {
  return gradientLinearScaled(P, ev, P.a, P.d);
}

/** G = ∇_W L = −Σ_i (Σ_t c_{i,t}(x_opt − x_t)) z_iᵀ for full W. */
export function gradientFullScaled<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): Scaled<S[][], S> {
  const F = P.F;
  const d = P.d;
  const G = Array.from({ length: d }, () => Array.from({ length: d }, () => F.zero));
  const scale = weightScale(F, ev);
  if (scale === null) return { logScale: F.zero, value: G };
  const cs = scaledWeights(F, ev, scale);
  for (const blk of P.samples) {
    const v = Array.from({ length: d }, () => F.zero);
    for (let k = blk.start; k < blk.start + blk.count; k++) {
      const ck = cs[k]!;
      if (F.isZero(ck)) continue;
      const l = P.left[k]!;
      for (let p = 0; p < d; p++) v[p] = F.add(v[p]!, F.mul(ck, l[p]!));
    }
    const z = P.right[blk.start]!;
    for (let p = 0; p < d; p++) {
      if (F.isZero(v[p]!)) continue;
      for (let q = 0; q < d; q++) G[p]![q] = F.sub(G[p]![q]!, F.mul(v[p]!, z[q]!));
    }
  }
  return { logScale: scale, value: G };
}

/** e^{logScale}·v as plain values (may underflow to 0 for astronomically small gradients). */
export function unscaleVector<S>(F: Field<S>, s: Scaled<readonly S[], S>): S[] {
  const f = F.exp(s.logScale);
  return s.value.map((x) => F.mul(f, x));
}

export function unscaleMatrix<S>(F: Field<S>, s: Scaled<readonly (readonly S[])[], S>): S[][] {
  const f = F.exp(s.logScale);
  return s.value.map((row) => row.map((x) => F.mul(f, x)));
}

/** vec(A_{i,t}) row-major, the features of full W. */
export function fullFeatures<S>(P: AttentionProblem<S>): S[][] {
  const F = P.F;
  return P.left.map((l, k) => {
    const r = P.right[k]!;
    const out: S[] = [];
    for (const lp of l) for (const rq of r) out.push(F.mul(lp, rq));
    return out;
  });
}
