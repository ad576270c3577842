/**
 * The single entry point of the SVM problems of SPEC.md §5: optimal tokens (§1, exact; ties are
 * Assumption 1(a) failing, §3), constraints (§2), then dispatch on the norm. Defaults follow CONTRACT.md:
 * structure `diag` for l1, `full` for fro, lp and nuclear.
 */
import type { Dataset } from '../data/Dataset.js';
import { buildConstraints, type ConstraintSet } from '../model/constraints.js';
import type { SvmNorm, SvmResult, SvmStructure } from './SvmResult.js';
import { UnsupportedSvmError } from './errors.js';
import { optimalTokens } from '../model/assumptions.js';
import { solveL1 } from './l1.js';
import { solveFro } from './fro.js';
import { solveLp } from './lp.js';
import { solveNuclear } from './nuclear.js';

export { TiedOptimalTokenError, UnsupportedSvmError } from './errors.js';

export interface SolveSvmOptions {
  readonly norm: SvmNorm;
  readonly structure?: SvmStructure;
  /** ℓp exponent (norm "lp") */
  readonly p?: number;
  /** Decimal digits of the output (and of any Decimal stage) */
  readonly digits?: number;
}

export function defaultStructure(norm: SvmNorm): SvmStructure {
  return norm === 'l1' ? 'diag' : 'full';
}

/** opt_i for every sample, or TiedOptimalTokenError naming every sample with a tie (A1(a)). */
export { optimalTokens } from '../model/assumptions.js';

export function svmConstraints(data: Dataset): ConstraintSet {
  return buildConstraints(data, optimalTokens(data));
}

export function solveSvm(data: Dataset, opts: SolveSvmOptions): SvmResult {
  const structure = opts.structure ?? defaultStructure(opts.norm);
  if (opts.norm === 'l1' && structure === 'full') {
    throw new UnsupportedSvmError('l1 SVM is the diagonal problem (‖w‖₁ over diagonal W, SPEC.md §5); use --structure diag, or --norm nuclear / lp for full W');
  }
  if (opts.digits !== undefined && (!Number.isInteger(opts.digits) || opts.digits < 5)) {
    throw new RangeError(`digits must be an integer ≥ 5, got ${opts.digits}`);
  }
  const cs = svmConstraints(data);
  return solveSvmOnConstraints(cs, { ...opts, structure });
}

/** Dispatch on an already built constraint set. */
export function solveSvmOnConstraints(cs: ConstraintSet, opts: SolveSvmOptions & { structure: SvmStructure }): SvmResult {
  switch (opts.norm) {
    case 'l1':
      if (opts.structure !== 'diag') throw new UnsupportedSvmError('l1 SVM is defined for structure "diag" only');
      return solveL1(cs, opts.digits === undefined ? {} : { digits: opts.digits });
    case 'fro':
      return solveFro(cs, opts.digits === undefined ? { structure: opts.structure } : { structure: opts.structure, digits: opts.digits });
    case 'lp': {
      if (opts.p === undefined) throw new UnsupportedSvmError('norm "lp" needs an exponent p (1 < p < ∞)');
      return solveLp(cs, opts.digits === undefined ? { structure: opts.structure, p: opts.p } : { structure: opts.structure, p: opts.p, digits: opts.digits });
    }
    case 'nuclear':
      if (opts.structure !== 'full') throw new UnsupportedSvmError('nuclear SVM is defined for structure "full" (for diagonal W it equals l1)');
      return solveNuclear(cs, opts.digits === undefined ? {} : { digits: opts.digits });
    default: {
      const never: never = opts.norm;
      throw new UnsupportedSvmError(`unknown norm ${String(never)}`);
    }
  }
}
