/**
 * Claim B.SPARSE (paper B; SPEC.md §7): 1 − s_{i,opt} ≤ (T_i − 1) e^{−min_t h_{i,t}(W)} at every checkpoint
 * of the diag (mirror r) and w runs. Any data — the bound is an identity-level inequality.
 *
 * Thresholds (src/claims/bsparse.ts, BSPARSE_THRESHOLDS): refuted when log10(1 − s_opt) exceeds the
 * bound by more than slack = 1e-9 (relative to the bound's size) anywhere; runs to ρ = 16.
 *
 * Budget. Default: plantedA1 data with n, T, d ≤ 3, α = 1e-3, ρ = 16, ≤ 5 s per run, 6 datasets (~10 s),
 * plus 3 datasets violating A1(b) (the bound does not need A1). Long: n, T, d ≤ 4, ρ = 16, 60 + 20.
 * Every dataset must give `consistent`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CLAIMS } from '../../src/claims/registry.js';
import { BSPARSE_THRESHOLDS } from '../../src/claims/bsparse.js';
import { LONG, fcParams } from '../support/budget.js';
import { type GeneratorKind, Tally, arbGenerated, assertProperty, describeCase, recordOutcome } from './claimSupport.js';

const SUITE = 'claims/bsparse';
const MAX = LONG ? { n: 4, T: 4, d: 4 } : { n: 3, T: 3, d: 3 };

function property(gen: GeneratorKind, min: { T?: number }, small: number, long: number): void {
  const tally = new Tally();
  assertProperty(
    fc.property(arbGenerated(gen, MAX, min), (c) => {
      const t0 = Date.now();
      const o = CLAIMS['B.SPARSE'].check(c.data, { maxSeconds: LONG ? 30 : 5, checkpoints: 12 });
      recordOutcome(SUITE, o, { case: c, seconds: (Date.now() - t0) / 1000 });
      tally.add(o, c);
      assert.is(o.verdict, 'consistent', `${describeCase(c)}: ${o.reason}`);
      assert.match(o.reason, /bound holds at \d+ \(sample, checkpoint\) pairs/);
    }),
    fcParams(`${SUITE}/${gen}`, small, long),
  );
  console.log(`  B.SPARSE on ${gen}: ${tally}`);
}

test(`any data (plantedA1, n, T, d ≤ ${MAX.d}): 1 − s_opt ≤ (T − 1)e^{−min h} (slack ${BSPARSE_THRESHOLDS.slack}) at every checkpoint — consistent`, () => {
  property('plantedA1', {}, 6, 60);
});

test('data violating A1(b): the bound still holds — consistent', () => {
  property('violatingA1b', { T: 3 }, 3, 20);
});

test.run();
