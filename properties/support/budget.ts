/**
 * Run budgets and seeds for property suites. `npm test` uses the small budget; `npm run test:long`
 * sets ATTNBIAS_BUDGET=long. Seeds are fixed by default (reproducible CI) and overridable with
 * ATTNBIAS_SEED; fast-check prints the seed and replay path of any failure.
 */
import type { Parameters } from 'fast-check';

export const LONG = process.env.ATTNBIAS_BUDGET === 'long';

/** Number of generated cases: `small` under npm test, `long` under test:long. */
export function runs(small: number, long: number): number {
  return LONG ? long : small;
}

/** A stable per-suite seed derived from its name, unless ATTNBIAS_SEED is set. */
export function seedFor(suite: string): number {
  const env = process.env.ATTNBIAS_SEED;
  if (env !== undefined && env !== '') return Number(env) | 0;
  let h = 2166136261;
  for (let k = 0; k < suite.length; k++) h = Math.imul(h ^ suite.charCodeAt(k), 16777619);
  return h | 0;
}

/** fast-check parameters for a property: seeded, budgeted, failing loudly. */
export function fcParams<T>(suite: string, small: number, long: number): Parameters<T> {
  return { seed: seedFor(suite), numRuns: runs(small, long), endOnFailure: false };
}
