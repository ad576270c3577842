/**
 * The scaled chart of the mirror flow (src/flows/mirrorScaled.ts, SPEC.md §4, §8): state (v, L) with w = e^{L} v.
 * It must be the same flow as the r chart (mirror.ts) in other coordinates: its analytic Jacobian matches
 * central differences, it maps to and from r without loss, and from one Decimal state both charts reach the
 * same weights at the same ρ. Starting states come from a float64 flow on the bench's (6, 8, 10) data.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import { dot } from '../../src/numeric/Field.js';
import { attentionProblem } from '../../src/model/problem.js';
import { minMargin, marginsDiag } from '../../src/model/margins.js';
import { defaultDiagInit, kappaOf, mirrorInit } from '../../src/flows/init.js';
import { follow } from '../../src/flows/follow.js';
import { mirrorFlow } from '../../src/flows/mirror.js';
import { scaledMirrorFlow } from '../../src/flows/mirrorScaled.js';
import { type FlowState, runFlow } from '../../src/flows/run.js';
import type { FlowDefinition } from '../../src/flows/FlowDefinition.js';
import { feasibleSeeds } from './data.js';

const data = feasibleSeeds(6, 8, 10, 1, { from: 2024 })[0]!.data;
const init = defaultDiagInit(data.d, '1e-3');

function diagWeights<S>(flow: FlowDefinition<S>, y: readonly S[]): S[] {
  const W = flow.weights(y);
  if (W.structure !== 'diag') throw new Error('diagonal weights expected');
  return W.w;
}

/** The float64 flow's state at ρ = rho, in Decimal(digits). */
function decimalStateAt(rho: number, digits: number) {
  const f = follow(data, { param: 'r', backend: 'float64', alpha: '1e-3', chart: 'r', checkpoints: 1, stop: { rho } });
  const st = f.segments[0]!.run.final as FlowState<number>;
  const D = decimalField(digits);
  const c = (x: number) => D.of(float64Field.toString(x));
  const from: FlowState<ReturnType<typeof D.of>> = { tau: c(st.tau), y: st.y.map(c), logT: c(st.logT), Lambda: st.Lambda!.map(c) };
  const P = attentionProblem(D, data, 'exp');
  const mInit = mirrorInit(D, init);
  const kappa = kappaOf(init).map((q) => D.fromRational(q));
  return { D, P, mInit, kappa, from };
}

test('scaled chart: analytic Jacobian = central differences (relative 1e-20), r ↔ (v, L) round trip, ⟨a_ref, v⟩ = 1', () => {
  for (const rho of [12, 15]) {
    const { D, P, mInit, kappa, from } = decimalStateAt(rho, 60);
    const flow = scaledMirrorFlow({ P, init: mInit, kappa, from });
    const y = flow.start.y;
    const prob = flow.problem(D.of(100));
    const J = prob.jacobian!(prob.t0, y);
    let worst = 0;
    for (let q = 0; q < y.length; q++) {
      const yq = D.max(D.abs(y[q]!), D.of('1e-10'));
      const step = D.mul(D.of('1e-25'), yq);
      const plus = y.slice(); plus[q] = D.add(y[q]!, step);
      const minus = y.slice(); minus[q] = D.sub(y[q]!, step);
      const fp = prob.f(prob.t0, plus);
      const fm = prob.f(prob.t0, minus);
      for (let p = 0; p < y.length; p++) {
        // entries compared in units of the row's largest column contribution |J_pk|·|y_k|
        const rowScale = Math.max(1e-300, ...J[p]!.map((x, k) => Math.abs(D.toNumber(x)) * Math.max(1e-10, Math.abs(D.toNumber(y[k]!)))));
        const fd = D.div(D.sub(fp[p]!, fm[p]!), D.scale(step, 2));
        worst = Math.max(worst, (Math.abs(D.toNumber(D.sub(fd, J[p]![q]!))) * D.toNumber(yq)) / rowScale);
      }
    }
    assert.ok(worst < 1e-20, `ρ ${rho}: Jacobian mismatch ${worst}`);
    const r = flow.mirror!(y);
    const back = Math.max(...r.map((x, j) => Math.abs(D.toNumber(D.sub(x, from.y[j]!)))));
    assert.ok(back < 1e-40, `ρ ${rho}: round trip ${back}`);
    // ρ by float64 screening = max_j |r_j| over all d coordinates, also with the largest coordinate's sign
    // flipped and with it outside float64's range (1e-400: always mapped, no longer the largest)
    const top = r.reduce((k, x, j) => (D.gt(D.abs(x), D.abs(r[k]!)) ? j : k), 0);
    const flipped = y.slice(); flipped[top] = D.neg(y[top]!);
    const tiny = y.slice(); tiny[top] = D.of('1e-400');
    for (const state of [y, flipped, tiny]) {
      const full = flow.mirror!(state).reduce((m, x) => D.max(m, D.abs(x)), D.zero);
      const gap = Math.abs(D.toNumber(D.sub(flow.rho(state), full)));
      assert.ok(gap <= 1e-55 * D.toNumber(full), `ρ ${rho}: screened ρ off by ${gap}`);
    }
    assert.ok(D.lt(flow.rho(tiny), flow.rho(y)));
    const onChart = D.toNumber(D.sub(dot(D, P.a[flow.ref]!, y.slice(0, P.d)), D.one));
    assert.ok(Math.abs(onChart) < 1e-55, `ρ ${rho}: ⟨a_ref, v⟩ − 1 = ${onChart}`);
    assert.ok(D.toNumber(minMargin(D, marginsDiag(P, diagWeights(flow, y)))) > 0);
  }
});

