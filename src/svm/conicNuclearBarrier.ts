/**
 * The dual of the nuclear-norm SVM (SPEC.md §5 `nuclear`) by a log-det barrier path-following method,
 * over any Field:
 *
 *   max 1ᵀλ  s.t.  ‖M(λ)‖₂ ≤ 1, λ ≥ 0,   M(λ) = Σ_k λ_k A_k,  A_k = ℓ_k r_kᵀ,
 *
 * with ‖M‖₂ ≤ 1 ⇔ S(λ) = [[I, M], [Mᵀ, I]] ⪰ 0. For t > 0 minimize
 *   φ_t(λ) = −t·1ᵀλ − log det S(λ) − Σ log λ_k
 * by damped Newton, then raise t. With G = S⁻¹, u_k = (ℓ_k; 0), v_k = (0; r_k), dS/dλ_k = u_k v_kᵀ + v_k u_kᵀ:
 *   ∂φ/∂λ_k  = −t − 2 u_kᵀGv_k − 1/λ_k
 *   ∂²φ/∂λ_k∂λ_l = 2[(u_kᵀGv_l)(u_lᵀGv_k) + (u_kᵀGu_l)(v_kᵀGv_l)] + δ_kl/λ_k².
 * At a centred point the barrier primal W_t = −(2/t)·G₁₂ = (2/t) M (I − MᵀM)⁻¹ is strictly feasible:
 * ⟨A_k, W_t⟩ = 1 + 1/(t λ_k), and the duality gap is ≤ (m + d)/t (barrier parameter m + 2d).
 */
import type { Field } from '../numeric/Field.js';
import type { Matrix } from '../numeric/linalg.js';
import { luFactor, luSolve } from '../numeric/linalg.js';
import { cholesky, choleskyInverse, choleskyLogDet } from './conicCholesky.js';

export interface NuclearData<S> {
  readonly d: number;
  /** ℓ_k = x_{i,opt} − x_{i,t} */
  readonly left: S[][];
  /** r_k = z_i */
  readonly right: S[][];
}

export interface BarrierPoint<S> {
  readonly lambda: S[];
  readonly t: S;
  readonly M: Matrix<S>;
  /** S(λ)⁻¹ */
  readonly G: Matrix<S>;
  /** barrier primal W_t = −(2/t) G₁₂ */
  readonly W: Matrix<S>;
}

export function dualMatrix<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[]): Matrix<S> {
  const { d } = data;
  const M: Matrix<S> = Array.from({ length: d }, () => Array.from({ length: d }, () => F.zero));
  lambda.forEach((l, k) => {
    if (F.isZero(l)) return;
    const lk = data.left[k]!;
    const rk = data.right[k]!;
    for (let a = 0; a < d; a++) {
      if (F.isZero(lk[a]!)) continue;
      const la = F.mul(l, lk[a]!);
      for (let b = 0; b < d; b++) M[a]![b] = F.add(M[a]![b]!, F.mul(la, rk[b]!));
    }
  });
  return M;
}

function blockS<S>(F: Field<S>, M: Matrix<S>): Matrix<S> {
  const d = M.length;
  return Array.from({ length: 2 * d }, (_, i) => Array.from({ length: 2 * d }, (_, j) => {
    if (i < d && j < d) return i === j ? F.one : F.zero;
    if (i >= d && j >= d) return i === j ? F.one : F.zero;
    return i < d ? M[i]![j - d]! : M[j]![i - d]!;
  }));
}

/**
 * φ_t(λ') − φ_t(λ) without cancellation (the values themselves are ~ t·1ᵀλ, whose roundoff would hide
 * the decrease near the optimum): −t·1ᵀΔλ − log det(I + L⁻¹ ΔS L⁻ᵀ) − Σ log1p(Δλ_k/λ_k), S(λ) = L Lᵀ,
 * the log det from Cholesky pivots written as 1 + δ_j. Null outside the domain.
 */
