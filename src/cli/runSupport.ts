/** Shared by `flow`, `verify` and `demo`: the SVM reference of a run and the stop test for --until-gap. */
import type { Dataset } from '../data/Dataset.js';
import type { StopTest } from '../flows/follow.js';
import { solveSvm } from '../svm/solve.js';
import type { SvmResult } from '../svm/SvmResult.js';
import { primalNorm } from '../kkt/norms.js';
import { marginsOf } from '../flows/checkpoint.js';
import { minMargin } from '../model/margins.js';
import { nuclearNorm } from '../svm/svd.js';

/** The predicted SVM, or null when it cannot be posed (ties: A1(a)); infeasible results are returned. */
export function referenceSvm(data: Dataset, norm: 'l1' | 'fro' | 'nuclear' | 'lp', p?: number): SvmResult | null {
  try {
    return solveSvm(data, { norm, ...(norm === 'l1' ? { structure: 'diag' as const } : {}), ...(p !== undefined ? { p } : {}) });
  } catch (e) {
    if ((e as Error).name === 'TiedOptimalTokenError') return null;
    throw e;
  }
}

/** Stop once ‖W̃‖/OPT − 1 ≤ gap (W̃ = W / min margin, in the SVM's norm). */
export function gapStopTest(svm: SvmResult, gap: number): StopTest {
  return (F, P, W) => {
    if (svm.status !== 'optimal' || svm.objective === undefined) return false;
    const h = marginsOf(P, W);
    const mm = minMargin(F, h);
    if (!F.gt(mm, F.zero)) return false;
    const n = primalNorm(F, W, svm.norm, svm.p, (M) => nuclearNorm(F, M));
    const rel = F.sub(F.div(F.div(n, mm), F.of(svm.objective)), F.one);
    return F.toNumber(rel) <= gap;
  };
}
