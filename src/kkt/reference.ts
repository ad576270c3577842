/** An SvmResult (decimal strings) as an SvmReference in a given field, constraints in model order. */
import type { Field } from '../numeric/Field.js';
import type { AttentionProblem } from '../model/problem.js';
import type { SvmResult } from '../svm/SvmResult.js';
import type { SvmReference } from './measures.js';

export function svmReference<S>(P: AttentionProblem<S>, r: SvmResult, extras: Pick<SvmReference<S>, 'nuclear' | 'spectral'> = {}): SvmReference<S> | null {
  const F: Field<S> = P.F;
  if (r.status !== 'optimal' || r.objective === undefined) return null;
  const index = new Map(P.constraints.diag.map((c, k) => [`${c.i},${c.t}`, k]));
  let duals: S[] | null = null;
  if (r.duals) {
    duals = P.constraints.diag.map(() => F.zero);
    for (const e of r.duals) {
      const k = index.get(`${e.i},${e.t}`);
      if (k !== undefined) duals[k] = F.of(e.lambda);
    }
  }
  const solution = r.unique === false ? null
    : r.w ? { structure: 'diag' as const, w: r.w.map((x) => F.of(x)) }
      : r.W ? { structure: 'full' as const, W: r.W.map((row) => row.map((x) => F.of(x))) } : null;
  return {
    norm: r.norm,
    ...(r.p !== undefined ? { p: r.p } : {}),
    opt: F.of(r.objective),
    solution,
    duals: r.unique === false ? null : duals,
    face: r.face ? { min: r.face.min.map((x) => F.of(x)), max: r.face.max.map((x) => F.of(x)) } : null,
    ...extras,
  };
}
