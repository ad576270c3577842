/**
 * The normalized mirror flow of the diagonal model (SPEC.md §4, §8): with r(τ) the mirror coordinates,
 * w(r) = u₀² e^{2r} − b₀² e^{−2r}, the flow dr/dτ = −g/‖g‖₂ (g = ∇_w L) traces the `diag`/`uv` path
 * with ‖dr/dτ‖₂ = 1, and d(ln t)/dτ = e^{−ln t}/‖g‖. Everything is computed from the scaled gradient
 * (g = e^{M} ĝ‖g_s‖), so nothing underflows at margins of 1e20.
 *
 * Analytic Jacobian (SPEC.md §8), with H_s the Hessian of L in w scaled by e^{−M}, D = diag(∂w/∂r):
 *   ∂f_r/∂r      = −(I − ĝĝᵀ) H_s D / ‖g_s‖
 *   ∂f_lnt/∂r    = −f_lnt · ĝᵀ H_s D / ‖g_s‖
 *   ∂f_lnt/∂ln t = −f_lnt.
 */
import { type Field, normInf } from '../numeric/Field.js';
import { lnToLog10, log1mexp, logSumExp } from '../numeric/logdomain.js';
import type { AttentionProblem } from '../model/problem.js';
import { marginsDiag } from '../model/margins.js';
import { type FastGradient, gradientFromMarginsFast } from '../model/fastGradient.js';
import { float64KernelOf, gradientFastF64 } from '../model/fastGradientF64.js';
import { mirrorDerivative, weightsFromMirror, type MirrorInit } from '../model/parameterizations.js';
import type { OdeProblem } from '../ode/Problem.js';
import type { FlowDefinition } from './FlowDefinition.js';
import { slowManifoldStages } from './mirrorManifold.js';
import { type NormalizedGradient, SHARED_EVALUATIONS, diagonalHessian, diagonalHessianForm, mirrorInvariant, normalizedGradient, recentEvaluations, tangentProjection } from './mirrorShared.js';

interface MirrorEval<S> extends NormalizedGradient<S> {
  readonly gradient: FastGradient<S>; // the scaled gradient, its weights and curvature
  readonly margins: () => S[];       // h_k at r (computed on the generic path anyway; on demand for float64)
  readonly derivative: () => S[];    // ∂w_j/∂r_j at r (on demand: the Jacobian, time rate, resolution, uncertainty)
}

/** ĝ, ln‖g‖ and ĉ = c/‖g‖ at r: the cheap path for the right-hand side (one exp per logit, fastGradient.ts). */
function directionMirror<S>(P: AttentionProblem<S>, init: MirrorInit<S>, r: readonly S[]): MirrorEval<S> {
  const F = P.F;
  const w = weightsFromMirror(F, init, r);
  const at = r.slice(); // for the on-demand derivative: the caller may reuse its array
  let Dw: S[] | null = null;
  const typed = F.kind === 'float64' ? gradientFastF64(float64KernelOf(P as unknown as AttentionProblem<number>), w as unknown as number[]) : null;
  let h: S[] | null = typed !== null ? null : marginsDiag(P, w);
  const gs = typed !== null ? (typed as unknown as FastGradient<S>) : gradientFromMarginsFast(P, h!, P.a, P.d);
  return {
    ...normalizedGradient(F, gs),
    gradient: gs,
    margins: () => (h ??= marginsDiag(P, w)),
    derivative: () => (Dw ??= mirrorDerivative(F, init, at)),
  };
}

export { SHARED_EVALUATIONS } from './mirrorShared.js';

export interface MirrorFlowOptions<S> {
  readonly P: AttentionProblem<S>;
  readonly init: MirrorInit<S>;
  /** κ_j = u₀_j b₀_j in the field, for the invariant check */
  readonly kappa: readonly S[];
  /** initial r (default 0) */
  readonly r0?: readonly S[];
  /**
   * Start Radau's Newton from stages projected onto the slow manifold (mirrorManifold.ts). `follow` turns it
   * on in Decimal segments (follow.ts DEFAULT_PREDICTOR), off in float64. Measured on the bench's (6, 8, 10)
   * data: float64 to its limit 1851 accepted + 254 rejected steps → 1012 + 39 (f-evaluations 14 708 → 8805),
   * limit ρ 15.56 → 15.91; float64 then Decimal(50) (`auto`), ρ 17.99 → 21.25 in 40 s and ρ 22.2–22.6 in
   * 100 s (19.8–20.4 without). Its cost: Newton often stops after one iteration, and Λ then drifts further
   * from r: ‖r − AᵀΛ‖/‖AᵀΛ‖ = 1e-7…1e-6 in float64 (properties/claims/at1duals.test.ts bounds it by 1e-9 at
   * float64 checkpoints, hence off there); in the Decimal segment of that `auto` run 2.5e-8 against 8.5e-9
   * without. From τ = 0 in Decimal it does not shorten the support switch around ρ ≈ 8.
   */
  readonly slowManifoldPredictor?: boolean;
}

