/**
 * The exact dataset of SPEC.md §1 (CONTRACT.md `attnbias/dataset@1`). Every entry is an exact rational:
 * decimal and rational strings are exact, a JSON number is the exact value of its double.
 */
import type { Rational } from '../numeric/rational.js';

export const DATASET_FORMAT = 'attnbias/dataset@1';

export interface Sample {
  /** Tokens: T_i rows of d entries (row t is x_{i,t}). */
  readonly X: readonly (readonly Rational[])[];
  /** Query z_i ∈ R^d. */
  readonly z: readonly Rational[];
  /** Label y_i ∈ {−1, +1}. */
  readonly y: 1 | -1;
  /** The optimal-token index the user claims, if any (checked, not trusted). */
  readonly claimedOpt?: number;
}

export interface Dataset {
  readonly name?: string;
  /** Dimension d = head.length. */
  readonly d: number;
  /** The fixed prediction head h ∈ R^d (SPEC.md §1). */
  readonly head: readonly Rational[];
  readonly samples: readonly Sample[];
}
