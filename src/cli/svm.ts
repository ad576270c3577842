/** `attnbias svm --data F --norm l1|fro|nuclear|lp [--p P] [--structure diag|full] [--digits N]` (CONTRACT.md). */
import { loadDataset } from '../data/load.js';
import { svmResultToJson } from '../svm/json.js';
import { solveSvm, defaultStructure } from '../svm/solve.js';
import type { SvmNorm, SvmResult, SvmStructure } from '../svm/SvmResult.js';
import { parseChoice, parseFlags, parseNumberFlag, requireString } from './args.js';
import { UsageError } from './errors.js';
import { printJson, printLines } from './output.js';

export const NORMS: readonly SvmNorm[] = ['l1', 'fro', 'nuclear', 'lp'];

export function formatSvm(r: SvmResult): string[] {
  const lines = [`${r.norm}${r.p !== undefined ? ` (p = ${r.p})` : ''} SVM, ${r.structure} W: ${r.status}`];
  if (r.status === 'optimal') {
    lines.push(`objective  ${r.objective}`);
    if (r.w) lines.push(`w          [${r.w.join(', ')}]`);
    if (r.W) lines.push('W', ...r.W.map((row) => `  [${row.join(', ')}]`));
    const c = r.certificate;
    if (c) {
      lines.push(`certificate (${c.exact ? 'EXACT' : 'not exact'}; ${c.method}): primal infeasibility ${c.primal_infeasibility}, dual infeasibility ${c.dual_infeasibility}, gap ${c.gap}`);
    } else lines.push('certificate: none');
    lines.push(`unique     ${r.unique === null ? 'not decided' : r.unique}`);
    if (r.face) lines.push(`optimal face: w_j ranges ${r.face.min.map((lo, j) => `[${lo}, ${r.face!.max[j]}]`).join(' ')}`);
  } else {
    lines.push(`Farkas certificate (${r.farkas_exact ? 'exact' : 'not exact'}): ${r.farkas?.map((e) => `λ(${e.i},${e.t}) = ${e.lambda}`).join(', ')}`);
  }
  for (const n of r.notes ?? []) lines.push(`note: ${n}`);
  return lines;
}

export async function runSvm(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    data: { type: 'string' }, norm: { type: 'string' }, p: { type: 'string' }, structure: { type: 'string' },
    digits: { type: 'string' }, json: { type: 'boolean' },
  });
  const norm = parseChoice(flags.norm, 'norm', NORMS);
  const structure = parseChoice<SvmStructure>(flags.structure, 'structure', ['diag', 'full'], defaultStructure(norm));
  const p = parseNumberFlag(flags.p, 'p', { min: 1 });
  if (norm === 'lp' && (p === undefined || p <= 1)) throw new UsageError('--norm lp needs --p P with 1 < P < ∞');
  if (norm !== 'lp' && p !== undefined) throw new UsageError('--p applies to --norm lp only');
  if (norm === 'l1' && structure === 'full') throw new UsageError('--norm l1 is the diagonal problem (SPEC.md §5); use --structure diag, or --norm nuclear / lp for full W');
  if (norm === 'nuclear' && structure === 'diag') throw new UsageError('--norm nuclear takes --structure full (for diagonal W it equals l1)');
  const digits = parseNumberFlag(flags.digits, 'digits', { integer: true, min: 10, max: 1000 });
  const data = loadDataset(requireString(flags, 'data'));
  const result = solveSvm(data, { norm, structure, ...(p !== undefined ? { p } : {}), ...(digits !== undefined ? { digits } : {}) });
  if (flags.json) printJson(svmResultToJson(result));
  else printLines(formatSvm(result));
  return 0;
}
