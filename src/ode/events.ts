/**
 * Event location on the dense output of an accepted step (solve.ts).
 *
 * A crossing of g in [tPrev, tNew] is detected from the signs at the step ends (a g that is exactly 0 at
 * tPrev was reported at the previous step and is not reported again). The root is then bracketed and
 * refined by the Illinois variant of regula falsi (Dowell & Jarratt 1971) with a bisection safeguard,
 * evaluating y by the step's interpolant, until the bracket is below 4u·max(|t|) — near working precision.
 * The reported time is the bracket end on the far side of the crossing (g has already changed sign there).
 */
import type { Field } from '../numeric/Field.js';
import type { Interpolant, OdeEvent } from './types.js';

export interface LocatedEvent<S> {
  index: number;
  t: S;
  y: S[];
}

/** Does the sign change gPrev → gNew count as a crossing in the event's direction? */
export function isCrossing<S>(F: Field<S>, gPrev: S, gNew: S, direction: -1 | 0 | 1, forward: boolean): boolean {
  const sp = F.sign(gPrev);
  const sn = F.sign(gNew);
  if (sp === 0) return false;
  const up = sp < 0 && sn >= 0;
  const down = sp > 0 && sn <= 0;
  // Direction refers to g increasing in the direction of integration time.
  const dir = forward ? direction : (-direction as -1 | 0 | 1);
  if (dir === 1) return up;
  if (dir === -1) return down;
  return up || down;
}

/** Illinois root-finder for g(t, y(t)) on [a, b] with sign(g(a)) ≠ sign(g(b)) or g(b) = 0. */
export function refineRoot<S>(
  F: Field<S>,
  g: (t: S, y: readonly S[]) => S,
  interp: Interpolant<S>,
  a0: S,
  ga0: S,
  b0: S,
  gb0: S,
  yb0: S[],
): { t: S; y: S[] } {
  let a = a0, ga = ga0, b = b0, gb = gb0, yb = yb0;
  if (F.isZero(gb)) return { t: b, y: yb };
  const fourU = F.scale(F.epsilon(), 4);
  let side = 0; // Illinois: which end was kept twice in a row
  for (let iter = 0; iter < 400; iter++) {
    const width = F.abs(F.sub(b, a));
    const scale = F.max(F.abs(a), F.abs(b));
    if (!F.gt(width, F.mul(fourU, scale)) || F.isZero(width)) break;
    // Regula falsi point, with bisection every 4th iteration as a safeguard against stagnation.
    let m: S;
    if (iter % 4 === 3) m = F.mul(F.add(a, b), F.half);
    else {
      const denom = F.sub(gb, ga);
      m = F.isZero(denom) ? F.mul(F.add(a, b), F.half) : F.sub(b, F.div(F.mul(gb, F.sub(b, a)), denom));
      // Keep strictly inside the bracket.
      const lo = F.min(a, b), hi = F.max(a, b);
      if (!F.gt(m, lo) || !F.lt(m, hi)) m = F.mul(F.add(a, b), F.half);
    }
    const ym = interp.at(m);
    const gm = g(m, ym);
    if (F.isZero(gm)) return { t: m, y: ym };
    if (F.sign(gm) === F.sign(gb)) {
      // Root lies in [a, m]: move b.
      b = m; gb = gm; yb = ym;
      if (side === -1) ga = F.mul(ga, F.half);
      side = -1;
    } else {
      a = m; ga = gm;
      if (side === 1) gb = F.mul(gb, F.half);
      side = 1;
    }
  }
  return { t: b, y: yb };
}
