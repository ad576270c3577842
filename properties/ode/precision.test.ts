/**
 * High precision: ≥ 40 correct digits at 60-digit precision (GBS) on y' = y, the harmonic oscillator and
 * the logistic equation; tableau precision guard; seeded property checks over random problem parameters.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import { makeExplicitRkStepper, odeProblem, solve, DP5_TABLEAU, type ExplicitTableauData } from '../../src/ode/index.js';
import { fcParams } from '../support/budget.js';
import { exponential, harmonic, log10Error, logistic } from './problems.js';

const D60 = decimalField(60);

test('GBS at 60 digits, rtol = atol = 1e-42: ≥ 40 correct digits on y\' = y, harmonic oscillator, logistic', () => {
  const report: string[] = [];
  for (const ep of [exponential(D60, 1, 1), harmonic(D60, 10), logistic(D60, 10)]) {
    const sol = solve(ep.problem, 'GBS', { rtol: '1e-42', atol: '1e-42' });
    assert.is(sol.status, 'success', `${ep.name}: ${sol.message}`);
    const digits = -log10Error(D60, sol.y, ep.exact(ep.problem.tEnd), 1e-30);
    assert.ok(digits >= 40, `${ep.name}: ${digits.toFixed(1)} digits`);
    report.push(`${ep.name}:${digits.toFixed(1)}d/${sol.stats.steps}st/${sol.stats.fEvals}f/${sol.seconds.toFixed(2)}s`);
  }
  console.log(`  GBS Decimal(60) 1e-42: ${report.join(' ')}`);
});

test('tableau precision guard: a 20-digit tableau is refused in a 40-digit context, accepted in float64', () => {
  const short: ExplicitTableauData = { ...DP5_TABLEAU, name: 'DP5-20digits', validDigits: 20 };
  const D40 = decimalField(40);
  const p = exponential(D40).problem;
  assert.throws(() => solve(p, (ctx) => makeExplicitRkStepper(short, ctx), { rtol: '1e-10' }), /20 significant digits/);
  const ok = solve(exponential(float64Field).problem, (ctx) => makeExplicitRkStepper(short, ctx), { rtol: 1e-8 });
  assert.is(ok.status, 'success');
});

test('property: DP5 float64 on y\' = λy matches exp(λt) to ~tolerance for random λ, y0', () => {
  fc.assert(
    fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (lam, y0) => {
      const F = float64Field;
      const p = odeProblem({ F, f: (_t, y) => [lam * y[0]!], t0: 0, y0: [y0], tEnd: 1 });
      const sol = solve(p, 'DP5', { rtol: 1e-10, atol: 1e-12 });
      return sol.status === 'success' && Math.abs(sol.y[0]! - y0 * Math.exp(lam)) <= 1e-8 * Math.max(1, Math.abs(y0 * Math.exp(lam)));
    }),
    fcParams('ode.dp5.exp', 30, 300),
  );
});

test('property: GBS Decimal(40) on logistic with random rate and y0 reaches the 1e-30 tolerance', () => {
  const D = decimalField(40);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 99 }), (rate10, y0pct) => {
      const r = D.of(`${rate10}/10`);
      const y0 = D.of(`${y0pct}/100`);
      const p = odeProblem({ F: D, f: (_t, y) => [D.mul(r, D.mul(y[0]!, D.sub(D.one, y[0]!)))], t0: 0, y0: [y0], tEnd: 3 });
      const sol = solve(p, 'GBS', { rtol: '1e-30', atol: '1e-30' });
      // y = 1/(1 + (1/y0 − 1) e^{−rt})
      const exact = D.div(D.one, D.add(D.one, D.mul(D.sub(D.div(D.one, y0), D.one), D.exp(D.neg(D.scale(r, 3))))));
      return sol.status === 'success' && log10Error(D, sol.y, [exact], 1) < -28;
    }),
    fcParams('ode.gbs.logistic', 6, 60),
  );
});

test('RadauIIA5 in Decimal(60) with rtol 1e-16 reaches ~1e-15 global error on the logistic equation (beyond float64)', () => {
  const ep = logistic(D60, 2);
  const sol = solve(ep.problem, 'RadauIIA5', { rtol: '1e-16', atol: '1e-16' });
  assert.is(sol.status, 'success');
  const e = log10Error(D60, sol.y, ep.exact(ep.problem.tEnd));
  assert.ok(e < -14.5, `error 1e${e.toFixed(1)}`);
  console.log(`  Radau Decimal(60) rtol 1e-16 logistic: ${sol.stats.steps} steps, 1e${e.toFixed(1)}, ${sol.seconds.toFixed(2)} s`);
});

test('RadauIIA13 (stiff-capable, order 13) in Decimal(60): logistic at rtol 1e-30 in few steps', () => {
  const ep = logistic(D60, 5);
  const sol = solve(ep.problem, 'RadauIIA13', { rtol: '1e-30', atol: '1e-30' });
  assert.is(sol.status, 'success');
  const e = log10Error(D60, sol.y, ep.exact(ep.problem.tEnd));
  assert.ok(e < -25, `error 1e${e.toFixed(1)}`);
  assert.ok(sol.stats.steps < 300, `${sol.stats.steps} steps`);
  console.log(`  RadauIIA13 Decimal(60) rtol 1e-30 logistic: ${sol.stats.steps} steps, 1e${e.toFixed(1)}, ${sol.seconds.toFixed(2)} s`);
});

test.run();
