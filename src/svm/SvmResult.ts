/**
 * The result of every SVM solve (SPEC.md §5): a status, the solution, and the evidence that justifies it
 * (HiGHS/CVXPY style). Numbers are decimal strings at the working precision (the CONTRACT.md `svm --json`
 * fields are exactly these), with exact rationals alongside when the certificate is exact.
 */
import type { Rational } from '../numeric/rational.js';

export type SvmNorm = 'l1' | 'fro' | 'lp' | 'nuclear';
export type SvmStructure = 'diag' | 'full';

/** λ_{i,t} for the constraint of sample i, token t. */
export interface DualEntry {
  readonly i: number;
  readonly t: number;
  readonly lambda: string;
}

export interface SvmCertificate {
  /** max_{i,t} max(0, 1 − h_{i,t}(W)) */
  readonly primal_infeasibility: string;
  /** max(0, ‖Σ λ A‖° − 1) plus any negative λ */
  readonly dual_infeasibility: string;
  /** primal objective − dual objective (≥ 0 by weak duality once both are feasible) */
  readonly gap: string;
  /** gap / primal objective */
  readonly relative_gap?: string;
  /** true only when every statement above was verified in exact rational arithmetic */
  readonly exact: boolean;
  /** how the certificate was obtained, e.g. "rational basis reconstruction" or "weak duality in Decimal(50)" */
  readonly method: string;
}

/** Range of each coordinate of w over the optimal face (diagonal problems), when the optimum is not unique. */
export interface OptimalFace {
  readonly min: readonly string[];
  readonly max: readonly string[];
}

export interface SvmResult {
  readonly status: 'optimal' | 'infeasible';
  readonly norm: SvmNorm;
  readonly structure: SvmStructure;
  /** ℓp exponent, for norm "lp". */
  readonly p?: number;
  readonly objective?: string;
  /** diagonal solution */
  readonly w?: readonly string[];
  /** full solution, rows of decimal strings */
  readonly W?: readonly (readonly string[])[];
  /** exact rational solution, when known */
  readonly wExact?: readonly Rational[];
  readonly opt_tokens: readonly number[];
  readonly duals?: readonly DualEntry[];
  /**
   * Exact dual multipliers, one per constraint in ConstraintSet order, when known: for `l1` the λ of
   * §5 (1ᵀλ = OPT); for `fro` the QP multipliers λ with W = Σ λ A and ‖W‖² = 1ᵀλ (the `duals` strings are
   * then λ/‖W‖, the normalization of the general dual of §5).
   */
  readonly dualsExact?: readonly Rational[];
  readonly certificate?: SvmCertificate;
  /** true / false when decided, null when not decided */
  readonly unique: boolean | null;
  readonly face?: OptimalFace;
  /** Farkas certificate of infeasibility: λ ≥ 0, Σλ = 1, Σ λ a_{i,t} = 0 (diag) or Σ λ A_{i,t} = 0 (full). */
  readonly farkas?: readonly DualEntry[];
  /** whether the Farkas certificate was verified exactly */
  readonly farkas_exact?: boolean;
  /** the Farkas λ exactly, one per constraint in ConstraintSet order (diag or full list) */
  readonly farkasExact?: readonly Rational[];
  /** exact rational full solution, when known */
  readonly WExact?: readonly (readonly Rational[])[];
  /** working precision of the solve, in digits */
  readonly digits?: number;
  /** free-form notes (e.g. "glpk basis repaired by 2 refinement steps") */
  readonly notes?: readonly string[];
}
