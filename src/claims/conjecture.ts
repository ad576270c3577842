/**
 * The conjecture hook (SPEC.md §7, X.*): a user states a conjecture as a small module — the flow
 * (parameterization and loss), the predicted limit problem (an SVM of §5) and optionally a dataset
 * generator — and runs it through the same machinery as the built-in claims (`verify --conjecture FILE`,
 * `sweep`-style checks from code). The module's default export (or its `conjecture` export) is a
 * `Conjecture`; a compiled .js/.mjs file is loaded with import().
 *
 * Verdict: consistent when the margin-normalized direction reaches the predicted SVM within `gap`;
 * refuted when the loss reached the limit regime and every coordinate of W̃ settled elsewhere;
 * inconclusive otherwise (with the reason), as for A.T1.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Dataset } from '../data/Dataset.js';
import type { DataShape, Rng } from '../data/generate.js';
import { FLOW_PARAMS, type FlowParam } from '../flows/FlowDefinition.js';
import { LOSS_KINDS, type LossKind } from '../model/loss.js';
import { svmResultToJson } from '../svm/json.js';
import type { AssumptionStatus, ClaimOutcome, ClaimRunOptions } from './Claim.js';
import { verdictOf } from './Claim.js';
import { dataAssumptions } from './assumptionStatus.js';
import { followAndMeasure, svmOrNull } from './runs.js';
import { directionSettled, hypothesisStatus } from './at1.js';

export interface Conjecture {
  /** e.g. "X.LOGISTIC" */
  readonly id: string;
  readonly statement: string;
  /** the flow that is run (SPEC.md §4) */
  readonly param: FlowParam;
  readonly loss?: LossKind;
  /** the predicted limit: an SVM of SPEC.md §5 */
  readonly predicted: { readonly norm: 'l1' | 'fro' | 'nuclear' | 'lp'; readonly structure?: 'diag' | 'full'; readonly p?: number };
  /** thresholds and budget (defaults: gap 1e-3, ρ 25, 60 s) */
  readonly thresholds?: { readonly gap?: number; readonly rho?: number; readonly seconds?: number };
  /** datasets to test it on (sweeps, property runs); null when a draw fails */
  readonly generator?: (rng: Rng, shape: DataShape) => Dataset | null;
}

export class ConjectureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConjectureError';
  }
}

/** Check a module's export is a Conjecture; one message per problem. */
export function validateConjecture(x: unknown, where: string): Conjecture {
  const problems: string[] = [];
  const c = x as Record<string, unknown> | null;
  if (!c || typeof c !== 'object') throw new ConjectureError(`${where}: the module must export a Conjecture object (default export or \`conjecture\`)`);
  if (typeof c.id !== 'string' || c.id === '') problems.push(`${where}.id: a non-empty string`);
  if (typeof c.statement !== 'string') problems.push(`${where}.statement: a string`);
  if (!FLOW_PARAMS.includes(c.param as FlowParam)) problems.push(`${where}.param: one of ${FLOW_PARAMS.join(', ')}`);
  if (c.loss !== undefined && !LOSS_KINDS.includes(c.loss as LossKind)) problems.push(`${where}.loss: one of ${LOSS_KINDS.join(', ')}`);
  const p = c.predicted as Record<string, unknown> | undefined;
  if (!p || !['l1', 'fro', 'nuclear', 'lp'].includes(p.norm as string)) problems.push(`${where}.predicted.norm: one of l1, fro, nuclear, lp`);
  else if (p.norm === 'lp' && !(typeof p.p === 'number' && p.p > 1)) problems.push(`${where}.predicted.p: a number > 1 for norm lp`);
  if (c.generator !== undefined && typeof c.generator !== 'function') problems.push(`${where}.generator: a function (rng, shape) => Dataset | null`);
  if (problems.length) throw new ConjectureError(problems.join('\n'));
  return c as unknown as Conjecture;
}

export async function loadConjecture(file: string): Promise<Conjecture> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ConjectureError(`${file}: cannot load the module: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateConjecture(mod.default ?? mod.conjecture, file);
}

function weightsStructureOf(c: Conjecture): 'diag' | 'full' {
  return c.param === 'w' || c.param === 'kq' ? 'full' : 'diag';
}

/** Run a conjecture on one dataset through the claim machinery. */
export function checkConjecture(c: Conjecture, data: Dataset, o: ClaimRunOptions): ClaimOutcome {
  const gapMax = c.thresholds?.gap ?? 1e-3;
  const structure = c.predicted.structure ?? (c.predicted.norm === 'l1' ? 'diag' : weightsStructureOf(c));
  const { statuses } = dataAssumptions(data, structure === 'diag' ? 'diag' : 'full');
  const svm = svmOrNull(data, c.predicted.norm, structure, c.predicted.p);
  const run = followAndMeasure(data, c.param, `${c.param} flow (${c.loss ?? 'exp'} loss)`, { ...o, loss: c.loss ?? 'exp' }, svm,
    { rho: c.thresholds?.rho ?? 25, seconds: c.thresholds?.seconds ?? 60 });
  const nums = run.numbers;
  const hyp = hypothesisStatus(nums, run.result.status);
  const last = nums[nums.length - 1]!;
  let conclusion: boolean | null = null;
  let text: string;
  if (!svm || svm.status !== 'optimal') text = 'the predicted SVM is infeasible or undefined: no predicted limit';
  else if (last.relativeGap === null) text = 'no feasible direction yet at the end of the budget';
  else if (last.relativeGap <= gapMax) { conclusion = true; text = `W̃ reached relative gap ${last.relativeGap.toExponential(2)} ≤ ${gapMax} to the ${c.predicted.norm} SVM at ρ = ${last.rho.toFixed(2)}`; }
  else if (hyp.status.holds === true && directionSettled(run.record.checkpoints)) { conclusion = false; text = `W̃ settled at relative gap ${last.relativeGap.toExponential(3)} to the ${c.predicted.norm} SVM in the limit regime`; }
  else text = `relative gap ${last.relativeGap.toExponential(2)} at the end of the budget (ρ = ${last.rho.toFixed(2)})`;
  const assumptions: AssumptionStatus[] = [...statuses, hyp.status];
  const v = verdictOf(assumptions, conclusion, { holds: text, fails: text, open: text });
  return {
    claim: c.id as ClaimOutcome['claim'], statement: c.statement, verdict: v.verdict, reason: v.reason, conclusion, assumptions,
    thresholds: { gap: gapMax, rho: c.thresholds?.rho ?? 25 }, svm: svm ? svmResultToJson(svm) : null, runs: [run.record],
    ...(hyp.stalled.length ? { stalledSamples: hyp.stalled } : {}),
  };
}
