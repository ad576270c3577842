/**
 * Uniqueness of the ℓ1 optimum (SPEC.md §5) on degenerate random data (entries in {−1, 0, 1}, repeated
 * rows and columns): the decision of solveSvm is checked against an independent computation, the range
 * of each w_j over {Aw ≥ 1, 1ᵀ(w⁺ + w⁻) ≤ OPT} by glpk in float64 (the brief's "optimal face" LPs).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Rational, rat } from '../../src/numeric/rational.js';
import { solveSvm } from '../../src/svm/solve.js';
import { solveGlpk, glpk } from '../../src/svm/glpk.js';
import { l1Lp } from '../../src/svm/l1.js';
import { fcParams } from '../support/budget.js';
import { datasetFromDiagRows } from './svmSupport.js';

/** Float range of w_j over the optimal face, via w = p − n, 1ᵀ(p + n) ≤ OPT (1 + 1e-12). */
function faceRanges(rows: readonly (readonly Rational[])[], d: number, opt: number): { min: number[]; max: number[] } {
  const base = l1Lp(rows, d);
  const budget = { name: 'budget', vars: base.objective.vars, bnds: { type: glpk.GLP_UP, lb: 0, ub: opt * (1 + 1e-12) + 1e-14 } };
  const min: number[] = [];
  const max: number[] = [];
  for (let j = 0; j < d; j++) {
    for (const dir of [glpk.GLP_MIN, glpk.GLP_MAX]) {
      const sol = solveGlpk({ ...base, subjectTo: [...base.subjectTo, budget], objective: { direction: dir, name: 'wj', vars: [{ name: `p${j}`, coef: 1 }, { name: `n${j}`, coef: -1 }] } });
      assert.is(sol.status, 'optimal');
      (dir === glpk.GLP_MIN ? min : max).push(sol.z);
    }
  }
  return { min, max };
}

const arbDegenerate = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 10 })).chain(([d, m]) =>
  fc.tuple(
    fc.array(fc.array(fc.integer({ min: -1, max: 1 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(2), fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d })), { minLength: m, maxLength: m }),
  ).map(([pool, picks]) => picks.map(([k, row]) => (k < pool.length ? pool[k]! : row).map((x) => rat(x)))));

test('degenerate instances: unique / face agree with float face LPs', () => {
  let decided = 0;
  let total = 0;
  fc.assert(fc.property(arbDegenerate, (rows) => {
    const ds = datasetFromDiagRows(rows);
    if (!ds) return true;
    const r = solveSvm(ds, { norm: 'l1' });
    if (r.status !== 'optimal') return true;
    total++;
    assert.is(r.certificate?.exact, true);
    const opt = Number(r.objective);
    const fr = faceRanges(rows, ds.d, opt);
    const spread = Math.max(...fr.max.map((x, j) => x - fr.min[j]!));
    if (r.unique === true) { decided++; assert.ok(spread < 1e-7, `unique claimed, float spread ${spread}`); }
    if (r.unique === false) {
      decided++;
      assert.ok(spread > 1e-9, `non-unique claimed, float spread ${spread}`);
      // exact face points lie inside the float face ranges
      r.face!.min.forEach((x, j) => assert.ok(Number(x) >= fr.min[j]! - 1e-7 && Number(r.face!.max[j]) <= fr.max[j]! + 1e-7));
    }
    return true;
  }), fcParams('svm/l1-unique', 200, 2000));
  assert.is(decided, total, `uniqueness decided on ${decided} / ${total}`);
});

test.run();
