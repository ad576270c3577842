/**
 * An exact (rational) bounded-variable primal simplex for the dual of the ℓ1 SVM (SPEC.md §5):
 *
 *   (D)  max 1ᵀλ  s.t.  Aᵀλ + s = 1,  λ ≥ 0,  0 ≤ s ≤ 2        (s = 1 − Aᵀλ, i.e. −1 ≤ Aᵀλ ≤ 1).
 *
 * A basis of (D) is described by the primal data it encodes:
 *   K — the basic λ's (rows of A, active constraints ⟨a_k, w⟩ = 1),
 *   S — the coordinates whose slack s_j is nonbasic, at 0 (σ_j = +1) or at 2 (σ_j = −1): the support of w,
 * with |K| = |S| and A_{K,S} nonsingular. Then λ_K solves A_{K,S}ᵀ λ_K = σ_S, the simplex multipliers are
 * the primal point w (w_S = A_{K,S}⁻¹ 1, w elsewhere 0) and the basis is optimal exactly when w is
 * feasible (Aw ≥ 1) and sign-consistent (σ_j w_j ≥ 0): the KKT conditions of §5.
 * Unboundedness of (D) yields a Farkas ray (λ ≥ 0, Aᵀλ = 0). Warm-started from glpk's float solution.
 */
import { type Rational, Q0, Q1, rat, qadd, qsub, qmul, qdiv, qneg, qsign, qcmp } from '../numeric/rational.js';
import { solveIntegerSquare, solveRationalSquare, integerRows, type IntegerRows } from './exactLinalg.js';

export interface L1Basis {
  readonly K: readonly number[];
  readonly S: readonly number[];
  readonly sigma: readonly (1 | -1)[];
}

export type L1SimplexOutcome =
  | { kind: 'optimal'; w: Rational[]; lambda: Rational[]; basis: L1Basis; pivots: number }
  | { kind: 'infeasible'; farkas: Rational[]; pivots: number }
  | { kind: 'failed'; reason: string; pivots: number };

export type { IntegerRows } from './exactLinalg.js';
export { integerRows } from './exactLinalg.js';

interface Point {
  /** w = num / den with den > 0 */
  readonly num: bigint[];
  readonly den: bigint;
}

/** w_S = A_{K,S}⁻¹ 1 in integers (rows k scaled: aInt_{k,S} w = scale_k). */
function primalPoint(rows: IntegerRows, d: number, K: readonly number[], S: readonly number[]): Point | null {
  const M = K.map((k) => S.map((j) => rows.ints[k]![j]!));
  const sol = solveIntegerSquare(M, [K.map((k) => rows.scale[k]!)]);
  if (!sol) return null;
  let den = sol.det;
  let xs = sol.X[0]!;
  if (den < 0n) { den = -den; xs = xs.map((x) => -x); }
  const num = new Array<bigint>(d).fill(0n);
  S.forEach((j, r) => { num[j] = xs[r]!; });
  return { num, den };
}

/** ⟨a_k, w⟩ − 1 as an exact sign and a float estimate. */
function slackOf(rows: IntegerRows, k: number, w: Point): { sign: -1 | 0 | 1; approx: number } {
  const r = rows.ints[k]!;
  let s = 0n;
  for (let j = 0; j < r.length; j++) if (w.num[j] !== 0n && r[j] !== 0n) s += r[j]! * w.num[j]!;
  const lhs = s;
  const rhs = rows.scale[k]! * w.den;
  const diff = lhs - rhs;
  const sign = diff > 0n ? 1 : diff < 0n ? -1 : 0;
  return { sign, approx: sign === 0 ? 0 : Number(diff) / Number(rhs) || sign * 1e-300 };
}

/** Rational copy of row k. */
function rowQ(rows: IntegerRows, k: number): Rational[] {
  return rows.ints[k]!.map((x) => rat(x, rows.scale[k]!));
}

export interface L1SimplexOptions {
  readonly maxPivots?: number;
}

/**
 * Run the exact simplex on (D) from the first of `starts` that is a nonsingular, (D)-feasible basis
 * (falls back to the slack basis K = S = ∅, λ = 0, which is always feasible).
 */
