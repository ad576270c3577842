/**
 * Vega-Lite specifications (plain data, no rendering) for the report's figures — SPEC §6 (approximate
 * KKT: ε, δ, duals λ) and §7 (the claims whose convergence the figures let a reader judge by eye).
 *
 * Every figure is a pure function of ReportData. Series are long-form rows {run, series, x, y};
 * null / non-finite / non-positive-before-log values are dropped point by point, so a series with no
 * usable point simply does not appear, and a figure with no rows at all is not produced.
 */
import { Decimal } from 'decimal.js';
import type { TopLevelSpec } from 'vega-lite';
import type { DualValue, ReportCheckpoint, ReportData, ReportRun } from './ReportData.js';

/** One long-form data row of a plot. */
export interface PlotRow {
  readonly run: string;
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

/** A figure of the report: a stable id, a title, a caption (plain text) and its Vega-Lite spec. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

const PLOT_WIDTH = 520;
const PLOT_HEIGHT = 260;
/** t spans from ~1 to e^{1e20}: the time axis is log10(log10 t) (points with t ≤ 10 are left out). */
const AXIS_LOG10_T = 'log10 log10 t';

// ── numbers ─────────────────────────────────────────────────────────────────────────────────────────

function isFiniteNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** log10 x for finite x > 0, else null. */
export function log10Positive(x: number | null | undefined): number | null {
  return isFiniteNumber(x) && x > 0 ? Math.log10(x) : null;
}

/** log10 |x| for finite x ≠ 0, else null (ε and δ may carry either sign numerically). */
export function log10Abs(x: number | null | undefined): number | null {
  return isFiniteNumber(x) ? log10Positive(Math.abs(x)) : null;
}

/** log10 of a positive decimal string (the margin can exceed the double range), else null. */
export function log10DecimalString(s: string | null | undefined): number | null {
  if (typeof s !== 'string' || s.trim() === '') return null;
  let d: Decimal;
  try {
    d = new Decimal(s);
  } catch {
    return null;
  }
  if (!d.isFinite() || d.lte(0)) return null;
  const v = Decimal.log10(d).toNumber();
  return Number.isFinite(v) ? v : null;
}

// ── runs and axes ───────────────────────────────────────────────────────────────────────────────────

/** Display names for the runs: their labels, made unique with "#k" where labels repeat. */
export function runNames(runs: readonly ReportRun[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return runs.map((r, k) => ((counts.get(r.label) ?? 0) > 1 ? `${r.label} #${k + 1}` : r.label));
}

/** Diagonal parameterizations measure progress by ρ = ‖r‖∞; full ones by ρ = ln(1 + ‖W‖F) (ReportData). */
function isDiagonalParam(param: string): boolean {
  return param === 'r' || param === 'diag' || param === 'uv';
}

/** The ρ axis title, naming which definition of ρ the plotted runs use. */
export function rhoAxisTitle(runs: readonly ReportRun[]): string {
  const diag = runs.some((r) => isDiagonalParam(r.param));
  const full = runs.some((r) => !isDiagonalParam(r.param));
  if (diag && !full) return 'ρ = ‖r‖∞';
  if (full && !diag) return 'ρ = ln(1 + ‖W‖F)';
  return 'ρ  (‖r‖∞ diagonal, ln(1 + ‖W‖F) full)';
}

type XOf = (c: ReportCheckpoint) => number | null;
type YOf = (c: ReportCheckpoint) => number | null;

const xLog10T: XOf = (c) => (isFiniteNumber(c.log10_t) && c.log10_t > 0 ? Math.log10(c.log10_t) : null);
const xRho: XOf = (c) => (isFiniteNumber(c.rho) ? c.rho : null);

/** Rows of one named series over every run, dropping points whose x or y is unavailable. */
export function seriesRows(data: ReportData, series: string, x: XOf, y: YOf): PlotRow[] {
  const names = runNames(data.runs);
  const rows: PlotRow[] = [];
  data.runs.forEach((run, k) => {
    for (const c of run.checkpoints) {
      const xv = x(c);
      const yv = y(c);
      if (isFiniteNumber(xv) && isFiniteNumber(yv)) rows.push({ run: names[k]!, series, x: xv, y: yv });
    }
  });
  return rows;
}

// ── spec builders ───────────────────────────────────────────────────────────────────────────────────

interface LineSpecOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** encode `series` as stroke dash, in this order (first solid, then dashed): several quantities per run */
  readonly dashedSeries?: readonly string[];
}

function quantitativeAxis(field: 'x' | 'y', title: string) {
  return { field, type: 'quantitative' as const, title, scale: { zero: false, nice: true } };
}

/** Stroke dash by a nominal field with a fixed domain order (so captions can say which is solid). */
function dashEncoding(field: string, title: string, order: readonly string[]) {
  return {
    field,
    type: 'nominal' as const,
    title,
    scale: { domain: [...order] },
    legend: {
      symbolType: 'stroke',
      symbolStrokeWidth: 2,
      symbolSize: 400,
      // vega-lite paints dash legends of pointed lines transparent; draw the dash pattern itself
      encode: { symbols: { update: { stroke: { value: '#333' }, fill: { value: 'transparent' } } } },
    },
  };
}

/** A line (+ point) layer: x, y, color = run, optionally dash = series. */
function lineLayer(opts: LineSpecOptions) {
  return {
    mark: { type: 'line' as const, point: true, strokeWidth: 1.8 },
    encoding: {
      x: quantitativeAxis('x', opts.xTitle),
      y: quantitativeAxis('y', opts.yTitle),
      color: { field: 'run', type: 'nominal' as const, title: 'run' },
      ...(opts.dashedSeries ? { strokeDash: dashEncoding('series', 'quantity', opts.dashedSeries) } : {}),
      detail: { field: 'series', type: 'nominal' as const },
      order: { field: 'x', type: 'quantitative' as const },
    },
  };
}

const SPEC_CONFIG = {
  background: 'white',
  font: 'sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  title: { fontSize: 13, anchor: 'start' as const },
};

function lineSpec(rows: readonly PlotRow[], opts: LineSpecOptions): TopLevelSpec {
  return {
    title: opts.title,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: rows.map((r) => ({ ...r })) },
    ...lineLayer(opts),
    config: SPEC_CONFIG,
  } as TopLevelSpec;
}

