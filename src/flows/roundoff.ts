/** Margin roundoff of a state that stores W (or its factors) directly: u · max_k Σ |A_k| |W|. */
import type { Field } from '../numeric/Field.js';
import type { AttentionProblem } from '../model/problem.js';
import type { Weights } from './FlowDefinition.js';

export function storedWeightsMarginUncertainty<S>(P: AttentionProblem<S>, W: Weights<S>): number {
  const F: Field<S> = P.F;
  const u = Math.pow(10, F.log10UnitRoundoff);
  let worst = 0;
  if (W.structure === 'diag') {
    for (const a of P.a) worst = Math.max(worst, a.reduce((acc, aj, j) => acc + Math.abs(F.toNumber(aj) * F.toNumber(W.w[j]!)), 0));
  } else {
    P.left.forEach((l, k) => {
      const r = P.right[k]!;
      let s = 0;
      l.forEach((lp, p) => r.forEach((rq, q) => { s += Math.abs(F.toNumber(lp) * F.toNumber(rq) * F.toNumber(W.W[p]![q]!)); }));
      worst = Math.max(worst, s);
    });
  }
  return u * worst;
}
