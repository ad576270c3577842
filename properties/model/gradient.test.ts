/**
 * Issue 2: gradients of every parameterization (SPEC.md §4) equal central finite differences computed in
 * Decimal at ≥ 65 digits to ≥ 30 significant digits, for both losses; −∇L = Σ c A with c > 0 under A1(b).
 *
 * The finite differences are taken of the excess E = L − L* (same derivative: L* is constant), which the
 * model computes in the log domain with full relative precision. Their roundoff is u·E/h, relative to the
 * gradient u·E/(‖g‖h), so the precision is chosen per case from the measured conditioning:
 * P = 65 + max(0, ⌈log10(E/‖g‖∞)⌉) digits with h = 1e-25 (truncation ~1e-50 relative). A case that would
 * need more than 400 digits is discarded by fc.pre (the reference, not the code, cannot resolve it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decimalField, type Dec } from '../../src/numeric/decimal.js';
import type { Field } from '../../src/numeric/Field.js';
import type { Dataset } from '../../src/data/Dataset.js';
import {
  attentionProblem, evaluateAttention, logExcessLoss, marginsDiag, marginsFull, gradientDiagScaled, gradientFullScaled,
  unscaleVector, unscaleMatrix, paramGradients, weightsFromKQ, weightsFromDiag, weightsFromUV, weightsFromMirror,
  type AttentionProblem, type LossKind,
} from '../../src/model/index.js';
import { arbDataset, arbPlantedAB } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';

const BASE_DIGITS = 65;
const MAX_DIGITS = 400;

/** A scalar function of a flat parameter vector with its analytic gradient, in a given field. */
interface Case {
  value(x: Dec[]): Dec;
  grad(x: Dec[]): Dec[];
}
type MakeCase = (F: Field<Dec>) => Case;

function checkGradient(label: string, x0: readonly string[], make: MakeCase): void {
  const F0 = decimalField(BASE_DIGITS);
  const c0 = make(F0);
  const x = x0.map((s) => F0.of(s));
  const g0 = c0.grad(x);
  let gmax = F0.zero;
  for (const v of g0) gmax = F0.max(gmax, F0.abs(v));
  const E = c0.value(x);
  const cond = F0.isZero(gmax) ? 0 : Math.max(0, Math.ceil(F0.toNumber(F0.log10(F0.div(E, gmax)))));
  fc.pre(cond + BASE_DIGITS <= MAX_DIGITS);
  const F = decimalField(BASE_DIGITS + cond);
  const c = make(F);
  const xp = x0.map((s) => F.of(s));
  const g = c.grad(xp);
  const h = F.of('1e-25');
  const fd = xp.map((_, j) => {
    const up = xp.slice(); up[j] = F.add(xp[j]!, h);
    const dn = xp.slice(); dn[j] = F.sub(xp[j]!, h);
    return F.div(F.sub(c.value(up), c.value(dn)), F.scale(h, 2));
  });
  let scale = F.zero;
  for (const v of fd) scale = F.max(scale, F.abs(v));
  if (F.isZero(scale)) scale = F.one;
  const tol = F.of('1e-30');
  g.forEach((a, j) => {
    const rel = F.div(F.abs(F.sub(a, fd[j]!)), scale);
    assert.ok(F.lt(rel, tol), `${label}[${j}] at ${F.digits} digits: analytic ${F.toPrecision(a, 40)} vs FD ${F.toPrecision(fd[j]!, 40)} (rel ${F.toPrecision(rel, 3)})`);
  });
}

const excessAt = (P: AttentionProblem<Dec>, margins: Dec[]) => P.F.exp(logExcessLoss(P, evaluateAttention(P, margins)));
const gDiag = (P: AttentionProblem<Dec>, w: Dec[]) => unscaleVector(P.F, gradientDiagScaled(P, evaluateAttention(P, marginsDiag(P, w))));
const gFull = (P: AttentionProblem<Dec>, W: Dec[][]) => unscaleMatrix(P.F, gradientFullScaled(P, evaluateAttention(P, marginsFull(P, W))));
const reshape = <T>(x: T[], r: number, c: number): T[][] => Array.from({ length: r }, (_, i) => x.slice(i * c, (i + 1) * c));

