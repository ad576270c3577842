/**
 * A.T1's dual variables (SPEC.md §2, §6): under A1(b) every gradient weight c_{i,t} = (1/n)(−ℓ')s_{i,t}·
 * s_{i,opt}Δ_{i,t} is > 0, so the cumulative Λ_{i,t}(t) = ∫ c_{i,t} — a positively weighted sum of non-negative
 * numbers (Radau IIA quadrature) in src/flows/run.ts — is ≥ 0 at every checkpoint, EXACTLY (no tolerance), and the unclipped
 * λ_raw = Λ/‖AᵀΛ‖∞ reported beside the clipped duals equals them. Without A1(b) the same check fails
 * (the stored A.T1-A1b-duals counterexample), which shows the property can fail.
 *
 * Budget: 12 A1 datasets from the primitive search arbitrary (n ≤ 4, T ≤ 3, d ≤ 3) to ρ = 12 at ≤ 3 s each,
 * plus one run of the stored counterexample to ρ = 8 (float64 only: a few seconds in all).
 * Long (ATTNBIAS_BUDGET=long): 40 datasets.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Dataset } from '../../src/data/Dataset.js';
import { datasetToJson } from '../../src/data/serialize.js';
import { validateDataset } from '../../src/data/parse.js';
import { assumptionParts } from '../../src/data/generate.js';
import { followAndMeasure, svmOrNull } from '../../src/claims/runs.js';
import { dualConeStatus } from '../../src/claims/at1.js';
import { arbA1 } from '../support/claimArbitraries.js';
import { fcParams } from '../support/budget.js';

const OPTS = { untilRho: 12, maxSeconds: 3, checkpoints: 8 };

/** Problems with the sign of the cumulative duals along one run (empty: Λ ≥ 0 everywhere, raw = clipped). */
function rawDualProblems(data: Dataset, opts = OPTS): { problems: string[]; checked: number; run: ReturnType<typeof followAndMeasure> } {
  const svm = svmOrNull(data, 'l1', 'diag');
  const run = followAndMeasure(data, 'r', 'diag GF', opts, svm && svm.status === 'optimal' ? svm : null, { rho: 12, seconds: 3 });
  const problems: string[] = [];
  let checked = 0;
  run.numbers.forEach((c, k) => {
    const cp = run.record.checkpoints[k]!;
    const at = `ρ = ${c.rho.toFixed(2)} (${c.backend})`;
    if (c.rawLambdaAll === null) return;
    checked++;
    const neg = c.rawLambdaAll.findIndex((x) => x < 0);
    if (neg >= 0) problems.push(`${at}: Λ[${neg}] = ${c.rawLambdaAll[neg]} < 0`);
    if (c.rawLambdaMin !== null && c.rawLambdaMin < 0) problems.push(`${at}: rawLambdaMin = ${c.rawLambdaMin} < 0`);
    const j = cp['lambda_cumulative_raw_min'] as { lambda: number; Lambda: string } | null;
    if (j && (j.lambda < 0 || Number(j.Lambda) < 0)) problems.push(`${at}: lambda_cumulative_raw_min ${JSON.stringify(j)}`);
    // no clipping happened: the raw dual objective is the certified lower bound of the bracket
    const lower = (cp['bracket'] as { lower: string } | null)?.lower;
    const raw = cp['raw_dual_objective'] as number | null;
    if (lower !== undefined && raw !== null && Math.abs(Number(lower) - raw) > 1e-9 * Math.max(1, Math.abs(raw))) problems.push(`${at}: raw dual objective ${raw} ≠ clipped ${lower}`);
  });
  return { problems, checked, run };
}

test('A1 data (A1(b) holds): Λ_{i,t} ≥ 0 and λ_raw ≥ 0 at every checkpoint, raw = clipped duals, A.T1 duals in_cone true', () => {
  let checked = 0;
  let runsWithLambda = 0;
  fc.assert(fc.property(arbA1(), (data) => {
    assert.ok(assumptionParts(data).b, 'A1(b) holds');
    const { problems, checked: k, run } = rawDualProblems(data);
    const where = JSON.stringify(datasetToJson(data));
    assert.equal(problems, [], `${where}: ${problems.join('; ')}`);
    checked += k;
    if (k > 0) {
      runsWithLambda++;
      const st = dualConeStatus(run.numbers, run.record.checkpoints);
      assert.is(st.in_cone, true, `${where}: ${st.detail}`);
      assert.match(st.detail, /every Λ_\{i,t\} ≥ 0/);
    }
  }), fcParams('claims/at1-duals', 12, 40));
  console.log(`  Λ ≥ 0 checked at ${checked} checkpoints of ${runsWithLambda} runs`);
  assert.ok(checked >= 8 && runsWithLambda >= 2, `too few checkpoints with Λ: ${checked} in ${runsWithLambda} runs`);
});

test('Λ is integrated by the rule that advances r: r(τ) − r(τ₀) = AᵀΛ(τ) to roundoff at every float64 checkpoint', () => {
  // src/flows/run.ts evaluates ĉ at the Radau IIA stage values of each accepted step with the weights b_i,
  // the same rule that advances r (ṙ = Σ_k ĉ_k a_k), so the residual is Newton tolerance + roundoff. Any
  // other rule (the earlier trapezoid on the end values) leaves a quadrature error here.
  let worst = 0;
  let n = 0;
  fc.assert(fc.property(arbA1(), (data) => {
    const { run } = rawDualProblems(data);
    run.numbers.forEach((c) => {
      if (c.backend !== 'float64' || c.lambdaQuadratureResidual === null) return;
      n++;
      worst = Math.max(worst, c.lambdaQuadratureResidual);
      assert.ok(c.lambdaQuadratureResidual <= 1e-9, `ρ = ${c.rho}: ‖r − AᵀΛ‖/‖AᵀΛ‖ = ${c.lambdaQuadratureResidual} on ${JSON.stringify(datasetToJson(data))}`);
    });
  }), fcParams('claims/at1-duals-residual', 6, 20));
  console.log(`  worst ‖r − AᵀΛ‖∞/‖AᵀΛ‖∞ = ${worst.toExponential(2)} over ${n} checkpoints`);
  assert.ok(n >= 4, `too few checkpoints: ${n}`);
});

test('the same check fails without A1(b): the stored A.T1-A1b-duals counterexample has negative Λ (the property can fail)', () => {
  const dir = fileURLToPath(new URL('../../../proofs-data/counterexamples', import.meta.url));
  const file = readdirSync(dir).find((f) => f.startsWith('A.T1-A1b-duals-') && f.endsWith('.json'));
  assert.ok(file, 'no stored A.T1-A1b-duals counterexample');
  const doc = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { dataset: unknown };
  const parsed = validateDataset(doc.dataset);
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  assert.is(assumptionParts(parsed.dataset).b, false);
  const { problems, run } = rawDualProblems(parsed.dataset, { untilRho: 8, maxSeconds: 10, checkpoints: 6 });
  assert.ok(problems.length > 0, 'negative Λ not detected on A1(b)-violating data');
  const st = dualConeStatus(run.numbers, run.record.checkpoints);
  assert.is(st.in_cone, false, st.detail);
  assert.ok(st.min_lambda !== null && st.min_lambda < -1e-3);
});

test.run();
