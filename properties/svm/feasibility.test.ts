/**
 * Assumption 1(c) (SPEC.md §3) with certificates both ways, diag and full: exact witness or exact Farkas
 * vector, consistent with the exact Frobenius solver and with each other (diag-feasible ⇒ full-feasible).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { svmConstraints, solveSvm } from '../../src/svm/solve.js';
import { svmFeasibility } from '../../src/svm/feasibility.js';
import { froVectors } from '../../src/svm/fro.js';
import { verifyFarkas } from '../../src/svm/farkas.js';
import { exactMargins } from '../../src/svm/l1Certificate.js';
import { qcmp, Q1 } from '../../src/numeric/rational.js';
import { fcParams } from '../support/budget.js';
import { arbSmallRational, datasetFromFactors, qs } from './svmSupport.js';

test('diag infeasible but full feasible: a zero diagonal constraint with an off-diagonal matrix', () => {
  const ds = datasetFromFactors([
    { left: qs([1, 0]), z: qs([1, 0]) },
    { left: qs([-1, 0]), z: qs([0, 1]) },
  ])!;
  const cs = svmConstraints(ds);
  const dg = svmFeasibility(cs, 'diag');
  assert.is(dg.feasible, false);
  assert.is(dg.exact, true);
  if (!dg.feasible) assert.ok(verifyFarkas(froVectors(cs, 'diag'), 2, dg.farkasExact));
  const fu = svmFeasibility(cs, 'full');
  assert.is(fu.feasible, true);
  assert.is(fu.exact, true);
  const r = solveSvm(ds, { norm: 'fro', structure: 'full' });
  assert.is(r.status, 'optimal');
  const l1 = solveSvm(ds, { norm: 'l1' });
  assert.is(l1.status, 'infeasible');
  assert.is(l1.farkas_exact, true);
});

test('random instances: certificates both ways, consistent with fro and across structures', () => {
  const arbPair = (d: number) => fc.record({
    left: fc.array(arbSmallRational, { minLength: d, maxLength: d }),
    z: fc.array(arbSmallRational, { minLength: d, maxLength: d }),
  });
  const arbInst = fc.integer({ min: 1, max: 3 }).chain((d) => fc.array(arbPair(d), { minLength: 1, maxLength: 7 }));
  fc.assert(fc.property(arbInst, (pairs) => {
    const ds = datasetFromFactors(pairs);
    if (!ds) return true;
    const cs = svmConstraints(ds);
    const res = { diag: svmFeasibility(cs, 'diag'), full: svmFeasibility(cs, 'full') };
    for (const structure of ['diag', 'full'] as const) {
      const f = res[structure];
      const vectors = froVectors(cs, structure);
      const dim = structure === 'diag' ? cs.d : cs.d * cs.d;
      assert.is(f.exact, true);
      if (f.feasible) assert.ok(exactMargins(vectors, f.witness).every((h) => qcmp(h, Q1) >= 0));
      else assert.ok(verifyFarkas(vectors, dim, f.farkasExact));
      const r = solveSvm(ds, { norm: 'fro', structure });
      assert.is(r.status, f.feasible ? 'optimal' : 'infeasible');
    }
    if (res.diag.feasible) assert.is(res.full.feasible, true);
    return true;
  }), fcParams('svm/feasibility', 150, 1500));
});

test.run();
