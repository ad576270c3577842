/**
 * Shared helpers of the claim property suites (properties/claims/*.test.ts):
 *  - seeded datasets from src/data/generate.ts, drawn through fast-check (seed + shape), so a failure
 *    prints a replayable (seed, shape) and the generator reproduces the dataset exactly;
 *  - the final numbers of an outcome (gap, ε, δ at the last checkpoint of the main run);
 *  - the summary hook of `npm run test:long` (scripts/test-long-summary.mjs): when the environment
 *    variable ATTNBIAS_SUMMARY_FILE is set, every checked dataset appends one JSON line to that file.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Dataset } from '../../src/data/Dataset.js';
import type { ClaimOutcome } from '../../src/claims/Claim.js';
import { type DataShape, GENERATOR_VERSION, feasibleA1, mulberry32, plantedA1, violatingA1b } from '../../src/data/generate.js';
import { LONG } from '../support/budget.js';

export type GeneratorKind = 'feasibleA1' | 'plantedA1' | 'violatingA1b';

export interface GeneratedCase {
  readonly generator: GeneratorKind;
  readonly seed: number;
  readonly shape: DataShape;
  readonly data: Dataset;
}

/** The dataset of (generator, seed, shape), or null when the generator gives up (rare: A1(c) filtering). */
export function generate(generator: GeneratorKind, seed: number, shape: DataShape): Dataset | null {
  const rng = mulberry32(seed);
  switch (generator) {
    case 'feasibleA1': return feasibleA1(rng, shape);
    case 'plantedA1': return plantedA1(rng, shape);
    case 'violatingA1b': return violatingA1b(rng, shape);
  }
}

/** fast-check arbitrary of generated datasets with n ≤ max.n, 2 ≤ T ≤ max.T, d ≤ max.d. */
export function arbGenerated(generator: GeneratorKind, max: DataShape, min: Partial<DataShape> = {}): fc.Arbitrary<GeneratedCase> {
  return fc
    .noShrink(fc.record({
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
      n: fc.integer({ min: min.n ?? 1, max: max.n }),
      T: fc.integer({ min: min.T ?? 2, max: max.T }),
      d: fc.integer({ min: min.d ?? 1, max: max.d }),
    }))
    // (no shrinking: a new seed is a new dataset, not a smaller one — shrinking would only re-run checks)
    .map(({ seed, n, T, d }) => {
      const shape = { n, T, d };
      return { generator, seed, shape, data: generate(generator, seed, shape) };
    })
    .filter((c): c is GeneratedCase => c.data !== null);
}

/** "feasibleA1 seed=… n=… T=… d=…" — enough to regenerate the dataset (GENERATOR_VERSION recorded). */
export function describeCase(c: GeneratedCase): string {
  return `${c.generator} seed=${c.seed} n=${c.shape.n} T=${c.shape.T} d=${c.shape.d} (generator v${GENERATOR_VERSION})`;
}

export interface FinalNumbers {
  readonly rho: number | null;
  readonly gap: number | null;
  readonly eps: number | null;
  readonly delta: number | null;
  readonly directionError: number | null;
}

/** The numbers of the last checkpoint of the outcome's main run. */
export function finalNumbers(o: ClaimOutcome): FinalNumbers {
  const cps = o.runs[0]?.checkpoints ?? [];
  const last = cps[cps.length - 1] as Record<string, unknown> | undefined;
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return {
    rho: num(last?.rho),
    gap: num(last?.relative_gap),
    eps: num(last?.eps_window),
    delta: num(last?.delta_window),
    directionError: num(last?.direction_error),
  };
}

/** Seconds of all runs of an outcome. */
export const runSeconds = (o: ClaimOutcome): number => o.runs.reduce((s, r) => s + r.seconds, 0);

/**
 * Appends one line per checked dataset to $ATTNBIAS_SUMMARY_FILE (when set):
 * { suite, claim, budget, verdict, conclusion, gap, eps, delta, metric?, seconds, case? }.
 * `metric` is a claim-specific worst number (A.EQ path disagreement, A.INV drift, B.SPARSE excess).
 */
export function recordOutcome(suite: string, o: ClaimOutcome, extra: { case?: GeneratedCase; metric?: { name: string; value: number | null }; seconds?: number } = {}): void {
  const file = process.env.ATTNBIAS_SUMMARY_FILE;
  if (!file) return;
  const f = finalNumbers(o);
  const line = {
    suite,
    claim: o.claim,
    budget: LONG ? 'long' : 'small',
    verdict: o.verdict,
    conclusion: o.conclusion,
    gap: f.gap,
    eps: f.eps,
    delta: f.delta,
    rho: f.rho,
    ...(extra.metric ? { metric: extra.metric.name, metric_value: extra.metric.value } : {}),
    seconds: extra.seconds ?? runSeconds(o),
    ...(extra.case ? { generator: extra.case.generator, seed: extra.case.seed, shape: extra.case.shape, generator_version: GENERATOR_VERSION } : {}),
  };
  appendFileSync(file, JSON.stringify(line) + '\n');
}

/** Tally of verdicts over a suite's cases (printed at the end of a property, asserted on). */
export class Tally {
  readonly counts: Record<string, number> = { consistent: 0, refuted: 0, inconclusive: 0 };
  readonly notes: string[] = [];
  add(o: ClaimOutcome, c?: GeneratedCase): void {
    this.counts[o.verdict] = (this.counts[o.verdict] ?? 0) + 1;
    if (o.verdict !== 'consistent') this.notes.push(`${o.verdict}${c ? ` [${describeCase(c)}]` : ''}: ${o.reason.slice(0, 240)}`);
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return `${this.total} datasets: ${Object.entries(this.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  }
}

/**
 * fc.assert that puts the failing assertion's own message (fast-check keeps it in `cause`) into the
 * thrown error, so uvu prints which dataset failed and why.
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts>): void {
  try {
    fc.assert(property, params);
  } catch (e) {
    const err = e as Error & { cause?: unknown };
    const cause = err.cause instanceof Error ? err.cause.message : err.cause !== undefined ? String(err.cause) : '';
    if (cause && !err.message.includes(cause)) err.message = `${cause}\n${err.message}`;
    throw err;
  }
}
