/**
 * Hessian of L in a linear parameter θ (margins h_k = ⟨f_k, θ⟩; f_k = a_{i,t} for diagonal W,
 * vec A_{i,t} for full W), needed by the implicit integrators (SPEC.md §8). Per sample i,
 * with G_i = Σ_t c_t f_t, f̄_i = Σ_{t≠opt} s_t f_t, κ_i = (1/n)(−ℓ'(γ̄_i)), ρ_i = ℓ''(γ̄_i)/(n κ_i²):
 *
 *   ∇²L = Σ_i [ ρ_i G_i G_iᵀ + Σ_t c_t f_t f_tᵀ − G_i f̄_iᵀ − f̄_i G_iᵀ ].
 *
 * (From ∂γ̄/∂θ = Σ_t s_t(γ̄ − γ_t) f_t and the softmax Jacobian; verified against finite differences in
 * properties/model/hessian.test.ts.) Returned scaled by e^{−logScale}, the scale of the gradient.
 */
import { logSecondDerivative } from './loss.js';
import type { AttentionEval } from './attention.js';
import type { AttentionProblem } from './problem.js';
import { scaledWeights } from './gradient.js';

export function hessianLinearScaled<S>(
  P: AttentionProblem<S>,
  ev: AttentionEval<S>,
  features: readonly (readonly S[])[],
  dim: number,
  logScale: S,
): S[][] {
  const F = P.F;
  const H = Array.from({ length: dim }, () => Array.from({ length: dim }, () => F.zero));
  const cs = scaledWeights(F, ev, logScale);
  P.samples.forEach((blk, i) => {
    const G = Array.from({ length: dim }, () => F.zero);
    const fbar = Array.from({ length: dim }, () => F.zero);
    for (let k = blk.start; k < blk.start + blk.count; k++) {
      const f = features[k]!;
      const ck = cs[k]!;
      const sk = F.exp(ev.logS[k]!); // may underflow: its terms are then negligible
      for (let p = 0; p < dim; p++) {
        if (F.isZero(f[p]!)) continue;
        G[p] = F.add(G[p]!, F.mul(ck, f[p]!));
        fbar[p] = F.add(fbar[p]!, F.mul(sk, f[p]!));
        if (F.isZero(ck)) continue;
        const cfp = F.mul(ck, f[p]!);
        for (let q = 0; q < dim; q++) if (!F.isZero(f[q]!)) H[p]![q] = F.add(H[p]![q]!, F.mul(cfp, f[q]!));
      }
    }
    // ρ_i e^{logScale}: the G Gᵀ term is quadratic in the scale
    const logKappa = F.sub(ev.logNegDeriv[i]!, P.logN);
    const logRho = F.sub(F.sub(logSecondDerivative(F, P.loss, ev.scoreMean[i]!), P.logN), F.scale(logKappa, 2));
    const rhoScaled = F.exp(F.add(logRho, logScale));
    for (let p = 0; p < dim; p++) {
      for (let q = 0; q < dim; q++) {
        const outer = F.mul(rhoScaled, F.mul(G[p]!, G[q]!));
        const cross = F.add(F.mul(G[p]!, fbar[q]!), F.mul(fbar[p]!, G[q]!));
        H[p]![q] = F.add(H[p]![q]!, F.sub(outer, cross));
      }
    }
  });
  return H;
}

/** Hessian of L in w for W = diag(w), scaled by e^{−logScale}. */
export function hessianDiagScaled<S>(P: AttentionProblem<S>, ev: AttentionEval<S>, logScale: S): S[][] {
  return hessianLinearScaled(P, ev, P.a, P.d, logScale);
}
