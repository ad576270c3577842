/**
 * Uniqueness of the ℓ1-SVM optimum (SPEC.md §5: degenerate data may have an optimal face).
 *
 * With an optimal dual λ and ξ = Aᵀλ, complementary slackness describes the whole optimal face:
 *   F = { w : Aw ≥ 1;  ⟨a_k,w⟩ = 1 where λ_k > 0;  w_j = 0 where |ξ_j| < 1;  ξ_j w_j ≥ 0 where |ξ_j| = 1 }.
 * 1. Exact test: if the equalities alone have rank d, F = {w*} (unique, certified).
 * 2. Otherwise an exact tangent-cone test: F = {w*} iff the active constraints at w* positively span R^d
 *    (a strictly positive vanishing combination found by glpk, rebuilt and checked exactly).
 * 3. Otherwise glpk minimizes and maximizes each free coordinate over F; the extreme points are rebuilt
 *    exactly from their active constraints and checked to lie in F. Two distinct exact points of F prove
 *    non-uniqueness; the face ranges are reported.
 */
import { type Rational, Q0, Q1, qabs, qadd, qsub, qmul, qneg, qcmp, qsign, qeq } from '../numeric/rational.js';
import type { OptimalFace } from './SvmResult.js';
import { solveGlpk, glpk, type LP } from './glpk.js';
import { rank, solveRationalConsistent, independentSubset } from './exactLinalg.js';
import { exactMargins } from './l1Certificate.js';
import { DEFAULT_SVM_DIGITS, decimalString } from './format.js';

export interface UniquenessDecision {
  readonly unique: boolean | null;
  readonly face?: OptimalFace;
  readonly notes: string[];
}

const toFloat = (q: Rational): number => Number(q.num) / Number(q.den);

interface FaceDescription {
  readonly tight: number[];     // k with λ_k > 0
  readonly zero: number[];      // j with |ξ_j| < 1
  readonly signed: Map<number, 1 | -1>; // j with |ξ_j| = 1 → sign
}

function describeFace(lambda: readonly Rational[], xi: readonly Rational[]): FaceDescription {
  const tight = lambda.map((l, k) => (qsign(l) > 0 ? k : -1)).filter((k) => k >= 0);
  const zero: number[] = [];
  const signed = new Map<number, 1 | -1>();
  xi.forEach((x, j) => {
    if (qcmp(qabs(x), Q1) < 0) zero.push(j);
    else signed.set(j, qsign(x) > 0 ? 1 : -1);
  });
  return { tight, zero, signed };
}

/** Exact membership of w in F. */
function inFace(a: readonly (readonly Rational[])[], w: readonly Rational[], f: FaceDescription): boolean {
  const h = exactMargins(a, w);
  if (h.some((x) => qcmp(x, Q1) < 0)) return false;
  if (f.tight.some((k) => !qeq(h[k]!, Q1))) return false;
  if (f.zero.some((j) => w[j]!.num !== 0n)) return false;
  for (const [j, s] of f.signed) if (qsign(w[j]!) * s < 0) return false;
  return true;
}

