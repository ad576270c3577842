/**
 * The float64 twins of the Newton systems' linear algebra (src/numeric/linalgF64.ts, src/ode/complexLinalgF64.ts)
 * against the generic routines over float64Field (linalg.ts, complexLinalg.ts) on random shifted matrices: the
 * same operations in the same order, so they agree far below float64's solve accuracy (to 1e-15 of the
 * solution's size; the difference measured when they were written was 0), and the solutions solve the system
 * (residual ≤ 1e-11 of ‖M‖·‖x‖). A singular matrix is flagged alike.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { float64Field as G } from '../../src/numeric/float64.js';
import { luFactor, luSolve } from '../../src/numeric/linalg.js';
import { luFactorShiftedF64, luSolveF64 } from '../../src/numeric/linalgF64.js';
import { complexLuSolve, complexShiftedLuFactor } from '../../src/ode/complexLinalg.js';
import { complexLuSolveF64, complexShiftedLuFactorF64 } from '../../src/ode/complexLinalgF64.js';
import { fcParams } from '../support/budget.js';

const maxAbs = (v: readonly number[]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
// entries on a grid (k/64, |k| ≤ 2^16): no subnormals, whose relative accuracy is not float64's
const grid = (max: number) => fc.integer({ min: -max * 64, max: max * 64 }).map((k) => k / 64);
const arbCase = fc.integer({ min: 1, max: 9 }).chain((n) => fc.record({
  J: fc.array(fc.array(grid(1000), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
  re: grid(1000),
  im: fc.integer({ min: 1, max: 64 * 1000 }).map((k) => k / 64),
  bRe: fc.array(grid(10), { minLength: n, maxLength: n }),
  bIm: fc.array(grid(10), { minLength: n, maxLength: n }),
}));

test('real: luFactorShiftedF64 / luSolveF64 = luFactor / luSolve of (shift·I − J), and solve the system', () => {
  fc.assert(fc.property(arbCase, ({ J, re, bRe }) => {
    const n = J.length;
    const M = J.map((row, i) => row.map((x, j) => (i === j ? re - x : -x)));
    const generic = luFactor(G, M);
    const typed = luFactorShiftedF64(J, re);
    assert.is(typed.singular, generic.singular);
    fc.pre(!generic.singular);
    const x = luSolve(G, generic, bRe);
    const y = luSolveF64(typed, bRe);
    fc.pre(x.every(Number.isFinite));
    const scale = maxAbs(x);
    x.forEach((xi, i) => assert.ok(Math.abs(xi - y[i]!) <= 1e-15 * scale, `x[${i}]: generic ${xi}, typed ${y[i]}`));
    const normM = Math.max(...M.map((row) => maxAbs(row) * n));
    M.forEach((row, i) => {
      const r = row.reduce((s, m, j) => s + m * y[j]!, 0) - bRe[i]!;
      assert.ok(Math.abs(r) <= 1e-11 * normM * scale + 1e-12 * maxAbs(bRe), `residual ${r} in row ${i}`);
    });
  }), fcParams('linalg-f64-real', 200, 2000));
});

test('complex: complexShiftedLuFactorF64 / complexLuSolveF64 = the generic complex LU, and solve the system', () => {
  fc.assert(fc.property(arbCase, ({ J, re, im, bRe, bIm }) => {
    const generic = complexShiftedLuFactor(G, J, re, im);
    const typed = complexShiftedLuFactorF64(J, re, im);
    assert.is(typed.singular, generic.singular);
    fc.pre(!generic.singular);
    const [xr, xi] = complexLuSolve(G, generic, bRe, bIm);
    const [yr, yi] = complexLuSolveF64(typed, bRe, bIm);
    fc.pre([...xr, ...xi].every(Number.isFinite));
    const scale = Math.max(maxAbs(xr), maxAbs(xi));
    xr.forEach((v, i) => assert.ok(Math.abs(v - yr[i]!) <= 1e-15 * scale, `Re x[${i}]: generic ${v}, typed ${yr[i]}`));
    xi.forEach((v, i) => assert.ok(Math.abs(v - yi[i]!) <= 1e-15 * scale, `Im x[${i}]: generic ${v}, typed ${yi[i]}`));
    // ((re + i·im)I − J)(yr + i·yi) = bRe + i·bIm
    const n = J.length;
    const normM = Math.max(...J.map((row) => maxAbs(row) * n)) + Math.abs(re) + im;
    for (let i = 0; i < n; i++) {
      let rr = re * yr[i]! - im * yi[i]! - bRe[i]!;
      let ri = re * yi[i]! + im * yr[i]! - bIm[i]!;
      for (let j = 0; j < n; j++) { rr -= J[i]![j]! * yr[j]!; ri -= J[i]![j]! * yi[j]!; }
      assert.ok(Math.hypot(rr, ri) <= 1e-11 * normM * scale + 1e-12 * Math.max(maxAbs(bRe), maxAbs(bIm)), `residual ${rr}+${ri}i in row ${i}`);
    }
  }), fcParams('linalg-f64-complex', 200, 2000));
});

test('a singular shifted matrix is flagged by both, and luSolveF64 refuses it as luSolve does', () => {
  const J = [[1, 2], [2, 4]]; // shift 0: −J has rank 1
  const typed = luFactorShiftedF64(J, 0);
  assert.ok(typed.singular);
  assert.ok(luFactor(G, J.map((r) => r.map((x) => -x))).singular);
  assert.throws(() => luSolveF64(typed, [1, 1]), /singular/);
  const c = complexShiftedLuFactorF64([[0, 0], [0, 0]], 0, 0);
  assert.ok(c.singular);
  assert.ok(complexShiftedLuFactor(G, [[0, 0], [0, 0]], 0, 0).singular);
});

test.run();
