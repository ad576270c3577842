/**
 * A.EQ (SPEC.md §7): the `diag` (k, q), `uv` (u, b) and mirror `r` flows trace one path (a time change).
 * The three share the normalized time τ and the checkpoint grid in ρ = ‖r‖∞; W is compared at each
 * checkpoint. Any data. Run in float64 to ρ = 8 (the (k, q) state is well conditioned there).
 */
import type { Dataset } from '../data/Dataset.js';
import type { ClaimOutcome, ClaimRunOptions, ClaimSpec } from './Claim.js';
import { verdictOf } from './Claim.js';
import { followAndMeasure } from './runs.js';
import { initAssumption } from './assumptionStatus.js';

export const AEQ_THRESHOLDS = {
  /** max relative difference of W between paths at equal ρ, consistent below (integrator rtol 1e-10, ×1e3 for propagation) */
  agree: 1e-6,
  /** refuted above */
  disagree: 1e-3,
  rho: 8,
} as const;

function weightsAt(cp: Record<string, unknown>): number[] | null {
  const w = cp.weights as (string | string[])[] | undefined;
  return w ? w.flat().map(Number) : null;
}

export function checkAEQ(data: Dataset, o: ClaimRunOptions): ClaimOutcome {
  const opts: ClaimRunOptions = { ...o, backend: o.backend ?? 'float64', untilRho: o.untilRho ?? AEQ_THRESHOLDS.rho };
  const runs = (['r', 'diag', 'uv'] as const).map((p) => followAndMeasure(data, p, `${p} flow`, opts, null, { rho: AEQ_THRESHOLDS.rho, seconds: 60 }));
  const ref = runs[0]!;
  let worst = 0;
  let compared = 0;
  for (const other of runs.slice(1)) {
    const n = Math.min(ref.record.checkpoints.length, other.record.checkpoints.length);
    for (let k = 0; k < n; k++) {
      const a = weightsAt(ref.record.checkpoints[k]!);
      const b = weightsAt(other.record.checkpoints[k]!);
      const ra = ref.record.checkpoints[k]!.rho as number;
      const rb = other.record.checkpoints[k]!.rho as number;
      if (!a || !b || Math.abs(ra - rb) > 1e-6 * Math.max(1, ra)) continue;
      const scale = Math.max(...a.map(Math.abs), 1e-300);
      worst = Math.max(worst, ...a.map((x, j) => Math.abs(x - b[j]!) / scale));
      compared++;
    }
  }
  const init = initAssumption(data.d, o.diagInit, o.alpha ?? '1e-3');
  const conclusion = compared === 0 ? null : worst <= AEQ_THRESHOLDS.agree ? true : worst > AEQ_THRESHOLDS.disagree ? false : null;
  const v = verdictOf([init], conclusion, {
    holds: `W agrees across the diag, uv and r flows to ${worst.toExponential(2)} (relative) at ${compared} checkpoints up to ρ = ${opts.untilRho}`,
    fails: `W differs by ${worst.toExponential(2)} (relative) between paths at equal ρ`,
    open: compared === 0 ? 'no common checkpoints to compare' : `paths differ by ${worst.toExponential(2)}, between the thresholds`,
  });
  return {
    claim: 'A.EQ', statement: 'the diag, uv and r flows trace one path (time change)', verdict: v.verdict, reason: v.reason, conclusion,
    assumptions: [init], thresholds: AEQ_THRESHOLDS, svm: null, runs: runs.map((r) => r.record),
  };
}

export const AEQ: ClaimSpec = { id: 'A.EQ', statement: 'the diag, uv and r flows trace one path', assumptions: ['non-degenerate init'], thresholds: AEQ_THRESHOLDS, check: checkAEQ };
