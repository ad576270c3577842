/**
 * Radau IIA's Newton-failure memory (src/ode/radauIIA.ts) on the bench's (6, 8, 10) mirror flow to the float64
 * limit in the r chart (chart 'r'): the late steps are Newton-limited, and without the memory the controller
 * jumps back ×8 after each failure (measured 929 rejected for 1750 accepted steps; with it 254 for 1851).
 * Asserted: rejected ≤ 0.3 × accepted, the flow still reaches the float64 limit at ρ ≥ 15, and its direction at
 * the limit agrees with a run at rtol 1e-13 to 1e-10 (measured 5e-13: the memory changes where steps fall, not
 * the path).
 *
 * The default chart: float64 leaves the r chart (RadauIIA9 from τ = 0) for the scaled chart (mirrorScaled.ts)
 * where the r chart struggles, and stops where Newton stagnates at roundoff level (flows/run.ts
 * ROUNDOFF_STAGNATIONS). Measured: 252 + 244 accepted steps, the switch at ρ 11.59, the limit at ρ 15.77 (r chart
 * alone: 1880 steps to ρ 15.65); the two charts' directions w/‖w‖∞ at ρ = 15 agree to 7.5e-13.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { follow } from '../../src/flows/follow.js';
import { feasibleSeeds } from './data.js';

const data = feasibleSeeds(6, 8, 10, 1, { from: 2024 })[0]!.data;

test('mirror flow to the float64 limit: few rejected steps, same path', () => {
  const run = (rtol?: string) => follow(data, { param: 'r', backend: 'float64', alpha: '1e-3', chart: 'r', checkpoints: 4, stop: { rho: 14, maxSeconds: 60 }, ...(rtol ? { rtol } : {}) });
  const r = follow(data, { param: 'r', backend: 'float64', alpha: '1e-3', chart: 'r', checkpoints: 4, stop: { rho: 30, maxSeconds: 60 } });
  assert.is(r.segments.length, 1);
  assert.is(r.status, 'float64_limit');
  const seg = r.segments[0]!;
  const { accepted, rejected } = seg.run.stats;
  assert.ok(rejected <= 0.3 * accepted, `${rejected} rejected for ${accepted} accepted steps`);
  assert.ok(seg.F.toNumber(seg.flow.rho(seg.run.final.y)) >= 15, 'reaches ρ ≥ 15 before the float64 limit');
  // the same flow to ρ = 14 at the default and at a tighter tolerance: the same direction w/‖w‖∞
  const dir = (x: ReturnType<typeof run>) => {
    const s = x.segments[0]!;
    const wt = s.flow.weights(s.run.final.y);
    if (wt.structure !== 'diag') throw new Error('diagonal weights expected');
    const w = wt.w as number[];
    const m = Math.max(...w.map(Math.abs));
    return w.map((v) => v / m);
  };
  const a = dir(run());
  const b = dir(run('1e-13'));
  const err = Math.max(...a.map((v, j) => Math.abs(v - b[j]!)));
  assert.ok(err <= 1e-10, `direction at ρ = 14 differs by ${err}`);
  console.log(`  ${accepted} accepted, ${rejected} rejected steps to ρ = ${seg.F.toNumber(seg.flow.rho(seg.run.final.y)).toFixed(3)}; direction at ρ = 14 vs rtol 1e-13: ${err.toExponential(2)}`);
});

test('float64 in the default chart: r chart then scaled chart, stopped by roundoff stagnation past ρ 15; the same path as the r chart', () => {
  const r = follow(data, { param: 'r', backend: 'float64', alpha: '1e-3', checkpoints: 4, stop: { rho: 30, maxSeconds: 60 } });
  assert.is(r.status, 'float64_limit');
  assert.is(r.segments.length, 2);
  const [rChart, scaled] = r.segments;
  assert.is(rChart!.flow.mirror, undefined);
  assert.ok(scaled!.flow.mirror !== undefined, 'scaled chart second');
  assert.is(rChart!.run.stats.newtonStagnations, 0);
  assert.ok(scaled!.run.reason.includes('Newton stagnated at roundoff level'), scaled!.run.reason);
  const limit = scaled!.F.toNumber(scaled!.flow.rho(scaled!.run.final.y));
  assert.ok(limit >= 15.5, `float64 limit at ρ ${limit}`);
  assert.ok(r.steps <= 700, `${r.steps} accepted steps`);
  // the direction w/‖w‖∞ at ρ = 15 in both charts
  const dir = (chart: 'auto' | 'r') => {
    const x = follow(data, { param: 'r', backend: 'float64', alpha: '1e-3', chart, checkpoints: 1, stop: { rho: 15, maxSeconds: 60 } });
    const s = x.segments[x.segments.length - 1]!;
    assert.is(x.status, 'event');
    const wt = s.flow.weights(s.run.final.y);
    if (wt.structure !== 'diag') throw new Error('diagonal weights expected');
    const w = (wt.w as number[]);
    const m = Math.max(...w.map(Math.abs));
    return w.map((v) => v / m);
  };
  const a = dir('auto');
  const b = dir('r');
  const err = Math.max(...a.map((v, j) => Math.abs(v - b[j]!)));
  assert.ok(err <= 1e-10, `direction at ρ = 15 differs by ${err}`);
  console.log(`  ${rChart!.run.stats.accepted} + ${scaled!.run.stats.accepted} accepted steps, switch at ρ ${rChart!.F.toNumber(rChart!.flow.rho(rChart!.run.final.y)).toFixed(3)}, limit ρ ${limit.toFixed(3)}; direction at ρ = 15 vs the r chart: ${err.toExponential(2)}`);
});

test.run();
