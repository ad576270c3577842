#!/usr/bin/env node
/**
 * The attnbias command line (CONTRACT.md). Exit codes: 0 the command did its job, 2 bad input or usage
 * (one line per problem naming the JSON path, no stack trace), 1 an internal failure.
 */
import { DatasetError } from '../data/parse.js';
import { TiedOptimalTokenError } from '../model/assumptions.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, UsageError } from './errors.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  demo: { summary: 'check claims A.T1 and D.FRO end to end on a built-in dataset and write a report', load: async () => (await import('./demo.js')).runDemo },
  'check-data': { summary: 'report Assumption 1 (a), (b), (c) with certificates', load: async () => (await import('./checkData.js')).runCheckData },
  flow: { summary: 'run a flow or algorithm and print checkpoints', load: async () => (await import('./flow.js')).runFlow },
  verify: { summary: 'run one claim of SPEC.md §7 on one dataset and give a verdict', load: async () => (await import('./verify.js')).runVerify },
  svm: { summary: 'solve an SVM of SPEC.md §5 (--norm l1|fro|nuclear|lp)', load: async () => (await import('./svm.js')).runSvm },
  sweep: { summary: 'run a claim or a conjecture module over N seeded datasets on all cores, resumable JSONL (--claim ID | --conjecture FILE, --count N; sweep --help)', load: async () => (await import('./sweep.js')).runSweep },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return ['usage: attnbias <command> [flags]   (every command accepts --json)', '', ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT_BAD_INPUT : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new UsageError(`unknown command "${name}"\n${usage()}`);
  return (await cmd.load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof DatasetError) {
      process.stderr.write(e.problems.map((p) => `${p.path}: ${p.message}`).join('\n') + '\n');
      process.exitCode = EXIT_BAD_INPUT;
    } else if (e instanceof UsageError) {
      process.stderr.write(`attnbias: ${e.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else if (e instanceof TiedOptimalTokenError) {
      process.stderr.write(`attnbias: ${(e as Error).message} (run check-data for the full report)\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else {
      const err = e as Error;
      process.stderr.write(`attnbias: internal error: ${err?.message ?? String(e)}\n`);
      if (process.env.ATTNBIAS_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  },
);
