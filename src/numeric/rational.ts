/**
 * Exact rational numbers on BigInt, used for data (decimal and rational strings are exact) and for
 * exact certificates (SPEC.md §5: the ℓ1 optimum of rational data is rational).
 * Always normalized: den > 0 and gcd(|num|, den) = 1.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rat(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError('rational with zero denominator');
  if (d < 0n) { n = -n; d = -d; }
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const Q0: Rational = { num: 0n, den: 1n };
export const Q1: Rational = { num: 1n, den: 1n };

export const qadd = (a: Rational, b: Rational): Rational =>
  a.den === b.den ? rat(a.num + b.num, a.den) : rat(a.num * b.den + b.num * a.den, a.den * b.den);
export const qsub = (a: Rational, b: Rational): Rational =>
  a.den === b.den ? rat(a.num - b.num, a.den) : rat(a.num * b.den - b.num * a.den, a.den * b.den);
export const qmul = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den);
export function qdiv(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError('rational division by zero');
  return rat(a.num * b.den, a.den * b.num);
}
export const qneg = (a: Rational): Rational => ({ num: -a.num, den: a.den });
export const qabs = (a: Rational): Rational => (a.num < 0n ? qneg(a) : a);
export const qsign = (a: Rational): -1 | 0 | 1 => (a.num > 0n ? 1 : a.num < 0n ? -1 : 0);
export const qcmp = (a: Rational, b: Rational): -1 | 0 | 1 => qsign(qsub(a, b));
export const qeq = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den;
export const qisZero = (a: Rational): boolean => a.num === 0n;
export const qmax = (a: Rational, b: Rational): Rational => (qcmp(a, b) >= 0 ? a : b);
export const qmin = (a: Rational, b: Rational): Rational => (qcmp(a, b) <= 0 ? a : b);

export function qsum(xs: readonly Rational[]): Rational {
  let s = Q0;
  for (const x of xs) s = qadd(s, x);
  return s;
}

export function qdot(a: readonly Rational[], b: readonly Rational[]): Rational {
  let s = Q0;
  for (let j = 0; j < a.length; j++) s = qadd(s, qmul(a[j]!, b[j]!));
  return s;
}

/** The exact value of a finite double. */
export function qfromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x)) return rat(BigInt(x));
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else { mant |= 1n << 52n; e = exp - 1075; }
  return e >= 0 ? rat(sign * mant * (1n << BigInt(e))) : rat(sign * mant, 1n << BigInt(-e));
}

const DECIMAL_RE = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parse a decimal string ("-2.5e-3") or a rational string ("1/3", "-7/2e1" is not allowed). Returns null when malformed. */
export function qparse(s: string): Rational | null {
  const t = s.trim();
  const slash = t.indexOf('/');
  if (slash >= 0) {
    const a = qparseDecimal(t.slice(0, slash));
    const b = qparseDecimal(t.slice(slash + 1));
    if (!a || !b || b.num === 0n) return null;
    return qdiv(a, b);
  }
  return qparseDecimal(t);
}

function qparseDecimal(t: string): Rational | null {
  const m = DECIMAL_RE.exec(t.trim());
  if (!m) return null;
  const [, sgn, intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return null;
  const e = expPart === undefined ? 0 : Number(expPart);
  if (!Number.isSafeInteger(e) || Math.abs(e) > 100000) return null;
  let n = BigInt((intPart || '0') + fracPart);
  if (sgn === '-') n = -n;
  const scale = e - fracPart.length;
  return scale >= 0 ? rat(n * 10n ** BigInt(scale)) : rat(n, 10n ** BigInt(-scale));
}

/** "p/q" or "p" — exact and readable back by qparse. */
export function qtoString(a: Rational): string {
  return a.den === 1n ? a.num.toString() : `${a.num}/${a.den}`;
}

/** Nearest double (correctly rounded up to a last-bit tie-break; exact for dyadic rationals that fit). */
export function qtoNumber(a: Rational): number {
  if (a.num === 0n) return 0;
  const neg = a.num < 0n;
  const n = neg ? -a.num : a.num;
  // scale so that the integer quotient has 64+ bits
  const shift = BigInt(n.toString(2).length - a.den.toString(2).length - 66);
  const q = shift >= 0n ? n / (a.den << shift) : (n << -shift) / a.den;
  const v = Number(q) * Math.pow(2, Number(shift));
  return neg ? -v : v;
}

/** floor(log10 |a|) estimate-free exponent helper: number of decimal digits of num minus of den. */
export function qlog10Approx(a: Rational): number {
  if (a.num === 0n) return -Infinity;
  const n = a.num < 0n ? -a.num : a.num;
  return n.toString().length - a.den.toString().length;
}