/** entries k/100 with |k| ≤ bound, as exact strings */
const arbEntries = (len: number, bound = 300) => fc.array(fc.integer({ min: -bound, max: bound }).map((k) => `${k}/100`), { minLength: len, maxLength: len });
const shape = { n: 3, T: 3, d: 3 };
const withEntries = (len: (d: Dataset) => number, bound?: number) => arbDataset(shape).chain((data) => fc.tuple(fc.constant(data), arbEntries(len(data), bound)));

for (const loss of ['exp', 'logistic'] as LossKind[]) {
  test(`[${loss}] w: ∇_W L = central FD (Decimal ≥ 65 digits, ≥ 30 digits agree)`, () => {
    fc.assert(fc.property(withEntries((d) => d.d * d.d), ([data, x]) => {
      checkGradient('dL/dW', x, (F) => {
        const P = attentionProblem(F, data, loss);
        return { value: (v) => excessAt(P, marginsFull(P, reshape(v, P.d, P.d))), grad: (v) => gFull(P, reshape(v, P.d, P.d)).flat() };
      });
    }), fcParams(`grad-w-${loss}`, 10, 60));
  });

  test(`[${loss}] diag w: ∇_w L = central FD, and equals the diagonal of ∇_W L`, () => {
    fc.assert(fc.property(withEntries((d) => d.d), ([data, x]) => {
      checkGradient('dL/dw', x, (F) => {
        const P = attentionProblem(F, data, loss);
        return { value: (v) => excessAt(P, marginsDiag(P, v)), grad: (v) => gDiag(P, v) };
      });
      const F = decimalField(BASE_DIGITS);
      const P = attentionProblem(F, data, loss);
      const w = x.map((s) => F.of(s));
      const g = gDiag(P, w);
      const full = gFull(P, w.map((v, i) => w.map((_, j) => (i === j ? v : F.zero))));
      // two summation orders of the same terms: agreement to ~10 ulps of the largest entry
      let gmax = F.zero;
      for (const v of g) gmax = F.max(gmax, F.abs(v));
      const tol = F.mul(F.scale(F.epsilon(), 10 * P.constraints.diag.length), gmax);
      g.forEach((v, j) => assert.ok(!F.gt(F.abs(F.sub(v, full[j]![j]!)), tol), `diag entry ${j}: ${F.toPrecision(v, 30)} vs ${F.toPrecision(full[j]![j]!, 30)}`));
    }), fcParams(`grad-diag-w-${loss}`, 10, 60));
  });

  test(`[${loss}] kq: ∇_K = G Q and ∇_Q = Gᵀ K match FD`, () => {
    const arb = arbDataset(shape).chain((data) => fc.integer({ min: 1, max: 3 }).chain((m) => fc.tuple(fc.constant(data), fc.constant(m), arbEntries(2 * data.d * m))));
    fc.assert(fc.property(arb, ([data, m, x]) => {
      checkGradient('dL/d(K,Q)', x, (F) => {
        const P = attentionProblem(F, data, loss);
        const G = paramGradients(F);
        const split = (v: Dec[]) => [reshape(v.slice(0, P.d * m), P.d, m), reshape(v.slice(P.d * m), P.d, m)] as const;
        return {
          value: (v) => { const [K, Q] = split(v); return excessAt(P, marginsFull(P, weightsFromKQ(F, K, Q))); },
          grad: (v) => { const [K, Q] = split(v); const r = G.kq(gFull(P, weightsFromKQ(F, K, Q)), K, Q); return [...r.K.flat(), ...r.Q.flat()]; },
        };
      });
    }), fcParams(`grad-kq-${loss}`, 8, 40));
  });

  test(`[${loss}] diag (k, q) and uv (u, b): chain-rule gradients match FD`, () => {
    fc.assert(fc.property(withEntries((d) => 2 * d.d), ([data, x]) => {
      for (const [name, weights, grads] of [
        ['dL/d(k,q)', weightsFromDiag, (F: Field<Dec>, g: Dec[], a: Dec[], b: Dec[]) => { const r = paramGradients(F).diag(g, a, b); return [...r.k, ...r.q]; }],
        ['dL/d(u,b)', weightsFromUV, (F: Field<Dec>, g: Dec[], a: Dec[], b: Dec[]) => { const r = paramGradients(F).uv(g, a, b); return [...r.u, ...r.b]; }],
      ] as const) {
        checkGradient(name, x, (F) => {
          const P = attentionProblem(F, data, loss);
          const w = (v: Dec[]) => weights(F, v.slice(0, P.d), v.slice(P.d));
          return { value: (v) => excessAt(P, marginsDiag(P, w(v))), grad: (v) => grads(F, gDiag(P, w(v)), v.slice(0, P.d), v.slice(P.d)) };
        });
      }
    }), fcParams(`grad-diag-uv-${loss}`, 8, 40));
  });

  test(`[${loss}] r (mirror coordinates): ∇_r L = g ⊙ ∂w/∂r matches FD`, () => {
    fc.assert(fc.property(withEntries((d) => 3 * d.d, 100), ([data, x]) => {
      const d = data.d;
      checkGradient('dL/dr', x.slice(0, d), (F) => {
        const P = attentionProblem(F, data, loss);
        const init = { logU0: x.slice(d, 2 * d).map((s) => F.of(s)), logB0: x.slice(2 * d).map((s) => F.of(s)) };
        return {
          value: (r) => excessAt(P, marginsDiag(P, weightsFromMirror(F, init, r))),
          grad: (r) => paramGradients(F).r(gDiag(P, weightsFromMirror(F, init, r)), init, r),
        };
      });
    }), fcParams(`grad-r-${loss}`, 8, 40));
  });
}

