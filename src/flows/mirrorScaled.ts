/**
 * The normalized mirror flow of the diagonal model (SPEC.md §4) in a scaled chart for its late, stiff phase
 * (SPEC.md §8): the same path and the same τ as mirror.ts, with state y = (v, L),
 *
 *   w = e^{L} v,   L = ln h_ref(w),   v = w / h_ref(w)   (so ⟨a_ref, v⟩ = 1),
 *
 * for one reference constraint `ref` whose margin is positive (the smallest margin where the chart is entered).
 * Why: margins are linear in w but exponential in r. In r the collocation polynomial of an implicit step
 * misses the slow manifold (where the support margins balance) by ~‖w‖·(local error in r) margin units, and
 * Newton must resolve r to 1/‖w‖: the steps per unit ρ grew ×1.5 per unit ρ (33 / 49 / 74 / 107 from ρ 19
 * to 23 on the bench data). Here the margin offsets h_k − h_ref = e^{L}(⟨a_k, v⟩ − 1) are linear in v, so
 * polynomial extrapolation and Newton's linearization see them as they are, and L (≈ 2ρ) and v (→ the
 * margin-normalized direction) are both slow.
 *
 * With w' = −D ĝ (D_j = ∂w_j/∂r_j = 2√(w_j² + 4κ_j²), ĝ = g/‖g‖) the flow is
 *   z = e^{−L} w' = −S ⊙ ĝ,  S_j = 2√(v_j² + 4κ_j² e^{−2L})  (σ in the code),
 *   L' = ⟨a_ref, z⟩,   v' = z − L' v.
 * ⟨a_ref, v⟩ − 1 obeys (·)' = −L'·(·): the chart's constraint is kept by the flow itself.
 *
 * Analytic Jacobian, with G = ∂ĝ/∂w = (I − ĝĝᵀ) H_s/‖g_s‖ (H_s the Hessian scaled like the gradient):
 *   ∂z/∂v = −diag(ĝ ⊙ 4v/S) − diag(S) e^{L} G,     ∂z/∂L = ĝ ⊙ 16κ²e^{−2L}/S − S ⊙ (e^{L} G v),
 *   ∂L'/∂x = a_refᵀ ∂z/∂x,   ∂v'/∂v = ∂z/∂v − v ∂L'/∂v − L' I,   ∂v'/∂L = ∂z/∂L − v ∂L'/∂L.
 *
 * Tolerances are applied as in the r chart (OdeProblem.errorScale): a change δr_j is δv_j = S_j δr_j and
 * δL ≈ 2δr, so a non-support v_j (≈ 1e-8 of the largest late in the flow) is held to the relative accuracy its
 * r_j had. Such a v_j decays like e^{−L} and its truncation error sets the step (h ≈ 0.06–0.08 in τ).
 *
 * Measured on the bench's (6, 8, 10) data from the float64 limit (ρ 15.56), Decimal(50), 60 s: ρ 29.7 against
 * 23.8 in the r chart, 33–35 accepted steps per unit ρ from ρ 16 to 29 with no growth (r chart: 33 / 49 / 74 /
 * 107 per unit from ρ 19 to 23). J's stiff part scales like e^{L}: `stiffnessLog` = L lets Radau scale its frozen
 * Jacobian over the stages (ode/stageScaling.ts): Decimal(50) from ρ 16 to 18, 83 + 3 → 85 + 5 steps, 308 → 240
 * Newton iterations, 77 → 41 Jacobians, 7.7 → 6.1 s. In float64 (follow.ts enters the chart there too, at ρ 11.59
 * on that data) it reaches ρ 15.77 in 244 steps; its end is Newton stagnating at roundoff level on the non-support
 * v_j (ode/radauIIA.ts ROUNDOFF_STAGNATION_THETA), flows/run.ts's float64 limit. Tried and not kept: the
 * non-support coordinates left in r (stiff again in them: Newton-limited, ~200 steps per unit ρ), or scaled by
 * their own growth rate e^{β_j L} (the same).
 */
import { type Field, dot, norm2 } from '../numeric/Field.js';
import { lnToLog10 } from '../numeric/logdomain.js';
import type { AttentionProblem } from '../model/problem.js';
import { type FastGradient, gradientFromMarginsFast } from '../model/fastGradient.js';
import { float64KernelOf, gradientFromMarginsF64 } from '../model/fastGradientF64.js';
import { mirrorCoordinate, weightsFromMirror, type MirrorInit } from '../model/parameterizations.js';
import type { OdeProblem } from '../ode/Problem.js';
import type { FlowDefinition } from './FlowDefinition.js';
import type { FlowState } from './run.js';
import { type NormalizedGradient, SHARED_EVALUATIONS, diagonalHessian, diagonalHessianForm, mirrorInvariant, normalizedGradient, recentEvaluations, tangentProjection } from './mirrorShared.js';

