/**
 * Regression fixtures: every certified instance in proofs-data/instances/ (schema instance@1).
 *  1. the ℓ1 SVM is re-solved and must reproduce the stored exact optimum (w, objective, duals) exactly,
 *     with an exact certificate;
 *  2. a short flow (the first third of the stored run: same checkpoint spacing in ρ) must reproduce the
 *     stored checkpoints at equal ρ to the tolerances below.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDataset } from '../../src/data/parse.js';
import { solveSvm } from '../../src/svm/solve.js';
import { qabs, qsum, qtoString } from '../../src/numeric/rational.js';
import { CLAIMS } from '../../src/claims/registry.js';

/** Tolerances of the short-flow comparison (same code path, float64 part of the run). */
const TOL = {
  /** relative, on every entry of w_tilde */
  wTilde: 1e-6,
  /** absolute, on log10_excess_loss (scaled by max(1, |value|)) */
  log10Excess: 1e-6,
  /** relative_gap: |Δ| ≤ abs + rel·gap */
  gapAbs: 1e-9,
  gapRel: 1e-4,
};

const dir = fileURLToPath(new URL('../../../proofs-data/instances', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('there are 3–5 instances', () => {
  assert.ok(files.length >= 3 && files.length <= 8, `${files.length} instances`);
});

interface Instance {
  format: string;
  name: string;
  dataset: unknown;
  svm: { objective: string; status: string; w_exact?: string[] };
  exact: { objective: string; w: string[]; duals: string[] | null; unique: boolean | null };
  run: { options: { untilRho: number; checkpoints: number; alpha: string }; checkpoints: Record<string, unknown>[] };
}

for (const f of files) {
  const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Instance;

  test(`${f}: instance@1 shape`, () => {
    assert.is(doc.format, 'attnbias/instance@1');
    assert.ok(validateDataset(doc.dataset).ok, 'dataset parses');
    assert.is(doc.svm.status, 'optimal');
    assert.ok(Array.isArray(doc.run.checkpoints) && doc.run.checkpoints.length >= 4);
  });

  test(`${f}: re-solved ℓ1 SVM reproduces the exact certificate`, () => {
    const d = validateDataset(doc.dataset);
    if (!d.ok) throw new Error('dataset');
    const svm = solveSvm(d.dataset, { norm: 'l1', structure: 'diag' });
    assert.is(svm.status, 'optimal');
    assert.ok(svm.certificate?.exact, 'exact certificate');
    assert.equal(svm.wExact!.map(qtoString), doc.exact.w, 'w exact');
    assert.is(qtoString(qsum(svm.wExact!.map(qabs))), doc.exact.objective, 'objective exact');
    if (doc.exact.duals) assert.equal(svm.dualsExact!.map(qtoString), doc.exact.duals, 'duals exact');
    assert.is(svm.unique, doc.exact.unique);
    assert.is(svm.objective, doc.svm.objective, 'objective string of the CLI output');
  });

  test(`${f}: a short flow reproduces the first stored checkpoints`, () => {
    const d = validateDataset(doc.dataset);
    if (!d.ok) throw new Error('dataset');
    const { untilRho, checkpoints } = doc.run.options;
    const spacing = untilRho / checkpoints;
    const k = Math.max(2, Math.floor(checkpoints / 3));
    const out = CLAIMS['A.T1'].check(d.dataset, { untilRho: spacing * k, checkpoints: k, maxSeconds: 60, alpha: doc.run.options.alpha });
    const fresh = out.runs[0]!.checkpoints;
    let compared = 0;
    for (const c of fresh) {
      const rho = c['rho'] as number;
      const s = doc.run.checkpoints.find((x) => Math.abs((x["rho"] as number) - rho) < 1e-6);
      if (!s) continue;
      compared++;
      const g1 = c['relative_gap'] as number | null;
      const g0 = s['relative_gap'] as number | null;
      assert.is(g1 === null, g0 === null, `relative_gap null at ρ = ${rho}`);
      if (g1 !== null && g0 !== null) assert.ok(Math.abs(g1 - g0) <= TOL.gapAbs + TOL.gapRel * Math.abs(g0), `relative_gap at ρ = ${rho}: ${g1} vs stored ${g0}`);
      const e1 = c['log10_excess_loss'] as number;
      const e0 = s['log10_excess_loss'] as number;
      assert.ok(Math.abs(e1 - e0) <= TOL.log10Excess * Math.max(1, Math.abs(e0)), `log10_excess_loss at ρ = ${rho}: ${e1} vs ${e0}`);
      const w1 = c['w_tilde'] as string[] | null;
      const w0 = s['w_tilde'] as string[] | null;
      if (w1 && w0) {
        const scale = Math.max(...w0.map((x) => Math.abs(Number(x))));
        w1.forEach((x, j) => assert.ok(Math.abs(Number(x) - Number(w0[j])) <= TOL.wTilde * scale, `w_tilde[${j}] at ρ = ${rho}: ${x} vs ${w0[j]}`));
      }
    }
    assert.ok(compared >= 2, `only ${compared} checkpoints at matching ρ`);
  });
}

test.run();
