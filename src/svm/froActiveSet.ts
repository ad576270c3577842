/**
 * Goldfarb–Idnani dual active-set method for the Frobenius SVM (SPEC.md §5, problem `fro`):
 *
 *   min ½‖w‖²  s.t.  ⟨a_k, w⟩ ≥ 1     (w ∈ Q^D: diag w, or vec W for the full structure).
 *
 * Starts from the optimum of a subproblem (w = 0, or the min-norm point of a warm-start active set with
 * nonnegative multipliers) and adds violated constraints one at a time, dropping those whose multiplier
 * would turn negative, so the active normals stay linearly independent and w = Σ u_l a_l over the
 * active set. A dependent violated constraint with no droppable multiplier proves infeasibility and
 * yields a Farkas vector (λ ≥ 0, Σλ a = 0).
 *
 * Two instances: `floatActiveSet` (float64, finds the active set fast) and `exactActiveSet` (rationals,
 * warm-started from the float active set; usually 0–2 exact steps).
 */
import { type Rational, Q0, Q1, rat, qadd, qsub, qmul, qdiv, qneg, qsign, qcmp } from '../numeric/rational.js';
import { solveRationalSquare, solveIntegerSquare, independentSubset, rationalRow, type IntegerRows } from './exactLinalg.js';
import { combinationInt, marginsInt } from './l1Certificate.js';

export type GramEntry<S> = (k: number, l: number) => S;

/** ⟨a_k, a_l⟩ = num(k, l) / (scale_k · scale_l) with integer num and positive integer scales. */
export interface IntegerGram {
  readonly num: (k: number, l: number) => bigint;
  readonly scale: readonly bigint[];
}

export type FroActiveSetOutcome =
  | { kind: 'optimal'; lambda: Rational[]; active: number[]; steps: number }
  | { kind: 'infeasible'; farkas: Rational[]; steps: number }
  | { kind: 'failed'; reason: string; steps: number };

function memoGram<S>(gram: GramEntry<S>): GramEntry<S> {
  const cache = new Map<number, S>();
  return (k, l) => {
    const key = k < l ? k * 1_000_003 + l : l * 1_000_003 + k;
    let v = cache.get(key);
    if (v === undefined) { v = gram(k, l); cache.set(key, v); }
    return v;
  };
}

/**
 * Exact G-I. `start` (optional) is a guess of the active set: an independent subset is taken and
 * negative multipliers dropped until the equality-constrained min-norm point has u ≥ 0.
 */
export function exactActiveSet(rows: IntegerRows, dim: number, gram0: GramEntry<Rational>, start: readonly number[] = [], gramInt?: IntegerGram, maxSteps = 20 * rows.ints.length + 1000): FroActiveSetOutcome {
  const m = rows.ints.length;
  const gram = memoGram(gram0);
  let steps = 0;
  // warm start: the float active set (made independent only if its Gram matrix is singular)
  let A = [...start];
  let u: Rational[] = [];
  let reduced = false;
  for (;;) {
    if (A.length === 0) { u = []; break; }
    const sol = gramInt ? solveGramInteger(gramInt, A) : solveRationalSquare(A.map((k) => A.map((l) => gram(k, l))), A.map(() => Q1));
    if (!sol) {
      if (reduced) { A = []; u = []; break; }
      const sub = independentSubset(A.map((k) => rationalRow(rows, k)));
      A = sub.map((i) => A[i]!);
      reduced = true;
      continue;
    }
    let worst = -1;
    sol.forEach((x, i) => { if (qsign(x) < 0 && (worst < 0 || qcmp(x, sol[worst]!) < 0)) worst = i; });
    if (worst < 0) { u = sol; break; }
    A = A.filter((_, i) => i !== worst);
  }

  for (;;) {
    // step 1: the most violated constraint, margins computed exactly from w = Σ u a
    const lam = new Array<Rational>(m).fill(Q0);
    A.forEach((l, i) => { lam[l] = u[i]!; });
    const w = combinationInt(rows, lam, dim);
    const h = marginsInt(rows, w);
    let p = -1;
    for (let k = 0; k < m; k++) if (qcmp(h[k]!, Q1) < 0 && (p < 0 || qcmp(h[k]!, h[p]!) < 0)) p = k;
    if (p < 0) return { kind: 'optimal', lambda: lam, active: A, steps };
    let up = Q0;
    let sp = qsub(h[p]!, Q1);
    // step 2: move toward satisfying p, dropping blocking multipliers
    for (;;) {
      if (++steps > maxSteps) return { kind: 'failed', reason: `active-set method exceeded ${maxSteps} steps`, steps };
      const gAp = A.map((l) => gram(p, l));
      const r = A.length === 0 ? [] : solveRationalSquare(A.map((k) => A.map((l) => gram(k, l))), gAp);
      if (!r) return { kind: 'failed', reason: 'singular active Gram matrix (internal error)', steps };
      let zap = gram(p, p);
      A.forEach((_, i) => { zap = qsub(zap, qmul(gAp[i]!, r[i]!)); });
      const t2 = qsign(zap) > 0 ? qdiv(qneg(sp), zap) : null;
      let t1: Rational | null = null;
      let drop = -1;
      r.forEach((ri, i) => {
        if (qsign(ri) > 0) {
          const t = qdiv(u[i]!, ri);
          if (t1 === null || qcmp(t, t1) < 0) { t1 = t; drop = i; }
        }
      });
      if (t1 === null && t2 === null) {
        // a_p = Σ r_l a_l with r ≤ 0: λ = (−r, 1) / (1 − Σ r) is a Farkas vector
        const lambda = new Array<Rational>(m).fill(Q0);
        let total = Q1;
        A.forEach((l, i) => { lambda[l] = qneg(r[i]!); total = qadd(total, qneg(r[i]!)); });
        lambda[p] = Q1;
        return { kind: 'infeasible', farkas: lambda.map((x) => qdiv(x, total)), steps };
      }
      const full = t2 !== null && (t1 === null || qcmp(t2, t1 as Rational) <= 0);
      const t: Rational = full ? t2! : (t1 as unknown as Rational);
      u = u.map((ui, i) => qsub(ui, qmul(t, r[i]!)));
      up = qadd(up, t);
      sp = qadd(sp, qmul(t, zap)); // s_p(w + t z) = s_p + t zᵀa_p
      if (full) { A = [...A, p]; u = [...u, up]; break; }
      A = A.filter((_, i) => i !== drop);
      u = u.filter((_, i) => i !== drop);
    }
  }
}

