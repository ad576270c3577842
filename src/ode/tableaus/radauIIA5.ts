/**
 * Radau IIA, 3 stages, order 5 — coefficients in closed form, evaluated at the field's working precision
 * (so the method is valid at any number of digits; nothing is transcribed from a decimal table).
 *
 * Source: Hairer & Wanner, Solving ODEs II, §IV.5 Table 5.6 (A, b, c with √6) and §IV.8 (implementation:
 * eigen-decomposition of A⁻¹, error estimator (8.19)–(8.20)); constants as in Hairer's radau5.f:
 *   c = ((4−√6)/10, (4+√6)/10, 1),
 *   eigenvalues of A: μ = (6 + 81^{1/3} − 9^{1/3})/30 (real), α̂ ± iβ̂ with
 *   α̂ = (12 − 81^{1/3} + 9^{1/3})/60, β̂ = (81^{1/3} + 9^{1/3})√3/60,
 *   error weights (dd1, dd2, dd3) = (−(13+7√6)/3, (−13+7√6)/3, −1/3).
 * The transformation T (T⁻¹A⁻¹T = diag(γ, [[α, −β], [β, α]])) is computed here from null vectors of
 * A − μI instead of radau5.f's 20-digit table.
 */
import type { Field } from '../../numeric/Field.js';
import { luFactor, luSolve } from '../../numeric/linalg.js';

export interface RadauIIA5Coefficients<S> {
  readonly c: S[];
  readonly A: S[][];
  /** Real eigenvalue of A⁻¹. */
  readonly gamma: S;
  /** Complex pair α ± iβ of eigenvalues of A⁻¹. */
  readonly alpha: S;
  readonly beta: S;
  /** Columns t1, t2, t3 with A⁻¹t1 = γt1, A⁻¹t2 = αt2 + βt3, A⁻¹t3 = −βt2 + αt3. */
  readonly T: S[][];
  readonly Tinv: S[][];
  /** Error-estimator weights dd_i (HW II (8.19); radau5.f DD1..DD3). */
  readonly dd: S[];
}

const cache = new WeakMap<object, RadauIIA5Coefficients<unknown>>();

export function radauIIA5Coefficients<S>(F: Field<S>): RadauIIA5Coefficients<S> {
  const hit = cache.get(F as object);
  if (hit) return hit as RadauIIA5Coefficients<S>;
  const coeffs = computeRadauIIA5(F);
  cache.set(F as object, coeffs as RadauIIA5Coefficients<unknown>);
  return coeffs;
}

function computeRadauIIA5<S>(F: Field<S>): RadauIIA5Coefficients<S> {
  const n = (x: number | string): S => F.of(x);
  const sq6 = F.sqrt(n(6));
  const c1 = F.div(F.sub(n(4), sq6), n(10));
  const c2 = F.div(F.add(n(4), sq6), n(10));
  const lin = (p: number, q: number, den: number): S => F.div(F.add(n(p), F.scale(sq6, q)), n(den));
  // HW II Table IV.5.6
  const A: S[][] = [
    [lin(88, -7, 360), lin(296, -169, 1800), lin(-2, 3, 225)],
    [lin(296, 169, 1800), lin(88, 7, 360), lin(-2, -3, 225)],
    [lin(16, -1, 36), lin(16, 1, 36), n('1/9')],
  ];
  const cbrt81 = F.pow(n(81), n('1/3'));
  const cbrt9 = F.pow(n(9), n('1/3'));
  const mu = F.div(F.sub(F.add(n(6), cbrt81), cbrt9), n(30));
  const alphaHat = F.div(F.add(F.sub(n(12), cbrt81), cbrt9), n(60));
  const betaHat = F.div(F.mul(F.add(cbrt81, cbrt9), F.sqrt(n(3))), n(60));
  const cno = F.add(F.mul(alphaHat, alphaHat), F.mul(betaHat, betaHat));
  const gamma = F.div(F.one, mu);
  const alpha = F.div(alphaHat, cno);
  const beta = F.div(betaHat, cno);

  // t1: null vector of A − μI; t2 − i t3: null vector of A − (α̂ − iβ̂)I (eigenvalue α + iβ of A⁻¹).
  const re = (i: number, j: number, shift: S): S => (i === j ? F.sub(A[i]![j]!, shift) : A[i]![j]!);
  const t1 = crossReal(F, [0, 1, 2].map((j) => re(0, j, mu)), [0, 1, 2].map((j) => re(1, j, mu)));
  const rowC = (i: number): [S, S][] => [0, 1, 2].map((j) => [re(i, j, alphaHat), i === j ? betaHat : F.zero] as [S, S]);
  const v = crossComplex(F, rowC(0), rowC(1));
  const t2 = v.map((z) => z[0]);
  const t3 = v.map((z) => F.neg(z[1]));
  const T = [0, 1, 2].map((i) => [t1[i]!, t2[i]!, t3[i]!]);
  const lu = luFactor(F, T);
  const cols = [0, 1, 2].map((j) => luSolve(F, lu, [0, 1, 2].map((i) => (i === j ? F.one : F.zero))));
  const Tinv = [0, 1, 2].map((i) => [cols[0]![i]!, cols[1]![i]!, cols[2]![i]!]);
  const dd = [
    F.div(F.neg(F.add(n(13), F.scale(sq6, 7))), n(3)),
    F.div(F.add(n(-13), F.scale(sq6, 7)), n(3)),
    n('-1/3'),
  ];
  return { c: [c1, c2, F.one], A, gamma, alpha, beta, T, Tinv, dd };
}

function crossReal<S>(F: Field<S>, a: S[], b: S[]): S[] {
  return [
    F.sub(F.mul(a[1]!, b[2]!), F.mul(a[2]!, b[1]!)),
    F.sub(F.mul(a[2]!, b[0]!), F.mul(a[0]!, b[2]!)),
    F.sub(F.mul(a[0]!, b[1]!), F.mul(a[1]!, b[0]!)),
  ];
}

function cmul<S>(F: Field<S>, a: [S, S], b: [S, S]): [S, S] {
  return [F.sub(F.mul(a[0], b[0]), F.mul(a[1], b[1])), F.add(F.mul(a[0], b[1]), F.mul(a[1], b[0]))];
}
function csub<S>(F: Field<S>, a: [S, S], b: [S, S]): [S, S] {
  return [F.sub(a[0], b[0]), F.sub(a[1], b[1])];
}
/** Bilinear cross product (no conjugation): orthogonal to both rows in the sense Σ a_i v_i = 0. */
function crossComplex<S>(F: Field<S>, a: [S, S][], b: [S, S][]): [S, S][] {
  return [
    csub(F, cmul(F, a[1]!, b[2]!), cmul(F, a[2]!, b[1]!)),
    csub(F, cmul(F, a[2]!, b[0]!), cmul(F, a[0]!, b[2]!)),
    csub(F, cmul(F, a[0]!, b[1]!), cmul(F, a[1]!, b[0]!)),
  ];
}
