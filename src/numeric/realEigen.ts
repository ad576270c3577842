/**
 * Real block-diagonal eigen-decomposition of a small real matrix with one real eigenvalue and (n−1)/2 complex
 * pairs — the shape of Radau IIA's A⁻¹ (HW II §IV.8) and of the stage-scaled matrices its Newton iteration
 * uses (src/ode/stageScaling.ts). Over any Field: the tableau construction runs it in a wide binary field (numeric/binaryFloat.ts),
 * the per-step transforms in float64.
 *
 * M = T·blockdiag(γ, [[α₁, −β₁], [β₁, α₁]], …)·T⁻¹ with T = [t_γ, Re v₁, −Im v₁, …] (v_k the eigenvector of
 * α_k + iβ_k, β_k > 0, pairs by increasing α): characteristic polynomial by Faddeev–LeVerrier, roots by
 * Durand–Kerner, eigenvectors by complex elimination.
 */
import type { Field } from './Field.js';
import { luFactor, luInverse } from './linalg.js';

export interface RealBlockEigen<T> {
  readonly gamma: T;
  readonly alpha: T[];
  readonly beta: T[];
  readonly T: T[][];
  readonly Tinv: T[][];
}

type C<T> = [T, T];

/**
 * The decomposition, or null when M does not have exactly one real eigenvalue and (n−1)/2 complex pairs (an
 * imaginary part below 10^(−digits/2) counts as real).
 */
export function realBlockEigen<T>(G: Field<T>, M: readonly (readonly T[])[]): RealBlockEigen<T> | null {
  const n = M.length;
  const roots = durandKerner(G, faddeevLeVerrier(G, M));
  if (roots === null) return null;
  const tiny = G.pow(G.of(10), G.of(-Math.floor(G.digits / 2)));
  const real = roots.filter((z) => G.lt(G.abs(z[1]), tiny));
  const pairs = roots.filter((z) => G.gt(z[1], tiny)).sort((p, q) => G.cmp(p[0], q[0]));
  if (real.length !== 1 || pairs.length !== (n - 1) / 2) return null;
  const gamma = real[0]![0];
  const cols: T[][] = [nullVector(G, M, [gamma, G.zero]).map((z) => z[0])];
  for (const p of pairs) {
    const v = nullVector(G, M, p);
    cols.push(v.map((z) => z[0]));
    cols.push(v.map((z) => G.neg(z[1])));
  }
  const Tm = Array.from({ length: n }, (_, i) => cols.map((col) => col[i]!));
  const luT = luFactor(G, Tm);
  if (luT.singular) return null;
  const Tinv = luInverse(G, luT);
  return { gamma, alpha: pairs.map((p) => p[0]), beta: pairs.map((p) => p[1]), T: Tm, Tinv };
}

/** Coefficients [a_0, …, a_{n−1}, 1] of det(λI − M) (Faddeev–LeVerrier). */
export function faddeevLeVerrier<T>(G: Field<T>, M: readonly (readonly T[])[]): T[] {
  const n = M.length;
  const coeffs: T[] = new Array(n + 1).fill(G.zero);
  coeffs[n] = G.one;
  let Mk: T[][] = M.map((r) => r.map(() => G.zero));
  for (let k = 1; k <= n; k++) {
    // M_k = M·M_{k−1} + c_{n−k+1} I
    const prod = M.map((row) => Mk[0]!.map((_, j) => row.reduce((acc, x, l) => G.add(acc, G.mul(x, Mk[l]![j]!)), G.zero)));
    Mk = prod.map((row, i) => row.map((x, j) => (i === j ? G.add(x, coeffs[n - k + 1]!) : x)));
    // c_{n−k} = −tr(M·M_k)/k
    let tr = G.zero;
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) tr = G.add(tr, G.mul(M[i]![l]!, Mk[l]![i]!));
    coeffs[n - k] = G.neg(G.div(tr, G.of(k)));
  }
  return coeffs;
}

