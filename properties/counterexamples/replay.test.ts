/**
 * Replays EVERY stored counterexample in proofs-data/counterexamples/ (globbed at run time) with its
 * stored run options and asserts it still refutes (conclusion === false, or for hypothesis
 * counterexamples — X.GLOBAL — a stalled sample with L → L* failing), and that every file validates
 * against its schema (attnbias/counterexample@1 or the NOT-FOUND attnbias/counterexample-search@1).
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
      const { still, outcome } = replayCounterexample(r);
      assert.ok(still, `no longer refutes: verdict ${outcome.verdict}, conclusion ${outcome.conclusion}, ${outcome.reason}`);
      assert.equal(outcome.verdict, 'inconclusive', 'an assumption is dropped, so the verdict must be inconclusive');
      if (r.refutes === 'conclusion') assert.is(outcome.conclusion, false);
      else {
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
