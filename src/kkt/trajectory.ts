/**
 * Checkpoints of a run with every CONTRACT.md `flow --json` field: the flow-level ones (checkpoint.ts) and,
 * when an SVM reference is given, the KKT ones of SPEC.md §6 — relative gap, direction error, cumulative
 * duals λ(t) = Λ(t)/‖AᵀΛ‖° and late-window duals λ_[τ₁,τ₂] from ΔΛ between consecutive checkpoints,
 * with ε, δ and the certified bracket for each. Flows without Λ use the instantaneous weights c(t).
 *
 * `dualMeasures` clips negative λ to 0 (so ε, δ and the bracket stay valid certificates); the UNCLIPPED
 * cumulative duals λ_raw = Λ/‖AᵀΛ‖° are reported beside them (`rawCumulative`): without A1(b) an early
 * negative weight c_{i,t} can leave Λ_{i,t}(t) negative for ever, and the paper's λ(t) is then outside the
 * dual cone (SPEC.md §2, §6). For the mirror flow AᵀΛ = r − r(τ₀), so ‖AᵀΛ‖∞ is ‖r‖∞ up to the tiny start.
 */
import type { Field } from '../numeric/Field.js';
import type { AttentionProblem } from '../model/problem.js';
import { evaluateAttention } from '../model/attention.js';
import { type BaseCheckpoint, baseCheckpoint, log10Time } from '../flows/checkpoint.js';
import type { FlowDefinition, Weights } from '../flows/FlowDefinition.js';
import type { FlowState } from '../flows/run.js';
import { type DualMeasures, type PrimalMeasures, type SvmReference, combineConstraints, dualMeasures, primalMeasures } from './measures.js';
import { dualNorm } from './norms.js';
import { normInf } from '../numeric/Field.js';

/** The unclipped cumulative duals λ_raw = Λ/‖AᵀΛ‖° and their most negative (else smallest) entry. */
export interface RawCumulativeDuals<S> {
  /** λ_raw, one per constraint (may be negative) */
  readonly lambda: S[];
  /** index of the most negative entry (the minimum entry when none is negative) */
  readonly minIndex: number;
  /** λ_raw at minIndex */
  readonly min: S;
  /** the unnormalized Λ at minIndex */
  readonly minAbs: S;
  /** 1ᵀλ_raw (a lower bound on OPT only when every entry is ≥ 0) */
  readonly dualObjective: S;
  /**
   * ‖r − AᵀΛ‖∞/‖AᵀΛ‖∞ for the mirror flow `r` (r(τ₀) ≈ 0 at the default init): the error of the
   * quadrature of Λ as seen through A (Newton tolerance + roundoff with the Radau IIA rule of run.ts), in the units of λ_raw; null for other flows
   */
  readonly quadratureResidual: number | null;
}

export interface MeasuredCheckpoint<S> {
  readonly base: BaseCheckpoint<S>;
  readonly primal: PrimalMeasures<S> | null;
  /** duals from Λ(t) (cumulative) */
  readonly cumulative: DualMeasures<S> | null;
  /** duals from Λ(τ₂) − Λ(τ₁) since the previous checkpoint */
  readonly window: DualMeasures<S> | null;
  /** duals from the instantaneous gradient weights c(t) */
  readonly instant: DualMeasures<S> | null;
  /** unclipped cumulative duals (null without Λ, or while AᵀΛ = 0) */
  readonly rawCumulative: RawCumulativeDuals<S> | null;
}

/**
 * λ_raw = Λ/‖AᵀΛ‖° without clipping. The dual norm is the reference SVM's (as in `dualMeasures`); without a
 * reference, ℓ∞ on the diagonal (SPEC.md §6: λ(t) = Λ(t)/‖r(t)‖∞ whatever the SVM).
 */
export function rawCumulativeDuals<S>(P: AttentionProblem<S>, ref: SvmReference<S> | null, Lambda: readonly S[], structure: 'diag' | 'full', r: readonly S[] | null): RawCumulativeDuals<S> | null {
  const F = P.F;
  if (Lambda.length === 0) return null;
  const xi = combineConstraints(P, Lambda, structure);
  const scale = ref ? dualNorm(F, xi, ref.norm, ref.p, ref.spectral) : dualNorm(F, xi, 'l1');
  if (F.isZero(scale) || !F.isFinite(scale)) return null;
  const lambda = Lambda.map((x) => F.div(x, scale));
  let minIndex = 0;
  let dualObjective = F.zero;
  lambda.forEach((l, k) => {
    if (F.lt(l, lambda[minIndex]!)) minIndex = k;
    dualObjective = F.add(dualObjective, l);
  });
  let quadratureResidual: number | null = null;
  if (r && xi.structure === 'diag' && r.length === xi.w.length) {
    const xiInf = normInf(F, xi.w);
    quadratureResidual = F.toNumber(F.div(normInf(F, r.map((x, j) => F.sub(x, xi.w[j]!))), xiInf));
  }
  return { lambda, minIndex, min: lambda[minIndex]!, minAbs: Lambda[minIndex]!, dualObjective, quadratureResidual };
}

function instantWeights<S>(P: AttentionProblem<S>, margins: readonly S[]): S[] {
  const F = P.F;
  const ev = evaluateAttention(P, margins);
  let M: S | null = null;
  for (const c of ev.c) if (c.sign > 0 && (M === null || F.gt(c.log, M))) M = c.log;
  return ev.c.map((c) => (c.sign > 0 && M !== null ? F.exp(F.sub(c.log, M)) : F.zero));
}

