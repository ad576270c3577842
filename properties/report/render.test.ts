/** The HTML report (src/report/render.ts): figures rendered to inline SVG, text escaped, no network. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFigures, log10DecimalString } from '../../src/report/plots.js';
import { escapeHtml, renderReportHtml, writeReport } from '../../src/report/render.js';
import type { ReportData } from '../../src/report/ReportData.js';
import { EXPECTED_FIGURE_IDS, NASTY_TEXT, syntheticReport } from './fixture.js';

/** The inline <svg>…</svg> elements of a page. */
function svgElements(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

/** d attributes of the <path> elements of an SVG. */
function pathDs(svg: string): string[] {
  return [...svg.matchAll(/<path\b[^>]*?\sd="([^"]*)"/g)].map((m) => m[1]!);
}

const data = syntheticReport();
let html = '';

test('renders once (timing)', async () => {
  const t0 = Date.now();
  html = await renderReportHtml(data);
  const secs = (Date.now() - t0) / 1000;
  console.log(`  renderReportHtml: ${html.length} chars in ${secs.toFixed(2)} s`);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
});

test('the figures are the expected ones; series without points are skipped', () => {
  assert.equal(buildFigures(data).map((f) => f.id), EXPECTED_FIGURE_IDS);
  const noKkt: ReportData = { ...data, runs: data.runs.map((r) => ({ ...r, checkpoints: r.checkpoints.map((c) => ({ ...c, eps: null, delta: null })) })) };
  assert.not.ok(buildFigures(noKkt).some((f) => f.id === 'kkt-vs-rho'));
  const empty: ReportData = { ...data, runs: [] };
  assert.equal(buildFigures(empty), []);
});

test('one inline SVG per figure, each with drawn <path> marks', () => {
  const svgs = svgElements(html);
  assert.is(svgs.length, EXPECTED_FIGURE_IDS.length);
  for (const svg of svgs) {
    const ds = pathDs(svg);
    assert.ok(ds.length > 0, 'an SVG without <path> marks');
    assert.ok(/class="mark-line role-mark/.test(svg), 'an SVG without a line mark');
    assert.ok(ds.some((d) => /^M[\d.-]+,[\d.-]+L/.test(d)), 'no polyline path drawn');
  }
});

test('every figure caption and title is on the page', () => {
  for (const f of buildFigures(data)) {
    assert.ok(html.includes(escapeHtml(f.caption)), `caption of ${f.id} missing`);
    assert.ok(html.includes(escapeHtml(f.title)), `title of ${f.id} missing`);
    assert.ok(html.includes(`<figure id="${f.id}">`));
  }
});

test('self-contained: no scripts, no external resources', () => {
  assert.not.ok(/<script/i.test(html), 'a <script> element');
  assert.not.ok(/<link\b/i.test(html), 'a <link> element');
  assert.not.ok(/\b(src|href)\s*=\s*["']?\s*(https?:|\/\/)/i.test(html), 'an external src/href');
  assert.not.ok(/url\(\s*["']?\s*(https?:|\/\/)/i.test(html), 'an external url()');
  assert.not.ok(/@import|@font-face/i.test(html), 'an external stylesheet or font');
});

test('text is escaped', () => {
  assert.ok(html.includes(escapeHtml(NASTY_TEXT)));
  assert.not.ok(html.includes(NASTY_TEXT));
  assert.ok(html.includes('<title>attnbias demo — synthetic &lt;report&gt;</title>'));
});

test('verdicts, checkpoint tables and rate fits', () => {
  assert.ok(html.includes('class="verdict consistent"'));
  assert.ok(html.includes('class="verdict inconclusive"'));
  assert.is((html.match(/<table class="checkpoints">/g) ?? []).length, 2);
  for (const head of ['ρ', 'log10 t', 'direction error', 'ε', 'δ', 'min margin']) assert.ok(html.includes(`<th>${head}</th>`), head);
  assert.is((html.match(/<tr><td>/g) ?? []).length >= 16, true);
  assert.ok(html.includes('<h4>Rate fits</h4>'));
  assert.ok(html.includes('—'), 'nulls shown as —');
});

test('degenerate data still renders: no checkpoints, all nulls, a single checkpoint', async () => {
  const [first] = data.runs;
  const allNull = first!.checkpoints.map((c) => ({
    ...c, log10_t: null, relative_gap: null, direction_error: null, eps: null, delta: null, min_margin: '-1',
    log10_excess_loss: null, log10_max_nonopt_attention: null, lambda_cumulative: null, lambda_window: null,
  }));
  const degenerate: ReportData = {
    ...data,
    runs: [
      { ...first!, label: 'empty', checkpoints: [] },
      { ...first!, label: 'nulls', checkpoints: allNull },
      { ...first!, label: 'single', checkpoints: first!.checkpoints.slice(4, 5) },
      { ...first!, label: 'single', checkpoints: first!.checkpoints.slice(6, 7), verdict: undefined, rates: undefined },
    ],
  };
  const page = await renderReportHtml(degenerate);
  const figures = buildFigures(degenerate);
  assert.ok(figures.length > 0);
  assert.is(svgElements(page).length, figures.length);
  assert.ok(page.includes('single #3') && page.includes('single #4'), 'repeated labels are told apart');
  assert.ok(page.includes('no checkpoints') && page.includes('no verdict recorded'));
  const none = await renderReportHtml({ ...data, runs: [] });
  assert.is(svgElements(none).length, 0);
  assert.ok(none.includes('no plottable data'));
});

test('log10 of decimal-string margins beyond the double range', () => {
  assert.is(log10DecimalString('1e400'), 400);
  assert.is(log10DecimalString('-3'), null);
  assert.is(log10DecimalString('not a number'), null);
});

test('writeReport writes report.html and a round-tripping report.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnbias-report-'));
  try {
    const paths = await writeReport(join(dir, 'out'), data);
    assert.is(paths.html, join(dir, 'out', 'report.html'));
    assert.is(paths.json, join(dir, 'out', 'report.json'));
    assert.equal(JSON.parse(readFileSync(paths.json, 'utf8')), JSON.parse(JSON.stringify(data)));
    assert.is(readFileSync(paths.html, 'utf8'), html, 'rendering is deterministic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
