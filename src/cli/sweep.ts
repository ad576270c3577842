/**
 * `attnbias sweep (--claim ID | --conjecture FILE) --count N [--seed S] [--out FILE.jsonl] [--shape n,T,d]
 *  [--max-seconds-per S] [--jobs J] [--generator G] [--alpha A] [--until-rho R] [--hard-limit S] [--json]`
 *
 * Runs a claim over N generated datasets — dataset k is the generator's output for seed S + k (recorded
 * with the generator version and the exact dataset JSON) — on a pool of min(J, cores) worker threads, one
 * dataset per worker at a time. Each finished dataset appends one JSON line to the output file (default
 * proofs-data/runs/sweep-<claim>-<seed>.jsonl) and is flushed to disk, so the sweep is resumable: the same
 * command again skips the indices already in the file (a half-written last line is discarded first); a
 * file of another sweep (claim, conjecture module, generator, seeds or shape) is refused, not mixed.
 * --conjecture FILE runs a conjecture module (src/claims/conjecture.ts, as `verify --conjecture`) instead of
 * a claim: its datasets come from the module's own generator (or --generator G), each worker imports the
 * module itself, the records name it ({ id, module }), and the default file is
 * proofs-data/runs/sweep-conjecture-<id>-<seed>.jsonl. A module that does not load is refused (exit 2).
 * A progress bar on a terminal (stderr); at the end a summary table, or one JSON document with --json.
 * --max-seconds-per is the claim's per-run budget; a dataset still running after --hard-limit seconds
 * (default max(120, 10 × max-seconds-per)) is stopped and recorded with verdict "timeout".
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CLAIM_IDS } from '../claims/registry.js';
import type { ClaimId } from '../claims/Claim.js';
import { conjectureFlag, requireClaimOrConjecture } from './conjectureFlag.js';
import {
  GENERATORS, type GeneratorName, type OwnGenerator, type SweepGenerator, type SweepJob, type SweepKey, type SweepRecord,
  defaultGenerator, formatSummary, readRecords, recordMismatch, summarize, timeoutRecord,
} from '../claims/sweep.js';
import type { DataShape } from '../data/generate.js';
import { parseAlpha } from '../flows/init.js';
import { parseChoice, parseFlags, parseNumberFlag, requireString } from './args.js';
import { UsageError } from './errors.js';
import { printJson, printLines } from './output.js';
import { progressBar } from './progress.js';

const DEFAULT_SHAPE: DataShape = { n: 3, T: 3, d: 3 };

export const SWEEP_USAGE = `usage: attnbias sweep (--claim ID | --conjecture FILE) --count N [flags]

Runs a claim of SPEC.md §7, or a conjecture module (as verify --conjecture), over N seeded datasets on
all cores; one JSON line per dataset, appended and flushed; rerunning the same command resumes.

  --claim ID             one of ${CLAIM_IDS.join(', ')}
  --conjecture FILE      a conjecture module (.js/.mjs exporting a Conjecture); its generator draws the data
  --count N              datasets k = 0..N-1, dataset k drawn with seed S + k
  --seed S               first seed (default 1)
  --shape n,T,d          samples, tokens, dimension (default ${DEFAULT_SHAPE.n},${DEFAULT_SHAPE.T},${DEFAULT_SHAPE.d})
  --generator G          ${GENERATORS.join(', ')} (default: the claim's, or the conjecture module's own)
  --out FILE.jsonl       default proofs-data/runs/sweep-<claim>-<seed>.jsonl (sweep-conjecture-<id>-<seed>.jsonl)
  --jobs J               worker threads (default: all cores)
  --max-seconds-per S    per-run budget of the check (default 60)
  --hard-limit S         stop a dataset after S seconds, recorded as "timeout" (default max(120, 10 × S))
  --alpha A, --until-rho R   initialization scale and stopping ρ of the flows
  --json                 one JSON summary on stdout instead of the table`;

function parseShape(v: unknown): DataShape {
  if (v === undefined) return DEFAULT_SHAPE;
  const parts = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [];
  const nums = parts.map(Number);
  if (parts.length !== 3 || nums.some((x, k) => !Number.isInteger(x) || x < (k === 1 ? 2 : 1) || x > 64 || parts[k] === '')) {
    throw new UsageError(`--shape must be n,T,d with integers n ≥ 1, T ≥ 2, d ≥ 1 (each ≤ 64), got ${JSON.stringify(v)}`);
  }
  return { n: nums[0]!, T: nums[1]!, d: nums[2]! };
}

const cores = (): number => (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);

/** What to sweep: a claim of the registry, or a conjecture module with its id, path and generator. */
async function sweepSubject(flags: Record<string, string | boolean | undefined>): Promise<{ key: Pick<SweepKey, 'claim' | 'conjecture' | 'generator'>; own?: OwnGenerator }> {
  requireClaimOrConjecture(flags);
  if (typeof flags.conjecture !== 'string') {
    const claim = parseChoice<ClaimId>(flags.claim, 'claim', CLAIM_IDS);
    return { key: { claim, conjecture: null, generator: parseChoice<GeneratorName>(flags.generator, 'generator', GENERATORS, defaultGenerator(claim)) } };
  }
  const c = await conjectureFlag(flags.conjecture); // the workers load it again
  if (flags.generator === undefined && !c.generator) {
    throw new UsageError(`--conjecture ${flags.conjecture}: ${c.id} has no generator; add one to the module or give --generator (one of ${GENERATORS.join(', ')})`);
  }
  const generator: SweepGenerator = flags.generator === undefined ? 'conjecture' : parseChoice<GeneratorName>(flags.generator, 'generator', GENERATORS);
  return { key: { claim: c.id, conjecture: { id: c.id, module: resolve(flags.conjecture) }, generator }, ...(c.generator ? { own: c.generator } : {}) };
}

