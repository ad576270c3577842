/**
 * The HTML report: one self-contained page (inline CSS, inline SVG figures, no scripts, fonts or network
 * access) built from ReportData. Figures are Vega-Lite specs (./plots.ts) compiled with vega-lite and
 * rendered to SVG headlessly in Node by vega's View (renderer 'none'), so the page needs no JavaScript.
 * Quantities: SPEC §6 (gap, ε, δ, duals λ) and §7 (claims and verdicts).
 */
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportCheckpoint, ReportData, ReportRun } from './ReportData.js';
import { writeFileAtomic } from './atomicWrite.js';
import { buildFigures, runNames, type Figure } from './plots.js';

// ── text ────────────────────────────────────────────────────────────────────────────────────────────

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/** A plotted number for a table cell: 4 significant digits, exponent form when tiny or huge, "—" if absent. */
export function formatNumber(x: number | null | undefined): string {
  if (typeof x !== 'number' || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e6 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/** A decimal string (full precision in ReportData) shortened to 6 significant digits for display. */
export function formatDecimalString(s: string | null | undefined): string {
  if (typeof s !== 'string' || s.trim() === '') return '—';
  try {
    const d = new Decimal(s);
    return d.isFinite() ? d.toSignificantDigits(6).toString() : s;
  } catch {
    return s;
  }
}

// ── figures ─────────────────────────────────────────────────────────────────────────────────────────

/** Compile a Vega-Lite spec and render it to an SVG string headlessly (no DOM, no canvas, no network). */
export async function renderSpecToSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Make element ids of one inline SVG unique within the page (several SVGs share one document; vega
 * numbers clip paths and gradients per render).
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  let out = svg;
  for (const id of new Set(ids)) {
    const scoped = `${prefix}-${id}`;
    out = out
      .split(`id="${id}"`).join(`id="${scoped}"`)
      .split(`url(#${id})`).join(`url(#${scoped})`)
      .split(`href="#${id}"`).join(`href="#${scoped}"`);
  }
  return out;
}

function renderFigureHtml(figure: Figure, svg: string, number: number): string {
  return `<figure id="${escapeHtml(figure.id)}">
<div class="plot">${scopeSvgIds(svg, `fig${number}`)}</div>
<figcaption><b>Figure ${number}. ${escapeHtml(figure.title)}.</b> ${escapeHtml(figure.caption)}</figcaption>
</figure>`;
}

// ── runs ────────────────────────────────────────────────────────────────────────────────────────────

function renderVerdict(run: ReportRun): string {
  if (!run.verdict) return '<div class="verdict none">no verdict recorded</div>';
  const v = run.verdict;
  return `<div class="verdict ${escapeHtml(v.verdict)}">
<div><span class="label">claim</span> ${escapeHtml(v.claim)}</div>
<div><span class="label">verdict</span> <span class="badge">${escapeHtml(v.verdict)}</span></div>
<div><span class="label">reason</span> ${escapeHtml(v.reason)}</div>
</div>`;
}

const CHECKPOINT_COLUMNS: readonly { readonly head: string; readonly cell: (c: ReportCheckpoint) => string }[] = [
  { head: 'ρ', cell: (c) => formatNumber(c.rho) },
  { head: 'log10 t', cell: (c) => formatNumber(c.log10_t) },
  { head: '‖W̃‖/OPT − 1', cell: (c) => formatNumber(c.relative_gap) },
  { head: 'direction error', cell: (c) => formatNumber(c.direction_error) },
  { head: 'ε', cell: (c) => formatNumber(c.eps) },
  { head: 'δ', cell: (c) => formatNumber(c.delta) },
  { head: 'min margin', cell: (c) => formatDecimalString(c.min_margin) },
  { head: 'log10 (L − L*)', cell: (c) => formatNumber(c.log10_excess_loss) },
];

function renderCheckpointTable(run: ReportRun): string {
  if (run.checkpoints.length === 0) return '<p class="muted">no checkpoints</p>';
  const head = CHECKPOINT_COLUMNS.map((col) => `<th>${escapeHtml(col.head)}</th>`).join('');
  const rows = run.checkpoints
    .map((c) => `<tr>${CHECKPOINT_COLUMNS.map((col) => `<td>${escapeHtml(col.cell(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="checkpoints"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function renderRates(run: ReportRun): string {
  const entries = Object.entries(run.rates ?? {});
  if (entries.length === 0) return '';
  const rows = entries
    .map(([name, r]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(formatNumber(r.slope))}</td><td>${escapeHtml(formatNumber(r.stderr))}</td><td>${escapeHtml(r.against)}</td></tr>`)
    .join('\n');
  return `<h4>Rate fits</h4>
<table class="rates"><thead><tr><th>quantity</th><th>slope</th><th>std. error</th><th>against</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function renderRun(run: ReportRun, name: string, index: number): string {
  const facts = [
    `parameterization <code>${escapeHtml(run.param)}</code>`,
    `SVM <code>${escapeHtml(run.norm)}</code> (OPT = ${escapeHtml(formatDecimalString(run.svm.objective))}${run.svm.exact ? ', exact' : ''})`,
    `backend ${escapeHtml(run.backend)}`,
    ...(typeof run.seconds === 'number' ? [`${escapeHtml(formatNumber(run.seconds))} s`] : []),
  ];
  return `<section class="run" id="run-${index + 1}">
<h3>Run ${index + 1}: ${escapeHtml(name)}</h3>
<p class="muted">${facts.join(' · ')}</p>
${renderVerdict(run)}
${renderCheckpointTable(run)}
${renderRates(run)}
</section>`;
}

// ── page ────────────────────────────────────────────────────────────────────────────────────────────

function datasetLine(data: ReportData): string {
  const ds = data.dataset;
  const Ts = [...new Set(ds.T)];
  const T = Ts.length === 1 ? `T = ${Ts[0]}` : `T ∈ {${Ts.sort((a, b) => a - b).join(', ')}}`;
  return `dataset ${ds.name ?? '(unnamed)'} — n = ${ds.n} samples, d = ${ds.d}, ${T}`;
}

const PAGE_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1100px; color: #1d1d1f; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
.muted { color: #666; } code { background: #f3f3f3; padding: 0 0.25em; border-radius: 3px; }
ul.summary li { margin: 0.2em 0; }
.verdict { border-left: 6px solid #999; background: #f7f7f7; padding: 0.6em 0.9em; margin: 0.8em 0; border-radius: 3px; }
.verdict .label { display: inline-block; min-width: 5em; color: #666; font-size: 0.9em; }
.verdict .badge { font-weight: bold; text-transform: uppercase; padding: 0.05em 0.5em; border-radius: 3px; color: white; background: #777; }
.verdict.consistent { border-color: #2e7d32; background: #edf7ee; } .verdict.consistent .badge { background: #2e7d32; }
.verdict.refuted { border-color: #c62828; background: #fdecea; } .verdict.refuted .badge { background: #c62828; }
.verdict.inconclusive { border-color: #b26a00; background: #fff4e5; } .verdict.inconclusive .badge { background: #b26a00; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.55em; text-align: right; } th { background: #f3f3f3; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1.4em 0; } .plot svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #333; max-width: 760px; }
`;

/** The report page as a single self-contained HTML string (figures inlined as SVG, text escaped). */
export async function renderReportHtml(data: ReportData): Promise<string> {
  const names = runNames(data.runs);
  const figures = buildFigures(data);
  const svgs: string[] = [];
  for (const f of figures) svgs.push(await renderSpecToSvg(f.spec));
  const summary = data.summary.length
    ? `<ul class="summary">${data.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}</ul>`
    : '<p class="muted">no summary</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<p class="muted">generated ${escapeHtml(data.generated)} · ${escapeHtml(datasetLine(data))}</p>
<h2>Summary</h2>
${summary}
<h2>Runs</h2>
${data.runs.map((run, k) => renderRun(run, names[k]!, k)).join('\n')}
<h2>Figures</h2>
${figures.length ? figures.map((f, k) => renderFigureHtml(f, svgs[k]!, k + 1)).join('\n') : '<p class="muted">no plottable data</p>'}
</body>
</html>
`;
}

/** Write `report.html` and `report.json` (the data, verbatim) into `dir` atomically; returns their paths. */
export async function writeReport(dir: string, data: ReportData): Promise<{ html: string; json: string }> {
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  const page = await renderReportHtml(data);
  writeFileAtomic(json, JSON.stringify(data, null, 2) + '\n');
  writeFileAtomic(html, page);
  return { html, json };
}
