/**
 * solve(problem, algorithm, options): the time loop shared by every algorithm.
 *
 * The loop owns: step-size limits (hmax, clipping to tEnd), budgets (maxSteps, maxSeconds), statistics,
 * events (events.ts, located on each accepted step's dense output), and the onStep callback. Algorithms
 * (algorithms.ts) only attempt single steps. A solver failure is never thrown: it is the returned status.
 * Errors in the inputs (unknown algorithm, tableau precision too low for the field) do throw.
 */
import type { Field } from '../numeric/Field.js';
import { type AlgorithmName, getAlgorithm } from './algorithms.js';
import { initialStepSize } from './control.js';
import { isCrossing, type LocatedEvent, refineRoot } from './events.js';
import type { OdeProblem } from './Problem.js';
import {
  emptyStats,
  type EventRecord,
  type OdeSolution,
  type OdeStatus,
  type ResolvedTolerances,
  type SolveOptions,
  type Stepper,
  type StepperFactory,
  type Tolerance,
} from './types.js';

export const DEFAULT_MAX_STEPS = 100_000;

function toField<S>(F: Field<S>, x: Tolerance<S>): S {
  return typeof x === 'number' || typeof x === 'string' ? F.of(x) : x;
}

export function resolveTolerances<S>(F: Field<S>, options: SolveOptions<S>): ResolvedTolerances<S> {
  const defaultRtol = F.kind === 'float64' ? 1e-6 : Math.pow(10, -Math.floor(F.digits * 0.6));
  const rtol = toField(F, options.rtol ?? defaultRtol);
  const atol = toField(F, options.atol ?? rtol);
  const num = (x: S): number => {
    const v = F.toNumber(x);
    return v > 0 ? v : Math.pow(10, Math.max(-300, F.log10UnitRoundoff));
  };
  return { rtol, atol, rtolNum: num(rtol), atolNum: num(atol) };
}

export function solve<S>(
  problem: OdeProblem<S>,
  algorithm: AlgorithmName | StepperFactory,
  options: SolveOptions<S> = {},
): OdeSolution<S> {
  const F = problem.F;
  const started = performance.now();
  const factory = typeof algorithm === 'function' ? algorithm : getAlgorithm(algorithm).factory;
  const stats = emptyStats();
  const tol = resolveTolerances(F, options);
  const hmax = options.hmax !== undefined ? F.abs(toField(F, options.hmax)) : undefined;
  const stepper: Stepper<S> = factory({ problem, tol, stats, hmax });
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const events = options.events ?? [];
  const eventRecords: EventRecord<S>[] = [];

  let t = problem.t0;
  let y: S[] = problem.y0.slice();
  const span = F.sub(problem.tEnd, problem.t0);
  const forward = F.sign(span) >= 0;
  const finish = (status: OdeStatus, message?: string): OdeSolution<S> => ({
    status,
    ...(message !== undefined ? { message } : {}),
    algorithm: stepper.name,
    t,
    y,
    events: eventRecords,
    stats,
    seconds: (performance.now() - started) / 1000,
  });
  if (F.isZero(span)) return finish('success');

  const signed = (hAbs: S): S => (forward ? hAbs : F.neg(hAbs));
  const fixed = options.fixedStep !== undefined;
  let hAbs: S;
  if (options.fixedStep !== undefined) hAbs = F.abs(toField(F, options.fixedStep));
  else if (options.h0 !== undefined) hAbs = F.abs(toField(F, options.h0));
  else {
    const f0 = stepper.derivativeAt ? stepper.derivativeAt(t, y) : (stats.fEvals++, problem.f(t, y));
    hAbs = F.abs(initialStepSize(F, problem.f, t, y, f0, stepper.order, tol, span, () => stats.fEvals++));
  }
  let gPrev: S[] = events.map((ev) => ev.g(t, y));
  const fourU = F.scale(F.epsilon(), 4);

  for (;;) {
    if (stats.steps >= maxSteps) return finish('max_steps', `reached maxSteps = ${maxSteps}`);
    if (options.maxSeconds !== undefined && (performance.now() - started) / 1000 > options.maxSeconds) {
      return finish('max_seconds', `wall clock exceeded ${options.maxSeconds} s`);
    }
    if (hmax && F.gt(hAbs, hmax)) hAbs = hmax;
    const remaining = F.abs(F.sub(problem.tEnd, t));
    // Land exactly on tEnd; avoid a sliver of a last step (< 1% of h).
    let last = false;
    if (!F.lt(F.scale(hAbs, 1.01), remaining)) {
      hAbs = remaining;
      last = true;
    }
    if (F.isZero(hAbs) || !F.gt(hAbs, F.mul(fourU, F.abs(t)))) {
      return finish('step_too_small', `step size ${F.toPrecision(hAbs, 6)} at t = ${F.toPrecision(t, 12)}`);
    }
    const h = signed(hAbs);
    stats.steps++;
    const out = stepper.step(t, y, h, fixed);
    if (out.kind === 'failure') return finish(out.status, out.message);
    if (out.kind === 'rejected') {
      stats.rejected++;
      hAbs = F.abs(out.hNext);
      continue;
    }
    stats.accepted++;
    const tPrev = t;
    const yPrev = y;
    const tNew = last ? problem.tEnd : out.tNew;
    const yNew = out.yNew;

    // Events: detect on the step ends, refine on the dense output, report in time order.
    if (events.length > 0) {
      const gNew = events.map((ev) => ev.g(tNew, yNew));
      const found: LocatedEvent<S>[] = [];
      events.forEach((ev, i) => {
        if (!isCrossing(F, gPrev[i]!, gNew[i]!, ev.direction ?? 0, forward)) return;
        const r = refineRoot(F, ev.g, out.interpolant, tPrev, gPrev[i]!, tNew, gNew[i]!, yNew);
        found.push({ index: i, t: r.t, y: r.y });
      });
      found.sort((p, q) => (forward ? F.cmp(p.t, q.t) : F.cmp(q.t, p.t)));
      for (const e of found) {
        const ev = events[e.index]!;
        eventRecords.push({ tag: ev.tag ?? `event${e.index}`, index: e.index, t: e.t, y: e.y });
        if (ev.terminal) {
          t = e.t;
          y = e.y;
          options.onStep?.({ tPrev, yPrev, t: e.t, y: e.y, h: F.sub(e.t, tPrev), stats, interpolate: (s) => out.interpolant.at(s) });
          return finish('event', `terminal event ${ev.tag ?? e.index}`);
        }
      }
      gPrev = gNew;
    }

    t = tNew;
    y = yNew;
    if (options.onStep) {
      const verdict = options.onStep({ tPrev, yPrev, t, y, h, stats, interpolate: (s) => out.interpolant.at(s), ...(out.stages && !last ? { stages: out.stages } : {}) });
      if (verdict === 'stop') return finish('stopped', 'stopped by onStep');
    }
    if (last) return finish('success');
    if (!fixed) hAbs = F.abs(out.hNext);
  }
}
