/**
 * An initial value problem y' = f(t, y), y(t0) = y0 on [t0, tEnd], over any numeric Field (SPEC §8:
 * the same problem object runs in float64 and in Decimal).
 *
 * Kept apart from the algorithm and from `solve` (OrdinaryDiffEq.jl style: problem, algorithm, solve).
 */
import type { Field } from '../numeric/Field.js';

export interface OdeProblem<S> {
  readonly F: Field<S>;
  /** Right-hand side. Must not mutate `y`; returns a fresh array. Autonomous problems ignore `t`. */
  f(t: S, y: readonly S[]): S[];
  /** Analytic Jacobian ∂f/∂y (row i = ∂f_i/∂y). Optional: implicit methods fall back to finite differences. */
  jacobian?(t: S, y: readonly S[]): S[][];
  readonly t0: S;
  readonly y0: readonly S[];
  readonly tEnd: S;
  /**
   * Optional improvement of the implicit stages' starting values. `previous` holds the last accepted step's
   * start and converged stage states with their times; `next` the new stage times and the states the
   * integrator extrapolated for them. Returns states to start Newton from (same shape as `next.y`), e.g.
   * projected onto a slow manifold that polynomial extrapolation in y leaves (SPEC §8).
   */
  refineStages?(previous: StagePoints<S>, next: StagePoints<S>): S[][];
  /**
   * Optional: per component, the change of y that the problem must resolve — e.g. in the mirror flow the change
   * of r_j that moves a margin by one unit (SPEC §8), far below rtol·|r_j| once ‖w‖ is large. Implicit methods
   * then iterate Newton until the estimated remaining change of every stage is a small fraction of it, besides
   * their tolerance test. Entries must not lie below what the field can represent (e.g. 100·u·|y_j|). A
   * resolution far below the tolerance costs iterations, and steps where Newton cannot reach it within its
   * iteration budget (Van der Pol at rtol 1e-4 with resolution 1e-30 in Decimal(40): 7 → 197 steps).
   */
  stateResolution?(y: readonly S[]): readonly number[];
  /**
   * Optional: per component, the scale sc_j against which local errors and Newton increments are measured at y,
   * given the integrator's (internal) rtol and atol, in place of atol + rtol·|y_j|. For a problem written in a
   * chart other than the one its accuracy is naturally stated in, e.g. the scaled mirror chart
   * (flows/mirrorScaled.ts), which applies the tolerances of the r chart. Entries must be positive.
   */
  errorScale?(y: readonly S[], rtol: S, atol: S): readonly S[];
  /**
   * Optional: σ(y) such that the stiff part of the Jacobian scales like e^{σ(y)} along the solution (e.g. ln‖w‖ in
   * the late mirror flow). Implicit methods then scale their frozen Jacobian stage by stage by e^{σ(Y_i) − σ(y_J)}
   * (ode/stageScaling.ts), so Newton's contraction does not degrade as the stiffness grows within a step.
   */
  stiffnessLog?(y: readonly S[]): number;
}

export interface StagePoints<S> {
  readonly t: readonly S[];
  readonly y: readonly (readonly S[])[];
}

/** Build a problem, converting numeric/string endpoints and initial values into the field. */
export function odeProblem<S>(spec: {
  F: Field<S>;
  f: (t: S, y: readonly S[]) => S[];
  jacobian?: (t: S, y: readonly S[]) => S[][];
  t0: S | number | string;
  y0: readonly (S | number | string)[];
  tEnd: S | number | string;
}): OdeProblem<S> {
  const F = spec.F;
  const conv = (x: S | number | string): S => (typeof x === 'number' || typeof x === 'string' ? F.of(x) : x);
  const p: OdeProblem<S> = {
    F,
    f: spec.f,
    t0: conv(spec.t0),
    y0: spec.y0.map(conv),
    tEnd: conv(spec.tEnd),
    ...(spec.jacobian ? { jacobian: spec.jacobian } : {}),
  };
  return p;
}
