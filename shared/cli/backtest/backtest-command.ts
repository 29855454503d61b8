import { writeFileSync } from 'node:fs';
import { buildFlowGraph, flowGraphToDot, flowGraphToJson } from '../../domain/flow-graph.ts';
import { findExportFiles } from '../../etl/index.ts';
import { builtInLabels, builtInTokens, chainRegistry } from '../../labels/index.ts';
import { checksummed } from '../address-argument.ts';
import type { CliIo } from '../cli-io.ts';
import type { CliCommand } from '../command.ts';
import { CliInputError, EXIT_OK } from '../errors.ts';
import { BACKTEST_USAGE, parseBacktestOptions } from './backtest-options.ts';
import { formatBacktestReport, groupDigits } from './backtest-report.ts';
import { backtestCase, runBacktest } from './run-backtest.ts';
import { readSeedFile } from './seed-file.ts';

/**
 * Progress lines go to stderr only when it is a terminal: a person watching a long replay wants them,
 * while logs, pipes and CI would only collect noise. The closing summary line is always written.
 */
const PROGRESS_EVERY_MS = 3000;

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'replay a theft from an Ethereum-ETL export and report where the stolen funds went',
  usage: BACKTEST_USAGE,
  run: runBacktestCommand,
};

async function runBacktestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseBacktestOptions(args);
  const chain = chainRegistry.require(options.chain);
  const files = findExportFiles(options.data);
  const fromFile = options.seedFile ? await readSeedFile(options.seedFile, chain.name) : undefined;
  const allowList = builtInTokens();
  const caseDef = backtestCase(
    {
      chain: chain.name,
      seeds: [...options.seeds, ...(fromFile?.addresses ?? [])],
      incidents: fromFile?.incidents ?? [],
      model: options.model,
      maxHops: options.maxHops,
      tokens: options.tokens,
    },
    allowList,
  );
  // Layering the case's tokens on the allow-list refuses a token whose decimals contradict it.
  const tokens = allowList.withCaseTokens(caseDef.extraTokens);

  const progress = { rows: 0, blocks: 0, block: -1, transfers: 0 };
  const started = performance.now();
  let alertCount = 0;
  const timer = io.errIsTerminal
    ? setInterval(() => {
        const seconds = (performance.now() - started) / 1000;
        io.err(
          `backtest: block ${progress.block}, ${groupDigits(String(progress.rows))} rows ` +
            `(${groupDigits(String(Math.round(progress.rows / seconds)))} rows/s), ${alertCount} alerts\n`,
        );
      }, PROGRESS_EVERY_MS)
    : undefined;
  timer?.unref();

  let result: Awaited<ReturnType<typeof runBacktest>>;
  try {
    result = await runBacktest({
      caseDef,
      chain,
      files,
      tokens,
      labels: builtInLabels(),
      formatAddress: checksummed,
      keepEdges: options.graph !== undefined,
      progress,
      reorderWindow: options.reorderWindow,
      onAlert: (alert) => {
        alertCount++;
        if (options.format === 'jsonl') io.out(`${JSON.stringify(alert)}\n`);
      },
    });
  } finally {
    if (timer) clearInterval(timer);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;

  if (options.graph) {
    const graph = buildFlowGraph(result.tracer, result.edges, checksummed);
    const text = options.graph.format === 'dot' ? flowGraphToDot(graph) : flowGraphToJson(graph);
    try {
      writeFileSync(options.graph.file, text);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
      throw new CliInputError(`${options.graph.file}: cannot write the flow graph: ${reason}`);
    }
  }
  if (options.format === 'table') {
    io.out(
      formatBacktestReport(result, {
        caseDef,
        chain,
        data: options.data,
        elapsedSeconds,
        format: checksummed,
      }),
    );
  }
  io.err(
    `backtest: ${groupDigits(String(progress.rows))} rows, ${groupDigits(String(progress.blocks))} block${progress.blocks === 1 ? '' : 's'} in ` +
      `${elapsedSeconds.toFixed(1)} s; ${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'}, ` +
      `${result.tracer.ledger.size} tainted wallet${result.tracer.ledger.size === 1 ? '' : 's'}\n`,
  );
  return EXIT_OK;
}