export function mirrorFlow<S>(opts: MirrorFlowOptions<S>): FlowDefinition<S> {
  const { P, init } = opts;
  const F = P.F;
  const d = P.d;
  const r0 = opts.r0 ? opts.r0.slice() : Array.from({ length: d }, () => F.zero);

  // The accepted-step quantities (time rate, dual rates) are asked for the states of a step one after the
  // other, and the next step starts with f at the accepted state: keep the last few fast-path evaluations so
  // they share them (mirrorShared.ts recentEvaluations). With one entry the interpolated stage points of the Λ quadrature evicted the
  // accepted state: one f-evaluation more per step. The predictor (mirrorManifold.ts) reads the margins at
  // the previous step's start and stage values: s + 1 points, evaluated before the current step's Newton
  // iterations (s evaluations each), hence 16 entries.
  const { at: directionAt, shared } = recentEvaluations((r: readonly S[]) => directionMirror(P, init, r), SHARED_EVALUATIONS);

  const rhs = (r: readonly S[]): S[] => {
    const out = directionAt(r);
    if (out.logNorm === null) return r.map(() => F.zero);
    return out.unit.map((x) => F.neg(x));
  };

  /** ∂f/∂r = −(I − ĝĝᵀ) B with B = H_s D/‖g_s‖ */
  const jacobian = (r: readonly S[]): S[][] => {
    const out = directionAt(r);
    if (out.logNorm === null) return Array.from({ length: d }, () => Array.from({ length: d }, () => F.zero));
    const Hs = diagonalHessian(P, out.gradient);
    const Dw = out.derivative();
    const B = Hs.map((row) => row.map((h, q) => F.div(F.mul(h, Dw[q]!), out.normScaled)));
    return tangentProjection(F, out.unit, B).map((row) => row.map((x) => F.neg(x)));
  };

  // φ = −ln‖g‖ and dφ/dτ = −d ln‖g‖/dτ = −ĝᵀH(dw/dτ)/‖g‖ = ĝᵀ H_s (D ĝ)/‖g_s‖ (dr/dτ = −ĝ): the quadratic
  // form of the Hessian from the fast gradient's curvature, O(m·d) and no further gradient evaluation. (It
  // replaced a finite difference along the flow: two more evaluations per step in float64, one in Decimal.)
  const timeRate = (r: readonly S[]) => {
    const at = directionAt(r);
    if (at.logNorm === null) return null;
    const Dw = at.derivative();
    const Dg = at.unit.map((g, j) => F.mul(g, Dw[j]!));
    const form = diagonalHessianForm(P, at.gradient, at.unit, Dg);
    return { phi: F.neg(at.logNorm), dphi: F.div(form, at.normScaled) };
  };

  // start: one Euler step of size τ₀ from r₀ (error O(τ₀²)); t(τ₀) = τ₀/‖g(r₀)‖ (relative error O(τ₀))
  const tau0 = F.pow(F.of(10), F.of(-Math.ceil(F.digits / 2) - 2));
  const first = directionMirror(P, init, r0);
  const startR = r0.map((x, j) => F.sub(x, F.mul(tau0, first.unit[j]!)));
  const startLnT = first.logNorm === null ? F.zero : F.sub(F.log(tau0), first.logNorm);

  // margins for the predictor and ∂w/∂r for the resolution and the roundoff bound: from a shared evaluation
  // when there is one (the accepted state and the stage values are), else computed alone
  const marginsAt = (r: readonly S[]): S[] => shared(r)?.margins() ?? marginsDiag(P, weightsFromMirror(F, init, r));
  const derivativeAt = (r: readonly S[]): S[] => shared(r)?.derivative() ?? mirrorDerivative(F, init, r);
  const ulp = Math.pow(10, F.log10UnitRoundoff);
  const refineStages = opts.slowManifoldPredictor ? slowManifoldStages(P, init, marginsAt) : undefined;
  // Newton's resolution (OdeProblem.stateResolution): the change of r_j that moves some margin by one unit,
  // 1/(max_k |a_kj| ∂w_j/∂r_j), floored at 100 ulp of r_j. Late in the flow it is ~1/‖w‖, far below the
  // tolerance on r (rtol' ≈ 1e-9 inside Radau): without it Newton stopped with the stages O(1) margin units
  // apart from the collocation solution, and the Decimal steps shrank from ρ ≈ 20 (SPEC §8).
  const absA = P.a.map((a) => Float64Array.from(a, (x) => Math.abs(F.toNumber(x))));
  const columnMax = Array.from({ length: d }, (_, j) => absA.reduce((m, a) => Math.max(m, a[j]!), 0));
  const stateResolution = (r: readonly S[]): number[] => {
    const Dw = derivativeAt(r);
    return r.map((x, j) => {
      const perUnit = Math.abs(F.toNumber(Dw[j]!)) * columnMax[j]!;
      // no margin moves with r_j: unconstrained; 1/∞ = 0 leaves the floor
      return perUnit > 0 ? Math.max(1 / perUnit, 100 * ulp * Math.max(1, Math.abs(F.toNumber(x)))) : Infinity;
    });
  };
  const problem = (tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S> => ({
    F, t0: from?.tau ?? tau0, tEnd, y0: from ? from.y.slice() : startR,
    f: (_t, y) => rhs(y),
    jacobian: (_t, y) => jacobian(y),
    ...(refineStages ? { refineStages } : {}),
    stateResolution,
    // the stiff part of J = −(I − ĝĝᵀ)H_s diag(∂w/∂r)/‖g_s‖ grows with the largest ∂w_j/∂r_j ≈ 2|w_j| ∝ e^{2|r_j|}
    // (ode/stageScaling.ts). Decimal(50) from τ = 0 on the bench data: the r chart to the scaled chart's start
    // 263 + 47 steps to ρ 12.12 → 238 + 38 to ρ 12.60. Not in float64: there it saves no steps (1873 + 260 with,
    // 1880 + 260 without, limit ρ 15.76 / 15.65) and its per-step eigen-decomposition and extra factorizations
    // (4908 against 3786 LU) cost 22% of a warm run's CPU (1.09 s against 0.85 s)
    ...(F.kind === 'float64' ? {} : { stiffnessLog: (y: readonly S[]) => 2 * y.reduce((m, x) => Math.max(m, Math.abs(F.toNumber(x))), 0) }),
  });

  return {
    F,
    param: 'r',
    dim: d,
    structure: 'diag',
    start: { tau: tau0, y: startR, logT: startLnT },
    problem,
    timeRate,
    dualRates: (r) => directionAt(r).dualRates,
    // r_j carries |r_j|·u absolute error; w_j moves by ∂w_j/∂r_j times that
    // (asked at every accepted step: plain loops over doubles, |a_kj| converted once per flow, ∂w/∂r and r per call)
    marginUncertainty: (r) => {
      const derivative = derivativeAt(r);
      const Dw = Float64Array.from(derivative, (x) => Math.abs(F.toNumber(x)));
      const rr = Float64Array.from(r, (x) => Math.max(1, Math.abs(F.toNumber(x))));
      let worst = 0;
      for (const a of absA) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += a[j]! * Dw[j]! * rr[j]!;
        worst = Math.max(worst, acc);
      }
      return ulp * worst;
    },
    weights: (y) => ({ structure: 'diag', w: weightsFromMirror(F, init, y.slice(0, d)) }),
    rho: (y) => normInf(F, y.slice(0, d)),
    log10Norm: (y) => log10NormMirror(F, init, y.slice(0, d)),
    // u ⊙ b with u = u₀ e^{r}, b = b₀ e^{−r}: exactly κ in exact arithmetic; computed here in the field
    invariant: (y) => mirrorInvariant(F, init, opts.kappa, y.slice(0, d)),
  };
}

/**
 * log10 ‖w(r)‖₂ without forming w: ln|w_j| = max(A, B) + log1mexp(min − max) with A = 2r + 2ln|u₀|,
 * B = −2r + 2ln|b₀| (SPEC.md §4 closed form). Null when w = 0 exactly.
 */
export function log10NormMirror<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): S | null {
  const logs: S[] = [];
  r.forEach((rj, j) => {
    const lu = init.logU0[j]!;
    const lb = init.logB0[j]!;
    const A = lu === null ? null : F.add(F.scale(rj, 2), F.scale(lu, 2));
    const B = lb === null ? null : F.add(F.scale(rj, -2), F.scale(lb, 2));
    if (A === null && B === null) return;
    if (A === null || B === null) { logs.push(A ?? B!); return; }
    const c = F.cmp(A, B);
    if (c === 0) return; // w_j = 0
    const [hi, lo] = c > 0 ? [A, B] : [B, A];
    logs.push(F.add(hi, log1mexp(F, F.sub(lo, hi))));
  });
  if (logs.length === 0) return null;
  return lnToLog10(F, F.scale(logSumExp(F, logs.map((l) => F.scale(l, 2))), 0.5));
}
