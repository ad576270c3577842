/**
 * Frobenius SVM (SPEC.md §5, `fro`): hand-solved instances (diag and full), exact KKT on random instances,
 * agreement with an independent brute force over active sets (exact) and with projected gradient on the
 * dual in float64; infeasible instances give exact Farkas vectors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Rational, Q0, Q1, qdot, qeq, qsign, qcmp, qtoString, rat } from '../../src/numeric/rational.js';
import { solveSvm, svmConstraints } from '../../src/svm/solve.js';
import { froVectors, verifyFroCertificate, gramOf, froIntegerRows } from '../../src/svm/fro.js';
import { exactActiveSet } from '../../src/svm/froActiveSet.js';
import { verifyFarkas } from '../../src/svm/farkas.js';
import { solveRationalSquare } from '../../src/svm/exactLinalg.js';
import { svmResultToJson } from '../../src/svm/json.js';
import { fcParams } from '../support/budget.js';
import { arbDiagInstance, arbSmallRational, datasetFromDiagRows, datasetFromFactors, qs } from './svmSupport.js';

const eqVec = (a: readonly Rational[] | undefined, b: readonly Rational[]): boolean =>
  a !== undefined && a.length === b.length && a.every((x, i) => qeq(x, b[i]!));
const show = (a: readonly Rational[] | undefined): string => (a ?? []).map(qtoString).join(', ');

/**
 * Brute force: the optimum of min ‖w‖² s.t. ⟨a_k,w⟩ ≥ 1 is w = A_Kᵀ μ with A_K A_Kᵀ μ = 1, μ ≥ 0, feasible,
 * for some subset K with independent rows; return the minimum-norm such point (exact).
 */
function bruteForceFro(vectors: Rational[][]): Rational[] | null {
  const m = vectors.length;
  const dim = vectors[0]!.length;
  let best: Rational[] | null = null;
  let bestNorm: Rational | null = null;
  for (let mask = 1; mask < 1 << m; mask++) {
    const K = Array.from({ length: m }, (_, k) => k).filter((k) => mask & (1 << k));
    if (K.length > dim) continue;
    const G = K.map((k) => K.map((l) => qdot(vectors[k]!, vectors[l]!)));
    const mu = solveRationalSquare(G, K.map(() => Q1));
    if (!mu || mu.some((x) => qsign(x) < 0)) continue;
    const w = Array.from({ length: dim }, (_, j) => sumCol(vectors, K, mu, j));
    if (vectors.some((a) => qcmp(qdot(a, w), Q1) < 0)) continue;
    const n = qdot(w, w);
    if (bestNorm === null || qcmp(n, bestNorm) < 0) { best = w; bestNorm = n; }
  }
  return best;
}

function sumCol(vectors: Rational[][], K: number[], mu: Rational[], j: number): Rational {
  let s = Q0;
  K.forEach((k, r) => { s = addQ(s, mulQ(vectors[k]![j]!, mu[r]!)); });
  return s;
}
const addQ = (a: Rational, b: Rational): Rational => rat(a.num * b.den + b.num * a.den, a.den * b.den);
const mulQ = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den);

/** Projected coordinate ascent on the dual max 1ᵀλ − ½‖Aᵀλ‖², float64; returns 1ᵀλ = ‖w‖². */
function projectedGradientFro(vectors: number[][], iters = 20000): { value: number; converged: boolean } {
  const m = vectors.length;
  const G = vectors.map((a) => vectors.map((b) => a.reduce((s, x, j) => s + x * b[j]!, 0)));
  const lam = new Array<number>(m).fill(0);
  for (let it = 0; it < iters; it++) {
    let change = 0;
    for (let k = 0; k < m; k++) {
      // coordinate ascent step (exact line search per coordinate, projected)
      const g = 1 - G[k]!.reduce((s, x, l) => s + x * lam[l]!, 0);
      if (G[k]![k]! > 0) {
        const next = Math.max(0, lam[k]! + g / G[k]![k]!);
        change = Math.max(change, Math.abs(next - lam[k]!));
        lam[k] = next;
      }
    }
    if (change < 1e-15 * Math.max(1, ...lam)) return { value: lam.reduce((s, x) => s + x, 0), converged: true };
  }
  return { value: lam.reduce((s, x) => s + x, 0), converged: false };
}

test('diag d = 1: 2w ≥ 1 gives w = 1/2, OPT = 1/2', () => {
  const r = solveSvm(datasetFromDiagRows([qs([2])])!, { norm: 'fro', structure: 'diag' });
  assert.is(r.status, 'optimal');
  assert.ok(eqVec(r.wExact, qs([[1, 2]])), show(r.wExact));
  assert.ok(r.objective!.startsWith('0.5'));
  assert.is(r.certificate?.exact, true);
  assert.is(r.unique, true);
});

test('diag d = 2: w₁ + w₂ ≥ 1 gives w = (1/2, 1/2), OPT = 1/√2', () => {
  const r = solveSvm(datasetFromDiagRows([qs([1, 1]), qs([3, 1])])!, { norm: 'fro', structure: 'diag' });
  assert.is(r.status, 'optimal');
  // (1/2,1/2): 3/2+1/2 = 2 ≥ 1, so the second row is inactive
  assert.ok(eqVec(r.wExact, qs([[1, 2], [1, 2]])), show(r.wExact));
  assert.ok(r.objective!.startsWith('0.70710678118654752440'));
  assert.ok(eqVec(r.dualsExact, qs([[1, 2], 0])), show(r.dualsExact));
});

