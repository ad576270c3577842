/**
 * OdeProblem.stateResolution (SPEC §8): with it, Radau IIA's Newton iterates until every stage is resolved to a
 * fraction of the declared per-component resolution, however loose the tolerance. Checked through the
 * collocation residual of the accepted steps, R_i = Y_i − y0 − h Σ_j a_ij f(t0 + c_j h, Y_j), which is what an
 * unconverged Newton leaves behind; without the resolution the same runs leave residuals far above it (so the
 * check can fail).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import type { Field } from '../../src/numeric/Field.js';
import { radauIIACoefficients, solve, type OdeProblem } from '../../src/ode/index.js';
import { vanDerPol } from './problems.js';

/** Largest |R_ij| / res over the accepted steps' stages, and the number of accepted steps. */
function worstResidual<S>(F: Field<S>, problem: OdeProblem<S>, rtol: string, res: number): { worst: number; steps: number; iters: number } {
  const K = radauIIACoefficients(F, 3);
  let worst = 0;
  let steps = 0;
  const sol = solve(problem, 'RadauIIA5', {
    rtol, atol: rtol,
    onStep: (info) => {
      const st = info.stages;
      if (!st) return;
      steps++;
      const h = F.sub(info.t, info.tPrev);
      const fs = st.y.map((Y, j) => problem.f(F.add(info.tPrev, F.mul(st.c[j]!, h)), Y));
      st.y.forEach((Y, i) => {
        Y.forEach((v, k) => {
          let quad = F.zero;
          fs.forEach((fj, j) => { quad = F.add(quad, F.mul(K.A[i]![j]!, fj[k]!)); });
          const r = F.sub(F.sub(v, info.yPrev[k]!), F.mul(h, quad));
          worst = Math.max(worst, Math.abs(F.toNumber(r)) / res);
        });
      });
    },
  });
  assert.is(sol.status, 'success');
  return { worst, steps, iters: sol.stats.newtonIters };
}

const cases: [Field<unknown>, number][] = [[float64Field, 1e-12], [decimalField(40), 1e-30]];

test('stateResolution: every accepted stage within 0.1 × the resolution; without it, far outside', () => {
  for (const [F, res] of cases) {
    const base = vanDerPol(F, 1, 2);
    const loose = worstResidual(F, base, '1e-4', res);
    const resolved = worstResidual(F, { ...base, stateResolution: (y) => y.map(() => res) }, '1e-4', res);
    const tag = `${F.kind}(${Math.round(F.digits)})`;
    assert.ok(loose.worst > 10, `${tag}: without the resolution the residual is only ${loose.worst.toExponential(2)} × res (test would not discriminate)`);
    assert.ok(resolved.worst <= 0.1, `${tag}: residual ${resolved.worst.toExponential(2)} × res`);
    // the resolution is reached by more Newton iterations
    assert.ok(resolved.iters > loose.iters, `${tag}: Newton iterations ${resolved.iters} vs ${loose.iters}`);
    if (process.env.ATTNBIAS_VERBOSE) console.log(tag, { loose, resolved });
  }
});

/**
 * Roundoff stagnation (radauIIA.ts ROUNDOFF_STAGNATION_THETA): y₁' = −50 y₁ (resolved to 1e-6), y₂' = −y₂ + η·ν(y)
 * with ν a deterministic noise of size 1 that changes with the last bits of y (sin(1e15·(y₁ + y₂))) and y₂ left
 * unresolved (resolution ∞): with η = 1e-6 ≫ rtol 1e-10 Newton's increments in y₂ stay the size of the noise while
 * y₁ converges, and the steps are counted; with η = 0 none is.
 */
test('Newton stagnation at the noise floor is counted (stats.newtonStagnations); none on the clean problem', () => {
  const F = float64Field;
  const count = (eta: number) => {
    const problem: OdeProblem<number> = {
      F, t0: 0, tEnd: 1, y0: [1, 1],
      f: (_t, y) => [-50 * y[0]!, -y[1]! + eta * Math.sin(1e15 * (y[0]! + y[1]!))],
      jacobian: () => [[-50, 0], [0, -1]],
      stateResolution: () => [1e-6, Infinity],
    };
    const sol = solve(problem, 'RadauIIA5', { rtol: 1e-10, atol: 1e-10, maxSteps: 2000 });
    return sol.stats;
  };
  const clean = count(0);
  const noisy = count(1e-6);
  assert.is(clean.newtonStagnations, 0);
  assert.ok(noisy.newtonStagnations >= 5, `${noisy.newtonStagnations} stagnations in ${noisy.steps} steps`);
  if (process.env.ATTNBIAS_VERBOSE) console.log({ clean, noisy });
});

test.run();
