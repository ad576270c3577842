/**
 * A.INV (SPEC.md §4, §7): u⊙b ≡ κ along the diagonal flows and KᵀK − QᵀQ ≡ const along the kq flow.
 * Any data. The drift is measured relative to the invariant's scale and compared with a bound derived
 * from the backend's unit roundoff and the integrator tolerance.
 */
import type { Dataset } from '../data/Dataset.js';
import type { ClaimOutcome, ClaimRunOptions, ClaimSpec } from './Claim.js';
import { verdictOf } from './Claim.js';
import { followAndMeasure } from './runs.js';

export const AINV_THRESHOLDS = {
  /** max relative drift for "conserved" (float64: integrator rtol 1e-10 × 1e2 safety) */
  conserved: 1e-8,
  /** refuted above */
  broken: 1e-4,
  rho: 8,
} as const;

/**
 * Drift of the invariant relative to the size of the terms it is made of: |u_j b_j| for u⊙b (= |κ_j|), and
 * ‖KᵀK‖ + ‖QᵀQ‖ ≥ ‖W‖ for the kq flow — roundoff in KᵀK − QᵀQ is u·‖K‖², not u·|α²| (a drift of 2.8e-9 at
 * ‖W‖ = 4.4e6 is 3 ulps, not a broken invariant). ‖W‖_F from the checkpoint's log10_norm stands for the terms.
 */
function drift(cps: readonly Record<string, unknown>[], param: string): number | null {
  const rows = cps.map((c) => ({ inv: (c.invariant as string[] | null)?.map(Number) ?? null, l10: c.log10_norm as number | null })).filter((r) => r.inv !== null);
  if (rows.length < 2) return null;
  const first = rows[0]!.inv!;
  let worst = 0;
  for (const r of rows) {
    const terms = param === 'kq' && r.l10 !== null ? Math.pow(10, r.l10) : 0;
    const scale = Math.max(...first.map(Math.abs), terms, 1e-300);
    worst = Math.max(worst, ...r.inv!.map((x, j) => Math.abs(x - first[j]!) / scale));
  }
  return worst;
}

export function checkAINV(data: Dataset, o: ClaimRunOptions): ClaimOutcome {
  const opts: ClaimRunOptions = { ...o, backend: o.backend ?? 'float64', untilRho: o.untilRho ?? AINV_THRESHOLDS.rho };
  const runs = (['diag', 'uv', 'kq'] as const).map((p) => followAndMeasure(data, p, `${p} flow`, opts, null, { rho: AINV_THRESHOLDS.rho, seconds: 60 }));
  const drifts = runs.map((r) => ({ param: r.record.param, drift: drift(r.record.checkpoints, r.record.param) }));
  const known = drifts.filter((d) => d.drift !== null).map((d) => d.drift!);
  const worst = known.length ? Math.max(...known) : null;
  const conclusion = worst === null ? null : worst <= AINV_THRESHOLDS.conserved ? true : worst > AINV_THRESHOLDS.broken ? false : null;
  const list = drifts.map((d) => `${d.param}: ${d.drift === null ? 'n/a' : d.drift.toExponential(2)}`).join(', ');
  const v = verdictOf([], conclusion, { holds: `invariants conserved (relative drift ${list})`, fails: `invariant broken (relative drift ${list})`, open: `drift ${list}` });
  return {
    claim: 'A.INV', statement: 'u⊙b ≡ κ along diag/uv flows; KᵀK − QᵀQ ≡ const along the kq flow', verdict: v.verdict, reason: v.reason, conclusion,
    assumptions: [], thresholds: AINV_THRESHOLDS, svm: null, runs: runs.map((r) => r.record),
  };
}

export const AINV: ClaimSpec = { id: 'A.INV', statement: 'invariants of SPEC.md §4 hold along the flow', assumptions: [], thresholds: AINV_THRESHOLDS, check: checkAINV };
