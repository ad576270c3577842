/**
 * The Newton systems of Radau IIA (src/ode/newtonSystems.ts): float64 factors for a Decimal field are used only
 * where the guard allows, solve to float64 accuracy, and — because the residuals stay in the field — Newton with
 * them converges to the same collocation solution as with factors in the field, to the working precision.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decimalField, type Dec } from '../../src/numeric/decimal.js';
import { FLOAT64_STIFFNESS_LIMIT, factorNewtonSystems } from '../../src/ode/newtonSystems.js';
import { makeRadauIIAStepper, radauIIACoefficients, solve, type StepperFactory } from '../../src/ode/index.js';
import { log10Error, protheroRobinson, vanDerPol } from './problems.js';

const D = decimalField(50);
const K5 = radauIIACoefficients(D, 3);

const matrix = (rows: number[][]): Dec[][] => rows.map((r) => r.map((x) => D.of(x)));

test('guard: float64 factors for a moderate J; the field for ‖hJ‖/γ above the limit or entries beyond float64', () => {
  const J = matrix([[-3, 1], [0.5, -2]]);
  const h = D.of('0.01');
  assert.is(factorNewtonSystems(D, J, K5.gamma, K5.alpha, K5.beta, h, true).precision, 'float64');
  assert.is(factorNewtonSystems(D, J, K5.gamma, K5.alpha, K5.beta, h, false).precision, 'field');
  // ‖hJ‖∞/γ just above the limit
  const big = (D.toNumber(K5.gamma) * FLOAT64_STIFFNESS_LIMIT * 2) / 0.01;
  assert.is(factorNewtonSystems(D, matrix([[-big, 0], [0, -1]]), K5.gamma, K5.alpha, K5.beta, h, true).precision, 'field');
  const huge = [[D.of('-1e400'), D.zero], [D.zero, D.of(-1)]];
  assert.is(factorNewtonSystems(D, huge, K5.gamma, K5.alpha, K5.beta, D.of('1e-420'), true).precision, 'field');
});

test('float64 solves agree with the field solves to float64 accuracy (random J, h)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: 4, maxLength: 4 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      fc.double({ min: 1e-4, max: 1, noNaN: true }),
      (rows, rhs, hNum) => {
        const J = matrix(rows);
        const h = D.of(hNum);
        const b = rhs.map((x) => D.of(x));
        const exact = factorNewtonSystems(D, J, K5.gamma, K5.alpha, K5.beta, h, false);
        const mixed = factorNewtonSystems(D, J, K5.gamma, K5.alpha, K5.beta, h, true);
        if (exact.singular || mixed.precision !== 'float64') return true;
        const xe = exact.solveReal(b)!;
        const xm = mixed.solveReal(b)!;
        const ce = exact.solveComplex(0, b, b)!;
        const cm = mixed.solveComplex(0, b, b)!;
        const scale = Math.max(...xe.map((x) => Math.abs(D.toNumber(x))), ...ce[0].map((x) => Math.abs(D.toNumber(x))), 1e-300);
        const worst = Math.max(
          ...xe.map((x, j) => Math.abs(D.toNumber(D.sub(x, xm[j]!)))),
          ...ce[0].map((x, j) => Math.abs(D.toNumber(D.sub(x, cm[0][j]!)))),
          ...ce[1].map((x, j) => Math.abs(D.toNumber(D.sub(x, cm[1][j]!)))),
        );
        // backward stable float64 LU: error ≲ u₆₄·cond; the shifted matrices here have cond ≲ 1e6
        return worst <= 1e-9 * scale;
      },
    ),
    { numRuns: 60, seed: 3 },
  );
});

/** Radau IIA5 at fixed steps, Newton iterated to 1e-30 of the tolerance, with the factors in float64 or not. */
function collocation(float64NewtonSystems: boolean, problem: ReturnType<typeof vanDerPol<Dec>>, h: string) {
  const factory: StepperFactory = (ctx) => makeRadauIIAStepper(ctx, 3, { float64NewtonSystems, newtonTolerance: 1e-30 });
  return solve(problem, factory, { fixedStep: h, rtol: '1e-20', atol: '1e-20' });
}

test('mixed precision: Newton reaches the same collocation solution as field factors (stiff van der Pol, Prothero–Robinson)', () => {
  // van der Pol μ = 1e3, h = 0.01: ‖hJ‖/γ ≈ 11 (float64 factors)
  const vdp = vanDerPol(D, '1e3', '0.5');
  const a = collocation(true, vdp, '0.01');
  const b = collocation(false, vdp, '0.01');
  assert.is(a.status, 'success');
  assert.is(b.status, 'success');
  const diff = log10Error(D, a.y, b.y, 1);
  assert.ok(diff < -44, `van der Pol: float64 and field factors differ by 1e${diff.toFixed(1)}`);
  // h = 1e-3: ‖hJ‖/γ = 1e3/3.64, inside FLOAT64_STIFFNESS_LIMIT, so the float64 factors are the ones used
  const pr = protheroRobinson(D, '1e6', '0.2');
  const c = collocation(true, pr.problem, '0.001');
  const d = collocation(false, pr.problem, '0.001');
  const diffPr = log10Error(D, c.y, d.y, 1);
  assert.ok(diffPr < -44, `Prothero–Robinson: 1e${diffPr.toFixed(1)}`);
  // and the solution itself is accurate (the step's own error, not roundoff, limits it)
  assert.ok(log10Error(D, c.y, pr.exact(pr.problem.tEnd), 1) < -8);
});

test.run();