// ── the figures ─────────────────────────────────────────────────────────────────────────────────────

/** (a) primal gap ‖W̃‖/OPT − 1 (SPEC §6: expected ~ 1/log t once the support is found). */
function relativeGapFigures(data: ReportData): Figure[] {
  const y: YOf = (c) => log10Positive(c.relative_gap);
  const yTitle = 'log10(‖W̃‖/OPT − 1)';
  return [
    {
      id: 'gap-vs-log10t',
      title: 'Relative gap against log10 log10 t',
      caption:
        'Relative primal gap ‖W̃‖/OPT − 1 of the margin-normalized iterate (log10) against log10 log10 t (t runs to e^{10^{20}}), one line per run. ' +
        'SPEC §6 expects ~1/log t once the support is found: a slowly falling curve, slope → −1 against log10 log t.',
      spec: lineSpec(seriesRows(data, 'gap', xLog10T, y), { title: 'relative gap vs log10 log10 t', xTitle: AXIS_LOG10_T, yTitle }),
    },
    {
      id: 'gap-vs-rho',
      title: 'Relative gap against ρ',
      caption: 'Relative primal gap ‖W̃‖/OPT − 1 (log10) against the progress variable ρ, one line per run (SPEC §6).',
      spec: lineSpec(seriesRows(data, 'gap', xRho, y), { title: 'relative gap vs ρ', xTitle: rhoAxisTitle(data.runs), yTitle }),
    },
  ];
}

/** (b) direction error of W̃(t) against the run's SVM solution (SPEC §7: W̃ → the SVM solution). */
function directionErrorFigures(data: ReportData): Figure[] {
  const y: YOf = (c) => log10Positive(c.direction_error);
  const yTitle = 'log10 direction error';
  return [
    {
      id: 'direction-vs-log10t',
      title: 'Direction error against log10 log10 t',
      caption: 'Direction error between W̃(t) and the run’s SVM solution (log10) against log10 log10 t; the claims of SPEC §7 predict it tends to 0.',
      spec: lineSpec(seriesRows(data, 'direction error', xLog10T, y), { title: 'direction error vs log10 log10 t', xTitle: AXIS_LOG10_T, yTitle }),
    },
    {
      id: 'direction-vs-rho',
      title: 'Direction error against ρ',
      caption: 'Direction error between W̃(t) and the run’s SVM solution (log10) against ρ.',
      spec: lineSpec(seriesRows(data, 'direction error', xRho, y), { title: 'direction error vs ρ', xTitle: rhoAxisTitle(data.runs), yTitle }),
    },
  ];
}

