/**
 * Radau IIA with s stages (order 2s − 1; s = 3, 5, 7 registered as RadauIIA5, RadauIIA9, RadauIIA13) with
 * simplified Newton iterations — the stiff, L-stable integrators (SPEC §8 "Stiffness"). Generic over the
 * Field: the same code runs in float64 and Decimal, with coefficients computed at working precision
 * (tableaus/radauIIA.ts; for s = 3 they agree with the closed forms of tableaus/radauIIA5.ts).
 *
 * Following Hairer & Wanner, Solving ODEs II, §IV.8 and radau5.f / radau.f:
 * - Stage increments Z = (z_1..z_s), z_i = Y_i − y0, solve Z = h (A⊗I) F(y0 + Z).
 * - Newton on the residual R = F(y0 + Z) − h⁻¹(A⁻¹⊗I)Z, formed in the field, through transformed increments
 *   ΔW = (T⁻¹⊗I)ΔZ: one real system (γ/h I − J) and (s−1)/2 complex systems ((α_k+iβ_k)/h I − J), factored
 *   once per (J, h) and reused across iterations and steps (newtonSystems.ts; in float64 for a Decimal field
 *   where that is safe: mixed precision, RadauOptions.float64NewtonSystems). With `problem.stiffnessLog` (our
 *   addition) T, γ, α, β are those of D⁻¹A⁻¹, D the predicted growth of J's stiff part over the stages
 *   (stageScaling.ts); the error estimate keeps the tableau's γ (its own real factorization then).
 * - Convergence: θ = ‖ΔW_k‖/‖ΔW_{k−1}‖, stop when θ/(1−θ)‖ΔW_k‖ ≤ fnewt (HW (8.10)–(8.12)),
 *   fnewt = max(10u/rtol, min(0.03, √rtol)) (RadauOptions.newtonTolerance overrides it); divergence (θ ≥ 0.99)
 *   or predicted slow convergence cuts h.
 *   With `problem.stateResolution` (our addition) also until θ/(1−θ)·max |Δz_ij|/res_j ≤ RESOLVED_FRACTION.
 * - Error estimate (HW (8.19)–(8.20)): err = (γ/h I − J)⁻¹ (f(t0,y0) + Σ dd_i z_i / h); after a rejected or
 *   the first step with err ≥ 1 the filtered estimate (γ/h I − J)⁻¹ (f(t0, y0+err) + Σ dd_i z_i / h) is used.
 *   This estimate stays bounded as h|λ| → ∞, which is what makes the steps independent of the stiffness.
 * - Step size: predictive Gustafsson controller with exponent 1/(s+1) (control.ts), by default on
 *   radau5.f's transformed tolerances rtol' = 0.1·rtol^((s+1)/(2s)) (see RadauOptions for the strict mode). The Jacobian is re-evaluated after an accepted step
 *   unless Newton converged with θ < 0.001; h is frozen when h_new/h ∈ [1, 1.2] so the LU is reused.
 * - Dense output: the collocation polynomial through (0, 0), (c_i, z_i), also used to start Newton.
 *
 * Note (float64): f itself carries roundoff ~u·‖J‖·‖y‖; tolerances below that are unreachable and show up
 * as Newton "divergence" at noise level. The Decimal backend with enough digits avoids it (SPEC §8).
 */
import { countedDerivative } from './derivative.js';
import type { Field } from '../numeric/Field.js';
import { type NewtonSystems, factorNewtonSystems } from './newtonSystems.js';
import { PredictiveController } from './control.js';
import { lagrangeWeightsZeroAnchored } from './interpolation.js';
import { radauIIACoefficients } from './tableaus/radauIIA.js';
import { type StageTransform, stageTransform, tableauTransform } from './stageScaling.js';
import type { Interpolant, ResolvedTolerances, Stepper, StepperContext, StepOutcome } from './types.js';

const THETA_REUSE_JACOBIAN = 0.001;
/** Newton contraction aimed for when the step size is limited by Newton convergence (see the step control). */
const THETA_TARGET = 0.1;
const MAX_CONSECUTIVE_NEWTON_FAILURES = 12;
/**
 * With `problem.stateResolution`, Newton also iterates until faccon·max_ij |Δz_ij|/res_j ≤ this: every stage
 * resolved to 1% of the problem's unit. Measured on the bench's (6, 8, 10) data, float64 then Decimal(50) for
 * 60 s: ρ 21.85 → 23.75–23.88 (steps per unit ρ at ρ 19–20 / 20–21 / 21–22: 68 / 133 / — → 33 / 49 / 74), the
 * float64 segment unchanged (1851 + 254 steps: its tolerance test is the stricter one there).
 */
