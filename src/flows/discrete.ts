/**
 * Discrete algorithms on W (SPEC.md §4, papers B–D), with the exact gradient in the log domain:
 *   gd      W⁺ = W − η ∇L
 *   ngd     W⁺ = W − η ∇L/‖∇L‖_F
 *   polyak  W⁺ = W − η_t ∇L,  η_t = c (L − L*)/‖∇L‖_F²   (L*, not 0)
 *   md      ℓp mirror descent, normalized: Z = ∇ψ(W) = sign(W)|W|^{p−1}, Z⁺ = Z − η ∇L/‖∇L‖_q,
 *           W⁺ = ∇ψ*(Z⁺) = sign(Z⁺)|Z⁺|^{1/(p−1)}, q = p/(p−1)
 * Iterations play the role of time (log10_t is log10 of the iteration count); checkpoints are spread
 * evenly in log10(iteration). float64 only: the algorithms run at moderate norms.
 */
import type { Dataset } from '../data/Dataset.js';
import { float64Field } from '../numeric/float64.js';
import { norm2 } from '../numeric/Field.js';
import { attentionProblem } from '../model/problem.js';
import type { LossKind } from '../model/loss.js';
import { evaluateAttention } from '../model/attention.js';
import { marginsFull } from '../model/margins.js';
import { gradientFullScaled } from '../model/gradient.js';
import { logExcessLoss } from '../model/objective.js';
import { emptyStats } from '../ode/types.js';
import { wFlow } from './full.js';
import type { FollowResult, Segment } from './follow.js';
import type { FlowState } from './run.js';

export type DiscreteAlgorithm = 'gd' | 'ngd' | 'polyak' | 'md';
export const DISCRETE_ALGORITHMS: readonly DiscreteAlgorithm[] = ['gd', 'ngd', 'polyak', 'md'];

export interface DiscreteOptions {
  readonly algorithm: DiscreteAlgorithm;
  readonly steps: number;
  /** step size (defaults: gd 1, ngd 0.1, polyak c = 1, md 0.1) */
  readonly eta?: number;
  /** ℓp exponent for md */
  readonly p?: number;
  readonly loss?: LossKind;
  readonly checkpoints?: number;
  readonly maxSeconds?: number;
}

const DEFAULT_ETA: Record<DiscreteAlgorithm, number> = { gd: 1, ngd: 0.1, polyak: 1, md: 0.1 };

export function runDiscrete(data: Dataset, o: DiscreteOptions): FollowResult {
  const F = float64Field;
  const P = attentionProblem(F, data, o.loss ?? 'exp');
  const d = P.d;
  const flow = wFlow(P, Array.from({ length: d }, () => Array.from({ length: d }, () => 0)));
  const eta = o.eta ?? DEFAULT_ETA[o.algorithm];
  const p = o.p ?? 2;
  const q = p / (p - 1);
  let W = new Array<number>(d * d).fill(0);
  let Z = W.slice(); // mirror variable for md
  const K = o.checkpoints ?? 12;
  const marks = new Set<number>();
  for (let i = 0; i < K; i++) marks.add(Math.max(1, Math.round(Math.pow(o.steps, (i + 1) / K))));
  const states: FlowState<number>[] = [];
  const t0 = Date.now();
  let status = 'success';
  let reason = `ran ${o.steps} iterations`;
  let k = 0;
  for (k = 1; k <= o.steps; k++) {
    const rows = Array.from({ length: d }, (_, i) => W.slice(i * d, (i + 1) * d));
    const ev = evaluateAttention(P, marginsFull(P, rows));
    const G = gradientFullScaled(P, ev);
    const g = G.value.flat();
    const n = norm2(F, g);
    if (n === 0) { status = 'at_rest'; reason = 'the gradient vanished'; break; }
    const unit = g.map((x) => x / n);
    const logNorm = G.logScale + Math.log(n);
    switch (o.algorithm) {
      case 'gd': { const f = eta * Math.exp(logNorm); W = W.map((x, j) => x - f * unit[j]!); break; }
      case 'ngd': W = W.map((x, j) => x - eta * unit[j]!); break;
      case 'polyak': { const f = eta * Math.exp(logExcessLoss(P, ev) - logNorm); W = W.map((x, j) => x - f * unit[j]!); break; }
      case 'md': {
        const gq = Math.pow(unit.reduce((s, x) => s + Math.pow(Math.abs(x), q), 0), 1 / q);
        Z = Z.map((z, j) => z - (eta * unit[j]!) / gq);
        W = Z.map((z) => Math.sign(z) * Math.pow(Math.abs(z), 1 / (p - 1)));
        break;
      }
    }
    if (marks.has(k)) states.push({ tau: k, y: W.slice(), logT: Math.log(k) });
    if (o.maxSeconds !== undefined && (Date.now() - t0) / 1000 > o.maxSeconds) { status = 'max_seconds'; reason = `wall clock exceeded ${o.maxSeconds} s after ${k} iterations`; break; }
  }
  const final: FlowState<number> = { tau: Math.min(k, o.steps), y: W.slice(), logT: Math.log(Math.max(1, Math.min(k, o.steps))) };
  if (states.length === 0 || states[states.length - 1]!.tau !== final.tau) states.push(final);
  const seg: Segment<number> = {
    F, P, flow,
    run: { status: status as never, reason, algorithm: o.algorithm, checkpoints: states, final, stats: { ...emptyStats(), steps: k, accepted: k, fEvals: k }, seconds: (Date.now() - t0) / 1000 },
  };
  return { segments: [seg], status, reason, switchedAtRho: null, digits: null, seconds: (Date.now() - t0) / 1000, steps: Math.min(k, o.steps), init: { W0: 'zero', eta, ...(o.algorithm === 'md' ? { p } : {}) } };
}
