/**
 * Along a mirror-flow run the excess loss L − L* decreases monotonically (it is a gradient flow, time-changed),
 * at every checkpoint and at every accepted step (recorded through runFlow's `when` hook), and the minimal
 * margin grows like ln t: for the exponential loss min margin = ln t + ln ln t + O(1), so between late
 * checkpoints d(min margin)/d(ln t) = 1 + O(1/ln t). We fit min margin against ln t by least squares on the
 * checkpoints with ln t ≥ 1000 and require |slope − 1| ≤ 0.01 (the O(1/ln t) term is ≤ 1e-3 there; measured
 * slopes 1.000–1.001). A flow with a wrong time rate (e.g. ln t off by a factor) gives a slope ≠ 1.
 *
 * Tolerance for monotonicity: log10(L − L*) is computed in the log domain from margins carrying a relative
 * rounding error ~u, so its absolute error is ~u·|log10(L − L*)|·ln 10 ·(a few); we allow
 * 64u·(|value| + 1).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { float64Field } from '../../src/numeric/float64.js';
import { attentionProblem } from '../../src/model/problem.js';
import { mirrorFlow } from '../../src/flows/mirror.js';
import { defaultDiagInit, kappaOf, mirrorInit } from '../../src/flows/init.js';
import { type FlowState, runFlow } from '../../src/flows/run.js';
import { baseCheckpoint } from '../../src/flows/checkpoint.js';
import { lnToLog10 } from '../../src/numeric/logdomain.js';
import { feasibleSeeds, fitLine } from './data.js';

const F = float64Field;
const U = Math.pow(10, F.log10UnitRoundoff);

for (const { seed, data } of feasibleSeeds(3, 3, 3, 2, { from: 11 })) {
  test(`seed ${seed}: excess loss non-increasing at every accepted step; min margin ≈ ln t (slope 1)`, () => {
    const P = attentionProblem(F, data, 'exp');
    const init = defaultDiagInit(data.d, '1e-3');
    const flow = mirrorFlow({ P, init: mirrorInit(F, init), kappa: kappaOf(init).map((q) => F.fromRational(q)) });
    const steps: FlowState<number>[] = [];
    const run = runFlow(flow, { stop: { rho: 40, maxSeconds: 30, when: (st) => { steps.push(st); return false; } }, checkpoints: 30 });
    assert.is(run.status, 'float64_limit', run.reason);
    assert.ok(steps.length >= 100, `${steps.length} accepted steps`);
    const check = (states: readonly FlowState<number>[], what: string): void => {
      let prev = Infinity;
      for (const st of states) {
        const b = baseCheckpoint(P, flow, st);
        const v = b.log10Excess;
        assert.ok(Number.isFinite(v), `${what}: finite log10 excess`);
        assert.ok(v <= prev + 64 * U * (Math.abs(v) + 1), `${what}: log10(L − L*) rose from ${prev} to ${v} at ρ = ${b.rho}`);
        prev = Math.min(prev, v);
      }
    };
    check(steps, 'accepted steps');
    check(run.checkpoints, 'checkpoints');
    const late = run.checkpoints.map((st) => baseCheckpoint(P, flow, st)).filter((b) => b.logT >= 1000);
    assert.ok(late.length >= 4, `${late.length} late checkpoints`);
    const fit = fitLine(late.map((b) => b.logT), late.map((b) => b.minMargin));
    assert.ok(Math.abs(fit.slope - 1) <= 0.01, `slope of min margin vs ln t = ${fit.slope}`);
    // and the residual min margin − ln t is O(log log t): positive, below 3·ln ln t
    for (const b of late) {
      const extra = b.minMargin - b.logT;
      assert.ok(extra > 0 && extra < 3 * Math.log(b.logT), `min margin − ln t = ${extra} at ln t = ${b.logT}`);
    }
    void lnToLog10;
  });
}

test.run();
