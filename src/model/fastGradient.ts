/**
 * The gradient of L for the flows' right-hand sides with the fewest transcendental calls (SPEC.md §8:
 * decimal.js exp dominates the cost): one exp per non-optimal logit, and per sample one exp, one log1p
 * and the loss derivative — against ~5 exps and 2 logs per constraint in the fully log-domain path
 * (attention.ts), which it must equal (properties/model/fastGradient.test.ts).
 *
 * Per sample, with μ = max_k(−h_k) and ŝ_k = e^{−h_k − μ} ∈ (0, 1]:
 *   ln Z = ln(1 + Σ_k e^{−h_k}) = μ + ln(e^{−μ} + Σ ŝ_k)  (μ > 0)   or  log1p(e^{μ} Σ ŝ_k)  (μ ≤ 0),
 *   s_k = ŝ_k e^{σ}, σ = μ − ln Z,   s_opt = e^{−ln Z},
 *   γ̄ − γ_k = s_opt Δ_k + Σ_{k'} s_{k'}(γ_{k'} − γ_k) = e^{−ln Z}(Δ_k + e^{μ} X_k),  X_k = Σ_{k'} ŝ_{k'}(γ_{k'} − γ_k),
 *   c_k = κ e^{σ} ŝ_k (γ̄ − γ_k) = κ e^{σ − ln Z + ψ} ŝ_k (e^{−ψ}Δ_k + e^{μ−ψ} X_k),  κ = (1/n)(−ℓ'(γ̄)),
 * with ψ = max(0, μ) when some X_k ≠ 0 (else ψ = 0): the exponentials left in the bracket are ≤ 1 and
 * underflow only beside an O(1) term. (Without ψ, s_opt underflows when the optimal token is suppressed —
 * margins ≪ 0, the stalled regime of SPEC §7 X.GLOBAL — and the gradient would come out exactly 0.)
 * When the optimal token is suppressed by more than half the backend's exponent range (μ > SUPPRESSED),
 * the brackets γ̄ − γ_k themselves leave the representable range; such evaluations (stalled runs only)
 * take the fully log-domain path, which keeps every c_k as its own logarithm.
 */
import type { AttentionProblem } from './problem.js';
import { type Scaled, gradientLinearScaled, scaledWeights } from './gradient.js';
import { evaluateAttention } from './attention.js';
import { type Field, dot } from '../numeric/Field.js';
import { logNegDerivative } from './loss.js';
import { type Curvature, curvatureFromEval, rhoScaledOf } from './hessian.js';

/**
 * Constant tables of a problem, built once: the feature columns (g_p = −Σ_k c_k f_kp is a dot product with
 * column p) and, per constraint k, the score differences γ_{k'} − γ_k over the tokens k' of its sample (X_k is
 * a dot product with ŝ). Both dot products go through the backend's fused dot when it has one.
 */
interface Tables<S> { readonly columns: S[][]; readonly scoreDiffs: S[][] }
const tablesCache = new WeakMap<object, WeakMap<object, Tables<unknown>>>();
function tablesOf<S>(P: AttentionProblem<S>, features: readonly (readonly S[])[], dim: number): Tables<S> {
  let byFeatures = tablesCache.get(P);
  if (!byFeatures) { byFeatures = new WeakMap(); tablesCache.set(P, byFeatures); }
  let t = byFeatures.get(features) as Tables<S> | undefined;
  if (!t) {
    const F = P.F;
    const scoreDiffs: S[][] = new Array(features.length);
    for (const blk of P.samples) {
      for (let k = blk.start; k < blk.start + blk.count; k++) {
        scoreDiffs[k] = Array.from({ length: blk.count }, (_, j) => (blk.start + j === k ? F.zero : F.sub(P.score[blk.start + j]!, P.score[k]!)));
      }
    }
    t = { columns: Array.from({ length: dim }, (_, p) => features.map((f) => f[p]!)), scoreDiffs };
    byFeatures.set(features, t);
  }
  return t;
}

/** Gradient and gradient weights from the fast path: g = e^{logScale}·value and c_k = e^{logScale}·weights[k]. */
export interface FastGradient<S> extends Scaled<S[], S> {
  readonly weights: S[];
  /** the rest of what the Hessian needs at this point, at the same scale (hessian.ts); computed on demand */
  readonly curvature: () => Curvature<S>;
}

