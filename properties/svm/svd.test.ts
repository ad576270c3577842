/**
 * SVD (src/svm/svd.ts): A = U diag(σ) Vᵀ, UᵀU = VᵀV = I, σ descending ≥ 0, to working precision in float64
 * and Decimal(50), on random (fast-check) matrices including rank-deficient and wide ones.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Field } from '../../src/numeric/Field.js';
import { float64Field } from '../../src/numeric/float64.js';
import { decimalField } from '../../src/numeric/decimal.js';
import { svd, nuclearNorm, spectralNorm } from '../../src/svm/svd.js';
import { fcParams } from '../support/budget.js';

/** max |entry| of A − U diag(σ) Vᵀ, of UᵀU − I, of VᵀV − I, and whether σ is sorted and ≥ 0. */
function svdResiduals<S>(F: Field<S>, A: S[][]): { rec: number; orthU: number; orthV: number; sorted: boolean; scale: number } {
  const { U, sigma, V } = svd(F, A);
  const m = A.length;
  const n = A[0]!.length;
  const k = sigma.length;
  assert.is(k, Math.min(m, n));
  let rec = 0;
  let scale = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = F.zero;
    for (let l = 0; l < k; l++) s = F.add(s, F.mul(F.mul(U[i]![l]!, sigma[l]!), V[j]![l]!));
    rec = Math.max(rec, Math.abs(F.toNumber(F.sub(s, A[i]![j]!))));
    scale = Math.max(scale, Math.abs(F.toNumber(A[i]![j]!)));
  }
  const gram = (Q: S[][]): number => {
    let e = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let s = F.zero;
      for (const row of Q) s = F.add(s, F.mul(row[a]!, row[b]!));
      e = Math.max(e, Math.abs(F.toNumber(F.sub(s, a === b ? F.one : F.zero))));
    }
    return e;
  };
  const sorted = sigma.every((s, l) => F.sign(s) >= 0 && (l === 0 || !F.gt(s, sigma[l - 1]!)));
  return { rec, orthU: gram(U), orthV: gram(V), sorted, scale };
}

const arbShape = fc.record({ m: fc.integer({ min: 1, max: 6 }), n: fc.integer({ min: 1, max: 6 }) });
const arbMatrix = arbShape.chain(({ m, n }) =>
  fc.array(fc.array(fc.integer({ min: -99, max: 99 }), { minLength: n, maxLength: n }), { minLength: m, maxLength: m }));
/** rank-deficient: repeat the first column and zero a row */
const arbDeficient = arbMatrix.map((A) => A.map((row, i) => (i === 0 ? [...row, 0].map(() => 0) : [...row, row[0]!])));

for (const [label, F, tol] of [['float64', float64Field, 1e-13], ['Decimal(50)', decimalField(50), 1e-46]] as const) {
  const G = F as Field<unknown>;
  test(`svd reconstructs A and has orthonormal factors in ${label}`, () => {
    fc.assert(fc.property(fc.oneof(arbMatrix, arbDeficient), (Aint) => {
      const A = Aint.map((row) => row.map((x) => G.of(`${x}/7`)));
      const r = svdResiduals(G, A);
      const s = Math.max(r.scale, 1e-300);
      assert.ok(r.rec <= tol * s * 10, `reconstruction ${r.rec}`);
      assert.ok(r.orthU <= tol * 10, `UᵀU − I ${r.orthU}`);
      assert.ok(r.orthV <= tol * 10, `VᵀV − I ${r.orthV}`);
      assert.ok(r.sorted, 'σ descending and ≥ 0');
    }), fcParams(`svd-${label}`, label === 'float64' ? 200 : 25, label === 'float64' ? 2000 : 200));
  });
}

test('known singular values: diag, rotation-scaled, rank one, zero', () => {
  const F = decimalField(50);
  const m = (rows: string[][]) => rows.map((r) => r.map((x) => F.of(x)));
  // [[3/5,−4/5],[4/5,3/5]]·diag(5, 2): σ = (5, 2)
  const s1 = svd(F, m([['3', '-8/5'], ['4', '6/5']])).sigma.map((x) => F.toNumber(x));
  assert.ok(Math.abs(s1[0]! - 5) < 1e-40 && Math.abs(s1[1]! - 2) < 1e-40, `σ = ${s1}`);
  // rank one u vᵀ with ‖u‖ = 3, ‖v‖ = 5
  const R = svd(F, m([['3', '4'], ['6', '8'], ['6', '8']]));
  assert.ok(F.toNumber(F.sub(R.sigma[0]!, F.of(15))) === 0 || Math.abs(F.toNumber(F.sub(R.sigma[0]!, F.of(15)))) < 1e-45);
  assert.ok(Math.abs(F.toNumber(R.sigma[1]!)) < 1e-45);
  assert.is(F.toNumber(nuclearNorm(F, m([['0', '0'], ['0', '0']]))), 0);
  assert.ok(Math.abs(F.toNumber(spectralNorm(F, m([['1', '0', '0'], ['0', '-7', '0']]))) - 7) < 1e-45);
  assert.ok(Math.abs(F.toNumber(nuclearNorm(F, m([['1', '0', '0'], ['0', '-7', '0']]))) - 8) < 1e-45);
});

test.run();
