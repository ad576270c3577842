/**
 * Exact verification of an ℓ1-SVM optimality certificate (SPEC.md §5), independent of how (w, λ) were
 * found: Aw ≥ 1; λ ≥ 0; |Aᵀλ|_j ≤ 1 for all j and = sign(w_j) where w_j ≠ 0; complementary slackness
 * λ_k(⟨a_k,w⟩ − 1) = 0; and 1ᵀλ = ‖w‖₁ (zero duality gap). All in rational arithmetic.
 */
import { type Rational, Q0, Q1, rat, qadd, qsub, qabs, qsign, qcmp, qmax, qneg } from '../numeric/rational.js';
import { toIntegerVector, integerRows, type IntegerRows } from './exactLinalg.js';

export interface L1CertificateCheck {
  readonly primalFeasible: boolean;
  readonly dualNonnegative: boolean;
  readonly dualFeasible: boolean;
  readonly subgradient: boolean;
  readonly complementarySlackness: boolean;
  readonly zeroGap: boolean;
  /** all of the above */
  readonly exact: boolean;
  /** max_k max(0, 1 − ⟨a_k,w⟩) */
  readonly primalInfeasibility: Rational;
  /** max(0, ‖Aᵀλ‖_∞ − 1) + max_k max(0, −λ_k) */
  readonly dualInfeasibility: Rational;
  /** ‖w‖₁ − 1ᵀλ */
  readonly gap: Rational;
  readonly l1norm: Rational;
  /** ξ = Aᵀλ */
  readonly xi: Rational[];
  /** margins ⟨a_k, w⟩ */
  readonly margins: Rational[];
}

/** Margins ⟨a_k, w⟩ for every row, exactly (integer arithmetic over a common denominator). */
export function exactMargins(a: readonly (readonly Rational[])[], w: readonly Rational[]): Rational[] {
  return marginsInt(integerRows(a), w);
}

/** Margins of integer-scaled rows. */
export function marginsInt(rows: IntegerRows, w: readonly Rational[]): Rational[] {
  const wi = toIntegerVector(w);
  const nz: number[] = [];
  wi.ints.forEach((x, j) => { if (x !== 0n) nz.push(j); });
  return rows.ints.map((ri, k) => {
    let s = 0n;
    for (const j of nz) { const r = ri[j]!; if (r !== 0n) s += r * wi.ints[j]!; }
    return rat(s, rows.scale[k]! * wi.scale);
  });
}

/** Σ_k λ_k a_k exactly. */
export function exactCombination(a: readonly (readonly Rational[])[], lambda: readonly Rational[], d: number): Rational[] {
  return combinationInt(integerRows(a), lambda, d);
}

/** Σ_k λ_k a_k for integer-scaled rows. */
export function combinationInt(rows: IntegerRows, lambda: readonly Rational[], d: number): Rational[] {
  const terms: { coef: bigint; row: readonly bigint[]; den: bigint }[] = [];
  let D = 1n;
  lambda.forEach((l, k) => {
    if (l.num === 0n) return;
    terms.push({ coef: l.num, row: rows.ints[k]!, den: l.den * rows.scale[k]! });
  });
  for (const t of terms) D = lcmBig(D, t.den);
  const acc = new Array<bigint>(d).fill(0n);
  for (const t of terms) {
    const f = t.coef * (D / t.den);
    for (let j = 0; j < d; j++) if (t.row[j] !== 0n) acc[j] = acc[j]! + f * t.row[j]!;
  }
  return acc.map((x) => rat(x, D));
}

function lcmBig(a: bigint, b: bigint): bigint {
  let x = a, y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

export function verifyL1Certificate(a: readonly (readonly Rational[])[], d: number, w: readonly Rational[], lambda: readonly Rational[]): L1CertificateCheck {
  const margins = exactMargins(a, w);
  const xi = exactCombination(a, lambda, d);
  let primalInf = Q0;
  let cs = true;
  margins.forEach((h, k) => {
    const slack = qsub(h, Q1);
    if (qsign(slack) < 0) primalInf = qmax(primalInf, qneg(slack));
    if (qsign(slack) !== 0 && lambda[k]!.num !== 0n) cs = false;
  });
  let negLambda = Q0;
  let lambdaSum = Q0;
  for (const l of lambda) {
    if (qsign(l) < 0) negLambda = qmax(negLambda, qneg(l));
    lambdaSum = qadd(lambdaSum, l);
  }
  let xiExcess = Q0;
  let subgradient = true;
  xi.forEach((x, j) => {
    const over = qsub(qabs(x), Q1);
    if (qsign(over) > 0) xiExcess = qmax(xiExcess, over);
    const s = qsign(w[j]!);
    if (s !== 0 && qcmp(x, rat(s)) !== 0) subgradient = false;
  });
  let l1norm = Q0;
  for (const x of w) l1norm = qadd(l1norm, qabs(x));
  const gap = qsub(l1norm, lambdaSum);
  const primalFeasible = qsign(primalInf) === 0;
  const dualNonnegative = qsign(negLambda) === 0;
  const dualFeasible = qsign(xiExcess) === 0;
  const zeroGap = qsign(gap) === 0;
  return {
    primalFeasible, dualNonnegative, dualFeasible, subgradient, complementarySlackness: cs, zeroGap,
    exact: primalFeasible && dualNonnegative && dualFeasible && subgradient && cs && zeroGap,
    primalInfeasibility: primalInf,
    dualInfeasibility: qadd(xiExcess, negLambda),
    gap, l1norm, xi, margins,
  };
}
