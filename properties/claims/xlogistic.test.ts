/**
 * X.LOGISTIC (conjecture shipped with the claims; SPEC.md §7 "X.*"): with the logistic loss, GF on the
 * diagonal model keeps the A.T1 limit (the ℓ1 SVM). Same assumptions and thresholds as A.T1
 * (AT1_THRESHOLDS: gap 1e-3, late-window ε, |δ| ≤ 1e-3).
 *
 * Budget. Default: feasibleA1 data with n, T, d ≤ 3, α = 1e-3, ρ = 20, ≤ 4 s per run, 4 datasets (~15 s).
 * Long: n, T, d ≤ 4, ρ = 30, 30 s per run, 40 datasets.
 *
 * A conjecture, so the suite records what it finds: it asserts the outcome is well formed and that on
 * these small datasets the conjecture is not refuted (it has held on every dataset tried); a refutation
 * here would be a finding to store in proofs-data/, and the assertion message says so.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CLAIMS } from '../../src/claims/registry.js';
import { AT1_THRESHOLDS } from '../../src/claims/at1.js';
import { LONG, fcParams } from '../support/budget.js';
import { Tally, arbGenerated, assertProperty, describeCase, recordOutcome } from './claimSupport.js';

const SUITE = 'claims/xlogistic';
const MAX = LONG ? { n: 4, T: 4, d: 4 } : { n: 3, T: 3, d: 3 };

test(`A1 data (feasibleA1, n, T, d ≤ ${MAX.d}): logistic-loss GF → ℓ1 SVM (gap ≤ ${AT1_THRESHOLDS.gap}) — not refuted, mostly consistent`, () => {
  const tally = new Tally();
  assertProperty(
    fc.property(arbGenerated('feasibleA1', MAX), (c) => {
      const t0 = Date.now();
      const o = CLAIMS['X.LOGISTIC'].check(c.data, LONG ? { untilRho: 30, maxSeconds: 30 } : { untilRho: 20, maxSeconds: 4, checkpoints: 8 });
      recordOutcome(SUITE, o, { case: c, seconds: (Date.now() - t0) / 1000 });
      tally.add(o, c);
      assert.is(o.claim, 'X.LOGISTIC');
      assert.ok(['consistent', 'inconclusive', 'refuted'].includes(o.verdict));
      assert.is.not(o.verdict, 'refuted', `X.LOGISTIC refuted on ${describeCase(c)} — a finding to store in proofs-data/: ${o.reason}`);
    }),
    fcParams(SUITE, 4, 40),
  );
  console.log(`  X.LOGISTIC: ${tally}`);
  for (const n of tally.notes) console.log(`    ${n}`);
  assert.ok(tally.counts.consistent! * 2 >= tally.total, `fewer than half consistent: ${tally}`);
});

test.run();