export function exactL1Simplex(a: readonly (readonly Rational[])[], d: number, starts: readonly L1Basis[], opts: L1SimplexOptions = {}): L1SimplexOutcome & { warm: boolean } {
  const rows = integerRows(a);
  const m = a.length;
  const aQ = a.map((_, k) => rowQ(rows, k));
  const maxPivots = opts.maxPivots ?? 50 * (m + d) + 1000;

  let K: number[] = [];
  let S: number[] = [];
  let sigma: (1 | -1)[] = [];
  let warm = false;
  for (const start of starts) {
    if (start.K.length !== start.S.length) continue;
    const st = basicSolution(aQ, d, start.K, start.S, start.sigma);
    if (st && st.feasible) { K = [...start.K]; S = [...start.S]; sigma = [...start.sigma]; warm = true; break; }
  }

  let pivots = 0;
  let degenerateStreak = 0;
  for (;;) {
    if (pivots > maxPivots) return { kind: 'failed', reason: `exact simplex exceeded ${maxPivots} pivots`, pivots, warm };
    const bs = basicSolution(aQ, d, K, S, sigma);
    if (!bs) return { kind: 'failed', reason: 'singular basis in exact simplex (internal error)', pivots, warm };
    const w = primalPoint(rows, d, K, S);
    if (!w) return { kind: 'failed', reason: 'singular basis in exact simplex (internal error)', pivots, warm };
    const bland = degenerateStreak > 2 * d + 10;

    // pricing: entering candidates are violated constraints (λ_k) and wrong-sign support coordinates (s_j)
    const inK = new Set(K);
    let enter: { type: 'lambda'; k: number } | { type: 'slack'; pos: number } | null = null;
    let best = 0;
    for (let k = 0; k < m; k++) {
      if (inK.has(k)) continue;
      const sl = slackOf(rows, k, w);
      if (sl.sign < 0) {
        const score = -sl.approx;
        if (bland) { enter = { type: 'lambda', k }; break; }
        if (enter === null || score > best) { enter = { type: 'lambda', k }; best = score; }
      }
    }
    if (!(bland && enter)) {
      for (let r = 0; r < S.length; r++) {
        const j = S[r]!;
        const wj = w.num[j]!;
        if ((sigma[r] === 1 && wj < 0n) || (sigma[r] === -1 && wj > 0n)) {
          const score = Math.abs(Number(wj) / Number(w.den)) || 1e-300;
          if (bland) { if (enter === null || (enter.type === 'slack' && S[enter.pos]! > j)) enter = { type: 'slack', pos: r }; continue; }
          if (enter === null || score > best) { enter = { type: 'slack', pos: r }; best = score; }
        }
      }
    }
    if (enter === null) {
      const lambda = new Array<Rational>(m).fill(Q0);
      K.forEach((k, r) => { lambda[k] = bs.lambdaK[r]!; });
      const wq = w.num.map((x) => rat(x, w.den));
      return { kind: 'optimal', w: wq, lambda, basis: { K, S, sigma }, pivots, warm };
    }

    // direction of the basic variables: A_{K,S}ᵀ dλ_K = −(entering column restricted to S)
    const AKS_T = S.map((j) => K.map((k) => aQ[k]![j]!));
    let colS: Rational[];
    let colZ: (j: number) => Rational;
    let ownRange: Rational | null;
    if (enter.type === 'lambda') {
      const q = enter.k;
      colS = S.map((j) => aQ[q]![j]!);
      colZ = (j) => aQ[q]![j]!;
      ownRange = null;
    } else {
      const p = enter.pos;
      const delta = sigma[p] === 1 ? Q1 : qneg(Q1); // s_p leaves 0 upward (δ=+1) or 2 downward (δ=−1)
      colS = S.map((_, r) => (r === p ? delta : Q0));
      colZ = () => Q0;
      ownRange = rat(2);
    }
    const dLambda = K.length === 0 ? [] : solveRationalSquare(AKS_T, colS.map(qneg));
    if (!dLambda) return { kind: 'failed', reason: 'singular basis in direction solve (internal error)', pivots, warm };
    const inS = new Set(S);
    const Z: number[] = [];
    for (let j = 0; j < d; j++) if (!inS.has(j)) Z.push(j);
    // ds_j = −col_j − Σ_k a_{k,j} dλ_k for j ∈ Z;  current s_j = 1 − ξ_j
    const ratio: { t: Rational | null; leave: Leave | null; index: number } = {
      t: ownRange, leave: ownRange ? { type: 'flip' } : null, index: Infinity,
    };
    const consider = (t: Rational, l: Leave, index: number): void => {
      const c = ratio.t === null ? -1 : qcmp(t, ratio.t);
      if (c < 0 || (c === 0 && index < ratio.index)) { ratio.t = t; ratio.leave = l; ratio.index = index; }
    };
    K.forEach((k, r) => {
      const dl = dLambda[r]!;
      if (qsign(dl) < 0) consider(qdiv(bs.lambdaK[r]!, qneg(dl)), { type: 'lambda', r }, k);
    });
    for (const j of Z) {
      let ds = qneg(colZ(j));
      K.forEach((k, r) => { const akj = aQ[k]![j]!; if (akj.num !== 0n) ds = qsub(ds, qmul(akj, dLambda[r]!)); });
      const sj = bs.sZ.get(j)!;
      if (qsign(ds) < 0) consider(qdiv(sj, qneg(ds)), { type: 'slack', j, toUpper: false }, m + j);
      else if (qsign(ds) > 0) consider(qdiv(qsub(rat(2), sj), ds), { type: 'slack', j, toUpper: true }, m + j);
    }
    const tBest = ratio.t;
    if (tBest === null || ratio.leave === null) {
      // (D) unbounded along a ray of λ's: a Farkas certificate of primal infeasibility (§3 A1(c))
      if (enter.type !== 'lambda') return { kind: 'failed', reason: 'unbounded slack direction (internal error)', pivots, warm };
      const ray = new Array<Rational>(m).fill(Q0);
      K.forEach((k, r) => { ray[k] = dLambda[r]!; });
      ray[enter.k] = Q1;
      let total = Q0;
      for (const x of ray) total = qadd(total, x);
      return { kind: 'infeasible', farkas: ray.map((x) => qdiv(x, total)), pivots, warm };
    }
    degenerateStreak = qsign(tBest) === 0 ? degenerateStreak + 1 : 0;
    pivots++;
    const L: Leave = ratio.leave;
    if (enter.type === 'lambda') {
      if (L.type === 'lambda') { K[L.r] = enter.k; }
      else if (L.type === 'slack') { K.push(enter.k); S.push(L.j); sigma.push(L.toUpper ? -1 : 1); }
      else return { kind: 'failed', reason: 'flip of a λ (internal error)', pivots, warm };
    } else {
      const p = enter.pos;
      if (L.type === 'flip') { sigma[p] = sigma[p] === 1 ? -1 : 1; }
      else if (L.type === 'lambda') {
        K.splice(L.r, 1); S.splice(p, 1); sigma.splice(p, 1);
      } else { S[p] = L.j; sigma[p] = L.toUpper ? -1 : 1; }
    }
  }
}

