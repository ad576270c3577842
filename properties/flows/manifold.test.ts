/**
 * The late mirror flow's Newton aids (src/flows/mirrorManifold.ts, src/model/parameterizations.ts):
 *  - r ↦ w(r) ↦ r round-trips (mirrorFromWeights) to 64 units of roundoff of max(1, |r|, |ln u₀|, |ln b₀|), in float64 and
 *    Decimal(50), from α = 1e-3 to α = "1e-5000", with u₀ ≠ b₀ and with b₀ = 0;
 *  - the slow-manifold predictor puts a stage extrapolated in r back onto the manifold: on a late float64
 *    state (ρ = 11, ‖w‖ ~ 1e3, margins ~ 1e4, steps of 0.2 in τ) the near-active margin offsets of the refined stage are ≥ 10× closer to those
 *    of the true flow than the raw cubic extrapolation's, by a move of |Δr| ≤ 1e-6;
 *  - it changes only Newton's starting values: the flow with and without it reaches the same state at ρ = 12,
 *    and with it Newton is rejected less often (a count, not a time).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import type { Field } from '../../src/numeric/Field.js';
import { type MirrorInit, mirrorFromWeights, weightsFromMirror } from '../../src/model/parameterizations.js';
import { marginsDiag } from '../../src/model/margins.js';
import { attentionProblem } from '../../src/model/problem.js';
import { defaultDiagInit, kappaOf, mirrorInit } from '../../src/flows/init.js';
import { mirrorFlow } from '../../src/flows/mirror.js';
import { slowManifoldStages } from '../../src/flows/mirrorManifold.js';
import { runFlow } from '../../src/flows/run.js';
import type { FlowDefinition } from '../../src/flows/FlowDefinition.js';
import { solve } from '../../src/ode/solve.js';
import { feasibleSeeds } from './data.js';
import { fcParams } from '../support/budget.js';

function roundTripError<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): number {
  const back = mirrorFromWeights(F, init, weightsFromMirror(F, init, r));
  if (back === null) return Infinity;
  let worst = 0;
  r.forEach((x, j) => {
    // r = (asinh(w/2κ) − ln|u₀| + ln|b₀|)/2 carries the roundoff of the logs: |ln α| ≈ 11513 at α = 1e-5000
    const logs = [init.logU0[j]!, init.logB0[j]!].map((l) => (l === null ? 0 : Math.abs(F.toNumber(l))));
    const scale = Math.max(1, Math.abs(F.toNumber(x)), ...logs);
    worst = Math.max(worst, Math.abs(F.toNumber(F.sub(back[j]!, x))) / scale);
  });
  return worst / Math.pow(10, F.log10UnitRoundoff);
}

const logOf = <S>(F: Field<S>, x: string): S => F.log(F.of(x));

test('mirrorFromWeights inverts weightsFromMirror (float64: α ∈ {1e-3, 0.5}, u₀ ≠ b₀; |r| ≤ 20)', () => {
  const F = float64Field;
  fc.assert(fc.property(
    fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 6 }),
    fc.constantFrom('1e-3', '0.5'), fc.double({ min: 0.1, max: 10, noNaN: true }),
    (r, alpha, ratio) => {
      const init: MirrorInit<number> = {
        logU0: r.map(() => logOf(F, alpha)),
        logB0: r.map(() => F.add(logOf(F, alpha), Math.log(ratio))),
      };
      const err = roundTripError(F, init, r);
      assert.ok(err <= 64, `round trip off by ${err.toFixed(1)} u·max(1, |r|, |ln u₀|, |ln b₀|)`);
    }), fcParams('manifold-roundtrip-f64', 200, 2000));
});

test('mirrorFromWeights inverts weightsFromMirror (Decimal(50): α = "1e-5000", |r| ≤ 6000; and b₀ = 0)', () => {
  const F = decimalField(50);
  fc.assert(fc.property(
    fc.array(fc.integer({ min: -6_000_000, max: 6_000_000 }).map((k) => k / 1000), { minLength: 1, maxLength: 4 }),
    (rNum) => {
      const r = rNum.map((x) => F.of(x));
      const balanced: MirrorInit<ReturnType<typeof F.of>> = { logU0: r.map(() => logOf(F, '1e-5000')), logB0: r.map(() => logOf(F, '3e-5000')) };
      const err = roundTripError(F, balanced, r);
      assert.ok(err <= 64, `round trip off by ${err.toFixed(1)} u·max(1, |r|, |ln u₀|, |ln b₀|)`);
      // b₀ = 0: w = u₀² e^{2r} > 0 only
      const oneSided: MirrorInit<ReturnType<typeof F.of>> = { logU0: r.map(() => logOf(F, '1e-5000')), logB0: r.map(() => null) };
      const err1 = roundTripError(F, oneSided, r);
      assert.ok(err1 <= 64, `one-sided round trip off by ${err1.toFixed(1)}`);
      assert.is(mirrorFromWeights(F, oneSided, r.map(() => F.of(-1))), null, 'w < 0 is out of reach when b₀ = 0');
    }), fcParams('manifold-roundtrip-dec', 40, 400));
});

// One late float64 state of the bench's (6, 8, 10) dataset and states of the true flow after it.
const data = feasibleSeeds(6, 8, 10, 1, { from: 2024 })[0]!.data;
const F = float64Field;
const P = attentionProblem(F, data, 'exp');
const diagInit = defaultDiagInit(data.d, '1e-3');
const init = mirrorInit(F, diagInit);
const flow = mirrorFlow({ P, init, kappa: kappaOf(diagInit).map((q) => F.fromRational(q)), slowManifoldPredictor: true });

function withoutPredictor(def: FlowDefinition<number>): FlowDefinition<number> {
  return {
    ...def,
    problem: (tEnd, from) => {
      const { refineStages: _dropped, ...rest } = def.problem(tEnd, from);
      return rest;
    },
  };
}

// (ρ = 11: no constraint enters the support within the window; at ρ = 12 one does, 0.35 τ later, which no
// extrapolation from the past can foresee)
test('the slow-manifold predictor moves an extrapolated stage onto the manifold (float64, ρ = 11)', () => {
  const late = runFlow(flow, { stop: { rho: 11 }, checkpoints: 2 });
  assert.is(late.status, 'event', late.reason);
  const tau0 = late.final.tau;
  const y0 = late.final.y;
  const H = 0.2;
  // the true flow at τ₀ + kH (k = 1..4), each integrated from the ρ = 12 state to exactly that τ
  const truth = [1, 2, 3, 4].map((k) => {
    const sol = solve(flow.problem(tau0 + k * H, { tau: tau0, y: y0 }), 'RadauIIA5', { rtol: 1e-12, atol: 1e-12, maxSteps: 5000 });
    assert.is(sol.status, 'success');
    return sol.y;
  });
  const ts = [0, 1, 2, 3].map((k) => tau0 + k * H);
  const ys = [y0, truth[0]!, truth[1]!, truth[2]!];
  const target = tau0 + 4 * H;
  // the raw predictor: cubic extrapolation in r through the four known states
  const L = ts.map((tk, k) => ts.reduce((acc, tl, l) => (l === k ? acc : (acc * (target - tl)) / (tk - tl)), 1));
  const raw = y0.map((_, j) => ys.reduce((acc, y, k) => acc + L[k]! * y[j]!, 0));
  // the predictor takes the known points in time order, the latest last (Radau's previous step)
  const refined = slowManifoldStages(P, init)({ t: ts, y: ys }, { t: [target], y: [raw] })[0]!;
  const exact = truth[3]!;
  const offsets = (r: readonly number[]) => { const h = marginsDiag(P, weightsFromMirror(F, init, r)); const m = Math.min(...h); return h.map((x) => x - m); };
  const oExact = offsets(exact);
  const near = oExact.map((x, k) => [x, k] as const).filter(([x]) => x < 25).map(([, k]) => k);
  assert.ok(near.length >= 2, 'several near-active constraints');
  const err = (r: readonly number[]) => { const o = offsets(r); return Math.max(...near.map((k) => Math.abs(o[k]! - oExact[k]!))); };
  const eRaw = err(raw);
  const eRefined = err(refined);
  assert.ok(eRaw > 1e-3, `the raw extrapolation is off the manifold (${eRaw.toExponential(2)} margin units)`);
  assert.ok(eRefined * 10 <= eRaw, `refined offsets error ${eRefined.toExponential(2)} vs raw ${eRaw.toExponential(2)}`);
  const move = Math.max(...refined.map((x, j) => Math.abs(x - raw[j]!)));
  assert.ok(move <= 1e-6, `|Δr| = ${move.toExponential(2)}`);
});

test('with and without the predictor the flow reaches the same state; with it Newton fails less (float64, ρ = 12)', () => {
  const a = runFlow(flow, { stop: { rho: 12 }, checkpoints: 2 });
  const b = runFlow(withoutPredictor(flow), { stop: { rho: 12 }, checkpoints: 2 });
  assert.is(a.status, 'event', a.reason);
  assert.is(b.status, 'event', b.reason);
  // same ρ; compare the direction w/‖w‖₂ (the states sit at slightly different τ on the same path)
  const dir = (y: readonly number[]) => { const w = weightsFromMirror(F, init, y); const n = Math.hypot(...w); return w.map((x) => x / n); };
  const da = dir(a.final.y);
  const db = dir(b.final.y);
  const diff = Math.max(...da.map((x, j) => Math.abs(x - db[j]!)));
  assert.ok(diff < 1e-6, `directions differ by ${diff.toExponential(2)}`);
  assert.ok(a.stats.rejected < b.stats.rejected, `rejected steps with ${a.stats.rejected}, without ${b.stats.rejected}`);
});

test.run();
