/**
 * The A.T1 / A1(b) duals counterexample search (src/claims/counterexample.ts): its CLI names, file naming,
 * and the validator's invariants for `refutes: "duals"` records. No flow is run here (replay.test.ts
 * replays the stored file).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CounterexampleRecord, DUALS_REFUTATION, SEARCH_KEYS, counterexampleFileName, dualsRefuted, listStored, searchKeyOf,
  searchKeyOfRecord, slugOf, validateCounterexample,
} from '../../src/claims/counterexample.js';
import type { DualConeStatus } from '../../src/claims/Claim.js';

const dir = fileURLToPath(new URL('../../../proofs-data/counterexamples', import.meta.url));
const dualsFiles = listStored(dir).filter(({ doc }) => (doc as { refutes?: unknown }).refutes === 'duals');

test('CLI aliases of the duals search, and the A1(b) limit search keeps its own', () => {
  for (const d of ['A1(b)-duals', 'A1(b) duals', 'a1b-duals', 'duals']) assert.is(searchKeyOf('A.T1', d), 'A.T1/A1(b) duals');
  for (const d of ['A1(b)', 'A1b', 'b']) assert.is(searchKeyOf('A.T1', d), 'A.T1/A1(b)');
  assert.is(slugOf('A.T1/A1(b) duals'), 'A.T1-A1b-duals');
  // distinct slugs: a found duals counterexample deletes NOT-FOUND-A.T1-A1b-duals.json, never NOT-FOUND-A.T1-A1b.json
  const slugs = SEARCH_KEYS.map(slugOf);
  assert.is(new Set(slugs).size, slugs.length);
  assert.is.not(`NOT-FOUND-${slugOf('A.T1/A1(b) duals')}.json`, `NOT-FOUND-${slugOf('A.T1/A1(b)')}.json`);
});

test('file names come from (claim, assumption_dropped, refutes), not from assumption_dropped alone', () => {
  const base = { claim: 'A.T1', assumption_dropped: 'A1(b)', seed: 7, fast_check: { path: '1:2' } } as unknown as CounterexampleRecord;
  assert.is(counterexampleFileName({ ...base, refutes: 'duals' }), 'A.T1-A1b-duals-7.json');
  assert.is(counterexampleFileName({ ...base, refutes: 'conclusion' }), 'A.T1-A1b-7.json');
  assert.is(counterexampleFileName({ ...base, refutes: 'duals', fast_check: { ...base.fast_check, path: null } }), 'A.T1-A1b-duals-hand.json');
  assert.is(counterexampleFileName({ ...base, claim: 'X.GLOBAL', assumption_dropped: 'L → L*', refutes: 'hypothesis' }), 'X.GLOBAL-L-to-Lstar-7.json');
  assert.throws(() => searchKeyOfRecord({ claim: 'A.T1', assumption_dropped: 'A1(b)', refutes: 'hypothesis' }));
  for (const { file, doc } of dualsFiles) assert.ok(file.endsWith(counterexampleFileName(doc as CounterexampleRecord)), `${file} is not named by its search`);
});

test('dualsRefuted: negative beyond −1e-3, negative Λ, converged over the last two checkpoints', () => {
  const d = (o: Partial<DualConeStatus>): DualConeStatus => ({ in_cone: false, min_lambda: -0.1, constraint: { i: 0, t: 1 }, Lambda_final: -2, Lambda_previous: -2, detail: '', ...o });
  assert.ok(dualsRefuted(d({})));
  assert.not.ok(dualsRefuted(d({ in_cone: true })));
  assert.not.ok(dualsRefuted(d({ in_cone: null })));
  assert.not.ok(dualsRefuted(d({ min_lambda: DUALS_REFUTATION.minLambda / 2 })));
  assert.not.ok(dualsRefuted(d({ Lambda_previous: -2 * (1 + 2 * DUALS_REFUTATION.converged) })), 'still moving: not a limit');
  assert.not.ok(dualsRefuted(d({ Lambda_previous: null })));
  assert.not.ok(dualsRefuted(null));
});

test('there is a stored duals counterexample', () => {
  assert.ok(dualsFiles.length > 0, 'no refutes: "duals" record in proofs-data/counterexamples');
});

for (const { file } of dualsFiles) {
  test(`${file}: the validator rejects it once observed.duals.in_cone is not false, or without the quadrature check`, () => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(validateCounterexample(doc), []);
    const obs = doc['observed'] as Record<string, unknown>;
    const duals = obs['duals'] as Record<string, unknown>;
    const withDuals = (x: unknown): Record<string, unknown> => ({ ...doc, observed: { ...obs, duals: x } });
    for (const bad of [true, null, undefined, 'false']) {
      const p = validateCounterexample(withDuals({ ...duals, in_cone: bad }));
      assert.ok(p.some((m) => m.startsWith('observed.duals')), `in_cone ${String(bad)} accepted: ${JSON.stringify(p)}`);
    }
    assert.ok(validateCounterexample(withDuals(undefined)).some((m) => m.startsWith('observed.duals')), 'missing observed.duals accepted');
    assert.ok(validateCounterexample(withDuals(null)).some((m) => m.startsWith('observed.duals')), 'observed.duals null accepted');
    assert.ok(validateCounterexample(withDuals({ ...duals, Lambda_final: 1 })).length > 0, 'positive Λ accepted');
    const { quadrature_check: _q, ...noCheck } = doc;
    void _q;
    assert.ok(validateCounterexample(noCheck).some((m) => m.startsWith('quadrature_check')), 'missing quadrature_check accepted');
    assert.ok(validateCounterexample({ ...doc, quadrature_check: { ...(doc['quadrature_check'] as object), confirms: false } }).some((m) => m.startsWith('quadrature_check')));
    // and the record says what is NOT refuted: the A.T1 limit (conclusion true)
    assert.is.not(obs['conclusion'], false);
  });
}

test.run();
