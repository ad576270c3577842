/**
 * The counterexample search of SPEC.md §7: for each dropped assumption, a fast-check property that should
 * fail; the shrunk counterexample is re-run and stored as `attnbias/counterexample@1` JSON in
 * proofs-data/counterexamples/ (schema: proofs-data/schemas/counterexample@1.md). Where a search finds
 * none within its budget, an `attnbias/counterexample-search@1` NOT-FOUND record is written instead.
 *
 * Searches (key = claim + dropped assumption):
 *   A.T1 / A1(b)                 unequal non-optimal scores; property: conclusion !== false
 *   A.T1 / A1(b) duals           unequal non-optimal scores; property: at the end of a run in the limit regime
 *                                the paper's duals are dual-feasible, Λ_{i,t}(t) ≥ 0 (refutes: 'duals' —
 *                                the dual certificate, not the limit direction)
 *   A.T1 / non-degenerate init   balanced k₀_j = q₀_j (κ_j = 0) on some coordinates; property: conclusion !== false
 *   X.GLOBAL / L → L*            A1 holds, default init; property: the hypothesis L → L* is not refuted
 *                                (no stalled sample): a counterexample is a stall (A1 does not imply L → L*)
 *
 * Script: node dist/src/claims/counterexample.js --claim A.T1 --drop 'A1(b)' --seed 7 [--runs 20]
 *         [--time-limit 240] [--until-rho 20] [--max-seconds 8] [--out proofs-data/counterexamples]
 *         node dist/src/claims/counterexample.js --confirm FILE [--until-rho 25] [--max-seconds 600] [--backend auto]
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dataset } from '../data/Dataset.js';
import { datasetToJson } from '../data/serialize.js';
import { validateDataset } from '../data/parse.js';
import { GENERATOR_VERSION } from '../data/generate.js';
import { type DiagInit, describeDiagInit } from '../flows/init.js';
import { qparse, type Rational } from '../numeric/rational.js';
import type { ClaimOutcome, ClaimRunOptions, DualConeStatus } from './Claim.js';
import { AT1_THRESHOLDS } from './at1.js';
import { CLAIMS } from './registry.js';
import { type Segment, follow } from '../flows/follow.js';
import { solve } from '../ode/solve.js';
import { buildConstraints, maximizers, tokenScores } from '../model/constraints.js';
import { arbA1, arbA1bViolated, arbBalancedCase, balancedCaseInit, SMALL_SEARCH_SHAPE, type SearchShape } from './counterexampleArbitraries.js';

export const COUNTEREXAMPLE_FORMAT = 'attnbias/counterexample@1';
export const SEARCH_RECORD_FORMAT = 'attnbias/counterexample-search@1';

export type SearchKey = 'A.T1/A1(b)' | 'A.T1/A1(b) duals' | 'A.T1/non-degenerate init' | 'X.GLOBAL/L → L*';
/**
 * What a stored counterexample refutes: the claim's conclusion, the hypothesis L → L* (X.GLOBAL), or the
 * dual certificate of A.T1 (`duals`: the paper's λ(t) tends to the cone boundary from outside — some
 * Λ_{i,t}(t) converges to a negative limit — so "ε, δ → 0" is not a KKT certificate; the limit may still be right).
 */
export type Refutes = 'conclusion' | 'hypothesis' | 'duals';

/** The run options stored with a counterexample (JSON-safe subset of ClaimRunOptions). */
export interface StoredRunOptions {
  readonly untilRho: number;
  readonly maxSeconds: number;
  readonly alpha: string;
  readonly checkpoints?: number;
  readonly backend?: 'auto' | 'float64' | 'decimal';
}

export interface StoredInit {
  readonly alpha: string;
  readonly k0?: readonly string[];
  readonly q0?: readonly string[];
}

export interface CounterexampleRecord {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly claim: 'A.T1' | 'X.GLOBAL';
  /** the claim actually run (X.GLOBAL is observed on the A.T1 run) */
  readonly checked_with: 'A.T1';
  readonly assumption_dropped: string;
  readonly refutes: Refutes;
  readonly description: string;
  readonly dataset: Record<string, unknown>;
  readonly init: StoredInit;
  readonly run_options: StoredRunOptions;
  readonly observed: {
    readonly verdict: string;
    readonly conclusion: boolean | null;
    readonly reason: string;
    readonly run_status: string;
    readonly assumptions: readonly { name: string; holds: boolean | null }[];
    readonly final: {
      readonly rho: number | null;
      readonly relative_gap: number | null;
      readonly direction_error: number | null;
      readonly w_tilde: readonly string[] | null;
      readonly log10_excess_loss: number | null;
    };
    readonly stalled_samples: readonly number[];
    /** A.T1's report on the sign of the unclipped cumulative duals (absent in records written before it existed) */
    readonly duals?: DualConeStatus | null;
  };
  readonly svm: Record<string, unknown> | null;
  readonly shrunk_size: { readonly n: number; readonly d: number; readonly T: readonly number[] };
  readonly seed: number;
  readonly fast_check: { readonly path: string | null; readonly num_runs: number; readonly runs_executed: number; readonly shrinks: number; readonly version: string };
  readonly generator_version: number;
  readonly attnbias_version: string;
  readonly created: string;
  /** 'duals': the negative Λ_k re-computed by a fine quadrature independent of the flow's (fineLambda) */
  readonly quadrature_check?: DualsQuadratureCheck;
  readonly confirmation?: Confirmation;
}