/** Float64 G-I: returns the active set it ends with (a warm start for the exact method), or null. */
export function floatActiveSet(m: number, gram0: GramEntry<number>, maxSteps = 20 * m + 1000): number[] | null {
  // dense cached Gram columns (one per constraint that ever enters the active set)
  const cols = new Map<number, Float64Array>();
  const column = (l: number): Float64Array => {
    let c = cols.get(l);
    if (!c) { c = new Float64Array(m); for (let k = 0; k < m; k++) c[k] = gram0(k, l); cols.set(l, c); }
    return c;
  };
  const gram = (k: number, l: number): number => column(l)[k]!;
  const diag = Array.from({ length: m }, (_, k) => gram0(k, k));
  let A: number[] = [];
  let u: number[] = [];
  let steps = 0;
  const scale = Math.max(1e-300, ...diag);
  const tol = 1e-11;
  for (;;) {
    let p = -1;
    let worst = -tol;
    const slack = new Float64Array(m).fill(-1);
    A.forEach((l, i) => { const c = column(l); const ui = u[i]!; for (let k = 0; k < m; k++) slack[k] += c[k]! * ui; });
    for (let k = 0; k < m; k++) if (slack[k]! < worst) { worst = slack[k]!; p = k; }
    if (p < 0) return A;
    let up = 0;
    let sp = worst;
    for (;;) {
      if (++steps > maxSteps) return null;
      const gAp = A.map((l) => gram(p, l));
      const r = solveFloat(A.map((k) => A.map((l) => gram(k, l))), gAp);
      if (!r) return null;
      const zap = diag[p]! - gAp.reduce((s, g, i) => s + g * r[i]!, 0);
      const t2 = zap > 1e-12 * scale ? -sp / zap : Infinity;
      let t1 = Infinity;
      let drop = -1;
      r.forEach((ri, i) => { if (ri > 1e-14) { const t = u[i]! / ri; if (t < t1) { t1 = t; drop = i; } } });
      if (!Number.isFinite(t1) && !Number.isFinite(t2)) return null; // infeasible (the exact method decides)
      const full = t2 <= t1;
      const t = full ? t2 : t1;
      u = u.map((ui, i) => Math.max(0, ui - t * r[i]!));
      up += t;
      sp += t * zap;
      if (full) { A = [...A, p]; u = [...u, up]; break; }
      A = A.filter((_, i) => i !== drop);
      u = u.filter((_, i) => i !== drop);
    }
  }
}

/** Gaussian elimination with partial pivoting; null if (numerically) singular. */
function solveFloat(M: number[][], b: number[]): number[] | null {
  const n = b.length;
  const a = M.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[piv]![c]!)) piv = i;
    if (Math.abs(a[piv]![c]!) < 1e-300) return null;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    for (let i = c + 1; i < n; i++) {
      const f = a[i]![c]! / a[c]![c]!;
      if (f !== 0) for (let j = c; j <= n; j++) a[i]![j] = a[i]![j]! - f * a[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

/** u with G_AA u = 1 via the integer system N v = scale, u_l = scale_l v_l; null if singular. */
function solveGramInteger(g: IntegerGram, A: readonly number[]): Rational[] | null {
  const N = A.map((k) => A.map((l) => g.num(k, l)));
  const sol = solveIntegerSquare(N, [A.map((k) => g.scale[k]!)]);
  if (!sol) return null;
  return sol.X[0]!.map((v, i) => rat(v * g.scale[A[i]!]!, sol.det));
}