function barrierChange<S>(F: Field<S>, data: NuclearData<S>, t: S, lambda: readonly S[], L: Matrix<S>, next: readonly S[]): S | null {
  const d = data.d;
  const n = 2 * d;
  const dl = next.map((x, k) => F.sub(x, lambda[k]!));
  let change = F.zero;
  for (let k = 0; k < dl.length; k++) {
    if (F.sign(next[k]!) <= 0) return null;
    change = F.sub(change, F.add(F.mul(t, dl[k]!), F.log1p(F.div(dl[k]!, lambda[k]!))));
  }
  const dM = dualMatrix(F, data, dl);
  const dS: Matrix<S> = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    if ((i < d) === (j < d)) return F.zero;
    return i < d ? dM[i]![j - d]! : dM[j]![i - d]!;
  }));
  // E = L⁻¹ dS L⁻ᵀ: forward substitution on columns, then on rows
  const fwd = (b: S[]): S[] => {
    const y: S[] = [];
    for (let i = 0; i < n; i++) {
      let s: S = b[i] as S;
      for (let k = 0; k < i; k++) s = F.sub(s, F.mul(L[i]![k]!, y[k]!));
      y.push(F.div(s, L[i]![i]!));
    }
    return y;
  };
  const X = Array.from({ length: n }, (_, j) => fwd(dS.map((row) => row[j]!))); // X[j] = L⁻¹ dS e_j (column j)
  const E = Array.from({ length: n }, (_, i) => fwd(X.map((col) => col[i]!))); // E[i] = L⁻¹ (row i of L⁻¹dS)ᵀ
  // Cholesky of I + E with pivots² = 1 + δ_j
  const C: Matrix<S> = Array.from({ length: n }, () => Array.from({ length: n }, () => F.zero));
  let logdet = F.zero;
  for (let j = 0; j < n; j++) {
    let delta: S = E[j]![j] as S;
    for (let k = 0; k < j; k++) delta = F.sub(delta, F.mul(C[j]![k]!, C[j]![k]!));
    if (!F.gt(F.add(F.one, delta), F.zero)) return null;
    logdet = F.add(logdet, F.log1p(delta));
    const cjj = F.sqrt(F.add(F.one, delta));
    C[j]![j] = cjj;
    for (let i = j + 1; i < n; i++) {
      let v: S = E[i]![j] as S;
      for (let k = 0; k < j; k++) v = F.sub(v, F.mul(C[i]![k]!, C[j]![k]!));
      C[i]![j] = F.div(v, cjj);
    }
  }
  return F.sub(change, logdet);
}

function dot<S>(F: Field<S>, a: readonly S[], b: readonly S[], offset: number): S {
  let s = F.zero;
  for (let j = 0; j < a.length; j++) s = F.add(s, F.mul(a[j]!, b[j + offset]!));
  return s;
}

/** Gradient, Hessian and the barrier point at λ (which must be in the domain). */
function newtonSystem<S>(F: Field<S>, data: NuclearData<S>, t: S, lambda: readonly S[]): { grad: S[]; H: Matrix<S>; L: Matrix<S>; point: BarrierPoint<S> } {
  const { d } = data;
  const m = lambda.length;
  const M = dualMatrix(F, data, lambda);
  const L = cholesky(F, blockS(F, M));
  if (L === null) throw new Error('nuclear barrier: point outside the domain');
  const G = choleskyInverse(F, L);
  // Gu_k = G[:, :d] ℓ_k, Gv_k = G[:, d:] r_k (2d-vectors)
  const Gu = data.left.map((lk) => G.map((row) => { let s = F.zero; for (let a = 0; a < d; a++) s = F.add(s, F.mul(row[a]!, lk[a]!)); return s; }));
  const Gv = data.right.map((rk) => G.map((row) => { let s = F.zero; for (let b = 0; b < d; b++) s = F.add(s, F.mul(row[d + b]!, rk[b]!)); return s; }));
  // P_kl = u_kᵀ G v_l = ℓ_k · (Gv_l)[:d];  UU_kl = ℓ_k · (Gu_l)[:d];  VV_kl = r_k · (Gv_l)[d:]
  const P: Matrix<S> = data.left.map((lk) => Gv.map((g) => dot(F, lk, g, 0)));
  const UU: Matrix<S> = data.left.map((lk) => Gu.map((g) => dot(F, lk, g, 0)));
  const VV: Matrix<S> = data.right.map((rk) => Gv.map((g) => dot(F, rk, g, d)));
  const grad = lambda.map((l, k) => F.sub(F.sub(F.neg(t), F.scale(P[k]![k]!, 2)), F.div(F.one, l)));
  const H: Matrix<S> = Array.from({ length: m }, (_, k) => Array.from({ length: m }, (_, l) => {
    let h = F.scale(F.add(F.mul(P[k]![l]!, P[l]![k]!), F.mul(UU[k]![l]!, VV[k]![l]!)), 2);
    if (k === l) h = F.add(h, F.div(F.one, F.mul(lambda[k]!, lambda[k]!)));
    return h;
  }));
  const twoOverT = F.div(F.two, t);
  const W: Matrix<S> = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => F.neg(F.mul(twoOverT, G[a]![d + b]!))));
  return { grad, H, L, point: { lambda: lambda.slice(), t, M, G, W } };
}

