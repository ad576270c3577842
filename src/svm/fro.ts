/**
 * The Frobenius SVM (SPEC.md §5, problem `fro`): diagonal min ‖w‖₂ s.t. ⟨a_{i,t}, w⟩ ≥ 1, or full
 * min ‖W‖_F s.t. ⟨A_{i,t}, W⟩ ≥ 1. Solved as min ½‖W‖² by an exact dual active-set method on the
 * nonnegative QP max 1ᵀλ − ½‖Σ λ A‖² (froActiveSet.ts); the KKT conditions are then re-verified exactly:
 * W = Σ λ A, ⟨A_k, W⟩ ≥ 1, λ ≥ 0, λ_k(⟨A_k, W⟩ − 1) = 0, hence ‖W‖² = 1ᵀλ. The optimum is unique
 * (strictly convex objective). OPT = ‖W‖ = √(1ᵀλ) is generally irrational: it is printed in Decimal.
 */
import type { ConstraintSet } from '../model/constraints.js';
import { type Rational, Q0, Q1, rat, qadd, qsub, qmul, qsign, qmax, qneg, qeq } from '../numeric/rational.js';
import { decimalField } from '../numeric/decimal.js';
import type { SvmResult, SvmStructure } from './SvmResult.js';
import { exactActiveSet, floatActiveSet, type GramEntry, type IntegerGram } from './froActiveSet.js';
import { combinationInt, marginsInt } from './l1Certificate.js';
import { integerRows, toIntegerVector, type IntegerRows } from './exactLinalg.js';
import { verifyFarkas, findFarkas } from './farkas.js';
import { infeasibleResult } from './l1.js';
import { DEFAULT_SVM_DIGITS, decimalString, decimalStrings } from './format.js';

export interface FroOptions {
  readonly structure: SvmStructure;
  readonly digits?: number;
}

/** The constraint vectors: a_{i,t} (diag) or vec(A_{i,t}) row-major (full). */
export function froVectors(cs: ConstraintSet, structure: SvmStructure): Rational[][] {
  if (structure === 'diag') return cs.diag.map((c) => [...c.a]);
  return cs.full.map((c) => c.left.flatMap((l) => c.right.map((r) => qmul(l, r))));
}

/** The constraint vectors scaled to integers (full: vec(x zᵀ) = vec(x_int z_intᵀ) / (s_x s_z)). */
export function froIntegerRows(cs: ConstraintSet, structure: SvmStructure): IntegerRows {
  if (structure === 'diag') return integerRows(cs.diag.map((c) => c.a));
  const ints: bigint[][] = [];
  const scale: bigint[] = [];
  for (const c of cs.full) {
    const L = toIntegerVector(c.left);
    const Z = toIntegerVector(c.right);
    ints.push(L.ints.flatMap((l) => Z.ints.map((z) => l * z)));
    scale.push(L.scale * Z.scale);
  }
  return { ints, scale };
}

/** Integer dot product, skipping zeros. */
function dotInt(a: readonly bigint[], b: readonly bigint[]): bigint {
  let s = 0n;
  for (let j = 0; j < a.length; j++) if (a[j] !== 0n && b[j] !== 0n) s += a[j]! * b[j]!;
  return s;
}

/** Exact Gram entries ⟨A_k, A_l⟩; for full structure ⟨x zᵀ, x' z'ᵀ⟩ = (x·x')(z·z'), in integers. */
export function gramOf(cs: ConstraintSet, structure: SvmStructure): GramEntry<Rational> {
  if (structure === 'diag') {
    const A = cs.diag.map((c) => toIntegerVector(c.a));
    return (k, l) => rat(dotInt(A[k]!.ints, A[l]!.ints), A[k]!.scale * A[l]!.scale);
  }
  const L = cs.full.map((c) => toIntegerVector(c.left));
  const Z = cs.full.map((c) => toIntegerVector(c.right));
  return (k, l) => rat(dotInt(L[k]!.ints, L[l]!.ints) * dotInt(Z[k]!.ints, Z[l]!.ints), L[k]!.scale * L[l]!.scale * Z[k]!.scale * Z[l]!.scale);
}

