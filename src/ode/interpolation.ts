/**
 * Dense output of one step [t0, t0 + h], θ = (t − t0)/h ∈ [0, 1]. Pure functions building `Interpolant`s.
 */
import type { Field } from '../numeric/Field.js';
import type { Interpolant } from './types.js';

/** θ = (t − t0)/h in the field. */
export function thetaOf<S>(F: Field<S>, t0: S, h: S, t: S): S {
  return F.div(F.sub(t, t0), h);
}

/** Horner evaluation of Σ_{p=1..P} coeffs[p−1] θ^p. */
function polyNoConstant<S>(F: Field<S>, coeffs: readonly S[], theta: S): S {
  let acc = F.zero;
  for (let p = coeffs.length - 1; p >= 0; p--) acc = F.mul(F.add(acc, coeffs[p]!), theta);
  return acc;
}

/**
 * Runge–Kutta continuous extension y(t0+θh) = y0 + h Σ_i B_i(θ) k_i (Hairer–Nørsett–Wanner I, II.6).
 * `bTheta[i]` holds the coefficients of θ^1..θ^P of B_i.
 */
export function rkInterpolant<S>(
  F: Field<S>,
  t0: S,
  h: S,
  y0: readonly S[],
  k: readonly (readonly S[])[],
  bTheta: readonly (readonly S[])[],
): Interpolant<S> {
  return {
    at(t: S): S[] {
      const th = thetaOf(F, t0, h, t);
      const w = bTheta.map((row) => F.mul(h, polyNoConstant(F, row, th)));
      return y0.map((yi, j) => {
        let s = yi;
        for (let i = 0; i < w.length; i++) {
          if (F.isZero(w[i]!)) continue;
          s = F.add(s, F.mul(w[i]!, k[i]![j]!));
        }
        return s;
      });
    },
  };
}

/**
 * Cubic Hermite interpolation from the end values and derivatives (HNW I, II.6 (6.7)):
 * y(θ) = (1−θ)y0 + θy1 + θ(θ−1)[(1−2θ)(y1−y0) + (θ−1)h f0 + θ h f1].
 */
export function hermiteInterpolant<S>(
  F: Field<S>,
  t0: S,
  h: S,
  y0: readonly S[],
  y1: readonly S[],
  f0: readonly S[],
  f1: readonly S[],
): Interpolant<S> {
  return {
    at(t: S): S[] {
      const th = thetaOf(F, t0, h, t);
      const thm1 = F.sub(th, F.one);
      const oneM2th = F.sub(F.one, F.scale(th, 2));
      const thth1 = F.mul(th, thm1);
      const hf0 = F.mul(thm1, h);
      const hf1 = F.mul(th, h);
      return y0.map((a, j) => {
        const dy = F.sub(y1[j]!, a);
        const inner = F.add(F.add(F.mul(oneM2th, dy), F.mul(hf0, f0[j]!)), F.mul(hf1, f1[j]!));
        return F.add(F.add(a, F.mul(th, dy)), F.mul(thth1, inner));
      });
    },
  };
}

/** Lagrange weights L_k(x) of the nodes xs: p(x) = Σ_k L_k(x) v_k interpolates v_k at xs[k]. */
export function lagrangeWeights<S>(F: Field<S>, xs: readonly S[], x: S): S[] {
  return xs.map((xk, k) => {
    let num = F.one;
    let den = F.one;
    for (let l = 0; l < xs.length; l++) {
      if (l === k) continue;
      num = F.mul(num, F.sub(x, xs[l]!));
      den = F.mul(den, F.sub(xk, xs[l]!));
    }
    return F.div(num, den);
  });
}

/**
 * Lagrange weights L_i(θ), i = 1..m, of the nodes {0, c_1, …, c_m} for data that vanish at node 0:
 * p(θ) = Σ_i L_i(θ) z_i with p(0) = 0, p(c_i) = z_i. Used for collocation polynomials (Radau IIA).
 */
export function lagrangeWeightsZeroAnchored<S>(F: Field<S>, c: readonly S[], theta: S): S[] {
  return lagrangeWeights(F, [F.zero, ...c], theta).slice(1);
}
