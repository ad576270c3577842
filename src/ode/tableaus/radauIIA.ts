/**
 * Radau IIA with s stages (order 2s − 1), every coefficient computed at working precision — nothing is
 * transcribed, so the methods are valid in any Decimal context.
 *
 * Construction (Hairer & Wanner, Solving ODEs II, §IV.5 and §IV.8; radau.f for the variable-order code):
 * - nodes c: the zeros of P_s(2x−1) − P_{s−1}(2x−1) (shifted Legendre), c_s = 1 — bracketed on a grid,
 *   then bisection + Newton in the field;
 * - A = W V⁻¹ with V_ik = c_i^{k−1}, W_ik = c_i^k / k (collocation: a_ij = ∫₀^{c_i} ℓ_j);
 * - eigen-decomposition of A⁻¹ (one real eigenvalue γ, (s−1)/2 pairs α_k ± iβ_k): characteristic
 *   polynomial by Faddeev–LeVerrier, roots by Durand–Kerner, eigenvectors by complex elimination;
 *   T = [t_γ, Re v₁, −Im v₁, …] so that T⁻¹A⁻¹T = diag(γ, [[α₁, −β₁], [β₁, α₁]], …);
 * - error estimator (HW II (8.16)–(8.20), generalized): the embedded ŷ = y0 + h(γ0 f(t0,y0) + Σ b̂_i f(Y_i)),
 *   γ0 = 1/γ, of order s (Vandermonde conditions), gives ŷ − y = γ0 (h f0 + Σ_j dd_j z_j) with
 *   dd = (b̂ − b)ᵀA⁻¹ / γ0; for s = 3 this reproduces radau5.f's DD1..DD3 = (−(13+7√6)/3, (−13+7√6)/3, −1/3).
 * All of this is done in a Decimal context 25 digits wider than the target field, then rounded.
 */
import { decimalField, type Dec } from '../../numeric/decimal.js';
import type { Field } from '../../numeric/Field.js';
import { luFactor, luSolve } from '../../numeric/linalg.js';

export interface RadauIIACoefficients<S> {
  readonly stages: number;
  readonly order: number;
  readonly c: S[];
  readonly A: S[][];
  /** Real eigenvalue of A⁻¹. */
  readonly gamma: S;
  /** Complex pairs α_k ± iβ_k of A⁻¹ (k = 1..(s−1)/2). */
  readonly alpha: S[];
  readonly beta: S[];
  readonly T: S[][];
  readonly Tinv: S[][];
  /** Error-estimator weights (see module doc). */
  readonly dd: S[];
}

const cache = new Map<string, RadauIIACoefficients<unknown>>();

export function radauIIACoefficients<S>(F: Field<S>, stages: number): RadauIIACoefficients<S> {
  if (!Number.isInteger(stages) || stages < 1 || stages % 2 === 0 || stages > 15) {
    throw new RangeError(`Radau IIA stage count must be odd in [1, 15], got ${stages}`);
  }
  const key = `${F.kind}:${F.digits}:${stages}`;
  const hit = cache.get(key);
  if (hit) return hit as RadauIIACoefficients<S>;
  const D = decimalField(Math.max(Math.ceil(F.digits), 16) + 25);
  const hi = computeInDecimal(D, stages);
  const conv = (x: Dec): S => F.of(D.toString(x));
  const out: RadauIIACoefficients<S> = {
    stages,
    order: 2 * stages - 1,
    c: hi.c.map(conv),
    A: hi.A.map((r) => r.map(conv)),
    gamma: conv(hi.gamma),
    alpha: hi.alpha.map(conv),
    beta: hi.beta.map(conv),
    T: hi.T.map((r) => r.map(conv)),
    Tinv: hi.Tinv.map((r) => r.map(conv)),
    dd: hi.dd.map(conv),
  };
  cache.set(key, out as RadauIIACoefficients<unknown>);
  return out;
}

type C = [Dec, Dec];

