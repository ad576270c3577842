/**
 * Stiff tests for RadauIIA5 (SPEC §8 "Stiffness"): the number of steps must not grow with the stiffness λ,
 * the stiff component must be damped (L-stability), and both backends must agree on classic stiff problems.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decimalField, type Dec } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import type { Field } from '../../src/numeric/Field.js';
import { makeRadauIIAStepper, odeProblem, radauIIA5Coefficients, radauIIACoefficients, solve, type AlgorithmName, type StepperFactory } from '../../src/ode/index.js';
import { cosF, log10Error, protheroRobinson, robertson, sinF, vanDerPol } from './problems.js';

const F64 = float64Field;
const D40 = decimalField(40);

function stepsFor<S>(F: Field<S>, lambda: string, rtol: string, alg: AlgorithmName = 'RadauIIA5'): { steps: number; err: number; status: string } {
  const ep = protheroRobinson(F, lambda, 10);
  const sol = solve(ep.problem, alg, { rtol, atol: rtol });
  return { steps: sol.stats.steps, err: log10Error(F, sol.y, ep.exact(ep.problem.tEnd), 1), status: sol.status };
}

test('Radau coefficients: T⁻¹A⁻¹T = diag(γ, [[α, −β], [β, α]]) at working precision', () => {
  for (const F of [F64, D40, decimalField(80)] as Field<unknown>[]) {
    const K = radauIIA5Coefficients(F);
    // A T = T Λ⁻¹ is equivalent; check A⁻¹T = TΛ via A(TΛ) = T.
    const L = [[K.gamma, F.zero, F.zero], [F.zero, K.alpha, F.neg(K.beta)], [F.zero, K.beta, K.alpha]];
    const TL = K.T.map((row) => [0, 1, 2].map((j) => row.reduce((s, x, k) => F.add(s, F.mul(x, L[k]![j]!)), F.zero)));
    const ATL = K.A.map((row) => [0, 1, 2].map((j) => row.reduce((s, x, k) => F.add(s, F.mul(x, TL[k]![j]!)), F.zero)));
    let worst = -Infinity;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const d = F.abs(F.sub(ATL[i]![j]!, K.T[i]![j]!));
      if (!F.isZero(d)) worst = Math.max(worst, F.toNumber(F.log10(d)));
    }
    assert.ok(worst < F.log10UnitRoundoff + 3, `${F.kind}(${Math.round(F.digits)}): residual 1e${worst.toFixed(1)}`);
    // b = last row of A; c_i = Σ_j a_ij.
    for (let i = 0; i < 3; i++) {
      const rowSum = K.A[i]!.reduce((s, x) => F.add(s, x), F.zero);
      assert.ok(F.toNumber(F.abs(F.sub(rowSum, K.c[i]!))) < 10 * Math.pow(10, F.log10UnitRoundoff));
    }
  }
});

test('generic Radau IIA coefficients: s = 3 equals the closed forms; s = 5, 7 block-diagonalize A⁻¹', () => {
  for (const F of [F64, D40] as Field<unknown>[]) {
    const closed = radauIIA5Coefficients(F);
    const gen = radauIIACoefficients(F, 3);
    const close = (a: unknown, b: unknown) => F.toNumber(F.abs(F.sub(a, b))) <= 100 * Math.pow(10, F.log10UnitRoundoff) * Math.max(1, Math.abs(F.toNumber(a)));
    assert.ok(close(closed.gamma, gen.gamma) && close(closed.alpha, gen.alpha[0]) && close(closed.beta, gen.beta[0]));
    for (let i = 0; i < 3; i++) {
      assert.ok(close(closed.c[i], gen.c[i]) && close(closed.dd[i], gen.dd[i]), `c/dd ${i}`);
      for (let j = 0; j < 3; j++) assert.ok(close(closed.A[i]![j], gen.A[i]![j]), `A ${i}${j}`);
    }
  }
  for (const s of [5, 7]) {
    const F = D40 as Field<unknown>;
    const K = radauIIACoefficients(F, s);
    // A·T·Λ = T with Λ = diag(γ, [[α, −β], [β, α]], …)
    const L = Array.from({ length: s }, () => Array.from({ length: s }, () => F.zero));
    L[0]![0] = K.gamma;
    K.alpha.forEach((a, k) => {
      const p = 1 + 2 * k, q = 2 + 2 * k;
      L[p]![p] = a; L[q]![q] = a; L[p]![q] = F.neg(K.beta[k]); L[q]![p] = K.beta[k];
    });
    const mm = (X: unknown[][], Y: unknown[][]) => X.map((row) => Y[0]!.map((_, j) => row.reduce((acc: unknown, x, l) => F.add(acc, F.mul(x, Y[l]![j])), F.zero)));
    const R = mm(mm(K.A, K.T), L);
    let worst = 0;
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) worst = Math.max(worst, Math.abs(F.toNumber(F.sub(R[i]![j], K.T[i]![j]))));
    assert.ok(worst < 1e-35, `s=${s}: residual ${worst}`);
    // b = last row of A has Σb = 1; c = row sums.
    for (let i = 0; i < s; i++) assert.ok(Math.abs(F.toNumber(F.sub(K.A[i]!.reduce((a: unknown, x) => F.add(a, x), F.zero), K.c[i]))) < 1e-37);
  }
});

test('Prothero–Robinson float64: steps do not grow with λ = 1e4 … 1e12', () => {
  const runs = ['1e4', '1e8', '1e12'].map((l) => ({ l, ...stepsFor(F64, l, '1e-8') }));
  for (const r of runs) {
    assert.is(r.status, 'success');
    assert.ok(r.err < -6, `λ=${r.l}: error 1e${r.err.toFixed(1)}`);
  }
  const base = runs[0]!.steps;
  for (const r of runs) assert.ok(r.steps <= base + 2, `λ=${r.l}: ${r.steps} steps vs ${base} at λ=1e4`);
  console.log(`  PR float64 steps: ${runs.map((r) => `λ=${r.l}:${r.steps}`).join(' ')}`);
});

test('Prothero–Robinson Decimal(40): steps do not grow with λ = 1e12 … 1e30', () => {
  const runs = ['1e12', '1e20', '1e30'].map((l) => ({ l, ...stepsFor(D40, l, '1e-12') }));
  for (const r of runs) {
    assert.is(r.status, 'success');
    assert.ok(r.err < -10, `λ=${r.l}: error 1e${r.err.toFixed(1)}`);
  }
  const base = runs[0]!.steps;
  for (const r of runs) assert.ok(r.steps <= base + 2, `λ=${r.l}: ${r.steps} steps vs ${base}`);
  console.log(`  PR Decimal(40) steps: ${runs.map((r) => `λ=${r.l}:${r.steps}`).join(' ')}`);
});

test('Prothero–Robinson Decimal(40), RadauIIA9 / RadauIIA13 with strict tolerances 1e-20: steps do not grow with λ', () => {
  // Strict mode (no radau5.f tolerance transformation): on stiff problems the transformed tolerance would be
  // what is achieved (radauIIA.ts, RadauOptions).
  for (const stages of [5, 7]) {
    const alg: StepperFactory = (ctx) => makeRadauIIAStepper(ctx, stages, { hairerTolerances: false });
    const runs = ['1e12', '1e30'].map((l) => {
      const ep = protheroRobinson(D40, l, 10);
      const sol = solve(ep.problem, alg, { rtol: '1e-20', atol: '1e-20' });
      return { l, steps: sol.stats.steps, status: sol.status, err: log10Error(D40, sol.y, ep.exact(ep.problem.tEnd), 1) };
    });
    for (const r of runs) {
      assert.is(r.status, 'success');
      assert.ok(r.err < -19, `s=${stages} λ=${r.l}: error 1e${r.err.toFixed(1)}`);
    }
    assert.ok(runs[1]!.steps <= runs[0]!.steps + 2, `s=${stages}: ${runs.map((r) => r.steps).join(' vs ')}`);
    console.log(`  PR Decimal(40) strict 1e-20 Radau s=${stages} steps: ${runs.map((r) => `λ=${r.l}:${r.steps}`).join(' ')}`);
  }
});

test('growing stiffness (SPEC §8 regime): λ(t) = e^t, steps per unit time do not grow from λ ~ 1e9 to 1e26 (Decimal 40)', () => {
  // Simplified Newton uses J frozen at the step start, and J(t + ch) = e^{ch} J(t): the contraction is
  // θ ≈ e^{ch} − 1, so the step is Newton-limited to h ≈ 0.1 per e-fold of λ — but not by λ itself.
  const F = D40;
  const lam = (t: Dec): Dec => F.exp(t);
  const run = (t0: number, t1: number) => {
    const p = odeProblem({
      F,
      f: (t, y) => [F.add(F.neg(F.mul(lam(t), F.sub(y[0]!, sinF(F, t)))), cosF(F, t))],
      jacobian: (t) => [[F.neg(lam(t))]],
      t0,
      y0: [sinF(F, F.of(t0))],
      tEnd: t1,
    });
    const sol = solve(p, 'RadauIIA5', { rtol: '1e-8', atol: '1e-8' });
    assert.is(sol.status, 'success');
    const e = log10Error(F, sol.y, [sinF(F, F.of(t1))], 1);
    assert.ok(e < -7, `error 1e${e.toFixed(1)}`);
    return sol.stats;
  };
  const early = run(20, 30);
  const late = run(50, 60);
  assert.ok(late.steps <= 1.3 * early.steps + 5, `steps λ∈[e^50,e^60]: ${late.steps} vs λ∈[e^20,e^30]: ${early.steps}`);
  console.log(`  λ(t)=e^t: ${early.steps} steps (${early.rejected} rej) on [20,30], ${late.steps} (${late.rejected} rej) on [50,60]`);
});

test('L-stability: one step of size 1 on y\' = −λy damps the stiff mode to ~1/λ', () => {
  for (const F of [F64, D40] as Field<unknown>[]) {
    for (const lam of ['1e6', '1e10', '1e20']) {
      if (F.kind === 'float64' && lam === '1e20') continue;
      const L = F.of(lam);
      const p = odeProblem({ F, f: (_t, y) => [F.neg(F.mul(L, y[0]!))], jacobian: () => [[F.neg(L)]], t0: 0, y0: [1], tEnd: 1 });
      for (const alg of ['RadauIIA5', 'RadauIIA9', 'RadauIIA13'] as const) {
        const sol = solve(p, alg, { fixedStep: 1, rtol: '1e-10', atol: '1e-10' });
        // R(z) = O(1/z) as z → −∞ (stiffly accurate, L-stable): |y1| ≲ 10/λ.
        const y1 = Math.abs(F.toNumber(sol.y[0]!));
        assert.ok(y1 < 10 / Number(lam), `${alg} ${F.kind} λ=${lam}: |y(1)| = ${y1}`);
      }
    }
  }
});

/** y' = M y with eigenvalues λ_stiff and −1, mixed by a rotation; y0 = (1, 1) has a stiff transient. */
function rotatedStiffSystem<S>(F: Field<S>, lamStiff: string) {
  const L = F.of(lamStiff);
  const c = F.of(Math.cos(0.3));
  const s = F.of(Math.sin(0.3));
  const m1 = F.neg(F.one);
  // M = V diag(L, −1) Vᵀ, V = [[c, −s], [s, c]]
  const M = [
    [F.add(F.mul(F.mul(c, c), L), F.mul(F.mul(s, s), m1)), F.sub(F.mul(F.mul(c, s), L), F.mul(F.mul(s, c), m1))],
    [F.sub(F.mul(F.mul(s, c), L), F.mul(F.mul(c, s), m1)), F.add(F.mul(F.mul(s, s), L), F.mul(F.mul(c, c), m1))],
  ];
  const problem = odeProblem({
    F,
    f: (_t, y) => [F.add(F.mul(M[0]![0]!, y[0]!), F.mul(M[0]![1]!, y[1]!)), F.add(F.mul(M[1]![0]!, y[0]!), F.mul(M[1]![1]!, y[1]!))],
    jacobian: () => M,
    t0: 0,
    y0: [1, 1],
    tEnd: 2,
  });
  // Slow coordinate w2 = −s y1 + c y2 decays like e^{−t}; the stiff one is gone by t = 2.
  const w2 = F.mul(F.sub(c, s), F.exp(F.of(-2)));
  const exact = [F.mul(F.neg(s), w2), F.mul(c, w2)];
  return { problem, exact };
}

