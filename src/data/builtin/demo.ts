/**
 * The built-in dataset of `attnbias demo`: d = 3, where the ℓ1 and Frobenius SVM directions differ
 * clearly. Active constraints a = (2,1,1) and (1,2,1) (samples 0, 1); samples 2 (T = 3, equal non-optimal
 * scores) and 3 (y = −1) add inactive ones. By hand (SPEC.md §5):
 *   ℓ1 SVM:  w* = (1/3, 1/3, 0), OPT = 2/3, duals λ = (1/3, 1/3, 0, …), Aᵀλ = (1, 1, 2/3): unique and
 *            non-degenerate (|ξ₃| = 2/3 < 1), so the flow's duals must converge to these.
 *   Frobenius SVM (diagonal): w = (3, 3, 2)/11 — the third coordinate is 0 for ℓ1, 2/11 for Frobenius.
 * Assumption 1 (a), (b), (c) hold. Entries are exact strings.
 */
export const DEMO_DATASET_JSON = {
  format: 'attnbias/dataset@1',
  name: 'demo: l1 vs Frobenius (d = 3)',
  head: ['1', '1', '1'],
  samples: [
    { X: [['2', '1', '1'], ['0', '0', '0']], z: ['1', '1', '1'], y: 1 },
    { X: [['1', '2', '1'], ['0', '0', '0']], z: ['1', '1', '1'], y: 1 },
    { X: [['2', '2', '0'], ['0', '0', '0'], ['1', '-1', '0']], z: ['1', '1', '1'], y: 1 },
    { X: [['-1', '-1', '-2'], ['0', '0', '0']], z: ['-2', '-2', '-1'], y: -1 },
  ],
} as const;