function computeInDecimal(D: Field<Dec>, s: number): Omit<RadauIIACoefficients<Dec>, 'stages' | 'order'> {
  const c = radauNodes(D, s);
  // A = W V⁻¹  ⇔  Aᵀ = V⁻ᵀ Wᵀ: solve Vᵀ X = Wᵀ column by column.
  const V = c.map((ci) => Array.from({ length: s }, (_, k) => D.pow(ci, D.of(k))));
  const Wm = c.map((ci) => Array.from({ length: s }, (_, k) => D.div(D.pow(ci, D.of(k + 1)), D.of(k + 1))));
  const VT = transpose(V);
  const luVT = luFactor(D, VT);
  const AT = Array.from({ length: s }, (_, i) => luSolve(D, luVT, Wm[i]!)); // row i of A = solution for W row i
  const A = AT; // AT[i] solves Vᵀ x = W_i  ⇒  x = V⁻ᵀ W_iᵀ = (W V⁻¹)_i row
  const luA = luFactor(D, A);
  const Ainv = transpose(Array.from({ length: s }, (_, j) => luSolve(D, luA, unit(D, s, j))));

  // Eigenvalues of A⁻¹.
  const charPoly = faddeevLeVerrier(D, Ainv);
  const roots = durandKerner(D, charPoly);
  const tiny = D.pow(D.of(10), D.of(-Math.floor(D.digits / 2)));
  const real = roots.filter((z) => D.lt(D.abs(z[1]), tiny));
  if (real.length !== 1) throw new Error(`Radau IIA(${s}): expected one real eigenvalue, found ${real.length}`);
  const gamma = real[0]![0];
  const pairs = roots.filter((z) => D.gt(z[1], tiny)).sort((p, q) => D.cmp(p[0], q[0]));
  if (pairs.length !== (s - 1) / 2) throw new Error(`Radau IIA(${s}): eigenvalue pairing failed`);

  const cols: Dec[][] = [nullVector(D, Ainv, [gamma, D.zero]).map((z) => z[0])];
  for (const p of pairs) {
    const v = nullVector(D, Ainv, p);
    cols.push(v.map((z) => z[0]));
    cols.push(v.map((z) => D.neg(z[1])));
  }
  const T = Array.from({ length: s }, (_, i) => cols.map((col) => col[i]!));
  const luT = luFactor(D, T);
  const Tinv = transpose(Array.from({ length: s }, (_, j) => luSolve(D, luT, unit(D, s, j))));

  // Embedded order-s weights b̂: γ0·[k = 1] + Σ b̂_i c_i^{k−1} = 1/k, k = 1..s.
  const gamma0 = D.div(D.one, gamma);
  const rhs = Array.from({ length: s }, (_, k) => D.sub(D.div(D.one, D.of(k + 1)), k === 0 ? gamma0 : D.zero));
  const bhat = luSolve(D, luVT, rhs);
  const b = A[s - 1]!;
  const dd = Array.from({ length: s }, (_, j) => {
    let acc = D.zero;
    for (let i = 0; i < s; i++) acc = D.add(acc, D.mul(D.sub(bhat[i]!, b[i]!), Ainv[i]![j]!));
    return D.div(acc, gamma0);
  });
  return { c, A, gamma, alpha: pairs.map((p) => p[0]), beta: pairs.map((p) => p[1]), T, Tinv, dd };
}

function unit(D: Field<Dec>, n: number, j: number): Dec[] {
  return Array.from({ length: n }, (_, i) => (i === j ? D.one : D.zero));
}
function transpose<T>(M: T[][]): T[][] {
  return M[0]!.map((_, j) => M.map((r) => r[j]!));
}

