/**
 * The entrywise ℓp SVM of SPEC.md §5 (`lp`, predicted limit of ℓp mirror descent, paper C), 1 < p < ∞:
 *   diag:  min ‖w‖_p  s.t. ⟨a_{i,t}, w⟩ ≥ 1        full:  min ‖W‖_p (entrywise)  s.t. ⟨A_{i,t}, W⟩ ≥ 1.
 *
 * Method (the data are first scaled to max |a_kj| = 1; the answer is scaled back):
 *  1. feasibility: Farkas LP with glpk, certificate verified in rationals (conicFarkas.ts);
 *  2. float64: the smooth dual min_{λ≥0} (1/q)‖Aᵀλ‖_q^q − 1ᵀλ by projected Newton (conicLpNewton.ts), the
 *     primal from the duality map w = sign(M)|M|^{q−1}; for p > 2 (q < 2, where that map is only Hölder)
 *     finished in the primal: log-barrier path following (conicLpBarrier.ts) then primal–dual semismooth
 *     Newton on the KKT system (conicLpKkt.ts);
 *  3. Decimal (when `digits` is given, or at 34 digits when float64 stalls above its 1e-12 target):
 *     the same Newton iterations polish the float64 point;
 *  4. the weak-duality certificate of conicLpCertificate.ts (SPEC.md §5 "Weak duality gives every
 *     certificate"): exact primal feasibility of the reported strings, ‖Aᵀλ‖_q ≤ 1, gap ≥ 0 up to roundoff.
 * The optimum is unique (‖·‖_p strictly convex for 1 < p < ∞).
 */
import type { ConstraintSet } from '../model/constraints.js';
import type { Field } from '../numeric/Field.js';
import { float64Field } from '../numeric/float64.js';
import { decimalField, type Dec } from '../numeric/decimal.js';
import { type Rational, qabs, qcmp, qdiv, qisZero, qtoString } from '../numeric/rational.js';
import type { SvmResult } from './SvmResult.js';
import { constraintLabels, constraintRows, dualEntries, fieldLabel, toField, unflatten, weakDualityCertificate, type Structure } from './conicData.js';
import { farkasCheck, infeasibleConicResult } from './conicFarkas.js';
import { lpDualNewton, lpDualStart } from './conicLpNewton.js';
import { lpCertificate, lpRelativeGap } from './conicLpCertificate.js';
import { lpKktNewton } from './conicLpKkt.js';
import { lpBarrier } from './conicLpBarrier.js';

export interface LpOptions {
  readonly structure: Structure;
  readonly p: number;
  /** undefined → float64; a number → Decimal at that many digits (float64 solve, then Decimal polish). */
  readonly digits?: number;
}

/** Relative-gap targets: float64 certifies ≤ 1e-12; Decimal(D) aims at 10^{-(D−8)}. */
const FLOAT_TARGET = 1e-13;

