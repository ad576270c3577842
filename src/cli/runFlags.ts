/**
 * Flags shared by `flow` and `verify` (CONTRACT.md): --alpha, --backend, --digits, the stopping rules,
 * --checkpoints, plus --loss, --init FILE (explicit k0/q0 or K0/Q0 or W0, exact strings), --ode, --rtol, --predictor on|off|decimal.
 */
import { readFileSync } from 'node:fs';
import type { Backend, FollowOptions, PredictorMode } from '../flows/follow.js';
import type { FlowParam } from '../flows/FlowDefinition.js';
import type { DiagInit, FullInit } from '../flows/init.js';
import { parseAlpha } from '../flows/init.js';
import { LOSS_KINDS, type LossKind } from '../model/loss.js';
import { ALGORITHMS, type AlgorithmName } from '../ode/algorithms.js';
import { type Rational, qfromNumber, qparse } from '../numeric/rational.js';
import { type FlagSpec, parseChoice, parseNumberFlag } from './args.js';
import { UsageError } from './errors.js';

export const RUN_FLAGS: FlagSpec = {
  data: { type: 'string' },
  alpha: { type: 'string' },
  backend: { type: 'string' },
  digits: { type: 'string' },
  'until-rho': { type: 'string' },
  'until-log10-norm': { type: 'string' },
  'until-log10-t': { type: 'string' },
  'until-gap': { type: 'string' },
  'max-seconds': { type: 'string' },
  checkpoints: { type: 'string' },
  loss: { type: 'string' },
  init: { type: 'string' },
  ode: { type: 'string' },
  rtol: { type: 'string' },
  predictor: { type: 'string' },
  json: { type: 'boolean' },
};

export interface RunFlags {
  readonly backend: Backend;
  readonly digits?: number;
  readonly alpha: string;
  readonly loss: LossKind;
  readonly stop: FollowOptions['stop'];
  readonly untilGap?: number;
  /** --until-rho as given (null when the default applies) */
  readonly explicitRho: number | null;
  readonly checkpoints: number;
  readonly algorithm?: AlgorithmName;
  readonly rtol?: string;
  readonly predictor?: PredictorMode;
  readonly diagInit?: DiagInit;
  readonly fullInit?: FullInit;
}

function exactEntry(v: unknown, path: string): Rational {
  const q = typeof v === 'number' && Number.isFinite(v) ? qfromNumber(v) : typeof v === 'string' ? qparse(v) : null;
  if (!q) throw new UsageError(`--init ${path}: not a number`);
  return q;
}

function readInit(path: string, d: number): { diag?: DiagInit; full?: FullInit } {
  let doc: Record<string, unknown>;
  try { doc = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new UsageError(`--init ${path}: ${(e as Error).message}`); }
  const vec = (key: string): Rational[] | undefined => {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length !== d) throw new UsageError(`--init ${key}: expected ${d} entries (d = head.length)`);
    return v.map((x, j) => exactEntry(x, `${key}[${j}]`));
  };
  const mat = (key: string): Rational[][] | undefined => {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length !== d || !v.every((r) => Array.isArray(r))) throw new UsageError(`--init ${key}: expected ${d} rows`);
    return v.map((row: unknown[], i) => row.map((x, j) => exactEntry(x, `${key}[${i}][${j}]`)));
  };
  const k0 = vec('k0');
  const q0 = vec('q0');
  if ((k0 === undefined) !== (q0 === undefined)) throw new UsageError('--init: k0 and q0 go together');
  const K0 = mat('K0');
  const Q0 = mat('Q0');
  const W0 = mat('W0');
  return {
    ...(k0 && q0 ? { diag: { k0, q0 } } : {}),
    ...(K0 || Q0 || W0 ? { full: { ...(K0 ? { K0 } : {}), ...(Q0 ? { Q0 } : {}), ...(W0 ? { W0 } : {}) } } : {}),
  };
}

export function parseRunFlags(flags: Record<string, string | boolean | undefined>, d: number, defaults: { rho?: number } = {}): RunFlags {
  const backend = parseChoice<Backend>(flags.backend, 'backend', ['float64', 'decimal', 'auto'], 'auto');
  const digits = parseNumberFlag(flags.digits, 'digits', { integer: true, min: 10, max: 1000 });
  const alpha = typeof flags.alpha === 'string' ? flags.alpha : '1e-3';
  try { parseAlpha(alpha); } catch (e) { throw new UsageError(`--alpha: ${(e as Error).message}`); }
  const loss = parseChoice<LossKind>(flags.loss, 'loss', LOSS_KINDS, 'exp');
  const rho = parseNumberFlag(flags['until-rho'], 'until-rho', { min: 0 });
  const l10n = parseNumberFlag(flags['until-log10-norm'], 'until-log10-norm');
  const l10t = parseNumberFlag(flags['until-log10-t'], 'until-log10-t');
  const gap = parseNumberFlag(flags['until-gap'], 'until-gap', { min: 0 });
  const secs = parseNumberFlag(flags['max-seconds'], 'max-seconds', { min: 0 });
  const checkpoints = parseNumberFlag(flags.checkpoints, 'checkpoints', { integer: true, min: 1, max: 10000 }) ?? 12;
  const algorithm = flags.ode === undefined ? undefined : parseChoice<AlgorithmName>(flags.ode, 'ode', Object.keys(ALGORITHMS) as AlgorithmName[]);
  const predictor = flags.predictor === undefined ? undefined : parseChoice<PredictorMode>(flags.predictor, 'predictor', ['on', 'off', 'decimal']);
  // default stopping: ρ = 20 (‖w‖ ~ 1e11 at α = 1e-3) and 120 s, unless a rule is given
  const anyRule = rho !== undefined || l10n !== undefined || l10t !== undefined || gap !== undefined;
  const stop = {
    ...(rho !== undefined ? { rho } : anyRule ? {} : { rho: defaults.rho ?? 20 }),
    ...(l10n !== undefined ? { log10Norm: l10n } : {}),
    ...(l10t !== undefined ? { log10T: l10t } : {}),
    maxSeconds: secs ?? 120,
  };
  const init = typeof flags.init === 'string' ? readInit(flags.init, d) : {};
  return {
    backend, alpha, loss, stop, checkpoints, explicitRho: rho ?? null,
    ...(digits !== undefined ? { digits } : {}),
    ...(gap !== undefined ? { untilGap: gap } : {}),
    ...(algorithm ? { algorithm } : {}),
    ...(typeof flags.rtol === 'string' ? { rtol: flags.rtol } : {}),
    ...(predictor ? { predictor } : {}),
    ...(init.diag ? { diagInit: init.diag } : {}),
    ...(init.full ? { fullInit: init.full } : {}),
  };
}

/** The SVM a parameterization's gradient flow is predicted to converge to (SPEC.md §5 table). */
export function predictedNorm(param: FlowParam): 'l1' | 'fro' | 'nuclear' {
  return param === 'w' ? 'fro' : param === 'kq' ? 'nuclear' : 'l1';
}