/** Shifted-Legendre Radau polynomial R(x) = P_s(2x−1) − P_{s−1}(2x−1) and R'(x), by the three-term recurrence. */
function radauPoly(D: Field<Dec>, s: number, x: Dec): [Dec, Dec] {
  const u = D.sub(D.scale(x, 2), D.one);
  let p0 = D.one, p1 = u; // P_0, P_1
  let d0 = D.zero, d1 = D.one; // derivatives in u
  if (s === 1) return [D.sub(p1, p0), D.scale(D.sub(d1, d0), 2)];
  for (let n = 1; n < s; n++) {
    // (n+1) P_{n+1} = (2n+1) u P_n − n P_{n−1}
    const p2 = D.div(D.sub(D.scale(D.mul(u, p1), 2 * n + 1), D.scale(p0, n)), D.of(n + 1));
    const d2 = D.div(D.sub(D.scale(D.add(p1, D.mul(u, d1)), 2 * n + 1), D.scale(d0, n)), D.of(n + 1));
    p0 = p1; p1 = p2; d0 = d1; d1 = d2;
  }
  return [D.sub(p1, p0), D.scale(D.sub(d1, d0), 2)];
}

function radauNodes(D: Field<Dec>, s: number): Dec[] {
  const nodes: Dec[] = [];
  const grid = 60 * s; // the zeros are ≳ 1/(2s²) apart
  let xPrev = D.zero;
  let fPrev = radauPoly(D, s, xPrev)[0];
  for (let g = 1; g < grid && nodes.length < s - 1; g++) {
    const x = D.of(`${g}/${grid}`);
    const fx = radauPoly(D, s, x)[0];
    if (D.sign(fx) !== D.sign(fPrev)) nodes.push(refineNode(D, s, xPrev, x));
    xPrev = x; fPrev = fx;
  }
  nodes.push(D.one);
  if (nodes.length !== s) throw new Error(`Radau IIA(${s}): found ${nodes.length} nodes`);
  return nodes;
}

/** Bisection to a double-precision bracket, then Newton to full precision. */
function refineNode(D: Field<Dec>, s: number, a0: Dec, b0: Dec): Dec {
  let a = a0, b = b0;
  let fa = radauPoly(D, s, a)[0];
  for (let i = 0; i < 60; i++) {
    const m = D.mul(D.add(a, b), D.half);
    const fm = radauPoly(D, s, m)[0];
    if (D.sign(fm) === D.sign(fa)) { a = m; fa = fm; } else b = m;
  }
  let x = D.mul(D.add(a, b), D.half);
  const tol = D.pow(D.of(10), D.of(-(D.digits - 3)));
  for (let i = 0; i < 50; i++) {
    const [p, dp] = radauPoly(D, s, x);
    const dx = D.div(p, dp);
    x = D.sub(x, dx);
    if (D.lt(D.abs(dx), tol)) break;
  }
  return x;
}

/** Coefficients [a_0, …, a_{n−1}, 1] of det(λI − M) (Faddeev–LeVerrier). */
function faddeevLeVerrier(D: Field<Dec>, M: Dec[][]): Dec[] {
  const n = M.length;
  const coeffs: Dec[] = new Array(n + 1).fill(D.zero);
  coeffs[n] = D.one;
  let Mk: Dec[][] = M.map((r) => r.map(() => D.zero));
  for (let k = 1; k <= n; k++) {
    // M_k = M·M_{k−1} + c_{n−k+1} I
    const prod = M.map((row) => Mk[0]!.map((_, j) => row.reduce((acc, x, l) => D.add(acc, D.mul(x, Mk[l]![j]!)), D.zero)));
    Mk = prod.map((row, i) => row.map((x, j) => (i === j ? D.add(x, coeffs[n - k + 1]!) : x)));
    // c_{n−k} = −tr(M·M_k)/k
    let tr = D.zero;
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) tr = D.add(tr, D.mul(M[i]![l]!, Mk[l]![i]!));
    coeffs[n - k] = D.neg(D.div(tr, D.of(k)));
  }
  return coeffs;
}

