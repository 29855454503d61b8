/** Where a command writes; a port so that tests and benchmarks can capture output without a process. */
export interface CliIo {
  /** Results only (alert lines, the report): what a pipe downstream consumes. */
  readonly out: (text: string) => void;
  /** Messages, progress and errors. */
  readonly err: (text: string) => void;
  /** Progress lines only make sense to a person watching a terminal. */
  readonly errIsTerminal: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTerminal: process.stderr.isTTY === true,
    env: process.env,
  };
}
