/**
 * The slow manifold of the late normalized mirror flow, for the implicit integrator's Newton (SPEC.md §8).
 *
 * Late in the flow the support margins re-balance on a scale ∝ ‖w‖ while the direction moves slowly: the
 * state stays within O(1) *in margin units* of the manifold where the margin offsets ν_k = h_k − h_ref (ref:
 * the smallest margin at the step start) take their slowly varying values. Margins are linear in w and
 * exponential in r, so stage values extrapolated in r (Radau's predictor) miss the manifold by O(‖w‖·(h/τ)^4) margin units; beyond O(1)
 * Newton leaves its region of convergence (ĝ saturates, and each iteration gains only O(1) margin unit).
 * `slowManifoldStages` extrapolates the offsets instead (O(1) and smooth) and moves each predicted stage, by
 * the smallest change in r, onto the affine set in w where the near-active offsets take those values.
 * Measured on the bench's (6, 8, 10) float64 flow to its limit: 1751 accepted + 935 rejected steps → 1440 + 620
 * (995 + 33 together with a Newton-failure step memory in radauIIA.ts, which was not kept: it doubled the demo).
 */
import type { Field } from '../numeric/Field.js';
import { luFactor, luSolve } from '../numeric/linalg.js';
import type { AttentionProblem } from '../model/problem.js';
import { marginsDiag, minMargin } from '../model/margins.js';
import { type MirrorInit, mirrorDerivative, mirrorFromWeights, weightsFromMirror } from '../model/parameterizations.js';
import type { StagePoints } from '../ode/Problem.js';
import { lagrangeWeights } from '../ode/interpolation.js';

/**
 * Offsets above this (in margin units) weigh e^{−25} ≈ 1e-11 or less in ĝ: left free by the projection.
 * (15 or 10 cost 1462 / 1542 accepted steps instead of 995 on the bench's float64 flow, with that memory.)
 */
const NEAR_ACTIVE = 25;
/**
 * Below this margin sensitivity max_k Σ_j |a_kj| ∂w_j/∂r_j (margin units per unit of r) the predictor in r is
 * left alone: the early, non-stiff flow, where all constraints are near-active and the projection costs
 * more than it saves (measured with that memory: 1001 → 995 accepted steps, 2.9 → 2.3 s CPU; 1e2–1e4 cost 1283–1536 steps).
 */
const STIFF_SENSITIVITY = 10;

function argmin<S>(F: Field<S>, xs: readonly S[]): number {
  let j = 0;
  for (let k = 1; k < xs.length; k++) if (F.lt(xs[k]!, xs[j]!)) j = k;
  return j;
}

/**
 * `OdeProblem.refineStages` for the mirror flow. Offsets are taken against one reference constraint, the
 * smallest margin at the step start (ĝ does not see a common shift of the margins, and a fixed reference
 * keeps the offsets smooth across the points extrapolated from).
 */
export function slowManifoldStages<S>(P: AttentionProblem<S>, init: MirrorInit<S>) {
  const F = P.F;
  const d = P.d;
  const marginsAt = (r: readonly S[]) => marginsDiag(P, weightsFromMirror(F, init, r));
  const cut = F.of(NEAR_ACTIVE);
  const mean = (v: readonly S[]) => F.div(v.reduce((acc, x) => F.add(acc, x), F.zero), F.of(v.length));
  return (previous: StagePoints<S>, next: StagePoints<S>): S[][] => {
    const start = previous.y[previous.y.length - 1]!;
    const Dstart = mirrorDerivative(F, init, start);
    let sensitivity = 0;
    for (const a of P.a) sensitivity = Math.max(sensitivity, a.reduce((acc, x, j) => acc + Math.abs(F.toNumber(x) * F.toNumber(Dstart[j]!)), 0));
    if (sensitivity < STIFF_SENSITIVITY) return next.y.map((Y) => Y.slice());
    const known = previous.y.map(marginsAt);
    const now = known[known.length - 1]!;
    const ref = argmin(F, now);
    const minNow = now[ref]!;
    const offsetsOf = (h: readonly S[]) => h.map((x) => F.sub(x, h[ref]!));
    const knownOffsets = known.map(offsetsOf);
    return next.y.map((Y, i) => {
      const w = weightsFromMirror(F, init, Y);
      const h = marginsDiag(P, w);
      const minPred = minMargin(F, h);
      const S = h.map((_, k) => k).filter((k) => F.lt(F.sub(now[k]!, minNow), cut) || F.lt(F.sub(h[k]!, minPred), cut));
      if (S.length < 2) return Y.slice();
      const L = lagrangeWeights(F, previous.t, next.t[i]!);
      // e_k = target offset − predicted offset on S, centred (the common shift is free)
      const e = S.map((k) => {
        let target = F.zero;
        knownOffsets.forEach((nu, p) => { target = F.add(target, F.mul(L[p]!, nu[k]!)); });
        return F.sub(target, F.sub(h[k]!, h[ref]!));
      });
      const eMean = mean(e);
      const Pe = e.map((x) => F.sub(x, eMean));
      // (always projected, even when the predicted offsets are already within 1e-6 of their targets: skipping
      // those cost 1001 → 1659 accepted steps on the bench's float64 flow)
      // min ‖Δr‖ subject to P·A_S·D·Δr = P·e, P = I − 11ᵀ/|S|, D = diag ∂w/∂r: Δr = (PB)ᵀμ, (PB)(PB)ᵀμ = Pe
      // with B = A_S D. (The d×d ridge form ((PB)ᵀPB + εI)Δr = (PB)ᵀPe, cheaper for |S| > d, cost 995 → 1272
      // accepted steps on the bench's float64 flow: it damps the directions of small columns of PB.)
      const D = mirrorDerivative(F, init, Y);
      const B = S.map((k) => P.a[k]!.map((a, j) => F.mul(a, D[j]!)));
      const colMean = Array.from({ length: d }, (_, j) => mean(B.map((row) => row[j]!)));
      const PB = B.map((row) => row.map((x, j) => F.sub(x, colMean[j]!)));
      const m = S.length;
      const G = PB.map((ri) => PB.map((rj) => ri.reduce((acc, x, j) => F.add(acc, F.mul(x, rj[j]!)), F.zero)));
      let trace = F.zero;
      for (let k = 0; k < m; k++) trace = F.add(trace, G[k]![k]!);
      if (F.isZero(trace)) return Y.slice();
      // rank ≤ min(m − 1, d): the 11ᵀ term fixes the free shift, a relative ridge any further dependence
      const ridge = F.mul(trace, F.of(1e-12));
      const shift = F.div(trace, F.of(m * m));
      for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) G[p]![q] = F.add(G[p]![q]!, F.add(shift, p === q ? ridge : F.zero));
      const lu = luFactor(F, G);
      if (lu.singular) return Y.slice();
      const mu = luSolve(F, lu, Pe);
      const dr = Array.from({ length: d }, (_, j) => PB.reduce((acc, row, k) => F.add(acc, F.mul(row[j]!, mu[k]!)), F.zero));
      // margins are linear in w: move w by D·Δr exactly and map back
      return mirrorFromWeights(F, init, w.map((x, j) => F.add(x, F.mul(D[j]!, dr[j]!)))) ?? Y.slice();
    });
  };
}
