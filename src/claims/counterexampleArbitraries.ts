/**
 * fast-check arbitraries for the counterexample search (SPEC.md §7), built from fc primitives so that
 * shrinking leads to small readable datasets: fewer samples and tokens, integer entries shrinking to 0,
 * score gaps shrinking to 1. Every token is planted (`plantToken`): x = y·γ·h/‖h‖² + P g, so the scores γ
 * are exactly the generated integers and the entries have denominator ‖h‖².
 */
import fc from 'fast-check';
import type { Dataset, Sample } from '../data/Dataset.js';
import { type Rational, rat } from '../numeric/rational.js';
import { assumptionParts, plantToken } from '../data/generate.js';
import type { DiagInit } from '../flows/init.js';
import { balancedInit } from '../data/generate.js';

export interface SearchShape {
  /** at most this many samples (≥ 1) */
  readonly maxN: number;
  /** tokens per sample in [minT, maxT] */
  readonly minT: number;
  readonly maxT: number;
  /** dimension in [1, maxD] */
  readonly maxD: number;
}

export const SMALL_SEARCH_SHAPE: SearchShape = { maxN: 4, minT: 2, maxT: 3, maxD: 3 };

/** Score layout of one sample: the optimal score, its position, and the gaps Δ_t ≥ 1 of the others. */
interface RawSample {
  readonly y: 1 | -1;
  readonly z: readonly number[];
  readonly opt: number;
  readonly gOpt: number;
  /** one gap per token (the entry at opt is ignored); with equalGaps all non-optimal tokens use gaps[0] */
  readonly gaps: readonly number[];
  readonly G: readonly (readonly number[])[];
}

const ints = (d: number, lo = -2, hi = 2): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: lo, max: hi }), { minLength: d, maxLength: d });

function rawSample(d: number, s: SearchShape): fc.Arbitrary<RawSample> {
  return fc.integer({ min: s.minT, max: s.maxT }).chain((T) =>
    fc.record({
      y: fc.constantFrom<1 | -1>(1, -1),
      z: ints(d).filter((v) => v.some((x) => x !== 0)),
      opt: fc.integer({ min: 0, max: T - 1 }),
      // optimal score: 0 shrinks first; low scores give samples a large loss weight e^{−γ̄}
      gOpt: fc.integer({ min: -6, max: 4 }),
      gaps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: T, maxLength: T }),
      G: fc.array(ints(d), { minLength: T, maxLength: T }),
    }),
  );
}

function build(head: readonly number[], raws: readonly RawSample[], equalGaps: boolean): Dataset {
  const h: Rational[] = head.map((x) => rat(x));
  const samples: Sample[] = raws.map((r) => ({
    y: r.y,
    z: r.z.map((x) => rat(x)),
    X: r.G.map((g, t) => {
      const gap = t === r.opt ? 0 : equalGaps ? r.gaps[0]! : r.gaps[t]!;
      return plantToken(h, r.y, rat(r.gOpt - gap), g.map((x) => rat(x)));
    }),
  }));
  return { d: h.length, head: h, samples };
}

/** Raw planted data (before the assumption filters). */
export function arbPlantedRaw(s: SearchShape, equalGaps: boolean): fc.Arbitrary<Dataset> {
  return fc.integer({ min: 1, max: s.maxD }).chain((d) =>
    fc
      .record({
        head: ints(d).filter((v) => v.some((x) => x !== 0)),
        samples: fc.array(rawSample(d, s), { minLength: 1, maxLength: s.maxN }),
      })
      .map((r) => build(r.head, r.samples, equalGaps)),
  );
}

/** Data satisfying all of A1 (a)(b)(c) (diagonal SVM feasible, decided exactly). */
export function arbA1(s: SearchShape = SMALL_SEARCH_SHAPE): fc.Arbitrary<Dataset> {
  return arbPlantedRaw(s, true).filter((data) => {
    const p = assumptionParts(data);
    return p.a && p.b && p.c === true;
  });
}

/** Data with A1(a)(c) and NOT A1(b): some sample has unequal non-optimal scores. */
export function arbA1bViolated(s: SearchShape = { ...SMALL_SEARCH_SHAPE, minT: 3 }): fc.Arbitrary<Dataset> {
  return arbPlantedRaw({ ...s, minT: Math.max(3, s.minT), maxT: Math.max(3, s.maxT) }, false).filter((data) => {
    const p = assumptionParts(data);
    return p.a && !p.b && p.c === true;
  });
}

/** A1 data plus a non-empty set of balanced coordinates (k₀_j = q₀_j = α, κ_j = 0). */
export interface BalancedCase {
  readonly data: Dataset;
  readonly coords: readonly number[];
}

export function arbBalancedCase(s: SearchShape = SMALL_SEARCH_SHAPE): fc.Arbitrary<BalancedCase> {
  return arbA1(s).chain((data) =>
    fc
      .subarray(Array.from({ length: data.d }, (_, j) => j), { minLength: 1 })
      .map((coords) => ({ data, coords })),
  );
}

export const balancedCaseInit = (c: BalancedCase, alpha: string): DiagInit => balancedInit(c.data.d, alpha, c.coords);