const RESOLVED_FRACTION = 0.01;
/**
 * After a Newton failure at h_f, accepted steps grow to at most NEWTON_MEMORY_FRACTION·h_f, relaxed ×NEWTON_MEMORY_RELAX
 * per accepted step. Late in the mirror flow the error estimate allows steps ×8 larger than Newton can take
 * (accept at h, jump to 8h, fail, halve, fail, …). Measured on the bench's (6, 8, 10) float64 flow to its limit:
 * 1750 accepted + 929 rejected steps, 18 351 f-evaluations, 4738 LU → 1851 + 254, 14 708, 3694 (fraction 0.8:
 * 1825 + 421); float64 then Decimal(50) for 100 s: ρ 19.25 → 20.37 (Decimal rejections 1188 → 341); the demo
 * unchanged (4.6–5.2 s against 5.0–5.1 s; a similar rule tried in an earlier session, with other right-hand
 * sides, had doubled it).
 */
const NEWTON_MEMORY_FRACTION = 0.5;
const NEWTON_MEMORY_RELAX = 1.25;
/**
 * With `problem.stiffnessLog` (stageScaling.ts): a new stage transform (and factorization) when some stage's
 * ln d_i moved by more than this from the transform in use; the stale one only preconditions (θ grows by about
 * this much).
 */
const RESCALE_LOG = 0.01;
/**
 * Roundoff stagnation (with `problem.stateResolution`): an iteration whose increment shrank by less than this
 * factor in the tolerance norm while it contracted by at least 2 in the state-resolution norm, down to
 * RESOLVED_FRACTION, is counted in stats.newtonStagnations (once per step; the step is handled as before: rejected
 * for divergence or slow convergence, or iterated on). The margins are resolved and what is left is f's roundoff
 * in components they barely move: late in the float64 mirror flow the non-support v_j of the scaled chart
 * (mirrorScaled.ts) carry f-roundoff of ~u·e^{L} against an error scale of rtol·|v_j|, and Newton's increments there
 * keep their size from one iteration to the next (measured on the bench's (6, 8, 10) data at rtol 1e-12, ρ ≈ 15.3:
 * 8.2e-4 → 8.1e-4 of the tolerance while the resolution norm went 4.3e-4 → 7.5e-6). The flows read a run of them
 * as float64's limit (flows/run.ts ROUNDOFF_STAGNATIONS). Tried and not kept: counting any iteration with θ ≥ 0.9
 * below 1% of the tolerance, whatever the resolution norm does: it also fires in the r chart, whose float64 run
 * then stopped at ρ 13.70 instead of going on to 15.65.
 */
const ROUNDOFF_STAGNATION_THETA = 0.9;

/** Finite-difference Jacobian (fallback when the problem has none): forward differences, δ_j = √u·max(|y_j|, 1e-5). */
export function finiteDifferenceJacobian<S>(F: Field<S>, f: (t: S, y: readonly S[]) => S[], t: S, y: readonly S[], f0: readonly S[]): S[][] {
  const d = y.length;
  const sqrtU = F.sqrt(F.epsilon());
  const J: S[][] = Array.from({ length: d }, () => new Array<S>(d));
  const floor = F.of(1e-5);
  for (let j = 0; j < d; j++) {
    const delta = F.mul(sqrtU, F.max(F.abs(y[j]!), floor));
    const yp = y.slice();
    yp[j] = F.add(y[j]!, delta);
    const fp = f(t, yp);
    for (let i = 0; i < d; i++) J[i]![j] = F.div(F.sub(fp[i]!, f0[i]!), delta);
  }
  return J;
}

/**
 * radau5.f's tolerance transformation, generalized: the embedded estimator has local order s+1 while the
 * solution has 2s, so the estimate is pessimistic; the control runs on rtol' = 0.1·rtol^((s+1)/(2s)),
 * atol' = rtol'·(atol/rtol) (s = 3: radau5.f's "EXPM = 2/3, RTOL = 0.1*RTOL**EXPM, ATOL = RTOL*QUOT").
 */
