/**
 * The flow-level fields of a checkpoint (CONTRACT.md `flow --json`): everything that needs no SVM.
 * The KKT fields (relative_gap, direction_error, eps, delta, duals) are added by src/kkt.
 */
import type { Field } from '../numeric/Field.js';
import { lnToLog10 } from '../numeric/logdomain.js';
import type { AttentionProblem } from '../model/problem.js';
import { evaluateAttention } from '../model/attention.js';
import { marginsDiag, marginsFull, minMargin } from '../model/margins.js';
import { log10ExcessLoss, log10MaxNonOptAttention, log10NonOptMass } from '../model/objective.js';
import type { FlowDefinition, Weights } from './FlowDefinition.js';
import type { FlowState } from './run.js';

export interface BaseCheckpoint<S> {
  readonly tau: S;
  readonly logT: S;
  readonly rho: S;
  readonly log10Norm: S | null;
  readonly weights: Weights<S>;
  readonly margins: S[];
  readonly minMargin: S;
  /** W / min margin (null when the minimal margin is ≤ 0: no feasible direction yet) */
  readonly wTilde: Weights<S> | null;
  readonly log10Excess: S;
  readonly log10MaxNonOpt: S;
  /** log10(1 − s_{i,opt}) per sample (B.SPARSE) */
  readonly log10NonOptMass: S[];
  readonly Lambda?: readonly S[];
  /** the flow's invariant (u⊙b, or KᵀK − QᵀQ flattened), null where none */
  readonly invariant: S[] | null;
}

export function marginsOf<S>(P: AttentionProblem<S>, W: Weights<S>): S[] {
  return W.structure === 'diag' ? marginsDiag(P, W.w) : marginsFull(P, W.W);
}

export function scaleWeights<S>(F: Field<S>, W: Weights<S>, k: S): Weights<S> {
  return W.structure === 'diag' ? { structure: 'diag', w: W.w.map((x) => F.mul(x, k)) } : { structure: 'full', W: W.W.map((row) => row.map((x) => F.mul(x, k))) };
}

export function baseCheckpoint<S>(P: AttentionProblem<S>, flow: FlowDefinition<S>, state: FlowState<S>): BaseCheckpoint<S> {
  const F = P.F;
  const weights = flow.weights(state.y);
  const margins = marginsOf(P, weights);
  const mm = minMargin(F, margins);
  const ev = evaluateAttention(P, margins);
  return {
    tau: state.tau,
    logT: state.logT,
    rho: flow.rho(state.y),
    log10Norm: flow.log10Norm(state.y),
    weights,
    margins,
    minMargin: mm,
    wTilde: F.gt(mm, F.zero) ? scaleWeights(F, weights, F.div(F.one, mm)) : null,
    log10Excess: log10ExcessLoss(P, ev),
    log10MaxNonOpt: log10MaxNonOptAttention(P, ev),
    log10NonOptMass: log10NonOptMass(P, ev),
    ...(state.Lambda ? { Lambda: state.Lambda } : {}),
    invariant: flow.invariant(state.y),
  };
}

export const log10Time = <S>(F: Field<S>, logT: S): S => lnToLog10(F, logT);
