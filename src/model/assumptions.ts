/**
 * Assumption 1 (a) and (b) of SPEC.md §3, decided exactly on the rational data. Part (c) is the LP
 * feasibility of the SVM and lives in the svm layer (`checkFeasibility`).
 */
import type { Dataset } from '../data/Dataset.js';
import { type Rational, qcmp, qtoString } from '../numeric/rational.js';
import { maximizers, tokenScores } from './constraints.js';

export interface SampleAssumptionCheck {
  readonly i: number;
  /** γ_{i,t} as exact rational strings */
  readonly scores: readonly string[];
  /** argmax tokens; length 1 when opt_i is unique */
  readonly maximizers: readonly number[];
  /** A1(a): the optimal token is unique */
  readonly a: boolean;
  /** A1(b): all non-optimal tokens have the same score (only meaningful when a holds) */
  readonly b: boolean;
  /** the user's claimed opt, when given, and whether it is right */
  readonly claimedOpt?: number;
  readonly claimedOptCorrect?: boolean;
}

export interface AssumptionABReport {
  readonly a: boolean;
  readonly b: boolean;
  /** opt_i when A1(a) holds for every sample, else null */
  readonly opt: readonly number[] | null;
  readonly samples: readonly SampleAssumptionCheck[];
}

function allEqual(xs: readonly Rational[]): boolean {
  return xs.every((x) => qcmp(x, xs[0]!) === 0);
}

export function checkAssumptionAB(data: Dataset): AssumptionABReport {
  const scores = tokenScores(data);
  const maxes = maximizers(scores);
  const samples = data.samples.map((s, i): SampleAssumptionCheck => {
    const row = scores[i]!;
    const mx = maxes[i]!;
    const a = mx.length === 1;
    const others = row.filter((_, t) => t !== mx[0]);
    const b = a && allEqual(others);
    return {
      i,
      scores: row.map(qtoString),
      maximizers: mx,
      a,
      b,
      ...(s.claimedOpt !== undefined ? { claimedOpt: s.claimedOpt, claimedOptCorrect: a && mx[0] === s.claimedOpt } : {}),
    };
  });
  const a = samples.every((s) => s.a);
  return { a, b: a && samples.every((s) => s.b), opt: a ? samples.map((s) => s.maximizers[0]!) : null, samples };
}

/** The optimal tokens, or an error naming the tied samples (A1(a) fails: the theorems do not apply). */
export class TiedOptimalTokenError extends Error {
  constructor(readonly ties: readonly { i: number; tokens: readonly number[] }[]) {
    super(`Assumption 1(a) fails: tied optimal tokens in ${ties.map((s) => `samples[${s.i}] (tokens ${s.tokens.join(', ')})`).join('; ')}`);
    this.name = 'TiedOptimalTokenError';
  }
}

export function optimalTokens(data: Dataset): number[] {
  const maxes = maximizers(tokenScores(data));
  const tied = maxes.map((m, i) => ({ i, tokens: m })).filter((x) => x.tokens.length > 1);
  if (tied.length > 0) throw new TiedOptimalTokenError(tied);
  return maxes.map((m) => m[0]!);
}