const cadd = (D: Field<Dec>, a: C, b: C): C => [D.add(a[0], b[0]), D.add(a[1], b[1])];
const csub = (D: Field<Dec>, a: C, b: C): C => [D.sub(a[0], b[0]), D.sub(a[1], b[1])];
const cmul = (D: Field<Dec>, a: C, b: C): C => [D.sub(D.mul(a[0], b[0]), D.mul(a[1], b[1])), D.add(D.mul(a[0], b[1]), D.mul(a[1], b[0]))];
function cdiv(D: Field<Dec>, a: C, b: C): C {
  const m = D.add(D.mul(b[0], b[0]), D.mul(b[1], b[1]));
  return [D.div(D.add(D.mul(a[0], b[0]), D.mul(a[1], b[1])), m), D.div(D.sub(D.mul(a[1], b[0]), D.mul(a[0], b[1])), m)];
}
const cabs1 = (D: Field<Dec>, a: C): Dec => D.add(D.abs(a[0]), D.abs(a[1]));

/** All roots of the monic polynomial Σ coeffs[k] z^k (Durand–Kerner / Weierstrass iteration). */
function durandKerner(D: Field<Dec>, coeffs: Dec[]): C[] {
  const n = coeffs.length - 1;
  const evalP = (z: C): C => {
    let acc: C = [D.zero, D.zero];
    for (let k = n; k >= 0; k--) acc = cadd(D, cmul(D, acc, z), [coeffs[k]!, D.zero]);
    return acc;
  };
  // Start on a circle of radius ~ the root bound, off the real axis.
  let bound = 0;
  for (let k = 0; k < n; k++) bound = Math.max(bound, Math.abs(D.toNumber(coeffs[k]!)) ** (1 / (n - k)));
  const r = 1 + bound;
  let z: C[] = Array.from({ length: n }, (_, k) => [D.of(r * Math.cos((2 * Math.PI * k) / n + 0.4)), D.of(r * Math.sin((2 * Math.PI * k) / n + 0.4))] as C);
  const tol = D.pow(D.of(10), D.of(-(D.digits - 5)));
  for (let it = 0; it < 2000; it++) {
    let worst = D.zero;
    const next = z.map((zk, k) => {
      let den: C = [D.one, D.zero];
      z.forEach((zj, j) => { if (j !== k) den = cmul(D, den, csub(D, zk, zj)); });
      const dz = cdiv(D, evalP(zk), den);
      worst = D.max(worst, cabs1(D, dz));
      return csub(D, zk, dz);
    });
    z = next;
    if (D.lt(worst, D.mul(tol, D.of(r)))) break;
  }
  return z;
}

/** A null vector of (M − λI) with last component 1 (complex elimination with partial pivoting). */
function nullVector(D: Field<Dec>, M: Dec[][], lam: C): C[] {
  const n = M.length;
  const m = n - 1;
  // Solve Σ_{j<m} (M − λI)_{ij} v_j = −(M − λI)_{i,m} for i < m.
  const Aug: C[][] = Array.from({ length: m }, (_, i) => {
    const row: C[] = [];
    for (let j = 0; j < m; j++) row.push(i === j ? [D.sub(M[i]![j]!, lam[0]), D.neg(lam[1])] : [M[i]![j]!, D.zero]);
    row.push([D.neg(M[i]![m]!), D.zero]);
    return row;
  });
  for (let k = 0; k < m; k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (D.gt(cabs1(D, Aug[i]![k]!), cabs1(D, Aug[p]![k]!))) p = i;
    [Aug[k], Aug[p]] = [Aug[p]!, Aug[k]!];
    for (let i = k + 1; i < m; i++) {
      const f = cdiv(D, Aug[i]![k]!, Aug[k]![k]!);
      for (let j = k; j <= m; j++) Aug[i]![j] = csub(D, Aug[i]![j]!, cmul(D, f, Aug[k]![j]!));
    }
  }
  const v: C[] = new Array(n);
  v[m] = [D.one, D.zero];
  for (let i = m - 1; i >= 0; i--) {
    let acc = Aug[i]![m]!;
    for (let j = i + 1; j < m; j++) acc = csub(D, acc, cmul(D, Aug[i]![j]!, v[j]!));
    v[i] = cdiv(D, acc, Aug[i]![i]!);
  }
  return v;
}