export interface SearchNotFoundRecord {
  readonly format: typeof SEARCH_RECORD_FORMAT;
  readonly result: 'not-found';
  readonly claim: string;
  readonly assumption_dropped: string;
  readonly refutes: Refutes;
  readonly property: string;
  readonly run_options: StoredRunOptions;
  readonly shape: SearchShape;
  readonly attempts: readonly { seed: number; num_runs: number; runs_executed: number; seconds: number; interrupted: boolean }[];
  readonly note: string;
  readonly generator_version: number;
  readonly attnbias_version: string;
  readonly created: string;
}

export const DEFAULT_SEARCH_OPTIONS: StoredRunOptions = { untilRho: 20, maxSeconds: 8, alpha: '1e-3' };

export function attnbiasVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function fastCheckVersion(): string {
  return (fc as unknown as { __version?: string }).__version ?? 'unknown';
}

/** One search: which arbitrary, how a value becomes (data, init), and what refutes. */
interface SearchDef<V> {
  readonly claim: 'A.T1' | 'X.GLOBAL';
  readonly dropped: string;
  readonly refutes: Refutes;
  readonly property: string;
  readonly description: string;
  readonly arb: (shape: SearchShape) => fc.Arbitrary<V>;
  readonly toCase: (v: V, alpha: string) => { data: Dataset; diagInit?: DiagInit };
}

const SEARCHES: Record<SearchKey, SearchDef<unknown>> = {
  'A.T1/A1(b)': {
    claim: 'A.T1',
    dropped: 'A1(b)',
    refutes: 'conclusion',
    property: 'A.T1 outcome.conclusion !== false on data with A1(a)(c) and unequal non-optimal scores, default init',
    description: 'A1(b) dropped: some sample has unequal non-optimal scores; the direction of W̃ should settle away from the ℓ1 SVM',
    arb: (s) => arbA1bViolated({ ...s, minT: 3, maxT: Math.max(3, s.maxT) }),
    toCase: (v) => ({ data: v as Dataset }),
  } as SearchDef<unknown>,
  'A.T1/A1(b) duals': {
    claim: 'A.T1',
    dropped: 'A1(b)',
    refutes: 'duals',
    property: 'on data with A1(a)(c) and unequal non-optimal scores (default init), at the end of a run that reached the limit regime the paper\'s dual variables are dual-feasible: Λ_{i,t}(t) ≥ 0',
    description: 'A1(b) dropped: while attention is still spread (W small), a non-optimal token scoring above the attention-weighted average γ̄_i gets a negative weight c_{i,t} = (1/n)(−ℓ\')s_{i,t}(γ̄_i − γ_{i,t}); its constraint is off the support, so c_{i,t} later decays fast and Λ_{i,t}(t) = ∫ c_{i,t} converges to a NEGATIVE limit. The paper\'s dual variables λ(t) = Λ(t)/‖r(t)‖∞ are then outside the dual cone at every late time (they tend to 0 from below like 1/‖r‖∞), so A.T1\'s "ε, δ → 0" is not a KKT certificate. The limit direction is not refuted: the A.T1 conclusion on the same run is recorded in observed.conclusion (expected true, W̃ → the ℓ1 SVM)',
    arb: (s) => arbA1bViolated({ ...s, minT: 3, maxT: Math.max(3, s.maxT) }),
    toCase: (v) => ({ data: v as Dataset }),
  } as SearchDef<unknown>,
  'A.T1/non-degenerate init': {
    claim: 'A.T1',
    dropped: 'non-degenerate init',
    refutes: 'conclusion',
    property: 'A.T1 outcome.conclusion !== false on A1 data from a balanced init k₀_j = q₀_j = α (κ_j = 0) on a non-empty set of coordinates',
    description: 'balanced initialization κ_j = 0: w_j = u_j² ≥ 0 can never change sign, so the flow is confined to w_j ≥ 0 and converges to the sign-restricted ℓ1 SVM',
    arb: (s) => arbBalancedCase(s),
    toCase: (v, alpha) => {
      const c = v as ReturnType<typeof arbBalancedCase> extends fc.Arbitrary<infer B> ? B : never;
      return { data: c.data, diagInit: balancedCaseInit(c, alpha) };
    },
  } as SearchDef<unknown>,
  'X.GLOBAL/L → L*': {
    claim: 'X.GLOBAL',
    dropped: 'L → L*',
    refutes: 'hypothesis',
    property: 'on A1 data from the default init u₀ = b₀ = α, the A.T1 run has no stalled sample (hypothesis L → L* not refuted)',
    description: 'X.GLOBAL: A1 holds, default init, yet a sample\'s attention collapses onto a non-optimal token and L stalls above L*',
    arb: (s) => arbA1(s),
    toCase: (v) => ({ data: v as Dataset }),
  } as SearchDef<unknown>,
};

export const SEARCH_KEYS = Object.keys(SEARCHES) as SearchKey[];

/**
 * Accepts the aliases of the CLI: --drop 'A1(b)' | A1b | 'A1(b)-duals' | 'A1(b) duals' | A1b-duals | duals |
 * 'non-degenerate init' | balanced | kappa | 'L → L*' | global.
 */
export function searchKeyOf(claim: string, drop: string): SearchKey {
  const d = drop.toLowerCase().replace(/\s+/g, '');
  if (claim === 'X.GLOBAL') return 'X.GLOBAL/L → L*';
  if (claim !== 'A.T1') throw new Error(`no counterexample search for claim ${claim} (have: A.T1, X.GLOBAL)`);
  if (d.includes('dual')) return 'A.T1/A1(b) duals';
  if (d === 'a1(b)' || d === 'a1b' || d === 'b') return 'A.T1/A1(b)';
  if (d.includes('degenerate') || d.includes('balanced') || d.includes('kappa') || d.includes('κ')) return 'A.T1/non-degenerate init';
  if (d.includes('l→l*') || d.includes('global') || d.includes('ltolstar')) return 'X.GLOBAL/L → L*';
  throw new Error(`no counterexample search for A.T1 dropping ${drop} (have: A1(b), A1(b)-duals, non-degenerate init)`);
}

