/**
 * Failures the user can fix, shown as one line on stderr with exit code 2. Anything else is a bug and
 * exits 1 (its stack only with LAUNDERING_ALERTS_DEBUG=1).
 */

/** Flags that cannot be understood: the command prints the message and its usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that was understood but is wrong (a bad seed file line, an unwritable graph path...). */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliInputError';
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
