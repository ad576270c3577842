/**
 * Loss, its infimum L* and the excess L − L* (SPEC.md §1), all as natural logs.
 * The excess is computed per sample as e^{−γ_opt}·expm1(S_i) (exp) or log1p(σ(−γ_opt)·expm1(S_i))
 * (logistic) from log S_i, never as a difference of two nearly equal numbers.
 */
import { type Field } from '../numeric/Field.js';
import { lnToLog10, logExpm1FromLog, logSoftplus, logSumExp, softplus } from '../numeric/logdomain.js';
import type { AttentionEval } from './attention.js';
import { logLoss } from './loss.js';
import type { AttentionProblem } from './problem.js';

/** log L = log((1/n) Σ ℓ(γ̄_i)) */
export function logLossTotal<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S {
  const F = P.F;
  return F.sub(logSumExp(F, ev.scoreMean.map((u) => logLoss(F, P.loss, u))), P.logN);
}

/** L itself (may underflow for enormous scores; use logLossTotal then). */
export function lossTotal<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S {
  return P.F.exp(logLossTotal(P, ev));
}

/** log L* = log((1/n) Σ ℓ(γ_{i,opt})) */
export function logLossInfimum<S>(P: AttentionProblem<S>): S {
  const F = P.F;
  return F.sub(logSumExp(F, P.samples.map((b) => logLoss(F, P.loss, b.scoreOpt))), P.logN);
}

/** log of sample i's excess ℓ(γ̄_i) − ℓ(γ_opt). */
export function logExcessOfSample<S>(P: AttentionProblem<S>, ev: AttentionEval<S>, i: number): S {
  const F = P.F;
  const g = P.samples[i]!.scoreOpt;
  const lem1 = logExpm1FromLog(F, ev.logGap[i]!); // log expm1(S_i)
  if (P.loss === 'exp') return F.add(F.neg(g), lem1);
  // logistic: log1p(σ(−γ_opt) expm1(S_i)), σ(−γ) = e^{−softplus(γ)}
  return logSoftplus(F, F.add(F.neg(softplus(F, g)), lem1));
}

/** log(L − L*) */
export function logExcessLoss<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S {
  const F = P.F;
  return F.sub(logSumExp(F, P.samples.map((_, i) => logExcessOfSample(P, ev, i))), P.logN);
}

/** log10(L − L*), the quantity reported everywhere (SPEC.md §1). */
export function log10ExcessLoss<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S {
  return lnToLog10(P.F, logExcessLoss(P, ev));
}

/** log10 of the largest non-optimal attention max_{i,t≠opt} s_{i,t} (SPEC.md §7 B.SPARSE). */
export function log10MaxNonOptAttention<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S {
  const F = P.F;
  let m: S = ev.logS[0] as S;
  for (const x of ev.logS) m = F.max(m, x);
  return lnToLog10(F, m);
}

/** log10(1 − s_{i,opt}) per sample, = log10 Σ_{t≠opt} s_{i,t}. */
export function log10NonOptMass<S>(P: AttentionProblem<S>, ev: AttentionEval<S>): S[] {
  const F = P.F;
  return P.samples.map((b) => lnToLog10(F, logSumExp(F, ev.logS.slice(b.start, b.start + b.count))));
}

export type { Field };
