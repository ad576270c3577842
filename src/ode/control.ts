/**
 * Step-size control: the scaled error norm and the controllers.
 *
 * Error norm: Hairer–Nørsett–Wanner I (II.4.11), the scaled RMS
 *   err = sqrt( (1/d) Σ_i (e_i / sc_i)² ),  sc_i = atol + rtol · max(|y_i|, |ŷ_i|).
 * A step is accepted when err ≤ 1.
 *
 * Controllers return a JS-number factor h_new / h; the error itself is brought to a JS number (it is an
 * O(1) quantity; out-of-range values are clamped), so the Decimal backend pays no exp/log for control.
 */
import type { Field } from '../numeric/Field.js';
import type { ResolvedTolerances } from './types.js';

/** Scaled RMS norm of an error vector e relative to the states y (start) and yNew (end of step). */
export function scaledRmsNorm<S>(
  F: Field<S>,
  e: readonly S[],
  y: readonly S[],
  yNew: readonly S[],
  tol: ResolvedTolerances<S>,
): number {
  const d = e.length;
  if (d === 0) return 0;
  let s = F.zero;
  for (let i = 0; i < d; i++) {
    const sc = F.add(tol.atol, F.mul(tol.rtol, F.max(F.abs(y[i]!), F.abs(yNew[i]!))));
    const q = F.div(e[i]!, sc);
    s = F.add(s, F.mul(q, q));
  }
  return clampErr(Math.sqrt(F.toNumber(s) / d));
}

/** Σ_i (e_i / sc_i)² with sc_i = atol + rtol·max(|y_i|, |ŷ_i|), as a JS number. */
export function scaledSumOfSquares<S>(F: Field<S>, e: readonly S[], y: readonly S[], yNew: readonly S[], tol: ResolvedTolerances<S>): number {
  let s = F.zero;
  for (let i = 0; i < e.length; i++) {
    const sc = F.add(tol.atol, F.mul(tol.rtol, F.max(F.abs(y[i]!), F.abs(yNew[i]!))));
    const q = F.div(e[i]!, sc);
    s = F.add(s, F.mul(q, q));
  }
  return F.toNumber(s);
}

/**
 * dop853.f's error norm from the 5th-order (err5) and 3rd-order (err3) difference vectors (both already
 * multiplied by h): err = s5 / sqrt(d (s3 + 0.01 s5)).
 */
export function dop853ErrorNorm<S>(F: Field<S>, err5: readonly S[], err3: readonly S[], y: readonly S[], yNew: readonly S[], tol: ResolvedTolerances<S>): number {
  const s5 = scaledSumOfSquares(F, err5, y, yNew, tol);
  const s3 = scaledSumOfSquares(F, err3, y, yNew, tol);
  let deno = s3 + 0.01 * s5;
  if (!(deno > 0)) deno = 1;
  return clampErr(s5 / Math.sqrt(e5Length(err5) * deno));
}
function e5Length<S>(v: readonly S[]): number {
  return Math.max(1, v.length);
}

/** Bring an error to a finite non-negative number (NaN → ∞ so that the step is rejected). */
export function clampErr(err: number): number {
  if (Number.isNaN(err)) return Infinity;
  return err < 0 ? 0 : err;
}

/**
 * PI controller (Gustafsson 1991; Hairer–Wanner II, IV.2 / Söderlind), as in dopri5/OrdinaryDiffEq:
 *   fac = safety · err^(−β1) · errPrev^(β2),  β1 = 0.7/k, β2 = 0.4/k, k = estimator order + 1,
 * limited to [facMin, facMax]. After a rejection the growth is capped at 1.
 */
export class PIController {
  private errPrev = 1e-4;
  constructor(
    private readonly k: number,
    private readonly safety = 0.9,
    private readonly facMin = 0.2,
    private readonly facMax = 10,
  ) {}

  /** Factor for the next step after an accepted step with error err ≤ 1. */
  accept(err: number, afterReject: boolean): number {
    const e = Math.max(err, 1e-10);
    const b1 = 0.7 / this.k;
    const b2 = 0.4 / this.k;
    let fac = this.safety * Math.pow(e, -b1) * Math.pow(this.errPrev, b2);
    fac = Math.min(this.facMax, Math.max(this.facMin, fac));
    if (afterReject) fac = Math.min(fac, 1);
    this.errPrev = Math.max(e, 1e-4);
    return fac;
  }

  /** Factor after a rejected step (err > 1): plain I-control, h ← h·max(facMin, safety·err^(−1/k)). */
  reject(err: number): number {
    if (!Number.isFinite(err)) return this.facMin;
    return Math.max(this.facMin, this.safety * Math.pow(err, -1 / this.k));
  }
}

