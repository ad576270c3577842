/**
 * The slow-manifold predictor's least-norm step (src/flows/mirrorManifold.ts) and the Λ quadrature on the
 * integrator's own stages (src/flows/run.ts, StepInfo.stages).
 *
 * - For m > d the projection solves the d×d system ((PB)ᵀPB + εI)Δr = (PB)ᵀPe instead of the m×m one
 *   ((PB)(PB)ᵀ + εI + shift·11ᵀ)μ = Pe, Δr = (PB)ᵀμ: the push-through identity makes them equal, so in Decimal(50)
 *   they must agree to ~1e-35 relative on random centred matrices (a wrong transpose or a different ε does not).
 * - With RadauIIA9 / RadauIIA13 Λ is integrated by the method's own 5- / 7-point rule at its stage values,
 *   so r − r₀ = AᵀΛ to Newton tolerance + roundoff; the 3-point rule on the dense output used before leaves
 *   the quadrature error of the higher-degree collocation polynomial there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decimalField } from '../../src/numeric/decimal.js';
import { leastNormColumns, leastNormRows } from '../../src/flows/mirrorManifold.js';
import { follow } from '../../src/flows/follow.js';
import { feasibleSeeds } from './data.js';
import { fcParams } from '../support/budget.js';

const D = decimalField(50);

test('least-norm projection: the d×d normal equations give the m×m solution (Decimal(50), m > d)', () => {
  let worst = 0;
  fc.assert(fc.property(
    fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    (d, extra, seed) => {
      const m = d + extra;
      let state = seed;
      const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return (state / 2147483648) * 2 - 1; };
      // rows of B with column scales spread over 1e-3..1e3 (like ∂w/∂r), columns centred (P B)
      const scales = Array.from({ length: d }, () => 10 ** (3 * next()));
      const B = Array.from({ length: m }, () => Array.from({ length: d }, (_, j) => D.of(next() * scales[j]!)));
      const colMean = Array.from({ length: d }, (_, j) => D.div(B.reduce((a, r) => D.add(a, r[j]!), D.zero), D.of(m)));
      const PB = B.map((r) => r.map((x, j) => D.sub(x, colMean[j]!)));
      const e = Array.from({ length: m }, () => D.of(next()));
      const eMean = D.div(e.reduce((a, x) => D.add(a, x), D.zero), D.of(m));
      const Pe = e.map((x) => D.sub(x, eMean));
      const rows = leastNormRows(D, PB, Pe, d);
      const cols = leastNormColumns(D, PB, Pe, d);
      assert.ok(rows !== null && cols !== null);
      const scale = rows!.reduce((a, x) => Math.max(a, Math.abs(D.toNumber(x))), 0);
      const diff = rows!.reduce((a, x, j) => Math.max(a, Math.abs(D.toNumber(D.sub(x, cols![j]!)))), 0);
      worst = Math.max(worst, diff / scale);
      assert.ok(diff <= 1e-30 * scale, `d = ${d}, m = ${m}: |Δ| = ${diff} against ${scale}`);
    },
  ), fcParams('flows/predictor-least-norm', 40, 200));
  console.log(`  worst relative difference ${worst.toExponential(2)}`);
});

for (const algorithm of ['RadauIIA9', 'RadauIIA13'] as const) {
  test(`Λ on the integrator's own stages: ${algorithm} keeps r − r₀ = AᵀΛ within 1e-9 (float64, ρ = 8)`, () => {
    // measured on this dataset: 2.9e-10 (RadauIIA9) and 1.2e-11 (RadauIIA13); the 3-point rule on the dense
    // output left 1.6e-8 and 9.7e-7 (RadauIIA5: 3.8e-11 either way, its stages are that rule's nodes)
    const data = feasibleSeeds(4, 3, 3, 1, { from: 11 })[0]!.data;
    const res = follow(data, { param: 'r', backend: 'float64', algorithm, alpha: '1e-3', checkpoints: 4, stop: { rho: 8, maxSeconds: 20 } });
    const seg = res.segments[0]!;
    const F = seg.F;
    const st = seg.run.final;
    assert.ok(st.Lambda, 'Λ tracked');
    const r0 = seg.flow.start.y;
    const AL: number[] = Array.from({ length: data.d }, (_, j) => {
      let acc = 0;
      seg.P.a.forEach((a: readonly unknown[], k: number) => { acc += F.toNumber(a[j]) * F.toNumber(st.Lambda![k]); });
      return acc;
    });
    const resid = Math.max(...AL.map((x, j) => Math.abs(F.toNumber(st.y[j]!) - F.toNumber(r0[j]!) - x)));
    const scale = Math.max(...AL.map(Math.abs));
    console.log(`  ${algorithm}: ‖r − r₀ − AᵀΛ‖∞/‖AᵀΛ‖∞ = ${(resid / scale).toExponential(2)} after ${seg.run.stats.accepted} steps`);
    assert.ok(resid <= 1e-9 * scale, `residual ${resid} against ${scale}`);
  });
}

test.run();
