/**
 * Following a flow on a dataset, backend-erased: build the attention problem and the flow in the chosen
 * backend, run it, and — with backend "auto" — continue in Decimal from the last float64 state once float64
 * stops resolving the margins (SPEC.md §8). Each segment keeps its own field; checkpoints are measured
 * there (src/kkt).
 *
 * A Decimal segment is computed in the binary field of the same precision (numeric/binaryFloat.ts: a BigInt
 * significand with the unit roundoff of Decimal(digits), whose products and sums cost 3–7× less than decimal.js's) and
 * handed back in decimal.js: its flow rebuilt in Decimal(digits), its states converted through their decimal
 * strings, so callers see Decimal segments as before.
 *
 * A diagonal mirror flow (param r) runs in segments: the r chart from τ = 0 (RadauIIA9), then the scaled chart
 * once the r chart struggles (float64 and Decimal alike), then — backend auto — Decimal on from float64's limit in
 * the chart float64 stopped in.
 */
import type { Dataset } from '../data/Dataset.js';
import type { Field } from '../numeric/Field.js';
import { float64Field } from '../numeric/float64.js';
import { decimalField } from '../numeric/decimal.js';
import { binaryField } from '../numeric/binaryFloat.js';
import { type Rational, qlog10Approx, qtoString } from '../numeric/rational.js';
import { attentionProblem, type AttentionProblem } from '../model/problem.js';
import type { LossKind } from '../model/loss.js';
import type { AlgorithmName } from '../ode/algorithms.js';
import type { FlowDefinition, FlowParam, Weights } from './FlowDefinition.js';
import { mirrorFlow } from './mirror.js';
import { scaledChartReference, scaledMirrorFlow } from './mirrorScaled.js';
import { marginsDiag } from '../model/margins.js';
import { type MirrorInit, mirrorDerivative, weightsFromMirror } from '../model/parameterizations.js';
import { diagonalFlow } from './diagonal.js';
import { kqFlow, wFlow } from './full.js';
import { type DiagInit, type FullInit, defaultDiagInit, kappaOf, mirrorInit, parseAlpha } from './init.js';
import { type FlowRun, type FlowState, type ProgressInfo, type StopRules, runFlow } from './run.js';

export type Backend = 'float64' | 'decimal' | 'auto';
export type PredictorMode = 'on' | 'off' | 'decimal';
/**
 * The slow-manifold predictor in Decimal segments only (mirror.ts MirrorFlowOptions has the figures): it
 * takes the late Decimal flow further (auto on the bench data: ρ 22.2–22.6 in 100 s against 19.8–20.4) at a
 * larger but still small Λ drift (2.5e-8 against 8.5e-9); in float64 it would break the 1e-9 drift bound.
 */
export const DEFAULT_PREDICTOR: PredictorMode = 'decimal';

/**
 * When a mirror flow leaves the r chart for the scaled one (mirrorScaled.ts), in float64 and in Decimal: more than
 * this many accepted steps over the last unit of ρ, with a margin sensitivity max_k Σ_j |a_kj| ∂w_j/∂r_j of at
 * least SCALED_CHART_SENSITIVITY (and the smallest margin ≥ 1). The scaled chart takes 32 steps per unit of ρ on
 * the bench's (6, 8, 10) data however large ρ (33–35 before stage-scaled Newton, ode/stageScaling.ts); the r
 * chart there ~26 per unit from the float64 limit (ρ 15.76) to 20, then more (319 steps to ρ 23 at Decimal(40);
 * before stage scaling 33 → 107 per unit from ρ 16 to 23), but on data whose r
 * chart does not stall it is far cheaper (the (2, 3, 2) data of tinyalpha.test.ts: 71–109 steps for 30 units
 * of ρ after the plateau, against 1646 in the scaled chart: a non-support v_j decays like e^{−L} and its
 * truncation error sets the step).
 * In float64 (same data) the switch comes at ρ 11.59; from there the scaled chart reaches ρ 15.77 in 244 steps,
 * where the r chart alone (RadauIIA5 from τ = 0) took 1880 steps to ρ 15.65, 599 of them in its last unit of ρ.
 * Lowering the sensitivity to 1e4 or 1e3 moved the switch to ρ 9.29 / 8.18 at 537 / 915 steps in all.
 */
export const SCALED_CHART_STEPS = 30;
export const SCALED_CHART_SENSITIVITY = 1e6;

