/**
 * The ℓ1 SVM over diagonal W (SPEC.md §5, problem `l1`):
 *
 *   min ‖w‖₁  s.t. ⟨a_{i,t}, w⟩ ≥ 1,   written as the LP  min 1ᵀ(w⁺ + w⁻)  s.t.  A(w⁺ − w⁻) ≥ 1, w± ≥ 0.
 *
 * glpk solves it in float64; its basis warm-starts an exact rational simplex (l1Simplex.ts) whose final
 * basis yields w and λ exactly; the KKT certificate is then re-verified exactly (l1Certificate.ts).
 * Infeasible data (A1(c) fails, §3) get a Farkas certificate verified exactly (farkas.ts).
 */
import type { ConstraintSet } from '../model/constraints.js';
import { type Rational, rat, qsign } from '../numeric/rational.js';
import type { SvmResult, DualEntry } from './SvmResult.js';
import { solveGlpk, glpk, type LP, type GlpkSolution } from './glpk.js';
import { independentSubset } from './exactLinalg.js';
import { exactL1Simplex, type L1Basis } from './l1Simplex.js';
import { verifyL1Certificate } from './l1Certificate.js';
import { findFarkas, verifyFarkas } from './farkas.js';
import { decideL1Uniqueness } from './l1Uniqueness.js';
import { DEFAULT_SVM_DIGITS, decimalString, decimalStrings } from './format.js';

export interface L1Options {
  readonly digits?: number;
  /** decide uniqueness of the optimum (default true) */
  readonly uniqueness?: boolean;
}

const toFloat = (q: Rational): number => Number(q.num) / Number(q.den);

/** The LP of §5 in glpk form: variables p_j = w_j⁺, n_j = w_j⁻, rows r_k: ⟨a_k, p − n⟩ ≥ 1. */
export function l1Lp(a: readonly (readonly Rational[])[], d: number): LP {
  const af = a.map((row) => row.map(toFloat));
  const vars = [];
  for (let j = 0; j < d; j++) vars.push({ name: `p${j}`, coef: 1 }, { name: `n${j}`, coef: 1 });
  return {
    name: 'l1svm',
    objective: { direction: glpk.GLP_MIN, name: 'l1norm', vars },
    subjectTo: af.map((row, k) => {
      const v: { name: string; coef: number }[] = [];
      row.forEach((x, j) => { if (x !== 0) v.push({ name: `p${j}`, coef: x }, { name: `n${j}`, coef: -x }); });
      return { name: `r${k}`, vars: v, bnds: { type: glpk.GLP_LO, lb: 1, ub: 0 } };
    }),
    bounds: vars.map((v) => ({ name: v.name, type: glpk.GLP_LO, lb: 0, ub: 0 })),
  };
}

/** Candidate bases of the exact simplex read off glpk's float solution (support, signs, active rows). */
export function basesFromGlpk(a: readonly (readonly Rational[])[], d: number, sol: GlpkSolution): L1Basis[] {
  const w = Array.from({ length: d }, (_, j) => (sol.vars[`p${j}`] ?? 0) - (sol.vars[`n${j}`] ?? 0));
  const scale = Math.max(1e-300, ...w.map(Math.abs));
  const S = w.map((x, j) => (Math.abs(x) > 1e-9 * scale ? j : -1)).filter((j) => j >= 0);
  const sigma = S.map((j) => (w[j]! > 0 ? 1 : -1) as 1 | -1);
  const af = a.map((row) => row.map(toFloat));
  const slack = af.map((row) => row.reduce((s, x, j) => s + x * w[j]!, 0) - 1);
  const dual = a.map((_, k) => sol.dual[`r${k}`] ?? 0);
  const byDual = a.map((_, k) => k).sort((x, y) => dual[y]! - dual[x]! || slack[x]! - slack[y]!);
  const bySlack = a.map((_, k) => k).sort((x, y) => slack[x]! - slack[y]! || dual[y]! - dual[x]!);
  // primal-degenerate vertices: coordinates with w_j = 0 but |ξ_j| = 1 (ξ = Aᵀλ from glpk's duals) are
  // nonbasic slacks of (D) too; the enlarged support pairs with the rows of positive dual
  const xi = Array.from({ length: d }, (_, j) => af.reduce((s, row, k) => s + dual[k]! * row[j]!, 0));
  const inS = new Set(S);
  const extra = xi.map((x, j) => (!inS.has(j) && Math.abs(Math.abs(x) - 1) < 1e-9 ? j : -1)).filter((j) => j >= 0);
  const S2 = [...S, ...extra];
  const sigma2 = [...sigma, ...extra.map((j) => (xi[j]! > 0 ? 1 : -1) as 1 | -1)];
  const out: L1Basis[] = [];
  for (const [supp, sg] of extra.length > 0 ? [[S2, sigma2], [S, sigma]] as const : [[S, sigma]] as const) {
    const restricted = a.map((row) => supp.map((j) => row[j]!));
    for (const order of [byDual, bySlack]) {
      const K = independentSubset(restricted, order, supp.length);
      if (K.length === supp.length) out.push({ K, S: [...supp], sigma: [...sg] });
    }
  }
  return out;
}