export function measureTrajectory<S>(
  P: AttentionProblem<S>,
  flow: FlowDefinition<S>,
  states: readonly FlowState<S>[],
  ref: SvmReference<S> | null,
): MeasuredCheckpoint<S>[] {
  const F = P.F;
  const out: MeasuredCheckpoint<S>[] = [];
  let prevLambda: readonly S[] | null = null;
  for (const st of states) {
    const base = baseCheckpoint(P, flow, st);
    let primal: PrimalMeasures<S> | null = null;
    let cumulative: DualMeasures<S> | null = null;
    let window: DualMeasures<S> | null = null;
    let instant: DualMeasures<S> | null = null;
    const rawCumulative = base.Lambda ? rawCumulativeDuals(P, ref, base.Lambda, flow.structure, flow.mirror ? flow.mirror(st.y) : flow.param === 'r' ? st.y : null) : null;
    if (ref && base.wTilde) {
      const mTilde = base.margins.map((h) => F.div(h, base.minMargin));
      primal = primalMeasures(P, ref, base.wTilde);
      if (base.Lambda) {
        cumulative = dualMeasures(P, ref, base.wTilde, mTilde, base.Lambda);
        if (prevLambda) window = dualMeasures(P, ref, base.wTilde, mTilde, base.Lambda.map((x, k) => F.sub(x, prevLambda![k]!)));
      }
      instant = dualMeasures(P, ref, base.wTilde, mTilde, instantWeights(P, base.margins));
    }
    if (base.Lambda) prevLambda = base.Lambda;
    out.push({ base, primal, cumulative, window, instant, rawCumulative });
  }
  return out;
}

const num = <S>(F: Field<S>, x: S | null | undefined): number | null => (x === null || x === undefined ? null : F.toNumber(x));
const weightsJson = <S>(F: Field<S>, W: Weights<S> | null): string[] | string[][] | null =>
  W === null ? null : W.structure === 'diag' ? W.w.map((x) => F.toString(x)) : W.W.map((row) => row.map((x) => F.toString(x)));

function dualsJson<S>(P: AttentionProblem<S>, m: DualMeasures<S> | null): { i: number; t: number; lambda: number }[] | null {
  if (!m) return null;
  return m.lambda.map((l, k) => ({ i: P.constraints.diag[k]!.i, t: P.constraints.diag[k]!.t, lambda: P.F.toNumber(l) }));
}

/** The CONTRACT.md checkpoint object (plus extra fields). */
export function checkpointJson<S>(P: AttentionProblem<S>, c: MeasuredCheckpoint<S>): Record<string, unknown> {
  const F = P.F;
  const b = c.base;
  const best = c.window ?? c.instant;
  return {
    tau: F.toString(b.tau),
    log10_t: num(F, log10Time(F, b.logT)),
    rho: F.toNumber(b.rho),
    log10_norm: num(F, b.log10Norm),
    min_margin: F.toString(b.minMargin),
    w_tilde: weightsJson(F, b.wTilde),
    weights: weightsJson(F, b.weights),
    invariant: b.invariant ? b.invariant.map((x) => F.toString(x)) : null,
    relative_gap: num(F, c.primal?.relativeGap),
    direction_error: num(F, c.primal?.directionError),
    eps: num(F, (c.cumulative ?? c.instant)?.eps),
    delta: num(F, (c.cumulative ?? c.instant)?.delta),
    eps_window: num(F, best?.eps),
    delta_window: num(F, best?.delta),
    duals_source: c.cumulative ? 'cumulative Λ(t) (3-point Radau IIA quadrature on each accepted step)' : c.instant ? 'instantaneous c(t)' : null,
    bracket: c.cumulative || c.instant ? {
      lower: F.toString((c.cumulative ?? c.instant)!.dualObjective),
      norm: c.primal ? F.toString(c.primal.normTilde) : null,
      upper: (() => { const u = (c.window ?? c.cumulative ?? c.instant)!.bracketUpper; return u === null ? null : F.toString(u); })(),
    } : null,
    dual_distance_window: num(F, best?.dualDistance),
    dual_distance_cumulative: num(F, c.cumulative?.dualDistance),
    support: c.primal?.support ?? null,
    log10_excess_loss: num(F, b.log10Excess),
    log10_nonopt_mass: b.log10NonOptMass.map((x) => F.toNumber(x)),
    sample_min_margins: P.samples.map((blk) => F.toString(b.margins.slice(blk.start, blk.start + blk.count).reduce((a, x) => F.min(a, x)))),
    log10_max_nonopt_attention: num(F, b.log10MaxNonOpt),
    lambda_cumulative: dualsJson(P, c.cumulative),
    lambda_window: dualsJson(P, c.window ?? c.instant),
    // extras (not in CONTRACT.md): the unclipped cumulative duals — λ_cumulative above is clipped to λ ≥ 0
    lambda_cumulative_raw_min: c.rawCumulative ? {
      i: P.constraints.diag[c.rawCumulative.minIndex]!.i,
      t: P.constraints.diag[c.rawCumulative.minIndex]!.t,
      lambda: F.toNumber(c.rawCumulative.min),
      Lambda: F.toString(c.rawCumulative.minAbs),
    } : null,
    raw_dual_objective: num(F, c.rawCumulative?.dualObjective),
    lambda_quadrature_residual: c.rawCumulative?.quadratureResidual ?? null,
  };
}
