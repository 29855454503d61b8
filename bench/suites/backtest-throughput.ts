import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { backtestCase, runBacktest } from '../../shared/cli/backtest/run-backtest.ts';
import { findExportFiles } from '../../shared/etl/index.ts';
import { builtInTokens, chainRegistry, loadBuiltInLabels } from '../../shared/labels/index.ts';
import { etlDataset } from '../etl-dataset.ts';
import { MemorySampler, sampleAt } from '../memory-sampler.ts';
import { type BenchFigure, type BenchSuite, formatCount, formatMegabytes } from '../suite.ts';
import { MAINNET } from '../synthetic-chain.ts';

const TARGET_ROWS_PER_SECOND = 300_000;

/**
 * The backtest pipeline of `laundering-alerts backtest` (runBacktest: ETL readers, block merge,
 * tracer) over a generated export of at least 5,000,000 rows, with memory sampled every 250 ms.
 */
export const backtestThroughput: BenchSuite = {
  name: 'backtest',
  description: 'rows/s of the backtest over a generated Ethereum-ETL export of >= 5,000,000 rows',
  async run({ log, options }) {
    const minimumRows = Number(options.rows ?? 5_000_000);
    const root = options.dataDir ?? join(tmpdir(), 'laundering-alerts-bench');
    const dataset = await etlDataset(root, minimumRows, log);
    const chain = chainRegistry.require('ethereum');
    const tokens = builtInTokens();
    const caseDef = backtestCase(
      { chain: 'ethereum', seeds: [MAINNET.seed], incidents: [], model: 'haircut', maxHops: 6, tokens: [] },
      tokens,
    );
    const progress = { rows: 0, blocks: 0, block: -1, transfers: 0 };
    log(`replaying ${formatCount(dataset.rows)} rows`);
    const sampler = new MemorySampler(() => progress.rows);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await runBacktest({
      caseDef,
      chain,
      files: findExportFiles(dataset.directory),
      tokens,
      labels: loadBuiltInLabels(),
      formatAddress: getAddress,
      progress,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const samples = sampler.stop();
    const perSecond = progress.rows / seconds;
    const at = (fraction: number) => sampleAt(samples, progress.rows, fraction);
    const rssAt = (fraction: number) => formatMegabytes(at(fraction)?.rss ?? 0);
    const heapAt = (fraction: number) => formatMegabytes(at(fraction)?.heapUsed ?? 0);
    const peakRss = Math.max(...samples.map((sample) => sample.rss));
    const peakHeap = Math.max(...samples.map((sample) => sample.heapUsed));
    return [
      { metric: 'rows (transactions + token transfers + traces)', value: formatCount(progress.rows) },
      {
        metric: 'input size',
        value: `${(dataset.bytes / 1e9).toFixed(2)} GB in ${formatCount(dataset.blocks)} blocks`,
      },
      {
        metric: 'transfers traced, alerts, tainted wallets',
        value: `${formatCount(progress.transfers)}, ${result.alerts.length}, ${result.tracer.ledger.size}`,
      },
      { metric: 'elapsed', value: `${seconds.toFixed(1)} s` },
      {
        metric: 'rows/s',
        value: formatCount(perSecond),
        target: `>= ${formatCount(TARGET_ROWS_PER_SECOND)}`,
        met: perSecond >= TARGET_ROWS_PER_SECOND,
      },
      {
        metric: 'rows per CPU second (user + system: less sensitive to neighbours)',
        value: formatCount(progress.rows / cpuSeconds),
        target: `>= ${formatCount(TARGET_ROWS_PER_SECOND)}`,
        met: progress.rows / cpuSeconds >= TARGET_ROWS_PER_SECOND,
      },
      { metric: 'input MB/s', value: (dataset.bytes / 1e6 / seconds).toFixed(0) },
      {
        metric: 'RSS at 10% / 50% / 90% of rows',
        value: `${rssAt(0.1)} / ${rssAt(0.5)} / ${rssAt(0.9)}`,
        target: 'flat',
      },
      {
        metric: 'heap used at 10% / 50% / 90% of rows',
        value: `${heapAt(0.1)} / ${heapAt(0.5)} / ${heapAt(0.9)}`,
        target: 'flat',
      },
      {
        metric: 'RSS / heap peak during the replay',
        value: `${formatMegabytes(peakRss)} / ${formatMegabytes(peakHeap)}`,
      },
      { metric: 'memory samples', value: String(samples.length) },
    ] satisfies BenchFigure[];
  },
};
