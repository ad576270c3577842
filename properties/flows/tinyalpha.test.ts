/**
 * Tiny initializations α = 1e-300 and 1e-5000 (SPEC.md §4: "α = 1e-300 or 1e-5000 must work") in Decimal:
 * no underflow (finite log10 t, finite states, ‖W‖ ~ 1e-9000 represented), and the plateau of SPEC.md §6:
 * while ‖w‖ ≈ 2α²e^{2ρ} ≪ 1 the margins are tiny (W ≈ 0, log10‖W‖ very negative) and the direction is the
 * early gradient direction, not the SVM's support; the plateau ends when ‖w‖ reaches O(1), i.e. at
 * ρ* ≈ ln(1/α) (plateau length in r ∝ log(1/α)). We locate ρ* as the first checkpoint with min margin ≥ 1
 * and require ρ*(α) / ln(1/α) ∈ [0.9, 1.1] for both α (grid spacing ≤ 3% of ρ*), hence ρ*(1e-5000)/ρ*(1e-300)
 * within 20% of 5000/300.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Segment, follow } from '../../src/flows/follow.js';
import { solveSvm } from '../../src/svm/solve.js';
import { baseCheckpoint, log10Time } from '../../src/flows/checkpoint.js';
import { primalMeasures } from '../../src/kkt/measures.js';
import { svmReference } from '../../src/kkt/reference.js';
import { feasibleSeeds } from './data.js';

const { data } = feasibleSeeds(2, 3, 2, 1, { uniqueL1: true })[0]!;
const svm = solveSvm(data, { norm: 'l1' });

function plateau(alpha: string, lnInvAlpha: number): number {
  // ρ = ln(1/α) + 30 reaches ‖w‖ ~ e^{60} ≈ 1e26; with |r| ≈ 1e4 the state's roundoff u·|r| must stay below
  // 1e-5/‖∂w/∂r‖ (SPEC §8, the Decimal resolution guard of run.ts): 45 digits (30 digits stopped with
  // precision_limit at ρ ≈ 11544 for α = 1e-5000, rightly: margins uncertain by ~600 there).
  const rhoStop = lnInvAlpha + 30;
  const r = follow(data, { param: 'r', backend: 'decimal', digits: 45, alpha, stop: { rho: rhoStop, maxSeconds: 60 }, checkpoints: 40 });
  assert.is(r.status, 'event', r.reason);
  // the r chart until the smallest margin reaches 1, then the scaled chart (follow.ts): all segments
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const segs = r.segments as readonly Segment<any>[];
  let rhoStar: number | null = null;
  let sawTiny = false;
  for (const seg of segs) {
    const F = seg.F;
    for (const st of seg.run.checkpoints) {
      assert.ok(st.y.every((x: unknown) => F.isFinite(x)), 'finite state');
      const b = baseCheckpoint(seg.P, seg.flow, st);
      const l10t = F.toNumber(log10Time(F, b.logT));
      assert.ok(Number.isFinite(l10t), `finite log10 t at ρ = ${F.toNumber(b.rho)}`);
      const rho = F.toNumber(b.rho);
      const mm = F.toNumber(F.log10(F.abs(b.minMargin)));
      const l10n = b.log10Norm === null ? -Infinity : F.toNumber(b.log10Norm);
      if (rho < 0.5 * lnInvAlpha) {
        // deep in the plateau: W ≈ 0 and margins tiny (or negative), far below anything float64 can hold
        assert.ok(l10n < -0.8 * lnInvAlpha / Math.LN10, `log10‖W‖ = ${l10n} at ρ = ${rho}`);
        assert.ok(F.lt(b.minMargin, F.one) && mm < -100, `tiny margins at ρ = ${rho}: log10|min margin| = ${mm}`);
        sawTiny = true;
      }
      if (rhoStar === null && !F.lt(b.minMargin, F.one)) rhoStar = rho;
    }
  }
  assert.ok(sawTiny, 'checkpoints inside the plateau');
  assert.ok(rhoStar !== null, 'the plateau ends');
  // after the plateau the direction has the SVM's support and is close to the ℓ1 solution
  const seg = segs[segs.length - 1]!;
  const F = seg.F;
  const ref = svmReference(seg.P, svm)!;
  const fin = baseCheckpoint(seg.P, seg.flow, seg.run.final);
  const pm = primalMeasures(seg.P, ref, fin.wTilde!);
  const svmSupport = svm.w!.map((x, j) => (Math.abs(Number(x)) > 1e-9 ? j : -1)).filter((j) => j >= 0);
  assert.equal(pm.support, svmSupport, 'final support = SVM support');
  assert.ok(F.toNumber(pm.relativeGap) < 1e-6, `gap after the plateau ${F.toNumber(pm.relativeGap)}`);
  return rhoStar!;
}

test('α = 1e-300 and α = 1e-5000 in Decimal: no underflow, plateau length ∝ ln(1/α)', () => {
  const l300 = 300 * Math.LN10;
  const l5000 = 5000 * Math.LN10;
  const a = plateau('1e-300', l300);
  const b = plateau('1e-5000', l5000);
  assert.ok(a / l300 >= 0.9 && a / l300 <= 1.1, `ρ*(1e-300) = ${a}, ln(1/α) = ${l300}`);
  assert.ok(b / l5000 >= 0.9 && b / l5000 <= 1.1, `ρ*(1e-5000) = ${b}, ln(1/α) = ${l5000}`);
  assert.ok(b > a, 'longer plateau for smaller α');
  const ratio = b / a;
  assert.ok(Math.abs(ratio / (5000 / 300) - 1) <= 0.2, `ρ* ratio ${ratio} vs 5000/300`);
});

test('follow picks Decimal digits from the real α (α = 1e-5000: ‖w‖ ≪ 1 at ρ = 800, so 30 digits suffice)', () => {
  // SPEC.md §8: about log2‖w‖ + 53 bits; at ρ = 800 with α = 1e-5000, ‖w‖ ≈ 2α²e^{1600} ~ 1e-9300 < 1, so the
  // default precision (digitsFor: max(30, log10‖w‖ + 25)) is 30. One step only: this checks the choice.
  const r = follow(data, { param: 'r', backend: 'decimal', alpha: '1e-5000', stop: { rho: 800, maxSteps: 1 } });
  assert.ok(r.digits !== null && r.digits <= 40, `digits chosen for α = 1e-5000, ρ = 800: ${r.digits}`);
});

test.run();
