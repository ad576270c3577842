/**
 * The full-matrix flows of SPEC.md §4 with the log-step normalization (so that τ ≈ ln‖θ‖ late):
 *   w:  dW/dτ = −ν ĝ,  ν = √(1 + ‖W‖_F²),  ĝ = ∇_W L/‖∇_W L‖_F
 *   kq: dθ/dτ = −ν ∇_θL/‖∇_θL‖, θ = (K, Q), ν = √(1 + ‖θ‖²), ∇_K = G Q, ∇_Q = Gᵀ K
 * and d(ln t)/dτ = e^{−ln t} ν/‖∇L‖. The `w` flow has the analytic Jacobian (Hessian of L in vec W):
 *   ∂f/∂W = −ĝ (W/ν)ᵀ − ν (I − ĝĝᵀ) H_s/‖g_s‖,  ∂f_lnt/∂W = f_lnt (W/ν² − ĝᵀH_s/‖g_s‖),  ∂f_lnt/∂ln t = −f_lnt.
 */
import { type Field, norm2 } from '../numeric/Field.js';
import { lnToLog10 } from '../numeric/logdomain.js';
import { matMul, transpose } from '../numeric/linalg.js';
import type { AttentionProblem } from '../model/problem.js';
import { evaluateAttention } from '../model/attention.js';
import { marginsFull } from '../model/margins.js';
import { fullFeatures, gradientFullScaled } from '../model/gradient.js';
import { hessianLinearScaled } from '../model/hessian.js';
import { weightsFromKQ } from '../model/parameterizations.js';
import type { OdeProblem } from '../ode/Problem.js';
import type { FlowDefinition } from './FlowDefinition.js';
import { directionalTimeRate } from './timeRate.js';
import { storedWeightsMarginUncertainty } from './roundoff.js';

const reshape = <T>(x: readonly T[], r: number, c: number): T[][] => Array.from({ length: r }, (_, i) => x.slice(i * c, (i + 1) * c));

function logStepNu<S>(F: Field<S>, th: readonly S[]): S {
  const n = norm2(F, th);
  return F.sqrt(F.add(F.one, F.mul(n, n)));
}

function startState<S>(F: Field<S>, theta0: readonly S[], rhs: (y: readonly S[]) => S[], logRate0: S | null): { tau: S; y: S[]; logT: S } {
  const tau0 = F.pow(F.of(10), F.of(-Math.ceil(F.digits / 2) - 2));
  const v = rhs(theta0);
  return { tau: tau0, y: theta0.map((x, j) => F.add(x, F.mul(tau0, v[j]!))), logT: logRate0 === null ? F.zero : F.add(F.log(tau0), logRate0) };
}

