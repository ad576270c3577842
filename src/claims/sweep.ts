/**
 * `attnbias sweep`: a claim — or a conjecture module (conjecture.ts) — over many seeded datasets (SPEC.md
 * §7). This module holds the parts without I/O policy: which generator a claim uses, one dataset's job and
 * its JSONL record, reading a (possibly half-written) JSONL file for resumption, and the summary. The worker
 * is sweepWorker.ts; the command is src/cli/sweep.ts.
 *
 * Record format (one JSON line per dataset, appended and flushed as each finishes, in completion order):
 *   { format: "attnbias/sweep-record@1", claim, index, seed, generator, generator_version, shape: {n,T,d},
 *     options, verdict, conclusion, reason, final_gap, final_eps, final_delta, final_rho, seconds, dataset }
 * A conjecture sweep's records also hold `conjecture: { id, module }` (the absolute path of the module);
 * `claim` is then the conjecture's id, and `generator` is "conjecture" when the datasets come from the
 * module's own generator (seeded with mulberry32(seed), like the built-in ones).
 * `verdict` is "consistent" | "refuted" | "inconclusive", or "error" (the check threw: `reason` says why)
 * or "no-data" (the generator found no dataset of the kind for this seed, `dataset` null), or "timeout" (the
 * check overran the sweep's hard wall-clock limit per dataset and its worker was terminated).
 */
import type { Dataset } from '../data/Dataset.js';
import { datasetToJson } from '../data/serialize.js';
import { type DataShape, GENERATOR_VERSION, feasibleA1, mulberry32, plantedA1, violatingA1a, violatingA1b, violatingA1c } from '../data/generate.js';
import type { ClaimId, ClaimOutcome, ClaimRunOptions } from './Claim.js';
import type { Conjecture } from './conjecture.js';

export const SWEEP_RECORD_FORMAT = 'attnbias/sweep-record@1';