export function solveLp(cs: ConstraintSet, opts: LpOptions): SvmResult {
  const { structure, p, digits } = opts;
  if (!(p > 1) || !Number.isFinite(p)) throw new RangeError(`lp SVM needs 1 < p < ∞, got ${p}`);
  const rows = constraintRows(cs, structure);
  const labels = constraintLabels(cs, structure);
  const N = structure === 'diag' ? cs.d : cs.d * cs.d;
  const base = { norm: 'lp' as const, structure, p, opt_tokens: cs.opt.slice() };
  const F = digits === undefined ? null : decimalField(digits);

  // 1. feasibility (SPEC.md §3 (c))
  const farkas = farkasCheck(rows);
  if (farkas.infeasible) {
    return infeasibleConicResult(base, labels, farkas, digits);
  }

  // 2. columns that carry data (w_j = 0 elsewhere)
  const cols: number[] = [];
  for (let j = 0; j < N; j++) if (rows.some((r) => !qisZero(r[j]!))) cols.push(j);
  const rowsC = rows.map((r) => cols.map((j) => r[j]!));
  const notes: string[] = [...farkas.notes];
  if (rows.length === 0) {
    // no constraints: W = 0 is optimal and the certificate is trivial
    return {
      ...base, status: 'optimal', unique: true, objective: '0', ...(structure === 'diag' ? { w: Array.from({ length: N }, () => '0') } : { W: unflatten(Array.from({ length: N }, () => '0'), cs.d) }), duals: [],
      certificate: { primal_infeasibility: '0', dual_infeasibility: '0', gap: '0', relative_gap: '0', exact: true, method: 'no constraints: W = 0' },
      ...(digits !== undefined ? { digits } : {}), notes: ['no constraints'],
    };
  }
  // the solvers work on A/s with s = max |A_kj| (tolerances are then relative); the solution of the
  // original problem is (λ, w) = (λ'/s, w'/s), certified against the exact unscaled rows
  let scale = rowsC.flat().reduce((m, x) => (qcmp(qabs(x), m) > 0 ? qabs(x) : m), { num: 0n, den: 1n } as Rational);
  if (qisZero(scale)) scale = { num: 1n, den: 1n };
  const rowsS = rowsC.map((r) => r.map((x) => qdiv(x, scale)));
  const unscale = <S>(G: Field<S>, v: S[]): S[] => { const sG = G.fromRational(scale); return v.map((x) => G.div(x, sG)); };

  // 3. float64: dual projected Newton; for p > 2 finished by primal–dual Newton (see conicLpKkt.ts)
  const f64 = float64Field;
  const A64 = toField(f64, rowsS);
  const q64 = p / (p - 1);
  const gap64 = (lambda: number[], M: number[], w: number[]): boolean => {
    const g = lpRelativeGap(f64, A64, p, q64, lambda, M, w);
    return g !== null && g <= FLOAT_TARGET;
  };
  const start64 = lpDualStart(f64, A64, q64, rows.map(() => 1));
  const run64 = lpDualNewton(f64, A64, q64, start64, {
    maxIterations: p > 2 ? 50 : 500,
    done: (pt) => gap64(pt.lambda, pt.M, pt.w),
  });
  notes.push(`float64 dual projected Newton: ${run64.iterations} iterations (${run64.stop})`);
  let lambda64 = run64.point.lambda;
  let w64 = run64.point.w;
  if (p > 2 && run64.stop !== 'target') {
    // q < 2: finish in the primal (barrier path following, then KKT Newton), keep the best certified point
    const relGap64 = (lambda: number[], w: number[]): number => {
      const M = w.map(() => 0);
      lambda.forEach((l, k) => A64[k]!.forEach((a, j) => { M[j] += l * a; }));
      return lpRelativeGap(f64, A64, p, q64, lambda, M, w) ?? Infinity;
    };
    let best = { lambda: lambda64, w: w64, gap: relGap64(lambda64, w64) };
    const w0 = strictlyFeasibleStart(A64, w64);
    if (w0 !== null) {
      const bar = lpBarrier(f64, A64, p, w0, { relGap: 1e-11, maxNewton: 400, growth: 10 });
      notes.push(`float64 primal log-barrier: ${bar.newtonSteps} Newton steps (${bar.stop})`);
      const gb = relGap64(bar.lambda, bar.w);
      if (gb < best.gap) best = { lambda: bar.lambda, w: bar.w, gap: gb };
    } else notes.push('no strictly feasible start for the primal barrier');
    const kkt = lpKktNewton(f64, A64, p, best.w, best.lambda, { maxIterations: 100, done: (st) => gap64(st.lambda, st.M, st.w) });
    notes.push(`float64 primal–dual Newton: ${kkt.iterations} iterations (${kkt.stop})`);
    const gk = relGap64(kkt.state.lambda, kkt.state.w);
    if (gk < best.gap) best = { lambda: kkt.state.lambda, w: kkt.state.w, gap: gk };
    lambda64 = best.lambda;
    w64 = best.w;
  }
  if (F === null) {
    const result = finish(f64, unscale(f64, lambda64), unscale(f64, w64));
    const rel = Number(result.certificate?.relative_gap ?? Infinity);
    if (rel <= 1e-12) return result;
    // float64 stalled at its roundoff floor (|M|^{q−1} amplifies relative errors by q − 1): polish in
    // Decimal(34) and round the polished point back to float64, where the certificate is re-evaluated
    const D34 = decimalField(34);
    const pol = polish(D34, lambda64, w64);
    const again = finish(f64, unscale(f64, pol.lambda.map((x) => D34.toNumber(x))), unscale(f64, pol.w.map((x) => D34.toNumber(x))));
    return Number(again.certificate?.relative_gap ?? Infinity) < rel ? again : result;
  }

  // 4. Decimal polish from the float64 point
  const pol = polish(F, lambda64, w64);
  return finish(F, unscale(F, pol.lambda), unscale(F, pol.w));

  /** Newton polish in Decimal from the (scaled) float64 point: KKT Newton for p > 2, dual Newton otherwise. */
  function polish(D: Field<Dec>, lambda0: number[], w0: number[]): { lambda: Dec[]; w: Dec[] } {
    const AD = toField(D, rowsS);
    const pD = D.of(String(p));
    const qD = D.div(pD, D.sub(pD, D.one));
    const targetD = D.of(`1e-${Math.max(10, D.digits - 8)}`);
    const gapD = (lambda: Dec[], M: Dec[], w: Dec[]): boolean => {
      const g = lpRelativeGap(D, AD, pD, qD, lambda, M, w);
      return g !== null && !D.gt(g, targetD);
    };
    const lambdaD0 = lambda0.map((x) => D.of(x));
    if (p > 2) {
      const kkt = lpKktNewton(D, AD, pD, w0.map((x) => D.of(x)), lambdaD0, { maxIterations: 300, done: (st) => gapD(st.lambda, st.M, st.w) });
      notes.push(`${fieldLabel(D)} primal–dual Newton polish: ${kkt.iterations} iterations (${kkt.stop})`);
      return { lambda: kkt.state.lambda, w: kkt.state.w };
    }
    const runD = lpDualNewton(D, AD, qD, lambdaD0, { maxIterations: 60, done: (pt) => gapD(pt.lambda, pt.M, pt.w) });
    notes.push(`${fieldLabel(D)} dual projected Newton polish: ${runD.iterations} iterations (${runD.stop})`);
    return { lambda: runD.point.lambda, w: runD.point.w };
  }

  /** Certificate and result from a dual λ and a primal w (both in field G). */
  function finish<S>(G: Field<S>, lambda: S[], w: S[]): SvmResult {
    const A = toField(G, rowsC);
    const pG = G.of(String(p));
    const qG = G.div(pG, G.sub(pG, G.one));
    const M: S[] = cols.map(() => G.zero);
    lambda.forEach((l, k) => { if (!G.isZero(l)) A[k]!.forEach((a, j) => { M[j] = G.add(M[j]!, G.mul(l, a)); }); });
    const cert = lpCertificate(G, rowsC, A, pG, qG, lambda, M, w);
    if (cert === null) {
      return { ...base, status: 'optimal', unique: true, notes: [...notes, 'no certificate: the dual iterate gives no positive margin'], ...(digits !== undefined ? { digits } : {}) };
    }
    const full: S[] = Array.from({ length: N }, () => G.zero);
    cols.forEach((j, c) => { full[j] = cert.w[c]!; });
    const wStr = full.map((x) => G.toString(x));
    const rel = G.toNumber(cert.relativeGap);
    const target = G.kind === 'float64' ? 1e-12 : Number(`1e-${Math.max(10, digits! - 20)}`);
    const out = [...notes];
    if (!(rel <= target)) out.push(`certified relative gap ${rel} is above the target ${target}`);
    return {
      ...base,
      status: 'optimal',
      objective: G.toString(cert.primalObjective),
      ...(structure === 'diag' ? { w: wStr } : { W: unflatten(wStr, cs.d) }),
      duals: dualEntries(G, labels, cert.lambda),
      certificate: weakDualityCertificate(G, cert, `weak duality in ${fieldLabel(G)}: ℓq dual (q = p/(p−1)) by projected Newton, primal by the duality map `
          + `sign(M)|M|^{q−1}${p > 2 ? ' refined by primal–dual Newton on the KKT system' : ''}, primal margins ≥ 1 verified exactly in rationals, ‖Aᵀλ‖_q ≤ 1 in the field`),
      unique: true,
      ...(digits !== undefined ? { digits } : {}),
      notes: out,
    };
  }
}

/**
 * A w with every margin ⟨a_k, w⟩ ≥ 2 (strictly inside the feasible set, for the primal barrier): the given
 * w rescaled if its margins are positive, else the ℓ2 (q = 2) dual solution's w = Aᵀλ rescaled.
 */
function strictlyFeasibleStart(A: number[][], w: number[]): number[] | null {
  const scaled = (v: number[]): number[] | null => {
    const h = Math.min(...A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));
    return h > 0 && Number.isFinite(h) ? v.map((x) => (2 * x) / h) : null;
  };
  const fromW = scaled(w);
  if (fromW !== null) return fromW;
  const run = lpDualNewton(float64Field, A, 2, lpDualStart(float64Field, A, 2, A.map(() => 1)), { maxIterations: 100, done: () => false });
  return scaled(run.point.w);
}
