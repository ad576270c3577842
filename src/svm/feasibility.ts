/**
 * Assumption 1(c) (SPEC.md §3): is there W (diagonal or full) with h_{i,t}(W) ≥ 1 for every constraint?
 * An LP feasibility question, decided with a certificate either way:
 *   feasible   — an exact rational witness W with every margin ≥ 1 (glpk's point, doubled and rounded to
 *                rationals, checked exactly; the exact Frobenius active set as fallback);
 *   infeasible — a Farkas vector λ ≥ 0, Σλ = 1, Σ λ a_{i,t} = 0 (diag) or Σ λ A_{i,t} = 0 (full), exact.
 */
import type { ConstraintSet } from '../model/constraints.js';
import { type Rational, Q1, qcmp, qfromNumber } from '../numeric/rational.js';
import type { DualEntry, SvmStructure } from './SvmResult.js';
import { solveGlpk, glpk, type LP } from './glpk.js';
import { findFarkas, verifyFarkas } from './farkas.js';
import { exactMargins, exactCombination } from './l1Certificate.js';
import { froVectors, froIntegerRows, gramOf } from './fro.js';
import { exactActiveSet } from './froActiveSet.js';
import { DEFAULT_SVM_DIGITS, decimalString } from './format.js';

export type FeasibilityResult =
  | { readonly feasible: true; readonly structure: SvmStructure; readonly witness: Rational[]; readonly exact: boolean; readonly method: string }
  | { readonly feasible: false; readonly structure: SvmStructure; readonly farkas: DualEntry[]; readonly farkasExact: Rational[]; readonly exact: boolean; readonly method: string };

const toFloat = (q: Rational): number => Number(q.num) / Number(q.den);

export function svmFeasibility(cs: ConstraintSet, structure: SvmStructure, digits = DEFAULT_SVM_DIGITS): FeasibilityResult {
  const vectors = froVectors(cs, structure);
  const dim = structure === 'diag' ? cs.d : cs.d * cs.d;
  const index = structure === 'diag' ? cs.diag : cs.full;
  const entries = (lambda: readonly Rational[]): DualEntry[] =>
    index.map((c, k) => ({ i: c.i, t: c.t, lambda: decimalString(lambda[k]!, digits) })).filter((_, k) => lambda[k]!.num !== 0n);

  const lp: LP = {
    name: 'feasibility',
    objective: { direction: glpk.GLP_MIN, name: 'zero', vars: Array.from({ length: dim }, (_, j) => ({ name: `x${j}`, coef: 0 })) },
    subjectTo: vectors.map((row, k) => ({
      name: `r${k}`,
      vars: row.map((x, j) => ({ name: `x${j}`, coef: toFloat(x) })).filter((v) => v.coef !== 0),
      bnds: { type: glpk.GLP_LO, lb: 1, ub: 0 },
    })),
    bounds: Array.from({ length: dim }, (_, j) => ({ name: `x${j}`, type: glpk.GLP_FR, lb: 0, ub: 0 })),
  };
  const sol = solveGlpk(lp);
  if (sol.status === 'optimal' || sol.status === 'feasible') {
    const witness = Array.from({ length: dim }, (_, j) => qfromNumber(2 * (sol.vars[`x${j}`] ?? 0)));
    if (exactMargins(vectors, witness).every((h) => qcmp(h, Q1) >= 0)) {
      return { feasible: true, structure, witness, exact: true, method: 'glpk point ×2 rounded to rationals, margins ≥ 1 verified exactly' };
    }
  } else if (sol.status === 'infeasible') {
    const f = findFarkas(vectors, dim);
    if (f.kind === 'found') return { feasible: false, structure, farkas: entries(f.lambda), farkasExact: f.lambda, exact: true, method: 'Farkas LP in glpk, rebuilt and verified exactly' };
  }
  // exact fallback: the Frobenius active set decides feasibility exactly (optimum or a Farkas ray)
  const out = exactActiveSet(froIntegerRows(cs, structure), dim, gramOf(cs, structure));
  if (out.kind === 'optimal') {
    const witness = exactCombination(vectors, out.lambda, dim);
    const ok = exactMargins(vectors, witness).every((h) => qcmp(h, Q1) >= 0);
    return { feasible: true, structure, witness, exact: ok, method: 'exact Frobenius active set (fallback)' };
  }
  if (out.kind === 'infeasible') {
    return { feasible: false, structure, farkas: entries(out.farkas), farkasExact: out.farkas, exact: verifyFarkas(vectors, dim, out.farkas), method: 'exact Frobenius active set ray (fallback)' };
  }
  throw new Error(`A1(c) feasibility undecided: glpk status "${sol.status}", active set: ${out.reason}`);
}