test('full d = 2: constraints e₁e₁ᵀ and (e₁ + e₂)e₂ᵀ give W = [[1, 1/2], [0, 1/2]]', () => {
  const ds = datasetFromFactors([
    { left: qs([1, 0]), z: qs([1, 0]) },
    { left: qs([1, 1]), z: qs([0, 1]) },
  ])!;
  const r = solveSvm(ds, { norm: 'fro' });
  assert.is(r.structure, 'full');
  assert.is(r.status, 'optimal');
  assert.is(r.certificate?.exact, true);
  const W = r.WExact!;
  assert.ok(eqVec(W[0], qs([1, [1, 2]])) && eqVec(W[1], qs([0, [1, 2]])), W.map(show).join(' | '));
  // ‖W‖² = 1 + 1/4 + 1/4 = 3/2
  assert.ok(r.objective!.startsWith('1.22474487139158904909'));
  const j = svmResultToJson(r);
  assert.ok('W' in j && !('w' in j));
});

let caRuns = 0;
let caConverged = 0;

test('random diag instances: exact KKT, agreement with brute force over active sets and with dual coordinate ascent', () => {
  fc.assert(fc.property(arbDiagInstance.filter((rows) => rows.length <= 6), (rows) => {
    const ds = datasetFromDiagRows(rows);
    if (!ds) return true;
    const r = solveSvm(ds, { norm: 'fro', structure: 'diag' });
    const vectors = froVectors(svmConstraints(ds), 'diag');
    const bf = bruteForceFro(vectors);
    if (r.status === 'infeasible') {
      assert.is(r.farkas_exact, true);
      assert.ok(verifyFarkas(vectors, ds.d, r.farkasExact!));
      assert.is(bf, null);
      return true;
    }
    assert.is(r.certificate?.exact, true);
    assert.ok(verifyFroCertificate(vectors, ds.d, r.dualsExact!).exact);
    assert.ok(bf !== null && eqVec(r.wExact, bf), `${show(r.wExact)} vs brute force ${show(bf ?? [])}`);
    // the cold exact path (no float warm start) reaches the same multipliers' point
    const cs = svmConstraints(ds);
    const cold = exactActiveSet(froIntegerRows(cs, 'diag'), ds.d, gramOf(cs, 'diag'));
    assert.is(cold.kind, 'optimal');
    if (cold.kind === 'optimal') assert.ok(verifyFroCertificate(vectors, ds.d, cold.lambda).exact);
    // coordinate ascent is slow on ill-conditioned duals: compare only when it converged
    const ca = projectedGradientFro(vectors.map((a) => a.map((x) => Number(x.num) / Number(x.den))), 20000);
    caRuns++;
    if (ca.converged) {
      caConverged++;
      const n2 = Number(r.objective!) ** 2;
      assert.ok(Math.abs(ca.value - n2) <= 1e-6 * Math.max(1, n2), `coordinate ascent ${ca.value} vs ${n2}`);
    }
    return true;
  }), fcParams('svm/fro-random', 150, 1500));
  assert.ok(caConverged >= 0.8 * caRuns, `coordinate ascent converged on ${caConverged} / ${caRuns} instances`);
});

test('random full instances (d ≤ 3): exact KKT and brute-force agreement', () => {
  const arbPair = (d: number) => fc.record({
    left: fc.array(arbSmallRational, { minLength: d, maxLength: d }),
    z: fc.array(arbSmallRational, { minLength: d, maxLength: d }),
  });
  const arbInst = fc.integer({ min: 1, max: 3 }).chain((d) => fc.array(arbPair(d), { minLength: 1, maxLength: 5 }));
  fc.assert(fc.property(arbInst, (pairs) => {
    const ds = datasetFromFactors(pairs);
    if (!ds) return true;
    const r = solveSvm(ds, { norm: 'fro', structure: 'full' });
    const vectors = froVectors(svmConstraints(ds), 'full');
    const bf = bruteForceFro(vectors);
    if (r.status === 'infeasible') {
      assert.is(r.farkas_exact, true);
      assert.ok(verifyFarkas(vectors, ds.d * ds.d, r.farkasExact!));
      assert.is(bf, null);
      return true;
    }
    assert.is(r.certificate?.exact, true);
    const flat = r.WExact!.flat();
    assert.ok(bf !== null && eqVec(flat, bf), `${show(flat)} vs brute force ${show(bf ?? [])}`);
    return true;
  }), fcParams('svm/fro-full-random', 100, 1000));
});

test('fro infeasible diag instance: exact Farkas', () => {
  const rows = [qs([1, 2]), qs([-1, -2]), qs([0, 1])];
  const r = solveSvm(datasetFromDiagRows(rows)!, { norm: 'fro', structure: 'diag' });
  assert.is(r.status, 'infeasible');
  assert.is(r.farkas_exact, true);
  assert.ok(verifyFarkas(rows, 2, r.farkasExact!));
});

test.run();
