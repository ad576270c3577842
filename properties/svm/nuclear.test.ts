/**
 * Nuclear-norm SVM (src/svm/nuclear.ts, SPEC.md §5 `nuclear`):
 *  - data whose constraint matrices are all diagonal (x_opt − x_t and z along one basis vector) have
 *    nuclear optimum = ℓ1 optimum (ℓ1 by a glpk LP here), and rotating the data by rational orthogonal
 *    U, V (x → U x, z → V z; Pythagorean triples) leaves the optimum unchanged;
 *  - random feasible data: certificate (exact primal feasibility, ‖Σλ A‖₂ ≤ 1, relative gap ≤ 1e-9) and
 *    the norm sandwich fro ≤ nuclear ≤ √d·fro against the ℓp solver at p = 2;
 *  - Decimal(40): relative gap ≤ 1e-25; infeasible data: exact Farkas certificate.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import GLPK from 'glpk.js/node';
import type { ConstraintSet } from '../../src/model/constraints.js';
import { type Rational, Q0, Q1, qadd, qcmp, qdot, qmul, qneg, qparse, qsum, qtoNumber, rat } from '../../src/numeric/rational.js';
import { solveNuclear } from '../../src/svm/nuclear.js';
import { solveLp } from '../../src/svm/lp.js';
import { fcParams } from '../support/budget.js';

const glpk = await GLPK();

interface Pair { left: Rational[]; right: Rational[] }

function fullSet(pairs: Pair[]): ConstraintSet {
  return {
    d: pairs[0]!.left.length, n: pairs.length, opt: pairs.map(() => 0),
    diag: pairs.map((c, k) => ({ i: k, t: 1, a: c.left.map((l, j) => qmul(l, c.right[j]!)) })),
    full: pairs.map((c, k) => ({ i: k, t: 1, left: c.left, right: c.right })),
  };
}

const matVecQ = (R: Rational[][], x: Rational[]): Rational[] => R.map((row) => qdot(row, x));
const matMulQ = (A: Rational[][], B: Rational[][]): Rational[][] => A.map((row) => B[0]!.map((_, j) => qdot(row, B.map((r) => r[j]!))));
const rotation = (d: number, a: number, b: number, c: Rational, s: Rational): Rational[][] =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
    if (i === a && j === a) return c; if (i === b && j === b) return c;
    if (i === a && j === b) return qneg(s); if (i === b && j === a) return s;
    return i === j ? Q1 : Q0;
  }));
/** Dense rational orthogonal matrices of size 3 from Pythagorean triples (3,4,5), (5,12,13), (8,15,17). */
const U3 = matMulQ(rotation(3, 0, 1, rat(3, 5), rat(4, 5)), rotation(3, 1, 2, rat(5, 13), rat(12, 13)));
const V3 = matMulQ(rotation(3, 1, 2, rat(8, 17), rat(15, 17)), rotation(3, 0, 2, rat(-3, 5), rat(4, 5)));

/** ℓ1 SVM by glpk on diagonal rows: min 1ᵀ(w⁺ + w⁻) s.t. A(w⁺ − w⁻) ≥ 1. */
function l1Optimum(rows: number[][]): number {
  const d = rows[0]!.length;
  const res = glpk.solve({
    name: 'l1',
    objective: { direction: glpk.GLP_MIN, name: 'obj', vars: [...Array(d).keys()].flatMap((j) => [{ name: `p${j}`, coef: 1 }, { name: `n${j}`, coef: 1 }]) },
    subjectTo: rows.map((a, k) => ({
      name: `c${k}`, vars: a.flatMap((v, j) => [{ name: `p${j}`, coef: v }, { name: `n${j}`, coef: -v }]),
      bnds: { type: glpk.GLP_LO, lb: 1, ub: 0 },
    })),
  }, { msglev: glpk.GLP_MSG_OFF });
  assert.is(res.result.status, glpk.GLP_OPT);
  return res.result.z;
}

const e = (d: number, j: number, v: Rational): Rational[] => Array.from({ length: d }, (_, i) => (i === j ? v : Q0));