export function solveL1(cs: ConstraintSet, opts: L1Options = {}): SvmResult {
  const digits = opts.digits ?? DEFAULT_SVM_DIGITS;
  const d = cs.d;
  const a = cs.diag.map((c) => c.a);
  const notes: string[] = [];
  const base = { norm: 'l1' as const, structure: 'diag' as const, opt_tokens: cs.opt, digits };

  const sol = solveGlpk(l1Lp(a, d));
  notes.push(`glpk status: ${sol.status}`);
  if (sol.status === 'infeasible') {
    const f = findFarkas(a, d);
    if (f.kind === 'found') return infeasibleResult(cs, f.lambda, true, digits, [...notes, 'Farkas vector from glpk, rebuilt and verified exactly'], base);
    notes.push(f.note);
  } else if (sol.status !== 'optimal') {
    notes.push('glpk did not report an optimum; running the exact simplex from the slack basis');
  }

  const starts = sol.status === 'optimal' ? basesFromGlpk(a, d, sol) : [];
  const out = exactL1Simplex(a, d, starts);
  notes.push(`exact simplex: ${out.warm ? 'warm-started from the glpk basis' : 'cold start (slack basis)'}, ${out.pivots} pivot(s)`);

  if (out.kind === 'infeasible') {
    const ok = verifyFarkas(a, d, out.farkas);
    return infeasibleResult(cs, out.farkas, ok, digits, [...notes, 'Farkas ray of the exact simplex on the dual'], base);
  }
  if (out.kind === 'failed') {
    notes.push(`exact simplex failed: ${out.reason}`);
    return uncertifiedFromGlpk(cs, sol, digits, notes, base);
  }

  const check = verifyL1Certificate(a, d, out.w, out.lambda);
  const uniq = opts.uniqueness === false
    ? { unique: null, notes: ['uniqueness not decided (disabled)'] }
    : decideL1Uniqueness(a, d, out.w, out.lambda, check.xi, digits);
  notes.push(...uniq.notes);
  const duals: DualEntry[] = cs.diag.map((c, k) => ({ i: c.i, t: c.t, lambda: decimalString(out.lambda[k]!, digits) }));
  return {
    ...base,
    status: 'optimal',
    objective: decimalString(check.l1norm, digits),
    w: decimalStrings(out.w, digits),
    wExact: out.w,
    duals,
    dualsExact: out.lambda,
    certificate: {
      primal_infeasibility: decimalString(check.primalInfeasibility, digits),
      dual_infeasibility: decimalString(check.dualInfeasibility, digits),
      gap: decimalString(check.gap, digits),
      relative_gap: qsign(check.l1norm) === 0 ? '0' : decimalString(rat(check.gap.num * check.l1norm.den, check.gap.den * check.l1norm.num), digits),
      exact: check.exact,
      method: check.exact
        ? 'exact rational simplex basis (warm-started from glpk), KKT verified in rational arithmetic'
        : `rational basis; exact verification FAILED (${failedChecks(check).join(', ')})`,
    },
    unique: uniq.unique,
    ...(uniq.face ? { face: uniq.face } : {}),
    notes,
  };
}

function failedChecks(c: ReturnType<typeof verifyL1Certificate>): string[] {
  const out: string[] = [];
  if (!c.primalFeasible) out.push('primal feasibility');
  if (!c.dualNonnegative) out.push('λ ≥ 0');
  if (!c.dualFeasible) out.push('‖Aᵀλ‖∞ ≤ 1');
  if (!c.subgradient) out.push('Aᵀλ = sign(w) on the support');
  if (!c.complementarySlackness) out.push('complementary slackness');
  if (!c.zeroGap) out.push('1ᵀλ = ‖w‖₁');
  return out;
}

type Base = { norm: SvmResult['norm']; structure: SvmResult['structure']; opt_tokens: readonly number[]; digits: number };

export function infeasibleResult(cs: ConstraintSet, lambda: readonly Rational[], exact: boolean, digits: number, notes: string[], base: Base): SvmResult {
  const index = base.structure === 'diag' ? cs.diag : cs.full;
  return {
    ...base,
    status: 'infeasible',
    farkas: index.map((c, k) => ({ i: c.i, t: c.t, lambda: decimalString(lambda[k]!, digits) })).filter((_, k) => lambda[k]!.num !== 0n),
    farkasExact: lambda,
    farkas_exact: exact,
    unique: null,
    notes,
  };
}

/** A float64-only answer, clearly marked as uncertified. */
function uncertifiedFromGlpk(cs: ConstraintSet, sol: GlpkSolution, digits: number, notes: string[], base: Base): SvmResult {
  const d = cs.d;
  if (sol.status !== 'optimal') throw new Error(`l1 SVM: glpk status "${sol.status}" and the exact simplex failed (${notes.join('; ')})`);
  const w = Array.from({ length: d }, (_, j) => (sol.vars[`p${j}`] ?? 0) - (sol.vars[`n${j}`] ?? 0));
  const lam = cs.diag.map((_, k) => sol.dual[`r${k}`] ?? 0);
  const a = cs.diag.map((c) => c.a.map(toFloat));
  const margins = a.map((row) => row.reduce((s, x, j) => s + x * w[j]!, 0));
  const xi = Array.from({ length: d }, (_, j) => a.reduce((s, row, k) => s + lam[k]! * row[j]!, 0));
  const l1 = w.reduce((s, x) => s + Math.abs(x), 0);
  const lsum = lam.reduce((s, x) => s + x, 0);
  return {
    ...base,
    status: 'optimal',
    objective: String(l1),
    w: w.map(String),
    duals: cs.diag.map((c, k) => ({ i: c.i, t: c.t, lambda: String(lam[k]) })),
    certificate: {
      primal_infeasibility: String(Math.max(0, ...margins.map((h) => 1 - h))),
      dual_infeasibility: String(Math.max(0, ...xi.map((x) => Math.abs(x) - 1)) + Math.max(0, ...lam.map((x) => -x))),
      gap: String(l1 - lsum),
      exact: false,
      method: 'glpk float64 solution only — NOT certified (exact reconstruction failed)',
    },
    unique: null,
    notes: [...notes, 'no exact certificate'],
  };
}

