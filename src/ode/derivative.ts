/**
 * The right-hand side as the steppers use it: every evaluation counted in `stats.fEvals`, and f at the
 * current point cached for an identical (t, y) object pair (solve passes the accepted state back; FSAL
 * methods `remember` their last stage there).
 */
import type { OdeProblem } from './Problem.js';
import type { OdeStats } from './types.js';

export interface CountedDerivative<S> {
  /** f(t, y), counted */
  evalF(t: S, y: readonly S[]): S[];
  /** f(t, y), from the cache when (t, y) is the remembered pair */
  at(t: S, y: readonly S[]): S[];
  /** record f at (t, y) (e.g. the FSAL stage of an accepted step); undefined forgets the cache */
  remember(t: S, y: readonly S[], f: S[] | undefined): void;
}

export function countedDerivative<S>(problem: OdeProblem<S>, stats: OdeStats): CountedDerivative<S> {
  let cacheT: S | undefined;
  let cacheY: readonly S[] | undefined;
  let cacheF: S[] | undefined;
  const evalF = (t: S, y: readonly S[]): S[] => {
    stats.fEvals++;
    return problem.f(t, y);
  };
  const remember = (t: S, y: readonly S[], f: S[] | undefined): void => {
    cacheT = t;
    cacheY = y;
    cacheF = f;
  };
  return {
    evalF,
    remember,
    at(t, y) {
      if (cacheF && cacheT === t && cacheY === y) return cacheF;
      const f = evalF(t, y);
      remember(t, y, f);
      return f;
    },
  };
}
