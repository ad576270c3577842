/**
 * Entrywise ℓp SVM (src/svm/lp.ts, SPEC.md §5 `lp`): weak-duality certificates within bounds in float64
 * and Decimal(50); p = 2 equals an independent exact Frobenius solution (active-set enumeration in
 * rationals); p → 1 concentrates the mass on the support of a sparse ℓ1 solution (ℓ1 by a glpk LP here);
 * infeasible data give an exactly verified Farkas certificate.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import GLPK from 'glpk.js/node';
import type { ConstraintSet } from '../../src/model/constraints.js';
import { type Rational, Q0, Q1, qadd, qcmp, qdot, qmul, qneg, qparse, qsum, qtoNumber, rat } from '../../src/numeric/rational.js';
import { solveLp } from '../../src/svm/lp.js';
import { solveRational } from '../../src/svm/conicRational.js';
import { fcParams } from '../support/budget.js';

const glpk = await GLPK();

// ── data ───────────────────────────────────────────────────────────────────────────────────────────

/** A constraint set from explicit diagonal rows a_k (sample k, token 1) and matching full factors. */
function diagSet(rows: Rational[][]): ConstraintSet {
  const d = rows[0]!.length;
  return {
    d, n: rows.length, opt: rows.map(() => 0),
    diag: rows.map((a, k) => ({ i: k, t: 1, a })),
    full: rows.map((a, k) => ({ i: k, t: 1, left: a, right: a.map(() => Q1) })),
  };
}

/** A full constraint set from factors (left_k, right_k). */
function fullSet(pairs: { left: Rational[]; right: Rational[] }[]): ConstraintSet {
  const d = pairs[0]!.left.length;
  return {
    d, n: pairs.length, opt: pairs.map(() => 0),
    diag: pairs.map((c, k) => ({ i: k, t: 1, a: c.left.map((l, j) => qmul(l, c.right[j]!)) })),
    full: pairs.map((c, k) => ({ i: k, t: 1, left: c.left, right: c.right })),
  };
}

const arbEntry = fc.integer({ min: -9, max: 9 }).map((k) => rat(k, 4));
const arbVec = (d: number) => fc.array(arbEntry, { minLength: d, maxLength: d });

/** Feasible diagonal data: rows flipped to have positive margin on a planted w₀ (zero-margin rows dropped). */
const arbDiagFeasible = fc.record({ d: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 7 }) })
  .chain(({ d, m }) => fc.tuple(arbVec(d), fc.array(arbVec(d), { minLength: m, maxLength: m })))
  .map(([w0, rows]) => rows
    .map((a) => { const s = qcmp(qdot(a, w0), Q0); return s > 0 ? a : s < 0 ? a.map(qneg) : null; })
    .filter((a): a is Rational[] => a !== null))
  .filter((rows) => rows.length > 0)
  .map(diagSet);

/** Feasible full data: lefts flipped to have positive margin ⟨left rightᵀ, W₀⟩ on a planted W₀. */
const arbFullFeasible = fc.record({ d: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 6 }) })
  .chain(({ d, m }) => fc.tuple(
    fc.array(arbVec(d), { minLength: d, maxLength: d }),
    fc.array(fc.record({ left: arbVec(d), right: arbVec(d) }), { minLength: m, maxLength: m })))
  .map(([W0, pairs]) => pairs
    .map(({ left, right }) => {
      const h = qdot(left, W0.map((row) => qdot(row, right)));
      const s = qcmp(h, Q0);
      return s > 0 ? { left, right } : s < 0 ? { left: left.map(qneg), right } : null;
    })
    .filter((c): c is { left: Rational[]; right: Rational[] } => c !== null))
  .filter((pairs) => pairs.length > 0)
  .map(fullSet);

const num = (s: string | undefined): number => Number(s);

// ── certificates ─────────────────────────────────────────────────────────────────────────────────────