/** (c) approximate-KKT residuals ε (stationarity) and δ (complementary slackness), SPEC §6. */
function kktFigure(data: ReportData): Figure[] {
  const [epsName, deltaName] = ['ε (stationarity)', 'δ (compl. slackness)'];
  const rows = [
    ...seriesRows(data, epsName, xRho, (c) => log10Abs(c.eps)),
    ...seriesRows(data, deltaName, xRho, (c) => log10Abs(c.delta)),
  ];
  return [
    {
      id: 'kkt-vs-rho',
      title: 'Approximate KKT residuals ε and δ against ρ',
      caption:
        'ε = 1 − ⟨Σλ A, W̃⟩/‖W̃‖ (solid) and δ = Σ λ(h(W̃) − 1) (dashed), log10 |value|, against ρ (SPEC §6). ' +
        'Cumulative ε, δ are expected to fall like 1/‖r‖∞; together they bracket OPT ≤ ‖W̃‖ ≤ (OPT + δ)/(1 − ε).',
      spec: lineSpec(rows, { title: 'ε and δ vs ρ', xTitle: rhoAxisTitle(data.runs), yTitle: 'log10 |ε|, log10 |δ|', dashedSeries: [epsName, deltaName] }),
    },
  ];
}

/**
 * (d) min margin min_{i,t} h_{i,t}(W(t)) (log10) against log10 t. The margin grows like log t, so late the
 * curve should run parallel to the dashed reference log10(ln t) (slope 1 against log10 ln t).
 */
function minMarginFigure(data: ReportData): Figure[] {
  const rows = seriesRows(data, 'min margin', xLog10T, (c) => log10DecimalString(c.min_margin));
  // x = log10 log10 t, so ln t = 10^x · ln 10 and the reference log10(ln t) is a line of slope 1
  const grid = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b);
  const reference = grid.map((x) => ({ x, y: x + Math.log10(Math.LN10) }));
  const yTitle = 'log10 min margin';
  const spec = {
    title: 'min margin vs log10 log10 t',
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      { data: { values: rows.map((r) => ({ ...r })) }, ...lineLayer({ title: '', xTitle: AXIS_LOG10_T, yTitle }) },
      ...(reference.length >= 2
        ? [
            {
              data: { values: reference },
              mark: { type: 'line' as const, color: '#888', strokeDash: [6, 4], strokeWidth: 1.2 },
              encoding: {
                x: quantitativeAxis('x', AXIS_LOG10_T),
                y: quantitativeAxis('y', yTitle),
                order: { field: 'x', type: 'quantitative' as const },
              },
            },
          ]
        : []),
    ],
    config: SPEC_CONFIG,
  } as TopLevelSpec;
  return [
    {
      id: 'margin-vs-log10t',
      title: 'Minimum margin against log10 log10 t',
      caption:
        'Minimum margin min h_{i,t}(W(t)) (log10) against log10 log10 t, with the reference log10(ln t) (slope 1) dashed in grey. ' +
        'Since the margin grows like log t, the curves should run parallel to the reference late in the run.',
      spec,
    },
  ];
}

/** (e) largest non-optimal attention (SPEC §7 B.SPARSE) and excess loss L − L* (X.GLOBAL) against ρ. */
function attentionAndLossFigure(data: ReportData): Figure[] {
  const [attentionName, lossName] = ['max non-optimal attention', 'excess loss L − L*'];
  // the values reach 10^(−10^20): plot log10(−log10 value), defined while the value is below 1
  const doubleLog = (v: number | null): number | null => (isFiniteNumber(v) && v < 0 ? Math.log10(-v) : null);
  const rows = [
    ...seriesRows(data, attentionName, xRho, (c) => doubleLog(c.log10_max_nonopt_attention)),
    ...seriesRows(data, lossName, xRho, (c) => doubleLog(c.log10_excess_loss)),
  ];
  return [
    {
      id: 'attention-loss-vs-rho',
      title: 'Non-optimal attention and excess loss against ρ',
      caption:
        'The largest attention on a non-optimal token (solid) and the excess loss L − L* (dashed) against ρ, as ' +
        'log10(−log10 value): both values reach 10^(−10^20), so this axis counts the decimal orders of their orders. Both should ' +
        'grow without bound when L → L* (SPEC §7, B.SPARSE); a plateau signals a stalled run (X.GLOBAL).',
      spec: lineSpec(rows, { title: 'non-optimal attention and excess loss vs ρ', xTitle: rhoAxisTitle(data.runs), yTitle: 'log10(−log10 value)', dashedSeries: [attentionName, lossName] }),
    },
  ];
}

