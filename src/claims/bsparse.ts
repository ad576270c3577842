/**
 * B.SPARSE (paper B; SPEC.md §7): 1 − s_{i,opt} ≤ (T_i − 1) e^{−min_t h_{i,t}(W)} along every run.
 * An identity-level bound (1 − s_opt = Σ_t s_t = s_opt Σ_t e^{−h_t} ≤ (T − 1) e^{−min h}), checked at
 * every checkpoint of the diag and w runs in the log domain; any violation beyond roundoff refutes.
 */
import type { Dataset } from '../data/Dataset.js';
import type { ClaimOutcome, ClaimRunOptions, ClaimSpec } from './Claim.js';
import { verdictOf } from './Claim.js';
import { followAndMeasure } from './runs.js';

export const BSPARSE_THRESHOLDS = {
  /** allowed excess of log10(1 − s_opt) over the bound (roundoff of logs of size ~|margin|) */
  slack: 1e-9,
  rho: 16,
} as const;

export function checkBSPARSE(data: Dataset, o: ClaimRunOptions): ClaimOutcome {
  const runs = (['r', 'w'] as const).map((p) => followAndMeasure(data, p, `${p} flow`, { ...o, untilRho: o.untilRho ?? BSPARSE_THRESHOLDS.rho }, null, { rho: BSPARSE_THRESHOLDS.rho, seconds: 60 }));
  const T = data.samples.map((s) => s.X.length);
  let worst = -Infinity;
  let where = '';
  let checked = 0;
  for (const r of runs) {
    for (const cp of r.record.checkpoints) {
      const mass = cp.log10_nonopt_mass as number[] | undefined;
      const mins = cp.sample_min_margins as string[] | undefined;
      if (!mass || !mins) continue;
      mass.forEach((m, i) => {
        const bound = Math.log10(T[i]! - 1) - Number(mins[i]) / Math.LN10;
        const excess = (m - bound) / Math.max(1, Math.abs(bound));
        checked++;
        if (excess > worst) { worst = excess; where = `${r.record.param} flow, ρ = ${(cp.rho as number).toFixed(2)}, sample ${i}: log10(1 − s_opt) = ${m.toPrecision(8)} vs bound ${bound.toPrecision(8)}`; }
      });
    }
  }
  const conclusion = checked === 0 ? null : worst <= BSPARSE_THRESHOLDS.slack;
  const v = verdictOf([], conclusion, { holds: `bound holds at ${checked} (sample, checkpoint) pairs; tightest: ${where}`, fails: `bound violated: ${where}`, open: 'nothing to check' });
  return {
    claim: 'B.SPARSE', statement: '1 − s_{i,opt} ≤ (T_i − 1) e^{−min_t h_{i,t}(W)} along every run', verdict: v.verdict, reason: v.reason, conclusion,
    assumptions: [], thresholds: BSPARSE_THRESHOLDS, svm: null, runs: runs.map((r) => r.record),
  };
}

export const BSPARSE: ClaimSpec = { id: 'B.SPARSE', statement: '1 − s_opt ≤ (T − 1)e^{−min h}', assumptions: [], thresholds: BSPARSE_THRESHOLDS, check: checkBSPARSE };
