/**
 * Farkas certificates of infeasibility of {x : ⟨a_k, x⟩ ≥ 1 ∀k} (SPEC.md §3, Assumption 1(c)):
 * λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0. Found by an LP in glpk (float64), then rebuilt exactly on the support
 * glpk reports and verified in rationals. The vectors a_k are the diagonal constraints a_{i,t} ∈ Q^d or
 * the flattened full constraints vec(A_{i,t}) ∈ Q^{d²}.
 */
import { type Rational, Q0, Q1, qadd, qsign, qeq } from '../numeric/rational.js';
import { solveGlpk, glpk, type LP } from './glpk.js';
import { solveRationalConsistent } from './exactLinalg.js';
import { exactCombination } from './l1Certificate.js';

/** Exact check: λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0. */
export function verifyFarkas(a: readonly (readonly Rational[])[], dim: number, lambda: readonly Rational[]): boolean {
  if (lambda.length !== a.length) return false;
  if (lambda.some((l) => qsign(l) < 0)) return false;
  let s = Q0;
  for (const l of lambda) s = qadd(s, l);
  if (!qeq(s, Q1)) return false;
  return exactCombination(a, lambda, dim).every((x) => x.num === 0n);
}

export type FarkasSearch =
  | { kind: 'found'; lambda: Rational[]; exact: true }
  | { kind: 'float-only'; lambdaFloat: number[]; exact: false; note: string }
  | { kind: 'none'; note: string };

/**
 * Look for a Farkas certificate with glpk. `none` means glpk found the alternative system infeasible,
 * i.e. (by Farkas' lemma) the constraints are feasible.
 */
export function findFarkas(a: readonly (readonly Rational[])[], dim: number): FarkasSearch {
  const m = a.length;
  const af = a.map((row) => row.map((x) => Number(x.num) / Number(x.den)));
  const name = (k: number): string => `l${k}`;
  const subjectTo: LP['subjectTo'] = [];
  for (let j = 0; j < dim; j++) {
    const vars: { name: string; coef: number }[] = [];
    for (let k = 0; k < m; k++) if (af[k]![j] !== 0) vars.push({ name: name(k), coef: af[k]![j]! });
    if (vars.length > 0) subjectTo.push({ name: `c${j}`, vars, bnds: { type: glpk.GLP_FX, lb: 0, ub: 0 } });
  }
  subjectTo.push({ name: 'sum', vars: a.map((_, k) => ({ name: name(k), coef: 1 })), bnds: { type: glpk.GLP_FX, lb: 1, ub: 1 } });
  const lp: LP = {
    name: 'farkas',
    objective: { direction: glpk.GLP_MIN, name: 'zero', vars: a.map((_, k) => ({ name: name(k), coef: 0 })) },
    subjectTo,
    bounds: a.map((_, k) => ({ name: name(k), type: glpk.GLP_LO, lb: 0, ub: 0 })),
  };
  const sol = solveGlpk(lp);
  if (sol.status === 'infeasible') return { kind: 'none', note: 'glpk: the Farkas system has no solution' };
  if (sol.status !== 'optimal' && sol.status !== 'feasible') return { kind: 'none', note: `glpk status "${sol.status}" on the Farkas LP` };
  const lf = a.map((_, k) => sol.vars[name(k)] ?? 0);
  const exact = rebuildFarkas(a, dim, lf);
  if (exact) return { kind: 'found', lambda: exact, exact: true };
  return { kind: 'float-only', lambdaFloat: lf, exact: false, note: 'glpk Farkas vector could not be rebuilt exactly' };
}

/** Solve the Farkas equations exactly on the support glpk reports (then on shrinking tolerances). */
function rebuildFarkas(a: readonly (readonly Rational[])[], dim: number, lf: readonly number[]): Rational[] | null {
  const maxL = Math.max(...lf);
  for (const rel of [1e-9, 1e-12, 1e-6, 0]) {
    const P = lf.map((v, k) => (v > rel * maxL ? k : -1)).filter((k) => k >= 0);
    if (P.length === 0) continue;
    // rows: Σ_{k∈P} λ_k a_{k,j} = 0 for all j, Σ λ_k = 1
    const M: Rational[][] = [];
    const b: Rational[] = [];
    for (let j = 0; j < dim; j++) {
      const row = P.map((k) => a[k]![j]!);
      if (row.some((x) => x.num !== 0n)) { M.push(row); b.push(Q0); }
    }
    M.push(P.map(() => Q1));
    b.push(Q1);
    const x = solveRationalConsistent(M, b);
    if (!x) continue;
    const lambda = new Array<Rational>(a.length).fill(Q0);
    P.forEach((k, r) => { lambda[k] = x[r]!; });
    if (verifyFarkas(a, dim, lambda)) return lambda;
  }
  return null;
}
