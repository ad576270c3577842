/**
 * Initializations of SPEC.md §4. The default is u₀ = b₀ = α·1 (k₀ = 2α, q₀ = 0, w₀ = 0, κ = α²) with α
 * an arbitrary-precision decimal string: ln α is computed in Decimal from the exact string, so α = 1e-300
 * or 1e-5000 never underflows (the flows only use ln|u₀|, ln|b₀|).
 */
import { decimalField } from '../numeric/decimal.js';
import type { Field } from '../numeric/Field.js';
import { type Rational, qparse, qtoString, qmul, qadd, qsub, rat } from '../numeric/rational.js';
import type { MirrorInit } from '../model/parameterizations.js';

export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitError';
  }
}

/** Diagonal initialization by its (k₀, q₀), exact. u₀ = (k₀+q₀)/2, b₀ = (k₀−q₀)/2, κ = u₀ b₀. */
export interface DiagInit {
  readonly k0: readonly Rational[];
  readonly q0: readonly Rational[];
}

/** Full initialization (kq): K₀, Q₀ ∈ Q^{d×m}; (w): W₀ ∈ Q^{d×d}. */
export interface FullInit {
  readonly K0?: readonly (readonly Rational[])[];
  readonly Q0?: readonly (readonly Rational[])[];
  readonly W0?: readonly (readonly Rational[])[];
}

export function parseAlpha(alpha: string): Rational {
  const q = qparse(alpha);
  if (q === null || q.num <= 0n) throw new InitError(`alpha must be a positive decimal string, got ${JSON.stringify(alpha)}`);
  return q;
}

/** The default diagonal init at scale α: k₀ = 2α·1, q₀ = 0 (so u₀ = b₀ = α). */
export function defaultDiagInit(d: number, alpha: string): DiagInit {
  const a = parseAlpha(alpha);
  return { k0: Array.from({ length: d }, () => qmul(rat(2), a)), q0: Array.from({ length: d }, () => rat(0)) };
}

export const uOf = (init: DiagInit): Rational[] => init.k0.map((k, j) => qmul(qadd(k, init.q0[j]!), rat(1, 2)));
export const bOf = (init: DiagInit): Rational[] => init.k0.map((k, j) => qmul(qsub(k, init.q0[j]!), rat(1, 2)));
/** κ_j = u₀_j b₀_j = (k₀_j² − q₀_j²)/4 (SPEC.md §4): κ_j = 0 freezes the sign of w_j. */
export const kappaOf = (init: DiagInit): Rational[] => uOf(init).map((u, j) => qmul(u, bOf(init)[j]!));

/** ln|x| of an exact rational in field F (null for 0), computed in Decimal so it never underflows. */
export function logAbs<S>(F: Field<S>, x: Rational): S | null {
  if (x.num === 0n) return null;
  const D = decimalField(Math.max(40, Math.ceil(F.digits) + 10));
  const abs = x.num < 0n ? { num: -x.num, den: x.den } : x;
  // ln(num/den) = ln num − ln den, each via its decimal exponent so huge/tiny values stay in range
  const ln = (v: bigint): ReturnType<typeof D.of> => {
    const s = v.toString();
    const lead = D.of(`${s[0]}.${s.slice(1, D.digits + 5) || '0'}`);
    return D.add(D.log(lead), D.mul(D.of(s.length - 1), D.ln10()));
  };
  return F.of(D.toString(D.sub(ln(abs.num), ln(abs.den))));
}

export function mirrorInit<S>(F: Field<S>, init: DiagInit): MirrorInit<S> {
  return { logU0: uOf(init).map((u) => logAbs(F, u)), logB0: bOf(init).map((b) => logAbs(F, b)) };
}

export function describeDiagInit(init: DiagInit): { k0: string[]; q0: string[] } {
  return { k0: init.k0.map(qtoString), q0: init.q0.map(qtoString) };
}
