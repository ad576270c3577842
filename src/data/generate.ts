/**
 * Seeded, pure generators of exact-rational datasets (SPEC.md §1, §3, §7) for property tests, the
 * counterexample search and stored instances. Every generator takes its randomness from an explicit
 * `rng` (use `mulberry32(seed)`), so a (generator, seed, shape, GENERATOR_VERSION) tuple reproduces a
 * dataset exactly. Entries are small integers or simple fractions (denominator ‖h‖²), so exact
 * certificates stay cheap and shrunk data stay readable.
 *
 * Bump GENERATOR_VERSION whenever a generator's output for a given seed changes: it is recorded with
 * every stored instance and counterexample in proofs-data/.
 */
import type { Dataset, Sample } from './Dataset.js';
import { type Rational, Q0, Q1, qadd, qdiv, qdot, qmul, qneg, qsub, qcmp, rat } from '../numeric/rational.js';
import { buildConstraints, maximizers, tokenScores } from '../model/constraints.js';
import { checkAssumptionAB } from '../model/assumptions.js';
import { svmFeasibility } from '../svm/feasibility.js';
import { type DiagInit, defaultDiagInit, parseAlpha } from '../flows/init.js';

export const GENERATOR_VERSION = 1;

export interface DataShape {
  /** number of samples */
  readonly n: number;
  /** tokens per sample (T ≥ 2) */
  readonly T: number;
  /** dimension */
  readonly d: number;
}

export type Rng = () => number;

/** mulberry32: a tiny 32-bit seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [lo, hi]. */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

const sign = (rng: Rng): 1 | -1 => (rng() < 0.5 ? 1 : -1);
const intVec = (rng: Rng, d: number, lo: number, hi: number): Rational[] => Array.from({ length: d }, () => rat(randInt(rng, lo, hi)));
const nonZeroIntVec = (rng: Rng, d: number, lo: number, hi: number): Rational[] => {
  for (;;) {
    const v = intVec(rng, d, lo, hi);
    if (v.some((x) => x.num !== 0n)) return v;
  }
};

function checkShape(shape: DataShape): void {
  if (!(Number.isInteger(shape.n) && shape.n >= 1)) throw new RangeError(`shape.n must be an integer ≥ 1, got ${shape.n}`);
  if (!(Number.isInteger(shape.T) && shape.T >= 2)) throw new RangeError(`shape.T must be an integer ≥ 2, got ${shape.T}`);
  if (!(Number.isInteger(shape.d) && shape.d >= 1)) throw new RangeError(`shape.d must be an integer ≥ 1, got ${shape.d}`);
}

/**
 * The planted construction: x = y·γ·h/‖h‖² + P g with P = I − hhᵀ/‖h‖², so that γ_{i,t} = y_i hᵀx_{i,t} = γ
 * exactly. `gammas[t]` is the score of token t; g are small integer vectors.
 */
export function plantToken(head: readonly Rational[], y: 1 | -1, gamma: Rational, g: readonly Rational[]): Rational[] {
  const hh = qdot(head, head);
  const c = qdiv(qdot(head, g), hh);
  const along = qdiv(qmul(rat(y), gamma), hh);
  return g.map((x, j) => qadd(qsub(x, qmul(c, head[j]!)), qmul(along, head[j]!)));
}

/** One planted sample with the given token scores. */
function plantedSample(rng: Rng, head: readonly Rational[], gammas: readonly Rational[]): Sample {
  const d = head.length;
  const y = sign(rng);
  const z = nonZeroIntVec(rng, d, -2, 2);
  const X = gammas.map((gm) => plantToken(head, y, gm, intVec(rng, d, -2, 2)));
  return { X, z, y };
}

/** A head with small integer entries, not all zero. */
function randomHead(rng: Rng, d: number): Rational[] {
  return nonZeroIntVec(rng, d, -2, 2);
}

/** Scores for one A1(a)(b) sample: γ_opt ∈ [1, 3] at a random position, common γ⁻ ∈ [γ_opt − 3, γ_opt − 1]. */
function plantedScores(rng: Rng, T: number): Rational[] {
  const opt = randInt(rng, 0, T - 1);
  const gOpt = randInt(rng, 1, 3);
  const gLow = gOpt - randInt(rng, 1, 3);
  return Array.from({ length: T }, (_, t) => rat(t === opt ? gOpt : gLow));
}

/**
 * A1(a)(b) by construction (one optimal score γ_opt > the common non-optimal γ⁻ in every sample); A1(c)
 * is not guaranteed (use `feasibleA1`).
 */
