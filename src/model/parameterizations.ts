/**
 * The parameterizations of SPEC.md §4 and the gradient of L with respect to each (chain rule through W).
 *   w:    W                         ∇_W L = G
 *   kq:   W = K Qᵀ (K, Q ∈ R^{d×m}) ∇_K = G Q, ∇_Q = Gᵀ K
 *   diag: W = diag(k ⊙ q)           ∇_k = g ⊙ q, ∇_q = g ⊙ k
 *   uv:   W = diag(u⊙u − b⊙b)       ∇_u = 2 g ⊙ u, ∇_b = −2 g ⊙ b
 *   r:    w = u₀² e^{2r} − b₀² e^{−2r}  ∇_r = g ⊙ ∂w/∂r, ∂w_j/∂r_j = 2(u₀² e^{2r} + b₀² e^{−2r})
 * (The flows of §4 are not all the gradient flows of these: e.g. the `uv` flow u̇ = −g⊙u is the `diag`
 * flow in new coordinates, and the mirror flow is ṙ = −g; see src/flows.)
 */
import type { Field } from '../numeric/Field.js';
import { matMul, transpose } from '../numeric/linalg.js';

export type ParamName = 'w' | 'kq' | 'diag' | 'uv' | 'r';
export const PARAM_NAMES: readonly ParamName[] = ['w', 'kq', 'diag', 'uv', 'r'];

export const hadamard = <S>(F: Field<S>, a: readonly S[], b: readonly S[]): S[] => a.map((x, j) => F.mul(x, b[j]!));

/** W = K Qᵀ */
export function weightsFromKQ<S>(F: Field<S>, K: S[][], Q: S[][]): S[][] {
  return matMul(F, K, transpose(Q));
}

/** w = k ⊙ q */
export function weightsFromDiag<S>(F: Field<S>, k: readonly S[], q: readonly S[]): S[] {
  return hadamard(F, k, q);
}

/** w = u ⊙ u − b ⊙ b */
export function weightsFromUV<S>(F: Field<S>, u: readonly S[], b: readonly S[]): S[] {
  return u.map((x, j) => F.sub(F.mul(x, x), F.mul(b[j]!, b[j]!)));
}

/**
 * Mirror coordinates (SPEC.md §4, closed form of `uv`): w_j = e^{2r_j + 2 log|u₀_j|} − e^{−2r_j + 2 log|b₀_j|}.
 * The initialization enters through the logs of |u₀|, |b₀| (null for a zero entry), so α = 1e-5000 works
 * in Decimal and float64 never forms an underflowing α².
 */
export interface MirrorInit<S> {
  readonly logU0: readonly (S | null)[];
  readonly logB0: readonly (S | null)[];
}

function expOrZero<S>(F: Field<S>, x: S | null, shift: S): S {
  return x === null ? F.zero : F.exp(F.add(F.scale(x, 2), shift));
}

export function weightsFromMirror<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): S[] {
  return r.map((rj, j) => {
    const two = F.scale(rj, 2);
    return F.sub(expOrZero(F, init.logU0[j]!, two), expOrZero(F, init.logB0[j]!, F.neg(two)));
  });
}

/** ∂w_j/∂r_j = 2(u₀² e^{2r} + b₀² e^{−2r}) = 2√(w_j² + 4κ_j²). */
export function mirrorDerivative<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): S[] {
  return r.map((rj, j) => {
    const two = F.scale(rj, 2);
    return F.scale(F.add(expOrZero(F, init.logU0[j]!, two), expOrZero(F, init.logB0[j]!, F.neg(two))), 2);
  });
}

export interface ParamGradients<S> {
  w: (G: S[][]) => S[][];
  kq: (G: S[][], K: S[][], Q: S[][]) => { K: S[][]; Q: S[][] };
  diag: (g: S[], k: S[], q: S[]) => { k: S[]; q: S[] };
  uv: (g: S[], u: S[], b: S[]) => { u: S[]; b: S[] };
  r: (g: S[], init: MirrorInit<S>, r: S[]) => S[];
}

/** ∇ of L in each parameterization, given G = ∇_W L (full) or g = ∇_w L (diagonal). */
export function paramGradients<S>(F: Field<S>): ParamGradients<S> {
  return {
    w: (G) => G,
    kq: (G, K, Q) => ({ K: matMul(F, G, Q), Q: matMul(F, transpose(G), K) }),
    diag: (g, k, q) => ({ k: hadamard(F, g, q), q: hadamard(F, g, k) }),
    uv: (g, u, b) => ({ u: g.map((x, j) => F.scale(F.mul(x, u[j]!), 2)), b: g.map((x, j) => F.scale(F.mul(x, b[j]!), -2)) }),
    r: (g, init, r) => hadamard(F, g, mirrorDerivative(F, init, r)),
  };
}
