/**
 * Replays EVERY stored counterexample in proofs-data/counterexamples/ (globbed at run time) with its
 * stored run options and asserts it still refutes (conclusion === false; for hypothesis
 * counterexamples — X.GLOBAL — a stalled sample with L → L* failing; for duals counterexamples — A.T1
 * without A1(b) — a converged negative Λ_{i,t}, confirmed by the fine quadrature, while the A.T1 conclusion
 * is NOT false), and that every file validates against its schema (attnbias/counterexample@1 or the
 * NOT-FOUND attnbias/counterexample-search@1).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  COUNTEREXAMPLE_FORMAT, SEARCH_RECORD_FORMAT, type CounterexampleRecord, listStored, replayCounterexample,
  replayFastCheckPath, validateCounterexample, validateSearchRecord,
} from '../../src/claims/counterexample.js';
import { validateDataset } from '../../src/data/parse.js';
import { fileURLToPath } from 'node:url';

const stored = listStored(fileURLToPath(new URL('../../../proofs-data/counterexamples', import.meta.url)));

test('the counterexample folder is not empty', () => {
  assert.ok(stored.length > 0, 'no stored counterexamples or search records in proofs-data/counterexamples');
});

test('every search that stores counterexamples has one here, and the A1(b) duals one is picked up', () => {
  const refutesKinds = stored.map(({ doc }) => (doc as { format?: unknown; refutes?: unknown }).format === COUNTEREXAMPLE_FORMAT ? (doc as CounterexampleRecord).refutes : null);
  assert.ok(refutesKinds.includes('duals'), 'no stored A.T1-A1b-duals counterexample');
  assert.ok(stored.some(({ file }) => /NOT-FOUND-A\.T1-A1b\.json$/.test(file)), 'the NOT-FOUND record of the A1(b) limit search must stay');
});

test('the validator rejects malformed records', () => {
  assert.ok(validateCounterexample({}).length > 0);
  assert.ok(validateCounterexample({ format: COUNTEREXAMPLE_FORMAT }).length > 5);
  assert.ok(validateSearchRecord({ format: SEARCH_RECORD_FORMAT }).length > 0);
});

for (const { file, doc } of stored) {
  const format = (doc as { format?: unknown }).format;
  if (format === COUNTEREXAMPLE_FORMAT) {
    test(`${file}: valid ${COUNTEREXAMPLE_FORMAT}`, () => {
      assert.equal(validateCounterexample(doc), []);
    });
    test(`${file}: still refutes on replay`, () => {
      const r = doc as CounterexampleRecord;
      const t0 = Date.now();
      const { still, outcome, quadrature } = replayCounterexample(r);
      assert.ok(still, `no longer refutes: verdict ${outcome.verdict}, conclusion ${outcome.conclusion}, ${outcome.reason}; duals ${JSON.stringify(outcome.duals)}; quadrature ${JSON.stringify(quadrature)}`);
      assert.equal(outcome.verdict, 'inconclusive', 'an assumption is dropped, so the verdict must be inconclusive');
      if (r.refutes === 'conclusion') assert.is(outcome.conclusion, false);
      else if (r.refutes === 'duals') {
        // what is refuted is the dual certificate, not the limit: the conclusion must not be false
        assert.is.not(outcome.conclusion, false, `a duals counterexample must not refute the limit: ${outcome.reason}`);
        assert.is(outcome.duals?.in_cone, false);
        assert.match(outcome.reason, /ε, δ use λ clipped to the cone/);
        // the same constraint and the same negative limit as stored (flow Λ, and the fine quadrature)
        assert.equal(outcome.duals?.constraint, r.observed.duals?.constraint);
        const stored = r.observed.duals!.Lambda_final!;
        assert.ok(Math.abs(outcome.duals!.Lambda_final! - stored) <= 1e-6 * Math.abs(stored), `flow Λ ${outcome.duals!.Lambda_final} vs stored ${stored}`);
        assert.ok(quadrature && quadrature.confirms && quadrature.Lambda < 0);
        const fine = r.quadrature_check!.Lambda;
        assert.ok(Math.abs(quadrature!.Lambda - fine) <= 1e-6 * Math.abs(fine), `fine Λ ${quadrature!.Lambda} vs stored ${fine}`);
      } else {
        assert.ok((outcome.stalledSamples ?? []).length > 0);
        assert.is(outcome.assumptions.find((a) => a.name === 'L → L*')?.holds, false);
      }
      // the shrunk size recorded matches the dataset
      const d = validateDataset(r.dataset);
      assert.ok(d.ok);
      if (d.ok) assert.equal(r.shrunk_size, { n: d.dataset.samples.length, d: d.dataset.d, T: d.dataset.samples.map((s) => s.X.length) });
      process.stdout.write(`  ${file}: replayed in ${Date.now() - t0} ms\n`);
    });
    if ((doc as CounterexampleRecord).fast_check?.path) {
      test(`${file}: fast-check (seed, path) regenerates a failing value`, () => {
        assert.is(replayFastCheckPath(doc as CounterexampleRecord), true);
      });
    }
  } else if (format === SEARCH_RECORD_FORMAT) {
    test(`${file}: valid ${SEARCH_RECORD_FORMAT}`, () => {
      assert.equal(validateSearchRecord(doc), []);
    });
  } else {
    test(`${file}: known format`, () => {
      assert.unreachable(`unknown format ${String(format)}`);
    });
  }
}

test.run();