test('stiff + non-stiff modes (2×2, complex LU path): stiff mode damped, slow mode accurate, steps independent of λ', () => {
  // float64 loses log10|λ| digits in f = My itself, so its λ stays where that noise is below the tolerance.
  const cases: [Field<unknown>, string][] = [[F64, '-1e6'], [D40, '-1e6'], [D40, '-1e20']];
  const steps: number[] = [];
  for (const [F, lam] of cases) {
    const { problem, exact } = rotatedStiffSystem(F, lam);
    const sol = solve(problem, 'RadauIIA5', { rtol: '1e-9', atol: '1e-12' });
    assert.is(sol.status, 'success');
    const e = log10Error(F, sol.y, exact, 1);
    assert.ok(e < -8, `${F.kind} λ=${lam}: error 1e${e.toFixed(1)}`);
    steps.push(sol.stats.steps);
  }
  assert.ok(steps[2]! <= 1.3 * steps[1]! + 5, `steps ${steps.join(', ')}`);
  console.log(`  rotated stiff 2×2 steps: float64 λ=-1e6:${steps[0]} Decimal(40) λ=-1e6:${steps[1]} λ=-1e20:${steps[2]}`);
});

test('Van der Pol μ = 1e6: float64 and Decimal(30) agree; analytic and finite-difference Jacobians agree', () => {
  const ref = solve(vanDerPol(F64, 1e6, 2), 'RadauIIA5', { rtol: 1e-10, atol: 1e-10 });
  assert.is(ref.status, 'success');
  const fd = solve({ ...vanDerPol(F64, 1e6, 2), jacobian: undefined } as ReturnType<typeof vanDerPol<number>>, 'RadauIIA5', { rtol: 1e-10, atol: 1e-10 });
  assert.is(fd.status, 'success');
  assert.ok(log10Error(F64, fd.y, ref.y, 1) < -6, `FD Jacobian: ${log10Error(F64, fd.y, ref.y, 1)}`);
  const D30 = decimalField(30);
  const dec = solve(vanDerPol(D30, 1e6, '0.5'), 'RadauIIA5', { rtol: '1e-8', atol: '1e-8' });
  const f64 = solve(vanDerPol(F64, 1e6, 0.5), 'RadauIIA5', { rtol: 1e-12, atol: 1e-12 });
  assert.is(dec.status, 'success');
  assert.ok(log10Error(F64, dec.y.map((v) => D30.toNumber(v)), f64.y, 1) < -6);
  console.log(`  VdP μ=1e6 [0,2] float64 rtol 1e-10: ${ref.stats.steps} steps, ${ref.seconds.toFixed(3)} s; Decimal(30) [0,0.5] rtol 1e-8: ${dec.stats.steps} steps, ${dec.seconds.toFixed(2)} s`);
});

test('Robertson (3 components) to t = 40 matches the reference values (HW II §IV.10)', () => {
  const sol = solve(robertson(F64, 40), 'RadauIIA5', { rtol: 1e-10, atol: 1e-14 });
  assert.is(sol.status, 'success');
  const want = [0.7158270687193715, 9.185534764557338e-6, 0.2841637457458640];
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(sol.y[i]! - want[i]!) <= 1e-8 * Math.max(1e-4, want[i]!), `y${i + 1}: ${sol.y[i]} vs ${want[i]}`);
  }
  assert.ok(Math.abs(sol.y[0]! + sol.y[1]! + sol.y[2]! - 1) < 1e-13);
});

test.run();
