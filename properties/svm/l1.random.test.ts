/**
 * ℓ1 SVM (SPEC.md §5) on random small rational instances (fast-check, seeded):
 * - every answer carries an exact certificate: KKT + zero gap (optimal) or a Farkas vector (infeasible);
 * - strong duality re-checked independently in rationals; objective agrees with glpk in float64 and with
 *   a cold-started exact simplex (a second, independent pivot path);
 * - duplicated coordinates (a_{·,0} = a_{·,1}) make the optimum non-unique whenever w_0 + w_1 ≠ 0.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Rational, qadd, qeq, qsign, qabs, Q0 } from '../../src/numeric/rational.js';
import { solveSvm } from '../../src/svm/solve.js';
import { verifyL1Certificate } from '../../src/svm/l1Certificate.js';
import { verifyFarkas } from '../../src/svm/farkas.js';
import { exactL1Simplex } from '../../src/svm/l1Simplex.js';
import { solveGlpk } from '../../src/svm/glpk.js';
import { l1Lp } from '../../src/svm/l1.js';
import { fcParams } from '../support/budget.js';
import { arbDiagInstance, arbPlantedRows, datasetFromDiagRows } from './svmSupport.js';

function checkInstance(rows: Rational[][]): boolean {
  const ds = datasetFromDiagRows(rows);
  if (!ds) return true; // tie: not an SVM instance
  const d = ds.d;
  const r = solveSvm(ds, { norm: 'l1', digits: 30 });
  const glpkSol = solveGlpk(l1Lp(rows, d));
  if (r.status === 'infeasible') {
    assert.is(r.farkas_exact, true);
    assert.ok(verifyFarkas(rows, d, r.farkasExact!));
    assert.is(glpkSol.status, 'infeasible');
    const cold = exactL1Simplex(rows, d, []);
    assert.is(cold.kind, 'infeasible');
    return true;
  }
  assert.is(r.certificate?.exact, true, r.certificate?.method);
  const chk = verifyL1Certificate(rows, d, r.wExact!, r.dualsExact!);
  assert.ok(chk.exact);
  let lsum = Q0;
  for (const l of r.dualsExact!) lsum = qadd(lsum, l);
  assert.ok(qeq(lsum, chk.l1norm), 'strong duality 1ᵀλ = ‖w‖₁');
  assert.is(glpkSol.status, 'optimal');
  const opt = Number(chk.l1norm.num) / Number(chk.l1norm.den);
  assert.ok(Math.abs(glpkSol.z - opt) <= 1e-9 * Math.max(1, opt), `glpk ${glpkSol.z} vs exact ${opt}`);
  const cold = exactL1Simplex(rows, d, []);
  assert.is(cold.kind, 'optimal');
  if (cold.kind === 'optimal') {
    let n = Q0;
    for (const x of cold.w) n = qadd(n, qabs(x));
    assert.ok(qeq(n, chk.l1norm), 'cold-start simplex reaches the same OPT');
  }
  return true;
}

test('random rational instances: exact certificate (KKT or Farkas), agreement with glpk and a cold start', () => {
  fc.assert(fc.property(arbDiagInstance, checkInstance), fcParams('svm/l1-random', 200, 2000));
});

test('planted separable instances are feasible and certified', () => {
  fc.assert(fc.property(arbPlantedRows, (rows) => {
    const ds = datasetFromDiagRows(rows);
    if (!ds) return true;
    const r = solveSvm(ds, { norm: 'l1' });
    assert.is(r.status, 'optimal');
    return checkInstance(rows);
  }), fcParams('svm/l1-planted', 150, 1500));
});

test('duplicated coordinate: non-unique optimum recognized, face contains the split', () => {
  fc.assert(fc.property(arbPlantedRows.filter((rows) => rows[0]!.length >= 2), (rows0) => {
    const rows = rows0.map((a) => [a[0]!, a[0]!, ...a.slice(2)]);
    const ds = datasetFromDiagRows(rows);
    if (!ds) return true;
    const r = solveSvm(ds, { norm: 'l1' });
    if (r.status !== 'optimal') return true;
    assert.is(r.certificate?.exact, true);
    const s = qadd(r.wExact![0]!, r.wExact![1]!);
    if (qsign(s) !== 0) {
      assert.is(r.unique, false);
      const lo = Math.min(0, Number(s.num) / Number(s.den));
      const hi = Math.max(0, Number(s.num) / Number(s.den));
      for (const j of [0, 1]) {
        // the face contains every split of w_0 + w_1 between the two identical coordinates
        assert.ok(Number(r.face!.min[j]) <= lo + 1e-12, `face min ${r.face!.min[j]} vs ${lo}`);
        assert.ok(Number(r.face!.max[j]) >= hi - 1e-12, `face max ${r.face!.max[j]} vs ${hi}`);
      }
    }
    return true;
  }), fcParams('svm/l1-duplicate', 100, 1000));
});

test('larger planted instance (n = 40, T = 4, d = 12): warm start, exact certificate', () => {
  const rows = [];
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const w0 = Array.from({ length: 12 }, () => Math.round(rnd() * 6 - 3));
  while (rows.length < 120) {
    const a = Array.from({ length: 12 }, () => Math.round(rnd() * 10 - 5));
    if (a.reduce((s, x, j) => s + x * w0[j]!, 0) >= 1) rows.push(a.map((x) => ({ num: BigInt(x), den: 1n })));
  }
  const r = solveSvm(datasetFromDiagRows(rows)!, { norm: 'l1' });
  assert.is(r.status, 'optimal');
  assert.is(r.certificate?.exact, true);
  assert.ok(r.notes!.some((n) => n.includes('warm-started')), r.notes!.join('; '));
});

test.run();
