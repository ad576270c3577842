/** Typed errors of the SVM entry point (SPEC.md §3, §5). */

/** Assumption 1(a) fails: some samples have more than one token of maximal score γ_{i,t}. */
export class TiedOptimalTokenError extends Error {
  /** the samples with tied maximizers, and the tied token indices */
  readonly ties: readonly { readonly i: number; readonly tokens: readonly number[] }[];
  constructor(ties: readonly { i: number; tokens: readonly number[] }[]) {
    super(`Assumption 1(a) fails: tied optimal tokens in ${ties.length} sample(s): ` +
      ties.slice(0, 10).map((t) => `samples[${t.i}] tokens ${t.tokens.join(',')}`).join('; ') + (ties.length > 10 ? '; …' : ''));
    this.name = 'TiedOptimalTokenError';
    this.ties = ties;
  }
}

/** A norm/structure combination the toolkit does not solve (e.g. l1 with structure "full"). */
export class UnsupportedSvmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSvmError';
  }
}
