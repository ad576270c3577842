/**
 * Everything the loss, gradient and Hessian need at one point, computed from the margins in the log
 * domain (SPEC.md §1–§2, §8): nothing here underflows, whatever the size of the margins.
 *
 * With h_{i,opt} := 0, log s_{i,t} = −h_{i,t} − log(1 + Σ_k e^{−h_{i,k}}), log s_{i,opt} = −log(1 + Σ_k e^{−h_{i,k}}).
 * S_i = Σ_{t≠opt} s_{i,t} Δ_{i,t} = γ_opt − γ̄_i (kept as log S_i).
 * c_{i,t} = (1/n)(−ℓ'(γ̄_i)) s_{i,t} (γ̄_i − γ_{i,t}) with
 *   γ̄_i − γ_{i,t} = s_opt Δ_t + Σ_{k≠opt} s_k (γ_k − γ_t)   (no cancellation but the genuine one).
 */
import { type Field } from '../numeric/Field.js';
import { type SignedLog, logSoftmax, logSumExp, signedLogSum } from '../numeric/logdomain.js';
import { logNegDerivative } from './loss.js';
import type { AttentionProblem } from './problem.js';

export interface AttentionEval<S> {
  readonly margins: readonly S[];
  /** log s_{i,opt}, per sample */
  readonly logSOpt: readonly S[];
  /** log s_{i,t}, per constraint */
  readonly logS: readonly S[];
  /** log S_i = log(γ_opt − γ̄_i), per sample */
  readonly logGap: readonly S[];
  /** γ̄_i = y_i Φ_i */
  readonly scoreMean: readonly S[];
  /** log(−ℓ'(γ̄_i)) */
  readonly logNegDeriv: readonly S[];
  /** log(γ̄_i − γ_{i,t}) with sign, per constraint */
  readonly meanMinusScore: readonly SignedLog<S>[];
  /** the gradient weights c_{i,t} (1/n included), signed log, per constraint */
  readonly c: readonly SignedLog<S>[];
}

export function evaluateAttention<S>(P: AttentionProblem<S>, margins: readonly S[]): AttentionEval<S> {
  const F = P.F;
  const logSOpt: S[] = [];
  const logS: S[] = new Array(margins.length);
  const logGap: S[] = [];
  const scoreMean: S[] = [];
  const logNegDeriv: S[] = [];
  const meanMinusScore: SignedLog<S>[] = new Array(margins.length);
  const c: SignedLog<S>[] = new Array(margins.length);

  for (const blk of P.samples) {
    const ks = Array.from({ length: blk.count }, (_, j) => blk.start + j);
    const logSoft = logSoftmax(F, [F.zero, ...ks.map((k) => F.neg(margins[k]!))]); // logits relative to opt
    const lso = logSoft[0]!;
    logSOpt.push(lso);
    ks.forEach((k, j) => { logS[k] = logSoft[j + 1]!; });
    const lg = logSumExp(F, ks.map((k) => F.add(logS[k]!, P.logDelta[k]!)));
    logGap.push(lg);
    const mean = F.sub(blk.scoreOpt, F.exp(lg));
    scoreMean.push(mean);
    const lnd = logNegDerivative(F, P.loss, mean);
    logNegDeriv.push(lnd);
    const base = F.sub(lnd, P.logN);
    for (const k of ks) {
      const terms: SignedLog<S>[] = [{ sign: 1, log: F.add(lso, P.logDelta[k]!) }];
      for (const k2 of ks) {
        if (k2 === k) continue;
        const diff = F.sub(P.score[k2]!, P.score[k]!); // γ_{k2} − γ_t, exact up to conversion of the data
        const sg = F.sign(diff);
        if (sg !== 0) terms.push({ sign: sg, log: F.add(logS[k2]!, F.log(F.abs(diff))) });
      }
      const mms = signedLogSum(F, terms);
      meanMinusScore[k] = mms;
      c[k] = mms.sign === 0 ? mms : { sign: mms.sign, log: F.add(F.add(base, logS[k]!), mms.log) };
    }
  }
  return { margins, logSOpt, logS, logGap, scoreMean, logNegDeriv, meanMinusScore, c };
}
