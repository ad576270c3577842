/**
 * The float64 specialization of hessian.ts for the diagonal model (features a_k) on the typed kernel of
 * fastGradientF64.ts: H_s (`hessianFromCurvature`) and xᵀH_s y (`hessianQuadraticForm`) with the same sums in
 * the same order, without the stacked factor arrays and the per-sample index arrays of the generic path. In
 * float64 the generic `dot` is the plain left-to-right sum, so the results are the same doubles;
 * properties/model/hessian.test.ts checks that they are equal.
 *
 * Both charts of the float64 mirror flow evaluate the Hessian once per Jacobian and its quadratic form at every
 * accepted step's stages (the time rate). Measured on the bench's (6, 8, 10) float64 flow to its limit, the first
 * run in a process (8 processes each, interleaved, --single-threaded so that the compiler's work is on the
 * measured thread): median CPU 1.23 s with these, 1.35 s with the generic routines.
 */
import type { Float64Kernel } from './fastGradientF64.js';
import type { Curvature } from './hessian.js';

/** G_i = Σ_{k∈i} c_k a_k and f̄_i = Σ_{k∈i} s_k a_k, sample by sample (row i at i·d). */
function sampleSums(K: Float64Kernel, cs: ArrayLike<number>, probabilities: ArrayLike<number>): { G: Float64Array; fbar: Float64Array } {
  const { d, a } = K;
  const n = K.blockStart.length;
  const G = new Float64Array(n * d);
  const fbar = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s0 = K.blockStart[i]!;
    const end = s0 + K.blockCount[i]!;
    for (let p = 0; p < d; p++) {
      let g = 0;
      let f = 0;
      for (let k = s0; k < end; k++) { g += cs[k]! * a[k * d + p]!; f += probabilities[k]! * a[k * d + p]!; }
      G[i * d + p] = g;
      fbar[i * d + p] = f;
    }
  }
  return { G, fbar };
}

/** H_s = Σ_k c_k a_k a_kᵀ + Σ_i [ ρ_i G_i G_iᵀ − G_i f̄_iᵀ − f̄_i G_iᵀ ] (hessian.ts hessianFromCurvature). */
export function hessianF64(K: Float64Kernel, cs: ArrayLike<number>, curvature: Curvature<number>): number[][] {
  const { m, d, a } = K;
  const n = K.blockStart.length;
  const { G, fbar } = sampleSums(K, cs, curvature.probabilities);
  const rho = curvature.rhoScaled;
  const H: number[][] = [];
  for (let p = 0; p < d; p++) H.push(new Array<number>(d).fill(0));
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += (cs[k]! * a[k * d + p]!) * a[k * d + q]!;
      for (let i = 0; i < n; i++) {
        const gp = G[i * d + p]!;
        const gq = G[i * d + q]!;
        s += (rho[i]! * gp) * gq;
        s -= gp * fbar[i * d + q]!;
        s -= fbar[i * d + p]! * gq;
      }
      H[p]![q] = s;
      H[q]![p] = s;
    }
  }
  return H;
}

/** xᵀH_s y in O(m·d) (hessian.ts hessianQuadraticForm): α_k = ⟨a_k, x⟩, β_k = ⟨a_k, y⟩. */
export function hessianQuadraticFormF64(
  K: Float64Kernel,
  cs: ArrayLike<number>,
  curvature: Curvature<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  const { m, d, a } = K;
  const n = K.blockStart.length;
  const alpha = new Float64Array(m);
  const beta = new Float64Array(m);
  let s = 0;
  for (let k = 0; k < m; k++) {
    let ax = 0;
    let ay = 0;
    for (let j = 0; j < d; j++) { ax += a[k * d + j]! * x[j]!; ay += a[k * d + j]! * y[j]!; }
    alpha[k] = ax;
    beta[k] = ay;
    s += (cs[k]! * ax) * ay;
  }
  const probabilities = curvature.probabilities;
  for (let i = 0; i < n; i++) {
    const s0 = K.blockStart[i]!;
    const end = s0 + K.blockCount[i]!;
    let ca = 0, cb = 0, sa = 0, sb = 0;
    for (let k = s0; k < end; k++) ca += cs[k]! * alpha[k]!;
    for (let k = s0; k < end; k++) cb += cs[k]! * beta[k]!;
    for (let k = s0; k < end; k++) sa += probabilities[k]! * alpha[k]!;
    for (let k = s0; k < end; k++) sb += probabilities[k]! * beta[k]!;
    s += (curvature.rhoScaled[i]! * ca) * cb;
    s -= ca * sb;
    s -= sa * cb;
  }
  return s;
}