/**
 * The integrator of a mirror flow's r chart when it starts below the stiff phase (margin sensitivity <
 * SCALED_CHART_SENSITIVITY, e.g. from τ = 0), in float64 and Decimal: the 5-stage Radau IIA of order 9. The early
 * phase is not stiff but has fast transients (the support switch: on the bench's (6, 8, 10) data the margins
 * swing between −48 and +40 within Δτ ≈ 3 near ρ 8), which order 5 resolves with ~400 steps at rtol 1e-12.
 * Measured there, Decimal(50) from τ = 0 to ρ ≈ 11.8, where the scaled chart takes over: RadauIIA5 947 steps in
 * 86 s, RadauIIA9 258 + 36 rejected in 55–66 s; ρ 22.8–24.2 in 120 s against 18.6–21.5. In float64 to ρ 12:
 * RadauIIA5 947 + 25 steps, 8200 f-evaluations; RadauIIA9 275 + 37, 5697 (DOP853 stalls at ρ 9.0 after 2842
 * steps: the flow is stiff from the support switch on). Not used once stiff: from the float64 limit (ρ 15.56)
 * the 5-stage method's Newton needs h ≲ 0.005 (693 steps for 0.45 units of ρ in the r chart; in the scaled chart
 * 424 steps for 0.5 units, ≥ 145 per unit even with Newton started from zero, against 33–35 with RadauIIA5).
 */
export const EARLY_ALGORITHM: AlgorithmName = 'RadauIIA9';

export interface FollowOptions {
  readonly param: FlowParam;
  readonly loss?: LossKind;
  readonly backend?: Backend;
  /** Decimal digits (default: enough for the target norm, ≥ 30) */
  readonly digits?: number;
  readonly alpha?: string;
  readonly diagInit?: DiagInit;
  readonly fullInit?: FullInit;
  readonly stop: StopRules<unknown>;
  readonly checkpoints?: number;
  readonly algorithm?: AlgorithmName;
  readonly rtol?: string;
  /**
   * Start Radau's Newton from stages projected onto the slow manifold (mirror flow only, mirrorManifold.ts):
   * 'on', 'off', or 'decimal' (in Decimal segments only). See DEFAULT_PREDICTOR for the measured default.
   */
  readonly predictor?: PredictorMode;
  /**
   * Chart of the mirror flow: 'auto' (default) moves to the scaled chart (mirrorScaled.ts) where the r chart
   * struggles (SCALED_CHART_STEPS), in float64 and in Decimal, and a Decimal continuation stays in it; 'r' stays in
   * the mirror coordinates (RadauIIA5 throughout).
   */
  readonly chart?: 'auto' | 'r';
  readonly onProgress?: (info: ProgressInfo & { backend: string }) => void;
  /** a stopping test from a higher layer (e.g. the relative gap to the SVM optimum), in the run's field */
  readonly stopTest?: StopTest;
}

/** Field-generic test on the current weights: true stops the run. */
export type StopTest = <S>(F: Field<S>, P: AttentionProblem<S>, weights: Weights<S>) => boolean;

/** A run segment in one backend. */
export interface Segment<S> {
  readonly F: Field<S>;
  readonly P: AttentionProblem<S>;
  readonly flow: FlowDefinition<S>;
  readonly run: FlowRun<S>;
}

export interface FollowResult {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly segments: readonly Segment<any>[];
  readonly status: string;
  readonly reason: string;
  /** ρ at which float64 handed over to Decimal (auto), else null */
  readonly switchedAtRho: number | null;
  readonly digits: number | null;
  readonly seconds: number;
  readonly steps: number;
  readonly init: Record<string, unknown>;
}

/** The attention problem of a run, in the field F (the loss defaults to exp). */
function problemFor<S>(F: Field<S>, data: Dataset, o: FollowOptions): AttentionProblem<S> {
  return attentionProblem(F, data, o.loss ?? 'exp');
}