export async function runSweep(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    printLines([SWEEP_USAGE]);
    return 0;
  }
  const flags = parseFlags(argv, {
    claim: { type: 'string' }, conjecture: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    shape: { type: 'string' }, 'max-seconds-per': { type: 'string' }, jobs: { type: 'string' },
    generator: { type: 'string' }, alpha: { type: 'string' }, 'until-rho': { type: 'string' }, 'hard-limit': { type: 'string' }, json: { type: 'boolean' },
  });
  const { key: subject, own } = await sweepSubject(flags);
  const { claim, conjecture, generator } = subject;
  if (flags.count === undefined) requireString(flags, 'count');
  const count = parseNumberFlag(flags.count, 'count', { integer: true, min: 1, max: 1_000_000 })!;
  const seed = parseNumberFlag(flags.seed, 'seed', { integer: true, min: 0, max: 2 ** 31 - 1 - count }) ?? 1;
  const shape = parseShape(flags.shape);
  const maxSeconds = parseNumberFlag(flags['max-seconds-per'], 'max-seconds-per', { min: 0.1, max: 86400 }) ?? 60;
  const jobs = parseNumberFlag(flags.jobs, 'jobs', { integer: true, min: 1, max: 1024 }) ?? cores();
  const untilRho = parseNumberFlag(flags['until-rho'], 'until-rho', { min: 0.1 });
  // a claim runs several flows, each with the per-run budget, plus measurement: allow generously, then stop it
  const hardLimit = parseNumberFlag(flags['hard-limit'], 'hard-limit', { min: 1 }) ?? Math.max(120, 10 * maxSeconds);
  if (typeof flags.alpha === 'string') {
    try { parseAlpha(flags.alpha); } catch (e) { throw new UsageError(`--alpha: ${(e as Error).message}`); }
  }
  const key: SweepKey = { ...subject, seed, shape };
  const defaultOut = conjecture ? `sweep-conjecture-${conjecture.id.replace(/[^\w.-]/g, '_')}-${seed}.jsonl` : `sweep-${claim}-${seed}.jsonl`;
  const out = resolve(typeof flags.out === 'string' && flags.out !== '' ? flags.out : `proofs-data/runs/${defaultOut}`);
  const options: SweepJob['options'] = {
    maxSeconds,
    ...(typeof flags.alpha === 'string' ? { alpha: flags.alpha } : {}),
    ...(untilRho !== undefined ? { untilRho } : {}),
  };

  // resume: keep the valid prefix of the file, skip the indices it holds
  mkdirSync(dirname(out), { recursive: true });
  let previous: SweepRecord[] = [];
  if (existsSync(out)) {
    const text = readFileSync(out, 'utf8');
    const r = readRecords(text);
    for (const rec of r.records) {
      const why = recordMismatch(rec, key);
      if (why !== null) throw new UsageError(`${out} holds records of another sweep (index ${rec.index}: ${why}); choose another --out`);
    }
    if (r.validBytes < Buffer.byteLength(text, 'utf8')) truncateSync(out, r.validBytes);
    previous = r.records;
  }
  const done = new Set(previous.map((r) => r.index));
  const todo: number[] = [];
  for (let k = 0; k < count; k++) if (!done.has(k)) todo.push(k);

  const bar = progressBar(!flags.json);
  const t0 = Date.now();
  const fresh: SweepRecord[] = [];
  if (todo.length > 0) {
    bar.update(previous.length / count, `${claim} sweep: ${previous.length}/${count} (${todo.length} to run on ${Math.min(jobs, cores(), todo.length)} workers)`);
    const fd = openSync(out, 'a');
    try {
      const job = (index: number): SweepJob => ({ claim, ...(conjecture ? { conjecture } : {}), index, seed: seed + index, generator, shape, options });
      await runPool(todo.map(job), Math.min(jobs, cores(), todo.length), hardLimit, own, (rec) => {
        writeSync(fd, JSON.stringify(rec) + '\n');
        fsyncSync(fd);
        fresh.push(rec);
        const tally = [...previous, ...fresh].reduce((m, r) => ({ ...m, [r.verdict]: (m[r.verdict] ?? 0) + 1 }), {} as Record<string, number>);
        bar.update((previous.length + fresh.length) / count, `${claim} sweep: ${previous.length + fresh.length}/${count} — ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      });
    } finally {
      closeSync(fd);
      bar.done();
    }
  }
  const all = [...previous, ...fresh].filter((r) => r.index < count).sort((a, b) => a.index - b.index);
  const summary = summarize(all, { ...key, count, out, ranNow: fresh.length, wall: (Date.now() - t0) / 1000 });
  if (flags.json) printJson(summary);
  else printLines(formatSummary(summary));
  return 0;
}

/**
 * A pool of `size` worker threads, each running one job at a time; `onRecord` is called as each finishes.
 * A job that overruns `hardLimit` seconds gets a "timeout" record (its dataset drawn again here, with the
 * conjecture module's generator `own` where the jobs use it) and its worker is replaced.
 */
function runPool(jobs: SweepJob[], size: number, hardLimit: number, own: OwnGenerator | undefined, onRecord: (r: SweepRecord) => void): Promise<void> {
  const queue = jobs.slice();
  const workerUrl = new URL('../claims/sweepWorker.js', import.meta.url);
  return new Promise<void>((resolvePool, rejectPool) => {
    let active = 0;
    let failed = false;
    let interrupted = false;
    const workers = new Set<Worker>();
    const stopAll = (): void => { for (const w of workers) void w.terminate(); };
    const onSignal = (): void => { interrupted = true; queue.length = 0; stopAll(); process.exitCode = 130; };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const finish = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolvePool();
    };
    const fail = (e: unknown): void => { if (!failed) { failed = true; queue.length = 0; stopAll(); rejectPool(e); } };
    const start = (): void => {
      const w = new Worker(workerUrl);
      workers.add(w);
      active++;
      let current: { job: SweepJob; started: number; timer: NodeJS.Timeout } | null = null;
      const next = (): void => {
        const job = queue.shift();
        if (!job || failed || interrupted) { void w.terminate(); return; }
        const timer = setTimeout(() => {
          if (!current) return;
          const rec = timeoutRecord(current.job, (Date.now() - current.started) / 1000, hardLimit, own);
          current = null;
          try { onRecord(rec); } catch (e) { fail(e); return; }
          void w.terminate();
          if (queue.length > 0 && !failed && !interrupted) start();
        }, hardLimit * 1000);
        current = { job, started: Date.now(), timer };
        w.postMessage(job);
      };
      w.on('message', (rec: SweepRecord) => {
        if (!current || current.job.index !== rec.index) return;
        clearTimeout(current.timer);
        current = null;
        try { onRecord(rec); } catch (e) { fail(e); return; }
        next();
      });
      w.on('error', fail);
      w.on('exit', () => {
        if (current) clearTimeout(current.timer);
        workers.delete(w);
        active--;
        if (active === 0 && !failed) finish();
      });
      next();
    };
    for (let k = 0; k < size; k++) start();
  });
}
