/**
 * The limit directions (SPEC.md §5, §7 A.T1 and D.FRO). On planted A1 datasets, filtered for A1(c) and for a
 * UNIQUE ℓ1 optimum, the margin-normalized mirror-flow direction W̃ approaches the ℓ1-SVM solution: the
 * relative gap ‖W̃‖₁/OPT − 1 and the direction error decrease along the run once the support is found
 * (min margin ≥ 10) and are O(1/ln t) ≈ O(1/min margin) (SPEC.md §6). Thresholds, measured first:
 * at the float64 limit (ρ ≈ 16.5, ‖w‖ ~ 1e8) gap and direction error were ≤ 2e-9 (min margin ~1e9) and
 * gap·min margin, error·min margin ≤ 1.2; we require gap, error ≤ 1e-6 there and (gap, error)·min margin ≤ 10
 * at every late checkpoint; at ρ = 20 (auto, Decimal after the switch) measured ≤ 2e-13, required ≤ 1e-9.
 * The `w` flow approaches the Frobenius SVM (full structure): gap decreasing, ≤ 1e-3 at ρ = ln(1+‖W‖) = 6
 * (measured 1.2e-4).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { follow } from '../../src/flows/follow.js';
import { solveSvm } from '../../src/svm/solve.js';
import { measureRun, type CheckpointNumbers } from '../../src/kkt/measureRun.js';
import { LONG } from '../support/budget.js';
import { feasibleSeeds } from './data.js';

function decreasing(ns: readonly CheckpointNumbers[], key: 'relativeGap' | 'directionError', what: string): void {
  for (let k = 1; k < ns.length; k++) {
    const a = ns[k - 1]![key]!;
    const b = ns[k]![key]!;
    assert.ok(b <= a * (1 + 1e-6) + 1e-30, `${what}: ${key} rose ${a} → ${b} at ρ = ${ns[k]!.rho.toFixed(2)}`);
  }
}

const l1Cases = feasibleSeeds(3, 3, 3, LONG ? 6 : 2, { uniqueL1: true });

for (const { seed, data } of l1Cases) {
  test(`ℓ1 limit (float64 to its limit), seed ${seed}`, () => {
    const svm = solveSvm(data, { norm: 'l1' });
    assert.is(svm.unique, true);
    const r = follow(data, { param: 'r', backend: 'float64', stop: { rho: 20, maxSeconds: 30 }, checkpoints: 10 });
    assert.is(r.status, 'float64_limit', r.reason);
    const late = measureRun(r, svm).numbers.filter((c) => c.minMargin >= 10);
    assert.ok(late.length >= 3, `${late.length} late checkpoints`);
    decreasing(late, 'relativeGap', `seed ${seed}`);
    decreasing(late, 'directionError', `seed ${seed}`);
    for (const c of late) {
      assert.ok(c.relativeGap! >= -1e-12, `feasible W̃ has ‖W̃‖₁ ≥ OPT (gap ${c.relativeGap})`);
      assert.ok(c.relativeGap! * c.minMargin <= 10, `gap·min margin = ${c.relativeGap! * c.minMargin} at ρ = ${c.rho}`);
      assert.ok(c.directionError! * c.minMargin <= 10, `error·min margin = ${c.directionError! * c.minMargin} at ρ = ${c.rho}`);
    }
    const last = late[late.length - 1]!;
    assert.ok(last.relativeGap! <= 1e-6 && last.directionError! <= 1e-6, `at ρ = ${last.rho}: gap ${last.relativeGap}, error ${last.directionError}`);
  });
}

test('ℓ1 limit to ρ = 20 through the Decimal handover (small dataset)', () => {
  const { data } = feasibleSeeds(2, 3, 2, 1, { uniqueL1: true })[0]!;
  const svm = solveSvm(data, { norm: 'l1' });
  const r = follow(data, { param: 'r', backend: 'auto', stop: { rho: 20, maxSeconds: 60 }, checkpoints: 8 });
  assert.is(r.status, 'event', r.reason);
  const late = measureRun(r, svm).numbers.filter((c) => c.minMargin >= 10);
  decreasing(late, 'relativeGap', 'auto');
  decreasing(late, 'directionError', 'auto');
  const last = late[late.length - 1]!;
  assert.ok(Math.abs(last.rho - 20) < 1e-6);
  assert.ok(last.relativeGap! <= 1e-9 && last.directionError! <= 1e-9, `at ρ = 20: gap ${last.relativeGap}, error ${last.directionError}`);
});

test('w flow → Frobenius SVM (full structure): gap decreasing, ≤ 1e-3 at ρ = 6', () => {
  const { data } = feasibleSeeds(3, 3, 3, 1, { from: 2 })[0]!;
  const svm = solveSvm(data, { norm: 'fro', structure: 'full' });
  assert.is(svm.status, 'optimal');
  const r = follow(data, { param: 'w', backend: 'float64', stop: { rho: 6, maxSeconds: 30 }, checkpoints: 6 });
  assert.is(r.status, 'event', r.reason);
  const late = measureRun(r, svm).numbers.filter((c) => c.relativeGap !== null);
  assert.ok(late.length >= 4);
  decreasing(late, 'relativeGap', 'w flow');
  const last = late[late.length - 1]!;
  assert.ok(last.relativeGap! <= 1e-3, `fro gap at ρ = 6: ${last.relativeGap}`);
  assert.ok(last.directionError! <= 1e-2, `fro direction error at ρ = 6: ${last.directionError}`);
});

test.run();
