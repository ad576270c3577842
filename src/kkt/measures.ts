/**
 * Approximate KKT along a trajectory (SPEC.md §6). For a feasible W̃ (minimal margin exactly 1) and dual
 * variables λ ≥ 0 rescaled so that ‖Σ λ A‖° = 1:
 *   ε = 1 − ⟨Σ λ A, W̃⟩/‖W̃‖        (stationarity: Σ λ A is an ε-subgradient of ‖·‖ at W̃)
 *   δ = Σ λ_{i,t}(h_{i,t}(W̃) − 1)   (complementary slackness)
 *   1ᵀλ ≤ OPT ≤ ‖W̃‖ ≤ (OPT + δ)/(1 − ε)   (weak duality; the bracket certifies the gap).
 */
import type { Field } from '../numeric/Field.js';
import type { AttentionProblem } from '../model/problem.js';
import type { Weights } from '../flows/FlowDefinition.js';
import { type KktNorm, dualNorm, primalNorm } from './norms.js';

/** The reference the trajectory is compared with: the SVM optimum in the same field. */
export interface SvmReference<S> {
  readonly norm: KktNorm;
  readonly p?: number;
  readonly opt: S;
  /** the optimal W* when unique (else null: compare objectives and KKT residuals only) */
  readonly solution: Weights<S> | null;
  /** LP/dual optimal λ* per constraint (aligned with the constraint order), when known */
  readonly duals: readonly S[] | null;
  /** per-coordinate range over the optimal face (diagonal, non-unique optimum) */
  readonly face?: { readonly min: readonly S[]; readonly max: readonly S[] } | null;
  readonly nuclear?: (W: S[][]) => S;
  readonly spectral?: (W: S[][]) => S;
}

export interface DualMeasures<S> {
  /** λ rescaled to ‖Σ λ A‖° = 1 */
  readonly lambda: S[];
  readonly eps: S;
  readonly delta: S;
  /** 1ᵀλ: a certified lower bound on OPT */
  readonly dualObjective: S;
  /** (OPT + δ)/(1 − ε), the upper end of the bracket (null when ε ≥ 1) */
  readonly bracketUpper: S | null;
  /** max_k |λ_k − λ*_k| (null without reference duals) */
  readonly dualDistance: S | null;
}

/** Σ_k λ_k A_k as diagonal vector or full matrix. */
export function combineConstraints<S>(P: AttentionProblem<S>, lambda: readonly S[], structure: 'diag' | 'full'): Weights<S> {
  const F = P.F;
  const d = P.d;
  if (structure === 'diag') {
    const xi = Array.from({ length: d }, () => F.zero);
    P.a.forEach((a, k) => { for (let j = 0; j < d; j++) xi[j] = F.add(xi[j]!, F.mul(lambda[k]!, a[j]!)); });
    return { structure: 'diag', w: xi };
  }
  const X = Array.from({ length: d }, () => Array.from({ length: d }, () => F.zero));
  P.left.forEach((l, k) => {
    const r = P.right[k]!;
    for (let p = 0; p < d; p++) {
      const lp = F.mul(lambda[k]!, l[p]!);
      if (F.isZero(lp)) continue;
      for (let q = 0; q < d; q++) X[p]![q] = F.add(X[p]![q]!, F.mul(lp, r[q]!));
    }
  });
  return { structure: 'full', W: X };
}

function inner<S>(F: Field<S>, a: Weights<S>, b: Weights<S>): S {
  const x = a.structure === 'diag' ? a.w : a.W.flat();
  const y = b.structure === 'diag' ? b.w : b.W.flat();
  let s = F.zero;
  for (let j = 0; j < x.length; j++) s = F.add(s, F.mul(x[j]!, y[j]!));
  return s;
}

