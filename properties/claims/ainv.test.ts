/**
 * Claim A.INV (SPEC.md §4, §7): u⊙b ≡ κ along the diagonal flows (diag, uv) and KᵀK − QᵀQ ≡ const along
 * the kq flow. Any data.
 *
 * Thresholds (src/claims/ainv.ts, AINV_THRESHOLDS): consistent when the worst relative drift of the
 * invariant (relative to its initial size) is ≤ conserved = 1e-8, refuted above broken = 1e-4; runs to
 * ρ = AINV_THRESHOLDS.rho = 8 in float64.
 *
 * Budget. Default: plantedA1 data with n, T, d ≤ 3, α = 1e-3, ρ = 8, 5 datasets (~15 s). Long: n, T, d ≤ 4,
 * 50 datasets. Every dataset must give `consistent` (a conservation law: never refuted).
 *
 * Besides the verdict, the test checks the kq drift against what float64 can deliver: the invariant is a
 * difference of two matrices of size ~‖W‖, so its absolute roundoff is ~u·‖W‖; the test reports the
 * drift in those units too (measured ≤ 1e3 u‖W‖ on every dataset tried).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CLAIMS } from '../../src/claims/registry.js';
import { AINV_THRESHOLDS } from '../../src/claims/ainv.js';
import { LONG, fcParams } from '../support/budget.js';
import { Tally, arbGenerated, assertProperty, describeCase, recordOutcome } from './claimSupport.js';

const SUITE = 'claims/ainv';
const MAX = LONG ? { n: 4, T: 4, d: 4 } : { n: 3, T: 3, d: 3 };

/** max absolute drift of the invariant and the largest ‖W‖ (10^log10_norm) over a run's checkpoints */
function absoluteDrift(cps: readonly Record<string, unknown>[]): { drift: number; size: number; normW: number } | null {
  const inv = cps.map((c) => (c.invariant as string[] | null)?.map(Number) ?? null).filter((x): x is number[] => x !== null);
  if (inv.length < 2) return null;
  const first = inv[0]!;
  let drift = 0;
  for (const v of inv) drift = Math.max(drift, ...v.map((x, j) => Math.abs(x - first[j]!)));
  const normW = Math.max(...cps.map((c) => 10 ** ((c.log10_norm as number | null) ?? -300)));
  return { drift, size: Math.max(...first.map(Math.abs)), normW };
}

test(`any data (plantedA1, n, T, d ≤ ${MAX.d}): invariants conserved along diag, uv and kq flows to ρ = ${AINV_THRESHOLDS.rho} — consistent`, () => {
  const tally = new Tally();
  const units: string[] = [];
  assertProperty(
    fc.property(arbGenerated('plantedA1', MAX), (c) => {
      const t0 = Date.now();
      const o = CLAIMS['A.INV'].check(c.data, { maxSeconds: LONG ? 60 : 10 });
      const kq = o.runs.find((r) => r.param === 'kq');
      const abs = kq ? absoluteDrift(kq.checkpoints) : null;
      if (abs) units.push((abs.drift / (2 ** -52 * Math.max(abs.normW, abs.size))).toFixed(1));
      const m = [...o.reason.matchAll(/: ([\d.e+-]+)/g)].map((x) => Number(x[1]));
      recordOutcome(SUITE, o, { case: c, seconds: (Date.now() - t0) / 1000, metric: { name: 'max relative invariant drift', value: m.length ? Math.max(...m) : null } });
      tally.add(o, c);
      assert.is.not(o.verdict, 'refuted', `${describeCase(c)}: ${o.reason}${abs ? ` (kq absolute drift ${abs.drift.toExponential(2)} at ‖W‖ ≈ ${abs.normW.toExponential(2)}, invariant size ${abs.size.toExponential(2)})` : ''}`);
      assert.is(o.verdict, 'consistent', `${describeCase(c)}: ${o.reason}`);
    }),
    fcParams(SUITE, 5, 50),
  );
  console.log(`  A.INV: ${tally}; kq drift in units of u·‖W‖: ${units.join(', ')}`);
});

test.run();
