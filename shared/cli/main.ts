import { type CliIo, processIo } from './cli-io.ts';
import type { CliCommand } from './command.ts';
import { CliInputError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, UsageError } from './errors.ts';

/**
 * A command as the dispatcher lists it. Its name and summary are written here so that the list costs
 * nothing; its module is imported only when the command runs (or shows its usage): the API commands
 * bring the AWS SDK's signing code, the backtest the ETL readers, labels and ethers, and a user running
 * one should not wait for Node to compile the others. test/cli/commands.test.ts checks that each
 * summary is the module's own.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

/** One of the HTTP API commands, which share their module. */
function apiCommand(name: string, summary: string): CommandEntry {
  return {
    name,
    summary,
    load: async () => {
      const { apiCommands } = await import('./api/commands.ts');
      const command = apiCommands.find((candidate) => candidate.name === name);
      if (!command) throw new Error(`the API commands module has no ${name} command`);
      return command;
    },
  };
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'backtest',
    summary: 'replay a theft from an Ethereum-ETL export and report where the stolen funds went',
    load: async () => (await import('./backtest/backtest-command.ts')).backtestCommand,
  },
  apiCommand('cases', 'list, show, create, update or close cases (HTTP API)'),
  apiCommand('seeds', 'add, list or remove seed wallets of a case (HTTP API)'),
  apiCommand('wallets', 'tainted wallets of a case (HTTP API)'),
  apiCommand('alerts', 'alerts of a case (HTTP API)'),
  apiCommand('graph', 'flow graph of a case, as a summary, JSON or Graphviz DOT (HTTP API)'),
];

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
    if (topic) return showUsage(topic, io);
    (name === undefined ? io.err : io.out)(overview());
    return name === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.err(`laundering-alerts: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) return showUsage(entry, io);
  let command: CliCommand | undefined;
  try {
    command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, entry.name, command?.usage ?? '', io);
  }
}

async function showUsage(entry: CommandEntry, io: CliIo): Promise<number> {
  try {
    io.out((await entry.load()).usage);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, entry.name, '', io);
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

function reportFailure(error: unknown, name: string, usage: string, io: CliIo): number {
  const prefix = `laundering-alerts ${name}`;
  if (error instanceof UsageError) {
    io.err(`${prefix}: ${error.message}\n\n${usage}`);
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