/** Relative width of the float64 screen in `rho` (estimates carry ~1e-15 relative error). */
const SCREEN = 1e-9;

export interface ScaledMirrorOptions<S> {
  readonly P: AttentionProblem<S>;
  readonly init: MirrorInit<S>;
  /** κ_j = u₀_j b₀_j in the field */
  readonly kappa: readonly S[];
  /** the state of the r chart (mirror.ts) where this chart takes over; its smallest margin must be positive */
  readonly from: FlowState<S>;
  /** the reference constraint (default: the one with the smallest margin at `from`); its margin must be positive */
  readonly ref?: number;
}

interface ScaledEval<S> extends NormalizedGradient<S> {
  readonly gradient: FastGradient<S>;
  readonly margins: S[];
  readonly w: S[];
  /** e^{L} = ∂w_j/∂v_j */
  readonly scale: S;
  /** σ_j = e^{−L} D_j = 2√(v_j² + 4κ_j² e^{−2L}) */
  readonly sigma: S[];
  readonly eInv2: S;
}

/** The constraint with the smallest margin, when that margin is positive (else null: the chart is undefined). */
export function scaledChartReference<S>(F: Field<S>, margins: readonly S[]): number | null {
  let k = 0;
  for (let i = 1; i < margins.length; i++) if (F.lt(margins[i]!, margins[k]!)) k = i;
  return F.gt(margins[k]!, F.zero) ? k : null;
}