for (const p of [1.05, 1.5, 2, 3, 8]) {
  test(`float64 certificate, p = ${p}: feasible primal, feasible dual, relative gap ≤ 1e-12`, () => {
    fc.assert(fc.property(fc.oneof(arbDiagFeasible.map((cs) => ({ cs, structure: 'diag' as const })),
      arbFullFeasible.map((cs) => ({ cs, structure: 'full' as const }))), ({ cs, structure }) => {
      const r = solveLp(cs, { structure, p });
      assert.is(r.status, 'optimal');
      const c = r.certificate!;
      assert.is(c.primal_infeasibility, '0');
      assert.is(num(c.dual_infeasibility), 0);
      // weak duality: gap ≥ 0 up to the roundoff of evaluating the two norms
      assert.ok(num(c.gap) >= -1e-14 * num(r.objective), `gap ${c.gap} < 0 violates weak duality`);
      assert.ok(num(c.relative_gap) <= 1e-12, `relative gap ${c.relative_gap}; ${r.notes?.join('; ')}`);
      assert.ok(r.duals!.every((e) => num(e.lambda) >= 0));
      assert.is(r.unique, true);
      // every margin of the reported (decimal-string) solution is ≥ 1 exactly
      const w = (structure === 'diag' ? r.w! : r.W!.flat()).map((x) => qparse(x)!);
      const rows = structure === 'diag' ? cs.diag.map((k) => k.a) : cs.full.map((k) => k.left.flatMap((l) => k.right.map((x) => qmul(l, x))));
      for (const a of rows) assert.ok(qcmp(qdot(a, w), Q1) >= 0, 'exact margin ≥ 1');
    }), { ...fcParams(`lp-cert-${p}`, 40, 400), includeErrorInReport: true });
  });
}

test('Decimal(50) certificate: relative gap ≤ 1e-30 (p = 1.05, 1.5, 3, 8)', () => {
  fc.assert(fc.property(fc.oneof(arbDiagFeasible.map((cs) => ({ cs, structure: 'diag' as const })),
    arbFullFeasible.map((cs) => ({ cs, structure: 'full' as const }))), fc.constantFrom(1.05, 1.5, 3, 8), ({ cs, structure }, p) => {
    const r = solveLp(cs, { structure, p, digits: 50 });
    const c = r.certificate!;
    assert.is(c.primal_infeasibility, '0');
    assert.is(qcmp(qparse(c.dual_infeasibility)!, Q0), 0);
    assert.ok(qtoNumber(qparse(c.gap)!) >= -1e-45 * Number(r.objective), `gap ${c.gap}`);
    assert.ok(qtoNumber(qparse(c.relative_gap!)!) <= 1e-30, `relative gap ${c.relative_gap}; ${r.notes?.join('; ')}`);
    assert.is(r.digits, 50);
  }), { ...fcParams('lp-cert-decimal', 12, 100), includeErrorInReport: true });
});

// ── p = 2 is the Frobenius SVM ─────────────────────────────────────────────────────────────────────

/**
 * Exact Frobenius optimum² by active-set enumeration: for every subset S, solve (A_S A_Sᵀ) λ_S = 1 in Q;
 * the KKT point has λ_S ≥ 0 and every margin of w = A_Sᵀλ_S ≥ 1; then OPT² = ‖w‖² = 1ᵀλ.
 */
function frobeniusOptimumSquared(rows: Rational[][]): Rational {
  const m = rows.length;
  for (let mask = 1; mask < 1 << m; mask++) {
    const S = rows.filter((_, k) => (mask >> k) & 1);
    const G = S.map((a) => S.map((b) => qdot(a, b)));
    const lam = solveRational(G, S.map(() => Q1));
    if (!lam || lam.some((l) => qcmp(l, Q0) < 0)) continue;
    const w = rows[0]!.map((_, j) => qsum(S.map((a, s) => qmul(lam[s]!, a[j]!))));
    if (rows.every((a) => qcmp(qdot(a, w), Q1) >= 0)) return qsum(lam);
  }
  throw new Error('no KKT point found');
}