function flowFor<S>(F: Field<S>, data: Dataset, o: FollowOptions, diag: DiagInit): { P: AttentionProblem<S>; flow: FlowDefinition<S> } {
  const P = problemFor(F, data, o);
  const d = data.d;
  const conv = (q: Rational) => F.fromRational(q);
  switch (o.param) {
    case 'r':
    {
      const mode = o.predictor ?? DEFAULT_PREDICTOR;
      const slowManifoldPredictor = mode === 'on' || (mode === 'decimal' && F.kind !== 'float64');
      return { P, flow: mirrorFlow({ P, init: mirrorInit(F, diag), kappa: kappaOf(diag).map(conv), slowManifoldPredictor }) };
    }
    case 'diag':
    case 'uv':
      return { P, flow: diagonalFlow({ P, k0: diag.k0.map(conv), q0: diag.q0.map(conv), param: o.param }) };
    case 'w': {
      const W0 = o.fullInit?.W0 ? o.fullInit.W0.map((row) => row.map(conv)) : Array.from({ length: d }, () => Array.from({ length: d }, () => F.zero));
      return { P, flow: wFlow(P, W0) };
    }
    case 'kq': {
      const a = F.fromRational(parseAlpha(o.alpha ?? '1e-3'));
      const K0 = o.fullInit?.K0 ? o.fullInit.K0.map((row) => row.map(conv)) : Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? F.scale(a, 2) : F.zero)));
      const Q0 = o.fullInit?.Q0 ? o.fullInit.Q0.map((row) => row.map(conv)) : Array.from({ length: d }, () => Array.from({ length: K0[0]!.length }, () => F.zero));
      return { P, flow: kqFlow(P, K0, Q0) };
    }
  }
}

/** Decimal digits needed to resolve margins up to ‖w‖ = 10^log10Norm (SPEC.md §8: log2‖w‖ + 53 bits). */
export function digitsFor(log10Norm: number): number {
  return Math.max(30, Math.ceil(log10Norm) + 25);
}

function convertState<S, T>(from: Field<S>, to: Field<T>, st: FlowState<S>): FlowState<T> {
  const c = (x: S) => to.of(from.toString(x));
  const finiteLambda = st.Lambda && st.Lambda.every((x) => from.isFinite(x));
  return { tau: c(st.tau), y: st.y.map(c), logT: c(st.logT), ...(finiteLambda ? { Lambda: st.Lambda!.map(c) } : {}) };
}

/** A run's states in another field (through their decimal strings). */
function convertRun<S, T>(from: Field<S>, to: Field<T>, run: FlowRun<S>): FlowRun<T> {
  return { ...run, checkpoints: run.checkpoints.map((st) => convertState(from, to, st)), final: convertState(from, to, run.final) };
}

/** Where a scaled chart (mirrorScaled.ts) was entered: the r-chart state and the reference constraint. */
interface ChartOrigin<S> {
  readonly origin: FlowState<S>;
  readonly ref?: number;
}

/** A segment that can rebuild itself in another field (runIn's result; follow reports binary runs in Decimal). */
interface PortableSegment<S> extends Segment<S> {
  readonly inField: <T>(G: Field<T>) => Segment<T>;
  /** a scaled-chart segment's origin, so that another field can continue in the same chart */
  readonly chart?: ChartOrigin<S> & { readonly ref: number };
}

function convertOrigin<S, T>(from: Field<S>, to: Field<T>, chart: ChartOrigin<S> & { readonly ref: number }): ChartOrigin<T> {
  return { origin: convertState(from, to, chart.origin), ref: chart.ref };
}

