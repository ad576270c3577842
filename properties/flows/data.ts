/**
 * Seeded datasets for the flow-engine properties and the benchmark (deterministic: an LCG, no fast-check).
 *
 * `seededPlanted(n, T, d, seed)` satisfies A1(a)(b) by the planted construction of properties/support
 * (every token x = yγh/‖h‖² + P g, one γ_opt per sample and a common γ⁻ for the rest) and A1(c) by
 * construction: z_i = y_i k_i h + e_i with the small random e_i redrawn until ⟨x_opt − x_t, z_i⟩ > 0 for
 * every t, so that w = 1 has every margin > 0 (then a multiple of 1 is SVM-feasible). Feasibility is
 * re-checked exactly with `svmFeasibility` by callers that need the certificate.
 */
import type { Dataset } from '../../src/data/Dataset.js';
import { type Rational, rat, qdot, qsub, qcmp, Q0 } from '../../src/numeric/rational.js';
import { planted } from '../support/arbitraries.js';
import { svmConstraints, solveSvm } from '../../src/svm/solve.js';
import { svmFeasibility } from '../../src/svm/feasibility.js';

/** Numerical Recipes LCG in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

export function seededPlanted(n: number, T: number, d: number, seed: number): Dataset {
  const rnd = lcg(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const small = (): Rational => rat(int(-4, 4), int(1, 4));
  const head = Array.from({ length: d }, () => { const x = small(); return x.num === 0n ? rat(1, 2) : x; });
  const samples: { G: Rational[][]; z: Rational[]; y: 1 | -1; opt: number; gOpt: number; gLow: number }[] = [];
  for (let i = 0; i < n; i++) {
    const y: 1 | -1 = rnd() < 0.5 ? 1 : -1;
    const opt = int(0, T - 1);
    const gOpt = int(1, 4);
    const gLow = int(-3, 0);
    const G = Array.from({ length: T }, () => Array.from({ length: d }, small));
    const k = int(1, 3);
    let z: Rational[] = [];
    for (let attempt = 0; attempt < 1000; attempt++) {
      const scale = attempt < 500 ? 4 : 16; // shrink the noise if it keeps failing
      z = head.map((h) => rat(BigInt(y * k) * h.num * BigInt(scale) + BigInt(int(-4, 4)) * h.den, h.den * BigInt(scale)));
      if (z.every((x) => x.num === 0n)) continue;
      const ds = planted(head, [{ G, z, y, opt, gOpt, gLow }]);
      const X = ds.samples[0]!.X;
      if (X.every((x, t) => t === opt || qcmp(qdot(qsubv(X[opt]!, x), z), Q0) > 0)) break;
    }
    samples.push({ G, z, y, opt, gOpt, gLow });
  }
  return { ...planted(head, samples), name: `seeded-planted-${n}x${T}x${d}-s${seed}` };
}

const qsubv = (a: readonly Rational[], b: readonly Rational[]): Rational[] => a.map((x, j) => qsub(x, b[j]!));

export function isDiagFeasible(data: Dataset): boolean {
  return svmFeasibility(svmConstraints(data), 'diag').feasible;
}

/** The first `count` seeds from `from` whose dataset is diag-feasible (and, if asked, has a unique ℓ1 optimum). */
export function feasibleSeeds(n: number, T: number, d: number, count: number, opts: { from?: number; uniqueL1?: boolean } = {}): { seed: number; data: Dataset }[] {
  const out: { seed: number; data: Dataset }[] = [];
  for (let seed = opts.from ?? 1; out.length < count && seed < (opts.from ?? 1) + 500; seed++) {
    const data = seededPlanted(n, T, d, seed);
    if (!isDiagFeasible(data)) continue;
    if (opts.uniqueL1 && solveSvm(data, { norm: 'l1' }).unique !== true) continue;
    out.push({ seed, data });
  }
  return out;
}

/** Least-squares slope and intercept of y on x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < n; k++) { sxy += (xs[k]! - mx) * (ys[k]! - my); sxx += (xs[k]! - mx) ** 2; }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
