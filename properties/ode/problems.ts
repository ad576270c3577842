/**
 * Test problems with closed-form solutions, generic over the Field, for the ODE property suites.
 */
import type { Decimal } from 'decimal.js';
import type { Field } from '../../src/numeric/Field.js';
import { odeProblem, type OdeProblem } from '../../src/ode/index.js';

export function sinF<S>(F: Field<S>, x: S): S {
  return F.kind === 'float64' ? (Math.sin(x as number) as S) : ((x as unknown as Decimal).sin() as unknown as S);
}
export function cosF<S>(F: Field<S>, x: S): S {
  return F.kind === 'float64' ? (Math.cos(x as number) as S) : ((x as unknown as Decimal).cos() as unknown as S);
}

export interface ExactProblem<S> {
  name: string;
  problem: OdeProblem<S>;
  exact(t: S): S[];
}

/** y' = λy, y(0) = 1. */
export function exponential<S>(F: Field<S>, lambda: number | string = 1, tEnd: number | string = 1): ExactProblem<S> {
  const L = F.of(lambda);
  return {
    name: `exp(${lambda})`,
    problem: odeProblem({ F, f: (_t, y) => [F.mul(L, y[0]!)], jacobian: () => [[L]], t0: 0, y0: [1], tEnd }),
    exact: (t) => [F.exp(F.mul(L, t))],
  };
}

/** y'' = −y as a system, y(0) = (0, 1): y = (sin t, cos t). */
export function harmonic<S>(F: Field<S>, tEnd: number | string = 10): ExactProblem<S> {
  return {
    name: 'harmonic',
    problem: odeProblem({
      F,
      f: (_t, y) => [y[1]!, F.neg(y[0]!)],
      jacobian: () => [[F.zero, F.one], [F.neg(F.one), F.zero]],
      t0: 0,
      y0: [0, 1],
      tEnd,
    }),
    exact: (t) => [sinF(F, t), cosF(F, t)],
  };
}

/** Logistic y' = y(1 − y), y(0) = 1/10: y = 1/(1 + 9e^{−t}). */
export function logistic<S>(F: Field<S>, tEnd: number | string = 10): ExactProblem<S> {
  return {
    name: 'logistic',
    problem: odeProblem({
      F,
      f: (_t, y) => [F.mul(y[0]!, F.sub(F.one, y[0]!))],
      jacobian: (_t, y) => [[F.sub(F.one, F.scale(y[0]!, 2))]],
      t0: 0,
      y0: ['1/10'],
      tEnd,
    }),
    exact: (t) => [F.div(F.one, F.add(F.one, F.scale(F.exp(F.neg(t)), 9)))],
  };
}

/** Prothero–Robinson y' = −λ(y − sin t) + cos t, y(0) = 0: y = sin t (stiff for large λ). */
export function protheroRobinson<S>(F: Field<S>, lambda: number | string, tEnd: number | string = 10): ExactProblem<S> {
  const L = F.of(lambda);
  return {
    name: `PR(${lambda})`,
    problem: odeProblem({
      F,
      f: (t, y) => [F.add(F.neg(F.mul(L, F.sub(y[0]!, sinF(F, t)))), cosF(F, t))],
      jacobian: () => [[F.neg(L)]],
      t0: 0,
      y0: [0],
      tEnd,
    }),
    exact: (t) => [sinF(F, t)],
  };
}

/** Van der Pol in Hairer's scaling: y1' = y2, y2' = μ((1 − y1²) y2 − y1), y(0) = (2, 0). */
export function vanDerPol<S>(F: Field<S>, mu: number | string, tEnd: number | string = 2): OdeProblem<S> {
  const M = F.of(mu);
  return odeProblem({
    F,
    f: (_t, y) => [y[1]!, F.mul(M, F.sub(F.mul(F.sub(F.one, F.mul(y[0]!, y[0]!)), y[1]!), y[0]!))],
    jacobian: (_t, y) => [
      [F.zero, F.one],
      [F.mul(M, F.sub(F.neg(F.scale(F.mul(y[0]!, y[1]!), 2)), F.one)), F.mul(M, F.sub(F.one, F.mul(y[0]!, y[0]!)))],
    ],
    t0: 0,
    y0: [2, 0],
    tEnd,
  });
}

/** Robertson's chemical kinetics (HW II §IV.1), a classic stiff 3-component problem. */
export function robertson<S>(F: Field<S>, tEnd: number | string = 40): OdeProblem<S> {
  const k1 = F.of('0.04');
  const k2 = F.of('3e7');
  const k3 = F.of('1e4');
  return odeProblem({
    F,
    f: (_t, y) => {
      const a = F.mul(k1, y[0]!);
      const b = F.mul(k3, F.mul(y[1]!, y[2]!));
      const c = F.mul(k2, F.mul(y[1]!, y[1]!));
      return [F.add(F.neg(a), b), F.sub(F.sub(a, b), c), c];
    },
    jacobian: (_t, y) => [
      [F.neg(k1), F.mul(k3, y[2]!), F.mul(k3, y[1]!)],
      [k1, F.sub(F.neg(F.mul(k3, y[2]!)), F.scale(F.mul(k2, y[1]!), 2)), F.neg(F.mul(k3, y[1]!))],
      [F.zero, F.scale(F.mul(k2, y[1]!), 2), F.zero],
    ],
    t0: 0,
    y0: [1, 0, 0],
    tEnd,
  });
}

/** Max relative error (relative to max(|exact|, floor)) as log10; −Infinity when exact. */
export function log10Error<S>(F: Field<S>, got: readonly S[], want: readonly S[], floor = 1e-300): number {
  let worst = -Infinity;
  for (let i = 0; i < want.length; i++) {
    const d = F.abs(F.sub(got[i]!, want[i]!));
    if (F.isZero(d)) continue;
    const den = F.max(F.abs(want[i]!), F.of(floor));
    worst = Math.max(worst, F.toNumber(F.log10(F.div(d, den))));
  }
  return worst;
}

/** Least-squares slope of ys against xs. */
export function fittedSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return num / den;
}
