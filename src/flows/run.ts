/**
 * Following a flow to its limit: the stopping rules and checkpoints of CONTRACT.md (`flow`), on top of
 * `solve` (src/ode). Checkpoints sit at exact values of ρ (‖r‖_∞ or its analogue) spread evenly, located
 * by bisection on each step's dense output; stopping rules are terminal events (ρ, log10‖W‖) or tests on
 * accepted steps (log10 t, a caller's test, seconds, steps). Physical time is integrated step by step in
 * the log domain (physicalTime.ts).
 */
import type { Field } from '../numeric/Field.js';
import { lnToLog10 } from '../numeric/logdomain.js';
import { solve } from '../ode/solve.js';
import { type OdeEvent, type OdeStats, type OdeStatus, type StepInfo, emptyStats } from '../ode/types.js';
import type { AlgorithmName } from '../ode/algorithms.js';
import { radauIIACoefficients } from '../ode/tableaus/radauIIA.js';
import type { FlowDefinition } from './FlowDefinition.js';
import { type RatePoint, logAddExp, logStepIntegral, logStepIntegralSteep } from './physicalTime.js';
import { logSumExp } from '../numeric/logdomain.js';

export interface StopRules<S> {
  /** stop when ρ ≥ rho */
  readonly rho?: number;
  readonly log10Norm?: number;
  readonly log10T?: number;
  readonly maxSeconds?: number;
  readonly maxSteps?: number;
  /** a caller's test on accepted states (e.g. a relative gap to the SVM optimum): true stops */
  readonly when?: (state: FlowState<S>) => boolean;
}

export interface FlowRunOptions<S> {
  readonly algorithm?: AlgorithmName;
  readonly rtol?: number | string;
  readonly atol?: number | string;
  readonly stop: StopRules<S>;
  /** how many checkpoints to report (spread evenly in ρ; the final state is the last) */
  readonly checkpoints?: number;
  /** ρ spacing of the checkpoint grid (default: (target − ρ₀)/K with a ρ target, else 0.25) */
  readonly rhoSpacing?: number;
  /** origin of the checkpoint grid (default ρ at the start); segments of one run share origin and spacing */
  readonly rhoOrigin?: number;
  /** float64 only: stop when the flow's margin roundoff uncertainty exceeds this (default 1e-5) */
  readonly float64Resolution?: number;
  readonly onProgress?: (info: ProgressInfo) => void;
  /** resume from a state (e.g. after switching backend) instead of the definition's start */
  readonly from?: FlowState<S>;
}

export interface ProgressInfo {
  readonly rho: number;
  readonly log10Norm: number | null;
  readonly log10T: number;
  readonly steps: number;
  readonly fraction: number | null;
}

export interface FlowState<S> {
  readonly tau: S;
  readonly y: readonly S[];
  /** ln t (physical time) */
  readonly logT: S;
  /**
   * Λ_k(τ) = ∫ c_k dt = ∫ ĉ_k dτ per constraint (flows with `dualRates`), by the 3-point Radau IIA quadrature on
   * each accepted step's dense output (the stage values of the Radau IIA integrators).
   */
  readonly Lambda?: readonly S[];
}

export type FlowStatus = OdeStatus | 'float64_limit' | 'precision_limit' | 'at_rest' | 'stalled';

export interface FlowRun<S> {
  readonly status: FlowStatus;
  readonly reason: string;
  readonly algorithm: string;
  /** checkpoint states in increasing ρ, the final state last */
  readonly checkpoints: readonly FlowState<S>[];
  readonly final: FlowState<S>;
  readonly stats: OdeStats;
  readonly seconds: number;
}

const TAU_MAX = '1e30';
/**
 * float64's limit as its integrator sees it: at least ROUNDOFF_STAGNATIONS of the last ROUNDOFF_WINDOW accepted
 * steps had a Newton iteration stagnate at roundoff level (ode/radauIIA.ts ROUNDOFF_STAGNATION_THETA): f's
 * roundoff has reached the tolerance and the steps collapse from there. Measured on the bench's (6, 8, 10) data
 * (scaled chart from ρ 11.59): it stops the run at ρ 15.77 after 244 steps in that chart (6 counted in all);
 * without it the run went on for 261 more Newton-limited steps (h ≈ 1e-3) to ρ 15.87, ended by the collapse
 * test below. On the (10, 5, 20) data it does not fire (9 counted, never 5 in 20) and the collapse test ends the
 * float64 run at ρ 14.51.
 */
const ROUNDOFF_WINDOW = 20;
const ROUNDOFF_STAGNATIONS = 5;

