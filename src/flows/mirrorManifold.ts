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
 * Measured on the bench's (6, 8, 10) float64 flow to its limit: 1851 accepted + 254 rejected steps → 1012 + 39.
 * The margins at the previous step's points come from the flow's shared evaluations (mirror.ts `marginsAt`).
 *
 * Known limit (Decimal, measured): from ρ ≈ 20 on the steps used to shrink (h 0.08 → 0.009 by ρ 21) while the
 * support offsets stayed frozen: Radau's Newton stopped on the tolerance in r (1e-9 inside radau5's
 * transformation), which no longer resolves a margin unit once ‖w‖ ≳ 1e9. mirror.ts now declares the margin
 * resolution (OdeProblem.stateResolution) and Newton iterates to 1% of it: float64 then Decimal(50) for 60 s
 * reaches ρ 23.8 instead of 21.9. The steps per unit ρ still grow (33 / 49 / 74 / 107 from ρ 19 to 23), limited
 * by simplified Newton stalling (θ ≈ 1 at the third iteration, at 50 and at 80 digits alike) once h exceeds
 * ≈ 0.03 in τ; the predictor's offsets are right to 1e-3 there, the stall is in the directions that move no
 * near-active offset. Reaching ρ = 30 in Decimal needs that Newton limit lifted.
 */
import { type Field, dot as dotOf } from '../numeric/Field.js';
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
 * left alone: the early, non-stiff flow, where many constraints are near-active and the projection costs more
 * than it saves. The break-even depends on the field: in float64 a projection is cheap beside a step
 * (measured with the Newton-failure memory: 1001 → 995 accepted steps, 2.9 → 2.3 s CPU at 10 against 1e2–1e4,
 * which cost 1283–1536 steps); in Decimal(50) the margins and the least-norm solve cost ~1/3 of a step, and
 * from τ = 0 in 60 s the flow reached ρ 9.57 at 1e3 against 8.36 at 10 (the predictor does not shorten the
 * support switch around ρ ≈ 8, where most of that time goes).
 */
const STIFF_SENSITIVITY_FLOAT64 = 10;
const STIFF_SENSITIVITY_DECIMAL = 1e3;

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
export function slowManifoldStages<S>(P: AttentionProblem<S>, init: MirrorInit<S>, marginsAt: (r: readonly S[]) => S[] = (r) => marginsDiag(P, weightsFromMirror(P.F, init, r))) {
  const F = P.F;
  const d = P.d;
  const stiffSensitivity = F.kind === 'float64' ? STIFF_SENSITIVITY_FLOAT64 : STIFF_SENSITIVITY_DECIMAL;
  const cut = F.of(NEAR_ACTIVE);
  const mean = (v: readonly S[]) => F.div(v.reduce((acc, x) => F.add(acc, x), F.zero), F.of(v.length));
  return (previous: StagePoints<S>, next: StagePoints<S>): S[][] => {
    const start = previous.y[previous.y.length - 1]!;
    const Dstart = mirrorDerivative(F, init, start);
    let sensitivity = 0;
    for (const a of P.a) sensitivity = Math.max(sensitivity, a.reduce((acc, x, j) => acc + Math.abs(F.toNumber(x) * F.toNumber(Dstart[j]!)), 0));
    if (sensitivity < stiffSensitivity) return next.y.map((Y) => Y.slice());
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
      // min ‖Δr‖ subject to P·A_S·D·Δr = P·e, P = I − 11ᵀ/|S|, D = diag ∂w/∂r, B = A_S D, solved as the
      // ridge-regularized least-norm problem Δr = (PB)ᵀ((PB)(PB)ᵀ + εI)⁻¹Pe, ε = 1e-12·tr: rank ≤ min(m − 1, d).
      // For m > d the same Δr comes from the d×d system ((PB)ᵀPB + εI)Δr = (PB)ᵀPe (push-through identity;
      // the same ε, since tr((PB)ᵀPB) = tr((PB)(PB)ᵀ)): O(m d²) instead of O(m³). In Decimal(50) the m×m form
      // with m up to 48 took 25 of 40 s of a Radau IIA9 run (Gram matrix and LU in mirrorManifold.ts).
      const D = mirrorDerivative(F, init, Y);
      const B = S.map((k) => P.a[k]!.map((a, j) => F.mul(a, D[j]!)));
      const colMean = Array.from({ length: d }, (_, j) => mean(B.map((row) => row[j]!)));
      const PB = B.map((row) => row.map((x, j) => F.sub(x, colMean[j]!)));
      const m = S.length;
      const dr = m > d ? leastNormColumns(F, PB, Pe, d) : leastNormRows(F, PB, Pe, d);
      if (dr === null) return Y.slice();
      // margins are linear in w: move w by D·Δr exactly and map back
      return mirrorFromWeights(F, init, w.map((x, j) => F.add(x, F.mul(D[j]!, dr[j]!)))) ?? Y.slice();
    });
  };
}

/** ε of the least-norm solves: relative to the trace of the Gram matrix. */
const RIDGE = 1e-12;

/** The Gram matrix [⟨v_p, v_q⟩] of a few vectors: each entry one dot product, computed once (q ≥ p), and its trace. */
function gramOf<S>(F: Field<S>, vectors: readonly (readonly S[])[]): { G: S[][]; trace: S } {
  const n = vectors.length;
  const G: S[][] = Array.from({ length: n }, () => new Array<S>(n));
  let trace = F.zero;
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      const g = dotOf(F, vectors[p]!, vectors[q]!);
      G[p]![q] = g;
      G[q]![p] = g;
    }
    trace = F.add(trace, G[p]![p]!);
  }
  return { G, trace };
}

/** Δr = Mᵀμ with (MMᵀ + εI + (tr/m²)11ᵀ)μ = e (m×m; the 11ᵀ term fixes the common shift, Me ⟂ 1). */
export function leastNormRows<S>(F: Field<S>, M: readonly (readonly S[])[], e: readonly S[], d: number): S[] | null {
  const m = M.length;
  const { G, trace } = gramOf(F, M);
  if (F.isZero(trace)) return null;
  const ridge = F.mul(trace, F.of(RIDGE));
  const shift = F.div(trace, F.of(m * m));
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) G[p]![q] = F.add(G[p]![q]!, F.add(shift, p === q ? ridge : F.zero));
  const lu = luFactor(F, G);
  if (lu.singular) return null;
  const mu = luSolve(F, lu, e);
  return Array.from({ length: d }, (_, j) => M.reduce((acc, row, k) => F.add(acc, F.mul(row[j]!, mu[k]!)), F.zero));
}

/** The same Δr from (MᵀM + εI)Δr = Mᵀe (d×d), for m > d. */
export function leastNormColumns<S>(F: Field<S>, M: readonly (readonly S[])[], e: readonly S[], d: number): S[] | null {
  const cols = Array.from({ length: d }, (_, j) => M.map((row) => row[j]!));
  const { G, trace } = gramOf(F, cols);
  if (F.isZero(trace)) return null;
  const ridge = F.mul(trace, F.of(RIDGE));
  for (let j = 0; j < d; j++) G[j]![j] = F.add(G[j]![j]!, ridge);
  const lu = luFactor(F, G);
  if (lu.singular) return null;
  return luSolve(F, lu, cols.map((c) => dotOf(F, c, e)));
}