/** ε, δ and the bracket for dual variables λ (any positive scaling; negative entries are clipped to 0). */
export function dualMeasures<S>(
  P: AttentionProblem<S>,
  ref: SvmReference<S>,
  wTilde: Weights<S>,
  marginsTilde: readonly S[],
  rawLambda: readonly S[],
): DualMeasures<S> | null {
  const F = P.F;
  const clipped = rawLambda.map((x) => F.max(x, F.zero));
  const xi0 = combineConstraints(P, clipped, wTilde.structure);
  const scale = dualNorm(F, xi0, ref.norm, ref.p, ref.spectral);
  if (F.isZero(scale)) return null;
  const lambda = clipped.map((x) => F.div(x, scale));
  const xi = combineConstraints(P, lambda, wTilde.structure);
  const normW = primalNorm(F, wTilde, ref.norm, ref.p, ref.nuclear);
  const eps = F.sub(F.one, F.div(inner(F, xi, wTilde), normW));
  let delta = F.zero;
  let dualObjective = F.zero;
  lambda.forEach((l, k) => {
    delta = F.add(delta, F.mul(l, F.sub(marginsTilde[k]!, F.one)));
    dualObjective = F.add(dualObjective, l);
  });
  const bracketUpper = F.lt(eps, F.one) ? F.div(F.add(ref.opt, delta), F.sub(F.one, eps)) : null;
  let dualDistance: S | null = null;
  if (ref.duals) {
    dualDistance = F.zero;
    lambda.forEach((l, k) => { dualDistance = F.max(dualDistance!, F.abs(F.sub(l, ref.duals![k]!))); });
  }
  return { lambda, eps, delta, dualObjective, bracketUpper, dualDistance };
}

export interface PrimalMeasures<S> {
  /** ‖W̃‖ in the SVM norm */
  readonly normTilde: S;
  /** ‖W̃‖/OPT − 1 */
  readonly relativeGap: S;
  /** ‖W̃ − W*‖/‖W*‖ (unique optimum) or the distance to the optimal face's coordinate box / ‖·‖ */
  readonly directionError: S | null;
  /** indices j with |W̃_j| above 1e-3·max: the recovered support */
  readonly support: number[];
}

export function primalMeasures<S>(P: AttentionProblem<S>, ref: SvmReference<S>, wTilde: Weights<S>): PrimalMeasures<S> {
  const F = P.F;
  const normTilde = primalNorm(F, wTilde, ref.norm, ref.p, ref.nuclear);
  const relativeGap = F.sub(F.div(normTilde, ref.opt), F.one);
  let directionError: S | null = null;
  const flat = wTilde.structure === 'diag' ? wTilde.w : wTilde.W.flat();
  if (ref.solution) {
    const star = ref.solution.structure === 'diag' ? ref.solution.w : ref.solution.W.flat();
    const diff: Weights<S> = wTilde.structure === 'diag'
      ? { structure: 'diag', w: flat.map((x, j) => F.sub(x, star[j]!)) }
      : { structure: 'full', W: wTilde.W.map((row, i) => row.map((x, j) => F.sub(x, star[i * P.d + j]!))) };
    directionError = F.div(primalNorm(F, diff, ref.norm, ref.p, ref.nuclear), primalNorm(F, ref.solution, ref.norm, ref.p, ref.nuclear));
  } else if (ref.face && wTilde.structure === 'diag') {
    const out = flat.map((x, j) => F.max(F.max(F.sub(ref.face!.min[j]!, x), F.sub(x, ref.face!.max[j]!)), F.zero));
    directionError = F.div(primalNorm(F, { structure: 'diag', w: out }, ref.norm, ref.p), ref.opt);
  }
  let mx = F.zero;
  for (const x of flat) mx = F.max(mx, F.abs(x));
  const thr = F.mul(mx, F.of('1e-3'));
  const support = flat.map((x, j) => (F.gt(F.abs(x), thr) ? j : -1)).filter((j) => j >= 0);
  return { normTilde, relativeGap, directionError, support };
}
