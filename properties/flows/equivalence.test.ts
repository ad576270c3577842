/**
 * Claim A.EQ (SPEC.md §4, §7): the `diag` (k, q), `uv` (u, b) and mirror `r` flows trace one path. All three
 * are integrated in the same normalized time τ (dθ/dτ = −∇L/‖g‖, see src/flows/diagonal.ts), so at equal τ
 * they must stand for the same W. Random small planted A1 datasets (fast-check, seeded) with random
 * non-degenerate initializations (κ_j ≠ 0), float64 and Decimal(30); moderate ρ (τ ≤ 8, and ρ ≤ τ since
 * ‖dr/dτ‖₂ = 1) where the (k, q) state is well-conditioned.
 *
 * Tolerance: each flow is integrated with RadauIIA5 at relative tolerance rtol (atol ≪ the scale α² of the
 * smallest coordinates). Global errors are a modest multiple of rtol over τ ≤ 8 (measured: ≤ 2e-10 at
 * rtol = 1e-10 in float64, ≤ 2e-12 at rtol = 1e-12 in Decimal(30)); we allow 1000·rtol relative to ‖W‖∞.
 * A wrong time normalization (e.g. a missing factor 2 in dw/dr, or ĝ instead of g⊙u) moves W by O(1).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Dataset } from '../../src/data/Dataset.js';
import type { Field } from '../../src/numeric/Field.js';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import { type Rational, rat } from '../../src/numeric/rational.js';
import type { DiagInit } from '../../src/flows/init.js';
import { arbPlantedAB } from '../support/arbitraries.js';
import { fcParams, LONG } from '../support/budget.js';
import { isDiagFeasible, seededPlanted } from './data.js';
import { diagonalTrio, relDiff, stateAt } from './flowkit.js';

const arbInit = (d: number): fc.Arbitrary<DiagInit> => fc.array(
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -7, max: 7 })).filter(([k, q]) => Math.abs(q) !== k),
  { minLength: d, maxLength: d },
).map((pairs) => ({ k0: pairs.map(([k]) => rat(k, 40)), q0: pairs.map(([, q]) => rat(q, 40)) as Rational[] }));

/** max relative discrepancy of diag and uv against r at each τ */
function discrepancies<S>(F: Field<S>, data: Dataset, init: DiagInit, taus: readonly number[], rtol: string | number): { tau: number; rho: number; diag: number; uv: number }[] {
  const tr = diagonalTrio(F, data, init);
  const atol = F.kind === 'float64' ? 1e-16 : '1e-20';
  const out: { tau: number; rho: number; diag: number; uv: number }[] = [];
  for (const tau of taus) {
    const T = F.of(tau);
    const yr = stateAt(tr.r, T, { rtol, atol });
    const yd = stateAt(tr.diag, T, { rtol, atol });
    const yu = stateAt(tr.uv, T, { rtol, atol });
    assert.ok(yr && yd && yu, `all three flows reach τ = ${tau}`);
    const wr = (tr.r.weights(yr!) as { w: S[] }).w;
    const wd = (tr.diag.weights(yd!) as { w: S[] }).w;
    const wu = (tr.uv.weights(yu!) as { w: S[] }).w;
    const floor = F.of('1e-30');
    out.push({ tau, rho: F.toNumber(tr.r.rho(yr!)), diag: relDiff(F, wd, wr, floor), uv: relDiff(F, wu, wr, floor) });
  }
  return out;
}

test('A.EQ float64: diag, uv and r agree at equal τ on random planted A1 data (1000·rtol)', () => {
  const rtol = 1e-10;
  fc.assert(
    fc.property(
      arbPlantedAB({ n: 3, T: 3, d: 3 }).filter(isDiagFeasible).chain((data) => arbInit(data.d).map((init) => ({ data, init }))),
      ({ data, init }) => {
        for (const r of discrepancies(float64Field, data, init, [2, 5, 8], rtol)) {
          assert.ok(r.rho <= r.tau + 1e-9, `ρ ≤ τ (unit ℓ2 speed): ρ = ${r.rho} at τ = ${r.tau}`);
          assert.ok(r.diag <= 1000 * rtol, `diag vs r at τ = ${r.tau} (ρ = ${r.rho.toFixed(2)}): ${r.diag.toExponential(2)}`);
          assert.ok(r.uv <= 1000 * rtol, `uv vs r at τ = ${r.tau} (ρ = ${r.rho.toFixed(2)}): ${r.uv.toExponential(2)}`);
        }
      },
    ),
    fcParams('flows/equivalence/float64', 3, 20),
  );
});

test('A.EQ Decimal(30): diag, uv and r agree at equal τ (1000·rtol, rtol = 1e-12)', () => {
  // Decimal RHS evaluations of the diag/uv flows cost ~ms each (finite-difference Jacobians): one small
  // seeded dataset and τ = 1 by default, more under the long budget.
  const rtol = '1e-12';
  const cases = LONG ? [1, 2, 3] : [1];
  for (const seed of cases) {
    const data = seededPlanted(2, 3, 2, seed);
    const init: DiagInit = { k0: [rat(1, 10), rat(3, 20)], q0: [rat(1, 20), rat(-1, 40)] };
    for (const r of discrepancies(decimalField(30), data, init, LONG ? [1, 3] : [1], rtol)) {
      assert.ok(r.diag <= 1000 * 1e-12, `seed ${seed}: diag vs r at τ = ${r.tau}: ${r.diag.toExponential(2)}`);
      assert.ok(r.uv <= 1000 * 1e-12, `seed ${seed}: uv vs r at τ = ${r.tau}: ${r.uv.toExponential(2)}`);
    }
  }
});

test('A.EQ is able to fail: a flow from a different initialization does not match', () => {
  const data = seededPlanted(2, 3, 2, 1);
  const a: DiagInit = { k0: [rat(1, 10), rat(1, 10)], q0: [rat(0), rat(0)] };
  const b: DiagInit = { k0: [rat(1, 10), rat(1, 10)], q0: [rat(1, 20), rat(0)] };
  const F = float64Field;
  const ta = diagonalTrio(F, data, a);
  const tb = diagonalTrio(F, data, b);
  const ya = stateAt(ta.r, 3, { rtol: 1e-10, atol: 1e-16 })!;
  const yb = stateAt(tb.diag, 3, { rtol: 1e-10, atol: 1e-16 })!;
  const d = relDiff(F, (tb.diag.weights(yb) as { w: number[] }).w, (ta.r.weights(ya) as { w: number[] }).w, 1e-30);
  assert.ok(d > 1e-3, `different inits give different paths: ${d}`);
});

test.run();
