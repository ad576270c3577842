/**
 * Exact rational linear algebra for certificates (SPEC.md §3, §5): solve a possibly rectangular system
 * B x = c by Gauss–Jordan elimination in Q, returning one solution (free variables set to 0) or null
 * when the system is inconsistent.
 */
import { type Rational, Q0, qdiv, qisZero, qmul, qsub } from '../numeric/rational.js';

export function solveRational(B: readonly (readonly Rational[])[], c: readonly Rational[]): Rational[] | null {
  const rows = B.length;
  const cols = rows === 0 ? 0 : B[0]!.length;
  const M: Rational[][] = B.map((r, i) => [...r, c[i]!]);
  const pivotCol: number[] = [];
  let r = 0;
  for (let j = 0; j < cols && r < rows; j++) {
    let p = -1;
    for (let i = r; i < rows; i++) if (!qisZero(M[i]![j]!)) { p = i; break; }
    if (p < 0) continue;
    [M[r], M[p]] = [M[p]!, M[r]!];
    const pr = M[r]!;
    const piv = pr[j]!;
    for (let k = j; k <= cols; k++) pr[k] = qdiv(pr[k]!, piv);
    for (let i = 0; i < rows; i++) {
      if (i === r) continue;
      const f = M[i]![j]!;
      if (qisZero(f)) continue;
      const ri = M[i]!;
      for (let k = j; k <= cols; k++) ri[k] = qsub(ri[k]!, qmul(f, pr[k]!));
    }
    pivotCol.push(j);
    r++;
  }
  for (let i = r; i < rows; i++) if (!qisZero(M[i]![cols]!)) return null;
  const x: Rational[] = Array.from({ length: cols }, () => Q0);
  pivotCol.forEach((j, i) => { x[j] = M[i]![cols]!; });
  return x;
}