/** g = ∇_θ L for margins h_k = ⟨features_k, θ⟩ (θ = w for diagonal W), scaled by the largest sample scale. */
export function gradientFromMarginsFast<S>(P: AttentionProblem<S>, margins: readonly S[], features: readonly (readonly S[])[], dim: number): FastGradient<S> {
  const F = P.F;
  if (optimalTokenSuppressed(F, P, margins)) return gradientFromMarginsLog(P, margins, features, dim);
  const tables = tablesOf(P, features, dim);
  const perSample: { logScale: S; weights: S[]; start: number; sHat: S[]; eSigma: S; mean: S; logNegDeriv: S }[] = [];
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
    // S_i = Σ s_k Δ_k and γ̄ = γ_opt − S_i
    let gap = F.zero;
    ks.forEach((k, j) => { gap = F.add(gap, F.mul(sHat[j]!, P.delta[k]!)); });
    const mean = F.sub(blk.scoreOpt, F.mul(eSigma, gap));
    const cross = ks.map((k) => dot(F, sHat, tables.scoreDiffs[k]!));
    const anyCross = cross.some((x) => !F.isZero(x));
    const psi = anyCross ? F.max(F.zero, mu) : F.zero;
    const onDelta = F.exp(F.neg(psi));
    const onCross = anyCross ? F.exp(F.sub(mu, psi)) : F.zero; // ≤ 1 (ψ ≥ μ); unused when every X_k = 0
    const weights = ks.map((k, j) => F.mul(sHat[j]!, anyCross ? F.add(F.mul(onDelta, P.delta[k]!), F.mul(onCross, cross[j]!)) : F.mul(onDelta, P.delta[k]!)));
    const lnd = logNegDerivative(F, P.loss, mean);
    perSample.push({ logScale: F.add(F.sub(F.add(F.sub(lnd, P.logN), sigma), logZ), psi), weights, start: blk.start, sHat, eSigma, mean, logNegDeriv: lnd });
  }
  let M = perSample[0]!.logScale;
  for (const s of perSample) M = F.max(M, s.logScale);
  const weights: S[] = new Array(margins.length);
  for (const s of perSample) {
    const f = F.exp(F.sub(s.logScale, M));
    s.weights.forEach((wk, j) => { weights[s.start + j] = F.mul(f, wk); });
  }
  const g = tables.columns.map((col) => F.neg(dot(F, col, weights)));
  // s_k = ŝ_k e^{σ}; ρ_i at the scale M
  const curvature = (): Curvature<S> => {
    const probabilities: S[] = new Array(margins.length);
    for (const s of perSample) s.sHat.forEach((x, j) => { probabilities[s.start + j] = F.mul(x, s.eSigma); });
    return { probabilities, rhoScaled: perSample.map((s) => rhoScaledOf(P, s.mean, s.logNegDeriv, M)) };
  };
  return { logScale: M, value: g, weights, curvature };
}

/** μ above which the fast path defers to the log-domain one: half the backend's exponent range. */
export function suppressionLimit<S>(F: Field<S>): number {
  return 0.5 * -F.log10MinPositive * Math.LN10;
}

/** Is the optimal token of some sample suppressed beyond the fast path's range (max_k(−h_k) > limit)? */
export function optimalTokenSuppressed<S>(F: Field<S>, P: AttentionProblem<S>, margins: readonly S[]): boolean {
  const limit = F.of(suppressionLimit(F));
  for (const blk of P.samples) {
    for (let k = blk.start; k < blk.start + blk.count; k++) if (F.gt(F.neg(margins[k]!), limit)) return true;
  }
  return false;
}

/** The same result through the fully log-domain path (attention.ts, gradient.ts). */
export function gradientFromMarginsLog<S>(P: AttentionProblem<S>, margins: readonly S[], features: readonly (readonly S[])[], dim: number): FastGradient<S> {
  const ev = evaluateAttention(P, margins);
  const g = gradientLinearScaled(P, ev, features, dim);
  return { ...g, weights: scaledWeights(P.F, ev, g.logScale), curvature: () => curvatureFromEval(P, ev, g.logScale) };
}
