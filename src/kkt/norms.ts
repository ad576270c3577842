/**
 * The SVM norms of SPEC.md §5 and their duals, on diagonal vectors and full matrices:
 * ℓ1 ↔ ℓ∞ (diagonal), Frobenius ↔ Frobenius, entrywise ℓp ↔ ℓq, nuclear ↔ spectral (via src/svm/svd).
 */
import { type Field, norm1, norm2, normInf } from '../numeric/Field.js';
import type { Weights } from '../flows/FlowDefinition.js';

export type KktNorm = 'l1' | 'fro' | 'lp' | 'nuclear';

const flat = <S>(W: Weights<S>): S[] => (W.structure === 'diag' ? W.w.slice() : W.W.flat());

export function lpNorm<S>(F: Field<S>, x: readonly S[], p: number): S {
  const m = normInf(F, x);
  if (F.isZero(m)) return F.zero;
  const P = F.of(p);
  let s = F.zero;
  for (const v of x) if (!F.isZero(v)) s = F.add(s, F.pow(F.div(F.abs(v), m), P));
  return F.mul(m, F.pow(s, F.div(F.one, P)));
}

/** ‖W‖ in the SVM's norm (nuclear is computed by the caller with an SVD: pass `nuclear`). */
export function primalNorm<S>(F: Field<S>, W: Weights<S>, norm: KktNorm, p?: number, nuclear?: (W: S[][]) => S): S {
  const x = flat(W);
  switch (norm) {
    case 'l1': return norm1(F, x);
    case 'fro': return norm2(F, x);
    case 'lp': return lpNorm(F, x, p!);
    case 'nuclear': return W.structure === 'diag' ? norm1(F, x) : nuclear!(W.W);
  }
}

/** The dual norm of a vector/matrix ξ = Σ λ A. */
export function dualNorm<S>(F: Field<S>, xi: Weights<S>, norm: KktNorm, p?: number, spectral?: (W: S[][]) => S): S {
  const x = flat(xi);
  switch (norm) {
    case 'l1': return normInf(F, x);
    case 'fro': return norm2(F, x);
    case 'lp': return lpNorm(F, x, p! / (p! - 1));
    case 'nuclear': return xi.structure === 'diag' ? normInf(F, x) : spectral!(xi.W);
  }
}