const SLUG: Record<SearchKey, string> = {
  'A.T1/A1(b)': 'A.T1-A1b',
  'A.T1/A1(b) duals': 'A.T1-A1b-duals',
  'A.T1/non-degenerate init': 'A.T1-balanced-init',
  'X.GLOBAL/L → L*': 'X.GLOBAL-L-to-Lstar',
};
export const slugOf = (k: SearchKey): string => SLUG[k];

/** The search a stored record came from: the one with its (claim, assumption_dropped, refutes). */
export function searchKeyOfRecord(r: Pick<CounterexampleRecord, 'claim' | 'assumption_dropped' | 'refutes'>): SearchKey {
  const k = SEARCH_KEYS.find((key) => SEARCHES[key].claim === r.claim && SEARCHES[key].dropped === r.assumption_dropped && SEARCHES[key].refutes === r.refutes);
  if (!k) throw new Error(`no counterexample search for claim ${r.claim}, dropped ${r.assumption_dropped}, refutes ${r.refutes}`);
  return k;
}

/** A run in the limit regime: the loss fell to log10(L − L*) ≤ AT1_THRESHOLDS.excess and no sample stalled. */
function inLimitRegime(out: ClaimOutcome): boolean {
  const cps = out.runs[0]?.checkpoints ?? [];
  const ex = (cps[cps.length - 1] as Record<string, unknown> | undefined)?.['log10_excess_loss'];
  return typeof ex === 'number' && ex <= AT1_THRESHOLDS.excess && (out.stalledSamples?.length ?? 0) === 0;
}

/** 'duals' refutation: the final λ_raw has an entry below this, and its Λ moved by at most this (relative) over the last two checkpoints. */
export const DUALS_REFUTATION = { minLambda: -1e-3, converged: 1e-3 } as const;

/** A negative Λ_{i,t} that has converged (SPEC.md §6): the paper's λ(t) stays outside the dual cone. */
export function dualsRefuted(d: DualConeStatus | null | undefined): boolean {
  if (!d || d.in_cone !== false || d.min_lambda === null || d.Lambda_final === null || d.Lambda_previous === null) return false;
  return d.min_lambda < DUALS_REFUTATION.minLambda && d.Lambda_final < 0
    && Math.abs(d.Lambda_final - d.Lambda_previous) <= DUALS_REFUTATION.converged * Math.abs(d.Lambda_final);
}

function claimOptions(o: StoredRunOptions, diagInit?: DiagInit): ClaimRunOptions {
  return {
    untilRho: o.untilRho,
    maxSeconds: o.maxSeconds,
    alpha: o.alpha,
    ...(o.checkpoints !== undefined ? { checkpoints: o.checkpoints } : {}),
    ...(o.backend ? { backend: o.backend } : {}),
    ...(diagInit ? { diagInit } : {}),
  };
}

/** Does this outcome refute (the property fails)? Runs cut by max_seconds never count: replay must be deterministic. */
export function refutes(kind: Refutes, out: ClaimOutcome): boolean {
  const status = out.runs[0]?.status ?? '';
  if (status === 'max_seconds') return false;
  if (kind === 'conclusion') return out.conclusion === false;
  if (kind === 'duals') return inLimitRegime(out) && dualsRefuted(out.duals);
  const hyp = out.assumptions.find((a) => a.name === 'L → L*');
  return hyp?.holds === false && (out.stalledSamples?.length ?? 0) > 0;
}

export function runCase(data: Dataset, o: StoredRunOptions, diagInit?: DiagInit): ClaimOutcome {
  return CLAIMS['A.T1'].check(data, claimOptions(o, diagInit));
}

/**
 * An independent, fine quadrature of Λ(τ) = ∫ ĉ dτ along the mirror flow (float64): Simpson's rule on every
 * step of RadauIIA5 with the step capped at `hmax` (midpoint from the dense output), rtol = atol = 1e-12.
 * The flow's own Λ (src/flows/run.ts) was a trapezoid on the ACCEPTED steps, which grow to several units of
 * τ late in a run; an off-support ĉ_k that decays super-exponentially inside such a step was then
 * over-integrated by ≈ ĉ_k(step start)·h/2, an error that AᵀΛ = r does not see when A is rank-deficient
 * (measured on A.T1-A1b-duals-1: flow Λ_{0,1} = −1.4697 drifting by +2.6e-4 per checkpoint; fine −1.9576,
 * constant to 1e-10). The flow now integrates Λ with the Radau IIA stage values (flow and fine agree to
 * 1e-11 on the stored case); the 'duals' counterexamples are still confirmed with this independent quadrature.
 * Stops at ρ = untilRho, or where float64 stops resolving the margins (margin roundoff > 1e-5, SPEC.md §8).
 */
export interface FineQuadrature {
  readonly method: string;
  readonly hmax: number;
  readonly status: string;
  readonly steps: number;
  readonly seconds: number;
  /** (ρ, Λ) at every step end crossing the ρ grid of `marks`, the final state last */
  readonly marks: readonly { readonly rho: number; readonly r_inf: number; readonly Lambda: readonly number[] }[];
}

