/**
 * What a block costs the ingester, counted (not timed) on the real servers:
 *   - JSON-RPC calls per block do not depend on how many wallets a case has tainted (10 vs 10,000,
 *     the same blocks read through a counting proxy);
 *   - DynamoDB reads per block follow the transfers that touch a tainted wallet, not all transfers
 *     (three times the strangers' traffic costs nothing more; twice the tainted transfers cost twice
 *     the wallet reads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainIngester, IngestStep } from '../../shared/ingest/index.ts';
import { createChainIngester } from '../../shared/runtime/chain-ingester-factory.ts';
import type { StoreMetrics, StoreUsage } from '../../shared/store/index.ts';
import { type FaultyRpcProxy, startFaultyRpcProxy } from '../helpers/faulty-rpc-proxy.ts';
import { latestBlockNumber } from '../helpers/impersonated-sender.ts';
import {
  type EmbeddedServers,
  LOCAL_CHAIN,
  newStore,
  openCase,
  startEmbeddedServers,
} from './support/pipeline.ts';
import { preloadTaintedWallets } from './support/tainted-wallets.ts';
import { syntheticAddress, TrafficMiner } from './support/traffic.ts';

const ETH = 10n ** 18n;
const SEED = syntheticAddress(0x5eed5eed, 0);
const TAINTED = (i: number) => syntheticAddress(0x7a1a7ed0, i);
const FRESH = (i: number) => syntheticAddress(0xf4e54000, i);
const ACTIVE = 10;

const READS = new Set(['GetItem', 'BatchGetItem', 'Query']);

/** Every DynamoDB request of a store, by command: what the store's metrics port reports. */
class UsageLog implements StoreMetrics {
  readonly usages: StoreUsage[] = [];
  record(usage: StoreUsage): void {
    this.usages.push(usage);
  }
  reset(): void {
    this.usages.length = 0;
  }
  get reads(): { requests: number; items: number } {
    const reads = this.usages.filter((usage) => READS.has(usage.command));
    return { requests: reads.length, items: reads.reduce((sum, usage) => sum + usage.itemsRead, 0) };
  }
  of(operation: string): { requests: number; items: number } {
    const matching = this.usages.filter((usage) => usage.operation === operation);
    return {
      requests: matching.length,
      items: matching.reduce((sum, usage) => sum + usage.itemsRead + usage.itemsWritten, 0),
    };
  }
}

