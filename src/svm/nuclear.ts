/**
 * The nuclear-norm SVM of SPEC.md §5 (`nuclear`, predicted limit of gradient flow on `kq`, paper A
 * Theorem 2): min ‖W‖_* s.t. ⟨A_{i,t}, W⟩ ≥ 1 over full W ∈ R^{d×d}.
 *
 * Method (no SDP solver exists on npm; this one is fit for small problems, d ≲ 10, m ≲ 60):
 *  1. feasibility by the Farkas LP of conicFarkas.ts (λ ≥ 0, Σλ = 1, Σ λ A = 0), verified in rationals;
 *     constraints dominated by a parallel one (A_k = c·A_j, c ≥ 1) are dropped (exactly implied, λ_k = 0);
 *  2. the dual max 1ᵀλ s.t. ‖Σ λ A‖₂ ≤ 1, λ ≥ 0 by log-det barrier path following (conicNuclearBarrier.ts)
 *     in float64, continued in Decimal when `digits` is given (or at 30 digits, rounded back, when float64
 *     stalls above its 1e-9 target);
 *  3. primal candidates (barrier primal, top-singular-subspace solutions for several active-set guesses)
 *     and dual candidates (barrier λ, λ on the tight constraints, subspace refits), each made feasible on
 *     its own; the smallest primal and largest dual objective form the weak-duality certificate of
 *     conicNuclearCertificate.ts (exact primal feasibility of the reported strings, ‖ΣλA‖₂ ≤ 1 by Jacobi
 *     SVD in the working field).
 * Uniqueness is not decided (`unique: null`).
 */
import type { ConstraintSet } from '../model/constraints.js';
import type { Field } from '../numeric/Field.js';
import { float64Field } from '../numeric/float64.js';
import { decimalField, type Dec } from '../numeric/decimal.js';
import { type Rational, qtoString } from '../numeric/rational.js';
import type { Matrix } from '../numeric/linalg.js';
import type { SvmResult } from './SvmResult.js';
import { constraintLabels, constraintRows, dualEntries, fieldLabel, undominatedConstraints, weakDualityCertificate } from './conicData.js';
import { farkasCheck, infeasibleConicResult } from './conicFarkas.js';
import { nuclearBarrier, type BarrierPoint, type NuclearData } from './conicNuclearBarrier.js';
import { activeSetGuesses, certifyPrimal, combineCertificate, exactlyFeasible, scalePrimal, feasibleDual, subspaceDuals, subspacePrimals, type CertifiedPrimal, type NuclearCertificate } from './conicNuclearCertificate.js';

export interface NuclearOptions {
  /** undefined → float64; a number → Decimal at that many digits (float64 solve continued in Decimal). */
  readonly digits?: number;
}

/** Relative gap targets: float64 certifies ≤ 1e-9 (SPEC.md §5); Decimal(D) aims at 10^{-(D−12)}. */
const FLOAT_TARGET = 1e-9;

