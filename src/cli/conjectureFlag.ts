/** The --conjecture FILE flag of `verify` and `sweep`: load and check the module, a usage error (exit 2) if it does not load. */
import { type Conjecture, ConjectureError, loadConjecture } from '../claims/conjecture.js';
import { UsageError } from './errors.js';

export async function conjectureFlag(file: string): Promise<Conjecture> {
  try {
    return await loadConjecture(file);
  } catch (e) {
    if (e instanceof ConjectureError) throw new UsageError(`--conjecture ${e.message}`);
    throw e;
  }
}

/** `verify` and `sweep` take exactly one of --claim ID and --conjecture FILE. */
export function requireClaimOrConjecture(flags: { readonly claim?: unknown; readonly conjecture?: unknown }): void {
  if ((flags.claim === undefined) === (flags.conjecture === undefined)) throw new UsageError('give exactly one of --claim ID or --conjecture FILE');
}
