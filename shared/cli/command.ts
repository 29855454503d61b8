import type { CliIo } from './cli-io.ts';

/**
 * One subcommand of `laundering-alerts`. Adding one (the HTTP API client commands, say) is a new module
 * exporting a CliCommand and one line in main.ts's list.
 */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text, printed by `--help` and after a usage error. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
