/**
 * solve(): events located on the dense output, dense-output accuracy, statuses, backward integration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import { odeProblem, solve } from '../../src/ode/index.js';
import { exponential, harmonic, log10Error, logistic, sinF } from './problems.js';

const F64 = float64Field;

test('events on sin t: direction filter, non-terminal occurrences, accuracy (DP5 float64)', () => {
  const ep = harmonic(F64, 10);
  const run = (direction: -1 | 0 | 1) =>
    solve(ep.problem, 'DP5', { rtol: 1e-11, atol: 1e-11, events: [{ g: (_t, y) => y[0]!, direction, tag: 'zero' }] });
  const both = run(0);
  assert.is(both.status, 'success');
  assert.equal(both.events.map((e) => e.tag), ['zero', 'zero', 'zero']);
  both.events.forEach((e, k) => assert.ok(Math.abs(e.t - (k + 1) * Math.PI) < 1e-9, `${e.t} vs ${(k + 1)}π`));
  const down = run(-1);
  assert.equal(down.events.map((e) => Math.round(e.t / Math.PI)), [1, 3]);
  const up = run(1);
  assert.equal(up.events.map((e) => Math.round(e.t / Math.PI)), [2]);
  assert.ok(Math.abs(up.events[0]!.y[1]! - 1) < 1e-9, 'y at the event is the interpolated state');
});

test('terminal event at 50 digits (GBS): t = π/6 to ≥ 38 digits, status "event"', () => {
  const D = decimalField(50);
  const ep = harmonic(D, 10);
  const sol = solve(ep.problem, 'GBS', {
    rtol: '1e-42',
    atol: '1e-42',
    events: [{ g: (_t, y) => D.sub(y[0]!, D.half), direction: 1, terminal: true, tag: 'half' }],
  });
  assert.is(sol.status, 'event');
  assert.is(sol.events.length, 1);
  const want = D.div(D.pi(), D.of(6));
  const digits = -D.toNumber(D.log10(D.abs(D.div(D.sub(sol.t, want), want))));
  assert.ok(digits >= 38, `event time correct to ${digits.toFixed(1)} digits`);
  assert.ok(D.cmp(sol.t, sol.events[0]!.t) === 0);
  assert.ok(log10Error(D, sol.y, ep.exact(sol.t)) < -38);
  console.log(`  GBS Decimal(50) event t=π/6: ${digits.toFixed(1)} digits, ${sol.stats.fEvals} f evals`);
});

test('event on RadauIIA5 collocation output in Decimal(40): logistic crosses 1/2 at t = ln 9', () => {
  const D = decimalField(40);
  const ep = logistic(D, 5);
  const sol = solve(ep.problem, 'RadauIIA5', { rtol: '1e-14', atol: '1e-14', events: [{ g: (_t, y) => D.sub(y[0]!, D.half), tag: 'half' }] });
  assert.is(sol.status, 'success');
  assert.is(sol.events.length, 1);
  const err = D.toNumber(D.abs(D.sub(sol.events[0]!.t, D.log(D.of(9)))));
  assert.ok(err < 1e-10, `|t − ln 9| = ${err}`); // global error ~10·rtol
});

test('dense output accuracy: DP5 and RadauIIA5 interpolants within ~tolerance inside every step', () => {
  // Radau's collocation polynomial has stage order 3 and its control runs on rtol' = 0.1·rtol^(2/3)
  // (radau5.ts), so inside a step it is ~ rtol', not rtol.
  for (const [alg, bound] of [['DP5', -8.5], ['RadauIIA5', -7.5]] as const) {
    const ep = harmonic(F64, 6);
    let worst = -Infinity;
    const sol = solve(ep.problem, alg, {
      rtol: 1e-10,
      atol: 1e-10,
      onStep: (info) => {
        for (let k = 1; k < 8; k++) {
          const t = info.tPrev + ((info.t - info.tPrev) * k) / 8;
          worst = Math.max(worst, log10Error(F64, info.interpolate(t), ep.exact(t), 1));
        }
      },
    });
    assert.is(sol.status, 'success');
    assert.ok(worst < bound, `${alg}: worst interpolation error 1e${worst.toFixed(2)}`);
  }
});

test('statuses: max_steps, max_seconds, stopped, step_too_small, newton_failure — reported, never thrown', () => {
  const ep = harmonic(F64, 100);
  assert.is(solve(ep.problem, 'DP5', { rtol: 1e-12, maxSteps: 10 }).status, 'max_steps');
  assert.is(solve(ep.problem, 'DP5', { rtol: 1e-13, maxSeconds: 0 }).status, 'max_seconds');
  let n = 0;
  const stopped = solve(ep.problem, 'DP5', { onStep: () => (++n === 3 ? 'stop' : undefined) });
  assert.is(stopped.status, 'stopped');
  assert.is(stopped.stats.accepted, 3);
  // y' = y² from y(0) = 1 blows up at t = 1.
  const blowUp = odeProblem({ F: F64, f: (_t, y) => [y[0]! * y[0]!], jacobian: (_t, y) => [[2 * y[0]!]], t0: 0, y0: [1], tEnd: 2 });
  const b1 = solve(blowUp, 'DP5', { rtol: 1e-8 });
  assert.ok(['step_too_small', 'max_steps'].includes(b1.status), b1.status);
  assert.ok(b1.t > 0.99 && b1.t < 1.001, `stopped at t = ${b1.t}`);
  // f undefined (NaN) beyond t = 0: every Newton iteration fails.
  const broken = odeProblem({ F: F64, f: (t, y) => [t > 0 ? NaN : -y[0]!], jacobian: () => [[-1]], t0: 0, y0: [1], tEnd: 1 });
  const b2 = solve(broken, 'RadauIIA5', { rtol: 1e-8 });
  assert.is(b2.status, 'newton_failure');
  assert.is(b2.t, 0);
  // f undefined beyond t = 0.5: the solver creeps up to 0.5 and reports it cannot pass.
  const wall = odeProblem({ F: F64, f: (t, y) => [t > 0.5 ? NaN : -y[0]!], jacobian: () => [[-1]], t0: 0, y0: [1], tEnd: 1 });
  const b3 = solve(wall, 'RadauIIA5', { rtol: 1e-8 });
  assert.ok(['step_too_small', 'newton_failure'].includes(b3.status), b3.status);
  assert.ok(b3.t <= 0.5 && b3.t > 0.49);
});

test('backward integration and hmax', () => {
  const F = F64;
  const p = odeProblem({ F, f: (_t, y) => [y[0]!], t0: 1, y0: [Math.E], tEnd: 0 });
  for (const alg of ['DP5', 'RadauIIA5', 'GBS'] as const) {
    const sol = solve({ ...p, jacobian: () => [[1]] }, alg, { rtol: 1e-10, atol: 1e-10 });
    assert.is(sol.status, 'success');
    assert.is(sol.t, 0);
    assert.ok(Math.abs(sol.y[0]! - 1) < 1e-8, `${alg}: ${sol.y[0]}`);
  }
  const capped = solve(exponential(F).problem, 'DP5', { hmax: 0.01, rtol: 1e-3 });
  assert.ok(capped.stats.accepted >= 100);
});

test('events with float64 GBS use accurate re-integration dense output', () => {
  const ep = harmonic(F64, 4);
  const sol = solve(ep.problem, 'GBS', { rtol: 1e-13, atol: 1e-13, events: [{ g: (t, y) => y[0]! - sinF(F64, 1), direction: -1 }] });
  assert.is(sol.events.length, 1);
  assert.ok(Math.abs(sol.events[0]!.t - (Math.PI - 1)) < 1e-12, `${sol.events[0]!.t}`);
});

test.run();
