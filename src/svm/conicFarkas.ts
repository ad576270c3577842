/**
 * Feasibility of the SVM constraints (SPEC.md §3 (c), §5) by a Farkas LP, solved with glpk.js and
 * verified in exact rationals.
 *
 * {w : ⟨a_k, w⟩ ≥ 1 ∀k} is empty  ⇔  ∃ λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0 (Farkas' lemma). The LP
 * finds such a λ or proves there is none. glpk works in doubles, so a λ it returns is re-derived exactly:
 * on its support the system [a_kᵀ; 1] λ = [0; 1] is solved in Q and the certificate is accepted only if the
 * exact solution is ≥ 0 and satisfies every equation.
 */
import { type Rational, qtoString } from '../numeric/rational.js';
import { findFarkas, verifyFarkas as verifyFarkasExact } from './farkas.js';
import type { SvmResult } from './SvmResult.js';
import { decimalField } from '../numeric/decimal.js';
import { float64Field } from '../numeric/float64.js';

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

/**
 * Decide whether the rows a_k (m × N, exact) admit w with ⟨a_k, w⟩ ≥ 1 for all k — the shared Farkas
 * search of farkas.ts (one glpk instance, one exact rebuild), in the shape the conic solvers use.
 */
export function farkasCheck(rows: readonly (readonly Rational[])[]): FarkasResult {
  if (rows.length === 0) return { infeasible: false, exact: true, notes: ['no constraints'] };
  const f = findFarkas(rows, rows[0]!.length);
  switch (f.kind) {
    case 'none': return { infeasible: false, exact: false, notes: [f.note] };
    case 'found': return { infeasible: true, lambdaApprox: f.lambda.map((q) => Number(q.num) / Number(q.den)), lambdaExact: f.lambda, exact: true, notes: ['Farkas certificate verified exactly in rationals'] };
    case 'float-only': return { infeasible: true, lambdaApprox: f.lambdaFloat, exact: false, notes: [f.note] };
  }
}

/** λ ≥ 0, Σλ = 1, Σ λ_k a_k = 0, exactly. */
export function verifyFarkas(rows: readonly (readonly Rational[])[], lambda: readonly Rational[]): boolean {
  return verifyFarkasExact(rows, rows.length === 0 ? 0 : rows[0]!.length, lambda);
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

/** The SvmResult of the conic solvers (lp, nuclear) when the constraints are infeasible. */
export function infeasibleConicResult(
  base: Pick<SvmResult, 'norm' | 'structure' | 'opt_tokens'> & { p?: number },
  labels: readonly { i: number; t: number }[],
  farkas: FarkasResult,
  digits: number | undefined,
): SvmResult & { farkas_rational?: string[] } {
  const F = digits === undefined ? null : decimalField(digits);
  const toDecimal = (x: Rational): string => (F === null ? String(float64Field.fromRational(x)) : F.toString(F.fromRational(x)));
  return {
    ...base, status: 'infeasible', unique: null,
    ...farkasFields(toDecimal, labels, farkas),
    ...(digits !== undefined ? { digits } : {}),
    notes: farkas.notes,
  };
}
