/**
 * Test helpers for the SVM suites: datasets that realize given constraint vectors exactly, and
 * fast-check arbitraries of small rational instances.
 */
import fc from 'fast-check';
import type { Dataset } from '../../src/data/Dataset.js';
import { type Rational, rat, qdot, qsign, Q0 } from '../../src/numeric/rational.js';

export const q = (n: number, d = 1): Rational => rat(n, d);
export const qs = (xs: readonly (number | [number, number])[]): Rational[] =>
  xs.map((x) => (Array.isArray(x) ? rat(x[0], x[1]) : rat(x)));

/** A generic head (entries 1/(j+2) + j/7) so that h·a ≠ 0 for most small integer a. */
export function genericHead(d: number): Rational[] {
  return Array.from({ length: d }, (_, j) => rat(7 + (j + 2) * j * 3 + 1, 7 * (j + 2)));
}

/**
 * A dataset whose diagonal constraints are exactly the given rows: sample k has tokens x_0 = a_k,
 * x_1 = 0, query z = 1 and label y = sign(h·a_k), so opt = 0 and a_{k,1} = (x_0 − x_1) ⊙ z = a_k.
 * Returns null when some h·a_k = 0 (a tie).
 */
export function datasetFromDiagRows(rows: readonly (readonly Rational[])[], head?: readonly Rational[]): Dataset | null {
  const d = rows[0]!.length;
  const h = head ?? genericHead(d);
  const ones = Array.from({ length: d }, () => rat(1));
  const zeros = Array.from({ length: d }, () => Q0);
  const samples = [];
  for (const a of rows) {
    const s = qsign(qdot(h, a));
    if (s === 0) return null;
    samples.push({ X: [a, zeros], z: ones, y: s as 1 | -1 });
  }
  return { d, head: h, samples };
}

/** A dataset whose full constraints are left_k z_kᵀ (tokens x_0 = left_k, x_1 = 0). */
export function datasetFromFactors(pairs: readonly { left: readonly Rational[]; z: readonly Rational[] }[], head?: readonly Rational[]): Dataset | null {
  const d = pairs[0]!.left.length;
  const h = head ?? genericHead(d);
  const zeros = Array.from({ length: d }, () => Q0);
  const samples = [];
  for (const p of pairs) {
    const s = qsign(qdot(h, p.left));
    if (s === 0) return null;
    samples.push({ X: [p.left, zeros], z: p.z, y: s as 1 | -1 });
  }
  return { d, head: h, samples };
}

/** Small rationals: k/den with |k| ≤ 6, den ∈ {1, 2, 3}. */
export const arbSmallRational = fc.tuple(fc.integer({ min: -6, max: 6 }), fc.constantFrom(1, 1, 2, 3)).map(([k, den]) => rat(k, den));

export const arbRows = (m: number, d: number) =>
  fc.array(fc.array(arbSmallRational, { minLength: d, maxLength: d }), { minLength: m, maxLength: m });

/** Random instance sizes and rows: d ∈ [1, 4], m ∈ [1, 8]. */
export const arbDiagInstance = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }))
  .chain(([d, m]) => arbRows(m, d));

/**
 * Planted separable rows: a random w0 with integer entries and rows shifted so that ⟨a_k, w0⟩ ≥ 1.
 */
export const arbPlantedRows = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }))
  .chain(([d, m]) => fc.tuple(
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }).filter((w) => w.some((x) => x !== 0)),
    arbRows(m, d),
  ))
  .map(([w0, rows]) => {
    const j = w0.findIndex((x) => x !== 0);
    return rows.map((a) => {
      const h = a.reduce((s, x, i) => s + (Number(x.num) / Number(x.den)) * w0[i]!, 0);
      if (h >= 1) return a;
      // raise coordinate j until ⟨a, w0⟩ ≥ 1
      const shift = Math.ceil((1 - h) / Math.abs(w0[j]!)) * Math.sign(w0[j]!);
      return a.map((x, i) => (i === j ? rat(x.num + BigInt(shift) * x.den, x.den) : x));
    });
  });