test('scaled chart and r chart trace one path: same margin-normalized weights at ρ = 13 from one Decimal(40) state at ρ = 12', () => {
  const { D, P, mInit, kappa, from } = decimalStateAt(12, 40);
  const rFlow = mirrorFlow({ P, init: mInit, kappa });
  const sFlow = scaledMirrorFlow({ P, init: mInit, kappa, from });
  const stop = { rho: 13 };
  const viaR = runFlow(rFlow, { stop, checkpoints: 1, from });
  const viaScaled = runFlow(sFlow, { stop, checkpoints: 1, from: { ...from, y: sFlow.start.y } });
  assert.is(viaR.status, 'event');
  assert.is(viaScaled.status, 'event');
  const normalized = (w: ReturnType<typeof D.of>[]) => { const m = minMargin(D, marginsDiag(P, w)); return w.map((x) => D.toNumber(D.div(x, m))); };
  const a = normalized(diagWeights(rFlow, viaR.final.y));
  const b = normalized(diagWeights(sFlow, viaScaled.final.y));
  const scale = Math.max(...a.map(Math.abs));
  const diff = Math.max(...a.map((x, j) => Math.abs(x - b[j]!))) / scale;
  // both runs at rtol 1e-12 (Radau's internal 1e-9 per step); measured 8.9e-13 (ln t: 3.0e-13), 94 steps in r, 74 scaled
  assert.ok(diff < 1e-9, `direction difference ${diff}`);
  // ln t and the cumulative duals Λ agree as well (relative)
  const dT = Math.abs(D.toNumber(D.div(D.sub(viaR.final.logT, viaScaled.final.logT), viaR.final.logT)));
  assert.ok(dT < 1e-9, `ln t difference ${dT}`);
  const lam = viaR.final.Lambda!.map((x, k) => Math.abs(D.toNumber(D.sub(x, viaScaled.final.Lambda![k]!))));
  const lamScale = Math.max(...viaR.final.Lambda!.map((x) => Math.abs(D.toNumber(x))));
  assert.ok(Math.max(...lam) / lamScale < 1e-9, `Λ difference ${Math.max(...lam) / lamScale}`);
});

test('follow: the mirror flow moves to the scaled chart where the r chart struggles (> 30 steps per unit ρ), in float64, and Decimal continues in it past the float64 limit; unless chart = r; both reach the same weights', () => {
  const run = (chart: 'auto' | 'r') => follow(data, { param: 'r', backend: 'auto', digits: 40, chart, stop: { rho: 22, maxSeconds: 120 }, checkpoints: 2 });
  const auto = run('auto');
  // float64 in r, float64 in the scaled chart (measured from ρ 11.59 to its limit 15.77), Decimal in the same chart
  assert.is(auto.segments.length, 3);
  assert.is(auto.status, 'event');
  assert.is(auto.segments[0]!.flow.mirror, undefined);
  assert.is(auto.segments[1]!.F.kind, 'float64');
  assert.ok(auto.segments[1]!.flow.mirror !== undefined, 'float64 in the scaled chart');
  assert.is(auto.segments[1]!.run.status, 'float64_limit');
  assert.is(auto.segments[2]!.F.kind, 'decimal');
  assert.ok(auto.segments[2]!.flow.mirror !== undefined, 'Decimal in the scaled chart');
  // the same chart: the same reference constraint
  const ref = (g: typeof auto.segments[number]) => (g.flow as unknown as { ref: number }).ref;
  assert.is(ref(auto.segments[2]!), ref(auto.segments[1]!));
  assert.ok(auto.reason.includes('scaled chart from ρ'), auto.reason);
  const plain = run('r');
  assert.is(plain.segments.length, 2);
  assert.is(plain.segments[1]!.flow.mirror, undefined);
  assert.is(plain.status, 'event');
  const D = plain.segments[1]!.F;
  const normalized = (w: ReturnType<typeof D.of>[]) => { const m = minMargin(D, marginsDiag(plain.segments[1]!.P, w)); return w.map((x) => D.toNumber(D.div(x, m))); };
  const wa = normalized(diagWeights(auto.segments[2]!.flow, auto.segments[2]!.run.final.y));
  const wb = normalized(diagWeights(plain.segments[1]!.flow, plain.segments[1]!.run.final.y));
  const scale = Math.max(...wb.map(Math.abs));
  const diff = Math.max(...wa.map((x, j) => Math.abs(x - wb[j]!))) / scale;
  assert.ok(diff < 1e-9, `margin-normalized weights differ by ${diff}`);
});

test.run();
