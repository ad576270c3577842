/**
 * D.FRO (papers B, D; SPEC.md §7): gradient flow on W converges in direction to the Frobenius SVM.
 * Run: the log-step normalized `w` flow (float64, then Decimal) to ‖W‖ ~ e^ρ.
 */
import type { Dataset } from '../data/Dataset.js';
import { svmResultToJson } from '../svm/json.js';
import type { ClaimOutcome, ClaimRunOptions, ClaimSpec } from './Claim.js';
import { verdictOf } from './Claim.js';
import { dataAssumptions } from './assumptionStatus.js';
import { followAndMeasure, svmOrNull } from './runs.js';
import { hypothesisStatus } from './at1.js';

export const DFRO_THRESHOLDS = {
  /** final relative gap ‖W̃‖_F/OPT − 1 (the w-flow gap decays like ln‖W‖/‖W‖) */
  gap: 1e-3,
  /** ρ = ln(1 + ‖W‖_F) target */
  rho: 18,
  settled: 1e-7,
} as const;

export function checkDFRO(data: Dataset, o: ClaimRunOptions): ClaimOutcome {
  const { statuses } = dataAssumptions(data, 'full');
  const svm = svmOrNull(data, 'fro', 'full');
  const run = followAndMeasure(data, 'w', 'GF on W (log-step normalized)', o, svm, { rho: DFRO_THRESHOLDS.rho, seconds: 110 });
  const nums = run.numbers;
  const hyp = hypothesisStatus(nums, run.result.status);
  const last = nums[nums.length - 1]!;
  const prev = nums.length > 1 ? nums[nums.length - 2]! : null;
  let conclusion: boolean | null = null;
  let text = '';
  if (!svm || svm.status !== 'optimal') text = 'the Frobenius SVM is infeasible or undefined: no predicted limit';
  else if (last.relativeGap === null) text = 'no feasible direction yet';
  else if (last.relativeGap <= DFRO_THRESHOLDS.gap) { conclusion = true; text = `W̃ reached relative gap ${last.relativeGap.toExponential(2)} to the Frobenius SVM (OPT = ${svm.objective}), direction error ${last.directionError?.toExponential(2)}, at ρ = ${last.rho.toFixed(2)}`; }
  else if (prev?.relativeGap != null && Math.abs(prev.relativeGap - last.relativeGap) < DFRO_THRESHOLDS.settled) { conclusion = false; text = `the direction settled at gap ${last.relativeGap.toExponential(3)}`; }
  else text = `relative gap ${last.relativeGap.toExponential(2)} at the end of the budget (ρ = ${last.rho.toFixed(2)})`;
  const assumptions = [...statuses.filter((s) => s.name !== 'A1(b)'), hyp.status];
  const v = verdictOf(assumptions, conclusion, { holds: text, fails: text, open: text });
  return {
    claim: 'D.FRO', statement: 'GF on W converges in direction to the Frobenius SVM', verdict: v.verdict, reason: v.reason, conclusion,
    assumptions, thresholds: DFRO_THRESHOLDS, svm: svm ? svmResultToJson(svm) : null, runs: [run.record],
  };
}

export const DFRO: ClaimSpec = { id: 'D.FRO', statement: 'GF on W converges in direction to the Frobenius SVM', assumptions: ['A1(a)', 'A1(c) full', 'L → L*'], thresholds: DFRO_THRESHOLDS, check: checkDFRO };