/**
 * Integer Gram data: ⟨A_k, A_l⟩ = num(k, l) / (scale_k scale_l), so G u = 1 ⟺ N v = scale with
 * u_l = scale_l v_l — an integer system (no rational normalization in the warm-start solve).
 */
export function gramIntOf(cs: ConstraintSet, structure: SvmStructure): IntegerGram {
  if (structure === 'diag') {
    const A = cs.diag.map((c) => toIntegerVector(c.a));
    return { num: (k, l) => dotInt(A[k]!.ints, A[l]!.ints), scale: A.map((x) => x.scale) };
  }
  const L = cs.full.map((c) => toIntegerVector(c.left));
  const Z = cs.full.map((c) => toIntegerVector(c.right));
  return { num: (k, l) => dotInt(L[k]!.ints, L[l]!.ints) * dotInt(Z[k]!.ints, Z[l]!.ints), scale: L.map((x, k) => x.scale * Z[k]!.scale) };
}

/** Float64 Gram entries (for the float active-set phase). */
export function gramOfFloat(cs: ConstraintSet, structure: SvmStructure): GramEntry<number> {
  const f = (v: readonly Rational[]): number[] => v.map((x) => Number(x.num) / Number(x.den));
  const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, j) => s + x * b[j]!, 0);
  if (structure === 'diag') {
    const a = cs.diag.map((c) => f(c.a));
    return (k, l) => dot(a[k]!, a[l]!);
  }
  const L = cs.full.map((c) => f(c.left));
  const R = cs.full.map((c) => f(c.right));
  return (k, l) => dot(L[k]!, L[l]!) * dot(R[k]!, R[l]!);
}

export interface FroCheck {
  readonly exact: boolean;
  readonly primalInfeasibility: Rational;
  readonly negativeLambda: Rational;
  readonly complementarySlackness: boolean;
  /** ‖W‖² − 1ᵀλ (0 under KKT) */
  readonly normGap: Rational;
  readonly normSquared: Rational;
  readonly w: Rational[];
}

/** Exact KKT check of min ½‖w‖² s.t. ⟨a_k,w⟩ ≥ 1 at w = Σ λ_k a_k. */
export function verifyFroCertificate(vectors: readonly (readonly Rational[])[], dim: number, lambda: readonly Rational[]): FroCheck {
  return verifyFroCertificateInt(integerRows(vectors), dim, lambda);
}

export function verifyFroCertificateInt(rows: IntegerRows, dim: number, lambda: readonly Rational[]): FroCheck {
  const w = combinationInt(rows, lambda, dim);
  const h = marginsInt(rows, w);
  let primalInf = Q0;
  let cs = true;
  h.forEach((x, k) => {
    const s = qsub(x, Q1);
    if (qsign(s) < 0) primalInf = qmax(primalInf, qneg(s));
    if (qsign(s) !== 0 && lambda[k]!.num !== 0n) cs = false;
  });
  let neg = Q0;
  let sum = Q0;
  for (const l of lambda) { if (qsign(l) < 0) neg = qmax(neg, qneg(l)); sum = qadd(sum, l); }
  const wi = toIntegerVector(w);
  let n2 = 0n;
  for (const x of wi.ints) n2 += x * x;
  const normSquared = rat(n2, wi.scale * wi.scale);
  const normGap = qsub(normSquared, sum);
  const exact = qsign(primalInf) === 0 && qsign(neg) === 0 && cs && qsign(normGap) === 0;
  return { exact, primalInfeasibility: primalInf, negativeLambda: neg, complementarySlackness: cs, normGap, normSquared, w };
}