describe('cost per block at the ingester', () => {
  let servers: EmbeddedServers;
  let proxy: FaultyRpcProxy;
  let miner: TrafficMiner;
  let firstBlock: number;
  let fresh = 0;
  const runs = new Map<string, { ingester: ChainIngester; usage: UsageLog; rpcCalls: Map<string, number> }>();

  const taintedTransfers = (wallets: readonly number[]) =>
    wallets.map((i) => ({ from: TAINTED(i), to: FRESH(fresh++), value: ETH / 4n }));

  const callsByMethod = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const call of proxy.calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  };

  const untilCaughtUp = async (ingester: ChainIngester): Promise<IngestStep[]> => {
    const steps: IngestStep[] = [];
    for (;;) {
      const step = await ingester.step();
      steps.push(step);
      if (step.status === 'caught-up') return steps;
    }
  };

  beforeAll(async () => {
    servers = await startEmbeddedServers();
    proxy = await startFaultyRpcProxy(servers.node.url);
    miner = new TrafficMiner(servers.node.provider);
    await miner.fundWallets(
      Array.from({ length: ACTIVE }, (_, i) => TAINTED(i)),
      100n * ETH,
    );
    firstBlock = (await latestBlockNumber(servers.node.provider)) + 1;

    for (const [name, count] of [
      ['few', 10],
      ['many', 10_000],
    ] as const) {
      const usage = new UsageLog();
      const { store } = await newStore(servers.dynamo.endpoint, name, usage);
      await openCase(store, name, [SEED]);
      await preloadTaintedWallets(
        store,
        name,
        SEED,
        Array.from({ length: count }, (_, i) => TAINTED(i)),
        { asOfBlock: firstBlock - 1, taintedWei: 100n * ETH },
      );
      const { ingester } = createChainIngester(
        {
          chain: LOCAL_CHAIN,
          rpcUrls: [proxy.url],
          tracing: 'transaction',
          finality: { confirmations: 0 },
          maxBlocksPerRange: 20,
          startBlock: firstBlock,
        },
        store,
      );
      runs.set(name, { ingester, usage, rpcCalls: new Map() });
    }

    // The same four blocks for both cases: strangers' traffic, and three of the active wallets each.
    for (let b = 0; b < 4; b++) {
      await miner.mine({
        unrelated: 40,
        tainted: taintedTransfers([(b * 3) % ACTIVE, (b * 3 + 1) % ACTIVE, (b * 3 + 2) % ACTIVE]),
      });
    }
    for (const run of runs.values()) {
      run.usage.reset();
      proxy.resetCounts();
      await untilCaughtUp(run.ingester);
      run.rpcCalls = callsByMethod();
    }
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await servers?.close();
  });

  it('10,000 tainted wallets cost the same JSON-RPC calls as 10, method by method', () => {
    const few = runs.get('few');
    const many = runs.get('many');
    // The big case really did load its 10,000 wallets into the watched set.
    expect(many?.usage.of('loadTaintedAddresses').items).toBe(10_000);
    expect(few?.usage.of('loadTaintedAddresses').items).toBe(10);
    expect(many?.rpcCalls.get('eth_getBlockByNumber')).toBeGreaterThanOrEqual(4);
    expect(many?.rpcCalls.get('debug_traceTransaction')).toBeGreaterThanOrEqual(12);
    expect(many?.rpcCalls).toEqual(few?.rpcCalls);
  });

  it('and the same wallet reads: only the wallets of the tainted transfers', () => {
    const few = runs.get('few') as { usage: UsageLog };
    const many = runs.get('many') as { usage: UsageLog };
    expect(many.usage.of('walletRange.load')).toEqual(few.usage.of('walletRange.load'));
    expect(many.usage.of('walletRange.load').items).toBeGreaterThanOrEqual(12);
  });

  it("DynamoDB reads follow the transfers that touch tainted wallets, not the strangers' traffic", async () => {
    const { ingester, usage } = runs.get('many') as { ingester: ChainIngester; usage: UsageLog };
    const measure = async (unrelated: number, wallets: number[]) => {
      usage.reset();
      proxy.resetCounts();
      const mined = await miner.mine({ unrelated, tainted: taintedTransfers(wallets) });
      const step = await ingester.step();
      expect(step).toMatchObject({ status: 'processed', from: mined.blockNumber, to: mined.blockNumber });
      return {
        reads: usage.reads,
        walletReads: usage.of('walletRange.load'),
        walletKeys: step.status === 'processed' ? step.walletsRead : -1,
        rpc: callsByMethod(),
      };
    };
    const quiet = await measure(60, []);
    const three = await measure(60, [0, 1, 2]);
    const threeInBusierBlock = await measure(180, [3, 4, 5]);
    const six = await measure(60, [0, 1, 2, 3, 4, 5]);

    // No tainted transfer: the checkpoint is all that is read.
    expect(quiet.walletReads.requests).toBe(0);
    expect(quiet.reads).toEqual({ requests: 1, items: 1 });
    // Three times the strangers' transfers: not one read more, not one RPC call more.
    expect(threeInBusierBlock.reads).toEqual(three.reads);
    expect(threeInBusierBlock.walletKeys).toBe(three.walletKeys);
    expect(threeInBusierBlock.rpc).toEqual(three.rpc);
    // Twice the tainted transfers: twice the wallets read.
    expect(three.walletKeys).toBeGreaterThan(0);
    expect(six.walletKeys).toBe(2 * three.walletKeys);
    expect(six.walletReads.items).toBe(2 * three.walletReads.items);
  });
});
