/**
 * Measured orders of convergence (fixed steps) for every integrator, on problems with closed forms.
 * Decimal(40) keeps roundoff far below the truncation errors measured; fitted slope within ±0.3 of nominal.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import type { Field } from '../../src/numeric/Field.js';
import { makeGbsStepper, solve, type AlgorithmName, type StepperFactory } from '../../src/ode/index.js';
import { type ExactProblem, exponential, fittedSlope, harmonic, log10Error, logistic } from './problems.js';

const D = decimalField(40);
const STEPS = [8, 16, 32, 64];

function measuredOrder<S>(F: Field<S>, ep: ExactProblem<S>, alg: AlgorithmName | StepperFactory, steps = STEPS, rtol = '1e-34'): { slope: number; errs: number[] } {
  const span = F.toNumber(F.sub(ep.problem.tEnd, ep.problem.t0));
  const xs: number[] = [];
  const errs: number[] = [];
  for (const n of steps) {
    const sol = solve(ep.problem, alg, { fixedStep: F.div(F.sub(ep.problem.tEnd, ep.problem.t0), F.of(n)), rtol, atol: rtol, maxSteps: 10 * n });
    assert.is(sol.status, 'success', `${ep.name} n=${n}: ${sol.status} ${sol.message ?? ''}`);
    assert.is(sol.stats.accepted, n);
    xs.push(Math.log10(span / n));
    errs.push(log10Error(F, sol.y, ep.exact(ep.problem.tEnd)));
  }
  return { slope: fittedSlope(xs, errs), errs };
}

function expectOrder(label: string, got: { slope: number; errs: number[] }, nominal: number): void {
  console.log(`  order ${label}: ${got.slope.toFixed(2)} (nominal ${nominal})`);
  assert.ok(Math.abs(got.slope - nominal) <= 0.3, `${label}: slope ${got.slope.toFixed(3)} vs nominal ${nominal} (log10 errors ${got.errs.map((e) => e.toFixed(2)).join(', ')})`);
}

const problems = [exponential(D, 1, 1), harmonic(D, 2), logistic(D, 2)];

test('DP5 has order 5 (Decimal 40)', () => {
  for (const ep of problems) expectOrder(`DP5 ${ep.name}`, measuredOrder(D, ep, 'DP5'), 5);
});

test('DP5 has order 5 in float64 too (coarse steps, above roundoff)', () => {
  const ep = harmonic(float64Field, 2);
  expectOrder('DP5 float64', measuredOrder(float64Field, ep, 'DP5', [4, 8, 16, 32], '1e-12'), 5);
});

test('DOP853 has order 8 (Decimal 27, the precision its coefficients carry)', () => {
  const D27 = decimalField(27);
  for (const ep of [harmonic(D27, 2), logistic(D27, 2)]) {
    expectOrder(`DOP853 ${ep.name}`, measuredOrder(D27, ep, 'DOP853', [8, 16, 32, 64], '1e-25'), 8);
  }
  assert.throws(() => solve(harmonic(D).problem, 'DOP853', {}), /27 significant digits/);
});

test('RadauIIA5 has order 5 (Decimal 40, float64)', () => {
  for (const ep of problems) expectOrder(`Radau ${ep.name}`, measuredOrder(D, ep, 'RadauIIA5'), 5);
  const ep = logistic(float64Field, 2);
  expectOrder('Radau float64', measuredOrder(float64Field, ep, 'RadauIIA5', [4, 8, 16, 32], '1e-14'), 5);
});

test('RadauIIA9 (5 stages) has order 9 and RadauIIA13 (7 stages) order 13 (Decimal 40 / 60)', () => {
  for (const ep of [harmonic(D, 2), logistic(D, 2)]) expectOrder(`RadauIIA9 ${ep.name}`, measuredOrder(D, ep, 'RadauIIA9', [4, 6, 8, 12, 16]), 9);
  const D60 = decimalField(60);
  for (const ep of [harmonic(D60, 2), logistic(D60, 2)]) expectOrder(`RadauIIA13 ${ep.name}`, measuredOrder(D60, ep, 'RadauIIA13', [4, 6, 8, 12], '1e-55'), 13);
});

test('GBS with k rows has order 2k (k = 2, 3, 4; Decimal 40)', () => {
  for (const k of [2, 3, 4]) {
    const alg: StepperFactory = (ctx) => makeGbsStepper(ctx, { fixedRows: k });
    for (const ep of [harmonic(D, 2), logistic(D, 2)]) expectOrder(`GBS k=${k} ${ep.name}`, measuredOrder(D, ep, alg), 2 * k);
  }
});

test('dense output: DP5 continuous extension has local order 5 (dense order 4); Radau collocation local order 4', () => {
  for (const [alg, nominal] of [['DP5', 5], ['RadauIIA5', 4]] as const) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const hs of ['1/4', '1/8', '1/16', '1/32']) {
      const h = D.of(hs);
      const ep = harmonic(D, 1);
      const tMid = D.scale(h, 0.375);
      let err = 0;
      const p = { ...ep.problem, tEnd: h };
      solve(p, alg, { fixedStep: h, rtol: '1e-34', atol: '1e-34', onStep: (info) => { err = log10Error(D, info.interpolate(tMid), ep.exact(tMid), 1); } });
      xs.push(Math.log10(D.toNumber(h)));
      ys.push(err);
    }
    const slope = fittedSlope(xs, ys);
    assert.ok(Math.abs(slope - nominal) <= 0.3, `${alg} dense local slope ${slope.toFixed(3)} vs ${nominal}: ${ys.map((e) => e.toFixed(2))}`);
  }
});

test.run();
