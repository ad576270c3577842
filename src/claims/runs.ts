/** Running and measuring a flow for a claim (shared by the claims). */
import type { Dataset } from '../data/Dataset.js';
import type { FlowParam } from '../flows/FlowDefinition.js';
import { type FollowResult, follow, type StopTest } from '../flows/follow.js';
import { type CheckpointNumbers, measureRun } from '../kkt/measureRun.js';
import type { SvmResult } from '../svm/SvmResult.js';
import { solveSvm } from '../svm/solve.js';
import { primalNorm } from '../kkt/norms.js';
import { marginsOf } from '../flows/checkpoint.js';
import { minMargin } from '../model/margins.js';
import { nuclearNorm } from '../svm/svd.js';
import type { ClaimRunOptions, ClaimRunRecord } from './Claim.js';

export interface MeasuredFollow {
  readonly result: FollowResult;
  readonly numbers: readonly CheckpointNumbers[];
  readonly record: ClaimRunRecord;
}

/** Stop once ‖W̃‖/OPT − 1 ≤ gap (W̃ = W / min margin, in the SVM's norm). */
export function gapStopTest(svm: SvmResult, gap: number): StopTest {
  return (F, P, W) => {
    if (svm.status !== 'optimal' || svm.objective === undefined) return false;
    const mm = minMargin(F, marginsOf(P, W));
    if (!F.gt(mm, F.zero)) return false;
    const n = primalNorm(F, W, svm.norm, svm.p, (M) => nuclearNorm(F, M));
    return F.toNumber(F.sub(F.div(F.div(n, mm), F.of(svm.objective)), F.one)) <= gap;
  };
}

export function followAndMeasure(data: Dataset, param: FlowParam, label: string, o: ClaimRunOptions, svm: SvmResult | null, defaults: { rho: number; seconds: number }): MeasuredFollow {
  const ref = svm && svm.status === 'optimal' ? svm : null;
  const result = follow(data, {
    param,
    loss: o.loss ?? 'exp',
    backend: o.backend ?? 'auto',
    alpha: o.alpha ?? '1e-3',
    stop: { rho: o.untilRho ?? defaults.rho, maxSeconds: o.maxSeconds ?? defaults.seconds },
    checkpoints: o.checkpoints ?? 12,
    ...(o.digits !== undefined ? { digits: o.digits } : {}),
    ...(o.diagInit ? { diagInit: o.diagInit } : {}),
    ...(o.fullInit ? { fullInit: o.fullInit } : {}),
    ...(o.untilGap !== undefined && ref ? { stopTest: gapStopTest(ref, o.untilGap) } : {}),
  });
  const m = measureRun(result, ref);
  return {
    result,
    numbers: m.numbers,
    record: { label, param, status: result.status, reason: result.reason, seconds: result.seconds, steps: result.steps, switchedAtRho: result.switchedAtRho, checkpoints: m.checkpoints },
  };
}

/** The SVM of a norm, or null when it cannot be posed (A1(a) fails). */
export function svmOrNull(data: Dataset, norm: 'l1' | 'fro' | 'nuclear' | 'lp', structure?: 'diag' | 'full', p?: number): SvmResult | null {
  try {
    return solveSvm(data, { norm, ...(structure ? { structure } : {}), ...(p !== undefined ? { p } : {}) });
  } catch (e) {
    if ((e as Error).name === 'TiedOptimalTokenError') return null;
    throw e;
  }
}

/** Least-squares slope of y on x with its standard error. */
export function fitSlope(x: readonly number[], y: readonly number[]): { slope: number; stderr: number } | null {
  const n = x.length;
  if (n < 3) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i]! - mx) ** 2; sxy += (x[i]! - mx) * (y[i]! - my); }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - my - slope * (x[i]! - mx)) ** 2;
  return { slope, stderr: Math.sqrt(sse / (n - 2) / sxx) };
}