export function plantedA1(rng: Rng, shape: DataShape): Dataset {
  checkShape(shape);
  const head = randomHead(rng, shape.d);
  const samples = Array.from({ length: shape.n }, () => plantedSample(rng, head, plantedScores(rng, shape.T)));
  return { name: `plantedA1 n=${shape.n} T=${shape.T} d=${shape.d}`, d: shape.d, head, samples };
}

/** Diagonal A1(c): the ℓ1/diag SVM is feasible (decided exactly). */
export function diagFeasible(data: Dataset): boolean {
  const opt = maximizers(tokenScores(data));
  if (opt.some((m) => m.length !== 1)) return false;
  return svmFeasibility(buildConstraints(data, opt.map((m) => m[0]!)), 'diag').feasible;
}

/** Which parts of Assumption 1 hold (diag structure for (c); c = null when (a) fails). */
export function assumptionParts(data: Dataset): { a: boolean; b: boolean; c: boolean | null } {
  const ab = checkAssumptionAB(data);
  const bHolds = ab.a && ab.samples.every((s) => s.b);
  return { a: ab.a, b: bHolds, c: ab.a ? diagFeasible(data) : null };
}

/** plantedA1 filtered by the exact diagonal feasibility of the SVM: all of A1 (a)(b)(c) hold. */
export function feasibleA1(rng: Rng, shape: DataShape, maxTries = 200): Dataset | null {
  for (let k = 0; k < maxTries; k++) {
    const data = plantedA1(rng, shape);
    if (diagFeasible(data)) return { ...data, name: `feasibleA1 n=${shape.n} T=${shape.T} d=${shape.d}` };
  }
  return null;
}

/**
 * A1(b) violated, (a) and (c) hold: one sample (at least) has two distinct non-optimal scores. Needs T ≥ 3
 * (with T = 2 there is a single non-optimal token and (b) holds trivially); returns null otherwise or when
 * no feasible instance is found in maxTries.
 */
export function violatingA1b(rng: Rng, shape: DataShape, maxTries = 200): Dataset | null {
  checkShape(shape);
  if (shape.T < 3) return null;
  for (let k = 0; k < maxTries; k++) {
    const head = randomHead(rng, shape.d);
    const bad = randInt(rng, 0, shape.n - 1);
    const samples = Array.from({ length: shape.n }, (_, i) => {
      if (i !== bad) return plantedSample(rng, head, plantedScores(rng, shape.T));
      const opt = randInt(rng, 0, shape.T - 1);
      const gOpt = randInt(rng, 1, 3);
      const lows = Array.from({ length: shape.T }, () => gOpt - randInt(rng, 1, 4));
      // force two distinct non-optimal scores
      const others = lows.map((_, t) => t).filter((t) => t !== opt);
      if (lows[others[0]!] === lows[others[1]!]) lows[others[1]!] = lows[others[0]!]! === gOpt - 1 ? gOpt - 2 : gOpt - 1;
      return plantedSample(rng, head, lows.map((v, t) => rat(t === opt ? gOpt : v)));
    });
    const data: Dataset = { name: `violatingA1b n=${shape.n} T=${shape.T} d=${shape.d}`, d: shape.d, head, samples };
    const p = assumptionParts(data);
    if (p.a && !p.b && p.c === true) return data;
  }
  return null;
}

/** A1(a) violated: one sample has two tokens tied for the best score. */
export function violatingA1a(rng: Rng, shape: DataShape, maxTries = 200): Dataset | null {
  checkShape(shape);
  for (let k = 0; k < maxTries; k++) {
    const head = randomHead(rng, shape.d);
    const bad = randInt(rng, 0, shape.n - 1);
    const samples = Array.from({ length: shape.n }, (_, i) => {
      if (i !== bad) return plantedSample(rng, head, plantedScores(rng, shape.T));
      const gOpt = randInt(rng, 1, 3);
      const gLow = gOpt - randInt(rng, 1, 3);
      const t1 = randInt(rng, 0, shape.T - 1);
      let t2 = randInt(rng, 0, shape.T - 2);
      if (t2 >= t1) t2++;
      return plantedSample(rng, head, Array.from({ length: shape.T }, (_, t) => rat(t === t1 || t === t2 ? gOpt : gLow)));
    });
    const data: Dataset = { name: `violatingA1a n=${shape.n} T=${shape.T} d=${shape.d}`, d: shape.d, head, samples };
    if (!assumptionParts(data).a) return data;
  }
  return null;
}

