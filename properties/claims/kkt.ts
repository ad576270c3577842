/**
 * KKT helpers of the A.T1 suite: is an ℓ1-SVM optimum unique and non-degenerate with unique duals (so the
 * flow's late-window λ must converge to the LP duals), and the certified bracket of SPEC.md §6
 * (lower ≤ OPT ≤ ‖W̃‖ ≤ upper) read from checkpoint JSON with decimal.js (full working precision).
 */
import { Decimal } from 'decimal.js';
import type { Dataset } from '../../src/data/Dataset.js';
import { buildConstraints } from '../../src/model/constraints.js';
import { optimalTokens } from '../../src/model/assumptions.js';
import { solveSvm } from '../../src/svm/solve.js';
import type { SvmResult } from '../../src/svm/SvmResult.js';
import { Q0, Q1, qabs, qadd, qcmp, qdot, qmul, qsign } from '../../src/numeric/rational.js';
import { rank } from '../../src/svm/exactLinalg.js';

export interface NonDegenerate {
  readonly ok: boolean;
  readonly why: string;
  readonly svm: SvmResult | null;
}

/**
 * Exact test on the certified LP solution (wExact, dualsExact): unique primal (svm.unique), strict
 * complementarity on both sides (λ_k > 0 ⇔ constraint k active; |ξ_j| < 1 ⇔ w_j = 0, ξ = Aᵀλ), and the
 * active rows restricted to the support have full row rank (then λ is the unique dual solution:
 * A_{S,J}ᵀ λ_S = sign(w_J) determines it).
 */
export function l1NonDegenerate(data: Dataset): NonDegenerate {
  let svm: SvmResult;
  try {
    svm = solveSvm(data, { norm: 'l1', structure: 'diag' });
  } catch (e) {
    return { ok: false, why: (e as Error).message, svm: null };
  }
  if (svm.status !== 'optimal') return { ok: false, why: 'infeasible', svm };
  if (svm.unique !== true) return { ok: false, why: `unique = ${svm.unique}`, svm };
  const w = svm.wExact;
  const lambda = svm.dualsExact;
  if (!w || !lambda) return { ok: false, why: 'no exact solution/duals', svm };
  const cs = buildConstraints(data, optimalTokens(data));
  const a = cs.diag.map((c) => c.a);
  const active = a.map((ak, k) => (qcmp(qdot(ak, w), Q1) === 0 ? k : -1)).filter((k) => k >= 0);
  for (let k = 0; k < a.length; k++) {
    const pos = qsign(lambda[k]!) > 0;
    if (pos !== active.includes(k)) return { ok: false, why: `complementarity not strict at constraint ${k}`, svm };
  }
  const xi = Array.from({ length: data.d }, (_, j) => a.reduce((s, ak, k) => qadd(s, qmul(lambda[k]!, ak[j]!)), Q0));
  const support = w.map((x, j) => (qsign(x) !== 0 ? j : -1)).filter((j) => j >= 0);
  for (let j = 0; j < data.d; j++) {
    const inside = qcmp(qabs(xi[j]!), Q1) < 0;
    if (inside === support.includes(j)) return { ok: false, why: `degenerate coordinate ${j} (|ξ_j| ${inside ? '<' : '='} 1, w_j ${support.includes(j) ? '≠' : '='} 0)`, svm };
  }
  const rows = active.map((k) => support.map((j) => a[k]![j]!));
  if (rows.length > 0 && rank(rows) < rows.length) return { ok: false, why: 'active rows on the support are dependent: duals not unique', svm };
  return { ok: true, why: 'unique, non-degenerate, unique duals', svm };
}

/** max_k |λ_k − λ*_k| / max(1, |λ*_k|) between a checkpoint's lambda_window and the svm JSON duals. */
export function dualAgreement(cp: Record<string, unknown>, svmJson: Record<string, unknown>): { worst: number; pairs: { i: number; t: number; flow: number; lp: number }[] } | null {
  const win = cp.lambda_window as { i: number; t: number; lambda: number }[] | null | undefined;
  const duals = svmJson.duals as { i: number; t: number; lambda: string }[] | undefined;
  if (!win || !duals) return null;
  let worst = 0;
  const pairs: { i: number; t: number; flow: number; lp: number }[] = [];
  for (const d of duals) {
    const f = win.find((x) => x.i === d.i && x.t === d.t);
    if (!f) return null;
    const lp = Number(d.lambda);
    worst = Math.max(worst, Math.abs(f.lambda - lp) / Math.max(1, Math.abs(lp)));
    pairs.push({ i: d.i, t: d.t, flow: f.lambda, lp });
  }
  return { worst, pairs };
}

/** Unit roundoff of a checkpoint's backend ("float64" or "decimal(D)"). */
export function unitRoundoff(backend: unknown): number {
  const m = typeof backend === 'string' ? /decimal\((\d+)\)/.exec(backend) : null;
  return m ? 10 ** (1 - Number(m[1])) : 2 ** -52;
}

export interface BracketCheck {
  readonly checked: boolean;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * lower ≤ OPT ≤ ‖W̃‖ ≤ upper at one checkpoint, up to roundoff: a slack of 1e4 units of the backend's
 * roundoff times max(1, OPT) (the same allowance as measureRun's bracketHolds).
 */
export function checkBracket(cp: Record<string, unknown>, opt: string): BracketCheck {
  const b = cp.bracket as { lower: string; norm: string | null; upper: string | null } | null | undefined;
  if (!b) return { checked: false, ok: true, detail: 'no bracket' };
  const D = Decimal.clone({ precision: 120 });
  const OPT = new D(opt);
  const slack = OPT.abs().greaterThan(1) ? OPT.abs().times(1e4 * unitRoundoff(cp.backend)) : new D(1e4 * unitRoundoff(cp.backend));
  const lower = new D(b.lower);
  const problems: string[] = [];
  if (lower.greaterThan(OPT.plus(slack))) problems.push(`lower ${b.lower} > OPT ${opt}`);
  if (b.norm !== null) {
    const norm = new D(b.norm);
    if (norm.plus(slack).lessThan(OPT)) problems.push(`‖W̃‖ ${b.norm} < OPT ${opt}`);
    if (b.upper !== null && norm.greaterThan(new D(b.upper).plus(slack))) problems.push(`‖W̃‖ ${b.norm} > upper ${b.upper}`);
  }
  if (b.upper !== null && new D(b.upper).plus(slack).lessThan(OPT)) problems.push(`upper ${b.upper} < OPT ${opt}`);
  return { checked: true, ok: problems.length === 0, detail: problems.length ? `ρ = ${cp.rho} (${cp.backend}): ${problems.join('; ')}` : `ρ = ${cp.rho}: ${b.lower} ≤ ${opt} ≤ ${b.norm} ≤ ${b.upper}` };
}
