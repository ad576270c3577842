/**
 * fast-check arbitraries for claim properties, wrapping src/data/generate.ts. Two kinds:
 *  - seeded (`seeded*`): fc picks a seed, the generator builds the data — broad coverage, shrinking only
 *    moves the seed (not toward smaller data);
 *  - primitive (re-exported from src/claims/counterexampleArbitraries.ts): built from fc integers, so
 *    shrinking gives small readable datasets — use these when the counterexample itself matters.
 */
import fc from 'fast-check';
import type { Dataset } from '../../src/data/Dataset.js';
import {
  type AlignedKQ, type DataShape, alignedKQ, feasibleA1, mulberry32, plantedA1, unbalancedInit,
  violatingA1a, violatingA1b, violatingA1c,
} from '../../src/data/generate.js';
import type { DiagInit } from '../../src/flows/init.js';

export {
  arbA1, arbA1bViolated, arbBalancedCase, arbPlantedRaw, balancedCaseInit, SMALL_SEARCH_SHAPE,
  type BalancedCase, type SearchShape,
} from '../../src/claims/counterexampleArbitraries.js';

const nonNull = <T>(x: T | null): x is T => x !== null;

/** A seed-driven arbitrary from a generator that may return null (filtered out). */
export function seeded<T>(gen: (rng: () => number) => T | null): fc.Arbitrary<T> {
  return fc.integer().map((seed) => gen(mulberry32(seed))).filter(nonNull);
}

export const seededPlantedA1 = (shape: DataShape): fc.Arbitrary<Dataset> => seeded((r) => plantedA1(r, shape));
export const seededFeasibleA1 = (shape: DataShape): fc.Arbitrary<Dataset> => seeded((r) => feasibleA1(r, shape));
export const seededViolatingA1a = (shape: DataShape): fc.Arbitrary<Dataset> => seeded((r) => violatingA1a(r, shape));
export const seededViolatingA1b = (shape: DataShape): fc.Arbitrary<Dataset> => seeded((r) => violatingA1b(r, shape));
export const seededViolatingA1c = (shape: DataShape): fc.Arbitrary<Dataset> => seeded((r) => violatingA1c(r, shape));
export const seededAlignedKQ = (shape: DataShape, alpha = '1e-3'): fc.Arbitrary<AlignedKQ> => seeded((r) => alignedKQ(r, shape, alpha));
export const seededUnbalancedInit = (d: number, alpha: string): fc.Arbitrary<DiagInit> => seeded((r) => unbalancedInit(r, d, alpha));

/** A shape up to the given maxima (T ≥ minT). */
export const arbDataShape = (max: DataShape, minT = 2): fc.Arbitrary<DataShape> =>
  fc.record({ n: fc.integer({ min: 1, max: max.n }), T: fc.integer({ min: minT, max: Math.max(minT, max.T) }), d: fc.integer({ min: 1, max: max.d }) });

/** Seeded A1 data of a random shape up to `max`. */
export const seededFeasibleA1UpTo = (max: DataShape): fc.Arbitrary<Dataset> =>
  fc.tuple(arbDataShape(max), fc.integer()).map(([s, seed]) => feasibleA1(mulberry32(seed), s)).filter(nonNull);
