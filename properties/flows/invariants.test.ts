/**
 * Claim A.INV (SPEC.md §4): u⊙b ≡ κ = (k₀² − q₀²)/4 along the diagonal flows, KᵀK − QᵀQ ≡ const along kq.
 *
 * Tolerances:
 * - mirror flow `r`: FlowDefinition.invariant evaluates u₀e^{r}·b₀e^{−r} = e^{(ln|u₀|+r)+(ln|b₀|−r)}: only
 *   rounding enters, an absolute error ≤ u·(|ln u₀| + |ln b₀| + 2|r|) in the exponent, so the relative
 *   error is ≤ 8u·(|ln u₀| + |ln b₀| + 2ρ + 1) (u the unit roundoff) — the working precision.
 * - `diag`/`uv`: the exact flow conserves u_j b_j, the integrator (RadauIIA5, not a symplectic/Gauss
 *   method) only to its tolerance: each factor carries a relative error ~rtol per unit τ, so
 *   |u_j b_j − κ_j| ≤ 1000·rtol·|u_j||b_j| (measured ≤ 1e-9 at rtol 1e-10 in float64, ≤ 1e-11 at rtol 1e-13
 *   in Decimal(30)), with atol far below |b| ~ α e^{−ρ} so that b is resolved.
 * - `kq`: same argument, relative to ‖K‖² + ‖Q‖² (the size of the entries of KᵀK and QᵀQ).
 * Every test also checks that a perturbed state breaks the invariant (so the check can fail).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Field } from '../../src/numeric/Field.js';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import { rat } from '../../src/numeric/rational.js';
import { attentionProblem } from '../../src/model/problem.js';
import { kqFlow } from '../../src/flows/full.js';
import { type DiagInit, mirrorInit } from '../../src/flows/init.js';
import type { FlowDefinition } from '../../src/flows/FlowDefinition.js';
import { runFlow } from '../../src/flows/run.js';
import { arbPlantedAB } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';
import { isDiagFeasible, seededPlanted } from './data.js';
import { diagonalTrio, stateAt } from './flowkit.js';

/** max_j |inv_j − κ_j| / scale_j over the given states */
function worstInvariant<S>(F: Field<S>, flow: FlowDefinition<S>, states: readonly (readonly S[])[], kappa: readonly S[], scale: (y: readonly S[], j: number) => S): number {
  let worst = 0;
  for (const y of states) {
    const inv = flow.invariant(y)!;
    inv.forEach((x, j) => { worst = Math.max(worst, F.toNumber(F.div(F.abs(F.sub(x, kappa[j]!)), scale(y, j)))); });
  }
  return worst;
}

const arbInit = (d: number): fc.Arbitrary<DiagInit> => fc.array(
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -7, max: 7 })).filter(([k, q]) => Math.abs(q) !== k),
  { minLength: d, maxLength: d },
).map((pairs) => ({ k0: pairs.map(([k]) => rat(k, 40)), q0: pairs.map(([, q]) => rat(q, 40)) }));

/** |u_j||b_j| of a diag/uv state */
function uvScale<S>(F: Field<S>, param: 'diag' | 'uv', d: number) {
  return (y: readonly S[], j: number): S => {
    const a = y[j]!; const c = y[d + j]!;
    if (param === 'uv') return F.abs(F.mul(a, c));
    return F.abs(F.mul(F.mul(F.add(a, c), F.half), F.mul(F.sub(a, c), F.half)));
  };
}

test('A.INV float64: u⊙b ≡ κ along diag and uv (1000·rtol), and along r (working precision)', () => {
  const rtol = 1e-10;
  fc.assert(
    fc.property(
      arbPlantedAB({ n: 3, T: 3, d: 3 }).filter(isDiagFeasible).chain((data) => arbInit(data.d).map((init) => ({ data, init }))),
      ({ data, init }) => {
        const F = float64Field;
        const tr = diagonalTrio(F, data, init);
        for (const param of ['diag', 'uv'] as const) {
          const flow = tr[param];
          const states = [2, 4, 6].map((tau) => stateAt(flow, tau, { rtol, atol: 1e-18 })!);
          const w = worstInvariant(F, flow, states, tr.kappa, uvScale(F, param, data.d));
          assert.ok(w <= 1000 * rtol, `${param}: |u⊙b − κ|/|u||b| = ${w.toExponential(2)}`);
          // able to fail: move one coordinate of the state by 1e-6 relative
          const bad = states[2]!.slice(); bad[0] = bad[0]! * (1 + 1e-6);
          assert.ok(worstInvariant(F, flow, [bad], tr.kappa, uvScale(F, param, data.d)) > 1000 * rtol, `${param}: a perturbed state is detected`);
        }
        // mirror flow along a run to ρ = 10 (every checkpoint)
        const run = runFlow(tr.r, { stop: { rho: 10 }, checkpoints: 10 });
        const init0 = mirrorInit(F, init);
        const u = Math.pow(10, F.log10UnitRoundoff);
        const bound = (y: readonly number[], j: number) =>
          8 * u * (Math.abs(init0.logU0[j] ?? 0) + Math.abs(init0.logB0[j] ?? 0) + 2 * Math.abs(y[j]!) + 1) * Math.abs(tr.kappa[j]!);
        const wm = worstInvariant(F, tr.r, run.checkpoints.map((c) => c.y), tr.kappa, bound);
        assert.ok(wm <= 1, `r: invariant within the working-precision bound (ratio ${wm.toExponential(2)})`);
      },
    ),
    fcParams('flows/invariants/float64', 3, 20),
  );
});

