/**
 * fast-check arbitraries for datasets with small rational entries (shrinking leads to small readable data).
 */
import fc from 'fast-check';
import type { Dataset, Sample } from '../../src/data/Dataset.js';
import { type Rational, rat } from '../../src/numeric/rational.js';
import { maximizers, tokenScores } from '../../src/model/constraints.js';

/** A small rational: integer in [-4, 4] over a denominator in {1, 2, 3, 4}. */
export const arbSmallRational: fc.Arbitrary<Rational> = fc
  .tuple(fc.integer({ min: -4, max: 4 }), fc.constantFrom(1, 2, 3, 4))
  .map(([p, q]) => rat(p, q));

export interface Shape {
  readonly n: number;
  readonly T: number;
  readonly d: number;
}

export const arbShape = (max: Shape): fc.Arbitrary<Shape> =>
  fc.record({ n: fc.integer({ min: 1, max: max.n }), T: fc.integer({ min: 2, max: max.T }), d: fc.integer({ min: 1, max: max.d }) });

/** A dataset of the given shape with a unique optimal token in every sample (A1(a)). */
export function arbDatasetOfShape(s: Shape): fc.Arbitrary<Dataset> {
  const vec = fc.array(arbSmallRational, { minLength: s.d, maxLength: s.d });
  const sample: fc.Arbitrary<Sample> = fc.record({
    X: fc.array(vec, { minLength: s.T, maxLength: s.T }),
    z: vec,
    y: fc.constantFrom<1 | -1>(1, -1),
  });
  return fc
    .record({ head: vec, samples: fc.array(sample, { minLength: s.n, maxLength: s.n }) })
    .map((r) => ({ d: s.d, head: r.head, samples: r.samples }))
    .filter((data) => maximizers(tokenScores(data)).every((m) => m.length === 1));
}

export const arbDataset = (max: Shape): fc.Arbitrary<Dataset> => arbShape(max).chain(arbDatasetOfShape);

/**
 * A dataset satisfying A1(a)(b) by the planted construction of issue 6: with h fixed, every token is
 * x = y·γ·h/‖h‖² + P g (P = I − hhᵀ/‖h‖²) with γ = γ_opt for one token and the common γ⁻ for the others.
 */
export function arbPlantedAB(max: Shape): fc.Arbitrary<Dataset> {
  return arbShape(max).chain((s) => {
    const vec = fc.array(arbSmallRational, { minLength: s.d, maxLength: s.d });
    const head = vec.filter((h) => h.some((x) => x.num !== 0n));
    const sample = fc.record({
      G: fc.array(vec, { minLength: s.T, maxLength: s.T }),
      z: vec,
      y: fc.constantFrom<1 | -1>(1, -1),
      opt: fc.integer({ min: 0, max: s.T - 1 }),
      gOpt: fc.integer({ min: 1, max: 4 }),
      gLow: fc.integer({ min: -3, max: 0 }),
    });
    return fc.record({ head, samples: fc.array(sample, { minLength: s.n, maxLength: s.n }) }).map((r) => planted(r.head, r.samples));
  });
}

import { qadd, qdiv, qdot, qmul, qsub } from '../../src/numeric/rational.js';

export function planted(
  head: Rational[],
  samples: { G: Rational[][]; z: Rational[]; y: 1 | -1; opt: number; gOpt: number; gLow: number }[],
): Dataset {
  const hh = qdot(head, head);
  const project = (g: Rational[]): Rational[] => {
    const c = qdiv(qdot(head, g), hh);
    return g.map((x, j) => qsub(x, qmul(c, head[j]!)));
  };
  return {
    d: head.length,
    head,
    samples: samples.map((s) => ({
      z: s.z,
      y: s.y,
      X: s.G.map((g, t) => {
        const gamma = rat(t === s.opt ? s.gOpt : s.gLow);
        const along = qdiv(qmul(rat(s.y), gamma), hh);
        const pg = project(g);
        return pg.map((x, j) => qadd(x, qmul(along, head[j]!)));
      }),
    })),
  };
}