/** Diagonal constraint matrices c_k s_k e_j e_jᵀ with c_k s_k > 0 (feasible), j in 0..2, d = 3. */
const arbDiagonalData = fc.array(fc.record({
  j: fc.integer({ min: 0, max: 2 }),
  c: fc.integer({ min: 1, max: 9 }).map((k) => rat(k, 3)),
  s: fc.constantFrom(rat(1, 2), Q1, rat(2), rat(-1), rat(-3, 2)),
}), { minLength: 1, maxLength: 6 }).map((cons) => cons.map(({ j, c, s }) => ({ left: e(3, j, qcmp(s, Q0) > 0 ? c : qneg(c)), right: e(3, j, s) })));

test('all-diagonal constraint matrices: nuclear optimum = ℓ1 optimum, invariant under x → Ux, z → Vz', () => {
  fc.assert(fc.property(arbDiagonalData, (pairs) => {
    const cs = fullSet(pairs);
    const l1 = l1Optimum(cs.diag.map((c) => c.a.map(qtoNumber)));
    const r = solveNuclear(cs);
    assert.is(r.status, 'optimal');
    assert.ok(Math.abs(Number(r.objective) - l1) <= 1e-9 * l1, `nuclear ${r.objective} vs ℓ1 ${l1}`);
    assert.ok(Number(r.certificate!.relative_gap) <= 1e-9);
    const rotated = fullSet(pairs.map(({ left, right }) => ({ left: matVecQ(U3, left), right: matVecQ(V3, right) })));
    const rr = solveNuclear(rotated);
    assert.ok(Math.abs(Number(rr.objective) - l1) <= 1e-9 * l1, `rotated nuclear ${rr.objective} vs ℓ1 ${l1}`);
    assert.is(rr.certificate!.primal_infeasibility, '0');
    assert.ok(Number(rr.certificate!.relative_gap) <= 1e-9, `rotated gap ${rr.certificate!.relative_gap}`);
  }), { ...fcParams('nuclear-diagonal', 15, 120), includeErrorInReport: true });
});

const arbEntry = fc.integer({ min: -9, max: 9 }).map((k) => rat(k, 4));
const arbVec = (d: number) => fc.array(arbEntry, { minLength: d, maxLength: d });
/** Feasible full data: lefts flipped to give positive margin on a planted W₀. */
const arbFeasible = (maxD: number, maxM: number) => fc.record({ d: fc.integer({ min: 1, max: maxD }), m: fc.integer({ min: 1, max: maxM }) })
  .chain(({ d, m }) => fc.tuple(
    fc.array(arbVec(d), { minLength: d, maxLength: d }),
    fc.array(fc.record({ left: arbVec(d), right: arbVec(d) }), { minLength: m, maxLength: m })))
  .map(([W0, pairs]) => pairs.map(({ left, right }) => {
    const s = qcmp(qdot(left, W0.map((row) => qdot(row, right))), Q0);
    return s > 0 ? { left, right } : s < 0 ? { left: left.map(qneg), right } : null;
  }).filter((c): c is Pair => c !== null))
  .filter((pairs) => pairs.length > 0)
  .map(fullSet);

test('random feasible data: certificate within 1e-9 and fro ≤ nuclear ≤ √d·fro', () => {
  fc.assert(fc.property(arbFeasible(4, 8), (cs) => {
    const r = solveNuclear(cs);
    assert.is(r.status, 'optimal');
    const c = r.certificate!;
    assert.is(c.primal_infeasibility, '0');
    assert.is(Number(c.dual_infeasibility), 0);
    assert.ok(Number(c.gap) >= -1e-14 * Number(r.objective), `gap ${c.gap} (weak duality up to roundoff)`);
    assert.ok(Number(c.relative_gap) <= 1e-9, `relative gap ${c.relative_gap}; ${r.notes?.join('; ')}`);
    assert.ok(r.duals!.every((x) => Number(x.lambda) >= 0));
    // exact margins of the returned W
    const W = r.W!.flatMap((row) => row.map((x) => qparse(x)!));
    for (const k of cs.full) assert.ok(qcmp(qdot(k.left.flatMap((l) => k.right.map((rr) => qmul(l, rr))), W), Q1) >= 0);
    const fro = Number(solveLp(cs, { structure: 'full', p: 2 }).objective);
    const nuc = Number(r.objective);
    assert.ok(nuc >= fro * (1 - 1e-9) && nuc <= Math.sqrt(cs.d) * fro * (1 + 1e-9), `fro ${fro}, nuclear ${nuc}, d ${cs.d}`);
  }), { ...fcParams('nuclear-random', 40, 300), includeErrorInReport: true });
});

