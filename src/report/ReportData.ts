/**
 * The data behind the report of `attnbias demo` / `verify` (the JSON written beside the HTML).
 * Numbers that can be astronomically large or need full precision are decimal strings; plotted series
 * are plain numbers (log10 where the range is astronomical). null = not available at that checkpoint.
 */
export interface DualValue {
  readonly i: number;
  readonly t: number;
  readonly lambda: number;
}

export interface ReportCheckpoint {
  readonly tau: string;
  readonly log10_t: number | null;
  /** ‖r‖_∞ (diagonal flows) or ln(1 + ‖W‖_F) (full flows) */
  readonly rho: number;
  readonly log10_norm: number | null;
  readonly min_margin: string;
  /** margin-normalized W: vector (diag) or matrix rows (full), decimal strings */
  readonly w_tilde: readonly string[] | readonly (readonly string[])[];
  readonly relative_gap: number | null;
  readonly direction_error: number | null;
  readonly eps: number | null;
  readonly delta: number | null;
  readonly log10_excess_loss: number | null;
  readonly log10_max_nonopt_attention: number | null;
  /** cumulative duals λ(t) = Λ(t)/‖AᵀΛ‖_∞ and late-window duals, per constraint */
  readonly lambda_cumulative?: readonly DualValue[] | null;
  readonly lambda_window?: readonly DualValue[] | null;
}

export interface ReportRun {
  /** e.g. "diag GF (mirror flow)" */
  readonly label: string;
  /** flow parameterization: r, diag, uv, kq, w */
  readonly param: string;
  /** the SVM this run is compared with */
  readonly norm: 'l1' | 'fro' | 'nuclear' | 'lp';
  readonly backend: string;
  readonly svm: {
    readonly objective: string;
    readonly w?: readonly string[];
    readonly W?: readonly (readonly string[])[];
    readonly duals: readonly DualValue[];
    readonly exact: boolean;
  };
  readonly checkpoints: readonly ReportCheckpoint[];
  readonly verdict?: { readonly claim: string; readonly verdict: 'consistent' | 'refuted' | 'inconclusive'; readonly reason: string };
  /** rate fits: name → { exponent, stderr, against } */
  readonly rates?: Readonly<Record<string, { readonly slope: number; readonly stderr: number; readonly against: string }>>;
  readonly seconds?: number;
}

export interface ReportData {
  readonly format: 'attnbias/report@1';
  readonly title: string;
  readonly generated: string;
  readonly dataset: { readonly name: string | null; readonly n: number; readonly d: number; readonly T: readonly number[] };
  readonly summary: readonly string[];
  readonly runs: readonly ReportRun[];
}
