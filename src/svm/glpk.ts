/**
 * The glpk.js LP solver (float64 simplex), loaded once. Used only to *find* bases and certificates;
 * every claim attnbias makes about an LP is then checked exactly in rationals (SPEC.md §5).
 *
 * glpk.js exposes a synchronous `solve` in Node once its WebAssembly module is instantiated; the
 * instantiation is awaited here at module load (top-level await), so callers stay synchronous.
 */
import GLPKFactory from 'glpk.js/node';
import type { LP, Result } from 'glpk.js/node';

export const glpk = await GLPKFactory();

export type GlpkStatus = 'optimal' | 'infeasible' | 'unbounded' | 'undefined' | 'feasible' | 'unknown';

/** Name of a glpk status code (every status glpk returns is checked through this). */
export function glpkStatusName(code: number): GlpkStatus {
  if (code === glpk.GLP_OPT) return 'optimal';
  if (code === glpk.GLP_NOFEAS || code === glpk.GLP_INFEAS) return 'infeasible';
  if (code === glpk.GLP_UNBND) return 'unbounded';
  if (code === glpk.GLP_UNDEF) return 'undefined';
  if (code === glpk.GLP_FEAS) return 'feasible';
  return 'unknown';
}

export interface GlpkSolution {
  readonly status: GlpkStatus;
  readonly z: number;
  readonly vars: Readonly<Record<string, number>>;
  /** Row duals (simplex only). */
  readonly dual: Readonly<Record<string, number>>;
}

/**
 * Solve with the simplex method, presolver off (with presolve glpk reports infeasible problems as
 * "undefined" instead of "no feasible solution").
 */
export function solveGlpk(lp: LP): GlpkSolution {
  const r: Result = glpk.solve(lp, { msglev: glpk.GLP_MSG_OFF, presol: false });
  return {
    status: glpkStatusName(r.result.status),
    z: r.result.z,
    vars: r.result.vars,
    dual: r.result.dual ?? {},
  };
}

export class GlpkFailure extends Error {
  constructor(what: string, status: GlpkStatus) {
    super(`glpk ${what}: unexpected status "${status}"`);
    this.name = 'GlpkFailure';
  }
}

export type { LP };
