/** Margins h_{i,t}(W) = ⟨A_{i,t}, W⟩ (SPEC.md §2) for diagonal and full W. */
import { type Field, dot } from '../numeric/Field.js';
import type { AttentionProblem } from './problem.js';

/** h_{i,t}(diag w) = ⟨a_{i,t}, w⟩ */
export function marginsDiag<S>(P: AttentionProblem<S>, w: readonly S[]): S[] {
  return P.a.map((a) => dot(P.F, a, w));
}

/** h_{i,t}(W) = (x_opt − x_t)ᵀ W z_i */
export function marginsFull<S>(P: AttentionProblem<S>, W: readonly (readonly S[])[]): S[] {
  const F = P.F;
  return P.left.map((l, k) => {
    const r = P.right[k]!;
    let s = F.zero;
    for (let p = 0; p < l.length; p++) {
      if (F.isZero(l[p]!)) continue;
      s = F.add(s, F.mul(l[p]!, dot(F, W[p]!, r)));
    }
    return s;
  });
}

/** The smallest margin. */
export function minMargin<S>(F: Field<S>, h: readonly S[]): S {
  let m: S = h[0] as S;
  for (const x of h) m = F.min(m, x);
  return m;
}
