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

/**
 * The two terms u₀²e^{2r} and b₀²e^{−2r} of coordinate j. In the arbitrary-precision fields (no underflow) the second is κ_j²/(first),
 * κ_j² = e^{2(lu+lb)} cached per init: one exp per coordinate instead of two (exp dominates Decimal's cost).
 */
const kappaSquaredCache = new WeakMap<object, unknown[]>();
function mirrorTerms<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[], j: number): [S, S] {
  const two = F.scale(r[j]!, 2);
  const lu = init.logU0[j]!;
  const lb = init.logB0[j]!;
  if (F.kind === 'float64' || lu === null || lb === null) return [expOrZero(F, lu, two), expOrZero(F, lb, F.neg(two))];
  let k2 = kappaSquaredCache.get(init) as S[] | undefined;
  if (!k2) {
    k2 = init.logU0.map((u, q) => { const b = init.logB0[q]!; return u === null || b === null ? F.zero : F.exp(F.scale(F.add(u, b), 2)); });
    kappaSquaredCache.set(init, k2);
  }
  const first = expOrZero(F, lu, two);
  return [first, F.div(k2[j]!, first)];
}

export function weightsFromMirror<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): S[] {
  return r.map((_, j) => { const [a, b] = mirrorTerms(F, init, r, j); return F.sub(a, b); });
}

/** ∂w_j/∂r_j = 2(u₀² e^{2r} + b₀² e^{−2r}) = 2√(w_j² + 4κ_j²). */
export function mirrorDerivative<S>(F: Field<S>, init: MirrorInit<S>, r: readonly S[]): S[] {
  return r.map((_, j) => { const [a, b] = mirrorTerms(F, init, r, j); return F.scale(F.add(a, b), 2); });
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

/**
 * The inverse of `weightsFromMirror` (SPEC.md §4 closed form). With lu = ln|u₀_j|, lb = ln|b₀_j| and
 * κ_j = e^{lu+lb}: w_j = 2κ_j sinh(2r_j + lu − lb), so r_j = (asinh(w_j / 2κ_j) − lu + lb)/2, with asinh
 * taken in the log domain (|w_j|/κ_j reaches 1e40 and beyond). With b₀_j = 0 (u₀_j = 0) only w_j > 0 (< 0) is
 * reachable: r_j = (ln w_j − 2lu)/2 (r_j = (2lb − ln(−w_j))/2). Null when some w_j is out of reach.
 */
export function mirrorFromWeights<S>(F: Field<S>, init: MirrorInit<S>, w: readonly S[]): S[] | null {
  const out: S[] = [];
  for (let j = 0; j < w.length; j++) {
    const rj = mirrorCoordinate(F, init.logU0[j]!, init.logB0[j]!, w[j]!);
    if (rj === null) return null;
    out.push(rj);
  }
  return out;
}

/** One coordinate of `mirrorFromWeights`: r_j from w_j, lu = ln|u₀_j|, lb = ln|b₀_j| (null: u₀_j = 0, b₀_j = 0); null when out of reach. */
export function mirrorCoordinate<S>(F: Field<S>, lu: S | null, lb: S | null, wj: S): S | null {
  const sign = F.sign(wj);
  if (lu === null || lb === null) {
    if (lu === null && lb === null) return F.zero;
    if (lb === null) return sign <= 0 ? null : F.scale(F.sub(F.log(wj), F.scale(lu!, 2)), 0.5);
    return sign >= 0 ? null : F.scale(F.sub(F.scale(lb, 2), F.log(F.neg(wj))), 0.5);
  }
  let asinh = F.zero;
  if (sign !== 0) {
    // ln|z| with z = w_j / 2κ_j
    const logZ = F.sub(F.sub(F.log(F.abs(wj)), F.log(F.two)), F.add(lu, lb));
    let mag: S;
    if (F.gt(logZ, F.zero)) {
      // asinh|z| = ln|z| + ln(1 + √(1 + z⁻²))
      mag = F.add(logZ, F.log(F.add(F.one, F.sqrt(F.add(F.one, F.exp(F.scale(logZ, -2)))))));
    } else {
      // asinh x = log1p(x + x²/(1 + √(1 + x²))) for 0 < x ≤ 1, without cancellation
      const x = F.exp(logZ);
      const x2 = F.mul(x, x);
      mag = F.log1p(F.add(x, F.div(x2, F.add(F.one, F.sqrt(F.add(F.one, x2))))));
    }
    asinh = sign > 0 ? mag : F.neg(mag);
  }
  return F.scale(F.add(F.sub(asinh, lu), lb), 0.5);
}