export function decideL1Uniqueness(a: readonly (readonly Rational[])[], d: number, w: readonly Rational[], lambda: readonly Rational[], xi: readonly Rational[], digits = DEFAULT_SVM_DIGITS): UniquenessDecision {
  const f = describeFace(lambda, xi);
  const unit = (j: number): Rational[] => Array.from({ length: d }, (_, i) => (i === j ? Q1 : Q0));
  const equalities = [...f.tight.map((k) => a[k]!), ...f.zero.map(unit)];
  if (rank(equalities) === d) return { unique: true, notes: ['unique: the complementary-slackness equalities have full rank (exact)'] };
  const cone = tangentConeIsZero(a, d, w, f, equalities);
  if (cone === true) return { unique: true, notes: ['unique: the tangent cone of the optimal face at w* is {0} (strictly positive spanning combination verified exactly)'] };

  const free = [...f.signed.keys()].sort((x, y) => x - y);
  const lp = faceLp(a, d, f);
  const min = w.map((x) => x);
  const max = w.map((x) => x);
  let exactPoints = 0;
  let floatOnly = false;
  let spread = false;
  for (const j of free) {
    for (const dir of [glpk.GLP_MIN, glpk.GLP_MAX]) {
      const sol = solveGlpk({ ...lp, objective: { direction: dir, name: 'wj', vars: [{ name: `w${j}`, coef: 1 }] } });
      if (sol.status !== 'optimal') { floatOnly = true; continue; }
      const wf = Array.from({ length: d }, (_, i) => sol.vars[`w${i}`] ?? 0);
      const pt = rebuildFacePoint(a, d, f, wf);
      if (pt && inFace(a, pt, f)) {
        exactPoints++;
        for (let i = 0; i < d; i++) {
          if (qcmp(pt[i]!, min[i]!) < 0) min[i] = pt[i]!;
          if (qcmp(pt[i]!, max[i]!) > 0) max[i] = pt[i]!;
        }
        if (!pt.every((x, i) => qeq(x, w[i]!))) spread = true;
      } else {
        floatOnly = true;
        const val = wf[j]!;
        const wj = toFloat(w[j]!);
        if (Math.abs(val - wj) > 1e-9 * Math.max(1, Math.abs(wj))) spread = true;
      }
    }
  }
  const face: OptimalFace = { min: min.map((q) => decimalString(q, digits)), max: max.map((q) => decimalString(q, digits)) };
  if (spread) {
    return {
      unique: false,
      face,
      notes: [exactPoints > 0 && !floatOnly
        ? 'not unique: distinct optimal points rebuilt exactly on the optimal face (face ranges exact)'
        : 'not unique: face LPs in float64 found a spread (face ranges from the points rebuilt exactly)'],
    };
  }
  return {
    unique: null,
    notes: ['uniqueness undecided: no exact proof either way (face LPs in float64 found no spread; exact tangent-cone test ' +
      (cone === false ? 'found no strictly positive spanning combination' : 'could not be completed') + ')'],
  };
}

/**
 * Exact test that the tangent cone of F at w*,
 *   D = { v : ⟨a_k, v⟩ = 0 (λ_k > 0), v_j = 0 (|ξ_j| < 1), ⟨a_k, v⟩ ≥ 0 (⟨a_k,w*⟩ = 1, λ_k = 0), ξ_j v_j ≥ 0 (|ξ_j| = 1, w*_j = 0) },
 * is {0}, i.e. F = {w*}. D = {0} iff the generators G (inequalities) and ±E (equalities) positively span R^d,
 * iff they span R^d and some combination with every G-coefficient > 0 vanishes (Davis 1954). The
 * combination is found by glpk (coefficients ≥ 1) and rebuilt and checked exactly.
 * true = proven {0}; false = glpk found none (or the span is deficient); null = undecided.
 */
