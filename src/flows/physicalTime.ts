/**
 * Physical time by quadrature (SPEC.md §4 "Time"): t(τ) = ∫ e^{φ(τ)} dτ with φ = ln(dt/dτ) = −ln N(θ(τ)).
 * Late in a flow φ grows like the margins (φ ~ 1e20 is typical) and e^{φ} is dominated by the last
 * instants, so t is kept as ln t and each step's contribution is integrated in the log domain:
 * φ is modelled on [a, b] by the cubic Hermite interpolant of its values and slopes at both ends (error
 * ~φ''''(b−τ)²(τ−a)²/24, negligible where the mass of e^{φ} lies), and ∫ e^{H(τ)−H(b)} dτ is summed by
 * 4-point Gauss–Legendre on panels that start at width ~1/|H'(b)| at the steep end and double backwards.
 */
import type { Field } from '../numeric/Field.js';
import { logSumExp } from '../numeric/logdomain.js';

/** Gauss–Legendre 4-point nodes and weights on [−1, 1] (Abramowitz & Stegun 25.4.30). */
const GL4_NODES = ['-0.8611363115940525752239464888928095', '-0.3399810435848562648026657591032447', '0.3399810435848562648026657591032447', '0.8611363115940525752239464888928095'];
const GL4_WEIGHTS = ['0.3478548451374538573730639492219994', '0.6521451548625461426269360507780006', '0.6521451548625461426269360507780006', '0.3478548451374538573730639492219994'];

export interface RatePoint<S> {
  readonly tau: S;
  /** φ = ln dt/dτ */
  readonly phi: S;
  /** dφ/dτ */
  readonly dphi: S;
}

/** The nodes and weights in a field, parsed once per field. */
const glCache = new WeakMap<object, { nodes: unknown[]; weights: unknown[] }>();
function gaussLegendre4<S>(F: Field<S>): { nodes: S[]; weights: S[] } {
  let c = glCache.get(F);
  if (!c) { c = { nodes: GL4_NODES.map((x) => F.of(x)), weights: GL4_WEIGHTS.map((x) => F.of(x)) }; glCache.set(F, c); }
  return c as { nodes: S[]; weights: S[] };
}

/** The cubic Hermite interpolant of φ on [a, b], as a function of τ. */
function hermite<S>(F: Field<S>, a: RatePoint<S>, b: RatePoint<S>): (tau: S) => S {
  const h = F.sub(b.tau, a.tau);
  return (tau: S): S => {
    const s = F.div(F.sub(tau, a.tau), h);
    const s2 = F.mul(s, s);
    const s3 = F.mul(s2, s);
    const h00 = F.add(F.sub(F.scale(s3, 2), F.scale(s2, 3)), F.one);
    const h10 = F.add(F.sub(s3, F.scale(s2, 2)), s);
    const h01 = F.add(F.scale(s3, -2), F.scale(s2, 3));
    const h11 = F.sub(s3, s2);
    return F.add(F.add(F.mul(h00, a.phi), F.mul(F.mul(h10, h), a.dphi)), F.add(F.mul(h01, b.phi), F.mul(F.mul(h11, h), b.dphi)));
  };
}

/** ln ∫_a^b e^{φ(τ)} dτ for one step (a.tau < b.tau). */
export function logStepIntegral<S>(F: Field<S>, a: RatePoint<S>, b: RatePoint<S>): S {
  const H = hermite(F, a, b);
  const h = F.sub(b.tau, a.tau);
  const top = F.max(a.phi, b.phi);
  const { nodes, weights } = gaussLegendre4(F);
  // panel widths: start at min(h, c/|φ'|) at the steeper end and double towards the other end
  const steepEndIsB = !F.lt(b.phi, a.phi);
  const slope = F.abs(steepEndIsB ? b.dphi : a.dphi);
  let width = F.min(h, F.div(F.of(0.25), F.max(slope, F.of(1e-300))));
  const logs: S[] = [];
  let covered = F.zero;
  const cutoff = F.of(-(F.digits * Math.LN10 + 10)); // panels below this relative weight are dropped
  for (let panel = 0; panel < 4000 && F.lt(covered, h); panel++) {
    const w = F.min(width, F.sub(h, covered));
    // panel [lo, hi] measured from the steep end
    const lo = steepEndIsB ? F.sub(F.sub(b.tau, covered), w) : F.add(a.tau, covered);
    const half = F.mul(w, F.half);
    const mid = F.add(lo, half);
    const vals = nodes.map((x) => F.sub(H(F.add(mid, F.mul(half, x))), top));
    const m = vals.reduce((p, q) => F.max(p, q));
    let s = F.zero;
    vals.forEach((v, k) => { s = F.add(s, F.mul(weights[k]!, F.exp(F.sub(v, m)))); });
    logs.push(F.add(F.add(m, F.log(s)), F.log(half)));
    covered = F.add(covered, w);
    if (F.lt(m, cutoff)) break; // the rest is below the working precision
    width = F.scale(width, 2);
  }
  return F.add(top, logSumExp(F, logs));
}

/** ln(e^x + e^y) */
export function logAddExp<S>(F: Field<S>, x: S, y: S): S {
  return logSumExp(F, [x, y]);
}
