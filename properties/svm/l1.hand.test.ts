/**
 * ℓ1 SVM (SPEC.md §5) on hand-solvable instances: exact optimum, exact duals, uniqueness, Farkas
 * certificates of infeasibility (A1(c), §3), and the errors of the entry point.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Rational, qeq, qtoString, rat } from '../../src/numeric/rational.js';
import { solveSvm, TiedOptimalTokenError, UnsupportedSvmError } from '../../src/svm/solve.js';
import { svmResultToJson } from '../../src/svm/json.js';
import { verifyFarkas } from '../../src/svm/farkas.js';
import { datasetFromDiagRows, qs } from './svmSupport.js';
import type { Dataset } from '../../src/data/Dataset.js';

const eqVec = (a: readonly Rational[] | undefined, b: readonly Rational[]): boolean =>
  a !== undefined && a.length === b.length && a.every((x, i) => qeq(x, b[i]!));
const show = (a: readonly Rational[] | undefined): string => (a ?? []).map(qtoString).join(', ');

function data(rows: (number | [number, number])[][]): Dataset {
  const ds = datasetFromDiagRows(rows.map((r) => qs(r)));
  if (!ds) throw new Error('tie in test data');
  return ds;
}

test('d = 1, one constraint 2w ≥ 1: w = 1/2, λ = 1/2', () => {
  const r = solveSvm(data([[2]]), { norm: 'l1' });
  assert.is(r.status, 'optimal');
  assert.ok(eqVec(r.wExact, qs([[1, 2]])), show(r.wExact));
  assert.ok(eqVec(r.dualsExact, qs([[1, 2]])), show(r.dualsExact));
  assert.is(r.certificate?.exact, true);
  assert.is(r.unique, true);
  assert.ok(r.objective!.startsWith('0.5'));
});

test('d = 1, negative coefficients (−3w ≥ 1, −w ≥ 1): w = −1, λ = (0, 1)', () => {
  const r = solveSvm(data([[-3], [-1]]), { norm: 'l1' });
  assert.is(r.status, 'optimal');
  assert.ok(eqVec(r.wExact, qs([-1])), show(r.wExact));
  assert.ok(eqVec(r.dualsExact, qs([0, 1])), show(r.dualsExact));
  assert.is(r.certificate?.exact, true);
});

test('d = 2, two crossing constraints: w = (2/5, 1/5), OPT = 3/5, λ = (2/5, 1/5)', () => {
  const r = solveSvm(data([[2, 1], [1, 3]]), { norm: 'l1' });
  assert.is(r.status, 'optimal');
  assert.ok(eqVec(r.wExact, qs([[2, 5], [1, 5]])), show(r.wExact));
  assert.ok(eqVec(r.dualsExact, qs([[2, 5], [1, 5]])), show(r.dualsExact));
  assert.is(r.certificate?.exact, true);
  assert.is(r.certificate?.gap, '0');
  assert.is(r.unique, true);
  assert.ok(r.objective!.startsWith('0.6'));
});

test('d = 2, identical coordinates: optimum not unique, face w_j ∈ [0, 1]', () => {
  const r = solveSvm(data([[1, 1], [2, 2]]), { norm: 'l1' });
  assert.is(r.status, 'optimal');
  assert.is(r.certificate?.exact, true);
  assert.ok(r.objective!.startsWith('1'));
  assert.is(r.unique, false);
  assert.ok(r.face);
  assert.equal(r.face!.min.map(Number), [0, 0]);
  assert.equal(r.face!.max.map(Number), [1, 1]);
});

test('infeasible d = 1 (w ≥ 1 and −w ≥ 1): Farkas λ = (1/2, 1/2), verified exactly', () => {
  const ds = data([[1], [-1]]);
  const r = solveSvm(ds, { norm: 'l1' });
  assert.is(r.status, 'infeasible');
  assert.is(r.farkas_exact, true);
  assert.ok(eqVec(r.farkasExact, qs([[1, 2], [1, 2]])), show(r.farkasExact));
  assert.ok(verifyFarkas([qs([1]), qs([-1])], 1, r.farkasExact!));
  const j = svmResultToJson(r);
  assert.is(j.status, 'infeasible');
  assert.equal((j.farkas as { lambda: string }[]).map((x) => Number(x.lambda)), [0.5, 0.5]);
});

test('infeasible d = 2 with a zero combination of three rows', () => {
  const rows = [qs([1, 2]), qs([-2, 1]), qs([1, -3]), qs([0, 1])];
  const r = solveSvm(datasetFromDiagRows(rows)!, { norm: 'l1' });
  assert.is(r.status, 'infeasible');
  assert.is(r.farkas_exact, true);
  assert.ok(verifyFarkas(rows, 2, r.farkasExact!));
});

test('full-structure fro infeasibility gives Σ λ A = 0 exactly', () => {
  const r = solveSvm(data([[1, 0], [-1, 0]]), { norm: 'fro', structure: 'full' });
  assert.is(r.status, 'infeasible');
  assert.is(r.farkas_exact, true);
});

test('tied optimal tokens: TiedOptimalTokenError naming the samples', () => {
  const ds: Dataset = {
    d: 1, head: [rat(1)],
    samples: [
      { X: [[rat(1)], [rat(0)]], z: [rat(1)], y: 1 },
      { X: [[rat(2)], [rat(2)], [rat(0)]], z: [rat(1)], y: 1 },
    ],
  };
  try {
    solveSvm(ds, { norm: 'l1' });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, TiedOptimalTokenError);
    assert.equal((e as TiedOptimalTokenError).ties, [{ i: 1, tokens: [0, 1] }]);
  }
});

test('l1 with structure full is rejected', () => {
  assert.throws(() => solveSvm(data([[2]]), { norm: 'l1', structure: 'full' }), (e: unknown) => e instanceof UnsupportedSvmError);
});

test('svm --json fields (CONTRACT.md)', () => {
  const r = solveSvm(data([[2, 1], [1, 3]]), { norm: 'l1', digits: 30 });
  const j = svmResultToJson(r);
  for (const k of ['status', 'norm', 'structure', 'objective', 'w', 'opt_tokens', 'duals', 'certificate', 'unique']) assert.ok(k in j, k);
  assert.is(j.norm, 'l1');
  assert.is(j.structure, 'diag');
  assert.equal(j.opt_tokens, [0, 0]);
  assert.equal(j.duals, [{ i: 0, t: 1, lambda: '0.4' }, { i: 1, t: 1, lambda: '0.2' }]);
  const c = j.certificate as Record<string, unknown>;
  assert.is(c.exact, true);
  assert.is(c.primal_infeasibility, '0');
  assert.equal(j.w_exact, ['2/5', '1/5']);
  assert.ok(JSON.parse(JSON.stringify(j)));
});

test.run();
