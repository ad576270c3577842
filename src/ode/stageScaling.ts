/**
 * The stage transform of Radau IIA's simplified Newton iteration (HW II §IV.8), optionally scaled stage by stage
 * for a Jacobian whose stiff part grows along the step (SPEC.md §8, "Stiffness"; our addition to radau5.f).
 *
 * Newton solves G(Z) = h⁻¹(A⁻¹⊗I)Z − F(y0 + Z) = 0, whose Jacobian is h⁻¹A⁻¹⊗I − blockdiag(J(Y_i)). radau5.f
 * freezes J(Y_i) = J0; its contraction is then θ ≈ max_i ‖J(Y_i) − J0‖/‖J0‖ on the stiff modes. Late in the flows
 * the stiff part of J scales like e^{σ(y)} (σ = ln‖w‖ up to a constant: the margin offsets relax at a rate ∝ ‖w‖)
 * and σ grows along a step by Δσ ≈ 0.05, so θ ≈ Δσ and every step takes ~4 iterations; larger steps fail.
 * With the problem's estimate σ (OdeProblem.stiffnessLog) the iteration uses J(Y_i) ≈ d_i J0,
 * d_i = e^{σ(Y_i) − σ(y_J)} at the predicted stages: the matrix h⁻¹A⁻¹⊗I − D⊗J0 = (D⊗I)(h⁻¹B⊗I − I⊗J0) with
 * B = D⁻¹A⁻¹, and B = T Λ T⁻¹ in real block form (numeric/realEigen.ts) gives the same one real and (s−1)/2
 * complex systems as radau5.f with B's eigenvalues in place of A⁻¹'s:
 *   (h⁻¹Λ⊗I − I⊗J0) ΔW = (T⁻¹D⁻¹⊗I) R,   ΔZ = (T⊗I) ΔW,   R = F(y0 + Z) − h⁻¹(A⁻¹⊗I)Z.
 * The residual R is formed exactly in the field, so T and Λ (computed in float64) only precondition: the
 * iteration converges to the collocation solution of the working precision whatever their rounding.
 * D = I is radau5.f's iteration (with the exact transform of the tableau).
 */
import type { Field } from '../numeric/Field.js';
import { float64Field } from '../numeric/float64.js';
import { realBlockEigen } from '../numeric/realEigen.js';
import type { RadauIIACoefficients } from './tableaus/radauIIA.js';

export interface StageTransform<S> {
  /** ln d_i per stage (null: D = I, the tableau's own transform) */
  readonly logRatios: readonly number[] | null;
  /** real eigenvalue γ and pairs α_k ± iβ_k of B = D⁻¹A⁻¹ */
  readonly gamma: S;
  readonly alpha: readonly S[];
  readonly beta: readonly S[];
  readonly T: readonly (readonly S[])[];
  /** T⁻¹D⁻¹ */
  readonly TinvD: readonly (readonly S[])[];
  /** T in float64 (sizes of ΔZ from ΔW) */
  readonly T64: readonly (readonly number[])[];
}

/** radau5.f's transform: B = A⁻¹. */
export function tableauTransform<S>(F: Field<S>, K: RadauIIACoefficients<S>): StageTransform<S> {
  return { logRatios: null, gamma: K.gamma, alpha: K.alpha, beta: K.beta, T: K.T, TinvD: K.Tinv, T64: K.T.map((row) => row.map((x) => F.toNumber(x))) };
}

/**
 * The transform for B = D⁻¹A⁻¹, D = diag(e^{logRatios}): per stage where B keeps Radau's shape (one real
 * eigenvalue, (s−1)/2 complex pairs), else with D = e^{l̄}I, l̄ the mean of the logRatios (uniformTransform).
 * Measured in float64 over stage scalings c_i·Δσ, Δσ ∈ [0.001, 3]: s = 3 always keeps the shape, s = 5 and 7
 * lose it in 3 and 7 of 85 cases; random scalings in [−0.3, 0.3]: s = 3 always, s = 5 in 1%, s = 7 in 9%.
 */
export function stageTransform<S>(F: Field<S>, K: RadauIIACoefficients<S>, tableau: StageTransform<S>, logRatios: readonly number[]): StageTransform<S> {
  return scaledTransform(F, K, logRatios) ?? uniformTransform(F, tableau, logRatios.reduce((a, b) => a + b, 0) / logRatios.length, logRatios);
}

/**
 * B = e^{−l}A⁻¹: the tableau's transform with the eigenvalues (and T⁻¹) scaled by e^{−l}, exact in the field.
 * `logRatios` records the stage values it stands for (for the caller's test whether to rebuild).
 */
export function uniformTransform<S>(F: Field<S>, tableau: StageTransform<S>, l: number, logRatios: readonly number[]): StageTransform<S> {
  const inv = F.exp(F.of(-l));
  const scaled = (x: S) => F.mul(x, inv);
  return {
    ...tableau,
    logRatios: logRatios.slice(),
    gamma: scaled(tableau.gamma),
    alpha: tableau.alpha.map(scaled),
    beta: tableau.beta.map(scaled),
    TinvD: tableau.TinvD.map((row) => row.map(scaled)),
  };
}

/**
 * The per-stage transform, computed in float64 (Durand–Kerner stops at ~1e-11 of the root bound there: B is
 * reproduced to ~1e-14 (s = 3) … 2e-7 (s = 7), ample for a preconditioner) and converted to the field; null
 * when B is not of Radau's shape.
 */
export function scaledTransform<S>(F: Field<S>, K: RadauIIACoefficients<S>, logRatios: readonly number[]): StageTransform<S> | null {
  const inv = logRatios.map((l) => Math.exp(-l));
  const B = K.Ainv.map((row, i) => row.map((x) => inv[i]! * F.toNumber(x)));
  const eig = realBlockEigen(float64Field, B);
  if (eig === null || eig.gamma <= 0 || eig.alpha.some((a) => a <= 0)) return null;
  const of = (x: number) => F.of(x);
  return {
    logRatios: logRatios.slice(),
    gamma: of(eig.gamma),
    alpha: eig.alpha.map(of),
    beta: eig.beta.map(of),
    T: eig.T.map((row) => row.map(of)),
    TinvD: eig.Tinv.map((row) => row.map((x, j) => of(x * inv[j]!))),
    T64: eig.T,
  };
}