test('p = 2 equals the exact Frobenius optimum (diag and full, float64 and Decimal(50))', () => {
  fc.assert(fc.property(fc.oneof(arbDiagFeasible.map((cs) => ({ cs, structure: 'diag' as const })),
    arbFullFeasible.map((cs) => ({ cs, structure: 'full' as const }))), ({ cs, structure }) => {
    const rows = structure === 'diag' ? cs.diag.map((c) => c.a.slice())
      : cs.full.map((c) => c.left.flatMap((l) => c.right.map((r) => qmul(l, r))));
    const opt2 = frobeniusOptimumSquared(rows);
    const exact = Math.sqrt(qtoNumber(opt2));
    const r = solveLp(cs, { structure, p: 2 });
    assert.ok(Math.abs(num(r.objective) - exact) <= 1e-12 * exact, `${r.objective} vs ${exact}`);
    const rd = solveLp(cs, { structure, p: 2, digits: 50 });
    // compare squares exactly: |obj² − OPT²| ≤ 1e-35 OPT²
    const o = qparse(rd.objective!)!;
    const diff = qadd(qmul(o, o), qneg(opt2));
    assert.ok(Math.abs(qtoNumber(diff)) <= 1e-35 * qtoNumber(opt2), `Decimal objective² − OPT² = ${qtoNumber(diff)}`);
  }), { ...fcParams('lp-p2-fro', 30, 300), includeErrorInReport: true });
});

// ── p → 1 tends to the sparse ℓ1 solution ───────────────────────────────────────────────────────────

/** ℓ1 SVM by glpk: min 1ᵀ(w⁺ + w⁻) s.t. A(w⁺ − w⁻) ≥ 1 (SPEC.md §5 `l1`). */
function l1Solve(rows: number[][]): { objective: number; w: number[] } {
  const d = rows[0]!.length;
  const vars = (sgn: number, j: number) => ({ name: `${sgn > 0 ? 'p' : 'n'}${j}`, coef: 1 });
  const res = glpk.solve({
    name: 'l1',
    objective: { direction: glpk.GLP_MIN, name: 'obj', vars: [...Array(d).keys()].flatMap((j) => [vars(1, j), vars(-1, j)]) },
    subjectTo: rows.map((a, k) => ({
      name: `c${k}`,
      vars: a.flatMap((v, j) => [{ name: `p${j}`, coef: v }, { name: `n${j}`, coef: -v }]),
      bnds: { type: glpk.GLP_LO, lb: 1, ub: 0 },
    })),
  }, { msglev: glpk.GLP_MSG_OFF });
  assert.is(res.result.status, glpk.GLP_OPT);
  const w = [...Array(d).keys()].map((j) => (res.result.vars[`p${j}`] ?? 0) - (res.result.vars[`n${j}`] ?? 0));
  return { objective: res.result.z, w };
}