export interface BarrierOptions<S> {
  /** starting λ (strictly feasible) and t */
  readonly lambda0: S[];
  /** starting t; null → the t for which λ₀ is closest to central (min over t of ‖∇φ_t(λ₀)‖ in the H⁻¹ norm) */
  readonly t0: S | null;
  /** factor by which t grows per outer step */
  readonly growth: number;
  /** stop when (m + d)/t ≤ relGap · 1ᵀλ */
  readonly relGap: S;
  readonly maxNewton: number;
  /** called after each centring; return true to stop */
  readonly onCentred?: (pt: BarrierPoint<S>) => boolean;
}

export interface BarrierRun<S> {
  readonly point: BarrierPoint<S>;
  readonly newtonSteps: number;
  readonly stop: 'target' | 'stagnation' | 'max-newton' | 'callback';
  /** last t whose centring converged */
  readonly tCentred: S;
}

/** Path following: centre with damped Newton (decrement² ≤ 1e-10 or no progress), then t ← growth·t. */
export function nuclearBarrier<S>(F: Field<S>, data: NuclearData<S>, opts: BarrierOptions<S>): BarrierRun<S> {
  const m = opts.lambda0.length;
  const nu = F.of(m + data.d);
  let lambda = opts.lambda0.slice();
  let t = opts.t0 ?? centralT(F, data, opts.lambda0);
  let steps = 0;
  let lastPoint: BarrierPoint<S> | null = null;
  let tCentred = F.zero;
  const decTol = F.of('1e-10');
  let roughCentrings = 0;
  for (;;) {
    // centring at t
    let centred = false;
    for (let inner = 0; inner < 200 && steps < opts.maxNewton; inner++) {
      const sys = newtonSystem(F, data, t, lambda);
      lastPoint = sys.point;
      const lu = luFactor(F, sys.H);
      if (lu.singular) break;
      const step = luSolve(F, lu, sys.grad.map((g) => F.neg(g)));
      let dec2 = F.zero;
      step.forEach((s, k) => { dec2 = F.sub(dec2, F.mul(s, sys.grad[k]!)); });
      steps++;
      if (!F.gt(dec2, decTol)) { centred = true; break; }
      let alpha = F.one;
      let accepted = false;
      for (let ls = 0; ls < 60; ls++) {
        const trial = lambda.map((l, k) => F.add(l, F.mul(alpha, step[k]!)));
        const change = barrierChange(F, data, t, lambda, sys.L, trial);
        if (change !== null && !F.gt(change, F.neg(F.mul(F.mul(alpha, dec2), F.of('0.25'))))) {
          lambda = trial;
          accepted = true;
          break;
        }
        alpha = F.mul(alpha, F.half);
      }
      if (!accepted) {
        // roundoff floor of the line search: a point this close to the centre (decrement² ≤ 0.1) still
        // serves, so move on to the next t; farther out the run stops
        if (!F.gt(dec2, F.of('0.1')) && roughCentrings < 4) { roughCentrings++; centred = true; }
        break;
      }
    }
    if (!centred) {
      const point = lastPoint ?? newtonSystem(F, data, t, lambda).point;
      return { point, newtonSteps: steps, stop: steps >= opts.maxNewton ? 'max-newton' : 'stagnation', tCentred };
    }
    tCentred = t;
    const point = newtonSystem(F, data, t, lambda).point;
    if (opts.onCentred?.(point)) return { point, newtonSteps: steps, stop: 'callback', tCentred };
    let sumL = F.zero;
    for (const l of lambda) sumL = F.add(sumL, l);
    if (!F.gt(F.div(nu, t), F.mul(opts.relGap, sumL))) return { point, newtonSteps: steps, stop: 'target', tCentred };
    t = F.scale(t, opts.growth);
  }
}

/** argmin_t (g₀ − t1)ᵀH⁻¹(g₀ − t1) = 1ᵀH⁻¹g₀ / 1ᵀH⁻¹1, with g₀ = ∇φ₀ (the t-free part), floored at a tiny positive t. */
function centralT<S>(F: Field<S>, data: NuclearData<S>, lambda: readonly S[]): S {
  const sys = newtonSystem(F, data, F.zero, lambda);
  const lu = luFactor(F, sys.H);
  if (lu.singular) return F.one;
  const ones = lambda.map(() => F.one);
  const hg = luSolve(F, lu, sys.grad);
  const h1 = luSolve(F, lu, ones);
  let num = F.zero;
  let den = F.zero;
  hg.forEach((x, k) => { num = F.add(num, x); den = F.add(den, h1[k]!); });
  // ∇φ_t = g₀ − t·1, so the best t is 1ᵀH⁻¹g₀ / 1ᵀH⁻¹1
  const t = F.div(num, den);
  let sumL = F.zero;
  for (const l of lambda) sumL = F.add(sumL, l);
  const floor = F.div(F.of(1e-3), sumL);
  return F.gt(t, floor) ? t : floor;
}