export function fineLambda(data: Dataset, o: { alpha: string; untilRho: number }, diagInit?: DiagInit, hmax = 0.01, marks: readonly number[] = []): FineQuadrature {
  const t0 = Date.now();
  const res = follow(data, { param: 'r', backend: 'float64', alpha: o.alpha, ...(diagInit ? { diagInit } : {}), stop: { rho: 0.01, maxSeconds: 5 }, checkpoints: 1 });
  const seg = res.segments[0] as Segment<number>;
  const flow = seg.flow;
  const rates = (y: readonly number[]): number[] | null => (flow.dualRates ? flow.dualRates(y) : null);
  const first = rates(flow.start.y);
  if (!first) throw new Error('the flow has no dual rates');
  let L = first.map(() => 0);
  const out: { rho: number; r_inf: number; Lambda: number[] }[] = [];
  const grid = marks.filter((m) => m < o.untilRho).sort((a, b) => a - b);
  let next = 0;
  let steps = 0;
  let status = 'target';
  const sol = solve(flow.problem(1e9, { tau: flow.start.tau, y: flow.start.y }), 'RadauIIA5', {
    rtol: 1e-12, atol: 1e-12, hmax, maxSeconds: 120, maxSteps: 1_000_000,
    onStep: (info) => {
      steps++;
      const a = rates(info.yPrev), b = rates(info.y), m = rates(info.interpolate((info.tPrev + info.t) / 2));
      if (!a || !b || !m) { status = 'at_rest'; return 'stop'; }
      const h = info.t - info.tPrev;
      L = L.map((x, k) => x + (h / 6) * (a[k]! + 4 * m[k]! + b[k]!));
      const rho = flow.rho(info.y);
      while (next < grid.length && rho >= grid[next]!) { out.push({ rho, r_inf: rho, Lambda: L.slice() }); next++; }
      if (rho >= o.untilRho) return 'stop';
      if (flow.marginUncertainty(info.y) > 1e-5) { status = 'float64_limit'; return 'stop'; }
      return undefined;
    },
  });
  if (sol.status !== 'stopped' && sol.status !== 'success') status = sol.status;
  const y = sol.y;
  const rho = flow.rho(y);
  out.push({ rho, r_inf: rho, Lambda: L.slice() });
  return {
    method: `Simpson's rule on RadauIIA5 steps (hmax = ${hmax} in τ, rtol = atol = 1e-12, float64), midpoint from the dense output`,
    hmax, status, steps, seconds: (Date.now() - t0) / 1000, marks: out,
  };
}

/** The fine-quadrature check of a 'duals' refutation: the same constraint's Λ is negative (λ < −1e-3) and settled. */
export interface DualsQuadratureCheck {
  readonly confirms: boolean;
  readonly constraint: { readonly i: number; readonly t: number } | null;
  readonly index: number;
  /** fine Λ_k at the final ρ and at the ρ of the previous checkpoint */
  readonly Lambda: number;
  readonly Lambda_previous: number | null;
  /** fine Λ_k/‖r‖∞ at the final ρ */
  readonly lambda: number;
  /** the flow's own Λ_k (Radau IIA quadrature on its steps) at the final checkpoint */
  readonly Lambda_flow: number | null;
  readonly rho: number;
  readonly rho_previous: number | null;
  readonly quadrature: Omit<FineQuadrature, 'marks'>;
}

export function checkDualsQuadrature(out: ClaimOutcome, data: Dataset, o: StoredRunOptions, diagInit?: DiagInit): DualsQuadratureCheck | null {
  const cps = out.runs[0]?.checkpoints ?? [];
  if (cps.length < 2 || !out.duals?.constraint) return null;
  const { i, t } = out.duals.constraint;
  const opt = maximizers(tokenScores(data)).map((m) => m[0]!);
  const index = buildConstraints(data, opt).diag.findIndex((c) => c.i === i && c.t === t);
  if (index < 0) return null;
  const rhoFinal = Number((cps[cps.length - 1] as Record<string, unknown>)['rho']);
  const rhoPrev = Number((cps[cps.length - 2] as Record<string, unknown>)['rho']);
  const grid = Array.from({ length: Math.ceil(rhoFinal / 0.25) }, (_, j) => (j + 1) * 0.25);
  const fine = fineLambda(data, { alpha: o.alpha, untilRho: rhoFinal }, diagInit, 0.01, grid);
  const last = fine.marks[fine.marks.length - 1]!;
  // compare with the previous checkpoint's ρ (or 1 unit of ρ earlier when float64 stopped before it)
  const cut = Math.min(rhoPrev, last.rho - 1);
  const prev = [...fine.marks.slice(0, -1)].reverse().find((m) => m.rho <= cut) ?? null;
  const Lk = last.Lambda[index]!;
  const Lp = prev ? prev.Lambda[index]! : null;
  const lambda = Lk / last.r_inf;
  const { marks: _m, ...quadrature } = fine;
  void _m;
  return {
    confirms: lambda < DUALS_REFUTATION.minLambda && Lp !== null && Math.abs(Lk - Lp) <= DUALS_REFUTATION.converged * Math.abs(Lk),
    constraint: { i, t }, index, Lambda: Lk, Lambda_previous: Lp, lambda, Lambda_flow: out.duals.Lambda_final,
    rho: last.rho, rho_previous: prev?.rho ?? null, quadrature,
  };
}

/**
 * refutes() plus, for 'duals', the fine quadrature: the flow's Λ is not trusted alone for a stored
 * refutation (see fineLambda). Used by the search property, the re-run, replay and confirmation.
 */
