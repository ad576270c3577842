/**
 * The float64 specialization of fastGradient.ts on typed arrays: the same formulas (one exp per
 * non-optimal logit, per sample one exp and one log1p), with the constraint vectors flattened into one
 * Float64Array and no allocation per constraint. properties/model/fastGradient.test.ts checks it equals
 * the generic path (and the fully log-domain one).
 */
import type { AttentionProblem } from './problem.js';
import type { FastGradient } from './fastGradient.js';
import type { Curvature } from './hessian.js';

export interface Float64Kernel {
  readonly m: number;
  readonly d: number;
  /** a_{k,j} at k·d + j */
  readonly a: Float64Array;
  readonly delta: Float64Array;
  readonly score: Float64Array;
  readonly blockStart: Int32Array;
  readonly blockCount: Int32Array;
  readonly scoreOpt: Float64Array;
  readonly logN: number;
  readonly exponential: boolean;
}

const kernels = new WeakMap<object, Float64Kernel>();
/** The kernel of a float64 problem, built once per problem. */
export function float64KernelOf(P: AttentionProblem<number>): Float64Kernel {
  let k = kernels.get(P);
  if (!k) { k = float64Kernel(P); kernels.set(P, k); }
  return k;
}

export function float64Kernel(P: AttentionProblem<number>): Float64Kernel {
  const m = P.a.length;
  const d = P.d;
  const a = new Float64Array(m * d);
  P.a.forEach((row, k) => row.forEach((x, j) => { a[k * d + j] = x; }));
  return {
    m, d, a,
    delta: Float64Array.from(P.delta),
    score: Float64Array.from(P.score),
    blockStart: Int32Array.from(P.samples.map((b) => b.start)),
    blockCount: Int32Array.from(P.samples.map((b) => b.count)),
    scoreOpt: Float64Array.from(P.samples.map((b) => b.scoreOpt)),
    logN: P.logN,
    exponential: P.loss === 'exp',
  };
}

/** half of float64's exponent range in natural-log units (see suppressionLimit in fastGradient.ts) */
const SUPPRESSED = 0.5 * 307.65 * Math.LN10;

const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/**
 * g = ∇_w L (diagonal W) at w, scaled: g = e^{logScale}·value, c_k = e^{logScale}·weights[k]; null when
 * the optimal token of some sample is suppressed beyond float64's range (then use the log-domain path).
 */
export function gradientFastF64(K: Float64Kernel, w: ArrayLike<number>): FastGradient<number> | null {
  const { m, d, a } = K;
  const margins = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let h = 0;
    const base = k * d;
    for (let j = 0; j < d; j++) h += a[base + j]! * w[j]!;
    margins[k] = h;
  }
  return gradientFromMarginsF64(K, margins);
}

/**
 * The same from the margins h_k (computed by the caller, e.g. as e^{L}⟨a_k, v⟩ in the scaled chart). A
 * Float64Array only: given number[] margins too (the scaled chart's), V8 compiled it again at the chart switch.
 */
export function gradientFromMarginsF64(K: Float64Kernel, margins: Float64Array): FastGradient<number> | null {
  const { m, d, a } = K;
  const nBlocks = K.blockStart.length;
  const sHat = new Float64Array(m);
  const raw = new Float64Array(m);
  const logScale = new Float64Array(nBlocks);
  const eSigmas = new Float64Array(nBlocks);
  const logRho = new Float64Array(nBlocks); // ln ρ_b = ln ℓ''(γ̄) − ln n − 2 ln κ (hessian.ts rhoScaledOf)
  for (let b = 0; b < nBlocks; b++) {
    const s0 = K.blockStart[b]!;
    const cnt = K.blockCount[b]!;
    let mu = -Infinity;
    for (let k = s0; k < s0 + cnt; k++) mu = Math.max(mu, -margins[k]!);
    if (mu > SUPPRESSED) return null;
    let sumHat = 0;
    for (let k = s0; k < s0 + cnt; k++) { sHat[k] = Math.exp(-margins[k]! - mu); sumHat += sHat[k]!; }
    const logZ = mu > 0 ? mu + Math.log(Math.exp(-mu) + sumHat) : Math.log1p(Math.exp(mu) * sumHat);
    const sigma = mu - logZ;
    const eSigma = Math.exp(sigma);
    let gap = 0;
    for (let k = s0; k < s0 + cnt; k++) gap += sHat[k]! * K.delta[k]!;
    const mean = K.scoreOpt[b]! - eSigma * gap;
    let anyCross = false;
    for (let k = s0; k < s0 + cnt; k++) {
      let cross = 0;
      for (let k2 = s0; k2 < s0 + cnt; k2++) if (k2 !== k) cross += sHat[k2]! * (K.score[k2]! - K.score[k]!);
      raw[k] = cross; // X_k for now
      if (cross !== 0) anyCross = true;
    }
    // see fastGradient.ts: c_k = κ e^{σ − ln Z + ψ} ŝ_k (e^{−ψ}Δ_k + e^{μ−ψ} X_k)
    const psi = anyCross ? Math.max(0, mu) : 0;
    const onDelta = Math.exp(-psi);
    const onCross = anyCross ? Math.exp(mu - psi) : 0; // ≤ 1 (ψ ≥ μ); unused when every X_k = 0
    for (let k = s0; k < s0 + cnt; k++) raw[k] = sHat[k]! * (onDelta * K.delta[k]! + (anyCross ? onCross * raw[k]! : 0));
    const logNegDeriv = K.exponential ? -mean : -softplus(mean);
    logScale[b] = logNegDeriv - K.logN + sigma - logZ + psi;
    eSigmas[b] = eSigma;
    const logSecond = K.exponential ? -mean : -(softplus(mean) + softplus(-mean));
    logRho[b] = logSecond - K.logN - 2 * (logNegDeriv - K.logN);
  }
  let M = -Infinity;
  for (let b = 0; b < nBlocks; b++) M = Math.max(M, logScale[b]!);
  const g = new Array<number>(d).fill(0);
  const weights = new Array<number>(m);
  for (let b = 0; b < nBlocks; b++) {
    const f = Math.exp(logScale[b]! - M);
    const s0 = K.blockStart[b]!;
    for (let k = s0; k < s0 + K.blockCount[b]!; k++) {
      const ck = f * raw[k]!;
      weights[k] = ck;
      if (ck === 0) continue;
      const base = k * d;
      for (let j = 0; j < d; j++) g[j] -= ck * a[base + j]!;
    }
  }
  const curvature = (): Curvature<number> => {
    const probabilities = new Array<number>(m);
    const rhoScaled = new Array<number>(nBlocks);
    for (let b = 0; b < nBlocks; b++) {
      const s0 = K.blockStart[b]!;
      for (let k = s0; k < s0 + K.blockCount[b]!; k++) probabilities[k] = sHat[k]! * eSigmas[b]!;
      rhoScaled[b] = Math.exp(logRho[b]! + M);
    }
    return { probabilities, rhoScaled };
  };
  return { logScale: M, value: g, weights, curvature };
}
