/** The claims attnbias can check (SPEC.md §7); each new claim adds one entry. */
import type { ClaimId, ClaimSpec } from './Claim.js';
import { AT1, checkAT1, AT1_THRESHOLDS } from './at1.js';
import { AEQ } from './aeq.js';
import { AINV } from './ainv.js';
import { DFRO } from './dfro.js';
import { BSPARSE } from './bsparse.js';

/** X.LOGISTIC (conjecture): the logistic loss keeps the A.T1 limit. */
export const XLOGISTIC: ClaimSpec = {
  id: 'X.LOGISTIC',
  statement: 'with the logistic loss, GF on the diagonal model keeps the A.T1 limit (ℓ1 SVM)',
  assumptions: AT1.assumptions,
  thresholds: AT1_THRESHOLDS,
  check: (data, o) => checkAT1(data, o, 'logistic', 'X.LOGISTIC'),
};

export const CLAIMS: Readonly<Record<ClaimId, ClaimSpec>> = {
  'A.T1': AT1, 'A.EQ': AEQ, 'A.INV': AINV, 'D.FRO': DFRO, 'B.SPARSE': BSPARSE, 'X.LOGISTIC': XLOGISTIC,
};

export const CLAIM_IDS = Object.keys(CLAIMS) as ClaimId[];
