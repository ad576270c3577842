/**
 * The numeric form of a dataset in one backend (SPEC.md §1–§2): constraint vectors, scores and
 * score gaps Δ_{i,t} converted once from the exact rationals, grouped by sample.
 * Constraint k runs over (i, t ≠ opt_i) in the order of `ConstraintSet.diag`.
 */
import type { Dataset } from '../data/Dataset.js';
import type { Field } from '../numeric/Field.js';
import { qsub } from '../numeric/rational.js';
import { optimalTokens } from './assumptions.js';
import { type ConstraintSet, buildConstraints, tokenScores } from './constraints.js';
import type { LossKind } from './loss.js';

export interface SampleBlock<S> {
  /** first constraint index of this sample */
  readonly start: number;
  /** number of constraints = T_i − 1 */
  readonly count: number;
  readonly opt: number;
  /** γ_{i,opt} */
  readonly scoreOpt: S;
}

export interface AttentionProblem<S> {
  readonly F: Field<S>;
  readonly loss: LossKind;
  readonly n: number;
  readonly d: number;
  readonly constraints: ConstraintSet;
  readonly samples: readonly SampleBlock<S>[];
  /** a_{i,t} = (x_opt − x_t) ⊙ z_i, per constraint */
  readonly a: readonly (readonly S[])[];
  /** x_opt − x_t and z_i, per constraint (A_{i,t} = left · rightᵀ) */
  readonly left: readonly (readonly S[])[];
  readonly right: readonly (readonly S[])[];
  /** Δ_{i,t} = γ_opt − γ_t > 0 and its log, per constraint */
  readonly delta: readonly S[];
  readonly logDelta: readonly S[];
  /** γ_{i,t}, per constraint (non-optimal token t) */
  readonly score: readonly S[];
  /** log n */
  readonly logN: S;
}

/** Build the numeric problem. Throws TiedOptimalTokenError when A1(a) fails. */
export function attentionProblem<S>(F: Field<S>, data: Dataset, loss: LossKind = 'exp'): AttentionProblem<S> {
  const opt = optimalTokens(data);
  const cs = buildConstraints(data, opt);
  const scores = tokenScores(data);
  const samples: SampleBlock<S>[] = [];
  let start = 0;
  data.samples.forEach((s, i) => {
    const count = s.X.length - 1;
    samples.push({ start, count, opt: opt[i]!, scoreOpt: F.fromRational(scores[i]![opt[i]!]!) });
    start += count;
  });
  const deltaQ = cs.diag.map((c) => qsub(scores[c.i]![opt[c.i]!]!, scores[c.i]![c.t]!));
  const delta = deltaQ.map((q) => F.fromRational(q));
  return {
    F,
    loss,
    n: data.samples.length,
    d: data.d,
    constraints: cs,
    samples,
    a: cs.diag.map((c) => c.a.map((q) => F.fromRational(q))),
    left: cs.full.map((c) => c.left.map((q) => F.fromRational(q))),
    right: cs.full.map((c) => c.right.map((q) => F.fromRational(q))),
    delta,
    logDelta: delta.map((x) => F.log(x)),
    score: cs.diag.map((c) => F.fromRational(scores[c.i]![c.t]!)),
    logN: F.log(F.of(data.samples.length)),
  };
}