export function follow(data: Dataset, o: FollowOptions): FollowResult {
  const backend = o.backend ?? 'auto';
  const diag = o.diagInit ?? defaultDiagInit(data.d, o.alpha ?? '1e-3');
  // log10 α from the exact string (Number('1e-5000') is 0)
  const alphaQ = parseAlpha(o.alpha ?? '1e-3');
  const alphaLog10 = qlog10Approx(alphaQ) + Math.log10(Number(`0.${(alphaQ.num < 0n ? -alphaQ.num : alphaQ.num).toString().slice(0, 15)}`) || 1) - Math.log10(Number(`0.${alphaQ.den.toString().slice(0, 15)}`) || 1);
  // ‖w‖ at the target ρ: ≈ 2α² e^{2ρ} (SPEC.md §4: ‖r‖∞ ≈ ½ log(‖w‖/κ))
  const targetLog10Norm = o.stop.log10Norm ?? (o.stop.rho !== undefined ? (2 * o.stop.rho) / Math.LN10 + 2 * alphaLog10 + 1 : 40);
  const digits = o.digits ?? digitsFor(targetLog10Norm);
  const segments: Segment<unknown>[] = [];
  const progress = (b: string) => (o.onProgress ? (info: ProgressInfo) => o.onProgress!({ ...info, backend: b }) : undefined);
  const K = o.checkpoints ?? 12;
  let grid: { origin: number; spacing: number } | null = null;
  // Mirror flows continue in the scaled chart (mirrorScaled.ts) where the r chart struggles: once it
  // needs more than SCALED_CHART_STEPS accepted steps per unit of ρ with the smallest margin ≥ 1 and a margin
  // sensitivity ≥ SCALED_CHART_SENSITIVITY (deep in the stiff phase). (Entering it at the float64 limit
  // regardless took the demo from 2.5 s to 12.2 s: its r chart is cheap there.)
  // The r chart is left by a stopping test on accepted states and the scaled segment resumes from that state;
  // a Decimal continuation of a float64 segment in the scaled chart stays in it (same origin and reference).
  // (In float64 the scaled chart also resolves further: its margins carry u·e^{L}Σ|a_kj v_j| roundoff, the r
  // chart's u·Σ|a_kj| ∂w_j/∂r_j |r_j|, ~|r_j| times more.)
  const scaledChart = o.param === 'r' && (o.chart ?? 'auto') === 'auto';
  const positiveMargins = <S>(F: Field<S>, P: AttentionProblem<S>, init: MirrorInit<S>, r: readonly S[]): boolean => {
    const h = marginsDiag(P, weightsFromMirror(F, init, r));
    const k = scaledChartReference(F, h);
    return k !== null && F.toNumber(h[k]!) >= 1;
  };
  const stiff = <S>(F: Field<S>, P: AttentionProblem<S>, init: MirrorInit<S>, r: readonly S[]): boolean => {
    const D = mirrorDerivative(F, init, r).map((x) => Math.abs(F.toNumber(x)));
    return P.a.some((a) => a.reduce((acc, x, j) => acc + Math.abs(F.toNumber(x)) * D[j]!, 0) >= SCALED_CHART_SENSITIVITY);
  };
  /** the scaled chart (mirrorScaled.ts) entered at chart.origin, in the field of P */
  const scaledChartIn = <S>(F: Field<S>, P: AttentionProblem<S>, chart: ChartOrigin<S>) =>
    scaledMirrorFlow({ P, init: mirrorInit(F, diag), kappa: kappaOf(diag).map((q) => F.fromRational(q)), from: chart.origin, ...(chart.ref !== undefined ? { ref: chart.ref } : {}) });
  /**
   * chart: run in the scaled chart entered at chart.origin (an r-chart state), from `from` (a state of that chart;
   * default: the chart's start)
   */
  const runIn = <S>(F: Field<S>, from?: FlowState<S>, maxSeconds?: number, chart?: ChartOrigin<S>): PortableSegment<S>[] => {
    const built = flowFor(F, data, o, diag);
    const { P } = built;
    const init = mirrorInit(F, diag); // once per segment: the test below runs on every accepted step
    let flow: FlowDefinition<S> = built.flow;
    // the same flow in another field (a Decimal report of a binary run): the scaled chart at the same state and reference
    let flowIn = <T>(G: Field<T>): { P: AttentionProblem<T>; flow: FlowDefinition<T> } => flowFor(G, data, o, diag);
    let entered: (ChartOrigin<S> & { readonly ref: number }) | undefined;
    if (chart) {
      const scaled = scaledChartIn(F, P, chart);
      const at = { origin: chart.origin, ref: scaled.ref };
      flow = scaled;
      entered = at;
      from = from ?? { ...chart.origin, y: flow.start.y };
      flowIn = <T>(G: Field<T>) => {
        const PG = problemFor(G, data, o);
        return { P: PG, flow: scaledChartIn(G, PG, convertOrigin(F, G, at)) };
      };
    }
    const portable = (run: FlowRun<S>): PortableSegment<S> => ({
      F, P, flow, run,
      inField: <T>(G: Field<T>): Segment<T> => ({ F: G, ...flowIn(G), run: convertRun(F, G, run) }),
      ...(entered ? { chart: entered } : {}),
    });
    // the r chart of a mirror flow watches for the move to the scaled chart
    const watchChart = scaledChart && !chart;
    const algorithm = o.algorithm ?? (watchChart && !stiff(F, P, init, (from ?? flow.start).y) ? EARLY_ALGORITHM : undefined);
    let chartSwitch = false;
    // ρ at each accepted step of the r chart, for the steps per unit of ρ
    const rhos: number[] = [];
    const struggling = (st: FlowState<S>): boolean => {
      const rho = F.toNumber(flow.rho(st.y));
      rhos.push(rho);
      let k = rhos.length - 1;
      while (k > 0 && rhos[k - 1]! > rho - 1) k--;
      return k > 0 && rhos.length - 1 - k > SCALED_CHART_STEPS && positiveMargins(F, P, init, st.y) && stiff(F, P, init, st.y);
    };
    if (grid === null) {
      const origin = F.toNumber(flow.rho(flow.start.y));
      grid = { origin, spacing: o.stop.rho !== undefined ? Math.max((o.stop.rho - origin) / K, 1e-12) : 0.25 };
    }
    const run = runFlow(flow, {
      rhoOrigin: grid.origin,
      rhoSpacing: grid.spacing,
      stop: {
        ...(o.stop as StopRules<S>),
        ...(maxSeconds !== undefined ? { maxSeconds } : {}),
        ...(o.stopTest || watchChart
          ? {
            when: (st: FlowState<S>) => {
              if (o.stopTest && o.stopTest(F, P, flow.weights(st.y))) return true;
              if (watchChart && struggling(st)) { chartSwitch = true; return true; }
              return false;
            },
          }
          : {}),
      },
      checkpoints: o.stop.rho !== undefined ? K + 1 : K,
      ...(algorithm ? { algorithm } : {}),
      ...(o.rtol ? { rtol: o.rtol } : {}),
      ...(from ? { from } : {}),
      ...(progress(F.kind === 'float64' ? 'float64' : `decimal(${F.digits})`) ? { onProgress: progress(F.kind === 'float64' ? 'float64' : `decimal(${F.digits})`)! } : {}),
    });
    // a terminal event (the ρ target) ends the run even when the step that reached it also asked for the switch
    if (!chartSwitch || run.status !== 'stopped') return [portable(run)];
    // a change of chart is not a checkpoint: the r segment's final state (the scaled segment's start) is dropped
    const segment = portable({ ...run, checkpoints: run.checkpoints.slice(0, -1) });
    const left = maxSeconds !== undefined ? Math.max(1, maxSeconds - run.seconds) : undefined;
    return [segment, ...runIn(F, undefined, left, { origin: run.final })];
  };
  const t0 = Date.now();
  let switchedAtRho: number | null = null;
  /** a Decimal run: computed in the binary field, reported in decimal.js; from a float64 segment's final state, in its chart */
  const runDecimal = (from?: PortableSegment<number>, maxSeconds?: number): Segment<unknown>[] => {
    const B = binaryField(digits);
    const D = decimalField(digits);
    const state = from ? convertState(from.F, B, from.run.final) : undefined;
    const chart = from?.chart ? convertOrigin(from.F, B, from.chart) : undefined;
    return runIn(B, state, maxSeconds, chart).map((g) => g.inField(D) as Segment<unknown>);
  };
  if (backend === 'decimal') segments.push(...runDecimal(undefined, o.stop.maxSeconds));
  else {
    const float64Segments = runIn(float64Field);
    segments.push(...float64Segments);
    const last64 = float64Segments[float64Segments.length - 1]!;
    // hand over on the resolution limit, and when float64 saw the gradient vanish (‖∇L‖ below its range,
    // e.g. a stalled sample whose attention collapsed): Decimal follows the flow on from there
    if (backend === 'auto' && (last64.run.status === 'float64_limit' || last64.run.status === 'at_rest')) {
      switchedAtRho = F64rho(last64);
      const left = o.stop.maxSeconds !== undefined ? Math.max(1, o.stop.maxSeconds - (Date.now() - t0) / 1000) : undefined;
      segments.push(...runDecimal(last64, left));
    }
  }
  const last = segments[segments.length - 1]!;
  const scaledFrom = segments.find((g) => g.flow.mirror !== undefined);
  const chartNote = scaledFrom ? `; scaled chart from ρ = ${scaledFrom.F.toNumber(scaledFrom.flow.rho(scaledFrom.flow.start.y)).toFixed(3)}` : '';
  return {
    segments,
    status: last.run.status,
    reason: last.run.reason + (switchedAtRho !== null ? ` (float64 until ρ = ${switchedAtRho.toFixed(3)}, then Decimal(${digits})${chartNote})` : chartNote ? ` (${chartNote.slice(2)})` : ''),
    switchedAtRho,
    digits: backend === 'float64' && switchedAtRho === null ? null : digits,
    seconds: (Date.now() - t0) / 1000,
    steps: segments.reduce((s, g) => s + g.run.stats.accepted, 0),
    init: { alpha: o.alpha ?? '1e-3', k0: diag.k0.map(qtoString), q0: diag.q0.map(qtoString) },
  };
}

function F64rho(seg: Segment<number>): number {
  return seg.F.toNumber(seg.flow.rho(seg.run.final.y));
}