export function wFlow<S>(P: AttentionProblem<S>, W0: readonly (readonly S[])[]): FlowDefinition<S> {
  const F = P.F;
  const d = P.d;
  const dim = d * d;
  const features = fullFeatures(P);

  const evalAt = (th: readonly S[]) => {
    const ev = evaluateAttention(P, marginsFull(P, reshape(th, d, d)));
    const G = gradientFullScaled(P, ev);
    const gs = G.value.flat();
    const n = norm2(F, gs);
    return { ev, logScale: G.logScale, unit: F.isZero(n) ? gs : gs.map((x) => F.div(x, n)), n, logNorm: F.isZero(n) ? null : F.add(G.logScale, F.log(n)) };
  };

  const rhs = (th: readonly S[]): S[] => {
    const e = evalAt(th);
    if (e.logNorm === null) return th.map(() => F.zero);
    const nu = logStepNu(F, th);
    return e.unit.map((x) => F.neg(F.mul(nu, x)));
  };

  const linearize = (th: readonly S[]) => {
    const e = evalAt(th);
    if (e.logNorm === null) return null;
    const nu = logStepNu(F, th);
    const Hs = hessianLinearScaled(P, e.ev, features, dim, e.logScale);
    const B = Hs.map((row) => row.map((h) => F.div(h, e.n))); // H_s/‖g_s‖
    const gB = Array.from({ length: dim }, (_, q) => {
      let s = F.zero;
      for (let p = 0; p < dim; p++) s = F.add(s, F.mul(e.unit[p]!, B[p]![q]!));
      return s;
    });
    return { e, nu, B, gB };
  };

  const jacobian = (th: readonly S[]): S[][] => {
    const J = Array.from({ length: dim }, () => Array.from({ length: dim }, () => F.zero));
    const lin = linearize(th);
    if (lin === null) return J;
    const { e, nu, B, gB } = lin;
    for (let p = 0; p < dim; p++) {
      for (let q = 0; q < dim; q++) {
        const proj = F.sub(B[p]![q]!, F.mul(e.unit[p]!, gB[q]!));
        J[p]![q] = F.neg(F.add(F.mul(e.unit[p]!, F.div(th[q]!, nu)), F.mul(nu, proj)));
      }
    }
    return J;
  };

  // φ = ln ν − ln‖g‖; dφ/dτ = (W/ν² − ĝᵀH_s/‖g_s‖)·(dW/dτ), dW/dτ = −ν ĝ
  const timeRate = (th: readonly S[]) => {
    const lin = linearize(th);
    if (lin === null) return null;
    const { e, nu, gB } = lin;
    const nu2 = F.mul(nu, nu);
    let dphi = F.zero;
    for (let q = 0; q < dim; q++) dphi = F.add(dphi, F.mul(F.sub(F.div(th[q]!, nu2), gB[q]!), F.neg(F.mul(nu, e.unit[q]!))));
    return { phi: F.sub(F.log(nu), e.logNorm!), dphi };
  };

  const theta0 = W0.flat();
  const e0 = evalAt(theta0);
  const start = startState(F, theta0, rhs, e0.logNorm === null ? null : F.sub(F.log(logStepNu(F, theta0)), e0.logNorm));
  return {
    F, param: 'w', dim, structure: 'full', start, timeRate,
    problem: (tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S> => ({ F, t0: from?.tau ?? start.tau, tEnd, y0: from ? from.y.slice() : start.y, f: (_t, y) => rhs(y), jacobian: (_t, y) => jacobian(y) }),
    weights: (y) => ({ structure: 'full', W: reshape(y.slice(0, dim), d, d) }),
    marginUncertainty: (y) => storedWeightsMarginUncertainty(P, { structure: 'full', W: reshape(y.slice(0, dim), d, d) }),
    rho: (y) => F.log(logStepNu(F, y.slice(0, dim))),
    log10Norm: (y) => { const n = norm2(F, y.slice(0, dim)); return F.isZero(n) ? null : lnToLog10(F, F.log(n)); },
    invariant: () => null,
  };
}

export function kqFlow<S>(P: AttentionProblem<S>, K0: readonly (readonly S[])[], Q0: readonly (readonly S[])[]): FlowDefinition<S> {
  const F = P.F;
  const d = P.d;
  const m = K0[0]!.length;
  const half = d * m;
  const dim = 2 * half;
  const split = (th: readonly S[]) => ({ K: reshape(th.slice(0, half), d, m), Q: reshape(th.slice(half, dim), d, m) });

  const gradTheta = (th: readonly S[]) => {
    const { K, Q } = split(th);
    const G = gradientFullScaled(P, evaluateAttention(P, marginsFull(P, weightsFromKQ(F, K, Q))));
    const gK = matMul(F, G.value, Q).flat();
    const gQ = matMul(F, transpose(G.value), K).flat();
    const g = [...gK, ...gQ];
    const n = norm2(F, g);
    return { unit: F.isZero(n) ? g : g.map((x) => F.div(x, n)), logNorm: F.isZero(n) ? null : F.add(G.logScale, F.log(n)) };
  };

  const rhs = (th: readonly S[]): S[] => {
    const e = gradTheta(th);
    if (e.logNorm === null) return th.map(() => F.zero);
    const nu = logStepNu(F, th);
    return e.unit.map((x) => F.neg(F.mul(nu, x)));
  };
  const logRate = (th: readonly S[]): S | null => {
    const e = gradTheta(th);
    return e.logNorm === null ? null : F.sub(F.log(logStepNu(F, th)), e.logNorm);
  };

  const theta0 = [...K0.flat(), ...Q0.flat()];
  const e0 = gradTheta(theta0);
  const start = startState(F, theta0, rhs, e0.logNorm === null ? null : F.sub(F.log(logStepNu(F, theta0)), e0.logNorm));
  return {
    F, param: 'kq', dim, structure: 'full', start,
    timeRate: (th) => directionalTimeRate(F, th, rhs, logRate),
    problem: (tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S> => ({ F, t0: from?.tau ?? start.tau, tEnd, y0: from ? from.y.slice() : start.y, f: (_t, y) => rhs(y) }),
    weights: (y) => { const { K, Q } = split(y.slice(0, dim)); return { structure: 'full', W: weightsFromKQ(F, K, Q) }; },
    marginUncertainty: (y) => { const { K, Q } = split(y.slice(0, dim)); return storedWeightsMarginUncertainty(P, { structure: 'full', W: weightsFromKQ(F, K, Q) }); },
    rho: (y) => F.log(logStepNu(F, y.slice(0, dim))),
    log10Norm: (y) => { const { K, Q } = split(y.slice(0, dim)); const n = norm2(F, weightsFromKQ(F, K, Q).flat()); return F.isZero(n) ? null : lnToLog10(F, F.log(n)); },
    invariant: (y) => {
      // KᵀK − QᵀQ (m×m), conserved by the kq flow in any time parameterization
      const { K, Q } = split(y.slice(0, dim));
      const a = matMul(F, transpose(K), K);
      const b = matMul(F, transpose(Q), Q);
      return a.flatMap((row, i) => row.map((x, j) => F.sub(x, b[i]![j]!)));
    },
  };
}
