/**
 * The fast right-hand-side gradients (fastGradient.ts, generic; fastGradientF64.ts, typed arrays) equal
 * the fully log-domain gradient of attention.ts/gradient.ts: g = e^{logScale}·value up to roundoff,
 * for both losses, from small to enormous margins (where e^{−h} underflows: the scaled forms must agree).
 * Tolerance: relative 1e-10 of the largest entry in float64 (logs of size |margin| ≤ 1e4 lose ~4 digits),
 * 1e-30 in Decimal(50).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import type { Field } from '../../src/numeric/Field.js';
import {
  attentionProblem, evaluateAttention, marginsDiag, gradientDiagScaled, gradientFromMarginsFast, float64Kernel,
  gradientFastF64, type LossKind,
} from '../../src/model/index.js';
import { arbDataset } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';

function unscaledRelDiff<S>(F: Field<S>, a: { logScale: S; value: S[] }, b: { logScale: S; value: S[] }): number {
  // compare e^{la}·va with e^{lb}·vb relative to the largest entry, in the log of the scales
  const shift = F.exp(F.sub(b.logScale, a.logScale));
  let worst = 0;
  let scale = 0;
  a.value.forEach((x, j) => {
    const y = F.mul(b.value[j]!, shift);
    worst = Math.max(worst, Math.abs(F.toNumber(F.sub(x, y))));
    scale = Math.max(scale, Math.abs(F.toNumber(x)));
  });
  return scale === 0 ? worst : worst / scale;
}

const arb = arbDataset({ n: 4, T: 4, d: 4 }).chain((data) => fc.tuple(fc.constant(data),
  fc.array(fc.integer({ min: -4000, max: 4000 }).map((k) => k / 4), { minLength: data.d, maxLength: data.d })));

for (const loss of ['exp', 'logistic'] as LossKind[]) {
  test(`[${loss}] fast paths = log-domain gradient (float64 typed arrays, float64 generic, Decimal(50))`, () => {
    fc.assert(fc.property(arb, ([data, w]) => {
      const F = float64Field;
      const P = attentionProblem(F, data, loss);
      const ref = gradientDiagScaled(P, evaluateAttention(P, marginsDiag(P, w)));
      const generic = gradientFromMarginsFast(P, marginsDiag(P, w), P.a, P.d);
      const typed = gradientFastF64(float64Kernel(P), w) ?? generic; // null: suppressed optimal token, log path
      assert.ok(unscaledRelDiff(F, ref, generic) < 1e-10, `generic: ${unscaledRelDiff(F, ref, generic)}`);
      assert.ok(unscaledRelDiff(F, ref, typed) < 1e-10, `typed: ${unscaledRelDiff(F, ref, typed)}`);
      const wmax = Math.max(...generic.weights.map(Math.abs));
      typed.weights.forEach((c, k) => assert.ok(Math.abs(c - generic.weights[k]!) <= 1e-10 * wmax, `weight ${k}`));
      const D = decimalField(50);
      const PD = attentionProblem(D, data, loss);
      const wd = w.map((x) => D.of(x));
      const refD = gradientDiagScaled(PD, evaluateAttention(PD, marginsDiag(PD, wd)));
      const fastD = gradientFromMarginsFast(PD, marginsDiag(PD, wd), PD.a, PD.d);
      assert.ok(unscaledRelDiff(D, refD, fastD) < 1e-30, `Decimal: ${unscaledRelDiff(D, refD, fastD)}`);
    }), fcParams(`fast-gradient-${loss}`, 60, 500));
  });
}

test.run();