test('p → 1: the ℓp solution concentrates on the sparse ℓ1 support', () => {
  // a_k = (1 + small, noise...): the ℓ1 solution puts all mass on coordinate 0
  const noise = [[3, -2, 1, 4, -1], [-4, 1, 2, -3, 2], [2, 4, -3, 1, -2], [-1, -3, 4, 2, 3], [4, 2, -1, -4, 1], [1, -1, -2, 3, -4]];
  const rowsQ = noise.map((r, k) => [rat(10 + (k % 3), 10), ...r.map((x) => rat(x, 10))]);
  const rowsN = rowsQ.map((r) => r.map(qtoNumber));
  const l1 = l1Solve(rowsN);
  const support = l1.w.map((v, j) => (Math.abs(v) > 1e-9 ? j : -1)).filter((j) => j >= 0);
  assert.ok(support.length <= 2, `ℓ1 solution is sparse: ${l1.w}`);
  const cs = diagSet(rowsQ);
  let prevShare = 0;
  for (const p of [1.5, 1.2, 1.05, 1.01]) {
    const r = solveLp(cs, { structure: 'diag', p });
    assert.ok(num(r.certificate!.relative_gap) <= 1e-12, `p = ${p}: gap ${r.certificate!.relative_gap}`);
    const w = r.w!.map(Number);
    const l1norm = w.reduce((s, x) => s + Math.abs(x), 0);
    const share = support.reduce((s, j) => s + Math.abs(w[j]!), 0) / l1norm;
    assert.ok(share >= prevShare - 1e-12, `share on the ℓ1 support grows as p ↓ 1 (p = ${p}: ${share} < ${prevShare})`);
    prevShare = share;
    if (p === 1.01) {
      assert.ok(share >= 0.9, `p = 1.01 keeps ≥ 90% of the ℓ1 mass on the ℓ1 support, got ${share}`);
      // ‖w_p‖₁ is within a few percent of the ℓ1 optimum (w_p is ℓ1-feasible, so ≥ OPT₁)
      assert.ok(l1norm >= l1.objective * (1 - 1e-9) && l1norm <= l1.objective * 1.05, `‖w‖₁ = ${l1norm} vs ℓ1 OPT ${l1.objective}`);
    }
  }
});

// ── infeasible data ────────────────────────────────────────────────────────────────────────────────

test('infeasible data: Farkas λ = (1/2, 1/4, 1/4) verified exactly (diag and full)', () => {
  const rows = [[2, 0], [-2, 2], [-2, -2]].map((r) => r.map((x) => rat(x)));
  for (const structure of ['diag', 'full'] as const) {
    const cs = structure === 'diag' ? diagSet(rows) : fullSet(rows.map((a) => ({ left: a, right: [Q1, rat(3)] })));
    for (const digits of [undefined, 50]) {
      const r = solveLp(cs, { structure, p: 1.5, ...(digits ? { digits } : {}) });
      assert.is(r.status, 'infeasible');
      assert.is(r.farkas_exact, true);
      const lam = r.farkas!.map((e) => qparse(e.lambda)!);
      assert.equal(lam.map(qtoNumber), [0.5, 0.25, 0.25]);
      assert.is(qcmp(qsum(lam), Q1), 0);
      for (let j = 0; j < 2; j++) assert.is(qcmp(qsum(rows.map((a, k) => qmul(lam[k]!, a[j]!))), Q0), 0);
      assert.equal((r as { farkas_rational?: string[] }).farkas_rational, ['1/2', '1/4', '1/4']);
      assert.is(r.certificate, undefined);
    }
  }
});

test('scale invariance: data × 1e-6 and × 1e6 give objectives × 1e6 and × 1e-6, certified', () => {
  const base = [[3, -2, 1], [-4, 1, 2], [2, 4, -3], [1, 1, 1]].map((r) => r.map((x) => rat(x, 4)));
  for (const p of [1.05, 2, 4]) {
    const ref = Number(solveLp(diagSet(base), { structure: 'diag', p }).objective);
    for (const [num, den, factor] of [[1n, 1000000n, 1e6], [1000000n, 1n, 1e-6]] as const) {
      const r = solveLp(diagSet(base.map((row) => row.map((x) => qmul(x, { num, den })))), { structure: 'diag', p });
      assert.ok(Number(r.certificate!.relative_gap) <= 1e-12, `p = ${p}, scale ${factor}: gap ${r.certificate!.relative_gap}`);
      assert.ok(Math.abs(Number(r.objective) / (ref * factor) - 1) <= 1e-12);
    }
  }
});

test('zero columns (a coordinate no constraint touches) get w_j = 0', () => {
  const cs = diagSet([[rat(1), Q0, rat(2)], [rat(2), Q0, rat(-1)]]);
  const r = solveLp(cs, { structure: 'diag', p: 3, digits: 40 });
  assert.is(r.w![1], '0');
  assert.ok(Number(r.certificate!.relative_gap) <= 1e-25);
});

test.run();
