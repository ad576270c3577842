/**
 * The Hessian of L (src/model/hessian.ts), used for the analytic Jacobian of the implicit integrators
 * (SPEC.md §8), equals central finite differences of the analytic gradient, in Decimal at 60 digits
 * (h = 1e-25: truncation ~1e-50, roundoff ~1e-35 relative to the gradient scale), to 20 digits,
 * for diagonal w and full W, both losses. It is also symmetric to working precision.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decimalField, type Dec } from '../../src/numeric/decimal.js';
import { float64Field } from '../../src/numeric/float64.js';
import {
  attentionProblem, evaluateAttention, marginsDiag, gradientLinearScaled, hessianLinearScaled, fullFeatures,
  gradientFromMarginsFast, hessianFromCurvature, hessianQuadraticForm, float64Kernel, gradientFastF64, type LossKind,
} from '../../src/model/index.js';
import { hessianF64, hessianQuadraticFormF64 } from '../../src/model/hessianF64.js';
import { arbDataset } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';

const F = decimalField(60);
const H = F.of('1e-25');
const TOL = F.of('1e-20');

for (const loss of ['exp', 'logistic'] as LossKind[]) {
  for (const structure of ['diag', 'full'] as const) {
    test(`[${loss}, ${structure}] Hessian = FD of the gradient; symmetric`, () => {
      const arb = arbDataset({ n: 3, T: 3, d: structure === 'diag' ? 3 : 2 }).chain((data) => {
        const dim = structure === 'diag' ? data.d : data.d * data.d;
        return fc.tuple(fc.constant(data), fc.array(fc.integer({ min: -200, max: 200 }).map((k) => `${k}/100`), { minLength: dim, maxLength: dim }));
      });
      fc.assert(fc.property(arb, ([data, x0]) => {
        const P = attentionProblem(F, data, loss);
        const features = structure === 'diag' ? P.a : fullFeatures(P);
        const dim = x0.length;
        // margins of a linear parameter: h_k = ⟨f_k, θ⟩
        const margins = (th: Dec[]) => features.map((f) => f.reduce((s, fj, j) => F.add(s, F.mul(fj, th[j]!)), F.zero));
        const th = x0.map((s) => F.of(s));
        const ev = evaluateAttention(P, margins(th));
        const g0 = gradientLinearScaled(P, ev, features, dim);
        const M = g0.logScale;
        const Hs = hessianLinearScaled(P, ev, features, dim, M);
        // gradient at θ', scaled by the fixed e^{−M}
        const gradScaled = (t: Dec[]) => {
          const g = gradientLinearScaled(P, evaluateAttention(P, margins(t)), features, dim);
          const f = F.exp(F.sub(g.logScale, M));
          return g.value.map((v) => F.mul(v, f));
        };
        let hmax = F.zero;
        for (const row of Hs) for (const v of row) hmax = F.max(hmax, F.abs(v));
        fc.pre(!F.isZero(hmax));
        for (let q = 0; q < dim; q++) {
          const up = th.slice(); up[q] = F.add(th[q]!, H);
          const dn = th.slice(); dn[q] = F.sub(th[q]!, H);
          const gu = gradScaled(up);
          const gd = gradScaled(dn);
          for (let p = 0; p < dim; p++) {
            const fd = F.div(F.sub(gu[p]!, gd[p]!), F.scale(H, 2));
            const err = F.div(F.abs(F.sub(fd, Hs[p]![q]!)), hmax);
            assert.ok(F.lt(err, TOL), `H[${p}][${q}]: ${F.toPrecision(Hs[p]![q]!, 25)} vs FD ${F.toPrecision(fd, 25)}`);
            const asym = F.div(F.abs(F.sub(Hs[p]![q]!, Hs[q]![p]!)), hmax);
            assert.ok(F.lt(asym, F.of('1e-55')), `asymmetry at ${p},${q}`);
          }
        }
      }), fcParams(`hessian-${loss}-${structure}`, 8, 40));
    });
  }
}


// The fast gradient's curvature (fastGradient.ts: s_k = ŝ_k e^σ, ρ_i at the gradient's scale) gives the same
// Hessian as the log-domain path, and the O(m·d) quadratic form xᵀH_s y equals it contracted with x and y
// (Decimal(60), 1e-40 of the largest entry; margins up to ±400, both losses).
for (const loss of ['exp', 'logistic'] as LossKind[]) {
  test(`[${loss}] Hessian from the fast path's curvature = log-domain Hessian; hessianQuadraticForm = xᵀHy`, () => {
    const arb = arbDataset({ n: 3, T: 4, d: 3 }).chain((data) => fc.tuple(
      fc.constant(data),
      fc.array(fc.integer({ min: -4000, max: 4000 }).map((k) => `${k}/10`), { minLength: data.d, maxLength: data.d }),
      fc.array(fc.integer({ min: -100, max: 100 }).map((k) => `${k}/7`), { minLength: 2 * data.d, maxLength: 2 * data.d }),
    ));
    fc.assert(fc.property(arb, ([data, w0, xy]) => {
      const P = attentionProblem(F, data, loss);
      const w = w0.map((s) => F.of(s));
      const h = marginsDiag(P, w);
      const fast = gradientFromMarginsFast(P, h, P.a, P.d);
      const ev = evaluateAttention(P, h);
      const Hlog = hessianLinearScaled(P, ev, P.a, P.d, fast.logScale);
      const curv = fast.curvature();
      const Hfast = hessianFromCurvature(P, P.a, P.d, fast.weights, curv);
      let hmax = F.zero;
      for (const row of Hlog) for (const v of row) hmax = F.max(hmax, F.abs(v));
      fc.pre(!F.isZero(hmax));
      const tol = F.mul(hmax, F.of('1e-40'));
      Hlog.forEach((row, p) => row.forEach((v, q) => {
        assert.ok(F.lt(F.abs(F.sub(v, Hfast[p]![q]!)), tol), `H[${p}][${q}]: log ${F.toPrecision(v, 30)} vs fast ${F.toPrecision(Hfast[p]![q]!, 30)}`);
      }));
      const x = xy.slice(0, P.d).map((s) => F.of(s));
      const y = xy.slice(P.d).map((s) => F.of(s));
      let direct = F.zero;
      for (let p = 0; p < P.d; p++) for (let q = 0; q < P.d; q++) direct = F.add(direct, F.mul(x[p]!, F.mul(Hlog[p]![q]!, y[q]!)));
      const form = hessianQuadraticForm(P, P.a, fast.weights, curv, x, y);
      const scale = F.mul(hmax, F.add(F.one, F.mul(F.of(100), F.of(100))));
      assert.ok(F.lt(F.abs(F.sub(form, direct)), F.mul(scale, F.of('1e-40'))), `xᵀHy: ${F.toPrecision(form, 30)} vs ${F.toPrecision(direct, 30)}`);
    }), fcParams(`hessian-fast-${loss}`, 40, 400));
  });
}

// The float64 typed kernel's curvature (fastGradientF64.ts) gives the log-domain Hessian to 1e-9 of its largest
// entry (margins up to ±400: logs of that size cost ~3 digits), both losses.
for (const loss of ['exp', 'logistic'] as LossKind[]) {
  test(`[${loss}] float64 typed kernel: Hessian from its curvature = log-domain Hessian`, () => {
    const G = float64Field;
    const arb = arbDataset({ n: 3, T: 4, d: 3 }).chain((data) => fc.tuple(fc.constant(data),
      fc.array(fc.integer({ min: -4000, max: 4000 }).map((k) => k / 10), { minLength: data.d, maxLength: data.d })));
    fc.assert(fc.property(arb, ([data, w]) => {
      const P = attentionProblem(G, data, loss);
      const fast = gradientFastF64(float64Kernel(P), w);
      fc.pre(fast !== null);
      const Hlog = hessianLinearScaled(P, evaluateAttention(P, marginsDiag(P, w)), P.a, P.d, fast!.logScale);
      const Hfast = hessianFromCurvature(P, P.a, P.d, fast!.weights, fast!.curvature());
      const hmax = Math.max(...Hlog.flat().map(Math.abs));
      fc.pre(hmax > 0);
      Hlog.forEach((row, p) => row.forEach((v, q) => {
        assert.ok(Math.abs(v - Hfast[p]![q]!) <= 1e-9 * hmax, `H[${p}][${q}]: log ${v} vs typed ${Hfast[p]![q]}`);
      }));
    }), fcParams(`hessian-f64-${loss}`, 100, 1000));
  });
}

// The float64 twins (hessianF64.ts) against the generic routines over float64Field on the same kernel output:
// the same sums in the same order, so equal to 1e-15 of the largest entry (difference measured when written: 0).
for (const loss of ['exp', 'logistic'] as LossKind[]) {
  test(`[${loss}] hessianF64 / hessianQuadraticFormF64 = hessianFromCurvature / hessianQuadraticForm in float64`, () => {
    const G = float64Field;
    const arb = arbDataset({ n: 3, T: 4, d: 3 }).chain((data) => fc.tuple(fc.constant(data),
      fc.array(fc.integer({ min: -4000, max: 4000 }).map((k) => k / 10), { minLength: data.d, maxLength: data.d }),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2 * data.d, maxLength: 2 * data.d })));
    fc.assert(fc.property(arb, ([data, w, xy]) => {
      const P = attentionProblem(G, data, loss);
      const K = float64Kernel(P);
      const fast = gradientFastF64(K, w);
      fc.pre(fast !== null);
      const curv = fast!.curvature();
      const Hgen = hessianFromCurvature(P, P.a, P.d, fast!.weights, curv);
      const Htyped = hessianF64(K, fast!.weights, curv);
      const hmax = Math.max(...Hgen.flat().map(Math.abs));
      Hgen.forEach((row, p) => row.forEach((v, q) => {
        assert.ok(Math.abs(v - Htyped[p]![q]!) <= 1e-15 * hmax, `H[${p}][${q}]: generic ${v} vs typed ${Htyped[p]![q]}`);
      }));
      const x = xy.slice(0, P.d);
      const y = xy.slice(P.d);
      const gen = hessianQuadraticForm(P, P.a, fast!.weights, curv, x, y);
      const typed = hessianQuadraticFormF64(K, fast!.weights, curv, x, y);
      assert.ok(Math.abs(gen - typed) <= 1e-15 * hmax * 25 * P.d * P.d, `xᵀHy: generic ${gen} vs typed ${typed}`);
    }), fcParams(`hessian-f64-twin-${loss}`, 100, 1000));
  });
}

test.run();
