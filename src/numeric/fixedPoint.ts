/**
 * Binary fixed point in BigInt: a real x is the integer X = round(x·2^bits). The kernels of the fast
 * transcendental functions of both arbitrary-precision backends (decimalTranscendental.ts for decimal.js,
 * binaryFloat.ts): e^ρ by its Taylor series after halvings, ln by Halley's iteration on it, the integer square
 * root, and ln 10, ln 2 carried to 64 bits beyond a context's precision (so that n·ln 2 or n·ln 10 stays exact
 * to 2^-bits for |n| < 2^64).
 */

export interface FixedContext {
  readonly bits: bigint;
  readonly one: bigint;
  readonly halvings: bigint;
  /** ln 10 · 2^(bits + LN_EXTRA_BITS), computed on first use */
  ln10Wide: bigint | null;
  /** ln 2 · 2^(bits + LN_EXTRA_BITS), computed on first use */
  ln2Wide: bigint | null;
}

/** Extra bits of the constants ln 10 and ln 2 (n·ln 10 stays exact to 2^-bits for |n| < 2^64). */
export const LN_EXTRA_BITS = 64n;

const contexts = new Map<number, FixedContext>();
/** The context of at least `bits` fractional bits (rounded up to a multiple of 32: a bounded number of contexts). */
export function fixedContext(bits: number): FixedContext {
  const rounded = Math.ceil(bits / 32) * 32;
  let ctx = contexts.get(rounded);
  if (!ctx) {
    ctx = { bits: BigInt(rounded), one: 1n << BigInt(rounded), halvings: BigInt(Math.max(6, Math.round(Math.sqrt(rounded) / 1.3))), ln10Wide: null, ln2Wide: null };
    contexts.set(rounded, ctx);
  }
  return ctx;
}

/** e^ρ · 2^bits for |ρ| ≤ ~2.5 given as R = ρ · 2^bits. */
export function expFixed(ctx: FixedContext, R: bigint): bigint {
  const { bits, one, halvings } = ctx;
  const y = R >> halvings;
  let term = one;
  let sum = one;
  for (let k = 1n; ; k++) {
    term = ((term * y) >> bits) / k;
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0n; i < halvings; i++) sum = (sum * sum) >> bits;
  return sum;
}

/** ln f · 2^bits for f ∈ (0.1, 100) given as Fx = f · 2^bits, by Halley's iteration from `start` ≈ ln f. */
export function lnFixed(ctx: FixedContext, Fx: bigint, start: number): bigint {
  const { bits } = ctx;
  let y = BigInt(Math.round(start * 2 ** 52)) << (bits - 52n);
  // the error left after a step is ~|increment|³/12: below 2^-bits once |dy|·2^-bits < 2^(-bits/3)
  const converged = 1n << ((2n * bits) / 3n - 4n);
  // cubic convergence from 53 bits: ⌈log3(bits/53)⌉ iterations, two spare
  const maxIterations = Math.ceil(Math.log(Number(bits) / 53) / Math.log(3)) + 2;
  for (let it = 0; it < maxIterations; it++) {
    const E = expFixed(ctx, y);
    const dy = ((Fx - E) << (bits + 1n)) / (Fx + E);
    y += dy;
    if (dy < converged && dy > -converged) return y;
  }
  return y;
}

/** ln(value) · 2^(bits + LN_EXTRA_BITS) for a small integer value (2, 10), computed in a wider context. */
function lnWide(ctx: FixedContext, value: number): bigint {
  const wide = fixedContext(Number(ctx.bits + LN_EXTRA_BITS));
  const v = lnFixed(wide, BigInt(value) << wide.bits, Math.log(value));
  return v >> (wide.bits - ctx.bits - LN_EXTRA_BITS); // wide.bits ≥ bits + 64 after rounding
}

/** ln 10 · 2^(bits + LN_EXTRA_BITS) */
export function ln10Wide(ctx: FixedContext): bigint {
  return (ctx.ln10Wide ??= lnWide(ctx, 10));
}

/** ln 2 · 2^(bits + LN_EXTRA_BITS) */
export function ln2Wide(ctx: FixedContext): bigint {
  return (ctx.ln2Wide ??= lnWide(ctx, 2));
}

/**
 * ⌊√N⌋ for N > 0: Newton's integer iteration x ← ⌊(x + ⌊N/x⌋)/2⌋ from above, seeded by the float64 square root of
 * N's leading ~100 bits (bitsEstimate: N's bit length to within a few bits), so three or four iterations at 100 digits.
 */
export function isqrt(N: bigint, bitsEstimate: number): bigint {
  const shift = 2 * Math.floor(Math.max(0, bitsEstimate - 100) / 2);
  const top = Number(N >> BigInt(shift));
  let x = (BigInt(Math.ceil(Math.sqrt(top) * (1 + 1e-12))) + 1n) << BigInt(shift / 2); // ≥ √N
  for (;;) {
    const next = (x + N / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}