export function solveNuclear(cs: ConstraintSet, opts: NuclearOptions = {}): SvmResult {
  const { digits } = opts;
  const d = cs.d;
  const rows = constraintRows(cs, 'full');
  const labels = constraintLabels(cs, 'full');
  const base = { norm: 'nuclear' as const, structure: 'full' as const, opt_tokens: cs.opt.slice(), unique: null };
  const F = digits === undefined ? null : decimalField(digits);

  const farkas = farkasCheck(rows);
  if (farkas.infeasible) {
    return infeasibleConicResult(base, labels, farkas, digits);
  }
  const notes: string[] = [...farkas.notes];
  if (rows.length === 0) {
    // no constraints: W = 0 is optimal and the certificate is trivial
    return {
      ...base, status: 'optimal', objective: '0', W: Array.from({ length: d }, () => Array.from({ length: d }, () => '0')), duals: [],
      certificate: { primal_infeasibility: '0', dual_infeasibility: '0', gap: '0', relative_gap: '0', exact: true, method: 'no constraints: W = 0' },
      ...(digits !== undefined ? { digits } : {}), notes: ['no constraints'],
    };
  }

  // constraints dominated by a parallel one are implied; dropping them removes an exact degeneracy
  const keep = undominatedConstraints(rows);
  if (keep.length < rows.length) notes.push(`${rows.length - keep.length} constraints dominated by parallel ones (λ = 0)`);
  const expand = <S>(G: Field<S>, cert: NuclearCertificate<S> | null): NuclearCertificate<S> | null => {
    if (cert === null) return null;
    const lambda = rows.map(() => G.zero);
    keep.forEach((k, s) => { lambda[k] = cert.lambda[s]!; });
    return { ...cert, lambda };
  };

  // float64 path following
  const f64 = float64Field;
  const data64 = nuclearData(f64, cs, keep);
  const m = keep.length;
  let spread = 0;
  data64.left.forEach((l, k) => { spread += norm(l) * norm(data64.right[k]!); });
  const c0 = 0.5 / spread;
  const run64 = nuclearBarrier(f64, data64, {
    lambda0: keep.map(() => c0), t0: null, growth: 10, relGap: 1e-12, maxNewton: 600,
  });
  notes.push(`float64 log-det barrier: ${run64.newtonSteps} Newton steps (${run64.stop}), t = ${run64.tCentred.toExponential(2)}`);
  const cert64 = bestCertificate(f64, data64, rows, run64.point);
  if (F === null) {
    if (cert64 !== null && cert64.relativeGap <= FLOAT_TARGET) return finish(f64, expand(f64, cert64), FLOAT_TARGET);
    // float64 stalled above the target: continue in Decimal(30), round back, re-certify in float64
    const D30 = decimalField(30);
    const certD = continueInDecimal(D30);
    if (certD !== null) {
      const W = certD.W.map((row) => row.map((x) => D30.toNumber(x)));
      const primal = certifyPrimal(f64, data64, rows, W, certD.source);
      const dual = feasibleDual(f64, data64, certD.lambda.map((x) => D30.toNumber(x)));
      if (primal !== null) {
        const again = combineCertificate(f64, primal, { ...dual, source: `${certD.source} (Decimal(30), rounded)` });
        if (cert64 === null || again.relativeGap < cert64.relativeGap) return finish(f64, expand(f64, again), FLOAT_TARGET);
      }
    }
    return finish(f64, expand(f64, cert64), FLOAT_TARGET);
  }
  return finish(F, expand(F, continueInDecimal(F)), Number(`1e-${Math.max(10, digits! - 20)}`));

  /** The barrier continued in Decimal from the float64 point; the best certificate found (reduced indices). */
  function continueInDecimal(D: Field<Dec>): NuclearCertificate<Dec> | null {
    const dataD = nuclearData(D, cs, keep);
    const targetD = D.of(`1e-${Math.max(10, D.digits - 12)}`);
    const tStart = D.of(run64.tCentred > 0 ? run64.tCentred : (m + d) / (m * c0));
    // stop as soon as a centred point certifies the target
    let certD: NuclearCertificate<Dec> | null = null;
    const runD = nuclearBarrier(D, dataD, {
      lambda0: run64.point.lambda.map((x) => D.of(x)), t0: tStart, growth: 1000, relGap: targetD, maxNewton: 400,
      onCentred: (pt) => {
        // certificates cost several Decimal SVDs: try them only once the barrier bound is below √target
        let sumL = D.zero;
        for (const l of pt.lambda) sumL = D.add(sumL, l);
        if (D.gt(D.div(D.of(m + d), pt.t), D.mul(D.sqrt(targetD), sumL))) return false;
        const cert = bestCertificate(D, dataD, rows, pt);
        if (cert !== null && (certD === null || D.lt(cert.gap, certD.gap))) certD = cert;
        return certD !== null && !D.gt(certD.relativeGap, targetD);
      },
    });
    notes.push(`${fieldLabel(D)} log-det barrier: ${runD.newtonSteps} Newton steps (${runD.stop}), t = ${D.toPrecision(runD.tCentred, 3)}`);
    const last = bestCertificate(D, dataD, rows, runD.point);
    const found = certD as NuclearCertificate<Dec> | null;
    return found !== null && (last === null || D.lt(found.gap, last.gap)) ? found : last;
  }

  function finish<S>(G: Field<S>, cert: NuclearCertificate<S> | null, target: number): SvmResult {
    if (cert === null) {
      return { ...base, status: 'optimal', notes: [...notes, 'no certificate: no primal candidate had a positive margin'], ...(digits !== undefined ? { digits } : {}) };
    }
    const rel = G.toNumber(cert.relativeGap);
    if (!(rel <= target)) notes.push(`certified relative gap ${rel} is above the target ${target}`);
    notes.push(cert.source);
    return {
      ...base,
      status: 'optimal',
      objective: G.toString(cert.primalObjective),
      W: cert.W.map((row) => row.map((x) => G.toString(x))),
      duals: dualEntries(G, labels, cert.lambda),
      certificate: weakDualityCertificate(G, cert, `weak duality in ${fieldLabel(G)}: dual max 1ᵀλ s.t. ‖ΣλA‖₂ ≤ 1 by log-det barrier, λ rescaled by its `
          + 'spectral norm (Jacobi SVD), primal margins ≥ 1 verified exactly in rationals, ‖W‖_* by Jacobi SVD'),
      ...(digits !== undefined ? { digits } : {}),
      notes,
    };
  }
}

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function nuclearData<S>(F: Field<S>, cs: ConstraintSet, keep: readonly number[]): NuclearData<S> {
  return {
    d: cs.d,
    left: keep.map((k) => cs.full[k]!.left.map((q) => F.fromRational(q))),
    right: keep.map((k) => cs.full[k]!.right.map((q) => F.fromRational(q))),
  };
}

