/**
 * The linear systems of Radau IIA's simplified Newton iteration (HW II §IV.8): the real system (γ/h I − J) and
 * the (s−1)/2 complex ones ((α_k + iβ_k)/h I − J), factored once per (J, h) and solved in every iteration and
 * for the error estimate.
 *
 * Mixed precision (SPEC.md §8, "Stiffness"): in a Decimal field the factors may be kept in float64. The Newton
 * residuals are still formed in the field, so the iteration converges to the working precision; an iteration
 * matrix off by δM only changes the contraction by about ‖M⁻¹δM‖ ≤ u₆₄·cond(M) (u₆₄ = 2⁻⁵³), on top of the
 * frozen Jacobian's own θ. The float64 factors are used only when every entry of J, γ/h, α_k/h, β_k/h is a
 * finite double and ‖hJ‖∞/γ ≤ FLOAT64_STIFFNESS_LIMIT — in practice the early, non-stiff phase of a flow; the
 * caller falls back to the field's factors after a Newton failure (radauIIA.ts). Measured on the bench's
 * (6, 8, 10) data at 50 digits: the factorizations and solves were ~20% of a Decimal step (complex LU of a
 * 10 × 10 matrix: ~1600 Decimal operations); with float64 factors a RadauIIA9 step from τ = 0 costs 133 ms
 * against 155 ms. Late in the flow (‖hJ‖/γ 1e12 by ρ ≈ 20, 3e18 by ρ ≈ 27) they would save ~9% of a
 * scaled-chart step (93 against 102 ms) but are not used: see the limit.
 */
import type { Field } from '../numeric/Field.js';
import { float64Field } from '../numeric/float64.js';
import { luFactor, luSolve } from '../numeric/linalg.js';
import { luFactorShiftedF64, luSolveF64 } from '../numeric/linalgF64.js';
import { complexLuSolve, complexShiftedLuFactor } from './complexLinalg.js';
import { complexLuSolveF64, complexShiftedLuFactorF64 } from './complexLinalgF64.js';

/**
 * Largest ‖hJ‖∞/γ for which the float64 factors are used. The bound u₆₄·cond(M) ≲ u₆₄·‖hJ‖/γ assumes a normal
 * J; the flows' Jacobians are far from normal (columns scaled by ∂w_j/∂r_j), and where exact factors let Newton
 * converge in one iteration with huge steps the float64 ones do not. Measured on the demo's data after the
 * float64 hand-over (ρ 17.06 → 30): field factors 5 Decimal steps (Newton: 1 iteration, residual 1e-37); float64
 * factors up to ‖hJ‖/γ = 1e13, 1e10 or 1e8: 35 + 24 rejected steps to ρ 18.5, then the scaled chart, the demo
 * 4.6 s → 6.6–9.6 s; at 1e3 unchanged (5 steps). From τ = 0 (RadauIIA9, bench data, 30 s): ρ 8.55 with field
 * factors, 9.16 at 1e3, 9.24 at 1e13.
 */
export const FLOAT64_STIFFNESS_LIMIT = 1e3;

export type NewtonPrecision = 'field' | 'float64';

export interface NewtonSystems<S> {
  /** where the factors live */
  readonly precision: NewtonPrecision;
  /** a pivot was exactly zero */
  readonly singular: boolean;
  /** x with (γ/h I − J) x = b; null when the float64 factors produced a non-finite entry */
  solveReal(b: readonly S[]): S[] | null;
  /** x with ((α_k + iβ_k)/h I − J) x = bRe + i·bIm, as [re, im]; null as for solveReal */
  solveComplex(k: number, bRe: readonly S[], bIm: readonly S[]): [S[], S[]] | null;
}

/**
 * Factor the iteration matrices for step size h. `preferFloat64`: factor in float64 when the field is not float64
 * and the guard above allows it (else in the field).
 */
