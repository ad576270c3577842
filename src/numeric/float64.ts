/** The float64 backend (IEEE doubles). See Field.ts. */
import type { Field } from './Field.js';
import { type Rational, qparse, qtoNumber } from './rational.js';

function parseNumber(x: number | string): number {
  if (typeof x === 'number') return x;
  const q = qparse(x);
  if (!q) throw new RangeError(`not a number: ${JSON.stringify(x)}`);
  return qtoNumber(q);
}

const LN10 = Math.LN10;

export const float64Field: Field<number> = {
  kind: 'float64',
  digits: 53 * Math.log10(2),
  log10UnitRoundoff: -53 * Math.log10(2),
  log10MinPositive: Math.log10(2.2250738585072014e-308),
  log10MaxFinite: Math.log10(Number.MAX_VALUE),
  zero: 0,
  one: 1,
  two: 2,
  half: 0.5,
  of: parseNumber,
  fromRational: (q: Rational) => qtoNumber(q),
  epsilon: () => Math.pow(2, -53),
  ln10: () => LN10,
  pi: () => Math.PI,
  toNumber: (a) => a,
  toString: (a) => (Number.isFinite(a) ? String(a) : String(a)),
  toPrecision: (a, sig) => a.toPrecision(sig),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  expm1: Math.expm1,
  log1p: Math.log1p,
  sinh: Math.sinh,
  cosh: Math.cosh,
  pow: Math.pow,
  scale: (a, k) => a * k,
  cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
  lt: (a, b) => a < b,
  gt: (a, b) => a > b,
  max: (a, b) => (a >= b ? a : b),
  min: (a, b) => (a <= b ? a : b),
  isZero: (a) => a === 0,
  isFinite: Number.isFinite,
};
