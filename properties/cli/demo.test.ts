/**
 * The README's main job: `attnbias demo` on the built-in dataset checks A.T1 and D.FRO end to end, both
 * consistent, writes report.html and report.json, and finishes well under the 2-minute budget (the
 * timing itself is measured by `npm run bench`, not asserted here).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('demo --json: A.T1 and D.FRO consistent, ℓ1 limit (1/3, 1/3, 0), report written', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'attnbias-demo-')), 'report');
  const r = spawnSync(process.execPath, [CLI, 'demo', '--json', '--out', out], { encoding: 'utf8', timeout: 170_000 });
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const [at1, dfro] = doc.claims;
  assert.is(at1.claim, 'A.T1');
  assert.is(at1.verdict, 'consistent', at1.reason);
  assert.is(dfro.claim, 'D.FRO');
  assert.is(dfro.verdict, 'consistent', dfro.reason);
  // the ℓ1 SVM of the built-in dataset, derived by hand in src/data/builtin/demo.ts
  assert.equal(at1.svm.w_exact, ['1/3', '1/3', '0']);
  const wt = at1.final.w_tilde.map(Number);
  assert.ok(Math.abs(wt[0] - 1 / 3) < 1e-6 && Math.abs(wt[1] - 1 / 3) < 1e-6 && Math.abs(wt[2]) < 1e-6, `W̃ = ${wt}`);
  assert.ok(at1.final.relative_gap <= 1e-3);
  // the late-window duals match the unique LP duals (1/3, 1/3, 0, …) to ≥ 3 digits
  const lp = new Map(at1.svm.duals.map((d: { i: number; t: number; lambda: string }) => [`${d.i},${d.t}`, Number(d.lambda)]));
  for (const l of at1.final.lambda_window) {
    const star = (lp.get(`${l.i},${l.t}`) as number | undefined) ?? 0;
    assert.ok(Math.abs(l.lambda - star) <= 5e-4 * Math.max(1, Math.abs(star)), `λ(${l.i},${l.t}) = ${l.lambda} vs LP ${star}`);
  }
  for (const f of ['report.html', 'report.json']) assert.ok(existsSync(join(out, f)), f);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok((html.match(/<svg/g) ?? []).length >= 6, 'figures inlined');
  assert.match(html, /CONSISTENT|consistent/);
});

test.run();
