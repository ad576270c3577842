/**
 * Claim A.EQ (SPEC.md §4, §7): the `diag` (k, q), `uv` (u, b) and mirror `r` flows trace one path (a time
 * change). Any data (no assumption but a non-degenerate init, which the default init satisfies).
 *
 * Thresholds (src/claims/aeq.ts, AEQ_THRESHOLDS): consistent when the largest relative difference of W
 * between the paths at equal ρ is ≤ agree = 1e-6, refuted above disagree = 1e-3; the runs go to
 * ρ = AEQ_THRESHOLDS.rho = 8 in float64.
 *
 * Budget. Default: plantedA1 data (A1(a)(b) by construction, A1(c) not required) with n, T, d ≤ 3,
 * α = 1e-3, ρ = 8, 5 datasets (~10 s). Long: n, T, d ≤ 4, 50 datasets, and α = 1e-1 as well.
 * Every dataset must give `consistent` (this is an identity, the budget always reaches it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CLAIMS } from '../../src/claims/registry.js';
import { AEQ_THRESHOLDS } from '../../src/claims/aeq.js';
import { LONG, fcParams } from '../support/budget.js';
import { Tally, arbGenerated, assertProperty, describeCase, recordOutcome } from './claimSupport.js';

const SUITE = 'claims/aeq';
const MAX = LONG ? { n: 4, T: 4, d: 4 } : { n: 3, T: 3, d: 3 };

test(`any data (plantedA1, n, T, d ≤ ${MAX.d}): diag, uv and r flows agree to ${AEQ_THRESHOLDS.agree} at equal ρ up to ρ = ${AEQ_THRESHOLDS.rho} — consistent`, () => {
  const tally = new Tally();
  const alphas = LONG ? ['1e-3', '1e-1'] : ['1e-3'];
  assertProperty(
    fc.property(arbGenerated('plantedA1', MAX), fc.constantFrom(...alphas), (c, alpha) => {
      const t0 = Date.now();
      const o = CLAIMS['A.EQ'].check(c.data, { alpha, maxSeconds: LONG ? 60 : 10 });
      const m = /to ([\d.e+-]+) \(relative\)|differs by ([\d.e+-]+)|paths differ by ([\d.e+-]+)/.exec(o.reason);
      recordOutcome(SUITE, o, { case: c, seconds: (Date.now() - t0) / 1000, metric: { name: 'max relative W difference', value: m ? Number(m[1] ?? m[2] ?? m[3]) : null } });
      tally.add(o, c);
      assert.is(o.verdict, 'consistent', `${describeCase(c)} α = ${alpha}: ${o.reason}`);
      assert.is(o.conclusion, true);
      assert.is(o.runs.length, 3);
    }),
    fcParams(SUITE, 5, 50),
  );
  console.log(`  A.EQ: ${tally}`);
});

test.run();