export function radauInternalTolerances<S>(F: Field<S>, tol: ResolvedTolerances<S>, stages = 3): ResolvedTolerances<S> {
  const expm = (stages + 1) / (2 * stages);
  const expmField = F.of(`${stages + 1}/${2 * stages}`);
  const rtol = F.scale(F.pow(tol.rtol, expmField), 0.1);
  const atol = F.mul(rtol, F.div(tol.atol, tol.rtol));
  const rtolNum = 0.1 * Math.pow(tol.rtolNum, expm);
  return { rtol, atol, rtolNum, atolNum: rtolNum * (tol.atolNum / tol.rtolNum) };
}

/** Σ_i w_i v_i over stacked vectors (skipping nothing: s is small). */
function combine<S>(F: Field<S>, w: readonly S[], V: readonly (readonly S[])[], d: number): S[] {
  const out = new Array<S>(d);
  for (let j = 0; j < d; j++) {
    let acc = F.mul(w[0]!, V[0]![j]!);
    for (let i = 1; i < w.length; i++) acc = F.add(acc, F.mul(w[i]!, V[i]![j]!));
    out[j] = acc;
  }
  return out;
}

/** Collocation polynomial of one step as dense output: y(t0+θh) = y0 + Σ L_i(θ) z_i (nodes 0, c_1..c_s). */
function collocationInterpolant<S>(F: Field<S>, c: readonly S[], t0: S, h: S, y0: readonly S[], Z: readonly (readonly S[])[]): Interpolant<S> {
  const d = y0.length;
  return {
    at(t: S): S[] {
      const w = lagrangeWeightsZeroAnchored(F, c, F.div(F.sub(t, t0), h));
      const dz = combine(F, w, Z, d);
      return y0.map((yi, j) => F.add(yi, dz[j]!));
    },
  };
}

export interface RadauOptions {
  /**
   * Run the step-size control on radau5.f's transformed tolerances (radauInternalTolerances). Efficient on
   * non-stiff problems, where the embedded estimate is pessimistic, but on stiff problems (the case this
   * integrator exists for) the achieved error is then ~rtol', not rtol (measured: Prothero–Robinson λ = 1e3,
   * rtol 1e-12 → error 4e-10 with s = 3, 2e-8 with s = 7). Default true (radau5.f behaviour); pass false
   * for strict control on the user's tolerances (costly on non-stiff stretches: the estimate is of order s+1).
   */
  hairerTolerances?: boolean;
  /**
   * Keep the Jacobian (and, if h is unchanged, the LU factors) after an accepted step whose Newton contraction
   * θ was at most this. radau5.f uses 0.001. Larger values (0.05–0.2) trade Newton iterations (s f-evaluations
   * and two back-substitutions each) for Jacobians and O(d³) factorizations — worth it in Decimal for d ≳ 20.
   */
  jacobianReuseTheta?: number;
  /**
   * Factor the Newton iteration matrices in float64 when the field is Decimal (newtonSystems.ts: mixed
   * precision, guarded; after a Newton failure with them the step is retried with factors in the field, which
   * are kept until that step is accepted). Default true.
   */
  float64NewtonSystems?: boolean;
  /**
   * Newton's stopping test θ/(1−θ)‖ΔW‖ ≤ fnewt, in units of the (transformed) tolerance. Default radau5.f's
   * max(10u/rtol', min(0.03, √rtol')): 3e-5 at rtol' = 1e-9. (The flows keep the default: 0.03 saved Newton
   * iterations but broke the duals' consistency r − r₀ = AᵀΛ, which holds to the Newton tolerance.)
   */
  newtonTolerance?: number;
}

