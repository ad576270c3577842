/**
 * The float64 specialization of complexLinalg.ts (the complex shifted LU of Radau IIA's complex blocks) on flat
 * Float64Arrays: the same operations in the same order as complexShiftedLuFactor/complexLuSolve over
 * float64Field, so the same doubles (properties/ode/linalgF64.test.ts). Why a twin: see numeric/linalgF64.ts
 * (the generic factorization was compiled 5 times in the first float64 flow of a process, 157 ms of compiler time).
 */
import { swapRows } from '../numeric/linalgF64.js';

export interface ComplexLUF64 {
  readonly n: number;
  /** real and imaginary parts of L and U, row i at i·n, rows in pivot order */
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly perm: Int32Array;
  readonly singular: boolean;
}

/** Factor (shiftRe·I − J) + i·shiftIm·I with partial pivoting on |re| + |im|. */
export function complexShiftedLuFactorF64(J: readonly (readonly number[])[], shiftRe: number, shiftIm: number): ComplexLUF64 {
  const n = J.length;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = J[i]!;
    for (let j = 0; j < n; j++) {
      re[i * n + j] = i === j ? shiftRe - row[j]! : -row[j]!;
      im[i * n + j] = i === j ? shiftIm : 0;
    }
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(re[k * n + k]!) + Math.abs(im[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(re[i * n + k]!) + Math.abs(im[i * n + k]!);
      if (v > best) { best = v; p = i; }
    }
    if (best === 0) { singular = true; continue; }
    if (p !== k) {
      swapRows(re, n, k, p);
      swapRows(im, n, k, p);
      const t = perm[k]!; perm[k] = perm[p]!; perm[p] = t;
    }
    // 1/pivot = conj(p)/|p|²
    const pr = re[k * n + k]!;
    const pi = im[k * n + k]!;
    const mod2 = pr * pr + pi * pi;
    const ir = pr / mod2;
    const ii = -(pi / mod2);
    for (let i = k + 1; i < n; i++) {
      const ar = re[i * n + k]!;
      const ai = im[i * n + k]!;
      if (ar === 0 && ai === 0) continue;
      const fr = ar * ir - ai * ii;
      const fi = ar * ii + ai * ir;
      re[i * n + k] = fr;
      im[i * n + k] = fi;
      for (let j = k + 1; j < n; j++) {
        const br = re[k * n + j]!;
        const bi = im[k * n + j]!;
        re[i * n + j] = re[i * n + j]! - (fr * br - fi * bi);
        im[i * n + j] = im[i * n + j]! - (fr * bi + fi * br);
      }
    }
  }
  return { n, re, im, perm, singular };
}

/** Solve (from the factorization) for the right-hand side br + i·bi; returns [xr, xi]. */
export function complexLuSolveF64(f: ComplexLUF64, br: readonly number[], bi: readonly number[]): [number[], number[]] {
  const { n, re, im, perm } = f;
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let i = 0; i < n; i++) { xr[i] = br[perm[i]!]!; xi[i] = bi[perm[i]!]!; }
  for (let i = 0; i < n; i++) {
    let sr = xr[i]!;
    let si = xi[i]!;
    for (let j = 0; j < i; j++) {
      const lr = re[i * n + j]!;
      const li = im[i * n + j]!;
      sr = sr - (lr * xr[j]! - li * xi[j]!);
      si = si - (lr * xi[j]! + li * xr[j]!);
    }
    xr[i] = sr;
    xi[i] = si;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sr = xr[i]!;
    let si = xi[i]!;
    for (let j = i + 1; j < n; j++) {
      const ur = re[i * n + j]!;
      const ui = im[i * n + j]!;
      sr = sr - (ur * xr[j]! - ui * xi[j]!);
      si = si - (ur * xi[j]! + ui * xr[j]!);
    }
    const pr = re[i * n + i]!;
    const pi = im[i * n + i]!;
    const mod2 = pr * pr + pi * pi;
    xr[i] = (sr * pr + si * pi) / mod2;
    xi[i] = (si * pr - sr * pi) / mod2;
  }
  return [Array.from(xr), Array.from(xi)];
}
