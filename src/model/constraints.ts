/**
 * Exact token scores, optimal tokens and constraints (SPEC.md §1–§2), in rational arithmetic so that
 * ties and Assumption 1 are decided exactly.
 */
import type { Dataset } from '../data/Dataset.js';
import { type Rational, qcmp, qdot, qmul, qsub } from '../numeric/rational.js';

/** γ_{i,t} = y_i hᵀx_{i,t}, exactly. */
export function tokenScores(data: Dataset): Rational[][] {
  return data.samples.map((s) => s.X.map((x) => {
    const g = qdot(data.head, x);
    return s.y === 1 ? g : qsub({ num: 0n, den: 1n }, g);
  }));
}

/** Indices of the tokens achieving the maximal score of each sample (length 1 when opt_i is unique). */
export function maximizers(scores: readonly (readonly Rational[])[]): number[][] {
  return scores.map((row) => {
    let best: number[] = [0];
    for (let t = 1; t < row.length; t++) {
      const c = qcmp(row[t]!, row[best[0]!]!);
      if (c > 0) best = [t];
      else if (c === 0) best.push(t);
    }
    return best;
  });
}

/** One constraint of the SVM: sample i, non-optimal token t. */
export interface ConstraintIndex {
  readonly i: number;
  readonly t: number;
}

/** Diagonal constraint a_{i,t} = (x_{i,opt} − x_{i,t}) ⊙ z_i ∈ Q^d, so h_{i,t}(diag w) = ⟨a_{i,t}, w⟩. */
export interface DiagConstraint extends ConstraintIndex {
  readonly a: readonly Rational[];
}

/** Full constraint A_{i,t} = (x_{i,opt} − x_{i,t}) z_iᵀ ∈ Q^{d×d}, stored as its two factors. */
export interface FullConstraint extends ConstraintIndex {
  /** x_{i,opt} − x_{i,t} */
  readonly left: readonly Rational[];
  /** z_i */
  readonly right: readonly Rational[];
}

/**
 * The constraint set of SPEC.md §2 given the optimal token of each sample
 * (m = Σ_i (T_i − 1) constraints, ordered by i then t).
 */
export interface ConstraintSet {
  readonly d: number;
  readonly n: number;
  readonly opt: readonly number[];
  readonly diag: readonly DiagConstraint[];
  readonly full: readonly FullConstraint[];
}

export function buildConstraints(data: Dataset, opt: readonly number[]): ConstraintSet {
  const diag: DiagConstraint[] = [];
  const full: FullConstraint[] = [];
  data.samples.forEach((s, i) => {
    const o = opt[i]!;
    const xo = s.X[o]!;
    s.X.forEach((x, t) => {
      if (t === o) return;
      const left = xo.map((v, j) => qsub(v, x[j]!));
      diag.push({ i, t, a: left.map((v, j) => qmul(v, s.z[j]!)) });
      full.push({ i, t, left, right: s.z });
    });
  });
  return { d: data.d, n: data.samples.length, opt, diag, full };
}

/** The dense d×d matrix of a full constraint. */
export function fullMatrix(c: FullConstraint): Rational[][] {
  return c.left.map((l) => c.right.map((r) => qmul(l, r)));
}
