/**
 * float64 → Decimal handover (SPEC.md §8, src/flows/follow.ts backend "auto"), the float64 resolution
 * stop, and the stall detector on data where A1(c) fails.
 *
 * Continuity of time across the switch: late in the run ln t ≈ min margin ≈ c·e^{2ρ} (‖w‖ ~ α²e^{2ρ}, margins
 * ∝ ‖w‖, and min margin = ln t + O(log log t)), so the slope of ln(ln t) against ρ between consecutive
 * checkpoints is 2 + O(1/ln t); a jump or reset of ln t at the handover would break it. We allow
 * [1.8, 2.2] for checkpoints with ln t ≥ 100 (measured 1.99–2.02).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rat } from '../../src/numeric/rational.js';
import type { Dataset } from '../../src/data/Dataset.js';
import { follow } from '../../src/flows/follow.js';
import { svmFeasibility } from '../../src/svm/feasibility.js';
import { solveSvm, svmConstraints } from '../../src/svm/solve.js';
import { measureRun } from '../../src/kkt/measureRun.js';
import { plantedL1Dataset } from '../../scripts/bench-svm.js';

const data = plantedL1Dataset(2, 3, 2, 3);

test('auto: float64 hands over to Decimal between ρ = 12 and 22, checkpoints consistent across the switch', () => {
  assert.ok(svmFeasibility(svmConstraints(data), 'diag').feasible, 'A1(c) holds');
  const svm = solveSvm(data, { norm: 'l1' });
  const r = follow(data, { param: 'r', backend: 'auto', stop: { rho: 30, maxSeconds: 60 }, checkpoints: 10 });
  assert.is(r.status, 'event', r.reason);
  assert.is(r.segments.length, 2);
  assert.ok(r.switchedAtRho !== null && r.switchedAtRho >= 12 && r.switchedAtRho <= 22, `switched at ρ = ${r.switchedAtRho}`);
  assert.is(r.segments[0]!.run.status, 'float64_limit');
  const m = measureRun(r, svm).numbers;
  assert.is(m[m.length - 1]!.backend.startsWith('decimal'), true);
  assert.ok(Math.abs(m[m.length - 1]!.rho - 30) < 1e-6, `final ρ ${m[m.length - 1]!.rho}`);
  // ρ and log10 t increase; ln(ln t) grows with slope ≈ 2 in ρ across the switch
  for (let k = 1; k < m.length; k++) {
    assert.ok(m[k]!.rho > m[k - 1]!.rho - 1e-9, `ρ increases at checkpoint ${k}`);
    assert.ok(m[k]!.log10T > m[k - 1]!.log10T, `log10 t increases at checkpoint ${k}: ${m[k - 1]!.log10T} → ${m[k]!.log10T}`);
    const lnT0 = m[k - 1]!.log10T * Math.LN10;
    const lnT1 = m[k]!.log10T * Math.LN10;
    if (lnT0 >= 100 && m[k]!.rho - m[k - 1]!.rho > 0.1) {
      const slope = (Math.log(lnT1) - Math.log(lnT0)) / (m[k]!.rho - m[k - 1]!.rho);
      assert.ok(slope >= 1.8 && slope <= 2.2, `d ln(ln t)/dρ = ${slope.toFixed(3)} between ρ = ${m[k - 1]!.rho.toFixed(2)} (${m[k - 1]!.backend}) and ${m[k]!.rho.toFixed(2)} (${m[k]!.backend})`);
    }
  }
  // the relative gap to the ℓ1 optimum decreases through the switch once the support is found
  const late = m.filter((c) => c.minMargin >= 10 && c.relativeGap !== null);
  assert.ok(late.length >= 4 && late.some((c) => c.backend === 'float64') && late.some((c) => c.backend !== 'float64'), 'checkpoints on both sides');
  for (let k = 1; k < late.length; k++) {
    assert.ok(late[k]!.relativeGap! <= late[k - 1]!.relativeGap! * (1 + 1e-6) + 1e-25, `gap decreases: ${late[k - 1]!.relativeGap} → ${late[k]!.relativeGap} at ρ = ${late[k]!.rho.toFixed(2)}`);
  }
  assert.ok(late[late.length - 1]!.relativeGap! < 1e-15, `gap at ρ = 30: ${late[late.length - 1]!.relativeGap}`);
});

test('float64 alone stops with float64_limit at a resolved state (not a wrong one)', () => {
  const svm = solveSvm(data, { norm: 'l1' });
  const r = follow(data, { param: 'r', backend: 'float64', stop: { rho: 30, maxSeconds: 30 }, checkpoints: 6 });
  assert.is(r.status, 'float64_limit', r.reason);
  assert.is(r.segments.length, 1);
  const seg = r.segments[0]!;
  const rho = seg.F.toNumber(seg.flow.rho(seg.run.final.y));
  assert.ok(rho >= 12 && rho <= 22, `float64 limit at ρ = ${rho}`);
  // the stop fires when the margin roundoff reaches the 1e-5 resolution, not far past it
  const u = seg.flow.marginUncertainty(seg.run.final.y);
  assert.ok(u <= 1e-5 * 1.5, `margin uncertainty at the stop ${u}`);
  // the state returned is right: its direction is the ℓ1-SVM direction to ~1/ln t
  const m = measureRun(r, svm).numbers;
  const last = m[m.length - 1]!;
  assert.ok(last.relativeGap !== null && last.relativeGap < 1e-6, `gap at the float64 limit ${last.relativeGap}`);
  assert.ok(last.directionError !== null && last.directionError < 1e-6, `direction error at the float64 limit ${last.directionError}`);
});

test('A1(c) fails: the run stops with status "stalled" (not max_steps)', () => {
  // constraints a = +1 (sample 1) and a = −2 (sample 2): no w has both margins ≥ 1
  const bad: Dataset = { d: 1, head: [rat(1)], samples: [{ X: [[rat(1)], [rat(0)]], z: [rat(1)], y: 1 }, { X: [[rat(2)], [rat(0)]], z: [rat(-1)], y: 1 }] };
  const f = svmFeasibility(svmConstraints(bad), 'diag');
  assert.is(f.feasible, false, 'A1(c) fails (Farkas certificate)');
  const r = follow(bad, { param: 'r', backend: 'float64', stop: { rho: 30, maxSeconds: 30 } });
  assert.is(r.status, 'stalled', r.reason);
  const auto = follow(bad, { param: 'r', backend: 'auto', stop: { rho: 30, maxSeconds: 30 } });
  assert.is(auto.status, 'stalled', auto.reason);
});

test.run();
