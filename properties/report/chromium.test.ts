/**
 * The report in a real browser: Debian's headless Chromium loads report.html from disk (no network), its
 * DOM must hold the inline SVG figures with drawn paths, and its screenshot must show the plotted lines.
 * If Chromium is missing the test FAILS (never skips).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFigures } from '../../src/report/plots.js';
import { writeReport } from '../../src/report/render.js';
import { syntheticReport } from './fixture.js';
import { chromiumFlags, countPixelsNear, decodePng, requireChromium, runChromium } from './headless.js';

const TIMEOUT_MS = 60_000;
/** vega's default categorical scheme (tableau10): the colours of run 1 and run 2 */
const RUN_COLOURS = ['#4c78a8', '#f58518'];

const work = mkdtempSync(join(tmpdir(), 'attnbias-chromium-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const data = syntheticReport();
const figureCount = buildFigures(data).length;
let pageUrl = '';

test('chromium is installed', () => {
  requireChromium();
});

test('write the report', async () => {
  const { html } = await writeReport(join(work, 'out'), data);
  pageUrl = pathToFileURL(html).href;
  assert.ok(statSync(html).size > 10_000);
});

test('--dump-dom: the SVG figures are in the DOM with non-empty path data', async () => {
  requireChromium();
  const r = await runChromium([...chromiumFlags(join(work, 'profile-dom')), '--dump-dom', pageUrl], TIMEOUT_MS);
  console.log(`  chromium --dump-dom: ${r.seconds.toFixed(1)} s, ${r.stdout.length} chars`);
  assert.not.ok(r.timedOut, `chromium timed out after ${TIMEOUT_MS} ms`);
  assert.is(r.code, 0, `chromium exited with ${r.code}: ${r.stderr.slice(-2000)}`);
  const svgs = r.stdout.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.is(svgs.length, figureCount, 'one <svg> per figure in the DOM');
  for (const svg of svgs) {
    const ds = [...svg.matchAll(/<path\b[^>]*?\sd="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(ds.length > 0, 'an SVG figure without <path> elements');
    assert.ok(ds.filter((d) => /^M[\d.-]+,[\d.-]+L/.test(d)).length > 0, 'an SVG figure without a drawn polyline');
  }
  assert.is((r.stdout.match(/<figcaption>/g) ?? []).length, figureCount);
});

test('--screenshot: the plots are drawn (PNG size and plotted line colours)', async () => {
  requireChromium();
  const shot = join(work, 'report.png');
  const r = await runChromium(
    [...chromiumFlags(join(work, 'profile-shot')), `--screenshot=${shot}`, '--window-size=1200,3000', '--hide-scrollbars', pageUrl],
    TIMEOUT_MS,
  );
  assert.not.ok(r.timedOut, `chromium timed out after ${TIMEOUT_MS} ms`);
  assert.is(r.code, 0, `chromium exited with ${r.code}: ${r.stderr.slice(-2000)}`);
  assert.ok(existsSync(shot), 'no screenshot written');
  const bytes = statSync(shot).size;
  console.log(`  chromium --screenshot: ${r.seconds.toFixed(1)} s, ${bytes} bytes`);
  assert.ok(bytes > 20_000, `screenshot only ${bytes} bytes: a blank page?`);
  const image = decodePng(readFileSync(shot));
  assert.is(image.width, 1200);
  assert.is(image.height, 3000);
  for (const colour of RUN_COLOURS) {
    const n = countPixelsNear(image, colour);
    console.log(`  pixels near ${colour}: ${n}`);
    assert.ok(n > 1000, `too few ${colour} pixels (${n}): the run's lines are not drawn`);
  }
});

test.run();
