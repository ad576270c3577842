/**
 * Claims of SPEC.md §7 as data: each names the assumptions it needs, the runs it makes, the thresholds it
 * uses, and turns the measurements into a verdict. Verdicts (SPEC.md §7):
 *   consistent   — the assumptions hold and the measured run agrees with the predicted limit
 *   refuted      — the assumptions hold and the run converged somewhere else (or an identity failed)
 *   inconclusive — an assumption or hypothesis fails (named), or the budget ran out before convergence
 * Separately, `conclusion` records whether the conclusion itself held on the run, whatever the
 * assumptions: the counterexample search looks for runs where an assumption is dropped and it fails.
 */
import type { Dataset } from '../data/Dataset.js';
import type { Backend } from '../flows/follow.js';
import type { LossKind } from '../model/loss.js';
import type { DiagInit, FullInit } from '../flows/init.js';

export type ClaimId = 'A.T1' | 'A.EQ' | 'A.INV' | 'D.FRO' | 'B.SPARSE' | 'X.LOGISTIC';
export type Verdict = 'consistent' | 'refuted' | 'inconclusive';

export type AssumptionName = 'A1(a)' | 'A1(b)' | 'A1(c)' | 'A1(c) full' | 'non-degenerate init' | 'L → L*';

export interface AssumptionStatus {
  readonly name: AssumptionName;
  /** null: not decidable on this input (e.g. A1(c) when A1(a) fails) */
  readonly holds: boolean | null;
  readonly detail: string;
}

/** How a claim's runs are made (CLI flags of `verify`). */
export interface ClaimRunOptions {
  readonly backend?: Backend;
  readonly digits?: number;
  readonly alpha?: string;
  readonly diagInit?: DiagInit;
  readonly fullInit?: FullInit;
  readonly loss?: LossKind;
  readonly untilRho?: number;
  readonly untilGap?: number;
  readonly maxSeconds?: number;
  readonly checkpoints?: number;
}

export interface ClaimRunRecord {
  readonly label: string;
  readonly param: string;
  readonly status: string;
  readonly reason: string;
  readonly seconds: number;
  readonly steps: number;
  readonly switchedAtRho: number | null;
  readonly checkpoints: readonly Record<string, unknown>[];
}

/**
 * Are the paper's cumulative dual variables λ(t) = Λ(t)/‖r(t)‖∞ (SPEC.md §6) in the dual cone λ ≥ 0?
 * Under A1(b) every c_{i,t} > 0, so Λ ≥ 0 at every time; without it Λ_{i,t} can tend to a negative limit.
 */
export interface DualConeStatus {
  /** false: the final λ_raw has an entry below −tol; true: λ_raw ≥ −tol at the end; null: no Λ */
  readonly in_cone: boolean | null;
  /** the minimal entry of the unclipped λ_raw = Λ/‖AᵀΛ‖° at the final checkpoint */
  readonly min_lambda: number | null;
  /** the constraint of that entry */
  readonly constraint: { readonly i: number; readonly t: number } | null;
  /** its unnormalized Λ at the final checkpoint and at the previous one (is it converging?) */
  readonly Lambda_final: number | null;
  readonly Lambda_previous: number | null;
  readonly detail: string;
}

export interface ClaimOutcome {
  readonly claim: ClaimId;
  readonly statement: string;
  readonly verdict: Verdict;
  readonly reason: string;
  /** did the conclusion hold on the run (independently of the assumptions); null = undetermined */
  readonly conclusion: boolean | null;
  readonly assumptions: readonly AssumptionStatus[];
  readonly thresholds: Readonly<Record<string, number>>;
  /** the SVM the runs are compared with (CONTRACT.md svm JSON), when any */
  readonly svm: Record<string, unknown> | null;
  readonly runs: readonly ClaimRunRecord[];
  /** samples whose attention collapsed onto a non-optimal token (stall) */
  readonly stalledSamples?: readonly number[];
  /** measured rates (gap against 1/ln t etc.) */
  readonly rates?: Readonly<Record<string, { slope: number; stderr: number; against: string }>>;
  /** A.T1: the sign of the unclipped cumulative duals (ε, δ and the bracket use λ clipped to λ ≥ 0) */
  readonly duals?: DualConeStatus;
}

export interface ClaimSpec {
  readonly id: ClaimId;
  readonly statement: string;
  readonly assumptions: readonly AssumptionName[];
  readonly thresholds: Readonly<Record<string, number>>;
  check(data: Dataset, options: ClaimRunOptions): ClaimOutcome;
}

/** The verdict from the assumptions and the conclusion. */
export function verdictOf(assumptions: readonly AssumptionStatus[], conclusion: boolean | null, why: { holds: string; fails: string; open: string }): { verdict: Verdict; reason: string } {
  const failing = assumptions.filter((a) => a.holds === false);
  const undecided = assumptions.filter((a) => a.holds === null);
  const what = conclusion === true ? `the conclusion held anyway (${why.holds})` : conclusion === false ? `the conclusion failed (${why.fails})` : `the conclusion is undetermined (${why.open})`;
  if (failing.length > 0) return { verdict: 'inconclusive', reason: `assumption ${failing.map((a) => `${a.name} fails: ${a.detail}`).join('; ')} — the claim does not apply; ${what}` };
  if (undecided.length > 0) return { verdict: 'inconclusive', reason: `assumption ${undecided.map((a) => `${a.name} undecided: ${a.detail}`).join('; ')}; ${what}` };
  if (conclusion === true) return { verdict: 'consistent', reason: why.holds };
  if (conclusion === false) return { verdict: 'refuted', reason: why.fails };
  return { verdict: 'inconclusive', reason: why.open };
}
