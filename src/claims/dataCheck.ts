/**
 * Assumption 1 (a), (b), (c) of SPEC.md §3, each separately, with a certificate for (c) (an exact witness
 * W with margins ≥ 1, or an exact Farkas vector), for both the diagonal and the full SVM.
 */
import type { Dataset } from '../data/Dataset.js';
import { checkAssumptionAB } from '../model/assumptions.js';
import { buildConstraints } from '../model/constraints.js';
import { qtoString } from '../numeric/rational.js';
import { svmFeasibility } from '../svm/feasibility.js';
import type { SvmStructure } from '../svm/SvmResult.js';

export interface FeasibilityReport {
  readonly structure: SvmStructure;
  readonly holds: boolean;
  readonly exact: boolean;
  readonly method: string;
  /** exact rational witness (w for diag, W row-major for full) when feasible */
  readonly witness?: readonly string[];
  /** Farkas certificate when infeasible */
  readonly farkas?: readonly { i: number; t: number; lambda: string }[];
}

export interface DataCheckReport {
  readonly dataset: { readonly name: string | null; readonly n: number; readonly d: number; readonly T: readonly number[] };
  readonly assumption1: {
    readonly a: { readonly holds: boolean; readonly failures: readonly { i: number; tied_tokens: readonly number[] }[] };
    readonly b: { readonly holds: boolean; readonly failures: readonly { i: number; scores: readonly string[]; opt: number }[] };
    /** null when undefined (A1(a) fails: the constraints need a unique optimal token) */
    readonly c: { readonly diag: FeasibilityReport; readonly full: FeasibilityReport } | null;
    readonly c_reason?: string;
  };
  readonly samples: readonly { i: number; opt: number | null; scores: readonly string[]; claimed_opt?: number; claimed_opt_correct?: boolean }[];
  readonly warnings: readonly string[];
}

function feasibilityReport(data: Dataset, opt: readonly number[], structure: SvmStructure): FeasibilityReport {
  const r = svmFeasibility(buildConstraints(data, opt), structure);
  return r.feasible
    ? { structure, holds: true, exact: r.exact, method: r.method, witness: r.witness.map(qtoString) }
    : { structure, holds: false, exact: r.exact, method: r.method, farkas: r.farkas };
}

export function checkData(data: Dataset): DataCheckReport {
  const ab = checkAssumptionAB(data);
  const warnings: string[] = [];
  for (const s of ab.samples) {
    if (s.claimedOpt !== undefined && !s.claimedOptCorrect) {
      warnings.push(`samples[${s.i}].opt: claimed ${s.claimedOpt}, but the optimal token is ${s.a ? s.maximizers[0] : `tied among ${s.maximizers.join(', ')}`}`);
    }
  }
  const c = ab.opt ? { diag: feasibilityReport(data, ab.opt, 'diag'), full: feasibilityReport(data, ab.opt, 'full') } : null;
  return {
    dataset: { name: data.name ?? null, n: data.samples.length, d: data.d, T: data.samples.map((s) => s.X.length) },
    assumption1: {
      a: { holds: ab.a, failures: ab.samples.filter((s) => !s.a).map((s) => ({ i: s.i, tied_tokens: s.maximizers })) },
      b: { holds: ab.b, failures: ab.samples.filter((s) => s.a && !s.b).map((s) => ({ i: s.i, scores: s.scores, opt: s.maximizers[0]! })) },
      c,
      ...(c ? {} : { c_reason: 'undefined: Assumption 1(a) fails, so the constraints (which need a unique optimal token) do not exist' }),
    },
    samples: ab.samples.map((s) => ({
      i: s.i,
      opt: s.a ? s.maximizers[0]! : null,
      scores: s.scores,
      ...(s.claimedOpt !== undefined ? { claimed_opt: s.claimedOpt, claimed_opt_correct: s.claimedOptCorrect! } : {}),
    })),
    warnings,
  };
}

