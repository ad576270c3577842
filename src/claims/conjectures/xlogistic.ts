/**
 * X.LOGISTIC (SPEC.md §7, the shipped example of the conjecture hook): with the logistic loss, gradient
 * flow on the diagonal model keeps the A.T1 limit — the ℓ1 SVM. Run it with
 *   npx attnbias verify --conjecture dist/src/claims/conjectures/xlogistic.js --data F
 * A module of one's own has the same shape: export default a Conjecture (src/claims/conjecture.ts).
 */
import type { Conjecture } from '../conjecture.js';
import { feasibleA1 } from '../../data/generate.js';

const conjecture: Conjecture = {
  id: 'X.LOGISTIC',
  statement: 'with the logistic loss, GF on the diagonal model converges in direction to the ℓ1 SVM (the A.T1 limit)',
  param: 'r',
  loss: 'logistic',
  predicted: { norm: 'l1', structure: 'diag' },
  thresholds: { gap: 1e-3, rho: 25, seconds: 60 },
  generator: (rng, shape) => feasibleA1(rng, shape),
};

export default conjecture;
