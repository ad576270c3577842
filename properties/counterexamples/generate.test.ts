/**
 * The dataset generators of src/data/generate.ts keep their promises (seeded, pure, exact):
 * A1 parts hold or fail exactly as documented, alignment is exact, inits have the right κ.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  GENERATOR_VERSION, alignedKQ, assumptionParts, balancedInit, feasibleA1, initAtScale, isAligned, mulberry32,
  plantedA1, unbalancedInit, violatingA1a, violatingA1b, violatingA1c,
} from '../../src/data/generate.js';
import { datasetToJson } from '../../src/data/serialize.js';
import { validateDataset } from '../../src/data/parse.js';
import { kappaOf } from '../../src/flows/init.js';
import { qisZero, qeq, qmul, qadd, Q0, Q1, type Rational } from '../../src/numeric/rational.js';
import { fcParams } from '../support/budget.js';
import { arbA1, arbA1bViolated, arbBalancedCase, seededFeasibleA1UpTo } from '../support/claimArbitraries.js';

const shapes = fc.record({ n: fc.integer({ min: 1, max: 4 }), T: fc.integer({ min: 2, max: 4 }), d: fc.integer({ min: 1, max: 4 }) });

test('GENERATOR_VERSION is 1', () => assert.is(GENERATOR_VERSION, 1));

test('mulberry32 is deterministic and in [0, 1)', () => {
  const a = mulberry32(42), b = mulberry32(42);
  for (let k = 0; k < 1000; k++) { const x = a(); assert.is(x, b()); assert.ok(x >= 0 && x < 1); }
});

test('generators are pure functions of (seed, shape) and round-trip through dataset@1 JSON', () => {
  fc.assert(fc.property(fc.integer(), shapes, (seed, s) => {
    const d1 = plantedA1(mulberry32(seed), s);
    const d2 = plantedA1(mulberry32(seed), s);
    assert.equal(datasetToJson(d1), datasetToJson(d2));
    const back = validateDataset(datasetToJson(d1));
    assert.ok(back.ok);
    if (back.ok) assert.equal(datasetToJson(back.dataset), datasetToJson(d1));
  }), fcParams('generate/pure', 40, 400));
});

test('plantedA1: A1(a)(b) by construction; feasibleA1: all of A1', () => {
  fc.assert(fc.property(fc.integer(), shapes, (seed, s) => {
    const p = assumptionParts(plantedA1(mulberry32(seed), s));
    assert.ok(p.a && p.b);
    const f = feasibleA1(mulberry32(seed), s);
    if (f) assert.equal(assumptionParts(f), { a: true, b: true, c: true });
  }), fcParams('generate/planted', 30, 300));
});

test('violatingA1a/b/c violate exactly their part', () => {
  fc.assert(fc.property(fc.integer(), shapes, (seed, s) => {
    const a = violatingA1a(mulberry32(seed), s);
    if (a) assert.is(assumptionParts(a).a, false);
    const b = violatingA1b(mulberry32(seed), s);
    if (s.T < 3) assert.is(b, null);
    else if (b) assert.equal(assumptionParts(b), { a: true, b: false, c: true });
    const c = violatingA1c(mulberry32(seed), s);
    if (c) assert.equal(assumptionParts(c), { a: true, b: true, c: false });
  }), fcParams('generate/violating', 20, 200));
});

test('alignedKQ: every Rᵀ A R diagonal, A1 holds, K₀ = R diag(k₀), Q₀ = R diag(q₀), R orthogonal', () => {
  fc.assert(fc.property(fc.integer(), shapes, (seed, s) => {
    const a = alignedKQ(mulberry32(seed), s);
    assert.ok(isAligned(a.data, a.R));
    assert.equal(assumptionParts(a.data), { a: true, b: true, c: true });
    const d = s.d;
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
      let dot: Rational = Q0;
      for (let k = 0; k < d; k++) dot = qadd(dot, qmul(a.R[k]![r]!, a.R[k]![c]!));
      assert.ok(qeq(dot, r === c ? Q1 : Q0), 'RᵀR = I');
      assert.ok(qeq(a.K0[r]![c]!, qmul(a.R[r]![c]!, a.k0[c]!)));
      assert.ok(qeq(a.Q0[r]![c]!, qmul(a.R[r]![c]!, a.q0[c]!)));
    }
    assert.ok(kappaOf({ k0: a.k0, q0: a.q0 }).every((k) => !qisZero(k)));
  }), fcParams('generate/aligned', 30, 300));
});

test('inits: default κ = α², unbalanced κ ≠ 0, balanced κ = 0 on its coordinates', () => {
  const k = kappaOf(initAtScale(3, '1e-3'));
  assert.ok(k.every((x) => x.num === 1n && x.den === 1000000n));
  fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, d) => {
    assert.ok(kappaOf(unbalancedInit(mulberry32(seed), d, '1e-300')).every((x) => !qisZero(x)));
  }), fcParams('generate/inits', 50, 500));
  assert.ok(kappaOf(balancedInit(3, '1e-3')).every(qisZero));
  const partial = kappaOf(balancedInit(3, '1e-3', [1]));
  assert.equal(partial.map(qisZero), [false, true, false]);
});

test('search arbitraries produce what they promise', () => {
  fc.assert(fc.property(arbA1(), (d) => { assert.equal(assumptionParts(d), { a: true, b: true, c: true }); }), fcParams('generate/arbA1', 30, 300));
  fc.assert(fc.property(arbA1bViolated(), (d) => { assert.equal(assumptionParts(d), { a: true, b: false, c: true }); }), fcParams('generate/arbA1b', 20, 200));
  fc.assert(fc.property(arbBalancedCase(), (c) => { assert.ok(c.coords.length >= 1 && c.coords.every((j) => j >= 0 && j < c.data.d)); }), fcParams('generate/arbBal', 20, 200));
  fc.assert(fc.property(seededFeasibleA1UpTo({ n: 3, T: 3, d: 3 }), (d) => { assert.ok(assumptionParts(d).c === true); }), fcParams('generate/seeded', 10, 100));
});

test.run();
