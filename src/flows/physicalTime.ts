/**
 * Physical time by quadrature (SPEC.md §4 "Time"): t(τ) = ∫ e^{φ(τ)} dτ with φ = ln(dt/dτ) = −ln N(θ(τ)).
 * Late in a flow φ grows like the margins (φ ~ 1e20 is typical) and e^{φ} is dominated by the last
 * instants, so t is kept as ln t and each step's contribution is integrated in the log domain:
 * φ is modelled on [a, b] by the cubic Hermite interpolant of its values and slopes at both ends (error
 * ~φ''''(b−τ)²(τ−a)²/24, negligible where the mass of e^{φ} lies), and ∫ e^{H(τ)−H(b)} dτ is summed by a
 * series at the steep end when the integrand is concentrated there (logStepIntegralSteep: late in a flow), else
 * by Gauss–Legendre panels that start at width ~1/|H'(b)| at the steep end and grow backwards (ruleFor).
 * run.ts applies it between the stage nodes of an implicit step where the step is not steep.
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

/**
 * The rule for a field: float64 uses the tabulated 4-point rule with panels doubling (error ~1e-7 in
 * ln t, below what float64 resolves late in a flow); Decimal uses 8 points computed at working precision
 * (Newton on P₈) with panels growing ×1.2. Measured on φ linear with slope 50 over h = 5 at 40 digits:
 * growth 1.5 → 2e-16, 1.35 → 2e-18, 1.3 → 2.4e-19, 1.2 → 8.6e-22 (properties/flows/physicaltime).
 */
interface Rule<S> { readonly nodes: S[]; readonly weights: S[]; readonly growth: number; readonly start: number }
const ruleCache = new WeakMap<object, unknown>();
function ruleFor<S>(F: Field<S>): Rule<S> {
  let r = ruleCache.get(F) as Rule<S> | undefined;
  if (!r) {
    r = F.kind === 'float64'
      ? { nodes: GL4_NODES.map((x) => F.of(x)), weights: GL4_WEIGHTS.map((x) => F.of(x)), growth: 2, start: 0.25 }
      : { ...gaussLegendre(F, 8), growth: 1.2, start: 0.1 };
    ruleCache.set(F, r);
  }
  return r;
}

/** n-point Gauss–Legendre nodes and weights on [−1, 1] at the field's precision (Newton on P_n). */
export function gaussLegendre<S>(F: Field<S>, n: number): { nodes: S[]; weights: S[] } {
  const nodes: S[] = [];
  const weights: S[] = [];
  for (let i = 1; i <= n; i++) {
    let x = F.of(Math.cos((Math.PI * (i - 0.25)) / (n + 0.5)));
    let dp = F.one;
    for (let it = 0; it < 100; it++) {
      // P_n(x) and P_n'(x) by the three-term recurrence
      let p0 = F.one;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = F.div(F.sub(F.mul(F.of(2 * k - 1), F.mul(x, p1)), F.mul(F.of(k - 1), p0)), F.of(k));
        p0 = p1;
        p1 = p2;
      }
      dp = F.div(F.mul(F.of(n), F.sub(F.mul(x, p1), p0)), F.sub(F.mul(x, x), F.one));
      const dx = F.div(p1, dp);
      x = F.sub(x, dx);
      if (!F.gt(F.abs(dx), F.mul(F.epsilon(), F.of(4)))) break;
    }
    nodes.push(x);
    weights.push(F.div(F.two, F.mul(F.sub(F.one, F.mul(x, x)), F.mul(dp, dp))));
  }
  return { nodes, weights };
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

/** ln ∫_a^b e^{φ(τ)} dτ for one step (a.tau < b.tau): the steep-end series when it applies, else panels. */
export function logStepIntegral<S>(F: Field<S>, a: RatePoint<S>, b: RatePoint<S>): S {
  return logStepIntegralSteep(F, a, b) ?? logStepIntegralPanels(F, a, b);
}

/** Most terms of the steep-end series before it gives way to the panels. */
const STEEP_MAX_TERMS = 200;

/**
 * ln ∫_a^b e^{H(τ)} dτ for the Hermite cubic H when the integrand is concentrated at one end (late in a flow
 * |φ'| is 1e10–1e20 while a step is O(0.1)): with x the distance from the steep end, H(end) − H(end ∓ x) =
 * e1 x + e2 x² + e3 x³ and
 *   ∫_0^∞ e^{−e1 x − e2 x² − e3 x³} dx = Σ_m c_m m!/e1^{m+1},   Σ_m c_m x^m = e^{−e2 x² − e3 x³}
 * (the coefficients by the recurrence of the exponential of a power series, m c_m = Σ_k k q_k c_{m−k}).
 * Used only when (i) the integrand has fallen below 10^−(digits+5) of its peak from x₁ = 2D/e1 on, checked at
 * x₁, at the other end and at the critical points of the cubic between them (D = (digits + 5) ln 10), so that
 * neither the cut at x₁ nor the extension to ∞ shows at the working precision, and (ii) the quadratic and cubic
 * parts stay below 0.1 on [0, x₁], so that the terms fall geometrically; the sum stops once a term is below
 * 10^−(digits+3) of it. Otherwise null (the panel rule). It replaces ~30 eight-point panels (240 exps) by a
 * handful of products: 15% of a late Decimal(50) step.
 */