/**
 * Certify every primal candidate (barrier primal, subspace solutions) and every dual candidate (barrier λ,
 * λ restricted to the constraints tight at the best primal, subspace refits), each made feasible on its
 * own; pair the smallest primal objective with the largest dual objective.
 */
function bestCertificate<S>(
  F: Field<S>, data: NuclearData<S>, rows: readonly (readonly Rational[])[], pt: BarrierPoint<S>,
): NuclearCertificate<S> | null {
  const primalCandidates: { W: Matrix<S>; source: string }[] = [
    { W: pt.W, source: 'the barrier primal (2/t)M(I − MᵀM)⁻¹' },
    ...activeSetGuesses(F, data, pt.lambda, pt.t, pt.W).flatMap((active) => subspacePrimals(F, data, pt.lambda, active)
      .map(({ W, r }) => ({ W, source: `the top-${r} singular subspace of ΣλA (${active.length} active constraints)` }))),
  ];
  // screen in the field, then make only the best candidate exactly feasible
  let bestScaled: { W: Matrix<S>; objective: S; source: string } | null = null;
  for (const c of primalCandidates) {
    const sc = scalePrimal(F, data, c.W);
    if (sc !== null && (bestScaled === null || F.lt(sc.objective, bestScaled.objective))) bestScaled = { ...sc, source: c.source };
  }
  if (bestScaled === null) return null;
  const primal: CertifiedPrimal<S> = exactlyFeasible(F, data, rows, bestScaled, bestScaled.source);
  // constraints tight at the best primal (margin within √u of 1) carry the dual
  const slack = F.sqrt(F.epsilon());
  const tight = primal.margins.map((h, k) => (F.gt(F.sub(h, F.one), slack) ? -1 : k)).filter((k) => k >= 0);
  const restricted = pt.lambda.map((l, k) => (tight.includes(k) ? l : F.zero));
  const dualCandidates: { lambda: S[]; source: string }[] = [
    { lambda: pt.lambda, source: 'the barrier' },
    { lambda: restricted, source: 'the barrier, restricted to the tight constraints' },
    ...subspaceDuals(F, data, pt.lambda, tight).map(({ lambda, r }) => ({ lambda, source: `a top-${r} subspace refit on the tight constraints` })),
  ];
  let dual: { lambda: S[]; spectral: S; source: string; objective: S } | null = null;
  for (const c of dualCandidates) {
    if (c.lambda.every((l) => F.isZero(l))) continue;
    const f = feasibleDual(F, data, c.lambda);
    let obj = F.zero;
    for (const l of f.lambda) obj = F.add(obj, l);
    if (dual === null || F.gt(obj, dual.objective)) dual = { ...f, source: c.source, objective: obj };
  }
  if (dual === null) return null;
  return combineCertificate(F, primal, dual);
}
