/**
 * Gragg–Bulirsch–Stoer extrapolation with order and step-size control — the high-precision method for
 * the Decimal backend (orders 2k up to ~40: at 1e-40 tolerances it takes large steps where a fixed-order
 * method would crawl). All coefficients are exact rationals of the step-number sequence, so it is valid at
 * any working precision.
 *
 * Source: Hairer–Nørsett–Wanner I, §II.9 (Gragg's modified midpoint rule, Aitken–Neville extrapolation in
 * h², the order and step-size selection of ODEX): sequence n_j = 2, 4, 6, 8, …; work A_j = 1 + Σ_{i≤j}(n_i − 1);
 * row-j error err_j = ‖T_jj − T_j,j−1‖ (scaled RMS, control.ts); h_j = h / clamp((err_j/0.65)^(1/(2j−1))/0.94);
 * the next order minimizes the work per unit step A_j/h_j; convergence monitored in rows k−1, k, k+1.
 *
 * Dense output: no polynomial is carried; `at(t)` re-runs the accepted extrapolation tableau from the step's
 * start over [t0, t] (a shorter step of the same order, so at least as accurate as the step itself). It costs
 * A_k evaluations of f per call — fine for event location and checkpoints, not for plotting.
 */
import { countedDerivative } from './derivative.js';
import type { Field } from '../numeric/Field.js';
import { scaledRmsNorm } from './control.js';
import type { Interpolant, Stepper, StepperContext, StepOutcome } from './types.js';

const SAFE1 = 0.65;
const SAFE2 = 0.94;
const FAC1 = 0.02;
const FAC2 = 4.0;

/** Default number of extrapolation rows for a tolerance (ODEX uses 9 in double precision). */
export function gbsMaxRows(rtol: number, isDecimal: boolean): number {
  if (!isDecimal) return 9;
  const digits = -Math.log10(Math.max(rtol, 1e-300));
  return Math.max(9, Math.min(26, Math.ceil(digits * 0.4) + 4));
}

/** Gragg's modified midpoint rule with n substeps over [t, t+h]: n−1 new f evaluations (f0 given). */
export function modifiedMidpoint<S>(
  F: Field<S>,
  f: (t: S, y: readonly S[]) => S[],
  t: S,
  y: readonly S[],
  f0: readonly S[],
  h: S,
  n: number,
): S[] {
  const hs = F.div(h, F.of(n));
  const h2 = F.scale(hs, 2);
  let zPrev: S[] = y.slice();
  let z: S[] = y.map((v, i) => F.add(v, F.mul(hs, f0[i]!)));
  for (let m = 1; m < n; m++) {
    const fz = f(F.add(t, F.scale(hs, m)), z);
    const zNext = zPrev.map((v, i) => F.add(v, F.mul(h2, fz[i]!)));
    zPrev = z;
    z = zNext;
  }
  return z;
}

export interface GbsOptions {
  /** Number of extrapolation rows KM (default gbsMaxRows). */
  maxRows?: number;
  /** Rows used in fixed-step mode (order 2·rows); default: the initial target row from the tolerance. */
  fixedRows?: number;
}

