/** Claim outcomes as report data (src/report/ReportData.ts). */
import type { Dataset } from '../data/Dataset.js';
import type { ReportCheckpoint, ReportData, ReportRun, DualValue } from '../report/ReportData.js';
import type { ClaimOutcome } from './Claim.js';

function toCheckpoint(c: Record<string, unknown>): ReportCheckpoint {
  const n = (k: string): number | null => (typeof c[k] === 'number' && Number.isFinite(c[k] as number) ? (c[k] as number) : null);
  return {
    tau: String(c.tau), log10_t: n('log10_t'), rho: (c.rho as number) ?? 0, log10_norm: n('log10_norm'),
    min_margin: String(c.min_margin), w_tilde: (c.w_tilde as string[] | string[][] | null) ?? [],
    relative_gap: n('relative_gap'), direction_error: n('direction_error'),
    eps: n('eps_window') ?? n('eps'), delta: n('delta_window') ?? n('delta'),
    log10_excess_loss: n('log10_excess_loss'), log10_max_nonopt_attention: n('log10_max_nonopt_attention'),
    lambda_cumulative: (c.lambda_cumulative as DualValue[] | null) ?? null,
    lambda_window: (c.lambda_window as DualValue[] | null) ?? null,
  };
}

export function outcomeRuns(o: ClaimOutcome, norm: 'l1' | 'fro' | 'nuclear' | 'lp'): ReportRun[] {
  const svm = o.svm as { objective?: string; w?: string[]; W?: string[][]; duals?: { i: number; t: number; lambda: string }[]; certificate?: { exact?: boolean } } | null;
  return o.runs.map((r) => ({
    label: r.label,
    param: r.param,
    norm,
    backend: r.switchedAtRho !== null ? `float64 → Decimal at ρ = ${r.switchedAtRho.toFixed(2)}` : String(r.checkpoints[0]?.backend ?? 'float64'),
    svm: {
      objective: svm?.objective ?? '—',
      ...(svm?.w ? { w: svm.w } : {}),
      ...(svm?.W ? { W: svm.W } : {}),
      duals: (svm?.duals ?? []).map((d) => ({ i: d.i, t: d.t, lambda: Number(d.lambda) })),
      exact: svm?.certificate?.exact ?? false,
    },
    checkpoints: r.checkpoints.map(toCheckpoint),
    verdict: { claim: o.claim, verdict: o.verdict, reason: o.reason },
    ...(o.rates ? { rates: o.rates } : {}),
    seconds: r.seconds,
  }));
}

export function reportData(title: string, data: Dataset, summary: string[], runs: ReportRun[]): ReportData {
  return {
    format: 'attnbias/report@1',
    title,
    generated: new Date().toISOString(),
    dataset: { name: data.name ?? null, n: data.samples.length, d: data.d, T: data.samples.map((s) => s.X.length) },
    summary,
    runs,
  };
}