function tangentConeIsZero(a: readonly (readonly Rational[])[], d: number, w: readonly Rational[], f: FaceDescription, E: readonly (readonly Rational[])[]): boolean | null {
  const h = exactMargins(a, w);
  const tight = new Set(f.tight);
  const G: Rational[][] = [];
  a.forEach((row, k) => { if (!tight.has(k) && qeq(h[k]!, Q1)) G.push([...row]); });
  for (const [j, sgn] of f.signed) if (w[j]!.num === 0n) G.push(Array.from({ length: d }, (_, i) => (i === j ? (sgn === 1 ? Q1 : qneg(Q1)) : Q0)));
  if (rank([...G, ...E]) < d) return false;
  // Σ_g λ_g g + Σ_e μ_e e = 0 with λ ≥ 1, μ free
  const gf = G.map((g) => g.map(toFloat));
  const ef = E.map((e) => e.map(toFloat));
  const lp: LP = {
    name: 'possspan',
    objective: { direction: glpk.GLP_MIN, name: 'sum', vars: G.map((_, i) => ({ name: `l${i}`, coef: 1 })) },
    subjectTo: Array.from({ length: d }, (_, j) => ({
      name: `c${j}`,
      vars: [
        ...gf.map((g, i) => ({ name: `l${i}`, coef: g[j]! })),
        ...ef.map((e, i) => ({ name: `m${i}`, coef: e[j]! })),
      ].filter((v) => v.coef !== 0),
      bnds: { type: glpk.GLP_FX, lb: 0, ub: 0 },
    })),
    bounds: [
      ...G.map((_, i) => ({ name: `l${i}`, type: glpk.GLP_LO, lb: 1, ub: 0 })),
      ...E.map((_, i) => ({ name: `m${i}`, type: glpk.GLP_FR, lb: 0, ub: 0 })),
    ],
  };
  const sol = solveGlpk(lp);
  if (sol.status === 'infeasible') return false;
  if (sol.status !== 'optimal') return null;
  // exact rebuild: λ = 1 + λ', columns of λ' with λ' > tol plus all μ; others λ' = 0
  const lf = G.map((_, i) => (sol.vars[`l${i}`] ?? 1) - 1);
  const scale = Math.max(1, ...lf);
  const P = lf.map((v, i) => (v > 1e-9 * scale ? i : -1)).filter((i) => i >= 0);
  const M: Rational[][] = Array.from({ length: d }, (_, j) => [...P.map((i) => G[i]![j]!), ...E.map((e) => e[j]!)]);
  const rhs: Rational[] = Array.from({ length: d }, (_, j) => {
    let s = Q0;
    for (const g of G) s = qsub(s, g[j]!);
    return s;
  });
  const x = solveRationalConsistent(M, rhs);
  if (!x) return null;
  const lambda = G.map(() => Q1);
  P.forEach((i, r) => { lambda[i] = qadd(Q1, x[r]!); });
  if (lambda.some((l) => qsign(l) <= 0)) return null;
  // check Σ λ g + Σ μ e = 0 exactly
  const mu = x.slice(P.length);
  for (let j = 0; j < d; j++) {
    let s = Q0;
    G.forEach((g, i) => { if (g[j]!.num !== 0n) s = qadd(s, qmul(lambda[i]!, g[j]!)); });
    E.forEach((e, i) => { if (e[j]!.num !== 0n) s = qadd(s, qmul(mu[i]!, e[j]!)); });
    if (s.num !== 0n) return null;
  }
  return true;
}

/** The face F as a glpk LP in free variables w_j with sign bounds. */
function faceLp(a: readonly (readonly Rational[])[], d: number, f: FaceDescription): LP {
  const tight = new Set(f.tight);
  const zero = new Set(f.zero);
  return {
    name: 'l1face',
    objective: { direction: glpk.GLP_MIN, name: 'wj', vars: [] },
    subjectTo: a.map((row, k) => ({
      name: `r${k}`,
      vars: row.map((x, j) => ({ name: `w${j}`, coef: toFloat(x) })).filter((v) => v.coef !== 0),
      bnds: tight.has(k) ? { type: glpk.GLP_FX, lb: 1, ub: 1 } : { type: glpk.GLP_LO, lb: 1, ub: 0 },
    })),
    bounds: Array.from({ length: d }, (_, j) => {
      if (zero.has(j)) return { name: `w${j}`, type: glpk.GLP_FX, lb: 0, ub: 0 };
      return f.signed.get(j) === 1
        ? { name: `w${j}`, type: glpk.GLP_LO, lb: 0, ub: 0 }
        : { name: `w${j}`, type: glpk.GLP_UP, lb: 0, ub: 0 };
    }),
  };
}

/** Rebuild a vertex of F from the constraints active at the float point wf (exactly). */
function rebuildFacePoint(a: readonly (readonly Rational[])[], d: number, f: FaceDescription, wf: readonly number[]): Rational[] | null {
  const scale = Math.max(1, ...wf.map(Math.abs));
  const rows: Rational[][] = [];
  const rhs: Rational[] = [];
  const unit = (j: number): Rational[] => Array.from({ length: d }, (_, i) => (i === j ? Q1 : Q0));
  const tight = new Set(f.tight);
  a.forEach((row, k) => {
    const h = row.reduce((s, x, j) => s + toFloat(x) * wf[j]!, 0);
    if (tight.has(k) || Math.abs(h - 1) < 1e-9 * scale) { rows.push([...row]); rhs.push(Q1); }
  });
  for (let j = 0; j < d; j++) if (Math.abs(wf[j]!) <= 1e-12 * scale) { rows.push(unit(j)); rhs.push(Q0); }
  if (independentSubset(rows).length < d) return null;
  return solveRationalConsistent(rows, rhs);
}

