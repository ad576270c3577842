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

/**
 * The per-point quantities the Hessian needs beside the scaled gradient weights c_k e^{−logScale}: the
 * attention probabilities s_k of the non-optimal tokens and ρ_i e^{logScale} per sample. Computed by the
 * log-domain path (`curvatureFromEval`) or by the fast gradient (fastGradient.ts) at no extra exp per logit.
 */
export interface Curvature<S> {
  /** s_{i,t} per constraint (may underflow to 0 in float64: its terms are then negligible) */
  readonly probabilities: readonly S[];
  /** ρ_i e^{logScale} per sample */
  readonly rhoScaled: readonly S[];
}

/** ρ_i e^{logScale} = ℓ''(γ̄_i)/(n κ_i²)·e^{logScale}, κ_i = (1/n)(−ℓ'(γ̄_i)): the G Gᵀ term is quadratic in the scale. */
export function rhoScaledOf<S>(P: AttentionProblem<S>, scoreMean: S, logNegDeriv: S, logScale: S): S {
  const F = P.F;
  const logKappa = F.sub(logNegDeriv, P.logN);
  const logRho = F.sub(F.sub(logSecondDerivative(F, P.loss, scoreMean), P.logN), F.scale(logKappa, 2));
  return F.exp(F.add(logRho, logScale));
}

export function curvatureFromEval<S>(P: AttentionProblem<S>, ev: AttentionEval<S>, logScale: S): Curvature<S> {
  const F = P.F;
  return {
    probabilities: ev.logS.map((l) => F.exp(l)),
    rhoScaled: P.samples.map((_, i) => rhoScaledOf(P, ev.scoreMean[i]!, ev.logNegDeriv[i]!, logScale)),
  };
}

export function hessianLinearScaled<S>(
  P: AttentionProblem<S>,
  ev: AttentionEval<S>,
  features: readonly (readonly S[])[],
  dim: number,
  logScale: S,
): S[][] {
  return hessianFromCurvature(P, features, dim, scaledWeights(P.F, ev, logScale), curvatureFromEval(P, ev, logScale));
}

/** The Hessian scaled by e^{−logScale} from the scaled weights `cs` and the curvature at the same scale. */
export function hessianFromCurvature<S>(
  P: AttentionProblem<S>,
  features: readonly (readonly S[])[],
  dim: number,
  cs: readonly S[],
  curvature: Curvature<S>,
): S[][] {
  const F = P.F;
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
    const sk = ks.map((k) => curvature.probabilities[k]!);
    const rhoScaled = curvature.rhoScaled[i]!;
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

/**
 * xᵀ H y (scaled like `hessianFromCurvature`) in O(m·dim), without forming H: with α_k = ⟨f_k, x⟩, β_k = ⟨f_k, y⟩,
 *   xᵀHy = Σ_k c_k α_k β_k + Σ_i [ ρ_i (Σ c α)(Σ c β) − (Σ c α)(Σ s β) − (Σ s α)(Σ c β) ]  (sums over sample i).
 */
export function hessianQuadraticForm<S>(
  P: AttentionProblem<S>,
  features: readonly (readonly S[])[],
  cs: readonly S[],
  curvature: Curvature<S>,
  x: readonly S[],
  y: readonly S[],
): S {
  const F = P.F;
  const alpha = features.map((f) => dot(F, f, x));
  const beta = features.map((f) => dot(F, f, y));
  const left: S[] = [];
  const right: S[] = [];
  features.forEach((_, k) => { left.push(F.mul(cs[k]!, alpha[k]!)); right.push(beta[k]!); });
  P.samples.forEach((blk, i) => {
    const ks = Array.from({ length: blk.count }, (_, j) => blk.start + j);
    const c = ks.map((k) => cs[k]!);
    const s = ks.map((k) => curvature.probabilities[k]!);
    const ca = dot(F, c, ks.map((k) => alpha[k]!));
    const cb = dot(F, c, ks.map((k) => beta[k]!));
    const sa = dot(F, s, ks.map((k) => alpha[k]!));
    const sb = dot(F, s, ks.map((k) => beta[k]!));
    left.push(F.mul(curvature.rhoScaled[i]!, ca), F.neg(ca), F.neg(sa));
    right.push(cb, sb, cb);
  });
  return dot(F, left, right);
}
