/**
 * Shared helpers of the flow-engine properties: building the three diagonal flows (r, diag, uv) of one
 * dataset and initialization in one field, integrating a flow to a given normalized time τ, and the
 * scale-aware comparisons the tests use.
 */
import type { Dataset } from '../../src/data/Dataset.js';
import type { Field } from '../../src/numeric/Field.js';
import { normInf } from '../../src/numeric/Field.js';
import { attentionProblem, type AttentionProblem } from '../../src/model/problem.js';
import { mirrorFlow } from '../../src/flows/mirror.js';
import { diagonalFlow } from '../../src/flows/diagonal.js';
import { type DiagInit, kappaOf, mirrorInit } from '../../src/flows/init.js';
import type { FlowDefinition } from '../../src/flows/FlowDefinition.js';
import { solve } from '../../src/ode/solve.js';
import type { AlgorithmName } from '../../src/ode/algorithms.js';

export interface DiagonalTrio<S> {
  readonly P: AttentionProblem<S>;
  readonly r: FlowDefinition<S>;
  readonly diag: FlowDefinition<S>;
  readonly uv: FlowDefinition<S>;
  readonly kappa: S[];
}

export function diagonalTrio<S>(F: Field<S>, data: Dataset, init: DiagInit): DiagonalTrio<S> {
  const P = attentionProblem(F, data, 'exp');
  const kappa = kappaOf(init).map((q) => F.fromRational(q));
  const k0 = init.k0.map((q) => F.fromRational(q));
  const q0 = init.q0.map((q) => F.fromRational(q));
  return {
    P, kappa,
    r: mirrorFlow({ P, init: mirrorInit(F, init), kappa }),
    diag: diagonalFlow({ P, k0, q0, param: 'diag' }),
    uv: diagonalFlow({ P, k0, q0, param: 'uv' }),
  };
}

/** The state of `flow` at normalized time τ (integrated from its start), or null if the solver failed. */
export function stateAt<S>(flow: FlowDefinition<S>, tau: S, o: { rtol: string | number; atol: string | number; algorithm?: AlgorithmName; maxSeconds?: number }): S[] | null {
  const sol = solve(flow.problem(tau), o.algorithm ?? 'RadauIIA5', { rtol: o.rtol, atol: o.atol, maxSteps: 20000, ...(o.maxSeconds !== undefined ? { maxSeconds: o.maxSeconds } : {}) });
  return sol.status === 'success' ? sol.y : null;
}

/** ‖a − b‖∞ / max(‖b‖∞, floor) as a JS number. */
export function relDiff<S>(F: Field<S>, a: readonly S[], b: readonly S[], floor: S): number {
  const diff = normInf(F, a.map((x, j) => F.sub(x, b[j]!)));
  return F.toNumber(F.div(diff, F.max(normInf(F, b), floor)));
}
