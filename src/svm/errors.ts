/** Typed errors of the SVM entry point (SPEC.md §3, §5). */

/** Assumption 1(a) fails (one class for the whole toolkit, defined with the data checks). */
export { TiedOptimalTokenError } from '../model/assumptions.js';

/** A norm/structure combination the toolkit does not solve (e.g. l1 with structure "full"). */
export class UnsupportedSvmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSvmError';
  }
}