/**
 * A1(c) violated, (a) and (b) hold: the diagonal SVM is infeasible. With n ≥ 2 the last sample repeats
 * sample 0 with z negated (same scores, constraints a and −a: no w has both margins ≥ 1); with n = 1,
 * random planted data filtered for infeasibility.
 */
export function violatingA1c(rng: Rng, shape: DataShape, maxTries = 200): Dataset | null {
  checkShape(shape);
  for (let k = 0; k < maxTries; k++) {
    const base = plantedA1(rng, shape);
    let samples = base.samples;
    if (shape.n >= 2 && rng() < 0.8) {
      const s0 = samples[0]!;
      samples = [...samples.slice(0, -1), { X: s0.X, y: s0.y, z: s0.z.map(qneg) }];
    }
    const data: Dataset = { name: `violatingA1c n=${shape.n} T=${shape.T} d=${shape.d}`, d: shape.d, head: base.head, samples };
    const p = assumptionParts(data);
    if (p.a && p.b && p.c === false) return data;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Aligned kq data and init (A.T2, SPEC.md §7)

/** A rational rotation in the (j, k) plane by the Pythagorean triple (a, b, c): cos = a/c, sin = b/c. */
function givens(d: number, j: number, k: number, a: number, b: number, c: number): Rational[][] {
  const R = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, s) => (r === s ? Q1 : Q0)));
  R[j]![j] = rat(a, c); R[k]![k] = rat(a, c);
  R[j]![k] = rat(-b, c); R[k]![j] = rat(b, c);
  return R;
}

const matMul = (A: readonly (readonly Rational[])[], B: readonly (readonly Rational[])[]): Rational[][] =>
  A.map((row) => B[0]!.map((_, s) => row.reduce((acc, v, r) => qadd(acc, qmul(v, B[r]![s]!)), Q0)));
const matVec = (A: readonly (readonly Rational[])[], v: readonly Rational[]): Rational[] => A.map((row) => qdot(row, v));

const TRIPLES: readonly (readonly [number, number, number])[] = [[3, 4, 5], [4, 3, 5], [5, 12, 13], [12, 5, 13]];

/** A rational orthogonal d×d matrix: a product of Pythagorean-triple plane rotations (identity when d = 1). */
export function rationalOrthogonal(rng: Rng, d: number, rotations = d - 1): Rational[][] {
  let R: Rational[][] = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, s) => (r === s ? Q1 : Q0)));
  for (let k = 0; k < rotations && d > 1; k++) {
    const j = randInt(rng, 0, d - 1);
    let l = randInt(rng, 0, d - 2);
    if (l >= j) l++;
    const [a, b, c] = TRIPLES[randInt(rng, 0, TRIPLES.length - 1)]!;
    R = matMul(R, givens(d, j, l, a, b, c));
  }
  return R;
}

export interface AlignedKQ {
  readonly data: Dataset;
  /** K₀ = U diag(k₀) Pᵀ (here P = I, U = R) */
  readonly K0: Rational[][];
  /** Q₀ = V diag(q₀) Pᵀ (here V = R) */
  readonly Q0: Rational[][];
  /** the orthogonal U = V (rows as exact rationals) */
  readonly R: Rational[][];
  readonly k0: Rational[];
  readonly q0: Rational[];
}

/**
 * Data and an aligned init for A.T2: in the frame R every sample i lives on one coordinate j_i — its
 * tokens differ only in coordinate j_i and z_i ∝ e_{j_i} — so every A_{i,t} = (x_opt − x_t) z_iᵀ is
 * diagonal; then x → Rx, z → Rz, h → Rh with R rational orthogonal, so Rᵀ A_{i,t} R is diagonal and
 * K₀ = R diag(k₀), Q₀ = R diag(q₀) are aligned (U = V = R, P = I). A1(a)(b)(c) hold (signs of z chosen so
 * every diagonal constraint is positive on its coordinate). Init: k₀ = 2α·1·(1..3 random), q₀ = α·(0..1),
 * with |k₀_j| ≠ |q₀_j|.
 */