test('Decimal(40): relative gap ≤ 1e-25 and agreement with float64', () => {
  fc.assert(fc.property(arbFeasible(3, 5), (cs) => {
    const r = solveNuclear(cs, { digits: 40 });
    const c = r.certificate!;
    assert.is(c.primal_infeasibility, '0');
    assert.is(qcmp(qparse(c.dual_infeasibility)!, Q0), 0);
    assert.ok(qtoNumber(qparse(c.gap)!) >= -1e-35 * Number(r.objective), `gap ${c.gap}`);
    assert.ok(qtoNumber(qparse(c.relative_gap!)!) <= 1e-25, `relative gap ${c.relative_gap}; ${r.notes?.join('; ')}`);
    const f = Number(solveNuclear(cs).objective);
    assert.ok(Math.abs(Number(r.objective) - f) <= 2e-9 * f);
  }), { ...fcParams('nuclear-decimal', 6, 40), includeErrorInReport: true });
});

test('rank-two optimum on rotated diagonal data in Decimal(40)', () => {
  // A = diag-type constraints on two coordinates, then rotated: the optimum W = U diag(2, 1, 0) Vᵀ has rank 2
  const pairs: Pair[] = [
    { left: e(3, 0, rat(1, 2)), right: e(3, 0, Q1) },
    { left: e(3, 1, Q1), right: e(3, 1, Q1) },
    { left: e(3, 1, rat(3)), right: e(3, 1, rat(1, 2)) },
  ].map(({ left, right }) => ({ left: matVecQ(U3, left), right: matVecQ(V3, right) }));
  const r = solveNuclear(fullSet(pairs), { digits: 40 });
  const o = qparse(r.objective!)!;
  assert.ok(Math.abs(qtoNumber(qadd(o, rat(-3)))) <= 1e-25, `objective ${r.objective} (expected 3)`);
  assert.is(r.unique, null);
});

test('scale invariance: data × 1e-6 and × 1e6 give objectives × 1e6 and × 1e-6, certified', () => {
  const base: Pair[] = [[[3, -2, 1], [1, 0, 2]], [[-4, 1, 2], [0, 1, -1]], [[2, 4, -3], [1, 1, 0]], [[1, 1, 1], [2, -1, 1]]]
    .map(([l, r]) => ({ left: l!.map((x) => rat(x, 4)), right: r!.map((x) => rat(x)) }));
  const ref = Number(solveNuclear(fullSet(base)).objective);
  for (const [num, den, factor] of [[1n, 1000000n, 1e6], [1000000n, 1n, 1e-6]] as const) {
    const r = solveNuclear(fullSet(base.map(({ left, right }) => ({ left: left.map((x) => qmul(x, { num, den })), right }))));
    assert.ok(Number(r.certificate!.relative_gap) <= 1e-9, `scale ${factor}: gap ${r.certificate!.relative_gap}`);
    assert.ok(Math.abs(Number(r.objective) / (ref * factor) - 1) <= 1e-9);
  }
});

test('infeasible data: exact Farkas certificate (A and −A)', () => {
  const a: Pair = { left: [rat(1), rat(2)], right: [rat(3), rat(-1)] };
  const b: Pair = { left: [rat(-2), rat(-4)], right: [rat(3), rat(-1)] };
  const r = solveNuclear(fullSet([a, b, { left: [rat(1), Q0], right: [Q0, rat(1)] }]));
  assert.is(r.status, 'infeasible');
  assert.is(r.farkas_exact, true);
  // λ = (2/3, 1/3, 0): (2/3)·A − (1/3)·2A = 0, re-checked exactly from the rational strings
  const lam = (r as { farkas_rational?: string[] }).farkas_rational!.map((x) => qparse(x)!);
  assert.equal(lam.map(qtoNumber), [2 / 3, 1 / 3, 0]);
  assert.is(qcmp(qsum(lam), Q1), 0);
  assert.ok(lam.every((l) => qcmp(l, Q0) >= 0));
  const pairs = [a, b, { left: [rat(1), Q0], right: [Q0, rat(1)] }];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    assert.is(qcmp(qsum(pairs.map((p, k) => qmul(lam[k]!, qmul(p.left[i]!, p.right[j]!)))), Q0), 0);
  }
  // the decimal strings agree to working precision
  r.farkas!.forEach((x, k) => assert.ok(Math.abs(Number(x.lambda) - qtoNumber(lam[k]!)) < 1e-15));
});

test.run();
