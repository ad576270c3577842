/**
 * What both charts of the normalized mirror flow (mirror.ts: r; mirrorScaled.ts: (v, L)) compute alike
 * (SPEC.md §4): the normalized gradient and dual rates from the fast gradient, the tangent projection of the
 * Jacobian, the u⊙b invariant from r, and the cache of recent evaluations that the right-hand side, the time
 * rate, the dual rates and the stage quadrature share.
 */
import { type Field, norm2 } from '../numeric/Field.js';
import type { FastGradient } from '../model/fastGradient.js';
import type { AttentionProblem } from '../model/problem.js';
import { float64KernelOf } from '../model/fastGradientF64.js';
import { type Curvature, hessianFromCurvature, hessianQuadraticForm } from '../model/hessian.js';
import { hessianF64, hessianQuadraticFormF64 } from '../model/hessianF64.js';
import type { MirrorInit } from '../model/parameterizations.js';

/** How many recent evaluations a mirror flow keeps for sharing (mirror.ts explains the size); a benchmark of
 * the right-hand side must cycle through more states than this, or it times cache hits. */
export const SHARED_EVALUATIONS = 16;

export interface NormalizedGradient<S> {
  readonly unit: S[];        // ĝ = g/‖g‖ (zero vector when g = 0)
  readonly normScaled: S;    // ‖g_s‖
  readonly logNorm: S | null; // ln‖g‖ = M + ln‖g_s‖ (null when g = 0)
  readonly dualRates: S[];   // ĉ = c/‖g‖
}

/** ĝ, ‖g_s‖, ln‖g‖ and ĉ from the scaled gradient (one division: a Decimal division costs three multiplications). */
export function normalizedGradient<S>(F: Field<S>, gs: FastGradient<S>): NormalizedGradient<S> {
  const n = norm2(F, gs.value);
  const zero = F.isZero(n);
  const inv = zero ? F.zero : F.div(F.one, n);
  return {
    unit: zero ? gs.value.map(() => F.zero) : gs.value.map((x) => F.mul(x, inv)),
    normScaled: n,
    logNorm: zero ? null : F.add(gs.logScale, F.log(n)),
    dualRates: zero ? gs.weights.map(() => F.zero) : gs.weights.map((c) => F.mul(c, inv)),
  };
}

/**
 * H_s of the diagonal model (hessian.ts, scaled like the gradient gs) from the fast gradient's weights and
 * curvature; in float64 by the typed kernel (model/hessianF64.ts: the same doubles, without the generic path's
 * stacked factors and index arrays).
 */
export function diagonalHessian<S>(P: AttentionProblem<S>, gs: FastGradient<S>): S[][] {
  if (P.F.kind === 'float64') {
    const K = float64KernelOf(P as unknown as AttentionProblem<number>);
    return hessianF64(K, gs.weights as unknown as number[], gs.curvature() as unknown as Curvature<number>) as unknown as S[][];
  }
  return hessianFromCurvature(P, P.a, P.d, gs.weights, gs.curvature());
}

/** xᵀH_s y of the diagonal model in O(m·d), as diagonalHessian (the typed kernel in float64). */
export function diagonalHessianForm<S>(P: AttentionProblem<S>, gs: FastGradient<S>, x: readonly S[], y: readonly S[]): S {
  if (P.F.kind === 'float64') {
    const K = float64KernelOf(P as unknown as AttentionProblem<number>);
    return hessianQuadraticFormF64(K, gs.weights as unknown as number[], gs.curvature() as unknown as Curvature<number>, x as unknown as number[], y as unknown as number[]) as unknown as S;
  }
  return hessianQuadraticForm(P, P.a, gs.weights, gs.curvature(), x, y);
}

/** (I − ĝĝᵀ)B: the part of B that changes the direction ĝ (∂ĝ/∂x = (I − ĝĝᵀ)(∂g/∂x)/‖g‖). */
export function tangentProjection<S>(F: Field<S>, unit: readonly S[], B: readonly (readonly S[])[]): S[][] {
  const d = unit.length;
  const gB = Array.from({ length: B[0]?.length ?? 0 }, (_, q) => {
    let s = F.zero;
    for (let p = 0; p < d; p++) s = F.add(s, F.mul(unit[p]!, B[p]![q]!));
    return s;
  });
  return B.map((row, p) => row.map((b, q) => F.sub(b, F.mul(unit[p]!, gB[q]!))));
}

/** u⊙b = sign(κ_j)·e^{ln|u₀_j| + r_j + ln|b₀_j| − r_j}, computed in the field (exactly κ in exact arithmetic). */
export function mirrorInvariant<S>(F: Field<S>, init: MirrorInit<S>, kappa: readonly S[], r: readonly S[]): S[] {
  return r.map((rj, j) => {
    const lu = init.logU0[j]!;
    const lb = init.logB0[j]!;
    if (lu === null || lb === null) return F.zero;
    return F.scale(F.exp(F.add(F.add(lu, rj), F.sub(lb, rj))), F.sign(kappa[j]!));
  });
}

/**
 * The last `size` evaluations, keyed by a copy of the state's entries matched one by one with === (the same
 * numbers in float64, the same immutable Decimal objects): a caller that reuses and mutates one array still
 * gets fresh values. `shared` looks up without evaluating.
 */
export function recentEvaluations<S, E>(evaluate: (y: readonly S[]) => E, size: number) {
  const recent: { y: readonly S[]; at: E }[] = [];
  const sameState = (a: readonly S[], b: readonly S[]) => a.length === b.length && a.every((x, j) => x === b[j]);
  const shared = (y: readonly S[]): E | undefined => recent.find((e) => sameState(e.y, y))?.at;
  const at = (y: readonly S[]): E => {
    const hit = shared(y);
    if (hit !== undefined) return hit;
    const ev = evaluate(y);
    recent.unshift({ y: y.slice(), at: ev });
    if (recent.length > size) recent.pop();
    return ev;
  };
  return { at, shared };
}