test('c_{i,t} > 0 for every constraint whenever A1(b) holds, even at margins of 1e6 (log domain)', () => {
  const F = decimalField(40);
  const arb = arbPlantedAB({ n: 3, T: 4, d: 3 }).chain((data) => fc.tuple(fc.constant(data), fc.array(fc.integer({ min: -6, max: 6 }), { minLength: data.d, maxLength: data.d })));
  fc.assert(fc.property(arb, ([data, exps]) => {
    for (const loss of ['exp', 'logistic'] as LossKind[]) {
      const P = attentionProblem(F, data, loss);
      const w = exps.map((e) => F.of(`${Math.sign(e) || 1}e${Math.abs(e)}`));
      const ev = evaluateAttention(P, marginsDiag(P, w));
      ev.c.forEach((c, k) => {
        assert.is(c.sign, 1, `c[${k}] sign`);
        assert.ok(F.isFinite(c.log), `log c[${k}] finite`);
      });
    }
  }), fcParams('c-positive-A1b', 30, 200));
});

test('−∇_W L = Σ c_{i,t} A_{i,t}: the weighted sum of constraint matrices, assembled from c, matches FD', () => {
  fc.assert(fc.property(withEntries((d) => d.d * d.d), ([data, x]) => {
    checkGradient('Σ c A', x, (F) => {
      const P = attentionProblem(F, data, 'exp');
      return {
        value: (v) => excessAt(P, marginsFull(P, reshape(v, P.d, P.d))),
        grad: (v) => {
          const ev = evaluateAttention(P, marginsFull(P, reshape(v, P.d, P.d)));
          const sum = Array.from({ length: P.d * P.d }, () => F.zero);
          ev.c.forEach((c, k) => {
            if (c.sign === 0) return;
            const ck = F.scale(F.exp(c.log), c.sign);
            P.left[k]!.forEach((l, p) => P.right[k]!.forEach((r, q) => { sum[p * P.d + q] = F.sub(sum[p * P.d + q]!, F.mul(ck, F.mul(l, r))); }));
          });
          return sum;
        },
      };
    });
  }), fcParams('grad-decomposition', 10, 50));
});

test.run();
