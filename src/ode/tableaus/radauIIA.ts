/**
 * Radau IIA with s stages (order 2s − 1), every coefficient computed at working precision — nothing is
 * transcribed, so the methods are valid at any precision.
 *
 * Construction (Hairer & Wanner, Solving ODEs II, §IV.5 and §IV.8; radau.f for the variable-order code):
 * - nodes c: the zeros of P_s(2x−1) − P_{s−1}(2x−1) (shifted Legendre), c_s = 1 — bracketed on a grid,
 *   then bisection + Newton in the field;
 * - A = W V⁻¹ with V_ik = c_i^{k−1}, W_ik = c_i^k / k (collocation: a_ij = ∫₀^{c_i} ℓ_j);
 * - eigen-decomposition of A⁻¹ (one real eigenvalue γ, (s−1)/2 pairs α_k ± iβ_k): numeric/realEigen.ts
 *   (characteristic polynomial by Faddeev–LeVerrier, roots by Durand–Kerner, eigenvectors by elimination);
 *   T = [t_γ, Re v₁, −Im v₁, …] so that T⁻¹A⁻¹T = diag(γ, [[α₁, −β₁], [β₁, α₁]], …);
 * - error estimator (HW II (8.16)–(8.20), generalized): the embedded ŷ = y0 + h(γ0 f(t0,y0) + Σ b̂_i f(Y_i)),
 *   γ0 = 1/γ, of order s (Vandermonde conditions), gives ŷ − y = γ0 (h f0 + Σ_j dd_j z_j) with
 *   dd = (b̂ − b)ᵀA⁻¹ / γ0; for s = 3 this reproduces radau5.f's DD1..DD3 = (−(13+7√6)/3, (−13+7√6)/3, −1/3).
 * All of this is done in the binary field (numeric/binaryFloat.ts) of 25 digits more than the target field, then
 * rounded (through decimal strings). In that field rather than Decimal: 3–4× faster, and the first float64 flow in
 * a process builds RadauIIA5 and 9 (measured 150 ms of a 1.8 s CPU cold run).
 */
import { type BinaryFloat, binaryField } from '../../numeric/binaryFloat.js';
import type { Field } from '../../numeric/Field.js';
import { luFactor, luInverse, luSolve, transpose } from '../../numeric/linalg.js';
import { realBlockEigen } from '../../numeric/realEigen.js';

export interface RadauIIACoefficients<S> {
  readonly stages: number;
  readonly order: number;
  readonly c: S[];
  readonly A: S[][];
  /** A⁻¹ (the Newton residual h⁻¹(A⁻¹⊗I)Z − F) */
  readonly Ainv: S[][];
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
  const D = binaryField(Math.max(Math.ceil(F.digits), 16) + 25);
  const hi = computeWide(D, stages);
  const conv = (x: BinaryFloat): S => F.of(D.toString(x));
  const out: RadauIIACoefficients<S> = {
    stages,
    order: 2 * stages - 1,
    c: hi.c.map(conv),
    A: hi.A.map((r) => r.map(conv)),
    Ainv: hi.Ainv.map((r) => r.map(conv)),
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

function computeWide(D: Field<BinaryFloat>, s: number): Omit<RadauIIACoefficients<BinaryFloat>, 'stages' | 'order'> {
  const c = radauNodes(D, s);
  // A = W V⁻¹  ⇔  Aᵀ = V⁻ᵀ Wᵀ: solve Vᵀ X = Wᵀ column by column.
  const V = c.map((ci) => Array.from({ length: s }, (_, k) => D.pow(ci, D.of(k))));
  const Wm = c.map((ci) => Array.from({ length: s }, (_, k) => D.div(D.pow(ci, D.of(k + 1)), D.of(k + 1))));
  const VT = transpose(V);
  const luVT = luFactor(D, VT);
  const AT = Array.from({ length: s }, (_, i) => luSolve(D, luVT, Wm[i]!)); // row i of A = solution for W row i
  const A = AT; // AT[i] solves Vᵀ x = W_i  ⇒  x = V⁻ᵀ W_iᵀ = (W V⁻¹)_i row
  const luA = luFactor(D, A);
  const Ainv = luInverse(D, luA);

  // Eigen-decomposition of A⁻¹ (numeric/realEigen.ts).
  const eig = realBlockEigen(D, Ainv);
  if (eig === null) throw new Error(`Radau IIA(${s}): A⁻¹ does not have one real eigenvalue and ${(s - 1) / 2} complex pairs`);
  const { gamma, T, Tinv } = eig;

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
  return { c, A, Ainv, gamma, alpha: eig.alpha, beta: eig.beta, T, Tinv, dd };
}

/** Shifted-Legendre Radau polynomial R(x) = P_s(2x−1) − P_{s−1}(2x−1) and R'(x), by the three-term recurrence. */
function radauPoly(D: Field<BinaryFloat>, s: number, x: BinaryFloat): [BinaryFloat, BinaryFloat] {
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

function radauNodes(D: Field<BinaryFloat>, s: number): BinaryFloat[] {
  const nodes: BinaryFloat[] = [];
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
function refineNode(D: Field<BinaryFloat>, s: number, a0: BinaryFloat, b0: BinaryFloat): BinaryFloat {
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
