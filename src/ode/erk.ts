/**
 * The explicit embedded Runge–Kutta engine. One loop for every explicit pair: an integrator is a tableau
 * (tableaus/*.ts) plus a name in algorithms.ts (OrdinaryDiffEq.jl style).
 *
 * Per step: stages k_i = f(t + c_i h, y + h Σ_j a_ij k_j); y_new = y + h Σ b_i k_i; error estimate
 * h Σ e_i k_i measured in the scaled RMS norm (control.ts); PI step control; FSAL reuse of the last stage;
 * dense output from the tableau's continuous extension, or cubic Hermite when it has none.
 */
import { countedDerivative } from './derivative.js';
import type { Field } from '../numeric/Field.js';
import { dop853ErrorNorm, PIController, scaledRmsNorm } from './control.js';
import { rkInterpolant } from './interpolation.js';
import { type ExplicitTableau, type ExplicitTableauData, tableauInField } from './tableaus/ExplicitTableau.js';
import type { Interpolant, Stepper, StepperContext, StepOutcome } from './types.js';

/** y + h Σ_j w_j k_j, skipping zero weights. */
function axpyCombination<S>(F: Field<S>, y: readonly S[], h: S, w: readonly S[], k: readonly (readonly S[])[]): S[] {
  const hw = w.map((x) => (F.isZero(x) ? undefined : F.mul(h, x)));
  return y.map((yi, j) => {
    let s = yi;
    for (let i = 0; i < hw.length; i++) {
      const c = hw[i];
      if (c !== undefined) s = F.add(s, F.mul(c, k[i]![j]!));
    }
    return s;
  });
}

function allFinite<S>(F: Field<S>, v: readonly S[]): boolean {
  for (const x of v) if (!F.isFinite(x)) return false;
  return true;
}

export function makeExplicitRkStepper<S>(data: ExplicitTableauData, ctx: StepperContext<S>): Stepper<S> {
  const { problem, tol, stats } = ctx;
  const F = problem.F;
  const T: ExplicitTableau<S> = tableauInField(F, data);
  const controller = new PIController(data.embeddedOrder + 1);
  const rhs = countedDerivative(problem, stats);
  const evalF = rhs.evalF;
  const derivativeAt = rhs.at;
  let lastRejected = false;

  /** One step of the tableau without error control (dense output by re-integration). */
  const stageSolution = (t: S, y: readonly S[], k0: readonly S[], h: S): S[] => {
    const s = T.stages;
    const k: S[][] = new Array(s);
    k[0] = k0.slice();
    for (let i = 1; i < s; i++) {
      const yi = axpyCombination(F, y, h, T.a[i]!, k);
      if (data.fsal && i === s - 1) return yi;
      k[i] = evalF(F.add(t, F.mul(T.c[i]!, h)), yi);
    }
    return axpyCombination(F, y, h, T.b, k);
  };

  return {
    name: data.name,
    order: data.order,
    derivativeAt,
    step(t: S, y: readonly S[], h: S, fixed: boolean): StepOutcome<S> {
      const s = T.stages;
      const k: S[][] = new Array(s);
      k[0] = derivativeAt(t, y);
      let yNew: S[] | undefined;
      for (let i = 1; i < s; i++) {
        const yi = axpyCombination(F, y, h, T.a[i]!, k);
        if (data.fsal && i === s - 1) yNew = yi;
        k[i] = evalF(F.add(t, F.mul(T.c[i]!, h)), yi);
      }
      if (!yNew) yNew = axpyCombination(F, y, h, T.b, k);
      const tNew = F.add(t, h);
      if (!allFinite(F, yNew)) {
        if (fixed) return { kind: 'failure', status: 'nonfinite', message: `non-finite state at t=${F.toPrecision(tNew, 8)}` };
        lastRejected = true;
        return { kind: 'rejected', hNext: F.scale(h, 0.2) };
      }
      let err = 0;
      if (!fixed) {
        const zero = y.map(() => F.zero);
        const errVec = axpyCombination(F, zero, h, T.e, k);
        err = data.errorModel === 'dop853' && T.e3
          ? dop853ErrorNorm(F, errVec, axpyCombination(F, zero, h, T.e3, k), y, yNew, tol)
          : scaledRmsNorm(F, errVec, y, yNew, tol);
        if (!(err <= 1)) {
          lastRejected = true;
          return { kind: 'rejected', hNext: F.mul(h, F.of(controller.reject(err))) };
        }
      }
      const fac = fixed ? 1 : controller.accept(err, lastRejected);
      lastRejected = false;
      const fNew = data.fsal ? k[s - 1]! : undefined;
      rhs.remember(tNew, yNew, fNew);
      const yStart = y;
      const interpolant: Interpolant<S> = T.bTheta
        ? rkInterpolant(F, t, h, yStart, k, T.bTheta)
        : reintegrationInterpolant(F, t, yStart, tNew, yNew, (t1) => stageSolution(t, yStart, k[0]!, F.sub(t1, t)));
      return { kind: 'accepted', tNew, yNew, hNext: F.mul(h, F.of(fac)), interpolant };
    },
  };
}

/**
 * Dense output for tableaus without a continuous extension: y(t) is one step of the same method from the
 * step's start over [t0, t] (k1 reused), so it has the method's full order; s − 1 evaluations per call.
 */
function reintegrationInterpolant<S>(F: Field<S>, t0: S, y0: readonly S[], t1: S, y1: readonly S[], stepTo: (t: S) => S[]): Interpolant<S> {
  return {
    at(t: S): S[] {
      if (F.cmp(t, t0) === 0) return y0.slice();
      if (F.cmp(t, t1) === 0) return y1.slice();
      return stepTo(t);
    },
  };
}
