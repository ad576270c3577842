/**
 * The float64 specialization of linalg.ts's LU (partial pivoting, PA = LU) on one flat Float64Array: the same
 * operations in the same order as luFactor/luSolve over float64Field, so the same doubles (properties/ode/
 * linalgF64.test.ts), for the iteration matrices of the implicit integrators (ode/newtonSystems.ts).
 * Why a twin: the generic routines run over number, BinaryFloat and Decimal arrays, and over number arrays of
 * V8's small-integer and double element kinds, so V8 compiled them again after every new kind ("wrong map"
 * deoptimizations: luFactor 4 and luSolve 5 optimizing compilations in the first float64 flow of a process).
 * Measured with complexLinalgF64.ts on the bench's (6, 8, 10) float64 flow to its limit, the first run in a
 * process (10 processes each, interleaved): median CPU 1.36 → 1.14 s, the same 252 + 244 steps to the same ρ.
 */

export interface LUF64 {
  readonly n: number;
  /** L (unit diagonal, below) and U (on and above), row i at i·n, rows in pivot order */
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** True when a pivot was exactly zero. */
  readonly singular: boolean;
}

/** LU of (shift·I − J) (linalg.ts luFactor of that matrix). */
export function luFactorShiftedF64(J: readonly (readonly number[])[], shift: number): LUF64 {
  const n = J.length;
  const lu = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = J[i]!;
    for (let j = 0; j < n; j++) lu[i * n + j] = i === j ? shift - row[j]! : -row[j]!;
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) { best = v; p = i; }
    }
    if (best === 0) { singular = true; continue; }
    if (p !== k) {
      swapRows(lu, n, k, p);
      const t = perm[k]!; perm[k] = perm[p]!; perm[p] = t;
    }
    const pivot = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = lu[i * n + k]! / pivot;
      lu[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - f * lu[k * n + j]!;
    }
  }
  return { n, lu, perm, singular };
}

/** Exchange rows a and b of an n-column row-major matrix. */
export function swapRows(M: Float64Array, n: number, a: number, b: number): void {
  for (let j = 0; j < n; j++) {
    const t = M[a * n + j]!;
    M[a * n + j] = M[b * n + j]!;
    M[b * n + j] = t;
  }
}

/** Solve A x = b from its LU factorization (linalg.ts luSolve). */
export function luSolveF64(f: LUF64, b: readonly number[]): number[] {
  if (f.singular) throw new RangeError('luSolve: singular matrix');
  const { n, lu, perm } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[perm[i]!]!;
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s = s - lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s = s - lu[i * n + j]! * x[j]!;
    x[i] = s / lu[i * n + i]!;
  }
  return Array.from(x);
}
