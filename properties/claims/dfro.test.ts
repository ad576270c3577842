/**
 * Claim D.FRO (papers B, D; SPEC.md §7): GF on W (log-step normalized) converges in direction to the
 * Frobenius SVM. Assumptions A1(a), A1(c) full, and the hypothesis L → L*.
 *
 * Thresholds (src/claims/dfro.ts, DFRO_THRESHOLDS): consistent when the final relative gap ‖W̃‖_F/OPT − 1
 * ≤ gap = 1e-3 (the w-flow gap decays like ln‖W‖/‖W‖); refuted when the gap settled (moved < settled =
 * 1e-7) above it; runs to ρ = ln(1 + ‖W‖_F) = 18.
 *
 * Budget. Default: feasibleA1 data with n, T, d ≤ 3, α = 1e-3, ρ = 18, ≤ 5 s per run, 5 datasets
 * (~10 s). Long: n, T, d ≤ 4, ρ = 24, 30 s per run, 50 datasets. Expected verdict `consistent`;
 * `inconclusive` is accepted only for a named stall (L → L* fails) or an exhausted time budget, and at
 * least half must be consistent; never `refuted`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CLAIMS } from '../../src/claims/registry.js';
import { DFRO_THRESHOLDS } from '../../src/claims/dfro.js';
import { LONG, fcParams } from '../support/budget.js';
import { Tally, arbGenerated, assertProperty, describeCase, finalNumbers, recordOutcome } from './claimSupport.js';

const SUITE = 'claims/dfro';
const MAX = LONG ? { n: 4, T: 4, d: 4 } : { n: 3, T: 3, d: 3 };

test(`A1 data (feasibleA1, n, T, d ≤ ${MAX.d}): GF on W → Frobenius SVM, gap ≤ ${DFRO_THRESHOLDS.gap} — consistent`, () => {
  const tally = new Tally();
  assertProperty(
    fc.property(arbGenerated('feasibleA1', MAX), (c) => {
      const t0 = Date.now();
      const o = CLAIMS['D.FRO'].check(c.data, LONG ? { untilRho: 24, maxSeconds: 30 } : { maxSeconds: 5, checkpoints: 8 });
      recordOutcome(SUITE, o, { case: c, seconds: (Date.now() - t0) / 1000 });
      tally.add(o, c);
      assert.is.not(o.verdict, 'refuted', `${describeCase(c)}: ${o.reason}`);
      if (o.verdict === 'consistent') {
        const f = finalNumbers(o);
        assert.ok(f.gap !== null && f.gap <= DFRO_THRESHOLDS.gap, `gap ${f.gap}`);
      } else {
        const stalled = o.assumptions.some((a) => a.name === 'L → L*' && a.holds === false);
        const budget = o.conclusion === null && o.runs.some((r) => r.status === 'max_seconds' || r.status === 'max_steps' || /wall clock exceeded/.test(r.reason));
        assert.ok(stalled || budget, `${describeCase(c)}: inconclusive for an unaccepted reason: ${o.reason}`);
      }
    }),
    fcParams(SUITE, 5, 50),
  );
  console.log(`  D.FRO: ${tally}`);
  for (const n of tally.notes) console.log(`    ${n}`);
  assert.ok(tally.counts.consistent! * 2 >= tally.total, `fewer than half consistent: ${tally}`);
});

test.run();