export function logStepIntegralSteep<S>(F: Field<S>, a: RatePoint<S>, b: RatePoint<S>): S | null {
  const h = F.sub(b.tau, a.tau);
  const steepEndIsB = !F.lt(b.phi, a.phi);
  const [steep, other] = steepEndIsB ? [b, a] : [a, b];
  // H(steep + u) = φ_s + φ'_s u + C2 u² + C3 u³, fitted to the other end's value and slope at u = ℓ (ℓ = ∓h);
  // with u = σx (σ = sign ℓ, x ≥ 0 into the step): H(steep) − H(steep + σx) = e1 x + e2 x² + e3 x³
  const ell = F.sub(other.tau, steep.tau);
  const A = F.div(F.sub(F.sub(other.phi, steep.phi), F.mul(steep.dphi, ell)), F.mul(ell, ell));
  const B = F.div(F.sub(other.dphi, steep.dphi), ell);
  const C3 = F.div(F.sub(B, F.scale(A, 2)), ell);
  const C2 = F.sub(F.scale(A, 3), B);
  const e1 = steepEndIsB ? steep.dphi : F.neg(steep.dphi);
  const e2 = F.neg(C2);
  const e3 = steepEndIsB ? C3 : F.neg(C3);
  const n1 = F.toNumber(e1), n2 = F.toNumber(e2), n3 = F.toNumber(e3), hn = F.toNumber(h);
  if (!(n1 > 0) || !Number.isFinite(n1) || !Number.isFinite(n2) || !Number.isFinite(n3)) return null;
  const D = (Math.ceil(F.digits) + 5) * Math.LN10;
  const x1 = (2 * D) / n1;
  if (!(x1 < hn)) return null;
  const E = (x: number): number => x * (n1 + x * (n2 + x * n3));
  // (ii) the perturbation is small where the mass lies
  if (Math.abs(n2) * x1 * x1 + Math.abs(n3) * x1 * x1 * x1 > 0.1) return null;
  // (i) E ≥ D on [x1, h]: at both ends and at the critical points of E inside
  const probes = [x1, hn];
  const qa = 3 * n3, qb = 2 * n2, qc = n1; // E'(x) = qa x² + qb x + qc
  if (qa !== 0) {
    const disc = qb * qb - 4 * qa * qc;
    if (disc >= 0) for (const sg of [-1, 1]) probes.push((-qb + sg * Math.sqrt(disc)) / (2 * qa));
  } else if (qb !== 0) probes.push(-qc / qb);
  for (const x of probes) if (x >= x1 && x <= hn && !(E(x) >= 1.5 * D)) return null;
  // the series Σ_m c_m m!/e1^m of e^{q(x)}, q = q_2 x² + q_3 x³ = −e2 x² − e3 x³: m c_m = 2 q_2 c_{m−2} + 3 q_3 c_{m−3}
  const twoQ2 = F.scale(e2, -2), threeQ3 = F.scale(e3, -3);
  const inv = F.div(F.one, e1);
  const c: S[] = [F.one];
  let sum = F.one;
  const small = F.of(`1e-${Math.ceil(F.digits) + 3}`);
  let factorialOverPower = F.one; // m!/e1^m
  let previousTerm = F.zero; // c_1 = 0
  for (let m = 1; m <= STEEP_MAX_TERMS; m++) {
    let mc = F.zero;
    if (m >= 2) mc = F.add(mc, F.mul(twoQ2, c[m - 2]!));
    if (m >= 3) mc = F.add(mc, F.mul(threeQ3, c[m - 3]!));
    c.push(F.div(mc, F.of(m)));
    factorialOverPower = F.mul(factorialOverPower, F.mul(F.of(m), inv));
    const term = F.mul(c[m]!, factorialOverPower);
    sum = F.add(sum, term);
    // stop once two consecutive terms are negligible (c_1 = 0 and odd/even terms alternate in size)
    const negligible = F.mul(small, F.abs(sum));
    if (m >= 3 && !F.gt(F.abs(term), negligible) && !F.gt(F.abs(previousTerm), negligible)) {
      if (!F.gt(sum, F.zero)) return null;
      return F.add(F.sub(steep.phi, F.log(e1)), F.log(sum));
    }
    previousTerm = term;
  }
  return null;
}

/** ln ∫_a^b e^{φ(τ)} dτ by Gauss–Legendre panels growing away from the steep end (ruleFor). */
export function logStepIntegralPanels<S>(F: Field<S>, a: RatePoint<S>, b: RatePoint<S>): S {
  const H = hermite(F, a, b);
  const h = F.sub(b.tau, a.tau);
  const top = F.max(a.phi, b.phi);
  const { nodes, weights, growth, start } = ruleFor(F);
  // panel widths: start at min(h, c/|φ'|) at the steeper end and double towards the other end
  const steepEndIsB = !F.lt(b.phi, a.phi);
  const slope = F.abs(steepEndIsB ? b.dphi : a.dphi);
  let width = F.min(h, F.div(F.of(start), F.max(slope, F.of(1e-300))));
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
    width = F.scale(width, growth);
  }
  return F.add(top, logSumExp(F, logs));
}

/** ln(e^x + e^y) */
export function logAddExp<S>(F: Field<S>, x: S, y: S): S {
  return logSumExp(F, [x, y]);
}