test('A.INV Decimal(30): u⊙b ≡ κ along uv (rtol 1e-13) and along r (working precision)', () => {
  const F = decimalField(30);
  const data = seededPlanted(2, 3, 2, 2);
  const init: DiagInit = { k0: [rat(1, 10), rat(3, 20)], q0: [rat(1, 20), rat(-1, 40)] };
  const tr = diagonalTrio(F, data, init);
  const rtol = 1e-13;
  const y = stateAt(tr.uv, F.of('0.5'), { rtol: '1e-13', atol: '1e-22' })!;
  const w = worstInvariant(F, tr.uv, [y], tr.kappa, uvScale(F, 'uv', data.d));
  assert.ok(w <= 1000 * rtol, `uv: ${w.toExponential(2)}`);
  const run = runFlow(tr.r, { stop: { rho: 4 }, checkpoints: 4, rtol: '1e-8', atol: '1e-10' }); // the trajectory's accuracy is irrelevant to u⊙b = κ
  const init0 = mirrorInit(F, init);
  const u = Math.pow(10, F.log10UnitRoundoff);
  const bound = (yy: readonly typeof y[number][], j: number) =>
    F.of(8 * u * (Math.abs(F.toNumber(init0.logU0[j]!)) + Math.abs(F.toNumber(init0.logB0[j]!)) + 2 * Math.abs(F.toNumber(yy[j]!)) + 1) * Math.abs(F.toNumber(tr.kappa[j]!)));
  const wm = worstInvariant(F, tr.r, run.checkpoints.map((c) => c.y), tr.kappa, bound);
  assert.ok(wm <= 1, `r: ratio to the working-precision bound ${wm.toExponential(2)}`);
  // able to fail: a κ off by 1e-20 relative is detected at 30 digits (the bound is ~1e-27 relative)
  const kBad = tr.kappa.map((k) => F.mul(k, F.of('1.00000000000000000001')));
  assert.ok(worstInvariant(F, tr.r, run.checkpoints.map((c) => c.y), kBad, bound) > 1, 'r: a wrong κ is detected');
});

test('A.INV kq: KᵀK − QᵀQ ≡ const (float64, 1000·rtol relative to ‖K‖² + ‖Q‖²)', () => {
  const F = float64Field;
  for (const seed of [1, 2]) {
    const data = seededPlanted(2, 3, 2, seed);
    const P = attentionProblem(F, data, 'exp');
    const K0 = [[0.2, 0.05], [-0.1, 0.15]];
    const Q0 = [[0.03, 0], [0.07, -0.02]];
    const flow = kqFlow(P, K0, Q0);
    const c0 = flow.invariant(flow.start.y)!;
    const rtol = 1e-10;
    const run = runFlow(flow, { stop: { rho: 3 }, checkpoints: 6, rtol, atol: 1e-16 });
    assert.ok(run.checkpoints.length >= 3, 'kq run produced checkpoints');
    for (const st of run.checkpoints) {
      const inv = flow.invariant(st.y)!;
      const scale = st.y.reduce((s, x) => s + x * x, 0);
      const err = Math.max(...inv.map((x, j) => Math.abs(x - c0[j]!))) / scale;
      assert.ok(err <= 1000 * rtol, `seed ${seed} ρ = ${flow.rho(st.y).toFixed(2)}: ${err.toExponential(2)} (‖θ‖² = ${scale.toFixed(2)})`);
    }
    // able to fail: perturb K
    const bad = run.final.y.slice(); bad[0] = bad[0]! + 1e-3;
    const inv = flow.invariant(bad)!;
    assert.ok(Math.max(...inv.map((x, j) => Math.abs(x - c0[j]!))) > 1e-5, 'a perturbed K breaks the invariant');
  }
});

test.run();