export function refutesCase(kind: Refutes, out: ClaimOutcome, data: Dataset, o: StoredRunOptions, diagInit?: DiagInit): boolean {
  if (!refutes(kind, out)) return false;
  if (kind !== 'duals') return true;
  return checkDualsQuadrature(out, data, o, diagInit)?.confirms === true;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function observedOf(out: ClaimOutcome): CounterexampleRecord['observed'] {
  const cps = out.runs[0]?.checkpoints ?? [];
  const last = (cps[cps.length - 1] ?? {}) as Record<string, unknown>;
  const wt = last['w_tilde'];
  return {
    verdict: out.verdict,
    conclusion: out.conclusion,
    reason: out.reason,
    run_status: out.runs[0]?.status ?? 'none',
    assumptions: out.assumptions.map((a) => ({ name: a.name, holds: a.holds })),
    final: {
      rho: num(last['rho']),
      relative_gap: num(last['relative_gap']),
      direction_error: num(last['direction_error']),
      w_tilde: Array.isArray(wt) ? wt.map(String) : null,
      log10_excess_loss: num(last['log10_excess_loss']),
    },
    stalled_samples: out.stalledSamples ?? [],
    duals: out.duals ?? null,
  };
}

export interface SearchRequest {
  readonly key: SearchKey;
  readonly seed: number;
  readonly numRuns?: number;
  /** total wall-clock budget of the search (generation + shrinking), ms */
  readonly timeLimitMs?: number;
  readonly options?: Partial<StoredRunOptions>;
  readonly shape?: SearchShape;
  readonly log?: (line: string) => void;
}

export type SearchOutcome =
  | { readonly found: true; readonly record: CounterexampleRecord; readonly seconds: number }
  | { readonly found: false; readonly attempt: SearchNotFoundRecord['attempts'][number]; readonly seconds: number };

/** Run one seeded search; on failure re-run the shrunk value and build the stored record. */
export function searchCounterexample(req: SearchRequest): SearchOutcome {
  const def = SEARCHES[req.key];
  const o: StoredRunOptions = { ...DEFAULT_SEARCH_OPTIONS, ...(req.options ?? {}) };
  const shape = req.shape ?? SMALL_SEARCH_SHAPE;
  const numRuns = req.numRuns ?? 20;
  const log = req.log ?? (() => undefined);
  const t0 = Date.now();
  let executed = 0;
  const prop = fc.property(def.arb(shape), (v) => {
    executed++;
    const c = def.toCase(v, o.alpha);
    const out = runCase(c.data, o, c.diagInit);
    const bad = refutesCase(def.refutes, out, c.data, o, c.diagInit);
    const dl = out.duals && out.duals.min_lambda !== null ? `, min λ ${out.duals.min_lambda.toPrecision(3)}` : '';
    log(`  run ${executed}: n=${c.data.samples.length} d=${c.data.d} → ${out.verdict}, conclusion ${out.conclusion}, status ${out.runs[0]?.status}${dl}${bad ? '  ← refutes' : ''}`);
    return !bad;
  });
  const details = fc.check(prop, {
    seed: req.seed,
    numRuns,
    ...(req.timeLimitMs ? { interruptAfterTimeLimit: req.timeLimitMs } : {}),
    endOnFailure: false,
  });
  const seconds = (Date.now() - t0) / 1000;
  if (!details.failed || details.counterexample === null) {
    return { found: false, seconds, attempt: { seed: req.seed, num_runs: numRuns, runs_executed: executed, seconds, interrupted: details.interrupted } };
  }
  const v = details.counterexample[0];
  const c = def.toCase(v, o.alpha);
  const out = runCase(c.data, o, c.diagInit);
  if (!refutesCase(def.refutes, out, c.data, o, c.diagInit)) throw new Error(`shrunk counterexample did not refute on re-run (seed ${req.seed}, path ${details.counterexamplePath})`);
  const qc = def.refutes === 'duals' ? checkDualsQuadrature(out, c.data, o, c.diagInit) : null;
  const record: CounterexampleRecord = {
    format: COUNTEREXAMPLE_FORMAT,
    claim: def.claim,
    checked_with: 'A.T1',
    assumption_dropped: def.dropped,
    refutes: def.refutes,
    description: def.description,
    dataset: datasetToJson({ ...c.data, name: `${slugOf(req.key)} seed ${req.seed} (shrunk)` }),
    init: c.diagInit ? { alpha: o.alpha, ...describeDiagInit(c.diagInit) } : { alpha: o.alpha },
    run_options: o,
    observed: observedOf(out),
    svm: out.svm,
    shrunk_size: { n: c.data.samples.length, d: c.data.d, T: c.data.samples.map((s) => s.X.length) },
    seed: req.seed,
    fast_check: { path: details.counterexamplePath, num_runs: numRuns, runs_executed: executed, shrinks: details.numShrinks, version: fastCheckVersion() },
    generator_version: GENERATOR_VERSION,
    attnbias_version: attnbiasVersion(),
    created: new Date().toISOString(),
    ...(qc ? { quadrature_check: qc } : {}),
  };
  return { found: true, record, seconds };
}

/** Build a record for a hand-made case (e.g. a construction from SPEC.md reasoning), run and checked like a search result. */
export function recordFromCase(key: SearchKey, data: Dataset, o: StoredRunOptions, diagInit: DiagInit | undefined, note: string): CounterexampleRecord | null {
  const def = SEARCHES[key];
  const out = runCase(data, o, diagInit);
  if (!refutesCase(def.refutes, out, data, o, diagInit)) return null;
  const qc = def.refutes === 'duals' ? checkDualsQuadrature(out, data, o, diagInit) : null;
  return {
    ...(qc ? { quadrature_check: qc } : {}),
    format: COUNTEREXAMPLE_FORMAT,
    claim: def.claim,
    checked_with: 'A.T1',
    assumption_dropped: def.dropped,
    refutes: def.refutes,
    description: `${def.description}. ${note}`,
    dataset: datasetToJson(data),
    init: diagInit ? { alpha: o.alpha, ...describeDiagInit(diagInit) } : { alpha: o.alpha },
    run_options: o,
    observed: observedOf(out),
    svm: out.svm,
    shrunk_size: { n: data.samples.length, d: data.d, T: data.samples.map((s) => s.X.length) },
    seed: 0,
    fast_check: { path: null, num_runs: 0, runs_executed: 0, shrinks: 0, version: fastCheckVersion() },
    generator_version: GENERATOR_VERSION,
    attnbias_version: attnbiasVersion(),
    created: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Storage, validation, replay

export function counterexampleFileName(r: CounterexampleRecord): string {
  return `${slugOf(searchKeyOfRecord(r))}-${r.fast_check.path === null ? 'hand' : r.seed}.json`;
}

export function writeJson(path: string, doc: unknown): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Problems of a counterexample@1 document (empty when valid). */
export function validateCounterexample(doc: unknown): string[] {
  const p: string[] = [];
  if (!isObj(doc)) return ['$: not an object'];
  const need = (k: string, ok: (v: unknown) => boolean, what: string): void => {
    if (!ok(doc[k])) p.push(`${k}: expected ${what}`);
  };
  need('format', (v) => v === COUNTEREXAMPLE_FORMAT, JSON.stringify(COUNTEREXAMPLE_FORMAT));
  need('claim', (v) => v === 'A.T1' || v === 'X.GLOBAL', '"A.T1" | "X.GLOBAL"');
  need('checked_with', (v) => v === 'A.T1', '"A.T1"');
  need('assumption_dropped', (v) => typeof v === 'string' && v.length > 0, 'non-empty string');
  need('refutes', (v) => v === 'conclusion' || v === 'hypothesis' || v === 'duals', '"conclusion" | "hypothesis" | "duals"');
  need('description', (v) => typeof v === 'string', 'string');
  need('dataset', (v) => validateDataset(v).ok, 'a valid attnbias/dataset@1 document');
  need('init', (v) => isObj(v) && typeof v['alpha'] === 'string' && qparse(v['alpha']) !== null
    && (v['k0'] === undefined) === (v['q0'] === undefined)
    && (v['k0'] === undefined || (isStrArr(v['k0']) && isStrArr(v['q0']) && v['k0'].every((x) => qparse(x) !== null) && (v['q0'] as string[]).every((x) => qparse(x) !== null))), '{ alpha, [k0, q0] } with exact strings');
  need('run_options', (v) => isObj(v) && typeof v['untilRho'] === 'number' && typeof v['maxSeconds'] === 'number' && typeof v['alpha'] === 'string', '{ untilRho, maxSeconds, alpha }');
  need('observed', (v) => isObj(v) && typeof v['verdict'] === 'string' && (v['conclusion'] === null || typeof v['conclusion'] === 'boolean')
    && typeof v['reason'] === 'string' && isObj(v['final']) && Array.isArray(v['stalled_samples']), '{ verdict, conclusion, reason, final, stalled_samples }');
  need('svm', (v) => v === null || isObj(v), 'object | null');
  need('shrunk_size', (v) => isObj(v) && typeof v['n'] === 'number' && typeof v['d'] === 'number' && Array.isArray(v['T']), '{ n, d, T }');
  need('seed', (v) => Number.isInteger(v), 'integer');
  need('fast_check', (v) => isObj(v) && (v['path'] === null || typeof v['path'] === 'string') && typeof v['num_runs'] === 'number', '{ path, num_runs, ... }');
  need('generator_version', (v) => Number.isInteger(v), 'integer');
  need('attnbias_version', (v) => typeof v === 'string', 'string');
  need('created', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v as string)), 'ISO date string');
  if (doc['confirmation'] !== undefined) {
    const c = doc['confirmation'];
    if (!isObj(c) || typeof c['still_refutes'] !== 'boolean' || !isObj(c['run_options']) || !isObj(c['final'])) p.push('confirmation: expected { run_options, still_refutes, run_status, conclusion, stalled_samples, final, seconds }');
    else if (c['still_refutes'] !== true) p.push('confirmation.still_refutes: a stored counterexample must be confirmed (or carry no confirmation)');
  }
  if (p.length === 0) {
    const d = validateDataset(doc['dataset']);
    const init = doc['init'] as Record<string, unknown>;
    if (d.ok && Array.isArray(init['k0']) && (init['k0'] as unknown[]).length !== d.dataset.d) p.push('init.k0: length differs from d');
    if (d.ok && Array.isArray(init['q0']) && (init['q0'] as unknown[]).length !== d.dataset.d) p.push('init.q0: length differs from d');
    const obs = doc['observed'] as Record<string, unknown>;
    if (doc['refutes'] === 'conclusion' && obs['conclusion'] !== false) p.push('observed.conclusion: a conclusion counterexample must have conclusion false');
    if (doc['refutes'] === 'hypothesis' && (obs['stalled_samples'] as unknown[]).length === 0) p.push('observed.stalled_samples: a hypothesis counterexample must name stalled samples');
    if (doc['refutes'] === 'duals') {
      const du = obs['duals'];
      if (!isObj(du) || du['in_cone'] !== false) p.push('observed.duals.in_cone: a duals counterexample must have in_cone false');
      else if (typeof du['min_lambda'] !== 'number' || typeof du['Lambda_final'] !== 'number' || typeof du['Lambda_previous'] !== 'number' || !isObj(du['constraint'])) p.push('observed.duals: expected { in_cone, min_lambda, constraint, Lambda_final, Lambda_previous, detail } with numbers');
      else if (!((du['min_lambda'] as number) < 0 && (du['Lambda_final'] as number) < 0)) p.push('observed.duals: a duals counterexample must have min_lambda < 0 and Lambda_final < 0');
      const qc = doc['quadrature_check'];
      if (!isObj(qc) || qc['confirms'] !== true || typeof qc['Lambda'] !== 'number' || !((qc['Lambda'] as number) < 0)) p.push('quadrature_check: a duals counterexample must carry a fine-quadrature check with confirms true and Lambda < 0');
    }
    try { searchKeyOfRecord(doc as unknown as CounterexampleRecord); } catch (e) { p.push(`claim/assumption_dropped/refutes: ${(e as Error).message}`); }
  }
  return p;
}

/** Problems of a counterexample-search@1 (NOT-FOUND) document. */
export function validateSearchRecord(doc: unknown): string[] {
  const p: string[] = [];
  if (!isObj(doc)) return ['$: not an object'];
  if (doc['format'] !== SEARCH_RECORD_FORMAT) p.push(`format: expected ${SEARCH_RECORD_FORMAT}`);
  if (doc['result'] !== 'not-found') p.push('result: expected "not-found"');
  for (const k of ['claim', 'assumption_dropped', 'property', 'note', 'attnbias_version', 'created']) if (typeof doc[k] !== 'string') p.push(`${k}: expected string`);
  if (!isObj(doc['run_options'])) p.push('run_options: expected object');
  if (!isObj(doc['shape'])) p.push('shape: expected object');
  if (!Array.isArray(doc['attempts']) || doc['attempts'].length === 0 || !doc['attempts'].every((a) => isObj(a) && Number.isInteger(a['seed']) && typeof a['runs_executed'] === 'number')) p.push('attempts: expected a non-empty array of { seed, num_runs, runs_executed, seconds, interrupted }');
  if (!Number.isInteger(doc['generator_version'])) p.push('generator_version: expected integer');
  return p;
}

function initFromStored(init: StoredInit): DiagInit | undefined {
  if (!init.k0 || !init.q0) return undefined;
  const q = (s: string): Rational => qparse(s)!;
  return { k0: init.k0.map(q), q0: init.q0.map(q) };
}

/** Re-run a stored counterexample with its stored options; `still` = it still refutes. */
export function replayCounterexample(r: CounterexampleRecord): { still: boolean; outcome: ClaimOutcome; quadrature: DualsQuadratureCheck | null } {
  const d = validateDataset(r.dataset);
  if (!d.ok) throw new Error(`stored dataset invalid: ${JSON.stringify(d.problems)}`);
  const init = initFromStored(r.init);
  const out = runCase(d.dataset, r.run_options, init);
  const quadrature = r.refutes === 'duals' && refutes(r.refutes, out) ? checkDualsQuadrature(out, d.dataset, r.run_options, init) : null;
  return { still: refutes(r.refutes, out) && (r.refutes !== 'duals' || quadrature?.confirms === true), outcome: out, quadrature };
}

/** Replay through fast-check: regenerate the shrunk value from (seed, path) and check it still fails. */
export function replayFastCheckPath(r: CounterexampleRecord): boolean | null {
  if (r.fast_check.path === null) return null;
  const def = SEARCHES[searchKeyOfRecord(r)];
  const prop = fc.property(def.arb(SMALL_SEARCH_SHAPE), (v) => {
    const c = def.toCase(v, r.run_options.alpha);
    return !refutesCase(def.refutes, runCase(c.data, r.run_options, c.diagInit), c.data, r.run_options, c.diagInit);
  });
  const det = fc.check(prop, { seed: r.seed, path: r.fast_check.path, numRuns: 1, endOnFailure: true });
  return det.failed;
}

/**
 * A stronger re-run of a stored case (e.g. the Decimal backend and a larger ρ), to show the refutation is not
 * an artefact of the search budget or of float64 (a float64 run may come to rest when ‖g‖ underflows).
 * The summary is stored under the record's `confirmation` field.
 */
export interface Confirmation {
  readonly run_options: StoredRunOptions;
  readonly still_refutes: boolean;
  readonly run_status: string;
  readonly conclusion: boolean | null;
  readonly stalled_samples: readonly number[];
  readonly final: CounterexampleRecord['observed']['final'] & { readonly min_margin: string | number | null };
  readonly seconds: number;
  /** A.T1's dual-cone report on the re-run (the 'duals' counterexamples: the same negative Λ limit) */
  readonly duals?: DualConeStatus | null;
}

export function confirmCounterexample(r: CounterexampleRecord, o: StoredRunOptions): Confirmation {
  const d = validateDataset(r.dataset);
  if (!d.ok) throw new Error('stored dataset invalid');
  const t0 = Date.now();
  const init = initFromStored(r.init);
  const out = runCase(d.dataset, o, init);
  const obs = observedOf(out);
  const cps = out.runs[0]?.checkpoints ?? [];
  const last = (cps[cps.length - 1] ?? {}) as Record<string, unknown>;
  const mm = last['min_margin'];
  return {
    run_options: o,
    still_refutes: refutesCase(r.refutes, out, d.dataset, o, init),
    run_status: obs.run_status,
    conclusion: out.conclusion,
    stalled_samples: obs.stalled_samples,
    final: { ...obs.final, min_margin: typeof mm === 'string' || typeof mm === 'number' ? mm : null },
    seconds: (Date.now() - t0) / 1000,
    duals: out.duals ?? null,
  };
}

export const COUNTEREXAMPLE_DIR = 'proofs-data/counterexamples';

/** All stored files of the folder: counterexamples and NOT-FOUND records. */
export function listStored(dir = COUNTEREXAMPLE_DIR): { file: string; doc: unknown }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((f) => ({ file: join(dir, f), doc: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
}

// ---------------------------------------------------------------------------------------------------
// Script entry

function argValue(argv: readonly string[], name: string): string | undefined {
  const k = argv.indexOf(name);
  return k >= 0 ? argv[k + 1] : undefined;
}

/**
 * `--confirm FILE [--until-rho R] [--max-seconds S] [--backend auto|float64|decimal]`: re-run a stored
 * counterexample with stronger options and store the summary as its `confirmation`.
 */
export function confirmMain(argv: readonly string[]): number {
  const file = argValue(argv, '--confirm')!;
  const r = JSON.parse(readFileSync(file, 'utf8')) as CounterexampleRecord;
  const problems = validateCounterexample(r);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  const backend = argValue(argv, '--backend');
  const o: StoredRunOptions = {
    ...r.run_options,
    untilRho: Number(argValue(argv, '--until-rho') ?? r.run_options.untilRho + 10),
    maxSeconds: Number(argValue(argv, '--max-seconds') ?? 600),
    ...(backend === 'auto' || backend === 'float64' || backend === 'decimal' ? { backend } : {}),
  };
  process.stderr.write(`confirm ${file}: ${JSON.stringify(o)}\n`);
  const c = confirmCounterexample(r, o);
  process.stdout.write(`${JSON.stringify(c)}\n`);
  if (!c.still_refutes) {
    process.stderr.write('the stronger re-run does not refute: confirmation not stored\n');
    return 1;
  }
  writeJson(file, { ...r, confirmation: c });
  return 0;
}

export function searchMain(argv: readonly string[]): number {
  if (argValue(argv, '--confirm')) return confirmMain(argv);
  const claim = argValue(argv, '--claim') ?? 'A.T1';
  const drop = argValue(argv, '--drop') ?? (claim === 'X.GLOBAL' ? 'L → L*' : 'A1(b)');
  const seeds = (argValue(argv, '--seed') ?? '1').split(',').map((s) => Number(s) | 0);
  const numRuns = Number(argValue(argv, '--runs') ?? 20);
  const timeLimitMs = Number(argValue(argv, '--time-limit') ?? 240) * 1000;
  const out = argValue(argv, '--out') ?? COUNTEREXAMPLE_DIR;
  const options: Partial<StoredRunOptions> = {
    ...(argValue(argv, '--until-rho') ? { untilRho: Number(argValue(argv, '--until-rho')) } : {}),
    ...(argValue(argv, '--max-seconds') ? { maxSeconds: Number(argValue(argv, '--max-seconds')) } : {}),
    ...(argValue(argv, '--alpha') ? { alpha: argValue(argv, '--alpha')! } : {}),
  };
  const key = searchKeyOf(claim, drop);
  const quiet = argv.includes('--quiet');
  const attempts: SearchNotFoundRecord['attempts'][number][] = [];
  for (const seed of seeds) {
    process.stderr.write(`search ${key} seed ${seed}: ${numRuns} runs, time limit ${timeLimitMs / 1000}s\n`);
    const r = searchCounterexample({ key, seed, numRuns, timeLimitMs, options, log: quiet ? undefined : (l) => process.stderr.write(`${l}\n`) });
    if (r.found) {
      const file = join(out, counterexampleFileName(r.record));
      writeJson(file, r.record);
      // a found counterexample supersedes an earlier NOT-FOUND record of the same search
      rmSync(join(out, `NOT-FOUND-${slugOf(key)}.json`), { force: true });
      process.stdout.write(`${JSON.stringify({ found: true, file, seconds: r.seconds, shrunk_size: r.record.shrunk_size, observed: r.record.observed.final, conclusion: r.record.observed.conclusion, stalled: r.record.observed.stalled_samples, duals: r.record.observed.duals ?? null, fast_check: r.record.fast_check })}\n`);
      return 0;
    }
    attempts.push(r.attempt);
  }
  const def = SEARCHES[key];
  const rec: SearchNotFoundRecord = {
    format: SEARCH_RECORD_FORMAT,
    result: 'not-found',
    claim: def.claim,
    assumption_dropped: def.dropped,
    refutes: def.refutes,
    property: def.property,
    run_options: { ...DEFAULT_SEARCH_OPTIONS, ...options },
    shape: key === 'A.T1/A1(b)' || key === 'A.T1/A1(b) duals' ? { ...SMALL_SEARCH_SHAPE, minT: 3 } : SMALL_SEARCH_SHAPE,
    attempts,
    note: argValue(argv, '--note') ?? 'no counterexample within the budget',
    generator_version: GENERATOR_VERSION,
    attnbias_version: attnbiasVersion(),
    created: new Date().toISOString(),
  };
  const file = join(out, `NOT-FOUND-${slugOf(key)}.json`);
  // keep the budget of earlier attempts of the same search (same run options and shape)
  try {
    const prev = JSON.parse(readFileSync(file, 'utf8')) as SearchNotFoundRecord;
    if (validateSearchRecord(prev).length === 0 && JSON.stringify(prev.run_options) === JSON.stringify(rec.run_options) && JSON.stringify(prev.shape) === JSON.stringify(rec.shape)) {
      const seen = new Set(attempts.map((a) => a.seed));
      attempts.unshift(...prev.attempts.filter((a) => !seen.has(a.seed)));
    }
  } catch { /* no earlier record */ }
  writeJson(file, rec);
  process.stdout.write(`${JSON.stringify({ found: false, file, attempts })}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = searchMain(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
