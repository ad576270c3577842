/**
 * A synthetic but plausible ReportData for the report tests: two runs (a diagonal flow against the ℓ1 SVM,
 * a full flow against the Frobenius SVM), eight checkpoints each, gaps ~ 1/log t, ε, δ ~ 1/ρ, margins
 * ~ ln t, some nulls, and text that needs escaping. The second run has no dual trajectories, so its λ
 * figure must be skipped.
 */
import type { DualValue, ReportCheckpoint, ReportData, ReportRun } from '../../src/report/ReportData.js';

export const NASTY_TEXT = 'gap < 1e-2 & ε > 0 "quoted" <script>alert(1)</script>';

const LOG10_TS = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4];
const CONSTRAINTS: readonly { i: number; t: number; limit: number }[] = [
  { i: 0, t: 1, limit: 0.6 },
  { i: 1, t: 1, limit: 0.4 },
  { i: 1, t: 2, limit: 0 },
];

function duals(scale: (limit: number) => number): DualValue[] {
  return CONSTRAINTS.map(({ i, t, limit }) => ({ i, t, lambda: scale(limit) }));
}

function checkpoint(k: number, log10t: number, opts: { diag: boolean; speed: number }): ReportCheckpoint {
  const lnT = log10t * Math.LN10;
  const rho = opts.diag ? opts.speed * lnT : Math.log1p(opts.speed * lnT);
  const gap = (opts.diag ? 0.8 : 1.1) / (1 + lnT);
  const withDuals = opts.diag;
  return {
    tau: String(k * 0.25),
    log10_t: k === 5 && !opts.diag ? null : log10t,
    rho,
    log10_norm: Math.log10(opts.speed * lnT),
    min_margin: (lnT * (opts.diag ? 1 + 0.3 / (1 + lnT) : 0.7)).toPrecision(30),
    w_tilde: opts.diag ? ['0.5', '-0.25', '0.25'] : [['0.5', '0'], ['0', '0.5']],
    relative_gap: k === 0 ? null : gap,
    direction_error: k === 0 ? null : 1.5 * gap ** 0.5,
    eps: k < 2 ? null : 0.9 / rho,
    delta: k < 2 ? null : (k % 2 ? -1 : 1) * 0.4 / rho,
    log10_excess_loss: -0.6 * lnT,
    log10_max_nonopt_attention: k === 7 ? null : -0.5 * lnT,
    lambda_cumulative: withDuals ? duals((limit) => limit + 0.5 / (1 + rho)) : null,
    lambda_window: withDuals ? duals((limit) => limit + 0.1 / (1 + rho * rho)) : undefined,
  };
}

function run(label: string, param: string, norm: ReportRun['norm'], diag: boolean, speed: number): ReportRun {
  return {
    label,
    param,
    norm,
    backend: 'decimal RK45 (50 digits)',
    svm: { objective: '1.41421356237309504880', w: ['0.5', '-0.25', '0.25'], duals: duals((limit) => limit), exact: true },
    checkpoints: LOG10_TS.map((lt, k) => checkpoint(k, lt, { diag, speed })),
    verdict: diag
      ? { claim: 'A.T1', verdict: 'consistent', reason: 'gap and ε, δ decrease; support found at ρ ≈ 2' }
      : { claim: 'D.FRO', verdict: 'inconclusive', reason: `L stalls above L* (sample 3); ${NASTY_TEXT}` },
    rates: diag ? { relative_gap: { slope: -0.98, stderr: 0.04, against: 'log10 log t' } } : undefined,
    seconds: 1.25,
  };
}

export function syntheticReport(): ReportData {
  return {
    format: 'attnbias/report@1',
    title: 'attnbias demo — synthetic <report>',
    generated: '2026-11-23T04:20:00.000Z',
    dataset: { name: 'toy3', n: 3, d: 3, T: [3, 3, 2] },
    summary: ['2 runs on toy3', NASTY_TEXT],
    runs: [run('diag GF (mirror flow)', 'diag', 'l1', true, 1.3), run('full GF on W', 'w', 'fro', false, 2)],
  };
}

/** Figures the fixture must produce (SPEC §6–§7 quantities; the second run has no dual trajectories). */
export const EXPECTED_FIGURE_IDS = [
  'gap-vs-log10t',
  'gap-vs-rho',
  'direction-vs-log10t',
  'direction-vs-rho',
  'kkt-vs-rho',
  'margin-vs-log10t',
  'attention-loss-vs-rho',
  'duals-run-1',
];