export function makeGbsStepper<S>(ctx: StepperContext<S>, gbsOptions: GbsOptions = {}): Stepper<S> {
  const { problem, tol, stats } = ctx;
  const F = problem.F;
  const kmax = gbsOptions.maxRows ?? gbsMaxRows(tol.rtolNum, F.kind !== 'float64');
  const nSeq = Array.from({ length: kmax }, (_, j) => 2 * (j + 1));
  const work: number[] = [];
  nSeq.forEach((n, j) => work.push((j === 0 ? 1 : work[j - 1]!) + n - 1));
  // Neville weights 1/((n_j/n_{j−l})² − 1), exact rationals.
  const nevW: S[][] = nSeq.map((nj, j) => Array.from({ length: j + 1 }, (_, l) => {
    if (l === 0) return F.zero;
    const ni = nSeq[j - l]!;
    return F.of(`${ni * ni}/${nj * nj - ni * ni}`);
  }));
  const rhs = countedDerivative(problem, stats);
  const evalF = rhs.evalF;
  const derivativeAt = rhs.at;
  // ODEX works with 1-based rows J = 1..KM (row J uses n_J = 2J substeps and has order 2J); so do we here.
  const KM = kmax;
  const nJ = (J: number): number => nSeq[J - 1]!;
  const A = (J: number): number => work[J - 1]!;
  // Initial target row: ODEX's K = max(2, min(KM−1, ⌊−0.6·log10 rtol + 1.5⌋)).
  let K = Math.max(2, Math.min(KM - 1, Math.floor(-Math.log10(tol.rtolNum) * 0.6 + 1.5)));
  if (gbsOptions.fixedRows !== undefined) K = Math.max(1, Math.min(gbsOptions.fixedRows, KM));
  let lastRejected = false;
  const FAC3 = 0.8;
  const FAC4 = 0.9;

  /** Row J (1-based) of the extrapolation table given row J−1. */
  const extrapolateRow = (first: S[], prevRow: S[][] | undefined, J: number): S[][] => {
    const row: S[][] = [first];
    for (let l = 1; l < J; l++) {
      const a = row[l - 1]!;
      const b = prevRow![l - 1]!;
      const w = nevW[J - 1]![l]!;
      row.push(a.map((v, i) => F.add(v, F.mul(F.sub(v, b[i]!), w))));
    }
    return row;
  };

  /** Value T_JJ of a fixed-size tableau from (t, y) over h (dense output and fixed-step mode). */
  const extrapolatedValue = (t: S, y: readonly S[], f0: readonly S[], h: S, rows: number): S[] => {
    let prevRow: S[][] | undefined;
    for (let J = 1; J <= rows; J++) {
      stats.fEvals += nJ(J) - 1;
      const first = modifiedMidpoint(F, problem.f, t, y, f0, h, nJ(J));
      prevRow = extrapolateRow(first, prevRow, J);
    }
    return prevRow![rows - 1]!;
  };

  const allFinite = (v: readonly S[]): boolean => v.every((x) => F.isFinite(x));

  return {
    name: 'GBS',
    order: 2 * K,
    derivativeAt,
    step(t: S, y: readonly S[], h: S, fixed: boolean): StepOutcome<S> {
      const f0 = derivativeAt(t, y);
      const tNew = F.add(t, h);
      const HH: number[] = new Array(KM + 2).fill(NaN); // HH(J) = h_J / h
      const W: number[] = new Array(KM + 2).fill(Infinity); // work per unit step A_J / HH(J)
      let prevRow: S[][] | undefined;
      let KC = 0; // last computed row
      let converged = false;
      let yNew: S[] | undefined;
      let errPrev = NaN;
      const lastRow = fixed ? K : Math.min(K + 1, KM);
      for (let J = 1; J <= lastRow; J++) {
        stats.fEvals += nJ(J) - 1;
        const first = modifiedMidpoint(F, problem.f, t, y, f0, h, nJ(J));
        const row = extrapolateRow(first, prevRow, J);
        prevRow = row;
        KC = J;
        if (!allFinite(row[J - 1]!)) break;
        if (fixed || J === 1) continue;
        const diff = row[J - 1]!.map((v, i) => F.sub(v, row[J - 2]![i]!));
        const err = scaledRmsNorm(F, diff, y, row[J - 1]!, tol);
        const expo = 1 / (2 * J - 1);
        const facmin = Math.pow(FAC1, expo);
        const fac = Math.min(FAC2 / facmin, Math.max(facmin, Math.pow(err / SAFE1, expo) / SAFE2));
        HH[J] = 1 / fac;
        W[J] = A(J) / HH[J]!;
        // Convergence monitor in rows K−1, K, K+1 (HNW I, II.9; ODEX). ODEX assumes each further row gains
        // (n_{J+1}/n_1)²; at tight tolerances the observed gain err_{J−1}/err_J is often far larger (1e4 per
        // row at 1e-30), and the fixed bound then rejects converging steps in a cascade. Use the larger.
        const gain = (Jn: number): number => Math.max((nJ(Math.min(Jn, KM)) / nJ(1)) ** 2, Number.isFinite(errPrev) && err > 0 ? errPrev / err : 0);
        if (J >= K - 1) {
          if (err <= 1) { converged = true; yNew = row[J - 1]!; break; }
          if (J === K - 1 && err > gain(K) * gain(K + 1)) break;
          if (J === K && J < lastRow && err > gain(K + 1)) break;
        }
        errPrev = err;
      }
      if (fixed) {
        const yv = prevRow![KC - 1]!;
        if (!allFinite(yv)) return { kind: 'failure', status: 'nonfinite', message: 'non-finite state in GBS step' };
        return { kind: 'accepted', tNew, yNew: yv, hNext: h, interpolant: reIntegration(F, t, y, f0, tNew, yv, KC, extrapolatedValue) };
      }
      if (!converged) {
        // ODEX label 100: K = min(K, KC, KM−1); maybe one lower; h = HH(K).
        lastRejected = true;
        K = Math.max(2, Math.min(K, KC, KM - 1));
        if (K > 2 && W[K - 1]! < W[K]! * FAC3) K = K - 1;
        const fac = Number.isFinite(HH[K]!) ? HH[K]! : Number.isFinite(HH[KC]!) ? HH[KC]! : 0.25;
        return { kind: 'rejected', hNext: F.mul(h, F.of(Math.min(fac, 0.9))) };
      }
      // Accepted in row KC: choose the next target row KOPT and step (ODEX label 60).
      let KOPT: number;
      if (KC === 2) {
        KOPT = Math.min(3, KM - 1);
        if (lastRejected) KOPT = 2;
      } else if (KC <= K) {
        KOPT = KC;
        if (W[KC - 1]! < W[KC]! * FAC3) KOPT = KC - 1;
        if (W[KC]! < W[KOPT]! * FAC4) KOPT = Math.min(KC + 1, KM - 1);
      } else {
        KOPT = KC - 1;
        if (KC > 3 && W[KC - 2]! < W[KC - 1]! * FAC3) KOPT = KC - 2;
        if (W[KC]! < W[KOPT]! * FAC4) KOPT = Math.min(KC, KM - 1);
      }
      let hFac: number;
      if (lastRejected) {
        KOPT = Math.min(KOPT, K);
        hFac = Math.min(1, HH[KOPT]!);
      } else if (KOPT <= KC) {
        hFac = HH[KOPT]!;
      } else if (KC < K && W[KC]! < W[KC - 1]! * FAC4) {
        hFac = (HH[KC]! * A(KOPT + 1)) / A(KC);
      } else {
        hFac = (HH[KC]! * A(KOPT)) / A(KC);
      }
      if (!Number.isFinite(hFac)) hFac = HH[KC]!;
      K = Math.max(2, KOPT);
      lastRejected = false;
      const yv = yNew!;
      return {
        kind: 'accepted',
        tNew,
        yNew: yv,
        hNext: F.mul(h, F.of(hFac)),
        interpolant: reIntegration(F, t, y, f0, tNew, yv, KC, extrapolatedValue),
      };
    },
  };
}

/** Dense output by re-running the extrapolation over [t0, t] (see module doc). */
function reIntegration<S>(
  F: Field<S>,
  t0: S,
  y0: readonly S[],
  f0: readonly S[],
  t1: S,
  y1: S[],
  rows: number,
  run: (t: S, y: readonly S[], f0: readonly S[], h: S, rows: number) => S[],
): Interpolant<S> {
  return {
    at(t: S): S[] {
      if (F.cmp(t, t0) === 0) return y0.slice();
      if (F.cmp(t, t1) === 0) return y1.slice();
      return run(t0, y0, f0, F.sub(t, t0), rows);
    },
  };
}
