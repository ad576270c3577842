/**
 * Shared plumbing of the conic SVM solvers (ℓp, nuclear; SPEC.md §5): the constraint set as a dense
 * m×N matrix of vectorized constraints, in rationals and in a Field, and small output helpers.
 *
 * Vectorization: diagonal structure uses a_{i,t} ∈ Q^d (N = d); full structure uses A_{i,t} = left·rightᵀ
 * flattened row-major (N = d², entry (r, c) at r·d + c), so ⟨A, W⟩ = Σ_{r,c} A_rc W_rc.
 */
import type { Field } from '../numeric/Field.js';
import type { ConstraintSet } from '../model/constraints.js';
import { type Rational, qcmp, qdiv, qmul, qparse, qtoString } from '../numeric/rational.js';
import type { DualEntry, SvmCertificate } from './SvmResult.js';

export type Structure = 'diag' | 'full';

/** The m constraint vectors (rows), exactly. */
export function constraintRows(cs: ConstraintSet, structure: Structure): Rational[][] {
  if (structure === 'diag') return cs.diag.map((c) => c.a.slice());
  return cs.full.map((c) => {
    const row: Rational[] = [];
    for (const l of c.left) for (const r of c.right) row.push(qmul(l, r));
    return row;
  });
}

/** The (i, t) labels of the constraints, in the order of constraintRows. */
export function constraintLabels(cs: ConstraintSet, structure: Structure): { i: number; t: number }[] {
  const list = structure === 'diag' ? cs.diag : cs.full;
  return list.map((c) => ({ i: c.i, t: c.t }));
}

export function toField<S>(F: Field<S>, rows: readonly (readonly Rational[])[]): S[][] {
  return rows.map((r) => r.map((q) => F.fromRational(q)));
}

/**
 * The exact rational value of the decimal string a field element is reported as (F.toString): for
 * Decimal that is the value itself; for float64 it is the shortest round-trip decimal, which is what a
 * reader of the output parses, so certificates are checked on exactly the reported numbers.
 */
export function exactValue<S>(F: Field<S>, x: S): Rational {
  const q = qparse(F.toString(x));
  if (!q) throw new Error(`not a finite number: ${F.toString(x)}`);
  return q;
}

export function dualEntries<S>(F: Field<S>, labels: readonly { i: number; t: number }[], lambda: readonly S[]): DualEntry[] {
  return labels.map((l, k) => ({ i: l.i, t: l.t, lambda: F.toString(lambda[k]!) }));
}

/** A row-major flat vector of length d² as a d×d matrix. */
export function unflatten<T>(v: readonly T[], d: number): T[][] {
  return Array.from({ length: d }, (_, r) => v.slice(r * d, r * d + d));
}

/** The working precision label of a field, for certificate method strings. */
export function fieldLabel<S>(F: Field<S>): string {
  return F.kind === 'float64' ? 'float64' : `Decimal(${F.digits})`;
}

/**
 * Indices of the constraints that are not dominated by a parallel one (SPEC.md §5 problems are
 * unchanged): if a_k = c·a_j with c > 0 exactly, then ⟨a_k, W⟩ ≥ 1 ⇔ ⟨a_j, W⟩ ≥ 1/c, so of each positive
 * ray only the constraint with the smallest scale binds (ties: the first). Dropping the others removes the
 * exact degeneracy that makes interior-point Hessians singular; their dual variables are 0.
 */
export function undominatedConstraints(rows: readonly (readonly Rational[])[]): number[] {
  const best = new Map<string, { k: number; scale: Rational }>();
  rows.forEach((r, k) => {
    const lead = r.find((x) => x.num !== 0n);
    if (lead === undefined) { best.set(`zero:${k}`, { k, scale: lead ?? { num: 0n, den: 1n } }); return; }
    const scale = lead.num < 0n ? { num: -lead.num, den: lead.den } : lead;
    const key = r.map((x) => qtoString(qdiv(x, scale))).join(',');
    const prev = best.get(key);
    if (prev === undefined || qcmp(scale, prev.scale) < 0) best.set(key, { k, scale });
  });
  return [...best.values()].map((v) => v.k).sort((a, b) => a - b);
}

/** The CONTRACT.md certificate of a weak-duality solve (lp, nuclear): exact primal feasibility, the rest in G. */
export function weakDualityCertificate<S>(
  G: Field<S>,
  cert: { readonly primalInfeasibility: Rational; readonly dualInfeasibility: S; readonly gap: S; readonly relativeGap: S },
  method: string,
): SvmCertificate {
  return {
    primal_infeasibility: qtoString(cert.primalInfeasibility),
    dual_infeasibility: G.toString(cert.dualInfeasibility),
    gap: G.toString(cert.gap),
    relative_gap: G.toString(cert.relativeGap),
    exact: false,
    method,
  };
}
