/**
 * Errors the CLI maps to exit codes (CONTRACT.md): 2 for bad input or usage, one line per problem and
 * no stack trace; 1 for an internal failure.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
