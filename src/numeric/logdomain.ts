/**
 * Log-domain helpers (SPEC.md §8: keep log s, log c; nothing may underflow silently).
 * A quantity that may be astronomically small is carried as its natural log; a signed one as
 * `SignedLog` = sign · exp(log).
 */
import type { Field } from './Field.js';

/** Index of the largest entry. */
function argmax<S>(F: Field<S>, xs: readonly S[]): number {
  let j = 0;
  for (let k = 1; k < xs.length; k++) if (F.gt(xs[k]!, xs[j]!)) j = k;
  return j;
}

/** Σ_{k≠j} exp(x_k − x_j), the tail of a log-sum-exp around its maximum x_j. */
function tailSum<S>(F: Field<S>, xs: readonly S[], j: number): S {
  let s = F.zero;
  const m = xs[j]!;
  for (let k = 0; k < xs.length; k++) if (k !== j) s = F.add(s, F.exp(F.sub(xs[k]!, m)));
  return s;
}

/** log Σ exp(x_k) = m + log1p(Σ_{k≠argmax} e^{x_k − m}): exact shift by the max, no log(1 + tiny) loss. */
export function logSumExp<S>(F: Field<S>, xs: readonly S[]): S {
  if (xs.length === 0) throw new RangeError('logSumExp of an empty list');
  const j = argmax(F, xs);
  return F.add(xs[j]!, F.log1p(tailSum(F, xs, j)));
}

/**
 * log softmax: (x_k − m) − log1p(tail). For the dominant entry this is −log1p(tail) exactly, with no
 * cancellation between two large numbers (which would cost float64 ~log10|x| digits of a tiny log s).
 */
export function logSoftmax<S>(F: Field<S>, logits: readonly S[]): S[] {
  const j = argmax(F, logits);
  const m = logits[j]!;
  const l1p = F.log1p(tailSum(F, logits, j));
  return logits.map((x, k) => (k === j ? F.neg(l1p) : F.sub(F.sub(x, m), l1p)));
}

/** log(1 + e^x) (softplus), without overflow or cancellation. */
export function softplus<S>(F: Field<S>, x: S): S {
  if (F.gt(x, F.zero)) return F.add(x, F.log1p(F.exp(F.neg(x))));
  return F.log1p(F.exp(x));
}

/** log(1 - e^x) for x < 0 (Mächler's log1mexp). */
export function log1mexp<S>(F: Field<S>, x: S): S {
  if (!F.lt(x, F.zero)) throw new RangeError('log1mexp needs x < 0');
  // threshold -ln 2
  if (F.gt(x, F.of(-0.6931471805599453))) return F.log(F.neg(F.expm1(x)));
  return F.log1p(F.neg(F.exp(x)));
}

/**
 * log(e^y - 1) given y = log S > -∞, i.e. log(expm1(S)) from log S.
 * For tiny S this is log S + log1p(S/2 + …); it never forms S when S would underflow.
 */
export function logExpm1FromLog<S>(F: Field<S>, logS: S): S {
  const logEps = F.of(F.log10UnitRoundoff * Math.LN10);
  if (F.lt(logS, logEps)) {
    // expm1(S)/S = 1 + S/2 + S²/6 …; S/2 is below roundoff relative to 1 here, except for its log
    const S = F.exp(logS); // may underflow to 0: then the correction is exactly negligible
    return F.add(logS, F.log1p(F.mul(S, F.half)));
  }
  const S = F.exp(logS);
  // log(e^S - 1) = S + log(1 - e^{-S})
  return F.add(S, log1mexp(F, F.neg(S)));
}

/** log(log1p(e^q)) — the log of softplus(q) — for any q, with no underflow for q ≪ 0. */
export function logSoftplus<S>(F: Field<S>, q: S): S {
  const logEps = F.of(F.log10UnitRoundoff * Math.LN10);
  if (F.lt(q, logEps)) {
    // log1p(e^q) = e^q (1 - e^q/2 + …)
    const e = F.exp(q);
    return F.add(q, F.log1p(F.neg(F.mul(e, F.half))));
  }
  return F.log(softplus(F, q));
}

/** sign · exp(log); sign 0 means the value 0 (log ignored). */
export interface SignedLog<S> {
  readonly sign: -1 | 0 | 1;
  readonly log: S;
}

/** Σ of signed log-domain terms, as a signed log. Cancellation is exact up to the working precision. */
export function signedLogSum<S>(F: Field<S>, terms: readonly SignedLog<S>[]): SignedLog<S> {
  const pos = terms.filter((t) => t.sign > 0).map((t) => t.log);
  const neg = terms.filter((t) => t.sign < 0).map((t) => t.log);
  if (pos.length === 0 && neg.length === 0) return { sign: 0, log: F.zero };
  if (neg.length === 0) return { sign: 1, log: logSumExp(F, pos) };
  if (pos.length === 0) return { sign: -1, log: logSumExp(F, neg) };
  const lp = logSumExp(F, pos);
  const ln = logSumExp(F, neg);
  const c = F.cmp(lp, ln);
  if (c === 0) return { sign: 0, log: F.zero };
  const [big, small, sign] = c > 0 ? [lp, ln, 1 as const] : [ln, lp, -1 as const];
  return { sign, log: F.add(big, log1mexp(F, F.sub(small, big))) };
}

/** log10 from a natural log. */
export function lnToLog10<S>(F: Field<S>, ln: S): S {
  return F.div(ln, F.ln10());
}
