import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { calibrate } from './calibration.ts';
import { type BenchFigure, type BenchSuite, formatMegabytes } from './suite.ts';
import { backtestThroughput } from './suites/backtest-throughput.ts';
import { coreThroughput } from './suites/core-throughput.ts';
import { embeddedStack } from './suites/embedded-stack.ts';

/** Every suite, in the order `npm run bench` runs them. */
const SUITES: readonly BenchSuite[] = [coreThroughput, backtestThroughput, embeddedStack];

const USAGE = `Usage: npm run bench [-- --only NAME[,NAME]] [--list] [--set KEY=VALUE]...
Suites: ${SUITES.map((suite) => suite.name).join(', ')} (each runs in its own process)
Sizes:  --set tainted=1000000 --set transfers=1000000   (core)
        --set rows=5000000 --set dataDir=DIR             (backtest; the export is generated once and reused)
        --set tainted=100000 --set alerts=40 --set background=20 --set confirmations=2 --set poll=200   (embedded)
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      list: { type: 'boolean' },
      set: { type: 'string', multiple: true },
      help: { type: 'boolean' },
      'quiet-header': { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    for (const suite of SUITES) process.stdout.write(`${suite.name}: ${suite.description}\n`);
    return 0;
  }
  const wanted = values.only?.split(',').map((name) => name.trim());
  const unknown = wanted?.filter((name) => !SUITES.some((suite) => suite.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const options: Record<string, string> = {};
  for (const pair of values.set ?? []) {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0) {
      process.stderr.write(`--set ${pair}: use KEY=VALUE\n`);
      return 2;
    }
    options[key] = rest.join('=');
  }

  const selected = SUITES.filter((candidate) => !wanted || wanted.includes(candidate.name));
  if (selected.length > 1) {
    // One process per suite: each suite's memory figures are its own, not the previous suite's heap.
    process.stdout.write(
      `laundering-alerts benchmarks: Node ${process.version}, ${process.platform}/${process.arch}, one thread\n`,
    );
    for (const suite of selected) {
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--only',
          suite.name,
          ...(values.set ?? []).flatMap((pair) => ['--set', pair]),
          '--quiet-header',
        ],
        { stdio: 'inherit' },
      );
      if (child.status !== 0) return child.status ?? 1;
    }
    return 0;
  }
  if (!values['quiet-header']) {
    process.stdout.write(
      `laundering-alerts benchmarks: Node ${process.version}, ${process.platform}/${process.arch}, one thread\n`,
    );
  }
  process.stdout.write('\n## calibration: fixed work, to compare machines and load between runs\n');
  process.stdout.write(table(calibrate()));
  for (const suite of selected) {
    process.stdout.write(`\n## ${suite.name}: ${suite.description}\n`);
    const figures = await suite.run({
      log: (message) => process.stderr.write(`  [${suite.name}] ${message}\n`),
      options,
    });
    process.stdout.write(table(figures));
  }
  process.stdout.write(
    `\npeak RSS of this process: ${formatMegabytes(process.resourceUsage().maxRSS * 1024)}\n`,
  );
  return 0;
}

function table(figures: readonly BenchFigure[]): string {
  const rows = figures.map((figure) => [
    figure.metric,
    figure.value,
    figure.target ?? '',
    figure.met === undefined ? '' : figure.met ? 'met' : 'MISSED',
  ]);
  const header = ['metric', 'value', 'target', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return `${[line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')}\n`;
}

process.exitCode = await main();
