import { apiCommands } from './api/index.ts';
import { backtestCommand } from './backtest/backtest-command.ts';
import { type CliIo, processIo } from './cli-io.ts';
import type { CliCommand } from './command.ts';
import { CliInputError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, UsageError } from './errors.ts';

export const COMMANDS: readonly CliCommand[] = [backtestCommand, ...apiCommands];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: laundering-alerts <command> [options]',
    '',
    'Follows stolen funds hop by hop and alerts when they reach an exchange, a mixer or a bridge.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `laundering-alerts <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/**
 * The `laundering-alerts` program: picks the command, runs it, and turns failures into exit codes:
 * 0 done, 2 bad input or usage (one line naming the file, line and problem; never a stack trace),
 * 1 a bug.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    (name === undefined ? io.err : io.out)(topic ? topic.usage : overview());
    return name === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`laundering-alerts: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, command, io);
  }
}

/** User mistakes carry a name (our error classes and the adapters'); anything else is a bug. */
const INPUT_ERRORS = new Set([
  'EtlInputError',
  'CsvSyntaxError',
  'UnknownLayoutError',
  'InvalidFieldError',
  'BlockOrderError',
  'InconsistentExportError',
  'UnknownChainError',
  'InvalidTokenError',
  'TokenConflictError',
  'InvalidAddressError',
]);

function reportFailure(error: unknown, command: CliCommand, io: CliIo): number {
  const prefix = `laundering-alerts ${command.name}`;
  if (error instanceof UsageError) {
    io.err(`${prefix}: ${error.message}\n\n${command.usage}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof CliInputError || (error instanceof Error && INPUT_ERRORS.has(error.name))) {
    io.err(`${prefix}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`${prefix}: internal error: ${message}\n`);
  if (io.env.LAUNDERING_ALERTS_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  else io.err('(set LAUNDERING_ALERTS_DEBUG=1 to see the stack trace, and please report it)\n');
  return EXIT_INTERNAL;
}
