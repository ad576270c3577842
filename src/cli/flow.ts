/**
 * `attnbias flow --data F --param r|diag|uv|kq|w [--algo gf|gd|ngd|polyak|md] …` (CONTRACT.md): run a
 * flow (or a discrete algorithm on W) and print checkpoints, measured against the predicted SVM.
 */
import { loadDataset } from '../data/load.js';
import { FLOW_PARAMS, type FlowParam } from '../flows/FlowDefinition.js';
import { follow } from '../flows/follow.js';
import { DISCRETE_ALGORITHMS, type DiscreteAlgorithm, runDiscrete } from '../flows/discrete.js';
import { measureRun } from '../kkt/measureRun.js';

import { parseChoice, parseFlags, parseNumberFlag, requireString } from './args.js';
import { UsageError } from './errors.js';
import { printJson, printLines } from './output.js';
import { progressBar } from './progress.js';
import { RUN_FLAGS, parseRunFlags, predictedNorm } from './runFlags.js';
import { gapStopTest, svmOrNull } from '../claims/runs.js';

const fmt = (x: unknown, digits = 3): string => (typeof x === 'number' ? (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(digits - 1) : x.toPrecision(digits)) : '—');

export async function runFlow(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { ...RUN_FLAGS, param: { type: 'string' }, algo: { type: 'string' }, eta: { type: 'string' }, p: { type: 'string' }, steps: { type: 'string' } });
  const param = parseChoice<FlowParam>(flags.param, 'param', FLOW_PARAMS);
  const algo = parseChoice<'gf' | DiscreteAlgorithm>(flags.algo, 'algo', ['gf', ...DISCRETE_ALGORITHMS], 'gf');
  if (algo !== 'gf' && param !== 'w') throw new UsageError(`--algo ${algo} runs on W directly (SPEC.md §4): use --param w`);
  const data = loadDataset(requireString(flags, 'data'));
  const rf = parseRunFlags(flags, data.d);
  const p = parseNumberFlag(flags.p, 'p', { min: 1 });
  if (algo === 'md' && (p === undefined || p <= 1)) throw new UsageError('--algo md needs --p P > 1');
  const norm = algo === 'md' ? 'lp' : predictedNorm(param);
  const svm = svmOrNull(data, norm, norm === 'l1' ? 'diag' : 'full', norm === 'lp' ? p : undefined);
  const bar = progressBar(!flags.json);
  let doc: Record<string, unknown>;
  if (algo === 'gf') {
    const result = follow(data, {
      param, loss: rf.loss, backend: rf.backend, alpha: rf.alpha, stop: rf.stop, checkpoints: rf.checkpoints,
      ...(rf.digits !== undefined ? { digits: rf.digits } : {}),
      ...(rf.algorithm ? { algorithm: rf.algorithm } : {}),
      ...(rf.rtol ? { rtol: rf.rtol } : {}),
      ...(rf.predictor ? { predictor: rf.predictor } : {}),
      ...(rf.diagInit ? { diagInit: rf.diagInit } : {}),
      ...(rf.fullInit ? { fullInit: rf.fullInit } : {}),
      ...(rf.untilGap !== undefined && svm && svm.status === 'optimal' ? { stopTest: gapStopTest(svm, rf.untilGap) } : {}),
      onProgress: (i) => bar.update(i.fraction, `ρ ${i.rho.toFixed(2)}  log10 t ${fmt(i.log10T)}  ${i.backend}  ${i.steps} steps`),
    });
    bar.done();
    const m = measureRun(result, svm && svm.status === 'optimal' ? svm : null);
    doc = {
      param, algo, loss: rf.loss, status: result.status, reason: result.reason, seconds: result.seconds, steps: result.steps,
      backend: rf.backend, digits: result.digits, switched_at_rho: result.switchedAtRho, init: result.init,
      svm: svm ? { norm: svm.norm, status: svm.status, objective: svm.objective ?? null, exact: svm.certificate?.exact ?? svm.farkas_exact ?? false } : null,
      checkpoints: m.checkpoints,
    };
  } else {
    const steps = parseNumberFlag(flags.steps, 'steps', { integer: true, min: 1 }) ?? 10000;
    const eta = parseNumberFlag(flags.eta, 'eta', { min: 0 });
    const result = runDiscrete(data, { algorithm: algo, steps, loss: rf.loss, checkpoints: rf.checkpoints, ...(eta !== undefined ? { eta } : {}), ...(p !== undefined ? { p } : {}), maxSeconds: rf.stop.maxSeconds ?? 120 });
    const m = measureRun(result, svm && svm.status === 'optimal' ? svm : null);
    doc = {
      param, algo, loss: rf.loss, status: result.status, reason: result.reason, seconds: result.seconds, steps: result.steps, init: result.init,
      svm: svm ? { norm: svm.norm, status: svm.status, objective: svm.objective ?? null } : null,
      checkpoints: m.checkpoints,
    };
  }
  if (flags.json) printJson(doc);
  else {
    const cps = doc.checkpoints as Record<string, unknown>[];
    printLines([
      `${param} ${algo} (${rf.loss} loss): ${doc.status} — ${doc.reason}`,
      `${doc.steps ?? '?'} steps in ${fmt(doc.seconds)} s; predicted limit: ${norm} SVM ${svm ? `${svm.status}${svm.objective ? ` OPT = ${svm.objective.slice(0, 14)}` : ''}` : 'n/a (A1(a) fails)'}`,
      '       ρ     log10 t   log10‖W‖    rel.gap    dir.err        ε          δ   log10(L−L*)  backend',
      ...cps.map((c) => `${fmt(c.rho, 5).padStart(8)} ${fmt(c.log10_t, 5).padStart(11)} ${fmt(c.log10_norm, 4).padStart(10)} ${fmt(c.relative_gap).padStart(10)} ${fmt(c.direction_error).padStart(10)} ${fmt(c.eps).padStart(10)} ${fmt(c.delta).padStart(10)} ${fmt(c.log10_excess_loss, 5).padStart(13)}  ${c.backend ?? ''}`),
    ]);
  }
  return 0;
}