export function makeRadauIIAStepper<S>(ctx: StepperContext<S>, stages = 3, options: RadauOptions = {}): Stepper<S> {
  const { problem, stats } = ctx;
  const F = problem.F;
  const K = radauIIACoefficients(F, stages);
  const s = K.stages;
  const pairs = (s - 1) / 2;
  const name = `RadauIIA${K.order}`;
  const reuseTheta = options.jacobianReuseTheta ?? THETA_REUSE_JACOBIAN;
  const tol = (options.hairerTolerances ?? true) ? radauInternalTolerances(F, ctx.tol, s) : ctx.tol;
  const d = problem.y0.length;
  const NIT_MAX = 7 + (s - 3); // radau.f allows more iterations for more stages
  const controller = new PredictiveController(NIT_MAX, 1 / (s + 1));
  const uround = Math.pow(10, F.log10UnitRoundoff);
  const fnewt = options.newtonTolerance ?? Math.max((10 * uround) / tol.rtolNum, Math.min(0.03, Math.sqrt(tol.rtolNum)));

  const rhs = countedDerivative(problem, stats);
  const evalF = rhs.evalF;
  const derivativeAt = rhs.at;

  let J: S[][] | undefined;
  let jacT: S | undefined;
  let jacY: readonly S[] | undefined;
  let needJacobian = true;
  let luH: S | undefined;
  let systems: NewtonSystems<S> | undefined;
  /** the stage transform the factors were built for (stageScaling.ts) */
  const tableau = tableauTransform(F, K);
  let transform: StageTransform<S> = tableau;
  /** (γ/h I − J) of the tableau for the error estimate, when the factors are for a scaled transform */
  let errorSystem: NewtonSystems<S> | undefined;
  /** float64 factors allowed (options.float64NewtonSystems); off after a Newton failure with them until a step is accepted */
  const float64Systems = options.float64NewtonSystems ?? true;
  let fieldSystemsOnly = false;
  /** the last accepted step: its start, h, stage increments Z and stage values Y (Y[s − 1] is its end state) */
  let prev: { tStart: S; yStart: readonly S[]; tEnd: S; h: S; Z: S[][]; Y: S[][] } | undefined;
  let hAcc: S | undefined;
  let firstStep = true;
  let lastRejected = false;
  let newtonFailures = 0;
  /** h at which Newton last failed, relaxed after each accepted step (NEWTON_MEMORY_*); undefined: none */
  let hNewtonFailed: number | undefined;

  const jacobianAt = (t: S, y: readonly S[], f0: readonly S[]): S[][] => {
    stats.jacEvals++;
    if (problem.jacobian) return problem.jacobian(t, y);
    stats.fEvals += d;
    return finiteDifferenceJacobian(F, problem.f, t, y, f0);
  };

  const factor = (h: S, tr: StageTransform<S>): boolean => {
    systems = factorNewtonSystems(F, J!, tr.gamma, tr.alpha, tr.beta, h, float64Systems && !fieldSystemsOnly);
    stats.luDecomps += 1 + pairs;
    luH = h;
    transform = tr;
    errorSystem = undefined;
    return !systems.singular;
  };
  /** (γ/h I − J)⁻¹ b with the tableau's γ (the error estimate), factored apart when the transform is scaled */
  const errorSolve = (b: readonly S[]): S[] | null => {
    if (transform.logRatios === null) return systems!.solveReal(b);
    if (errorSystem === undefined) {
      errorSystem = factorNewtonSystems(F, J!, K.gamma, [], [], luH!, float64Systems && !fieldSystemsOnly);
      stats.luDecomps++;
    }
    return errorSystem.solveReal(b);
  };
  /** the transform for stages y + Z (stageScaling.ts): the one in use while no stage's ln d_i moved by RESCALE_LOG */
  const transformFor = (y: readonly S[], Z: readonly (readonly S[])[]): StageTransform<S> => {
    if (!problem.stiffnessLog) return tableau;
    const base = problem.stiffnessLog(jacY!);
    const logs = Z.map((z) => problem.stiffnessLog!(y.map((v, j) => F.add(v, z[j]!))) - base);
    if (!logs.every(Number.isFinite)) return tableau;
    const current = transform.logRatios;
    if (logs.every((l, i) => Math.abs(l - (current ? current[i]! : 0)) <= RESCALE_LOG)) return transform;
    if (logs.every((l) => Math.abs(l) <= RESCALE_LOG)) return tableau;
    return stageTransform(F, K, tableau, logs);
  };

  const rmsScaled = (vs: readonly (readonly S[])[], sc: readonly S[]): number => {
    let acc = F.zero;
    for (const v of vs) for (let j = 0; j < d; j++) { const q = F.div(v[j]!, sc[j]!); acc = F.add(acc, F.mul(q, q)); }
    return Math.sqrt(F.toNumber(acc) / (vs.length * d));
  };
  /** the error scale at y (OdeProblem.errorScale, else atol + rtol·|y_j|) */
  const scaleAt = (y: readonly S[]): readonly S[] => (problem.errorScale ? problem.errorScale(y, tol.rtol, tol.atol) : y.map((v) => F.add(tol.atol, F.mul(tol.rtol, F.abs(v)))));
  // scaled by the larger of the scales at y and y_new (by default atol + rtol·max(|y_j|, |ŷ_j|): rounding is monotone)
  const errNorm = (e: readonly S[], y: readonly S[], yNew: readonly S[]): number => {
    let acc = F.zero;
    const scY = scaleAt(y);
    const scNew = scaleAt(yNew);
    for (let j = 0; j < d; j++) {
      const sc = F.max(scY[j]!, scNew[j]!);
      const q = F.div(e[j]!, sc);
      acc = F.add(acc, F.mul(q, q));
    }
    const r = Math.sqrt(F.toNumber(acc) / Math.max(1, d));
    return Number.isNaN(r) ? Infinity : r;
  };
  /** max_ij |Δz_ij| / res_j with ΔZ = (T⊗I)ΔW, in float64 (a size, not a value: 16 digits are plenty). */
  const resolvedNorm = (dW: readonly (readonly S[])[], res: readonly number[]): number => {
    const w = dW.map((v) => v.map((x) => F.toNumber(x)));
    let worst = 0;
    for (const row of transform.T64) {
      for (let j = 0; j < d; j++) {
        let dz = 0;
        for (let i = 0; i < s; i++) dz += row[i]! * w[i]![j]!;
        worst = Math.max(worst, Math.abs(dz) / res[j]!);
      }
    }
    return worst;
  };
  /** (M⊗I) applied to s stacked vectors. */
  const mix = (M: readonly (readonly S[])[], V: readonly (readonly S[])[]): S[][] => M.map((row) => combine(F, row, V, d));

  /** notLinearAlgebra: the failure is not the factors' (a non-finite f), so no retry with the field's factors */
  const rejectNewton = (h: S, message: string, factor = 0.5, notLinearAlgebra = false): StepOutcome<S> => {
    if (systems?.precision === 'float64' && !notLinearAlgebra) {
      // retry the same step with the factors in the field: the failure may be the float64 factors' (newtonSystems.ts)
      // (counted as a rejected step; not an error-test rejection: lastRejected stays, the retried step may grow h)
      fieldSystemsOnly = true;
      luH = undefined;
      return { kind: 'rejected', hNext: h };
    }
    newtonFailures++;
    const hf = Math.abs(F.toNumber(h));
    hNewtonFailed = hNewtonFailed === undefined ? hf : Math.min(hNewtonFailed, hf);
    lastRejected = true;
    if (newtonFailures > MAX_CONSECUTIVE_NEWTON_FAILURES) return { kind: 'failure', status: 'newton_failure', message };
    return { kind: 'rejected', hNext: F.mul(h, F.of(factor)) };
  };

  return {
    name,
    order: K.order,
    derivativeAt,
    step(t: S, y: readonly S[], h: S, fixed: boolean): StepOutcome<S> {
      const f0 = derivativeAt(t, y);
      const jacIsCurrent = J !== undefined && jacT === t && jacY === y;
      if (J === undefined || (needJacobian && !jacIsCurrent)) {
        J = jacobianAt(t, y, f0);
        jacT = t;
        jacY = y;
        needJacobian = false;
        luH = undefined;
      }
      const hInv = F.div(F.one, h);
      const tStages = K.c.map((ci) => F.add(t, F.mul(ci, h)));

      // Starting values: extrapolated collocation polynomial of the previous step (HW II §IV.8).
      let Z: S[][];
      if (prev && !firstStep && prev.tEnd === t && prev.Y[s - 1] === y) {
        const ratio = F.div(h, prev.h);
        const last = prev.Z[s - 1]!;
        Z = K.c.map((ci) => {
          const w = lagrangeWeightsZeroAnchored(F, K.c, F.add(F.one, F.mul(ci, ratio)));
          const v = combine(F, w, prev!.Z, d);
          return v.map((x, j) => F.sub(x, last[j]!));
        });
        if (problem.refineStages) {
          const p = prev;
          const refined = problem.refineStages(
            { t: [p.tStart, ...K.c.map((ci) => F.add(p.tStart, F.mul(ci, p.h)))], y: [p.yStart, ...p.Y] },
            { t: tStages, y: Z.map((z) => y.map((v, j) => F.add(v, z[j]!))) },
          );
          Z = refined.map((Y) => Y.map((v, j) => F.sub(v, y[j]!)));
        }
      } else {
        Z = K.c.map(() => y.map(() => F.zero));
      }
      const wanted = transformFor(y, Z);
      if (luH === undefined || F.cmp(luH, h) !== 0 || wanted !== transform) {
        if (!factor(h, wanted)) return rejectNewton(h, 'singular iteration matrix');
      }
      const AinvH = K.Ainv.map((row) => row.map((x) => F.mul(x, hInv)));
      const sc = scaleAt(y);
      const resolution = problem.stateResolution ? problem.stateResolution(y) : null;

      let converged = false;
      let theta = 1;
      let faccon = 1;
      let dynold = 0;
      /** the previous iteration's increments (for the roundoff-stagnation test) */
      let dWOld: S[][] | null = null;
      let stagnated = false;
      let nit = 0;
      // Fixed-step mode (order measurements) iterates to convergence instead of cutting the step.
      const nitMax = fixed ? 60 : NIT_MAX;
      for (nit = 1; nit <= nitMax; nit++) {
        stats.newtonIters++;
        const Fz = Z.map((z, i) => evalF(tStages[i]!, y.map((yj, j) => F.add(yj, z[j]!))));
        for (const v of Fz) for (const x of v) if (!F.isFinite(x)) return rejectNewton(h, 'non-finite f in Newton iteration', 0.5, true);
        // residual R = F(y0 + Z) − h⁻¹(A⁻¹⊗I)Z in the field; (T⁻¹D⁻¹⊗I)R into the transformed systems
        const R = Fz.map((fz, i) => { const az = combine(F, AinvH[i]!, Z, d); return fz.map((v, j) => F.sub(v, az[j]!)); });
        const TR = mix(transform.TinvD, R);
        const dW: S[][] = new Array(s);
        const real = systems!.solveReal(TR[0]!);
        if (real === null) return rejectNewton(h, 'non-finite Newton increment');
        dW[0] = real;
        for (let k = 0; k < pairs; k++) {
          const p = 1 + 2 * k, q = 2 + 2 * k;
          const pair = systems!.solveComplex(k, TR[p]!, TR[q]!);
          if (pair === null) return rejectNewton(h, 'non-finite Newton increment');
          dW[p] = pair[0];
          dW[q] = pair[1];
        }
        const dyno = rmsScaled(dW, sc);
        if (!Number.isFinite(dyno)) return rejectNewton(h, 'non-finite Newton increment');
        /** resolvedNorm(dW) when the stagnation test below has computed it */
        let resolvedNow: number | undefined;
        if (nit > 1) {
          theta = dynold > 0 ? dyno / dynold : 0;
          // both resolution norms only here: θ ≥ 0.9 is rare, and the step ends soon after it
          const resolvedOld = !stagnated && resolution !== null && theta >= ROUNDOFF_STAGNATION_THETA ? resolvedNorm(dWOld!, resolution) : 0;
          if (resolvedOld > 0) {
            const resolved = (resolvedNow = resolvedNorm(dW, resolution!));
            const thetaResolved = resolved / resolvedOld;
            if (thetaResolved <= 0.5 && (thetaResolved / (1 - thetaResolved)) * resolved <= RESOLVED_FRACTION) {
              stagnated = true;
              stats.newtonStagnations++;
            }
          }
          if (theta >= 0.99) { needJacobian = true; return rejectNewton(h, 'Newton iteration diverged'); }
          faccon = theta / (1 - theta);
          // Predicted error after the remaining iterations too large: give up early (radau5.f).
          const dyth = (faccon * dyno * Math.pow(theta, NIT_MAX - 1 - nit)) / fnewt;
          if (!fixed && dyth >= 1 && nit < NIT_MAX) {
            const qnewt = Math.max(1e-4, Math.min(20, dyth));
            needJacobian = true;
            return rejectNewton(h, 'Newton iteration converges too slowly', 0.8 * Math.pow(qnewt, -1 / (4 + NIT_MAX - 1 - nit)));
          }
        }
        dynold = Math.max(dyno, uround);
        dWOld = dW;
        const dZ = mix(transform.T, dW);
        Z = Z.map((z, i) => z.map((v, j) => F.add(v, dZ[i]![j]!)));
        if (faccon * dyno <= fnewt && (resolution === null || faccon * (resolvedNow ?? resolvedNorm(dW, resolution)) <= RESOLVED_FRACTION)) { converged = true; break; }
      }
      if (!converged) { needJacobian = true; return rejectNewton(h, 'Newton iteration did not converge'); }
      newtonFailures = 0;

      const tNew = F.add(t, h);
      // the stage values, built once: the next step's predictor and the caller's stage quadrature see the
      // same arrays (and the last is y_new itself), so evaluations at them are shared (flows/mirror.ts)
      const stageY = Z.map((z) => y.map((yj, j) => F.add(yj, z[j]!)));
      const yNew = stageY[s - 1]!;
      // Error estimate HW II (8.19)-(8.20).
      const f2 = combine(F, K.dd.map((x) => F.mul(x, hInv)), Z, d);
      let errVec = errorSolve(f0.map((v, j) => F.add(v, f2[j]!)));
      if (errVec === null) return rejectNewton(h, 'non-finite error estimate');
      let err = errNorm(errVec, y, yNew);
      if (err >= 1 && (firstStep || lastRejected)) {
        const e = errVec;
        const fPert = evalF(t, y.map((yj, j) => F.add(yj, e[j]!)));
        errVec = errorSolve(fPert.map((v, j) => F.add(v, f2[j]!)));
        if (errVec === null) return rejectNewton(h, 'non-finite error estimate');
        err = errNorm(errVec, y, yNew);
      }
      if (!fixed && !(err < 1)) {
        const fac = firstStep ? 0.1 : controller.reject(err, nit);
        lastRejected = true;
        return { kind: 'rejected', hNext: F.mul(h, F.of(fac)) };
      }
      // Accepted.
      const jacobianStillGood = nit === 1 || theta <= reuseTheta;
      let hNext = h;
      if (!fixed) {
        const haccOverH = hAcc === undefined || firstStep ? undefined : F.toNumber(F.div(hAcc, h));
        let fac = controller.accept(err, nit, haccOverH);
        if (lastRejected) fac = Math.min(fac, 1);
        // Newton-limited growth (our addition to radau5.f): with a frozen Jacobian the contraction θ grows
        // ~linearly in h when J varies along the step (e.g. stiffness growing like e^t, SPEC §8). Do not grow
        // past the h at which θ would reach THETA_TARGET, else the next steps are rejected for slow Newton.
        if (nit > 1 && theta > THETA_TARGET / 8) fac = Math.min(fac, Math.max(0.2, THETA_TARGET / theta));
        // Newton-failure memory (our addition): do not grow back past NEWTON_MEMORY_FRACTION of the h at which
        // Newton last failed, a bound relaxed by NEWTON_MEMORY_RELAX per accepted step (never forces a cut).
        if (hNewtonFailed !== undefined) {
          const hAbs = Math.abs(F.toNumber(h));
          fac = Math.max(Math.min(fac, (NEWTON_MEMORY_FRACTION * hNewtonFailed) / hAbs), Math.min(fac, 1));
          hNewtonFailed *= NEWTON_MEMORY_RELAX;
        }
        hNext = F.mul(h, F.of(fac));
        // Keep h (and the LU) when h_new/h ∈ [1, 1.2] and the Jacobian is reused (radau5.f QUOT1/QUOT2).
        if (jacobianStillGood && fac >= 1 && fac <= 1.2) hNext = h;
      }
      hAcc = h;
      if (fieldSystemsOnly) { fieldSystemsOnly = false; luH = undefined; }
      needJacobian = !jacobianStillGood;
      firstStep = false;
      lastRejected = false;
      prev = { tStart: t, yStart: y, tEnd: tNew, h, Z, Y: stageY };
      const interpolant = collocationInterpolant(F, K.c, t, h, y, Z);
      return { kind: 'accepted', tNew, yNew, hNext, interpolant, stages: { c: K.c, b: K.A[s - 1]!, y: stageY } };
    },
  };
}