type Leave = { type: 'lambda'; r: number } | { type: 'slack'; j: number; toUpper: boolean } | { type: 'flip' };

interface BasicSolution {
  readonly lambdaK: Rational[];
  /** s_j = 1 − ξ_j for j ∉ S */
  readonly sZ: Map<number, Rational>;
  /** λ_K ≥ 0 and s_Z ∈ [0, 2] */
  readonly feasible: boolean;
}

/** λ_K from A_{K,S}ᵀ λ_K = σ_S; s_Z = 1 − A_{K,Z}ᵀ λ_K. Null when A_{K,S} is singular. */
function basicSolution(aQ: readonly (readonly Rational[])[], d: number, K: readonly number[], S: readonly number[], sigma: readonly (1 | -1)[]): BasicSolution | null {
  let lambdaK: Rational[] = [];
  if (K.length > 0) {
    const M = S.map((j) => K.map((k) => aQ[k]![j]!));
    const sol = solveRationalSquare(M, sigma.map((s) => rat(s)));
    if (!sol) return null;
    lambdaK = sol;
  }
  const inS = new Set(S);
  const sZ = new Map<number, Rational>();
  let feasible = lambdaK.every((x) => qsign(x) >= 0);
  for (let j = 0; j < d; j++) {
    if (inS.has(j)) continue;
    let xi = Q0;
    K.forEach((k, r) => { const akj = aQ[k]![j]!; if (akj.num !== 0n) xi = qadd(xi, qmul(akj, lambdaK[r]!)); });
    const s = qsub(Q1, xi);
    sZ.set(j, s);
    if (qsign(s) < 0 || qcmp(s, rat(2)) > 0) feasible = false;
  }
  return { lambdaK, sZ, feasible };
}
