/**
 * The embedded stack as `npm start` runs it (startLocalStack: dynalite, fauxqs, the ingest and publish
 * loops, the SQS viewer), with a case of 100,000 tainted wallets, measured end to end:
 *   - alert latency: from the moment the block of a tainted transfer reaches confirmation depth (the
 *     node has just mined the block that makes it `confirmations` deep) to the alert's message being
 *     received from the SQS queue subscribed to the topic (the viewer's `receivedAt`);
 *   - JSON-RPC calls per block (a counting proxy sits between the stack and the node);
 *   - DynamoDB reads and writes per block of the ingester (the store's metrics port), and of the
 *     publisher per alert.
 * Every block carries strangers' traffic; one block in `1 + confirmations` carries one transfer from a
 * tainted wallet, alternately to a fresh wallet (FUNDS_MOVED) and to Binance's hot wallet
 * (EXCHANGE_DEPOSIT). Alerts are waited for one at a time, so latencies do not queue behind each other.
 *
 * The tainted wallets are preloaded through the store's wallet range session (load, then save: the
 * items the ingester itself writes), as of the block the ingester had committed, then the chain's taint
 * epoch is bumped so that the ingester reloads its tainted set, as it does when a seed is added.
 */
import { DEMO_COUNTERPARTIES } from '../../infra/local/demo/index.ts';
import { LOCAL_CHAIN, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';
import type { Address } from '../../shared/domain/address.ts';
import type { StoreMetrics, StoreUsage } from '../../shared/store/index.ts';
import { preloadTaintedWallets } from '../../test/e2e/support/tainted-wallets.ts';
import { syntheticAddress, TrafficMiner } from '../../test/e2e/support/traffic.ts';
import { type FaultyRpcProxy, startFaultyRpcProxy } from '../../test/helpers/faulty-rpc-proxy.ts';
import { type BenchFigure, type BenchSuite, formatCount } from '../suite.ts';

const ETH = 10n ** 18n;
const LATENCY_TARGET_MS = 1_000;
const READS = new Set(['GetItem', 'BatchGetItem', 'Query']);
const PUBLISHER_OPERATIONS = /^(pendingAlerts|markPublished)/;

/** Every DynamoDB request of the stack's store, as its metrics port reports them. */
class UsageLog implements StoreMetrics {
  usages: StoreUsage[] = [];
  record(usage: StoreUsage): void {
    this.usages.push(usage);
  }
  totals(filter: (usage: StoreUsage) => boolean) {
    const selected = this.usages.filter(filter);
    const reads = selected.filter((usage) => READS.has(usage.command));
    const writes = selected.filter((usage) => !READS.has(usage.command));
    return {
      readRequests: reads.length,
      itemsRead: reads.reduce((sum, usage) => sum + usage.itemsRead, 0),
      writeRequests: writes.length,
      itemsWritten: writes.reduce((sum, usage) => sum + usage.itemsWritten, 0),
    };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function callApi(api: string, path: string, body: unknown, key: string): Promise<{ id: string }> {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as { id: string };
}

export const embeddedStack: BenchSuite = {
  name: 'embedded',
  description:
    'npm start stack: alert latency confirmation -> SQS, RPC calls and DynamoDB reads/writes per block, 100,000 tainted wallets',
  async run({ log, options }) {
    const taintedCount = Number(options.tainted ?? 100_000);
    const alertCount = Number(options.alerts ?? 40);
    const background = Number(options.background ?? 20);
    const confirmations = Number(options.confirmations ?? 2);
    const pollIntervalMs = Number(options.poll ?? 200);

    const usage = new UsageLog();
    const arrivals = new Map<string, number>();
    const steps = { processed: 0, caughtUp: 0, blocks: 0 };
    const problems: string[] = [];
    let node: EthereumNode | undefined;
    let proxy: FaultyRpcProxy | undefined;
    let stack: LocalStack | undefined;
    try {
      node = await startEthereumNode();
      proxy = await startFaultyRpcProxy(node.url);
      stack = await startLocalStack({
        dataDir: null,
        fresh: true,
        ports: { rpc: 0, dynamodb: 0, snsSqs: 0, api: 0 },
        rpc: [{ chain: LOCAL_CHAIN, url: proxy.url }],
        localConfirmations: confirmations,
        pollIntervalMs,
        endpointsFile: null,
        tableName: 'laundering-alerts-bench',
        storeMetrics: usage,
        events: {
          onAlert: (notification, receivedAt) => {
            arrivals.set(notification.alert.txHash.toLowerCase(), receivedAt);
          },
          onIngestStep: (_chain, step) => {
            if (step.status === 'processed') {
              steps.processed += 1;
              steps.blocks += step.to - step.from + 1;
            } else if (step.status === 'caught-up') steps.caughtUp += 1;
          },
          onProblem: (what, error) => problems.push(`${what}: ${(error as Error)?.message ?? error}`),
        },
      });
      const seed = syntheticAddress(0x5eed0000, 1);
      const created = await callApi(
        stack.endpoints.api,
        '/cases',
        { name: 'Benchmark case', model: 'haircut', maxHops: 6 },
        'bench-case',
      );
      await callApi(
        stack.endpoints.api,
        `/cases/${created.id}/seeds`,
        { chain: LOCAL_CHAIN, address: seed },
        'bench-seed',
      );

      let committed = (await stack.store.getCheckpoint(LOCAL_CHAIN)).block;
      while (committed === null) {
        await sleep(50);
        committed = (await stack.store.getCheckpoint(LOCAL_CHAIN)).block;
      }
      const tainted = Array.from({ length: taintedCount }, (_, i) => syntheticAddress(0x7a1a7ed0, i));
      log(`preloading ${formatCount(taintedCount)} tainted wallets as of block ${committed}`);
      let started = performance.now();
      await preloadTaintedWallets(stack.store, created.id, seed, tainted, {
        asOfBlock: committed,
        taintedWei: 100n * ETH,
      });
      const preloadMs = performance.now() - started;
      const reloadsBefore = usage.usages.filter((entry) => entry.operation === 'loadTaintedAddresses').length;
      started = performance.now();
      await stack.store.bumpTaintEpoch(LOCAL_CHAIN);
      // The ingester reloads its tainted set at its next step.
      while (
        !usage.usages
          .slice(reloadsBefore)
          .some((entry) => entry.operation === 'loadTaintedAddresses' && entry.itemsRead > 0)
      )
        await sleep(20);
      let reloaded = usage.usages.filter((entry) => entry.operation === 'loadTaintedAddresses');
      // Wait for the whole set (queried a page at a time).
      for (;;) {
        const before = reloaded.length;
        await sleep(200);
        reloaded = usage.usages.filter((entry) => entry.operation === 'loadTaintedAddresses');
        if (reloaded.length === before) break;
      }
      const reloadMs = performance.now() - started;
      const reloadItems = reloaded.slice(reloadsBefore).reduce((sum, entry) => sum + entry.itemsRead, 0);
      log(`tainted set reloaded: ${formatCount(reloadItems)} addresses in ${reloadMs.toFixed(0)} ms`);

      const miner = new TrafficMiner(node.provider);
      await miner.fundWallets(tainted.slice(0, alertCount), 10n * ETH);
      // Warm-up: strangers funded, one block through the pipeline.
      await miner.mine({ unrelated: background, tainted: [] });
      await sleep(pollIntervalMs * 3);

      usage.usages = [];
      proxy.resetCounts();
      steps.processed = 0;
      steps.caughtUp = 0;
      steps.blocks = 0;
      const firstMeasured = (await miner.mine({ unrelated: background, tainted: [] })).blockNumber;
      const latencies: number[] = [];
      let missing = 0;
      log(
        `${alertCount} alerts, each block with ${background} strangers' transfers, ${confirmations} confirmations`,
      );
      for (let i = 0; i < alertCount; i++) {
        const to: Address =
          i % 4 === 3
            ? (DEMO_COUNTERPARTIES.binanceHotWallet.address as Address)
            : syntheticAddress(0xf4e54000, i);
        const mined = await miner.mine({
          unrelated: background,
          tainted: [{ from: tainted[i] as Address, to, value: ETH }],
        });
        const txHash = mined.taintedTxHashes[0] as string;
        for (let c = 0; c < confirmations; c++) await miner.mine({ unrelated: background, tainted: [] });
        const confirmedAt = Date.now();
        const deadline = confirmedAt + 10_000;
        while (!arrivals.has(txHash) && Date.now() < deadline) await sleep(2);
        const receivedAt = arrivals.get(txHash);
        if (receivedAt === undefined) missing += 1;
        else latencies.push(receivedAt - confirmedAt);
      }
      const lastMeasured = firstMeasured + alertCount * (1 + confirmations);
      // Let the ingester reach the last block before counting per block.
      while (((await stack.store.getCheckpoint(LOCAL_CHAIN)).block ?? 0) < lastMeasured - confirmations)
        await sleep(50);
      const blocks = steps.blocks;
      const rpcCalls = proxy.callCount();
      const byMethod = new Map<string, number>();
      for (const call of proxy.calls) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
      const ingester = usage.totals((entry) => !PUBLISHER_OPERATIONS.test(entry.operation));
      const walletLoads = usage.totals((entry) => entry.operation === 'walletRange.load');
      const publisher = usage.totals((entry) => PUBLISHER_OPERATIONS.test(entry.operation));

      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      const p95 = percentile(latencies, 95);
      const perBlock = (value: number) => (value / Math.max(1, blocks)).toFixed(2);
      const perAlert = (value: number) => (value / Math.max(1, latencies.length)).toFixed(2);
      const figures: BenchFigure[] = [
        { metric: 'tainted wallets in the case', value: formatCount(taintedCount) },
        { metric: 'preload (store wallet sessions)', value: `${(preloadMs / 1000).toFixed(1)} s` },
        {
          metric: 'tainted set reload by the ingester',
          value: `${formatCount(reloadItems)} addresses, ${reloadMs.toFixed(0)} ms`,
        },
        {
          metric: 'alerts measured (missing)',
          value: `${latencies.length} (${missing})`,
          target: `${alertCount} (0)`,
          met: missing === 0,
        },
        {
          metric: 'alert latency p50 (confirmation -> SQS)',
          value: `${p50.toFixed(0)} ms`,
        },
        {
          metric: 'alert latency p95 (confirmation -> SQS)',
          value: `${p95.toFixed(0)} ms`,
          target: `< ${LATENCY_TARGET_MS} ms`,
          met: p95 < LATENCY_TARGET_MS,
        },
        { metric: 'alert latency max', value: `${(latencies.at(-1) ?? Number.NaN).toFixed(0)} ms` },
        {
          metric: 'blocks processed (steps: processed / idle polls)',
          value: `${blocks} (${steps.processed} / ${steps.caughtUp})`,
        },
        {
          metric: 'transactions per block',
          value: `${background} strangers' + 1 tainted in ${1 + confirmations}`,
        },
        { metric: 'JSON-RPC calls per block (all, idle polls included)', value: perBlock(rpcCalls) },
        {
          metric: 'JSON-RPC calls by method',
          value: [...byMethod]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([method, count]) => `${method} ${count}`)
            .join(', '),
        },
        {
          metric: 'DynamoDB reads per block, ingester (requests / items)',
          value: `${perBlock(ingester.readRequests)} / ${perBlock(ingester.itemsRead)}`,
        },
        {
          metric: 'DynamoDB wallet reads per tainted transfer (requests / items)',
          value: `${perAlert(walletLoads.readRequests)} / ${perAlert(walletLoads.itemsRead)}`,
        },
        {
          metric: 'DynamoDB writes per block, ingester (requests / items)',
          value: `${perBlock(ingester.writeRequests)} / ${perBlock(ingester.itemsWritten)}`,
        },
        {
          metric: 'DynamoDB per alert, publisher (reads / writes)',
          value: `${perAlert(publisher.readRequests)} / ${perAlert(publisher.writeRequests)} (idle polls included)`,
        },
      ];
      if (problems.length > 0) log(`problems: ${problems.slice(0, 5).join('; ')}`);
      return figures;
    } finally {
      await stack?.stop();
      await proxy?.close();
      await node?.close();
    }
  },
};
