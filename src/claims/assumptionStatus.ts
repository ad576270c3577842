/** Assumption statuses of SPEC.md §3–§4 for a claim, from the data check and the initialization. */
import type { Dataset } from '../data/Dataset.js';
import { qisZero } from '../numeric/rational.js';
import { defaultDiagInit, kappaOf, type DiagInit } from '../flows/init.js';
import type { AssumptionStatus } from './Claim.js';
import { checkData, type DataCheckReport } from './dataCheck.js';

export function dataAssumptions(data: Dataset, structure: 'diag' | 'full' = 'diag'): { report: DataCheckReport; statuses: AssumptionStatus[] } {
  const report = checkData(data);
  const A = report.assumption1;
  const c = A.c ? (structure === 'diag' ? A.c.diag : A.c.full) : null;
  return {
    report,
    statuses: [
      { name: 'A1(a)', holds: A.a.holds, detail: A.a.holds ? 'unique optimal tokens' : `tied optimal tokens in samples ${A.a.failures.map((f) => f.i).join(', ')}` },
      { name: 'A1(b)', holds: A.a.holds ? A.b.holds : null, detail: A.b.holds ? 'equal non-optimal scores' : `unequal non-optimal scores in samples ${A.b.failures.map((f) => f.i).join(', ')}` },
      c
        ? { name: structure === 'diag' ? 'A1(c)' : 'A1(c) full', holds: c.holds, detail: c.holds ? `feasible (${c.exact ? 'exact witness' : 'witness not exact'})` : `infeasible: Farkas certificate on ${c.farkas!.length} constraints (${c.exact ? 'exact' : 'not exact'})` }
        : { name: structure === 'diag' ? 'A1(c)' : 'A1(c) full', holds: null, detail: 'undefined while A1(a) fails' },
    ],
  };
}

/** κ_j = (k₀_j² − q₀_j²)/4 ≠ 0 for all j (SPEC.md §4). */
export function initAssumption(d: number, init: DiagInit | undefined, alpha: string): AssumptionStatus {
  const k = kappaOf(init ?? defaultDiagInit(d, alpha));
  const zero = k.map((x, j) => (qisZero(x) ? j : -1)).filter((j) => j >= 0);
  return zero.length === 0
    ? { name: 'non-degenerate init', holds: true, detail: 'κ_j ≠ 0 for every coordinate' }
    : { name: 'non-degenerate init', holds: false, detail: `κ_j = 0 (balanced |k₀_j| = |q₀_j|) for j = ${zero.join(', ')}: the sign of w_j is frozen` };
}