export const GENERATORS = ['feasibleA1', 'plantedA1', 'violatingA1a', 'violatingA1b', 'violatingA1c'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/** The data a claim's assumptions call for: all of A1 for the SVM-limit claims, any A1(a)(b) data otherwise. */
export function defaultGenerator(claim: ClaimId): GeneratorName {
  return claim === 'A.T1' || claim === 'D.FRO' || claim === 'X.LOGISTIC' ? 'feasibleA1' : 'plantedA1';
}

/** A sweep's datasets: a built-in generator, or "conjecture" — the conjecture module's own generator. */
export type SweepGenerator = GeneratorName | 'conjecture';
/** A conjecture module's generator, as the sweep calls it. */
export type OwnGenerator = NonNullable<Conjecture['generator']>;

/** Dataset `seed` of a generator; "conjecture" needs `own`, the module's generator. */
export function generateDataset(generator: SweepGenerator, seed: number, shape: DataShape, own?: OwnGenerator): Dataset | null {
  const rng = mulberry32(seed);
  switch (generator) {
    case 'conjecture':
      if (!own) throw new Error('the conjecture module has no generator');
      return own(rng, shape);
    case 'feasibleA1': return feasibleA1(rng, shape);
    case 'plantedA1': return plantedA1(rng, shape);
    case 'violatingA1a': return violatingA1a(rng, shape);
    case 'violatingA1b': return violatingA1b(rng, shape);
    case 'violatingA1c': return violatingA1c(rng, shape);
  }
}

/** Which conjecture module a sweep runs: its id and the absolute path the workers import. */
export interface SweepConjecture {
  readonly id: string;
  readonly module: string;
}

/** What a worker is asked to do. */
export interface SweepJob {
  /** the claim's id, or the conjecture's id when `conjecture` is set */
  readonly claim: ClaimId | string;
  readonly conjecture?: SweepConjecture;
  readonly index: number;
  readonly seed: number;
  readonly generator: SweepGenerator;
  readonly shape: DataShape;
  /** JSON-safe claim options (strings and numbers only) */
  readonly options: { readonly maxSeconds?: number; readonly alpha?: string; readonly untilRho?: number; readonly checkpoints?: number };
}

export type SweepVerdict = ClaimOutcome['verdict'] | 'error' | 'no-data' | 'timeout';

export interface SweepRecord {
  readonly format: typeof SWEEP_RECORD_FORMAT;
  readonly claim: ClaimId | string;
  readonly conjecture?: SweepConjecture;
  readonly index: number;
  readonly seed: number;
  readonly generator: SweepGenerator;
  readonly generator_version: number;
  readonly shape: DataShape;
  readonly options: SweepJob['options'];
  readonly verdict: SweepVerdict;
  readonly conclusion: boolean | null;
  readonly reason: string;
  readonly final_gap: number | null;
  readonly final_eps: number | null;
  readonly final_delta: number | null;
  readonly final_rho: number | null;
  readonly seconds: number;
  readonly dataset: Record<string, unknown> | null;
}

const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The fields of a job's record that say what ran, on which data. */
function recordBase(job: SweepJob) {
  return {
    format: SWEEP_RECORD_FORMAT, claim: job.claim, ...(job.conjecture ? { conjecture: job.conjecture } : {}),
    index: job.index, seed: job.seed, generator: job.generator, generator_version: GENERATOR_VERSION, shape: job.shape, options: job.options,
  } as const;
}

/** The record of a job that gave no outcome: an error, no data, a timeout. */
export function failedRecord(job: SweepJob, verdict: 'error' | 'no-data' | 'timeout', reason: string, seconds: number, dataset: Record<string, unknown> | null): SweepRecord {
  return { ...recordBase(job), verdict, conclusion: null, reason, final_gap: null, final_eps: null, final_delta: null, final_rho: null, seconds, dataset };
}

/**
 * Run one job (in a worker or inline); `check` is CLAIMS[id].check or a conjecture's check, `own` the
 * conjecture module's generator (for generator "conjecture"). Never throws: errors become records.
 */
export function runSweepJob(job: SweepJob, check: (data: Dataset, o: ClaimRunOptions) => ClaimOutcome, own?: OwnGenerator): SweepRecord {
  const t0 = Date.now();
  const secs = (): number => (Date.now() - t0) / 1000;
  let data: Dataset | null;
  try {
    data = generateDataset(job.generator, job.seed, job.shape, own);
  } catch (e) {
    return failedRecord(job, 'error', `generator failed: ${(e as Error).message}`, secs(), null);
  }
  if (!data) return failedRecord(job, 'no-data', `${job.generator} found no dataset for seed ${job.seed}`, secs(), null);
  const dataset = datasetToJson(data);
  try {
    const o = check(data, job.options);
    const cps = o.runs[0]?.checkpoints ?? [];
    const last = cps[cps.length - 1] as Record<string, unknown> | undefined;
    return {
      ...recordBase(job), verdict: o.verdict, conclusion: o.conclusion, reason: o.reason,
      final_gap: finite(last?.relative_gap), final_eps: finite(last?.eps_window), final_delta: finite(last?.delta_window), final_rho: finite(last?.rho),
      seconds: secs(), dataset,
    };
  } catch (e) {
    return failedRecord(job, 'error', `the check threw: ${(e as Error).message}`, secs(), dataset);
  }
}

/** The settings that make a sweep's file its own: a record of any other sweep is not resumed from. */
export interface SweepKey {
  readonly claim: ClaimId | string;
  readonly conjecture: SweepConjecture | null;
  readonly generator: SweepGenerator;
  readonly seed: number;
  readonly shape: DataShape;
}

/** Why `rec` does not belong to the sweep `key` (null when it does): the first setting that differs. */
export function recordMismatch(rec: SweepRecord, key: SweepKey): string | null {
  const mod = rec.conjecture?.module ?? null;
  if (mod !== (key.conjecture?.module ?? null)) {
    return mod === null ? `a sweep of claim ${rec.claim}, not of a conjecture module` : `a sweep of the conjecture module ${mod} (${rec.conjecture?.id}), not ${key.conjecture ? `of the module ${key.conjecture.module}` : `of claim ${key.claim}`}`;
  }
  if (rec.claim !== key.claim) return `claim ${rec.claim}, not ${key.claim}`;
  if (rec.generator !== key.generator) return `generator ${rec.generator}, not ${key.generator}`;
  if (rec.seed !== key.seed + rec.index) return `seed ${rec.seed} at index ${rec.index}, not ${key.seed + rec.index}`;
  if (rec.shape?.n !== key.shape.n || rec.shape?.T !== key.shape.T || rec.shape?.d !== key.shape.d) {
    return `shape ${rec.shape?.n},${rec.shape?.T},${rec.shape?.d}, not ${key.shape.n},${key.shape.T},${key.shape.d}`;
  }
  return null;
}

/**
 * The complete records of a JSONL file's text, and the byte length of its valid prefix: a last line that
 * is not newline-terminated or does not parse (a sweep killed mid-write) is dropped, and so is every
 * line after the first damaged one.
 */
export function readRecords(text: string): { records: SweepRecord[]; validBytes: number; dropped: number } {
  const records: SweepRecord[] = [];
  let pos = 0;
  let dropped = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) { dropped++; break; }
    const line = text.slice(pos, nl);
    if (line.trim() !== '') {
      let rec: unknown;
      try { rec = JSON.parse(line); } catch { rec = null; }
      if (!rec || typeof rec !== 'object' || typeof (rec as SweepRecord).index !== 'number') {
        dropped += text.slice(pos).split('\n').filter((l) => l.trim() !== '').length;
        break;
      }
      records.push(rec as SweepRecord);
    }
    pos = nl + 1;
  }
  return { records, validBytes: Buffer.byteLength(text.slice(0, pos), 'utf8'), dropped };
}