const CUMULATIVE = 'cumulative';
const LATE_WINDOW = 'late window';

function constraintName(d: Pick<DualValue, 'i' | 't'>): string {
  return `λ[i=${d.i}, t=${d.t}]`;
}

/** Rows of λ(t) per constraint for one run; `series` carries the constraint, `kind` the dual flavour. */
function dualRows(run: ReportRun): { constraint: string; kind: string; x: number; y: number }[] {
  const rows: { constraint: string; kind: string; x: number; y: number }[] = [];
  const add = (c: ReportCheckpoint, kind: string, duals: readonly DualValue[] | null | undefined) => {
    if (!isFiniteNumber(c.rho) || !duals) return;
    for (const d of duals) if (isFiniteNumber(d.lambda)) rows.push({ constraint: constraintName(d), kind, x: c.rho, y: d.lambda });
  };
  for (const c of run.checkpoints) {
    add(c, CUMULATIVE, c.lambda_cumulative);
    add(c, LATE_WINDOW, c.lambda_window);
  }
  return rows;
}

/** The λ figure of one run: λ(t) lines per constraint and kind, dotted rules at the LP duals. */
function dualFigure(run: ReportRun, name: string, k: number, rows: ReturnType<typeof dualRows>): Figure {
  const lp = run.svm.duals.filter((d) => isFiniteNumber(d.lambda)).map((d) => ({ constraint: constraintName(d), y: d.lambda }));
  const xTitle = isDiagonalParam(run.param) ? 'ρ = ‖r‖∞' : 'ρ = ln(1 + ‖W‖F)';
  const yTitle = 'λ (normalized dual)';
  const color = { field: 'constraint', type: 'nominal' as const, title: 'constraint (i, t)' };
  const spec = {
    title: `duals λ(t) vs ρ — ${name}`,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line' as const, point: true, strokeWidth: 1.6 },
        encoding: {
          x: quantitativeAxis('x', xTitle),
          y: quantitativeAxis('y', yTitle),
          color,
          strokeDash: dashEncoding('kind', 'dual', [CUMULATIVE, LATE_WINDOW]),
          order: { field: 'x', type: 'quantitative' as const },
        },
      },
      ...(lp.length
        ? [
            {
              data: { values: lp },
              mark: { type: 'rule' as const, strokeDash: [2, 3], strokeWidth: 1.2, opacity: 0.8 },
              encoding: { y: { field: 'y', type: 'quantitative' as const, title: yTitle }, color },
            },
          ]
        : []),
    ],
    config: SPEC_CONFIG,
  } as TopLevelSpec;
  return {
    id: `duals-run-${k + 1}`,
    title: `Dual variables λ(t) — ${name}`,
    caption:
      `Run “${name}”: normalized duals λ_{i,t}(t) per constraint (i, t) against ρ, cumulative (solid) and late-window (dashed), ` +
      `with dotted horizontal rules at the LP duals of the run’s ${run.norm} SVM. SPEC §6: late-window duals converge far faster.`,
    spec,
  };
}

/** (f) duals λ(t) per constraint, cumulative and late-window, against ρ — one figure per run with duals (SPEC §6). */
function dualFigures(data: ReportData): Figure[] {
  const names = runNames(data.runs);
  return data.runs.flatMap((run, k) => {
    const rows = dualRows(run);
    return rows.length ? [dualFigure(run, names[k]!, k, rows)] : [];
  });
}

/** Number of data rows drawn by a figure's line layers (0 ⇒ nothing to show). */
export function figureRowCount(figure: Figure): number {
  const spec = figure.spec as { data?: { values?: unknown[] }; layer?: { data?: { values?: unknown[] } }[] };
  if (spec.layer) return spec.layer[0]?.data?.values?.length ?? 0;
  return spec.data?.values?.length ?? 0;
}

/** Every figure of the report, in display order, dropping figures without a single drawable point. */
export function buildFigures(data: ReportData): Figure[] {
  return [
    ...relativeGapFigures(data),
    ...directionErrorFigures(data),
    ...kktFigure(data),
    ...minMarginFigure(data),
    ...attentionAndLossFigure(data),
    ...dualFigures(data),
  ].filter((f) => figureRowCount(f) > 0);
}