export function scaledMirrorFlow<S>(opts: ScaledMirrorOptions<S>): FlowDefinition<S> & { readonly ref: number } {
  const { P, init } = opts;
  const F = P.F;
  const d = P.d;
  const kappa2x4 = opts.kappa.map((k) => F.scale(F.mul(k, k), 4));
  const r0 = opts.from.y.slice(0, d);
  const w0 = weightsFromMirror(F, init, r0);
  const h0 = P.a.map((a) => dot(F, a, w0));
  const refOrNull = opts.ref ?? scaledChartReference(F, h0);
  if (refOrNull === null || !F.gt(h0[refOrNull]!, F.zero)) throw new Error('scaled mirror chart: no positive margin to scale by');
  const ref = refOrNull;
  const aRef = P.a[ref]!;
  const num = (x: S) => F.toNumber(x);
  const toScaled = (r: readonly S[]): S[] => {
    const w = weightsFromMirror(F, init, r);
    const href = dot(F, aRef, w);
    const inv = F.div(F.one, href);
    return [...w.map((x) => F.mul(x, inv)), F.log(href)];
  };
  const weightsOf = (y: readonly S[]): S[] => {
    const e = F.exp(y[d]!);
    return y.slice(0, d).map((x) => F.mul(x, e));
  };
  /** r_j of w_j (mirrorCoordinate); the chart only holds reachable weights */
  const mirrorAt = (j: number, wj: S): S => {
    const r = mirrorCoordinate(F, init.logU0[j]!, init.logB0[j]!, wj);
    if (r === null) throw new Error('scaled mirror chart: weights outside the range of the mirror map');
    return r;
  };
  const toMirror = (y: readonly S[]): S[] => weightsOf(y).map((wj, j) => mirrorAt(j, wj));

  // ρ = ‖r‖∞ (SPEC.md §4), asked for several times per step (step end, the ρ event, checkpoints): float64
  // estimates of |r_j| screen the coordinates and only those within SCREEN of the largest estimate are mapped
  // back in the field (each costs three logs, an exp and a square root); a v_j outside float64's range is
  // always mapped. Cached by state identity. (Mapping all d coordinates took 7% of a Decimal(50) run.)
  const rhoCache = new WeakMap<readonly S[], S>();
  const logU = init.logU0.map((x) => (x === null ? null : num(x)));
  const logB = init.logB0.map((x) => (x === null ? null : num(x)));
  const initScale = Math.max(0, ...[...logU, ...logB].map((x) => Math.abs(x ?? 0)));
  const rhoOf = (y: readonly S[]): S => {
    const hit = rhoCache.get(y);
    if (hit !== undefined) return hit;
    const L = num(y[d]!);
    const estimates = y.slice(0, d).map((x, j) => {
      const vj = num(x);
      const lu = logU[j]!;
      const lb = logB[j]!;
      if (lu === null || lb === null || vj === 0 || !Number.isFinite(vj) || !Number.isFinite(L)) return Infinity; // map it
      // r_j = ½(asinh(w_j / 2κ_j) − ln u₀_j + ln b₀_j), ln|w_j| = L + ln|v_j| (mirrorCoordinate)
      const logZ = L + Math.log(Math.abs(vj)) - Math.LN2 - (lu + lb);
      const asinh = logZ > 20 ? logZ + Math.LN2 : Math.asinh(Math.exp(logZ));
      return Math.abs(0.5 * (Math.sign(vj) * asinh - lu + lb));
    });
    const finite = estimates.filter((e) => Number.isFinite(e));
    const top = finite.length ? Math.max(...finite) : 0;
    const bound = SCREEN * (1 + top + Math.abs(L) + initScale);
    const e = F.exp(y[d]!);
    let rho = F.zero;
    estimates.forEach((est, j) => {
      if (est < top - bound) return;
      rho = F.max(rho, F.abs(mirrorAt(j, F.mul(y[j]!, e))));
    });
    rhoCache.set(y, rho);
    return rho;
  };

  const evaluate = (y: readonly S[]): ScaledEval<S> => {
    const L = y[d]!;
    const scale = F.exp(L);
    const eInv2 = F.exp(F.scale(L, -2));
    const v = y.slice(0, d);
    const w = v.map((x) => F.mul(x, scale));
    // h_k = e^{L}⟨a_k, v⟩: the offsets h_k − h_ref come out of one fused dot product each, not as differences
    const margins = P.a.map((a) => F.mul(dot(F, a, v), scale));
    // float64: the typed-array kernel (fastGradientF64.ts), null when an optimal token is suppressed beyond range
    const typed = F.kind === 'float64' ? gradientFromMarginsF64(float64KernelOf(P as unknown as AttentionProblem<number>), Float64Array.from(margins as unknown as number[])) : null;
    const gs = typed !== null ? (typed as unknown as FastGradient<S>) : gradientFromMarginsFast(P, margins, P.a, d);
    const sigma = v.map((x, j) => F.scale(F.sqrt(F.add(F.mul(x, x), F.mul(kappa2x4[j]!, eInv2))), 2));
    return {
      ...normalizedGradient(F, gs),
      gradient: gs,
      margins,
      w,
      scale,
      sigma,
      eInv2,
    };
  };
  // shared evaluations, as in mirror.ts (the accepted state is asked for f, the time rate and the dual rates)
  const { at } = recentEvaluations(evaluate, SHARED_EVALUATIONS);

  const rhs = (y: readonly S[]): S[] => {
    const ev = at(y);
    if (ev.logNorm === null) return y.map(() => F.zero);
    const z = ev.unit.map((g, j) => F.neg(F.mul(ev.sigma[j]!, g)));
    const Ldot = dot(F, aRef, z);
    return [...z.map((zj, j) => F.sub(zj, F.mul(Ldot, y[j]!))), Ldot];
  };

  const jacobian = (y: readonly S[]): S[][] => {
    const ev = at(y);
    const J = Array.from({ length: d + 1 }, () => Array.from({ length: d + 1 }, () => F.zero));
    if (ev.logNorm === null) return J;
    const Hs = diagonalHessian(P, ev.gradient);
    // G = ∂ĝ/∂w = (I − ĝĝᵀ)H_s/‖g_s‖; dg[p][q] = ∂ĝ_p/∂v_q = e^{L} G_pq (q < d), ∂ĝ_p/∂L = (G w)_p
    const G = tangentProjection(F, ev.unit, Hs.map((row) => row.map((h) => F.div(h, ev.normScaled))));
    const dg = G.map((row) => [...row.map((x) => F.mul(x, ev.scale)), dot(F, row, ev.w)]);
    // ∂σ_j/∂v_j = 4v_j/σ_j, ∂σ_j/∂L = −16 κ_j² e^{−2L}/σ_j
    const dSigma = ev.sigma.map((sg, j) => F.div(F.scale(y[j]!, 4), sg));
    const dSigmaL = ev.sigma.map((sg, j) => F.neg(F.div(F.scale(F.mul(kappa2x4[j]!, ev.eInv2), 4), sg)));
    // ∂z_p/∂x with z = −σ ⊙ ĝ
    const dz = Array.from({ length: d }, (_, p) => dg[p]!.map((x, q) => {
      let entry = F.neg(F.mul(ev.sigma[p]!, x));
      if (q === p) entry = F.sub(entry, F.mul(ev.unit[p]!, dSigma[p]!));
      if (q === d) entry = F.sub(entry, F.mul(ev.unit[p]!, dSigmaL[p]!));
      return entry;
    }));
    const z = ev.unit.map((g, j) => F.neg(F.mul(ev.sigma[j]!, g)));
    // L' = ⟨a_ref, z⟩
    const dLdot = Array.from({ length: d + 1 }, (_, q) => {
      let s = F.zero;
      for (let p = 0; p < d; p++) s = F.add(s, F.mul(aRef[p]!, dz[p]![q]!));
      return s;
    });
    const Ldot = dot(F, aRef, z);
    for (let p = 0; p < d; p++) {
      for (let q = 0; q <= d; q++) {
        let entry = F.sub(dz[p]![q]!, F.mul(y[p]!, dLdot[q]!));
        if (q === p) entry = F.sub(entry, Ldot);
        J[p]![q] = entry;
      }
    }
    J[d] = dLdot;
    return J;
  };

  // φ = −ln‖g‖, dφ/dτ = ĝᵀ H_s (D ĝ)/‖g_s‖ with D_j = e^{L} σ_j (mirror.ts timeRate)
  const timeRate = (y: readonly S[]) => {
    const ev = at(y);
    if (ev.logNorm === null) return null;
    const Dg = ev.unit.map((g, j) => F.mul(F.mul(g, ev.sigma[j]!), ev.scale));
    const form = diagonalHessianForm(P, ev.gradient, ev.unit, Dg);
    return { phi: F.neg(ev.logNorm), dphi: F.div(form, ev.normScaled) };
  };

  const ulp = Math.pow(10, F.log10UnitRoundoff);
  const columnMax = Array.from({ length: d }, (_, j) => P.a.reduce((m, a) => Math.max(m, Math.abs(F.toNumber(a[j]!))), 0));
  // Newton's resolution: v_j to the change that moves a margin by one unit, 1/(e^{L} max_k |a_kj|), floored
  // at 100 ulp of v_j; L to the change that moves a margin offset h_k − h_ref by one unit among the offsets that
  // weigh in ĝ (≤ 25: weights e^{−25} and less)
  const stateResolution = (y: readonly S[]): number[] => {
    const ev = at(y);
    const L = num(y[d]!);
    const href = num(ev.margins[ref]!);
    let offset = 1;
    for (const h of ev.margins) { const o = num(h) - href; if (o < 25) offset = Math.max(offset, Math.abs(o)); }
    const res = y.slice(0, d).map((x, j) => {
      const perUnit = Math.abs(num(ev.scale)) * columnMax[j]!;
      const floor = 100 * ulp * Math.max(Math.abs(num(x)), num(ev.sigma[j]!));
      return perUnit > 0 ? Math.max(1 / perUnit, floor) : Infinity;
    });
    res.push(Math.max(1 / offset, 100 * ulp * Math.max(1, Math.abs(L))));
    return res;
  };
  // tolerances as in the r chart: δv_j = σ_j δr_j, δL ≈ 2 δr (ρ ≈ L/2 + O(1))
  const errorScale = (y: readonly S[], rtol: S, atol: S): S[] => {
    const ev = at(y);
    const perR = F.add(atol, F.mul(rtol, F.add(F.abs(F.scale(y[d]!, 0.5)), F.one)));
    return [...ev.sigma.map((sg) => F.mul(sg, perR)), F.scale(perR, 2)];
  };
  const problem = (tEnd: S, from?: { readonly tau: S; readonly y: readonly S[] }): OdeProblem<S> => ({
    F, t0: from?.tau ?? opts.from.tau, tEnd, y0: from ? from.y.slice() : start.y,
    f: (_t, y) => rhs(y),
    jacobian: (_t, y) => jacobian(y),
    stateResolution,
    errorScale,
    // the stiff part of J is diag(σ) e^{L} G (module doc): it scales like e^{L}
    stiffnessLog: (y) => num(y[d]!),
  });

  const start = { tau: opts.from.tau, y: toScaled(opts.from.y.slice(0, d)), logT: opts.from.logT };

  return {
    F,
    param: 'r',
    dim: d + 1,
    structure: 'diag',
    ref,
    start,
    problem,
    timeRate,
    dualRates: (y) => at(y).dualRates,
    mirror: toMirror,
    // y_j carries |y_j|·u, L carries |L|·u: margins move by Σ_j |a_kj| ∂w_j/∂y_j |δy_j| + |h_k||δL|
    marginUncertainty: (y) => {
      const ev = at(y);
      const L = Math.max(1, Math.abs(num(y[d]!)));
      const e = Math.abs(num(ev.scale));
      let worst = 0;
      P.a.forEach((a, k) => {
        let s = Math.abs(num(ev.margins[k]!)) * L;
        for (let j = 0; j < d; j++) s += Math.abs(num(a[j]!)) * e * Math.abs(num(y[j]!));
        worst = Math.max(worst, s);
      });
      return ulp * worst;
    },
    weights: (y) => ({ structure: 'diag', w: weightsOf(y) }),
    rho: rhoOf,
    log10Norm: (y) => {
      const n = norm2(F, weightsOf(y));
      return F.isZero(n) ? null : lnToLog10(F, F.log(n));
    },
    invariant: (y) => mirrorInvariant(F, init, opts.kappa, toMirror(y)),
  };
}