/**
 * Hairer's predictive (Gustafsson) controller as used in radau5.f (Hairer–Wanner II, IV.8, (8.25)):
 *   quot = clamp(err^(1/4) / fac, facr, facl), fac = min(safe, (1 + 2·nitMax)·safe / (newt + 2·nitMax)),
 *   on acceptance additionally facgus = (hacc/h) · (err² / erracc)^(1/4) / safe, quot = max(quot, facgus).
 * Returns h_new / h.
 */
export class PredictiveController {
  private erracc = 1e-2;
  constructor(
    private readonly nitMax: number,
    /** 1/(estimator order + 1): 1/4 for Radau IIA5 (radau5.f), 1/(s+1) for s stages. */
    private readonly exponent = 0.25,
    private readonly safe = 0.9,
    private readonly facl = 5,
    private readonly facr = 1 / 8,
  ) {}

  private baseQuot(err: number, newtonIters: number): number {
    const fac = Math.min(this.safe, ((1 + 2 * this.nitMax) * this.safe) / (newtonIters + 2 * this.nitMax));
    return Math.max(this.facr, Math.min(this.facl, Math.pow(err, this.exponent) / fac));
  }

  /**
   * `haccOverH` = (previous accepted step)/(this step), computed by the caller in the field (undefined on
   * the first step). Returns h_new / h.
   */
  accept(err: number, newtonIters: number, haccOverH: number | undefined): number {
    const e = Math.max(err, 1e-10);
    let quot = this.baseQuot(e, newtonIters);
    if (haccOverH !== undefined && Number.isFinite(haccOverH) && haccOverH > 0) {
      let facgus = (haccOverH * Math.pow((e * e) / this.erracc, this.exponent)) / this.safe;
      facgus = Math.max(this.facr, Math.min(this.facl, facgus));
      quot = Math.max(quot, facgus);
    }
    this.erracc = Math.max(1e-2, e);
    return 1 / quot;
  }

  reject(err: number, newtonIters: number): number {
    if (!Number.isFinite(err)) return 0.1;
    return 1 / this.baseQuot(err, newtonIters);
  }
}

/**
 * Initial step size (Hairer–Nørsett–Wanner I, II.4, "Starting step size", as in dopri5's HINIT):
 * d0 = ‖y0‖, d1 = ‖f0‖, h0 = 0.01 d0/d1; one Euler step gives d2 ≈ ‖y''‖; h1 = (0.01/max(d1,d2))^(1/(p+1));
 * h = min(100 h0, h1). Norms are the scaled RMS norm with sc = atol + rtol|y0|.
 */
export function initialStepSize<S>(
  F: Field<S>,
  f: (t: S, y: readonly S[]) => S[],
  t0: S,
  y0: readonly S[],
  f0: readonly S[],
  order: number,
  tol: ResolvedTolerances<S>,
  span: S,
  countEval: () => void,
): S {
  const d0 = scaledRmsNorm(F, y0, y0, y0, tol);
  const d1 = scaledRmsNorm(F, f0, y0, y0, tol);
  const spanAbs = F.abs(span);
  const spanNum = F.toNumber(spanAbs);
  // Fallback guess for degenerate norms (zero, overflowing or NaN): a small fraction of the span.
  const fallback = (): S => F.mul(spanAbs, F.of(1e-6));
  let h0: S;
  const ratio = 0.01 * (d0 / d1);
  if (d0 < 1e-5 || d1 < 1e-5 || !Number.isFinite(ratio) || !(ratio > 0)) h0 = Number.isFinite(spanNum) && spanNum > 1e-6 ? F.of(1e-6) : fallback();
  else h0 = F.of(ratio);
  h0 = F.min(h0, spanAbs);
  const y1 = y0.map((yi, i) => F.add(yi, F.mul(h0, f0[i]!)));
  const f1 = f(F.add(t0, h0), y1);
  countEval();
  const df = f1.map((v, i) => F.div(F.sub(v, f0[i]!), h0));
  const d2 = scaledRmsNorm(F, df, y0, y0, tol);
  const m = Math.max(d1, d2);
  let h1: number;
  if (Number.isFinite(m) && m > 1e-15) h1 = Math.pow(0.01 / m, 1 / (order + 1));
  else if (m === Infinity) h1 = F.toNumber(h0) * 1e-3;
  else h1 = Math.max(1e-6, F.toNumber(h0) * 1e-3);
  let h = Number.isFinite(h1) && h1 > 0 ? F.min(F.scale(h0, 100), F.of(h1)) : h0;
  if (!F.gt(h, F.zero) || !F.isFinite(h)) h = fallback();
  return F.min(h, spanAbs);
}
