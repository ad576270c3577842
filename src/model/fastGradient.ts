/**
 * The gradient of L for the flows' right-hand sides with the fewest transcendental calls (SPEC.md §8:
 * decimal.js exp dominates the cost): one exp per non-optimal logit, and per sample one exp, one log1p
 * and the loss derivative — against ~5 exps and 2 logs per constraint in the fully log-domain path
 * (attention.ts), which it must equal (properties/model/fastGradient.test.ts).
 *
 * Per sample, with μ = max_k(−h_k) and ŝ_k = e^{−h_k − μ} ∈ (0, 1]:
 *   ln(1 + Σ_k e^{−h_k}) = μ + ln(e^{−μ} + Σ ŝ_k)  (μ > 0)   or  log1p(e^{μ} Σ ŝ_k)  (μ ≤ 0),
 *   s_k = ŝ_k e^{σ}, σ = μ − that log,  s_opt = e^{−that log},
 *   γ̄ − γ_k = s_opt Δ_k + e^{σ} Σ_{k'} ŝ_{k'}(γ_{k'} − γ_k),   c_k = κ e^{σ} ŝ_k (γ̄ − γ_k),  κ = (1/n)(−ℓ'(γ̄)).
 * e^{σ} may underflow only when it multiplies terms that are negligible beside s_opt Δ_k (huge margins).
 */
import type { AttentionProblem } from './problem.js';
import type { Scaled } from './gradient.js';
import { logNegDerivative } from './loss.js';

/** Gradient and gradient weights from the fast path: g = e^{logScale}·value and c_k = e^{logScale}·weights[k]. */
export interface FastGradient<S> extends Scaled<S[], S> {
  readonly weights: S[];
}

/** g = ∇_θ L for margins h_k = ⟨features_k, θ⟩ (θ = w for diagonal W), scaled by the largest sample scale. */
export function gradientFromMarginsFast<S>(P: AttentionProblem<S>, margins: readonly S[], features: readonly (readonly S[])[], dim: number): FastGradient<S> {
  const F = P.F;
  const perSample: { logScale: S; weights: S[]; start: number }[] = [];
  for (const blk of P.samples) {
    const ks = Array.from({ length: blk.count }, (_, j) => blk.start + j);
    let mu = F.neg(margins[ks[0]!]!);
    for (const k of ks) mu = F.max(mu, F.neg(margins[k]!));
    const sHat = ks.map((k) => F.exp(F.sub(F.neg(margins[k]!), mu)));
    let sumHat = F.zero;
    for (const v of sHat) sumHat = F.add(sumHat, v);
    const logZ = F.gt(mu, F.zero) ? F.add(mu, F.log(F.add(F.exp(F.neg(mu)), sumHat))) : F.log1p(F.mul(F.exp(mu), sumHat));
    const sigma = F.sub(mu, logZ);
    const eSigma = F.exp(sigma);
    const sOpt = F.exp(F.neg(logZ));
    // S_i = Σ s_k Δ_k and γ̄ = γ_opt − S_i
    let gap = F.zero;
    ks.forEach((k, j) => { gap = F.add(gap, F.mul(sHat[j]!, P.delta[k]!)); });
    const mean = F.sub(blk.scoreOpt, F.mul(eSigma, gap));
    const weights = ks.map((k, j) => {
      let cross = F.zero;
      ks.forEach((k2, j2) => {
        if (k2 !== k) cross = F.add(cross, F.mul(sHat[j2]!, F.sub(P.score[k2]!, P.score[k]!)));
      });
      const meanMinusScore = F.add(F.mul(sOpt, P.delta[k]!), F.mul(eSigma, cross));
      return F.mul(sHat[j]!, meanMinusScore);
    });
    perSample.push({ logScale: F.add(F.sub(logNegDerivative(F, P.loss, mean), P.logN), sigma), weights, start: blk.start });
  }
  let M = perSample[0]!.logScale;
  for (const s of perSample) M = F.max(M, s.logScale);
  const g = Array.from({ length: dim }, () => F.zero);
  const weights: S[] = new Array(margins.length);
  for (const s of perSample) {
    const f = F.exp(F.sub(s.logScale, M));
    s.weights.forEach((wk, j) => {
      const ck = F.mul(f, wk);
      weights[s.start + j] = ck;
      if (F.isZero(ck)) return;
      const a = features[s.start + j]!;
      for (let p = 0; p < dim; p++) if (!F.isZero(a[p]!)) g[p] = F.sub(g[p]!, F.mul(ck, a[p]!));
    });
  }
  return { logScale: M, value: g, weights };
}
