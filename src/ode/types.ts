/**
 * Shared types of the ODE layer: solver options, the per-step interface every algorithm implements, and
 * the solution record. `solve` (solve.ts) owns the time loop; algorithms only know how to attempt one step.
 */
import type { OdeProblem } from './Problem.js';

export type Tolerance<S> = number | string | S;

/** A zero-crossing function g(t, y) located on the dense output (solve.ts, events.ts). */
export interface OdeEvent<S> {
  g(t: S, y: readonly S[]): S;
  /** +1: only upward crossings (g goes − → +); −1: only downward; 0 (default): both. */
  direction?: -1 | 0 | 1;
  /** Stop the integration at the first occurrence (status 'event'). */
  terminal?: boolean;
  tag?: string;
}

export interface EventRecord<S> {
  tag: string;
  /** Index of the event in `options.events`. */
  index: number;
  t: S;
  y: S[];
}

export interface OdeStats {
  /** Attempted steps (accepted + rejected, including Newton failures). */
  steps: number;
  accepted: number;
  rejected: number;
  fEvals: number;
  jacEvals: number;
  luDecomps: number;
  /** Newton iterations (implicit methods only). */
  newtonIters: number;
  /**
   * Steps whose Newton iteration stagnated at roundoff level (Radau IIA with `problem.stateResolution`): the
   * increments stopped shrinking in the tolerance norm while they converged in the state-resolution norm
   * (radauIIA.ts ROUNDOFF_STAGNATION_THETA). A caller may read a run of them as the field's limit.
   */
  newtonStagnations: number;
}

export function emptyStats(): OdeStats {
  return { steps: 0, accepted: 0, rejected: 0, fEvals: 0, jacEvals: 0, luDecomps: 0, newtonIters: 0, newtonStagnations: 0 };
}

/** Information passed to `onStep` after each accepted step. */
export interface StepInfo<S> {
  tPrev: S;
  yPrev: readonly S[];
  t: S;
  y: readonly S[];
  h: S;
  stats: Readonly<OdeStats>;
  /** Dense output on [tPrev, t]. */
  interpolate(t: S): S[];
  /**
   * The accepted step's collocation points, when the method has them (Radau IIA): nodes c_i (fractions of h),
   * the method's quadrature weights b_i, and the stage values Y_i (the last is `y` itself, the same array).
   * A quantity integrated by Σ b_i q(Y_i)·h is then integrated by the very rule that advanced y.
   */
  stages?: StageValues<S>;
}

export interface StageValues<S> {
  readonly c: readonly S[];
  readonly b: readonly S[];
  readonly y: readonly (readonly S[])[];
}

export interface SolveOptions<S> {
  rtol?: Tolerance<S>;
  atol?: Tolerance<S>;
  /** Initial step; chosen automatically (Hairer–Nørsett–Wanner I, II.4) when absent. */
  h0?: Tolerance<S>;
  hmax?: Tolerance<S>;
  /** Maximum number of attempted steps (default 100 000). */
  maxSteps?: number;
  /** Wall-clock limit in seconds. */
  maxSeconds?: number;
  /** Fixed step size: every step has this size (last one clipped), no error control. For order tests. */
  fixedStep?: Tolerance<S>;
  onStep?(info: StepInfo<S>): void | 'stop';
  events?: readonly OdeEvent<S>[];
}

export type OdeStatus =
  | 'success'
  | 'stopped'
  | 'event'
  | 'max_steps'
  | 'max_seconds'
  | 'step_too_small'
  | 'newton_failure'
  | 'nonfinite';

export interface OdeSolution<S> {
  status: OdeStatus;
  /** Human-readable detail for a non-success status. */
  message?: string;
  algorithm: string;
  t: S;
  y: S[];
  events: EventRecord<S>[];
  stats: OdeStats;
  seconds: number;
}

/** Tolerances resolved into the field. */
export interface ResolvedTolerances<S> {
  rtol: S;
  atol: S;
  /** Same as numbers, for exponent computations. */
  rtolNum: number;
  atolNum: number;
}

/** Dense output of one accepted step. */
export interface Interpolant<S> {
  /** y(t) for t in [tPrev, t] (accurate to the method's dense order, or to the tolerance). */
  at(t: S): S[];
}

export type StepOutcome<S> =
  | { kind: 'accepted'; tNew: S; yNew: S[]; hNext: S; interpolant: Interpolant<S>; stages?: StageValues<S> }
  | { kind: 'rejected'; hNext: S }
  | { kind: 'failure'; status: 'newton_failure' | 'nonfinite'; message: string };

/** One algorithm instance bound to one problem: attempts steps; keeps its own caches (FSAL, LU, Jacobian). */
export interface Stepper<S> {
  readonly name: string;
  /** Nominal order used for the initial step guess. */
  readonly order: number;
  /** Attempt a step of size h from (t, y); `fixed` disables error control (always accept). */
  step(t: S, y: readonly S[], h: S, fixed: boolean): StepOutcome<S>;
  /** f(t, y) at the current point, if the stepper has it cached (used for the initial step guess). */
  derivativeAt?(t: S, y: readonly S[]): S[];
}

export interface StepperContext<S> {
  problem: OdeProblem<S>;
  tol: ResolvedTolerances<S>;
  stats: OdeStats;
  hmax: S | undefined;
}

export type StepperFactory = <S>(ctx: StepperContext<S>) => Stepper<S>;
