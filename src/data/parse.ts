/**
 * Parsing and validation of `attnbias/dataset@1` files (CONTRACT.md). Every problem is collected with
 * the JSON path it concerns, so the CLI prints one line per problem and exits 2 before doing any work.
 */
import { type Rational, qfromNumber, qparse } from '../numeric/rational.js';
import { DATASET_FORMAT, type Dataset, type Sample } from './Dataset.js';

export interface DataProblem {
  /** JSON path, e.g. `samples[3].X[2]` ("$" for the document itself). */
  readonly path: string;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly dataset: Dataset }
  | { readonly ok: false; readonly problems: readonly DataProblem[] };

/** Thrown by `loadDatasetOrThrow`; carries every problem. */
export class DatasetError extends Error {
  constructor(readonly problems: readonly DataProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DatasetError';
  }
}

export function formatProblem(p: DataProblem): string {
  return `${p.path}: ${p.message}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One JSON number or numeric string → exact rational, or a problem description. */
function parseEntry(v: unknown): Rational | string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return `not a finite number (${v})`;
    return qfromNumber(v);
  }
  if (typeof v === 'string') {
    const q = qparse(v);
    if (q === null) return `not a number: ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    return q;
  }
  return `expected a number or a numeric string, got ${describe(v)}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function parseVector(v: unknown, path: string, d: number | null, problems: DataProblem[], what: string): Rational[] | null {
  if (!Array.isArray(v)) {
    problems.push({ path, message: `expected an array of numbers, got ${describe(v)}` });
    return null;
  }
  if (d !== null && v.length !== d) {
    problems.push({ path, message: `${v.length} entries, expected ${d} (d = head.length)` });
  }
  const out: Rational[] = [];
  let bad = false;
  v.forEach((e, j) => {
    const q = parseEntry(e);
    if (typeof q === 'string') { problems.push({ path: `${path}[${j}]`, message: q }); bad = true; }
    else out.push(q);
  });
  void what;
  return bad || (d !== null && v.length !== d) ? null : out;
}

/** Parse the text of a dataset file. */
export function parseDatasetText(text: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '$', message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return validateDataset(doc);
}

/** Validate a parsed JSON value as an `attnbias/dataset@1` document. */
export function validateDataset(doc: unknown): ParseResult {
  const problems: DataProblem[] = [];
  if (!isObject(doc)) {
    return { ok: false, problems: [{ path: '$', message: `expected a JSON object, got ${describe(doc)}` }] };
  }
  if (!('format' in doc)) problems.push({ path: 'format', message: `missing; expected "${DATASET_FORMAT}"` });
  else if (doc.format !== DATASET_FORMAT) {
    problems.push({ path: 'format', message: `${JSON.stringify(doc.format)} is not supported; expected "${DATASET_FORMAT}"` });
  }
  if ('name' in doc && typeof doc.name !== 'string') problems.push({ path: 'name', message: `expected a string, got ${describe(doc.name)}` });

  let d: number | null = null;
  let head: Rational[] | null = null;
  if (!('head' in doc)) problems.push({ path: 'head', message: 'missing (the prediction head h, an array of d numbers)' });
  else if (Array.isArray(doc.head) && doc.head.length === 0) problems.push({ path: 'head', message: 'empty: d = head.length must be at least 1' });
  else {
    head = parseVector(doc.head, 'head', null, problems, 'head');
    if (Array.isArray(doc.head)) d = doc.head.length;
  }

  const samples: Sample[] = [];
  if (!('samples' in doc)) problems.push({ path: 'samples', message: 'missing (an array of samples)' });
  else if (!Array.isArray(doc.samples)) problems.push({ path: 'samples', message: `expected an array, got ${describe(doc.samples)}` });
  else if (doc.samples.length === 0) problems.push({ path: 'samples', message: 'empty: at least one sample is needed' });
  else {
    doc.samples.forEach((s: unknown, i: number) => {
      const sample = parseSample(s, `samples[${i}]`, d, problems);
      if (sample) samples.push(sample);
    });
  }

  if (problems.length > 0 || head === null || d === null) return { ok: false, problems };
  const dataset: Dataset = { d, head, samples, ...(typeof doc.name === 'string' ? { name: doc.name } : {}) };
  return { ok: true, dataset };
}

function parseSample(s: unknown, path: string, d: number | null, problems: DataProblem[]): Sample | null {
  if (!isObject(s)) {
    problems.push({ path, message: `expected an object with X, z, y, got ${describe(s)}` });
    return null;
  }
  const before = problems.length;
  const rows: Rational[][] = [];
  if (!('X' in s)) problems.push({ path: `${path}.X`, message: 'missing (the token matrix, T_i rows of d numbers)' });
  else if (!Array.isArray(s.X)) problems.push({ path: `${path}.X`, message: `expected an array of rows, got ${describe(s.X)}` });
  else {
    if (s.X.length < 2) problems.push({ path: `${path}.X`, message: `${s.X.length} token(s), expected T_i ≥ 2` });
    s.X.forEach((row: unknown, t: number) => {
      const r = parseVector(row, `${path}.X[${t}]`, d, problems, 'token');
      if (r) rows.push(r);
    });
  }
  let z: Rational[] | null = null;
  if (!('z' in s)) problems.push({ path: `${path}.z`, message: 'missing (the query, d numbers)' });
  else z = parseVector(s.z, `${path}.z`, d, problems, 'query');

  let y: 1 | -1 | null = null;
  if (!('y' in s)) problems.push({ path: `${path}.y`, message: 'missing (the label, 1 or -1)' });
  else if (s.y === 1 || s.y === -1) y = s.y;
  else problems.push({ path: `${path}.y`, message: `${JSON.stringify(s.y)} is not a label; expected 1 or -1` });

  let claimedOpt: number | undefined;
  if ('opt' in s) {
    const T = Array.isArray(s.X) ? s.X.length : 0;
    if (typeof s.opt !== 'number' || !Number.isInteger(s.opt) || s.opt < 0 || (T > 0 && s.opt >= T)) {
      problems.push({ path: `${path}.opt`, message: `${JSON.stringify(s.opt)} is not a token index in [0, ${Math.max(T - 1, 0)}]` });
    } else claimedOpt = s.opt;
  }
  if (problems.length > before || z === null || y === null) return null;
  return { X: rows, z, y, ...(claimedOpt !== undefined ? { claimedOpt } : {}) };
}