export function solveFro(cs: ConstraintSet, opts: FroOptions): SvmResult {
  const digits = opts.digits ?? DEFAULT_SVM_DIGITS;
  const structure = opts.structure;
  const d = cs.d;
  const dim = structure === 'diag' ? d : d * d;
  const rows = froIntegerRows(cs, structure);
  const vectorsLazy = (): Rational[][] => froVectors(cs, structure);
  const index = structure === 'diag' ? cs.diag : cs.full;
  const base = { norm: 'fro' as const, structure, opt_tokens: cs.opt, digits };
  const notes: string[] = [];

  const m = index.length;
  const warm = floatActiveSet(m, gramOfFloat(cs, structure));
  if (warm === null) {
    // float64 active set failed (infeasible or breakdown): try the Farkas LP before the exact cold start
    const f = findFarkas(vectorsLazy(), dim);
    if (f.kind === 'found') return infeasibleResult(cs, f.lambda, true, digits, ['float64 active set found the problem infeasible', 'Farkas vector from glpk, rebuilt and verified exactly'], base);
  }
  let out = exactActiveSet(rows, dim, gramOf(cs, structure), warm ?? [], gramIntOf(cs, structure));
  if (out.kind === 'failed' && warm) out = exactActiveSet(rows, dim, gramOf(cs, structure), []);
  if (out.kind === 'failed') throw new Error(`fro SVM: ${out.reason}`);
  notes.push(`exact dual active set (Goldfarb–Idnani) ${warm ? `warm-started from the float64 active set (${warm.length} constraints)` : 'from w = 0'}: ${out.steps} exact step(s)`);
  if (out.kind === 'infeasible') {
    const vectors = vectorsLazy();
    if (verifyFarkas(vectors, dim, out.farkas)) {
      return infeasibleResult(cs, out.farkas, true, digits, [...notes, 'Farkas vector from the dependent violated constraint, verified exactly'], base);
    }
    const f = findFarkas(vectors, dim);
    if (f.kind === 'found') return infeasibleResult(cs, f.lambda, true, digits, [...notes, 'Farkas vector from glpk, verified exactly'], base);
    return infeasibleResult(cs, out.farkas, false, digits, [...notes, 'Farkas vector NOT verified'], base);
  }

  const check = verifyFroCertificateInt(rows, dim, out.lambda);
  const F = decimalField(digits);
  const norm = F.sqrt(F.fromRational(check.normSquared));
  const normStr = F.toString(norm);
  // duals in the normalization of the general dual (§5): μ = λ/‖W‖, so ‖Σ μ A‖_F = 1 and 1ᵀμ = ‖W‖
  const duals = index.map((c, k) => ({ i: c.i, t: c.t, lambda: F.toString(F.div(F.fromRational(out.lambda[k]!), norm)) }));
  const wq = check.w;
  const shape = structure === 'diag'
    ? { w: decimalStrings(wq, digits), wExact: wq }
    : {
      W: Array.from({ length: d }, (_, r) => decimalStrings(wq.slice(r * d, (r + 1) * d), digits)),
      WExact: Array.from({ length: d }, (_, r) => wq.slice(r * d, (r + 1) * d)),
    };
  return {
    ...base,
    status: 'optimal',
    objective: normStr,
    ...shape,
    duals,
    dualsExact: out.lambda,
    certificate: {
      primal_infeasibility: decimalString(check.primalInfeasibility, digits),
      dual_infeasibility: decimalString(check.negativeLambda, digits),
      gap: decimalString(qeq(check.normGap, Q0) ? Q0 : check.normGap, digits),
      relative_gap: qsign(check.normSquared) === 0 ? '0' : decimalString(check.normGap, digits),
      exact: check.exact,
      method: check.exact
        ? 'exact dual active set; KKT of min ½‖W‖² verified in rational arithmetic (W = ΣλA, ‖W‖² = 1ᵀλ, so the dual μ = λ/‖W‖ has zero gap)'
        : 'exact dual active set; exact KKT verification FAILED',
    },
    unique: true,
    notes: [...notes, 'unique: strictly convex objective'],
  };
}
