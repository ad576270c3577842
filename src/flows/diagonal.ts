/**
 * The `diag` (k, q) and `uv` (u, b) flows of SPEC.md §4 in the same normalized time as the mirror flow:
 *   diag: dk/dτ = −ĝ⊙q, dq/dτ = −ĝ⊙k;   uv: du/dτ = −ĝ⊙u, db/dτ = +ĝ⊙b;   ĝ = g/‖g‖₂,
 * so at equal τ they stand for the same W as the mirror flow (A.EQ). d(ln t)/dτ = e^{−ln t}/‖g‖.
 * Used at moderate norms (the mirror flow is the one taken to the limit); the Jacobian is left to the
 * integrator's finite differences.
 */
import { type Field, norm2, normInf } from '../numeric/Field.js';
import { lnToLog10 } from '../numeric/logdomain.js';
import type { AttentionProblem } from '../model/problem.js';
import { evaluateAttention } from '../model/attention.js';
import { marginsDiag } from '../model/margins.js';
import { gradientDiagScaled } from '../model/gradient.js';
import { weightsFromDiag, weightsFromUV } from '../model/parameterizations.js';
import type { OdeProblem } from '../ode/Problem.js';
import type { FlowDefinition } from './FlowDefinition.js';
import { directionalTimeRate } from './timeRate.js';
import { storedWeightsMarginUncertainty } from './roundoff.js';

function unitGradient<S>(P: AttentionProblem<S>, w: readonly S[]): { unit: S[]; logNorm: S | null } {
  const F = P.F;
  const gs = gradientDiagScaled(P, evaluateAttention(P, marginsDiag(P, w)));
  const n = norm2(F, gs.value);
  if (F.isZero(n)) return { unit: gs.value.map(() => F.zero), logNorm: null };
  return { unit: gs.value.map((x) => F.div(x, n)), logNorm: F.add(gs.logScale, F.log(n)) };
}

/** r_j = ln(u_j/u₀_j) (or −ln(b_j/b₀_j) when u₀_j = 0), the mirror coordinate of a (u, b) state. */
function mirrorCoordinate<S>(F: Field<S>, u: S, b: S, u0: S, b0: S): S {
  if (!F.isZero(u0)) return F.log(F.div(u, u0));
  if (!F.isZero(b0)) return F.neg(F.log(F.div(b, b0)));
  return F.zero;
}

export interface DiagonalFlowOptions<S> {
  readonly P: AttentionProblem<S>;
  readonly k0: readonly S[];
  readonly q0: readonly S[];
  readonly param: 'diag' | 'uv';
}

export function diagonalFlow<S>(opts: DiagonalFlowOptions<S>): FlowDefinition<S> {
  const { P, param } = opts;
  const F = P.F;
  const d = P.d;
  const u0 = opts.k0.map((k, j) => F.mul(F.add(k, opts.q0[j]!), F.half));
  const b0 = opts.k0.map((k, j) => F.mul(F.sub(k, opts.q0[j]!), F.half));
  const theta0 = param === 'diag' ? [...opts.k0, ...opts.q0] : [...u0, ...b0];
  const weightsOf = (th: readonly S[]): S[] =>
    param === 'diag' ? weightsFromDiag(F, th.slice(0, d), th.slice(d, 2 * d)) : weightsFromUV(F, th.slice(0, d), th.slice(d, 2 * d));
  const uvOf = (th: readonly S[]): { u: S[]; b: S[] } => {
    const a = th.slice(0, d);
    const c = th.slice(d, 2 * d);
    return param === 'uv' ? { u: a, b: c } : { u: a.map((k, j) => F.mul(F.add(k, c[j]!), F.half)), b: a.map((k, j) => F.mul(F.sub(k, c[j]!), F.half)) };
  };

  const velocity = (th: readonly S[], unit: readonly S[]): S[] => {
    const a = th.slice(0, d);
    const c = th.slice(d, 2 * d);
    if (param === 'diag') return [...unit.map((g, j) => F.neg(F.mul(g, c[j]!))), ...unit.map((g, j) => F.neg(F.mul(g, a[j]!)))];
    return [...unit.map((g, j) => F.neg(F.mul(g, a[j]!))), ...unit.map((g, j) => F.mul(g, c[j]!))];
  };

  const rhs = (th: readonly S[]): S[] => {
    const { unit, logNorm } = unitGradient(P, weightsOf(th));
    if (logNorm === null) return th.map(() => F.zero);
    return velocity(th, unit);
  };

  const tau0 = F.pow(F.of(10), F.of(-Math.ceil(F.digits / 2) - 2));
  const first = unitGradient(P, weightsOf(theta0));
  const v0 = velocity(theta0, first.unit);
  const start = theta0.map((x, j) => F.add(x, F.mul(tau0, v0[j]!)));
  const startLogT = first.logNorm === null ? F.zero : F.sub(F.log(tau0), first.logNorm);

  return {
    F,
    param,
    dim: 2 * d,
    structure: 'diag',
    start: { tau: tau0, y: start, logT: startLogT },
    timeRate: (th) => directionalTimeRate(F, th, rhs, (x) => unitGradient(P, weightsOf(x)).logNorm),
    problem: (tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S> => ({ F, t0: from?.tau ?? tau0, tEnd, y0: from ? from.y.slice() : start, f: (_t, y) => rhs(y) }),
    weights: (y) => ({ structure: 'diag', w: weightsOf(y.slice(0, 2 * d)) }),
    marginUncertainty: (y) => storedWeightsMarginUncertainty(P, { structure: 'diag', w: weightsOf(y.slice(0, 2 * d)) }),
    rho: (y) => {
      const { u, b } = uvOf(y.slice(0, 2 * d));
      return normInf(F, u.map((uj, j) => mirrorCoordinate(F, uj, b[j]!, u0[j]!, b0[j]!)));
    },
    log10Norm: (y) => {
      const n = norm2(F, weightsOf(y.slice(0, 2 * d)));
      return F.isZero(n) ? null : lnToLog10(F, F.log(n));
    },
    invariant: (y) => {
      const { u, b } = uvOf(y.slice(0, 2 * d));
      return u.map((uj, j) => F.mul(uj, b[j]!));
    },
  };
}