export interface SweepSummary {
  readonly claim: ClaimId | string;
  /** set for a conjecture sweep */
  readonly conjecture?: SweepConjecture;
  readonly seed: number;
  readonly count: number;
  readonly shape: DataShape;
  readonly generator: SweepGenerator;
  readonly out: string;
  readonly datasets: number;
  readonly ran_now: number;
  readonly resumed: number;
  readonly verdicts: Record<SweepVerdict, number>;
  readonly conclusions: { readonly true: number; readonly false: number; readonly null: number };
  readonly gap: { readonly n: number; readonly worst: number | null; readonly median: number | null; readonly worst_index: number | null };
  readonly seconds: { readonly total: number; readonly wall: number };
  readonly refuted_indices: readonly number[];
}

export function summarize(records: readonly SweepRecord[], meta: SweepKey & { count: number; out: string; ranNow: number; wall: number }): SweepSummary {
  const verdicts: Record<SweepVerdict, number> = { consistent: 0, refuted: 0, inconclusive: 0, error: 0, 'no-data': 0, timeout: 0 };
  const conclusions = { true: 0, false: 0, null: 0 };
  const gaps: { g: number; i: number }[] = [];
  let total = 0;
  for (const r of records) {
    verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    if (r.conclusion === true) conclusions.true++; else if (r.conclusion === false) conclusions.false++; else conclusions.null++;
    if (r.final_gap !== null && Number.isFinite(r.final_gap)) gaps.push({ g: r.final_gap, i: r.index });
    total += r.seconds;
  }
  gaps.sort((a, b) => a.g - b.g);
  const worst = gaps.length ? gaps[gaps.length - 1]! : null;
  const median = gaps.length ? (gaps.length % 2 ? gaps[(gaps.length - 1) / 2]!.g : (gaps[gaps.length / 2 - 1]!.g + gaps[gaps.length / 2]!.g) / 2) : null;
  return {
    claim: meta.claim, ...(meta.conjecture ? { conjecture: meta.conjecture } : {}), seed: meta.seed, count: meta.count, shape: meta.shape, generator: meta.generator, out: meta.out,
    datasets: records.length, ran_now: meta.ranNow, resumed: records.length - meta.ranNow,
    verdicts, conclusions,
    gap: { n: gaps.length, worst: worst?.g ?? null, median, worst_index: worst?.i ?? null },
    seconds: { total, wall: meta.wall },
    refuted_indices: records.filter((r) => r.verdict === 'refuted').map((r) => r.index).sort((a, b) => a - b),
  };
}

export function formatSummary(s: SweepSummary): string[] {
  const g = (x: number | null) => (x === null ? '—' : x.toExponential(3));
  const rows: [string, string][] = [
    ['claim', s.claim],
    ...(s.conjecture ? [['conjecture', s.conjecture.module] as [string, string]] : []),
    ['datasets', `${s.datasets} of ${s.count} (${s.ran_now} run now, ${s.resumed} from the file)`],
    ['data', `${s.generator === 'conjecture' ? "the module's generator" : s.generator}, shape n=${s.shape.n} T=${s.shape.T} d=${s.shape.d}, seeds ${s.seed}…${s.seed + s.count - 1}`],
    ...Object.entries(s.verdicts).filter(([k, v]) => v > 0 || k === 'consistent' || k === 'refuted' || k === 'inconclusive').map(([k, v]) => [`  ${k}`, String(v)] as [string, string]),
    ['conclusion', `true ${s.conclusions.true}, false ${s.conclusions.false}, null ${s.conclusions.null}`],
    ['final gap', `worst ${g(s.gap.worst)}${s.gap.worst_index !== null ? ` (index ${s.gap.worst_index})` : ''}, median ${g(s.gap.median)} over ${s.gap.n}`],
    ['time', `${s.seconds.total.toFixed(1)} s of checks, ${s.seconds.wall.toFixed(1)} s wall`],
    ['output', s.out],
  ];
  if (s.refuted_indices.length) rows.push(['refuted at', s.refuted_indices.join(', ')]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
}

/** The record of a job whose worker was terminated at the hard time limit (`own` as for runSweepJob). */
export function timeoutRecord(job: SweepJob, seconds: number, limit: number, own?: OwnGenerator): SweepRecord {
  let dataset: Record<string, unknown> | null = null;
  try {
    const data = generateDataset(job.generator, job.seed, job.shape, own);
    dataset = data ? datasetToJson(data) : null;
  } catch { /* recorded as null */ }
  return failedRecord(job, 'timeout',
    `the check overran the hard limit of ${limit} s per dataset (--max-seconds-per ${job.options.maxSeconds ?? '—'} is a per-run budget the claim did not keep) and was stopped`,
    seconds, dataset);
}
