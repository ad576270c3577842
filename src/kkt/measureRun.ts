/**
 * A followed run (src/flows/follow.ts) measured against an SVM: every checkpoint of every segment in its
 * own field, as CONTRACT.md JSON plus the plain numbers that verdicts and rate fits read.
 */
import type { Field } from '../numeric/Field.js';
import type { FollowResult, Segment } from '../flows/follow.js';
import type { SvmResult } from '../svm/SvmResult.js';
import { nuclearNorm, spectralNorm } from '../svm/svd.js';
import { svmReference } from './reference.js';
import { type MeasuredCheckpoint, checkpointJson, measureTrajectory } from './trajectory.js';
import { log10Time } from '../flows/checkpoint.js';

export interface CheckpointNumbers {
  readonly rho: number;
  readonly log10T: number;
  readonly log10Norm: number | null;
  readonly minMargin: number;
  readonly relativeGap: number | null;
  readonly directionError: number | null;
  readonly eps: number | null;
  readonly delta: number | null;
  readonly epsWindow: number | null;
  readonly deltaWindow: number | null;
  readonly dualDistanceWindow: number | null;
  readonly log10Excess: number;
  readonly log10MaxNonOpt: number;
  /** log10(1 − s_{i,opt}) per sample */
  readonly log10NonOptMass: readonly number[];
  /** the bracket OPT ≤ ‖W̃‖ ≤ upper holds (null without a reference) */
  readonly bracketHolds: boolean | null;
  /** the backend of the segment */
  readonly backend: string;
  /**
   * Unclipped cumulative duals λ_raw = Λ/‖AᵀΛ‖° (extras; null without Λ): the most negative entry (the
   * minimum entry when none is negative), its constraint index and its unnormalized Λ.
   */
  readonly rawLambdaMin: number | null;
  readonly rawLambdaMinIndex: number | null;
  readonly rawLambdaMinAbs: number | null;
  /** the unnormalized Λ_k(t) of every constraint (null without Λ) */
  readonly rawLambdaAll: readonly number[] | null;
  /** ‖r − AᵀΛ‖∞/‖AᵀΛ‖∞ (mirror flow): the quadrature error of Λ seen through A, in units of λ_raw */
  readonly lambdaQuadratureResidual: number | null;
}

export interface MeasuredRun {
  readonly checkpoints: readonly Record<string, unknown>[];
  readonly numbers: readonly CheckpointNumbers[];
}

function numbersOf<S>(F: Field<S>, c: MeasuredCheckpoint<S>, opt: S | null, backend: string): CheckpointNumbers {
  const n = (x: S | null | undefined) => (x === null || x === undefined ? null : F.toNumber(x));
  const duals = c.window ?? c.instant;
  const upper = (c.window ?? c.cumulative ?? c.instant)?.bracketUpper ?? null;
  let bracketHolds: boolean | null = null;
  if (opt !== null && c.primal) {
    // OPT ≤ ‖W̃‖ up to roundoff (‖W̃‖ is feasible); ‖W̃‖ ≤ (OPT + δ)/(1 − ε)
    const slack = F.mul(F.scale(F.epsilon(), 1e4), opt);
    bracketHolds = !F.lt(F.add(c.primal.normTilde, slack), opt) && (upper === null || !F.gt(c.primal.normTilde, F.add(upper, slack)));
  }
  return {
    rho: F.toNumber(c.base.rho),
    log10T: F.toNumber(log10Time(F, c.base.logT)),
    log10Norm: n(c.base.log10Norm),
    minMargin: F.toNumber(c.base.minMargin),
    relativeGap: n(c.primal?.relativeGap),
    directionError: n(c.primal?.directionError),
    eps: n((c.cumulative ?? c.instant)?.eps),
    delta: n((c.cumulative ?? c.instant)?.delta),
    epsWindow: n(duals?.eps),
    deltaWindow: n(duals?.delta),
    dualDistanceWindow: n(duals?.dualDistance),
    log10Excess: F.toNumber(c.base.log10Excess),
    log10MaxNonOpt: F.toNumber(c.base.log10MaxNonOpt),
    log10NonOptMass: c.base.log10NonOptMass.map((x) => F.toNumber(x)),
    bracketHolds,
    backend,
    rawLambdaMin: n(c.rawCumulative?.min),
    rawLambdaMinIndex: c.rawCumulative ? c.rawCumulative.minIndex : null,
    rawLambdaMinAbs: n(c.rawCumulative?.minAbs),
    rawLambdaAll: c.base.Lambda ? c.base.Lambda.map((x) => F.toNumber(x)) : null,
    lambdaQuadratureResidual: c.rawCumulative?.quadratureResidual ?? null,
  };
}

export function measureSegment<S>(seg: Segment<S>, svm: SvmResult | null): { json: Record<string, unknown>[]; numbers: CheckpointNumbers[] } {
  const { F, P, flow, run } = seg;
  const ref = svm ? svmReference(P, svm, { nuclear: (W) => nuclearNorm(F, W), spectral: (W) => spectralNorm(F, W) }) : null;
  const measured = measureTrajectory(P, flow, run.checkpoints, ref);
  const backend = F.kind === 'float64' ? 'float64' : `decimal(${F.digits})`;
  return {
    json: measured.map((c) => ({ ...checkpointJson(P, c), backend })),
    numbers: measured.map((c) => numbersOf(F, c, ref?.opt ?? null, backend)),
  };
}

export function measureRun(result: FollowResult, svm: SvmResult | null): MeasuredRun {
  const json: Record<string, unknown>[] = [];
  const numbers: CheckpointNumbers[] = [];
  result.segments.forEach((seg, i) => {
    const m = measureSegment(seg, svm);
    // the first checkpoint of a later segment repeats the handover state
    const skip = i > 0 ? 0 : 0;
    json.push(...m.json.slice(skip));
    numbers.push(...m.numbers.slice(skip));
  });
  return { checkpoints: json, numbers };
}