const cadd = <T>(G: Field<T>, a: C<T>, b: C<T>): C<T> => [G.add(a[0], b[0]), G.add(a[1], b[1])];
const csub = <T>(G: Field<T>, a: C<T>, b: C<T>): C<T> => [G.sub(a[0], b[0]), G.sub(a[1], b[1])];
const cmul = <T>(G: Field<T>, a: C<T>, b: C<T>): C<T> => [G.sub(G.mul(a[0], b[0]), G.mul(a[1], b[1])), G.add(G.mul(a[0], b[1]), G.mul(a[1], b[0]))];
function cdiv<T>(G: Field<T>, a: C<T>, b: C<T>): C<T> {
  const m = G.add(G.mul(b[0], b[0]), G.mul(b[1], b[1]));
  return [G.div(G.add(G.mul(a[0], b[0]), G.mul(a[1], b[1])), m), G.div(G.sub(G.mul(a[1], b[0]), G.mul(a[0], b[1])), m)];
}
const cabs1 = <T>(G: Field<T>, a: C<T>): T => G.add(G.abs(a[0]), G.abs(a[1]));

/** All roots of the monic polynomial Σ coeffs[k] z^k (Durand–Kerner / Weierstrass iteration); null if it did not converge. */
export function durandKerner<T>(G: Field<T>, coeffs: readonly T[]): C<T>[] | null {
  const n = coeffs.length - 1;
  const evalP = (z: C<T>): C<T> => {
    let acc: C<T> = [G.zero, G.zero];
    for (let k = n; k >= 0; k--) acc = cadd(G, cmul(G, acc, z), [coeffs[k]!, G.zero]);
    return acc;
  };
  // Start on a circle of radius ~ the root bound, off the real axis.
  let bound = 0;
  for (let k = 0; k < n; k++) bound = Math.max(bound, Math.abs(G.toNumber(coeffs[k]!)) ** (1 / (n - k)));
  const r = 1 + bound;
  let z: C<T>[] = Array.from({ length: n }, (_, k) => [G.of(r * Math.cos((2 * Math.PI * k) / n + 0.4)), G.of(r * Math.sin((2 * Math.PI * k) / n + 0.4))] as C<T>);
  const tol = G.mul(G.pow(G.of(10), G.of(-(G.digits - 5))), G.of(r));
  for (let it = 0; it < 2000; it++) {
    let worst = G.zero;
    const next = z.map((zk, k) => {
      let den: C<T> = [G.one, G.zero];
      z.forEach((zj, j) => { if (j !== k) den = cmul(G, den, csub(G, zk, zj)); });
      const dz = cdiv(G, evalP(zk), den);
      worst = G.max(worst, cabs1(G, dz));
      return csub(G, zk, dz);
    });
    z = next;
    if (!G.isFinite(worst)) return null;
    if (G.lt(worst, tol)) return z;
  }
  return null;
}

/** A null vector of (M − λI) with last component 1 (complex elimination with partial pivoting). */
function nullVector<T>(G: Field<T>, M: readonly (readonly T[])[], lam: C<T>): C<T>[] {
  const n = M.length;
  const m = n - 1;
  // Solve Σ_{j<m} (M − λI)_{ij} v_j = −(M − λI)_{i,m} for i < m.
  const Aug: C<T>[][] = Array.from({ length: m }, (_, i) => {
    const row: C<T>[] = [];
    for (let j = 0; j < m; j++) row.push(i === j ? [G.sub(M[i]![j]!, lam[0]), G.neg(lam[1])] : [M[i]![j]!, G.zero]);
    row.push([G.neg(M[i]![m]!), G.zero]);
    return row;
  });
  for (let k = 0; k < m; k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (G.gt(cabs1(G, Aug[i]![k]!), cabs1(G, Aug[p]![k]!))) p = i;
    [Aug[k], Aug[p]] = [Aug[p]!, Aug[k]!];
    for (let i = k + 1; i < m; i++) {
      const f = cdiv(G, Aug[i]![k]!, Aug[k]![k]!);
      for (let j = k; j <= m; j++) Aug[i]![j] = csub(G, Aug[i]![j]!, cmul(G, f, Aug[k]![j]!));
    }
  }
  const v: C<T>[] = new Array(n);
  v[m] = [G.one, G.zero];
  for (let i = m - 1; i >= 0; i--) {
    let acc = Aug[i]![m]!;
    for (let j = i + 1; j < m; j++) acc = csub(G, acc, cmul(G, Aug[i]![j]!, v[j]!));
    v[i] = cdiv(G, acc, Aug[i]![i]!);
  }
  return v;
}