export function factorNewtonSystems<S>(
  F: Field<S>,
  J: readonly (readonly S[])[],
  gamma: S,
  alpha: readonly S[],
  beta: readonly S[],
  h: S,
  preferFloat64: boolean,
): NewtonSystems<S> {
  const fac1 = F.div(gamma, h);
  const shifts = alpha.map((a, k) => [F.div(a, h), F.div(beta[k]!, h)] as const);
  if (preferFloat64 && F.kind !== 'float64') {
    const shadow = float64Systems(F, J, fac1, shifts);
    if (shadow) return shadow;
  }
  return { precision: 'field', ...factorIn(F, J, fac1, shifts) };
}

/** The factored systems in one field, before the mixed-precision wrapping. */
interface Factored<T> {
  readonly singular: boolean;
  solveReal(b: readonly T[]): T[];
  solveComplex(k: number, bRe: readonly T[], bIm: readonly T[]): [T[], T[]];
}

/**
 * LU factors of (fac1·I − J) and of ((re + i·im)·I − J) for each shift, in the field G: in float64 by the typed
 * twins (numeric/linalgF64.ts, complexLinalgF64.ts: the same doubles; measured on the bench's (6, 8, 10) float64
 * flow, see linalgF64.ts).
 */
function factorIn<T>(G: Field<T>, J: readonly (readonly T[])[], fac1: T, shifts: readonly (readonly [T, T])[]): Factored<T> {
  if (G.kind === 'float64') return factorF64(J as unknown as number[][], fac1 as unknown as number, shifts as unknown as [number, number][]) as unknown as Factored<T>;
  const E1 = luFactor(G, J.map((row, i) => row.map((x, j) => (i === j ? G.sub(fac1, x) : G.neg(x)))));
  const E2 = shifts.map(([re, im]) => complexShiftedLuFactor(G, J, re, im));
  return {
    singular: E1.singular || E2.some((e) => e.singular),
    solveReal: (b) => luSolve(G, E1, b),
    solveComplex: (k, bRe, bIm) => complexLuSolve(G, E2[k]!, bRe, bIm),
  };
}

function factorF64(J: readonly (readonly number[])[], fac1: number, shifts: readonly (readonly [number, number])[]): Factored<number> {
  const E1 = luFactorShiftedF64(J, fac1);
  const E2 = shifts.map(([re, im]) => complexShiftedLuFactorF64(J, re, im));
  return {
    singular: E1.singular || E2.some((e) => e.singular),
    solveReal: (b) => luSolveF64(E1, b),
    solveComplex: (k, bRe, bIm) => complexLuSolveF64(E2[k]!, bRe, bIm),
  };
}

/** The float64 factors, or null when the guard fails (an entry not a finite double, or too stiff). */
function float64Systems<S>(F: Field<S>, J: readonly (readonly S[])[], fac1: S, shifts: readonly (readonly [S, S])[]): NewtonSystems<S> | null {
  const G = float64Field;
  const J64 = J.map((row) => row.map((x) => F.toNumber(x)));
  const f1 = F.toNumber(fac1);
  const sh = shifts.map(([re, im]) => [F.toNumber(re), F.toNumber(im)] as const);
  const finite = (x: number) => Number.isFinite(x);
  if (!finite(f1) || f1 === 0 || !sh.every(([re, im]) => finite(re) && finite(im))) return null;
  let normJ = 0;
  for (const row of J64) {
    let s = 0;
    for (const x of row) { if (!finite(x)) return null; s += Math.abs(x); }
    normJ = Math.max(normJ, s);
  }
  // ‖hJ‖/γ = ‖J‖/(γ/h)
  if (normJ / Math.abs(f1) > FLOAT64_STIFFNESS_LIMIT) return null;
  const factored = factorIn(G, J64, f1, sh);
  const toNum = (v: readonly S[]) => v.map((x) => F.toNumber(x));
  const back = (v: readonly number[]): S[] | null => (v.every(finite) ? v.map((x) => F.of(x)) : null);
  return {
    precision: 'float64',
    singular: factored.singular,
    solveReal: (b) => back(factored.solveReal(toNum(b))),
    solveComplex: (k, bRe, bIm) => {
      const [xr, xi] = factored.solveComplex(k, toNum(bRe), toNum(bIm));
      const re = back(xr);
      const im = back(xi);
      return re && im ? [re, im] : null;
    },
  };
}
