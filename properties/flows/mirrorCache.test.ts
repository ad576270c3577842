/**
 * The mirror flow shares its last few gradient evaluations between the right-hand side, the time rate and
 * the dual rates (src/flows/mirror.ts). The sharing must never return a stale value: a caller that reuses one
 * state array and changes an entry gets the evaluation at the new state, equal to a fresh flow's; and the
 * same entries in a new array are recognized (the value is identical, not recomputed differently).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import type { Field } from '../../src/numeric/Field.js';
import { attentionProblem } from '../../src/model/problem.js';
import { defaultDiagInit, kappaOf, mirrorInit } from '../../src/flows/init.js';
import { mirrorFlow } from '../../src/flows/mirror.js';
import { feasibleSeeds } from './data.js';

const data = feasibleSeeds(3, 4, 3, 1, { from: 7 })[0]!.data;

function check<S>(F: Field<S>): void {
  const make = () => {
    const P = attentionProblem(F, data, 'exp');
    const init = defaultDiagInit(data.d, '1e-3');
    return mirrorFlow({ P, init: mirrorInit(F, init), kappa: kappaOf(init).map((q) => F.fromRational(q)) }).problem(F.of(100));
  };
  const shared = make();
  const y = [F.of('1.5'), F.of('-0.25'), F.of('2')];
  const before = shared.f(shared.t0, y);
  y[0] = F.of('3.5'); // the same array, one entry changed
  const after = shared.f(shared.t0, y);
  const fresh = make().f(shared.t0, [F.of('3.5'), F.of('-0.25'), F.of('2')]);
  after.forEach((x, j) => assert.is(F.toString(x), F.toString(fresh[j]!), `entry ${j} after the change`));
  assert.ok(after.some((x, j) => F.toString(x) !== F.toString(before[j]!)), 'the change moved f');
  // a copy of the array with the same entries gives the same value
  const again = shared.f(shared.t0, y.slice());
  again.forEach((x, j) => assert.is(F.toString(x), F.toString(after[j]!)));
}

test('mirror flow: a mutated state array is re-evaluated (float64)', () => check(float64Field));
test('mirror flow: a mutated state array is re-evaluated (Decimal(40))', () => check(decimalField(40)));

test.run();
