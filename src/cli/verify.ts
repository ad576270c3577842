/** `attnbias verify --claim ID --data F [run flags] [--report DIR]` (CONTRACT.md): one claim, one dataset, a verdict. */
import { loadDataset } from '../data/load.js';
import { CLAIMS, CLAIM_IDS } from '../claims/registry.js';
import type { ClaimId, ClaimOutcome, ClaimRunOptions } from '../claims/Claim.js';
import { outcomeRuns, reportData } from '../claims/toReport.js';
import { writeReport } from '../report/render.js';
import { type Conjecture, checkConjecture } from '../claims/conjecture.js';
import { conjectureFlag, requireClaimOrConjecture } from './conjectureFlag.js';
import { parseChoice, parseFlags, requireString } from './args.js';
import { printJson, printLines } from './output.js';
import { RUN_FLAGS, parseRunFlags } from './runFlags.js';

export function verifyJson(o: ClaimOutcome): Record<string, unknown> {
  const main = o.runs[0];
  const cps = main?.checkpoints ?? [];
  return {
    claim: o.claim, verdict: o.verdict, reason: o.reason, statement: o.statement, conclusion: o.conclusion,
    assumptions: o.assumptions, thresholds: o.thresholds,
    svm: o.svm, final: cps[cps.length - 1] ?? null, checkpoints: cps,
    runs: o.runs.map((r) => ({ label: r.label, param: r.param, status: r.status, reason: r.reason, seconds: r.seconds, steps: r.steps, switched_at_rho: r.switchedAtRho, ...(r === main ? {} : { checkpoints: r.checkpoints }) })),
    ...(o.stalledSamples ? { stalled_samples: o.stalledSamples } : {}),
    ...(o.rates ? { rates: o.rates } : {}),
    ...(o.duals ? { duals: o.duals } : {}),
  };
}

export function formatOutcome(o: ClaimOutcome): string[] {
  const lines = [`${o.claim}: ${o.verdict.toUpperCase()} — ${o.reason}`, `  statement: ${o.statement}`];
  for (const a of o.assumptions) lines.push(`  ${a.name.padEnd(20)} ${a.holds === null ? 'undecided' : a.holds ? 'holds' : 'FAILS'}  ${a.detail}`);
  for (const r of o.runs) lines.push(`  run ${r.label}: ${r.status} (${r.reason}), ${r.steps} steps, ${r.seconds.toFixed(2)} s`);
  if (o.rates) for (const [k, v] of Object.entries(o.rates)) lines.push(`  rate ${k}: slope ${v.slope.toFixed(3)} ± ${v.stderr.toFixed(3)} against ${v.against}`);
  lines.push(`  thresholds: ${Object.entries(o.thresholds).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  return lines;
}

export function claimRunOptions(rf: ReturnType<typeof parseRunFlags>): ClaimRunOptions {
  return {
    backend: rf.backend, alpha: rf.alpha, loss: rf.loss, checkpoints: rf.checkpoints,
    ...(rf.digits !== undefined ? { digits: rf.digits } : {}),
    ...(rf.explicitRho !== null ? { untilRho: rf.explicitRho } : {}),
    ...(rf.untilGap !== undefined ? { untilGap: rf.untilGap } : {}),
    ...(rf.stop.maxSeconds !== undefined ? { maxSeconds: rf.stop.maxSeconds } : {}),
    ...(rf.diagInit ? { diagInit: rf.diagInit } : {}),
    ...(rf.fullInit ? { fullInit: rf.fullInit } : {}),
  };
}

export async function runVerify(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { ...RUN_FLAGS, claim: { type: 'string' }, conjecture: { type: 'string' }, report: { type: 'string' } });
  requireClaimOrConjecture(flags);
  const conjecture: Conjecture | null = typeof flags.conjecture === 'string' ? await conjectureFlag(flags.conjecture) : null;
  const id = conjecture ? null : parseChoice<ClaimId>(flags.claim, 'claim', CLAIM_IDS);
  const data = loadDataset(requireString(flags, 'data'));
  const rf = parseRunFlags(flags, data.d);
  const outcome = conjecture ? checkConjecture(conjecture, data, claimRunOptions(rf)) : CLAIMS[id!].check(data, claimRunOptions(rf));
  if (typeof flags.report === 'string') {
    const norm = conjecture ? conjecture.predicted.norm : id === 'D.FRO' ? 'fro' : 'l1';
    await writeReport(flags.report, reportData(`attnbias verify ${outcome.claim}`, data, formatOutcome(outcome), outcomeRuns(outcome, norm)));
  }
  if (flags.json) printJson(verifyJson(outcome));
  else printLines(formatOutcome(outcome));
  return 0;
}
