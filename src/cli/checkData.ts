/**
 * `attnbias check-data --data F`: parse, then report Assumption 1 (a), (b), (c) of SPEC.md §3 separately,
 * with a certificate for (c) (an exact witness W with margins ≥ 1, or an exact Farkas vector).
 */
import type { Dataset } from '../data/Dataset.js';
import { loadDataset } from '../data/load.js';
import { checkAssumptionAB } from '../model/assumptions.js';
import { buildConstraints } from '../model/constraints.js';
import { qtoString } from '../numeric/rational.js';
import { svmFeasibility } from '../svm/feasibility.js';
import type { SvmStructure } from '../svm/SvmResult.js';
import { parseFlags, requireString } from './args.js';
import { printJson, printLines } from './output.js';

export interface FeasibilityReport {
  readonly structure: SvmStructure;
  readonly holds: boolean;
  readonly exact: boolean;
  readonly method: string;
  /** exact rational witness (w for diag, W row-major for full) when feasible */
  readonly witness?: readonly string[];
  /** Farkas certificate when infeasible */
  readonly farkas?: readonly { i: number; t: number; lambda: string }[];
}

export interface DataCheckReport {
  readonly dataset: { readonly name: string | null; readonly n: number; readonly d: number; readonly T: readonly number[] };
  readonly assumption1: {
    readonly a: { readonly holds: boolean; readonly failures: readonly { i: number; tied_tokens: readonly number[] }[] };
    readonly b: { readonly holds: boolean; readonly failures: readonly { i: number; scores: readonly string[]; opt: number }[] };
    /** null when undefined (A1(a) fails: the constraints need a unique optimal token) */
    readonly c: { readonly diag: FeasibilityReport; readonly full: FeasibilityReport } | null;
    readonly c_reason?: string;
  };
  readonly samples: readonly { i: number; opt: number | null; scores: readonly string[]; claimed_opt?: number; claimed_opt_correct?: boolean }[];
  readonly warnings: readonly string[];
}

function feasibilityReport(data: Dataset, opt: readonly number[], structure: SvmStructure): FeasibilityReport {
  const r = svmFeasibility(buildConstraints(data, opt), structure);
  return r.feasible
    ? { structure, holds: true, exact: r.exact, method: r.method, witness: r.witness.map(qtoString) }
    : { structure, holds: false, exact: r.exact, method: r.method, farkas: r.farkas };
}

export function checkData(data: Dataset): DataCheckReport {
  const ab = checkAssumptionAB(data);
  const warnings: string[] = [];
  for (const s of ab.samples) {
    if (s.claimedOpt !== undefined && !s.claimedOptCorrect) {
      warnings.push(`samples[${s.i}].opt: claimed ${s.claimedOpt}, but the optimal token is ${s.a ? s.maximizers[0] : `tied among ${s.maximizers.join(', ')}`}`);
    }
  }
  const c = ab.opt ? { diag: feasibilityReport(data, ab.opt, 'diag'), full: feasibilityReport(data, ab.opt, 'full') } : null;
  return {
    dataset: { name: data.name ?? null, n: data.samples.length, d: data.d, T: data.samples.map((s) => s.X.length) },
    assumption1: {
      a: { holds: ab.a, failures: ab.samples.filter((s) => !s.a).map((s) => ({ i: s.i, tied_tokens: s.maximizers })) },
      b: { holds: ab.b, failures: ab.samples.filter((s) => s.a && !s.b).map((s) => ({ i: s.i, scores: s.scores, opt: s.maximizers[0]! })) },
      c,
      ...(c ? {} : { c_reason: 'undefined: Assumption 1(a) fails, so the constraints (which need a unique optimal token) do not exist' }),
    },
    samples: ab.samples.map((s) => ({
      i: s.i,
      opt: s.a ? s.maximizers[0]! : null,
      scores: s.scores,
      ...(s.claimedOpt !== undefined ? { claimed_opt: s.claimedOpt, claimed_opt_correct: s.claimedOptCorrect! } : {}),
    })),
    warnings,
  };
}

const mark = (b: boolean | null): string => (b === null ? 'n/a ' : b ? 'holds' : 'FAILS');

export function formatDataCheck(r: DataCheckReport): string[] {
  const A = r.assumption1;
  const lines = [
    `dataset ${r.dataset.name ?? '(unnamed)'}: n = ${r.dataset.n}, d = ${r.dataset.d}, T = ${[...new Set(r.dataset.T)].join('/')}`,
    `A1(a) unique optimal token:         ${mark(A.a.holds)}${A.a.failures.map((f) => `\n    samples[${f.i}]: tokens ${f.tied_tokens.join(', ')} tie for the best score`).join('')}`,
    `A1(b) equal non-optimal scores:     ${mark(A.a.holds ? A.b.holds : null)}${A.b.failures.slice(0, 10).map((f) => `\n    samples[${f.i}]: scores ${f.scores.join(', ')} (opt ${f.opt})`).join('')}${A.b.failures.length > 10 ? `\n    … and ${A.b.failures.length - 10} more samples` : ''}`,
  ];
  if (A.c) {
    for (const f of [A.c.diag, A.c.full]) {
      const cert = f.holds ? `witness ${f.structure === 'diag' ? 'w' : 'W'} = [${f.witness!.slice(0, 6).join(', ')}${f.witness!.length > 6 ? ', …' : ''}]`
        : `Farkas λ on ${f.farkas!.length} constraints: ${f.farkas!.slice(0, 4).map((e) => `λ(${e.i},${e.t}) = ${e.lambda}`).join(', ')}${f.farkas!.length > 4 ? ', …' : ''}`;
      lines.push(`A1(c) SVM feasible (${f.structure.padEnd(4)}):         ${mark(f.holds)}  ${cert} (${f.exact ? 'exact' : 'NOT exact'}: ${f.method})`);
    }
  } else lines.push(`A1(c) SVM feasible:                 n/a   ${A.c_reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
}

export async function runCheckData(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
  const data = loadDataset(requireString(flags, 'data'));
  const report = checkData(data);
  if (flags.json) printJson(report);
  else printLines(formatDataCheck(report));
  return 0;
}
