/** The CONTRACT.md `svm --json` document of an SvmResult (extra fields allowed, none renamed). */
import { qtoString } from '../numeric/rational.js';
import type { SvmResult } from './SvmResult.js';

export type SvmJson = Record<string, unknown>;

export function svmResultToJson(r: SvmResult): SvmJson {
  const out: SvmJson = {
    status: r.status,
    norm: r.norm,
    structure: r.structure,
  };
  if (r.p !== undefined) out.p = r.p;
  if (r.status === 'optimal') {
    out.objective = r.objective ?? null;
    if (r.structure === 'diag') out.w = r.w ?? null;
    else out.W = r.W ?? null;
  }
  out.opt_tokens = r.opt_tokens;
  if (r.status === 'optimal') {
    out.duals = r.duals ?? [];
    out.certificate = r.certificate ?? { exact: false, method: 'no certificate' };
  }
  out.unique = r.unique;
  if (r.face) out.face = r.face;
  if (r.status === 'infeasible') {
    out.farkas = r.farkas ?? [];
    out.farkas_exact = r.farkas_exact ?? false;
  }
  // exact rationals, when known (p/q strings readable back by qparse)
  if (r.wExact) out.w_exact = r.wExact.map(qtoString);
  if (r.WExact) out.W_exact = r.WExact.map((row) => row.map(qtoString));
  if (r.digits !== undefined) out.digits = r.digits;
  if (r.notes) out.notes = r.notes;
  return out;
}
