/** `attnbias check-data --data F` (CONTRACT.md): parse, then report Assumption 1 (a), (b), (c) separately. */
import { loadDataset } from '../data/load.js';
import { type DataCheckReport, checkData } from '../claims/dataCheck.js';
import { parseFlags, requireString } from './args.js';
import { printJson, printLines } from './output.js';

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
