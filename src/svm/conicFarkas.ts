/**
 * Feasibility of the SVM constraints (SPEC.md §3 (c), §5) by a Farkas LP, solved with glpk.js and
 * verified in exact rationals.
 *
 * {w : ⟨a_k, w⟩ ≥ 1 ∀k} is empty  ⇔  ∃ λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0 (Farkas' lemma). The LP
 * finds such a λ or proves there is none. glpk works in doubles, so a λ it returns is re-derived exactly:
 * on its support the system [a_kᵀ; 1] λ = [0; 1] is solved in Q and the certificate is accepted only if the
 * exact solution is ≥ 0 and satisfies every equation.
 */
import GLPK from 'glpk.js/node';
import { type Rational, Q0, Q1, qadd, qcmp, qeq, qisZero, qmul, qsign, qtoNumber, qtoString } from '../numeric/rational.js';
import { solveRational } from './conicRational.js';

/** The glpk instance (WASM, loaded once; `solve` is synchronous). */
export const glpk = await GLPK();

export interface FarkasResult {
  /** true: no feasible point exists (a Farkas λ was found). */
  readonly infeasible: boolean;
  /** λ as doubles from glpk (length m), when infeasible. */
  readonly lambdaApprox?: number[];
  /** λ exactly, when the exact re-derivation succeeded. */
  readonly lambdaExact?: Rational[];
  readonly exact: boolean;
  readonly notes: string[];
}

/** Decide whether the rows a_k (m × N, exact) admit w with ⟨a_k, w⟩ ≥ 1 for all k. */
export function farkasCheck(rows: readonly (readonly Rational[])[]): FarkasResult {
  const m = rows.length;
  const N = m === 0 ? 0 : rows[0]!.length;
  if (m === 0) return { infeasible: false, exact: true, notes: ['no constraints'] };
  const name = (k: number): string => `l${k}`;
  const subjectTo = [] as { name: string; vars: { name: string; coef: number }[]; bnds: { type: number; ub: number; lb: number } }[];
  for (let j = 0; j < N; j++) {
    const vars = [] as { name: string; coef: number }[];
    for (let k = 0; k < m; k++) {
      const a = rows[k]![j]!;
      if (!qisZero(a)) vars.push({ name: name(k), coef: qtoNumber(a) });
    }
    if (vars.length > 0) subjectTo.push({ name: `c${j}`, vars, bnds: { type: glpk.GLP_FX, lb: 0, ub: 0 } });
  }
  subjectTo.push({
    name: 'sum',
    vars: Array.from({ length: m }, (_, k) => ({ name: name(k), coef: 1 })),
    bnds: { type: glpk.GLP_FX, lb: 1, ub: 1 },
  });
  const res = glpk.solve({
    name: 'farkas',
    objective: { direction: glpk.GLP_MIN, name: 'zero', vars: Array.from({ length: m }, (_, k) => ({ name: name(k), coef: 0 })) },
    subjectTo,
    bounds: Array.from({ length: m }, (_, k) => ({ name: name(k), type: glpk.GLP_LO, lb: 0, ub: 0 })),
  }, { msglev: glpk.GLP_MSG_OFF, presol: false });
  const status = res.result.status;
  if (status === glpk.GLP_NOFEAS) {
    return { infeasible: false, exact: false, notes: ['glpk: Farkas LP has no solution, so the SVM constraints are feasible (confirmed by the solution found)'] };
  }
  if (status !== glpk.GLP_OPT && status !== glpk.GLP_FEAS) {
    throw new Error(`farkasCheck: glpk returned status ${status}`);
  }
  const approx = Array.from({ length: m }, (_, k) => res.result.vars[name(k)] ?? 0);
  const exactLambda = exactFarkas(rows, approx);
  if (exactLambda) {
    return { infeasible: true, lambdaApprox: approx, lambdaExact: exactLambda, exact: true, notes: ['Farkas certificate verified exactly in rationals'] };
  }
  return { infeasible: true, lambdaApprox: approx, exact: false, notes: ['glpk found a Farkas certificate in doubles; exact re-derivation failed'] };
}

/** Re-derive λ exactly on the support of the glpk solution and verify it. */
function exactFarkas(rows: readonly (readonly Rational[])[], approx: readonly number[]): Rational[] | null {
  const m = rows.length;
  const N = rows[0]!.length;
  const maxL = Math.max(...approx);
  for (const cut of [1e-9, 1e-12, 1e-6, 0]) {
    const support = approx.map((v, k) => (v > cut * maxL ? k : -1)).filter((k) => k >= 0);
    if (support.length === 0) continue;
    const B: Rational[][] = [];
    const c: Rational[] = [];
    for (let j = 0; j < N; j++) { B.push(support.map((k) => rows[k]![j]!)); c.push(Q0); }
    B.push(support.map(() => Q1)); c.push(Q1);
    const x = solveRational(B, c);
    if (!x) continue;
    const lambda: Rational[] = Array.from({ length: m }, () => Q0);
    support.forEach((k, s) => { lambda[k] = x[s]!; });
    if (verifyFarkas(rows, lambda)) return lambda;
  }
  return null;
}

/** λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0, exactly. */
export function verifyFarkas(rows: readonly (readonly Rational[])[], lambda: readonly Rational[]): boolean {
  if (lambda.some((l) => qsign(l) < 0)) return false;
  let s = Q0;
  for (const l of lambda) s = qadd(s, l);
  if (!qeq(s, Q1)) return false;
  const N = rows.length === 0 ? 0 : rows[0]!.length;
  for (let j = 0; j < N; j++) {
    let t = Q0;
    rows.forEach((r, k) => { if (!qisZero(lambda[k]!)) t = qadd(t, qmul(lambda[k]!, r[j]!)); });
    if (qcmp(t, Q0) !== 0) return false;
  }
  return true;
}

/**
 * The Farkas fields of an infeasible SvmResult: `farkas` (decimal strings at the working precision, as
 * CONTRACT.md asks), `farkas_exact`, and — an added field — `farkas_rational`: the exact λ as "p/q"
 * strings (readable by qparse), so that Σλ = 1 and Σ λ a = 0 can be re-checked exactly by any reader.
 */
export function farkasFields(
  toDecimal: (q: Rational) => string, labels: readonly { i: number; t: number }[], farkas: FarkasResult,
): { farkas: { i: number; t: number; lambda: string }[]; farkas_exact: boolean; farkas_rational?: string[] } {
  const exact = farkas.lambdaExact;
  return {
    farkas: labels.map((l, k) => ({ i: l.i, t: l.t, lambda: exact ? toDecimal(exact[k]!) : String(farkas.lambdaApprox![k]!) })),
    farkas_exact: farkas.exact,
    ...(exact ? { farkas_rational: exact.map(qtoString) } : {}),
  };
}
