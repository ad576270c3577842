/**
 * Symbolic form of the loss for small instances, for nerdamer (SPEC.md §1). nerdamer mis-parses
 * softmax-shaped quotients (exp(a)/(exp(a)+exp(b)) comes out as (e^a+e^b)^(a-1)), so every attention
 * weight is written as s_t = 1/(1 + Σ_{k≠t} exp(l_k − l_t)), a form it handles. A second defect: when it
 * differentiates log(1 + exp(f(w))) it replaces e by the rational 325368125/119696244 (relative error
 * ~5e-5 in the result). So every exponential is written ee^(x) with a free symbol `ee`, substituted by
 * e (EULER) only when evaluating; d/dx ee^x = ee^x·log(ee) then stays exact. Callers must still check each
 * symbolic expression numerically at random points before trusting it (see properties/model/symbolic).
 */

/** The symbol standing for the base of the natural exponential, and its value to 50 digits. */
export const EXP_BASE = 'ee';
export const EULER = '2.7182818284590452353602874713526624977572470937000';
import type { Dataset } from '../data/Dataset.js';
import { type Rational, qdot, qmul, qtoString } from '../numeric/rational.js';
import { tokenScores } from './constraints.js';
import type { LossKind } from './loss.js';

const lit = (q: Rational): string => `(${qtoString(q)})`;

/** Variable names of diagonal W: w1 … wd. */
export const diagVariable = (j: number): string => `w${j + 1}`;

/** Logit l_{i,t} = Σ_j x_{i,t,j} z_{i,j} w_j as an expression in w1 … wd. */
function logitExpression(x: readonly Rational[], z: readonly Rational[]): string {
  const terms = x.map((xj, j) => ({ c: qmul(xj, z[j]!), v: diagVariable(j) })).filter((t) => t.c.num !== 0n);
  return terms.length === 0 ? '0' : terms.map((t) => `${lit(t.c)}*${t.v}`).join('+');
}

/** L(w) for W = diag(w), as a nerdamer-safe string. */
export function lossExpressionDiag(data: Dataset, loss: LossKind): string {
  const scores = tokenScores(data);
  const perSample = data.samples.map((s, i) => {
    const logits = s.X.map((x) => logitExpression(x, s.z));
    const weights = logits.map((lt, t) => {
      const others = logits.filter((_, k) => k !== t).map((lk) => `${EXP_BASE}^((${lk})-(${lt}))`);
      return `1/(1+${others.join('+')})`;
    });
    const mean = weights.map((wt, t) => `${lit(scores[i]![t]!)}*(${wt})`).join('+');
    return loss === 'exp' ? `${EXP_BASE}^(-(${mean}))` : `log(1+${EXP_BASE}^(-(${mean})))`;
  });
  return `(${perSample.join('+')})/${data.samples.length}`;
}

/** For callers that want the data-free check h·x: γ as an exact string. */
export function scoreExpression(head: readonly Rational[], x: readonly Rational[]): string {
  return lit(qdot(head, x));
}
