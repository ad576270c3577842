/**
 * Issue 2: nerdamer derives ∂L/∂w symbolically for small instances (T = 2 and T = 3, d ≤ 3, both losses)
 * and the result matches the code at random points; the identities k⊙q = u⊙u − b⊙b and d(u⊙b)/dt = 0
 * along the flow are checked symbolically. Every symbolic expression is first checked numerically
 * against the code at random points (nerdamer mis-parses softmax-shaped quotients; see src/model/symbolic).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import nerdamer from 'nerdamer';
import 'nerdamer/Calculus.js';
import { float64Field as F } from '../../src/numeric/float64.js';
import {
  attentionProblem, evaluateAttention, lossTotal, marginsDiag, gradientDiagScaled, unscaleVector, lossExpressionDiag,
  diagVariable, EXP_BASE, EULER, type LossKind,
} from '../../src/model/index.js';
import { arbDatasetOfShape } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';

/** nerdamer's typings omit evaluate(substitutions), which the library supports. */
const evaluateWith = (expr: string, subs: Record<string, string>): string =>
  (nerdamer(expr) as unknown as { evaluate(s: Record<string, string>): { text(f: string): string } }).evaluate(subs).text('decimals');

function evalAt(expr: string, point: Record<string, number>): number {
  const subs: Record<string, string> = { [EXP_BASE]: EULER };
  for (const [k, v] of Object.entries(point)) subs[k] = String(v);
  return Number(evaluateWith(expr, subs));
}

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1e-300, Math.abs(a), Math.abs(b));

test('the nerdamer pitfalls are real: exp(a)/(exp(a)+exp(b)) is mis-parsed; d/dw log(1+exp(f)) rationalizes e', () => {
  const a = 0.3, b = -0.2;
  const truth = Math.exp(a) / (Math.exp(a) + Math.exp(b));
  assert.not.ok(close(evalAt('exp(a)/(exp(a)+exp(b))', { a, b }), truth, 1e-6), 'the quotient form should be mis-parsed');
  assert.ok(close(evalAt('1/(1+exp(b-a))', { a, b }), truth, 1e-12));
  // d/dw log(1 + e^{-u(w)}), u = 2/(1 + e^{-w} + e^{w}), at w = 0.7
  const w = 0.7;
  const u = 2 / (1 + Math.exp(-w) + Math.exp(w));
  const du = (-2 * (Math.exp(w) - Math.exp(-w))) / (1 + Math.exp(-w) + Math.exp(w)) ** 2;
  const exact = -du / (1 + Math.exp(u));
  const viaExp = evalAt(nerdamer.diff(nerdamer('log(1+exp(-(2/(1+exp(-w)+exp(w)))))'), 'w').toString(), { w });
  const viaSymbol = evalAt(nerdamer.diff(nerdamer(`log(1+${EXP_BASE}^(-(2/(1+${EXP_BASE}^(-w)+${EXP_BASE}^(w)))))`), 'w').toString(), { w });
  assert.not.ok(close(viaExp, exact, 1e-13), `exp() form: ${viaExp} vs ${exact} (expected the rationalized-e error)`);
  assert.ok(close(viaSymbol, exact, 1e-13), `ee^ form: ${viaSymbol} vs ${exact}`);
});

for (const T of [2, 3]) {
  for (const loss of ['exp', 'logistic'] as LossKind[]) {
    test(`[${loss}, T = ${T}] nerdamer's L(w) matches the code, then its ∂L/∂w_j matches the analytic gradient`, () => {
      const arb = fc.integer({ min: 1, max: 3 }).chain((d) => fc.tuple(
        arbDatasetOfShape({ n: 2, T, d }),
        fc.array(fc.array(fc.integer({ min: -150, max: 150 }).map((k) => k / 100), { minLength: d, maxLength: d }), { minLength: 3, maxLength: 3 }),
      ));
      fc.assert(fc.property(arb, ([data, points]) => {
        const P = attentionProblem(F, data, loss);
        const L = lossExpressionDiag(data, loss);
        const grads = Array.from({ length: data.d }, (_, j) => nerdamer.diff(nerdamer(L), diagVariable(j)).toString());
        for (const w of points) {
          const pt = Object.fromEntries(w.map((v, j) => [diagVariable(j), v]));
          const ev = evaluateAttention(P, marginsDiag(P, w));
          assert.ok(close(evalAt(L, pt), lossTotal(P, ev), 1e-12), `symbolic L ${evalAt(L, pt)} vs code ${lossTotal(P, ev)}`);
          const g = unscaleVector(F, gradientDiagScaled(P, ev));
          const gmax = Math.max(...g.map(Math.abs));
          grads.forEach((gj, j) => {
            const sym = evalAt(gj, pt);
            assert.ok(Math.abs(sym - g[j]!) <= 1e-10 * Math.max(gmax, 1e-300), `∂L/∂w${j + 1}: nerdamer ${sym} vs code ${g[j]}`);
          });
        }
      }), fcParams(`symbolic-${loss}-T${T}`, 4, 20));
    });
  }
}

test('k⊙q = u⊙u − b⊙b with u = (k+q)/2, b = (k−q)/2 (symbolic), checked numerically too', () => {
  const diff = nerdamer('expand(((k+q)/2)^2-((k-q)/2)^2-k*q)').toString();
  assert.is(diff, '0');
  const k = 0.7, q = -1.3;
  assert.ok(close(((k + q) / 2) ** 2 - ((k - q) / 2) ** 2, k * q, 1e-15));
});

test('d(u⊙b)/dt = 0 along the flow u̇ = −g⊙u, ḃ = +g⊙b (symbolic product rule)', () => {
  // u(t), b(t) with derivatives from the flow: d(ub)/dt = u̇ b + u ḃ
  const expr = nerdamer('expand((-g*u)*b+u*(g*b))').toString();
  assert.is(expr, '0');
  // and from the closed form u = u0 e^{r}, b = b0 e^{-r}: ub is independent of r
  const prod = nerdamer.diff(nerdamer('u0*exp(r)*b0*exp(-r)'), 'r').toString();
  assert.is(evaluateWith(prod, { u0: '0.3', b0: '1.7', r: '2.5' }).replace(/^-/, ''), '0');
});

test.run();
