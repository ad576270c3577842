/**
 * Dense complex LU over a real Field, for the Radau IIA complex-eigenvalue block (HW II §IV.8):
 * the matrix (a I − J) + i b I is factored once per step size; solves cost 4 real multiplies per complex one.
 * Storage: separate real and imaginary row-major arrays. Pivoting on |re| + |im| (no square roots).
 */
import type { Field } from '../numeric/Field.js';

export interface ComplexLU<S> {
  re: S[][];
  im: S[][];
  perm: number[];
  singular: boolean;
}

/** Factor (shiftRe·I − J) + i·shiftIm·I with partial pivoting. */
export function complexShiftedLuFactor<S>(F: Field<S>, J: readonly (readonly S[])[], shiftRe: S, shiftIm: S): ComplexLU<S> {
  const n = J.length;
  const re: S[][] = J.map((row, i) => row.map((x, j) => (i === j ? F.sub(shiftRe, x) : F.neg(x))));
  const im: S[][] = J.map((row, i) => row.map((_, j) => (i === j ? shiftIm : F.zero)));
  const perm = Array.from({ length: n }, (_, i) => i);
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = F.add(F.abs(re[k]![k]!), F.abs(im[k]![k]!));
    for (let i = k + 1; i < n; i++) {
      const v = F.add(F.abs(re[i]![k]!), F.abs(im[i]![k]!));
      if (F.gt(v, best)) { best = v; p = i; }
    }
    if (F.isZero(best)) { singular = true; continue; }
    if (p !== k) {
      [re[k], re[p]] = [re[p]!, re[k]!];
      [im[k], im[p]] = [im[p]!, im[k]!];
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
    }
    // 1/pivot = conj(p)/|p|²
    const pr = re[k]![k]!;
    const pi = im[k]![k]!;
    const mod2 = F.add(F.mul(pr, pr), F.mul(pi, pi));
    const ir = F.div(pr, mod2);
    const ii = F.neg(F.div(pi, mod2));
    const rk = re[k]!;
    const ik = im[k]!;
    for (let i = k + 1; i < n; i++) {
      const ri = re[i]!;
      const mi = im[i]!;
      const ar = ri[k]!;
      const ai = mi[k]!;
      if (F.isZero(ar) && F.isZero(ai)) continue;
      const fr = F.sub(F.mul(ar, ir), F.mul(ai, ii));
      const fi = F.add(F.mul(ar, ii), F.mul(ai, ir));
      ri[k] = fr;
      mi[k] = fi;
      for (let j = k + 1; j < n; j++) {
        const br = rk[j]!;
        const bi = ik[j]!;
        ri[j] = F.sub(ri[j]!, F.sub(F.mul(fr, br), F.mul(fi, bi)));
        mi[j] = F.sub(mi[j]!, F.add(F.mul(fr, bi), F.mul(fi, br)));
      }
    }
  }
  return { re, im, perm, singular };
}

/** Solve (from the factorization) for the right-hand side br + i·bi; returns [xr, xi]. */
export function complexLuSolve<S>(F: Field<S>, f: ComplexLU<S>, br: readonly S[], bi: readonly S[]): [S[], S[]] {
  const n = f.re.length;
  const xr: S[] = f.perm.map((p) => br[p]!);
  const xi: S[] = f.perm.map((p) => bi[p]!);
  for (let i = 0; i < n; i++) {
    const lr = f.re[i]!;
    const li = f.im[i]!;
    let sr: S = xr[i]!;
    let si: S = xi[i]!;
    for (let j = 0; j < i; j++) {
      sr = F.sub(sr, F.sub(F.mul(lr[j]!, xr[j]!), F.mul(li[j]!, xi[j]!)));
      si = F.sub(si, F.add(F.mul(lr[j]!, xi[j]!), F.mul(li[j]!, xr[j]!)));
    }
    xr[i] = sr;
    xi[i] = si;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ur = f.re[i]!;
    const ui = f.im[i]!;
    let sr: S = xr[i]!;
    let si: S = xi[i]!;
    for (let j = i + 1; j < n; j++) {
      sr = F.sub(sr, F.sub(F.mul(ur[j]!, xr[j]!), F.mul(ui[j]!, xi[j]!)));
      si = F.sub(si, F.add(F.mul(ur[j]!, xi[j]!), F.mul(ui[j]!, xr[j]!)));
    }
    const pr = ur[i]!;
    const pi = ui[i]!;
    const mod2 = F.add(F.mul(pr, pr), F.mul(pi, pi));
    xr[i] = F.div(F.add(F.mul(sr, pr), F.mul(si, pi)), mod2);
    xi[i] = F.div(F.sub(F.mul(si, pr), F.mul(sr, pi)), mod2);
  }
  return [xr, xi];
}
