/**
 * The two losses of SPEC.md §1, in the log domain: log ℓ(u), log(−ℓ'(u)), log ℓ''(u).
 * exponential ℓ(u) = e^{−u} (paper A); logistic ℓ(u) = log(1 + e^{−u}) (papers B–D).
 */
import type { Field } from '../numeric/Field.js';
import { logSoftplus, softplus } from '../numeric/logdomain.js';

export type LossKind = 'exp' | 'logistic';

export const LOSS_KINDS: readonly LossKind[] = ['exp', 'logistic'];

/** log ℓ(u) */
export function logLoss<S>(F: Field<S>, kind: LossKind, u: S): S {
  return kind === 'exp' ? F.neg(u) : logSoftplus(F, F.neg(u));
}

/** ℓ(u) */
export function lossValue<S>(F: Field<S>, kind: LossKind, u: S): S {
  return kind === 'exp' ? F.exp(F.neg(u)) : softplus(F, F.neg(u));
}

/** log(−ℓ'(u)): −u for exp; log σ(−u) = −softplus(u) for logistic. */
export function logNegDerivative<S>(F: Field<S>, kind: LossKind, u: S): S {
  return kind === 'exp' ? F.neg(u) : F.neg(softplus(F, u));
}

/** log ℓ''(u): −u for exp; log σ(u)σ(−u) for logistic. */
export function logSecondDerivative<S>(F: Field<S>, kind: LossKind, u: S): S {
  return kind === 'exp' ? F.neg(u) : F.neg(F.add(softplus(F, u), softplus(F, F.neg(u))));
}