export function alignedKQ(rng: Rng, shape: DataShape, alpha = '1e-3', rotate = true): AlignedKQ {
  checkShape(shape);
  const d = shape.d;
  let h0 = intVec(rng, d, -2, 2).map((x, j) => (x.num === 0n ? rat(j % 2 === 0 ? 1 : -1) : x)); // every h_j ≠ 0
  const samples0: Sample[] = [];
  for (let i = 0; i < shape.n; i++) {
    const j = randInt(rng, 0, d - 1);
    const y = sign(rng);
    const base = intVec(rng, d, -2, 2);
    const opt = randInt(rng, 0, shape.T - 1);
    // token t = base + s_t e_j, score y h_j s_t: s_opt chosen so y h_j (s_opt − s_low) > 0
    const dir = y * Number(h0[j]!.num > 0n ? 1 : -1);
    const sLow = randInt(rng, -2, 1);
    const sOpt = sLow + dir * randInt(rng, 1, 2);
    const X = Array.from({ length: shape.T }, (_, t) => base.map((v, r) => (r === j ? qadd(v, rat(t === opt ? sOpt : sLow)) : v)));
    // a_{i,t} = (sOpt − sLow) c e_j: choose c with (sOpt − sLow) c > 0
    const c = rat((sOpt - sLow > 0 ? 1 : -1) * randInt(rng, 1, 2));
    const z = Array.from({ length: d }, (_, r) => (r === j ? c : Q0));
    samples0.push({ X, z, y });
  }
  const R = rotate ? rationalOrthogonal(rng, d) : rationalOrthogonal(rng, d, 0);
  const head = matVec(R, h0);
  h0 = head;
  const samples = samples0.map((s) => ({ X: s.X.map((x) => matVec(R, x)), z: matVec(R, s.z), y: s.y }));
  const a = parseAlpha(alpha);
  const k0: Rational[] = [];
  const q0: Rational[] = [];
  for (let j = 0; j < d; j++) {
    const kk = randInt(rng, 1, 3) * 2;
    let qq = randInt(rng, 0, 2);
    if (qq === kk) qq = 0;
    k0.push(qmul(rat(kk), a));
    q0.push(qmul(rat(qq), a));
  }
  const diagOf = (v: Rational[]): Rational[][] => v.map((x, r) => v.map((_, s) => (r === s ? x : Q0)));
  return {
    data: { name: `alignedKQ n=${shape.n} T=${shape.T} d=${d}`, d, head: h0, samples },
    K0: matMul(R, diagOf(k0)),
    Q0: matMul(R, diagOf(q0)),
    R,
    k0,
    q0,
  };
}

/** Is every Rᵀ A_{i,t} R diagonal (alignment check, exact)? */
export function isAligned(data: Dataset, R: readonly (readonly Rational[])[]): boolean {
  const opt = maximizers(tokenScores(data));
  if (opt.some((m) => m.length !== 1)) return false;
  const cs = buildConstraints(data, opt.map((m) => m[0]!));
  const Rt = R[0]!.map((_, s) => R.map((row) => row[s]!));
  return cs.full.every((c) => {
    const l = matVec(Rt, c.left);
    const r = matVec(Rt, c.right);
    return l.every((x, p) => r.every((v, q) => p === q || qmul(x, v).num === 0n));
  });
}

// ---------------------------------------------------------------------------------------------------
// Diagonal initializations (SPEC.md §4)

/** The default init at scale α: u₀ = b₀ = α (k₀ = 2α, q₀ = 0, κ = α²). */
export function initAtScale(d: number, alpha: string): DiagInit {
  return defaultDiagInit(d, alpha);
}

/** A random non-degenerate init at scale α: k₀_j = α·a_j, q₀_j = α·b_j, small integers with |a_j| ≠ |b_j|. */
export function unbalancedInit(rng: Rng, d: number, alpha: string): DiagInit {
  const a = parseAlpha(alpha);
  const k0: Rational[] = [];
  const q0: Rational[] = [];
  for (let j = 0; j < d; j++) {
    let p = randInt(rng, -3, 3);
    let q = randInt(rng, -3, 3);
    if (Math.abs(p) === Math.abs(q)) { p = Math.abs(q) + 1; if (rng() < 0.5) p = -p; }
    k0.push(qmul(rat(p), a));
    q0.push(qmul(rat(q), a));
  }
  return { k0, q0 };
}

/**
 * A balanced (degenerate) init: k₀ = q₀ = α on the coordinates in `coords` (all by default), so κ_j = 0
 * and w_j = u_j² ≥ 0 can never change sign; the other coordinates get the default k₀ = 2α, q₀ = 0.
 */
export function balancedInit(d: number, alpha: string, coords?: readonly number[]): DiagInit {
  const a = parseAlpha(alpha);
  const on = new Set(coords ?? Array.from({ length: d }, (_, j) => j));
  return {
    k0: Array.from({ length: d }, (_, j) => (on.has(j) ? a : qmul(rat(2), a))),
    q0: Array.from({ length: d }, (_, j) => (on.has(j) ? a : Q0)),
  };
}

/** Exact comparison helper re-exported for tests. */
export const rationalLess = (a: Rational, b: Rational): boolean => qcmp(a, b) < 0;
