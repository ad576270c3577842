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
import { dot } from '../numeric/Field.js';

export function hessianLinearScaled<S>(
  P: AttentionProblem<S>,
  ev: AttentionEval<S>,
  features: readonly (readonly S[])[],
  dim: number,
  logScale: S,
): S[][] {
  const F = P.F;
  const cs = scaledWeights(F, ev, logScale);
  // Every entry is one dot product over the constraints and the samples (fused in Decimal, one rounding):
  //   H_pq = Σ_k (c_k f_kp) f_kq + Σ_i [ (ρ_i G_ip) G_iq − G_ip f̄_iq − f̄_ip G_iq ],
  // left factors U_p and right factors V_q stacked; H is symmetric, so only q ≥ p is computed.
  const m = features.length;
  const n = P.samples.length;
  const U: S[][] = Array.from({ length: dim }, () => new Array<S>(m + 3 * n));
  const V: S[][] = Array.from({ length: dim }, () => new Array<S>(m + 3 * n));
  for (let k = 0; k < m; k++) {
    const f = features[k]!;
    for (let p = 0; p < dim; p++) { U[p]![k] = F.mul(cs[k]!, f[p]!); V[p]![k] = f[p]!; }
  }
  P.samples.forEach((blk, i) => {
    const ks = Array.from({ length: blk.count }, (_, j) => blk.start + j);
    const c = ks.map((k) => cs[k]!);
    const sk = ks.map((k) => F.exp(ev.logS[k]!)); // may underflow: its terms are then negligible
    // ρ_i e^{logScale}: the G Gᵀ term is quadratic in the scale
    const logKappa = F.sub(ev.logNegDeriv[i]!, P.logN);
    const logRho = F.sub(F.sub(logSecondDerivative(F, P.loss, ev.scoreMean[i]!), P.logN), F.scale(logKappa, 2));
    const rhoScaled = F.exp(F.add(logRho, logScale));
    for (let p = 0; p < dim; p++) {
      const fp = ks.map((k) => features[k]![p]!);
      const G = dot(F, c, fp);
      const fbar = dot(F, sk, fp);
      const at = m + 3 * i;
      U[p]![at] = F.mul(rhoScaled, G); V[p]![at] = G;
      U[p]![at + 1] = F.neg(G); V[p]![at + 1] = fbar;
      U[p]![at + 2] = F.neg(fbar); V[p]![at + 2] = G;
    }
  });
  const H = Array.from({ length: dim }, () => new Array<S>(dim));
  for (let p = 0; p < dim; p++) {
    for (let q = p; q < dim; q++) {
      const h = dot(F, U[p]!, V[q]!);
      H[p]![q] = h;
      H[q]![p] = h;
    }
  }
  return H;
}

/** Hessian of L in w for W = diag(w), scaled by e^{−logScale}. */
export function hessianDiagScaled<S>(P: AttentionProblem<S>, ev: AttentionEval<S>, logScale: S): S[][] {
  return hessianLinearScaled(P, ev, P.a, P.d, logScale);
}