export function runFlow<S>(flow: FlowDefinition<S>, opts: FlowRunOptions<S>): FlowRun<S> {
  const F: Field<S> = flow.F;
  const start: FlowState<S> = opts.from ?? flow.start;
  const K = Math.max(1, opts.checkpoints ?? 12);
  const rho0 = F.toNumber(flow.rho(start.y));
  const stop = opts.stop;

  // checkpoint grid in ρ: K − 1 even steps below the ρ target when known, a fixed spacing otherwise
  const origin = opts.rhoOrigin ?? rho0;
  const spacing = opts.rhoSpacing ?? (stop.rho !== undefined ? Math.max((stop.rho - origin) / K, 1e-12) : 0.25);
  const grid: number[] = [];
  const top = stop.rho ?? Infinity;
  for (let k = 1; grid.length < 20000; k++) {
    const x = origin + k * spacing;
    if (x >= top - spacing * 1e-6) break;
    if (x > rho0 + spacing * 1e-6) grid.push(x);
  }
  let nextGrid = 0;

  const events: OdeEvent<S>[] = [];
  if (stop.rho !== undefined) events.push({ g: (_t, y) => F.sub(flow.rho(y), F.of(stop.rho!)), direction: 1, terminal: true, tag: 'stop:rho' });
  if (stop.log10Norm !== undefined) {
    events.push({ g: (_t, y) => { const l = flow.log10Norm(y); return l === null ? F.of(-1e9) : F.sub(l, F.of(stop.log10Norm!)); }, direction: 1, terminal: true, tag: 'stop:log10Norm' });
  }

  // float64: the resolution limit is a terminal event too, so a long step cannot jump past it
  const resolution = opts.float64Resolution ?? 1e-5;
  if (F.kind === 'float64') {
    events.push({ g: (_t, y) => F.of(Math.log(Math.max(flow.marginUncertainty(y), 1e-300)) - Math.log(resolution)), direction: 1, terminal: true, tag: 'float64_limit' });
  }

  const rateAt = (tau: S, y: readonly S[]): RatePoint<S> | null => {
    const r = flow.timeRate(y);
    return r === null ? null : { tau, phi: r.phi, dphi: r.dphi };
  };

  const startedAt = Date.now();
  let logT = start.logT;
  let prevRate = rateAt(start.tau, start.y);
  const algorithm = opts.algorithm ?? 'RadauIIA5';
  // Measured on the demo data (float64 until ρ ≈ 17, then Decimal to ρ = 30): rtol 1e-12 and atol 1e-12 in
  // float64 give a handover state from which Decimal needs 5 steps; rtol 1e-10 (or atol 1e-14) gave 436–513
  // steps, most rejected — the handover state sits off the stiff slow manifold and the frozen-Jacobian
  // Newton of the first Decimal steps fails. The sensitivity is recorded as a known fragility.
  const tolerances = {
    rtol: opts.rtol ?? (F.kind === 'float64' ? 1e-12 : '1e-12'),
    atol: opts.atol ?? (F.kind === 'float64' ? 1e-12 : '1e-14'),
  };
  const dualRatesAt = (y: readonly S[]): S[] | null => (flow.dualRates ? flow.dualRates(y) : null);
  let Lambda: S[] | null = flow.dualRates ? (start.Lambda ? start.Lambda.slice() : (dualRatesAt(start.y) ?? []).map(() => F.zero)) : null;
  // ∫ ĉ_k dτ over one accepted step. With a Radau IIA integrator: by the method's own quadrature (weights
  // b_i = A_{s,i}) at its stage values (info.stages), so Λ is integrated by the very rule that advances r:
  // r − r₀ = Σ_k Λ_k a_k holds to Newton tolerance + roundoff, and Λ is as accurate as the solution; the
  // stage values are the arrays the next step's predictor reads, so their evaluations are shared. Otherwise
  // (explicit methods, sub-solves ended by an event) by the 3-point Radau IIA rule (order 5) on the dense
  // output. The earlier trapezoid on the end values over-counted the weight of an off-support constraint that
  // dies out inside one late step of several units of τ (measured: Λ = −1.470 instead of −1.958 on an
  // A1(b)-violating case).
  const quad = radauIIACoefficients(F, 3);
  const quadWeights = quad.A[quad.stages - 1]!;
  const stepIntegral = (L: readonly S[], info: StepInfo<S>, endRates: readonly S[]): S[] | null => {
    const h = F.sub(info.t, info.tPrev);
    const rates: (readonly S[])[] = [];
    const st = info.stages;
    const nodes = st ? st.y.length : quad.stages;
    const weights = st ? st.b : quadWeights;
    for (let i = 0; i < nodes - 1; i++) {
      const r = dualRatesAt(st ? st.y[i]! : info.interpolate(F.add(info.tPrev, F.mul(quad.c[i]!, h))));
      if (r === null) return null;
      rates.push(r);
    }
    rates.push(endRates);
    return L.map((x, k) => {
      let acc = F.zero;
      rates.forEach((r, i) => { acc = F.add(acc, F.mul(weights[i]!, r[k]!)); });
      return F.add(x, F.mul(acc, h));
    });
  };
  /** An on-manifold state at τ inside the step [tPrev, t]: integrate to it (dense output is not accurate
   * to 1/‖w‖ in the stiff directions, so margins taken from it would be wrong), with Λ carried along the
   * sub-solve's own steps by the same quadrature. */
  const exactStateAt = (info: StepInfo<S>, tau: S, L: readonly S[] | null): { y: readonly S[]; Lambda: S[] | null } => {
    if (!F.lt(tau, info.t)) return { y: info.y, Lambda: L ? L.slice() : null };
    const left = stop.maxSeconds !== undefined ? Math.max(0.5, stop.maxSeconds - (Date.now() - startedAt) / 1000) : undefined;
    let acc: S[] | null = L ? L.slice() : null;
    const sub = solve(flow.problem(tau, { tau: info.tPrev, y: info.yPrev }), algorithm, {
      ...tolerances, maxSteps: 1000, ...(left !== undefined ? { maxSeconds: left } : {}),
      onStep: (si) => {
        if (acc === null) return;
        const end = dualRatesAt(si.y);
        acc = end ? stepIntegral(acc, si, end) : null;
      },
    });
    return sub.status === 'success' ? { y: sub.y, Lambda: acc } : { y: info.interpolate(tau), Lambda: null };
  };
  const recorded: FlowState<S>[] = [];
  let lastState: FlowState<S> = { ...start, ...(Lambda ? { Lambda: Lambda.slice() } : {}) };
  let limitHit: string | null = null;
  let precisionHit: string | null = null;
  let atRest = prevRate === null;
  let stopMessage: string | null = null;
  let lastProgress = 0;
  const STALL_STEPS = 300;
  const history: [number, number][] = [];
  /** stats.newtonStagnations after each of the last ROUNDOFF_WINDOW + 1 accepted steps (float64) */
  const stagnations: number[] = [];
  let stalled: string | null = null;

  const fractionOf = (rho: number, l10n: number | null, l10t: number): number | null => {
    const fr: number[] = [];
    if (stop.rho !== undefined) fr.push((rho - rho0) / Math.max(stop.rho - rho0, 1e-12));
    if (stop.log10Norm !== undefined && l10n !== null) fr.push(Math.max(0, l10n + 10) / (stop.log10Norm + 10));
    if (stop.log10T !== undefined) fr.push(Math.max(0, l10t) / Math.max(stop.log10T, 1e-9));
    return fr.length ? Math.min(1, Math.max(0, ...fr)) : null;
  };

  /**
   * ln ∫ e^{φ} dτ over an accepted step: in one piece when the integrand sits at the steep end (the series of
   * physicalTime.ts: late in a flow), else piece by piece between the stage nodes of a Radau IIA step, each
   * piece with the Hermite cubic of its own end values and slopes (the time rates at the stage values, whose
   * evaluations the dual rates share). The cubic through the step's ends alone is off by ~φ''''h⁴/384: on the
   * (2, 3, 2) data of properties/flows/physicaltime.test.ts, ln t of float64 (RadauIIA5) and Decimal(40)
   * (RadauIIA9 early) differed by up to 1.4e-5 relative (ρ 6) in one piece, 1.3e-6 piecewise (ρ 8; 6.7e-8 at ρ 6).
   * A stage where the gradient vanished falls back to the one-piece rule.
   */
  const logStepTime = (from: RatePoint<S>, to: RatePoint<S>, info: StepInfo<S>): S => {
    const st = info.stages;
    if (!st || st.y.length < 2) return logStepIntegral(F, from, to);
    const whole = logStepIntegralSteep(F, from, to);
    if (whole !== null) return whole;
    const h = F.sub(info.t, info.tPrev);
    const points: RatePoint<S>[] = [from];
    for (let i = 0; i < st.y.length - 1; i++) {
      const r = rateAt(F.add(info.tPrev, F.mul(st.c[i]!, h)), st.y[i]!);
      if (r === null) return logStepIntegral(F, from, to);
      points.push(r);
    }
    points.push(to);
    return logSumExp(F, points.slice(1).map((p, i) => logStepIntegral(F, points[i]!, p)));
  };

  /** ln t at τ inside the current step, from the step start */
  const logTimeWithin = (tau: S, y: readonly S[], from: RatePoint<S> | null, logTFrom: S): S => {
    const r = rateAt(tau, y);
    if (from === null || r === null || !F.gt(tau, from.tau)) return logTFrom;
    return logAddExp(F, logTFrom, logStepIntegral(F, from, r));
  };

  const onStep = (info: StepInfo<S>): void | 'stop' => {
    const stepStartLogT = logT;
    const stepStartRate = prevRate;
    // checkpoints crossed in this step, located on the dense output
    const rhoEnd = F.toNumber(flow.rho(info.y));
    while (nextGrid < grid.length && grid[nextGrid]! <= rhoEnd) {
      const target = F.of(grid[nextGrid]!);
      let lo = info.tPrev;
      let hi = info.t;
      for (let it = 0; it < 200; it++) {
        const mid = F.mul(F.add(lo, hi), F.half);
        if (!F.gt(mid, lo) || !F.lt(mid, hi)) break;
        if (F.lt(flow.rho(info.interpolate(mid)), target)) lo = mid; else hi = mid;
        if (F.lt(F.sub(hi, lo), F.mul(F.abs(hi), F.scale(F.epsilon(), 16)))) break;
      }
      const at = exactStateAt(info, hi, Lambda);
      const y = at.y;
      recorded.push({
        tau: hi, y, logT: logTimeWithin(hi, y, stepStartRate, stepStartLogT),
        ...(at.Lambda ? { Lambda: at.Lambda } : {}),
      });
      nextGrid++;
    }
    const rate = rateAt(info.t, info.y);
    if (rate !== null && prevRate !== null) logT = logAddExp(F, logT, logStepTime(prevRate, rate, info));
    prevRate = rate;
    if (Lambda) {
      const dual = dualRatesAt(info.y);
      Lambda = dual ? stepIntegral(Lambda, info, dual) : null;
      // Λ_k = ∫ c_k dt diverges when ‖g‖ → 0 while some c_k stays positive (a constraint with a_k = 0, or
      // any data where A1(c) fails): the cumulative duals are then undefined and are no longer tracked
      if (Lambda && Lambda.some((x) => !F.isFinite(x))) Lambda = null;
    }
    lastState = { tau: info.t, y: info.y, logT, ...(Lambda ? { Lambda: Lambda.slice() } : {}) };
    if (rate === null) { atRest = true; return 'stop'; }
    // Stall: the last STALL_STEPS accepted steps advanced τ by less than 1% (a converging run's steps grow:
    // measured ≥ 0.1 late, geometric growth early). The normalized flow then chatters around a point where
    // the loss no longer decreases (e.g. A1(c) fails, or attention collapsed onto a wrong token).
    history.push([F.toNumber(info.t), F.toNumber(rate.phi)]);
    if (history.length > STALL_STEPS) history.shift();
    if (history.length === STALL_STEPS) {
      const [tau0, phi0] = history[0]!;
      const tauNow = F.toNumber(info.t);
      if (tauNow - tau0 < 0.01 * tauNow) {
        const dPhi = history[history.length - 1]![1] - phi0;
        if (Math.abs(dPhi) > 100) {
          // the gradient still shrank by e^{|Δφ|}: the loss is decreasing, the steps collapsed for another reason
          if (F.kind === 'float64') {
            limitHit = `float64 steps collapsed at ρ = ${rhoEnd.toFixed(3)} while ln‖∇L‖ was still falling (by ${(-dPhi).toExponential(2)} over ${STALL_STEPS} steps): the margins are no longer resolved`;
            return 'stop';
          }
        } else {
          stalled = `the flow stalled at ρ = ${rhoEnd.toFixed(4)}: ${STALL_STEPS} steps advanced τ by only ${(tauNow - tau0).toExponential(2)} (from ${tau0.toFixed(3)}), ln‖∇L‖ changed by ${(-dPhi).toExponential(2)}: the loss has stopped decreasing`;
          return 'stop';
        }
      }
    }
    if (F.kind !== 'float64') {
      // the same guard for a Decimal precision chosen too small (e.g. --digits 30 for ρ = 30)
      const u = flow.marginUncertainty(info.y);
      if (u > resolution) {
        const need = Math.ceil(F.digits + Math.log10(u / resolution)) + 5;
        precisionHit = `Decimal(${F.digits}) can no longer resolve the margins (roundoff uncertainty ${u.toExponential(2)} at ρ = ${rhoEnd.toFixed(3)}): rerun with --digits ${need} or more`;
        return 'stop';
      }
    }
    if (F.kind === 'float64') {
      stagnations.push(info.stats.newtonStagnations);
      if (stagnations.length > ROUNDOFF_WINDOW + 1) stagnations.shift();
      const recent = stagnations[stagnations.length - 1]! - stagnations[0]!;
      if (recent >= ROUNDOFF_STAGNATIONS) {
        limitHit = `float64 can no longer follow the flow to its tolerance at ρ = ${rhoEnd.toFixed(3)}: Newton stagnated at roundoff level in ${recent} of the last ${stagnations.length - 1} steps (margin roundoff uncertainty ${flow.marginUncertainty(info.y).toExponential(2)})`;
        return 'stop';
      }
      const u = flow.marginUncertainty(info.y);
      if (u > resolution * 1.01) {
        limitHit = `float64 can no longer resolve the margins: their roundoff uncertainty is ${u.toExponential(2)} at ρ = ${rhoEnd.toFixed(3)}`;
        return 'stop';
      }
    }
    const l10t = F.toNumber(lnToLog10(F, logT));
    if (stop.log10T !== undefined && l10t >= stop.log10T) { stopMessage = 'reached the log10 t target'; return 'stop'; }
    if (stop.when && stop.when(lastState)) { stopMessage = 'stopping test met'; return 'stop'; }
    if (opts.onProgress) {
      const now = Date.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        const l = flow.log10Norm(info.y);
        const l10n = l === null ? null : F.toNumber(l);
        opts.onProgress({ rho: rhoEnd, log10Norm: l10n, log10T: l10t, steps: info.stats.accepted, fraction: fractionOf(rhoEnd, l10n, l10t) });
      }
    }
    return undefined;
  };

  const sol = atRest
    ? null
    : solve(flow.problem(F.of(TAU_MAX), start), algorithm, {
      ...tolerances,
      ...(stop.maxSeconds !== undefined ? { maxSeconds: stop.maxSeconds } : {}),
      maxSteps: stop.maxSteps ?? 50_000,
      events,
      onStep,
    });

  let status: FlowStatus;
  let reason: string;
  if (sol === null || atRest) { status = 'at_rest'; reason = 'the gradient vanished: the flow is at rest'; }
  else if (sol.status === 'event') {
    status = 'event';
    const tag = sol.events[sol.events.length - 1]!.tag;
    reason = tag === 'stop:rho' ? 'reached the ρ target' : tag === 'stop:log10Norm' ? 'reached the log10‖W‖ target' : tag;
    if (tag === 'float64_limit') {
      status = 'float64_limit';
      reason = `float64 can no longer resolve the margins: their roundoff uncertainty reached ${resolution} at ρ = ${F.toNumber(flow.rho(sol.y)).toFixed(3)}`;
    }
  } else if (sol.status === 'stopped') {
    if (limitHit) { status = 'float64_limit'; reason = limitHit; } else if (precisionHit) { status = 'precision_limit'; reason = precisionHit; } else if (stalled) { status = 'stalled'; reason = stalled; } else { status = 'stopped'; reason = stopMessage ?? 'stopped'; }
  } else { status = sol.status; reason = sol.message ?? sol.status; }

  return {
    status, reason, algorithm: sol?.algorithm ?? 'none',
    checkpoints: [...thinEvenly(F, flow, recorded, K - 1), lastState],
    final: lastState,
    stats: sol?.stats ?? emptyStats(),
    seconds: sol?.seconds ?? 0,
  };
}

/** Keep at most `k` states spread evenly in ρ (in increasing order). */
export function thinEvenly<S>(F: Field<S>, flow: FlowDefinition<S>, states: readonly FlowState<S>[], k: number): FlowState<S>[] {
  if (states.length <= k) return states.slice();
  if (k <= 0) return [];
  const rhos = states.map((s) => F.toNumber(flow.rho(s.y)));
  const lo = rhos[0]!;
  const hi = rhos[rhos.length - 1]!;
  const picked: FlowState<S>[] = [];
  let j = 0;
  for (let i = 0; i < k; i++) {
    const target = lo + ((hi - lo) * i) / Math.max(k - 1, 1);
    while (j < rhos.length - 1 && Math.abs(rhos[j + 1]! - target) <= Math.abs(rhos[j]! - target)) j++;
    if (picked[picked.length - 1] !== states[j]) picked.push(states[j]!);
  }
  return picked;
}
