/**
 * A flow of SPEC.md §4 as an ODE in a normalized time τ (any dθ/dτ = −∇L/N(θ), N > 0, traces the same
 * path). The ODE state is θ; physical time is recovered by quadrature of dt = e^{φ}dτ, φ = −ln N(θ)
 * (physicalTime.ts), kept as ln t so that t = e^{10^{20}} is representable. (Carrying ln t in the ODE
 * state was measured and rejected: its equation is stiff and singular at τ = 0, and it took the step
 * count of a ρ = 15 mirror flow from 146 to 1157.)
 */
import type { Field } from '../numeric/Field.js';
import type { OdeProblem } from '../ode/Problem.js';

export type FlowParam = 'diag' | 'uv' | 'r' | 'kq' | 'w';
export const FLOW_PARAMS: readonly FlowParam[] = ['r', 'diag', 'uv', 'kq', 'w'];

/** The attention weights a state stands for. */
export type Weights<S> = { readonly structure: 'diag'; readonly w: S[] } | { readonly structure: 'full'; readonly W: S[][] };

export interface FlowDefinition<S> {
  readonly F: Field<S>;
  readonly param: FlowParam;
  /** dimension of θ (the ODE state has one more entry: ln t) */
  readonly dim: number;
  readonly structure: 'diag' | 'full';
  /** θ at τ = τ₀ > 0 and ln t there (a first tiny Euler step: ln t(0) = −∞) */
  readonly start: { readonly tau: S; readonly y: S[]; readonly logT: S };
  /** The ODE in τ, on [from.tau, tEnd] (from = start by default). */
  problem(tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S>;
  weights(y: readonly S[]): Weights<S>;
  /** ‖r‖_∞ for the diagonal flows; ln(1 + ‖W‖_F) for `w` and `kq` (the analogue used for checkpoints) */
  rho(y: readonly S[]): S;
  /** log10 ‖W‖_F (null when W = 0) */
  log10Norm(y: readonly S[]): S | null;
  /** φ = ln dt/dτ and dφ/dτ at a state (null when the gradient vanishes: the flow is at rest) */
  timeRate(y: readonly S[]): { readonly phi: S; readonly dphi: S } | null;
  /**
   * ĉ_k = c_k/‖g‖ per constraint (diagonal flows): dΛ_k/dτ = ĉ_k, so that r(τ) − r(τ₀) = Σ ΔΛ_k a_k
   * (SPEC.md §6); null for flows that do not define it.
   */
  dualRates?(y: readonly S[]): S[] | null;
  /**
   * Absolute roundoff uncertainty of the margins at this state in this backend: the state's own rounding
   * propagated to h_{i,t} (first order). Late in a flow the support margins balance on an O(1) scale,
   * so once this approaches 1e-5 the backend no longer resolves the state (SPEC.md §8).
   */
  marginUncertainty(y: readonly S[]): number;
  /** the mirror coordinates r of a diagonal flow's state when its chart is not r itself (mirrorScaled.ts) */
  mirror?(y: readonly S[]): S[];
  /** invariants of SPEC.md §4 (u⊙b for diagonal flows, KᵀK − QᵀQ for kq), flattened; null where none */
  invariant(y: readonly S[]): S[] | null;
}
