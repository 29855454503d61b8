import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import type { BackfillStep, IngestStep } from '../../shared/ingest/index.ts';
import { type FaultyRpcProxy, type ProxiedCall, startFaultyRpcProxy } from '../helpers/faulty-rpc-proxy.ts';
import { callApi, until } from '../helpers/http-api-client.ts';
import {
  callData,
  deployContract,
  fund,
  latestBlockNumber,
  type MinedTransaction,
  sendAs,
} from '../helpers/impersonated-sender.ts';
import { testContract } from '../helpers/solidity-compiler.ts';
import { type InstalledToken, installTokenAt, MAINNET_TOKENS } from '../helpers/token-at-address.ts';

const ETH = 10n ** 18n;
const USDC = 10n ** 6n;
// Fresh, unlabelled addresses for the thief's wallets; real mainnet labels for the custodians.
const SEED = '0x5eed00000000000000000000000000000000ba5e';
const A = '0xa00000000000000000000000000000000000ba5e';
const B = '0xb00000000000000000000000000000000000ba5e';
const C = '0xc00000000000000000000000000000000000ba5e';
const D = '0xd00000000000000000000000000000000000ba5e';
const E = '0xe00000000000000000000000000000000000ba5e';
const STRANGER = '0x57a4e62000000000000000000000000000000ba5';
const LOOKALIKE = '0xa00000000000000000000000000000000000ba5f';
const BINANCE_HOT_WALLET = '0x28c6c06298d514db089934071355e5743bf21d60';
const TORNADO_10_ETH = '0x910cbd523d972eb0a6f4cae4618ad62622b39dbf';
const CONFIRMATIONS = 2;
/** Quiet blocks between the theft's moves: a day on Ethereum is 7,200; 300 keeps the test quick. */
const GAP = 300;

interface BackfillView {
  readonly state: string;
  readonly fromBlock: number;
  readonly toBlock: number;
}
interface CaseView {
  readonly id: string;
  readonly backfill: readonly BackfillView[];
}
interface WalletView {
  readonly address: string;
  readonly hop: number;
  readonly holdings: readonly {
    readonly symbol: string;
    readonly taintedIn: string;
    readonly taintedHeld: string;
  }[];
}

/** The API over HTTP; answers are typed as far as this test reads them (the API tests check the schemas). */
const api = <T>(stack: LocalStack, method: string, path: string, body?: unknown) =>
  callApi<T>(stack.endpoints.api, method, path, body);

/** One by one: hardhat_mine of many blocks reports zero parent hashes for those in between. */
async function mineQuietBlocks(node: EthereumNode, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await node.provider.request({ method: 'evm_mine', params: [] });
}

/** A local stack watching the shared node through a proxy (which counts calls, and may answer trace_filter). */
interface Watcher {
  readonly name: string;
  readonly proxy: FaultyRpcProxy;
  readonly stack: LocalStack;
  readonly alerts: Alert[];
  readonly backfillSteps: Extract<BackfillStep, { status: 'backfilled' }>[];
  readonly problems: string[];
}

async function startWatcher(node: EthereumNode, name: string, emulateTraceFilter: boolean): Promise<Watcher> {
  const proxy = await startFaultyRpcProxy(node.url, { emulateTraceFilter });
  const alerts: Alert[] = [];
  const backfillSteps: Watcher['backfillSteps'] = [];
  const problems: string[] = [];
  const stack = await startLocalStack({
    dataDir: null,
    fresh: false,
    ports: { rpc: 0, dynamodb: 0, snsSqs: 0, api: 0 },
    // The embedded chain's name, so that it is ingested like the embedded node (from block 0, tracing
    // transaction by transaction), but through the proxy.
    rpc: [{ chain: 'local', url: proxy.url }],
    localConfirmations: CONFIRMATIONS,
    pollIntervalMs: 50,
    endpointsFile: null,
    tableName: `targeted-backfill-${name}`,
    events: {
      onAlert: (notification) => alerts.push(notification.alert),
      onIngestStep: (_chain, step: IngestStep | BackfillStep) => {
        if (step.status === 'backfilled') backfillSteps.push(step);
      },
      onProblem: (what, error) => problems.push(`${what}: ${(error as Error).message}`),
    },
  });
  return { name, proxy, stack, alerts, backfillSteps, problems };
}

/** An alert without what differs between two deployments (ids, case id and name). */
const comparable = (alert: Alert) =>
  `${alert.kind} ${alert.txHash} ${alert.position} ${alert.from}->${alert.to} ${alert.taintedAmount} ${alert.asset.symbol} hop ${alert.hop}`;

/** History blocks read by backfill: full blocks asked by number within the backfill's span. */
const historyBlocksRead = (calls: readonly ProxiedCall[], from: number, to: number) =>
  calls.filter((call) => {
    if (call.method !== 'eth_getBlockByNumber' || call.params[1] !== true) return false;
    const block = Number(call.params[0]);
    return Number.isInteger(block) && block >= from && block <= to;
  }).length;

const callsByMethod = (calls: readonly ProxiedCall[]) => {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
  return counts;
};

describe('targeted backfill: a long, mostly quiet history traced through the node indexes', () => {
  let node: EthereumNode;
  let targeted: Watcher;
  let scanned: Watcher;

  beforeAll(async () => {
    node = await startEthereumNode();
    // Both watch the same chain: one through a proxy answering trace_filter (as Erigon, Nethermind or
    // Reth would), one through a proxy that passes it on to Hardhat, which has none (the fallback).
    targeted = await startWatcher(node, 'targeted', true);
    scanned = await startWatcher(node, 'scanned', false);
  });
  afterAll(async () => {
    for (const watcher of [targeted, scanned]) {
      await watcher?.stack.stop();
      await watcher?.proxy.close();
    }
    await node?.close();
  });

  it('reads only the active blocks, finds what a scan finds, and hands over to live ingestion once', async () => {
    const provider = node.provider;
    await fund(provider, SEED, 100n * ETH);
    // Gas money, given before the wallets are tainted: the tracer never sees it.
    for (const wallet of [A, B, C, D, E, STRANGER]) await fund(provider, wallet, 1n * ETH);
    const usdc: InstalledToken = await installTokenAt(provider, {
      ...MAINNET_TOKENS.USDC,
      balances: { [SEED]: 100_000n * USDC },
    });
    const router = testContract('ValueRouter');
    const routerAddress = await deployContract(provider, STRANGER, router);

    // The theft's history, before anyone opens a case: a few moves, days apart.
    const txs: Record<string, MinedTransaction> = {};
    txs.seedToA = await sendAs(provider, { from: SEED, to: A, value: 10n * ETH });
    await mineQuietBlocks(node, GAP);
    txs.seedUsdcToA = await usdc.transfer(SEED, A, 50_000n * USDC);
    await mineQuietBlocks(node, GAP);
    // Noise the targeted search must not stop at: poisoning (a zero-amount Transfer from A) and strangers.
    txs.poisoning = await sendAs(provider, {
      from: STRANGER,
      to: usdc.address,
      data: callData(testContract('TestToken'), 'transferFrom', [A, LOOKALIKE, 0n]),
    });
    await sendAs(provider, { from: STRANGER, to: LOOKALIKE, value: ETH / 10n });
    await mineQuietBlocks(node, GAP);
    txs.sweep = await sendAs(provider, { from: A, to: BINANCE_HOT_WALLET, value: 5n * ETH });
    await mineQuietBlocks(node, GAP);
    // A peel in consecutive blocks: B, tainted in the first, moves on in the second through a contract
    // (internal transfers to C and D), and A pays E in USDC in the third. The planner only knows A here:
    // B's move is found by re-reading the range once B is tainted.
    txs.aToB = await sendAs(provider, { from: A, to: B, value: 2n * ETH });
    txs.split = await sendAs(provider, {
      from: B,
      to: routerAddress,
      value: 2n * ETH,
      data: callData(router, 'split', [C, D]),
    });
    txs.aUsdcToE = await usdc.transfer(A, E, 10_000n * USDC);
    await mineQuietBlocks(node, GAP);
    txs.mixer = await sendAs(provider, { from: C, to: TORNADO_10_ETH, value: 1n * ETH });
    await mineQuietBlocks(node, CONFIRMATIONS + 3);
    for (const [name, tx] of Object.entries(txs))
      if (!tx.succeeded) throw new Error(`scenario transaction ${name} failed`);
    expect([txs.aToB.blockNumber + 1, txs.aToB.blockNumber + 2]).toEqual([
      txs.split.blockNumber,
      txs.aUsdcToE.blockNumber,
    ]);
    const historyEnd = await latestBlockNumber(provider);

    const cases = new Map<Watcher, string>();
    for (const watcher of [targeted, scanned]) {
      await until(`${watcher.name}: live ingestion to pass the theft`, async () => {
        const checkpoint = await watcher.stack.store.getCheckpoint('local');
        return checkpoint.block !== null && checkpoint.block >= historyEnd - CONFIRMATIONS ? true : undefined;
      });
      expect(watcher.alerts).toEqual([]);
    }
    for (const watcher of [targeted, scanned]) {
      watcher.proxy.resetCounts();
      const opened = await api<CaseView>(watcher.stack, 'POST', '/cases', { name: 'Targeted backfill' });
      await api(watcher.stack, 'POST', `/cases/${opened.id}/seeds`, {
        chain: 'local',
        address: SEED,
        fromBlock: txs.seedToA.blockNumber,
      });
      cases.set(watcher, opened.id);
    }

    const progressOf = new Map<Watcher, BackfillView>();
    const callsDuringBackfill = new Map<Watcher, ProxiedCall[]>();
    for (const watcher of [targeted, scanned]) {
      const view = await until(`${watcher.name}: the backfill to be handed over`, async () => {
        const current = await api<CaseView>(watcher.stack, 'GET', `/cases/${cases.get(watcher)}`);
        return current.backfill[0]?.state === 'done' ? current : undefined;
      });
      callsDuringBackfill.set(watcher, [...watcher.proxy.calls]);
      progressOf.set(watcher, view.backfill[0] as BackfillView);
      expect(view.backfill[0]).toMatchObject({ fromBlock: txs.seedToA.blockNumber, state: 'done' });
    }

    // Meanwhile, live: D (tainted through the contract) deposits into the mixer.
    txs.live = await sendAs(provider, { from: D, to: TORNADO_10_ETH, value: ETH / 2n });
    await mineQuietBlocks(node, CONFIRMATIONS + 1);

    const expected = [
      { kind: 'FUNDS_MOVED', txHash: txs.seedToA.hash, to: A },
      { kind: 'EXCHANGE_DEPOSIT', txHash: txs.sweep.hash, to: BINANCE_HOT_WALLET },
      { kind: 'FUNDS_MOVED', txHash: txs.aToB.hash, to: B },
      { kind: 'FUNDS_MOVED', txHash: txs.split.hash, to: routerAddress },
      { kind: 'FUNDS_MOVED', txHash: txs.split.hash, to: C },
      { kind: 'FUNDS_MOVED', txHash: txs.split.hash, to: D },
      { kind: 'FUNDS_MOVED', txHash: txs.aUsdcToE.hash, to: E },
      { kind: 'MIXER_DEPOSIT', txHash: txs.mixer.hash, to: TORNADO_10_ETH },
      { kind: 'MIXER_DEPOSIT', txHash: txs.live.hash, to: TORNADO_10_ETH },
    ].map((alert) => `${alert.kind} ${alert.txHash} ${alert.to}`);
    const wallets = new Map<Watcher, WalletView[]>();
    for (const watcher of [targeted, scanned]) {
      await until(`${watcher.name}: the alerts`, () =>
        watcher.alerts.length >= expected.length ? true : undefined,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up
    for (const watcher of [targeted, scanned]) {
      const ofCase = watcher.alerts.filter((alert) => alert.caseId === cases.get(watcher));
      expect(ofCase.length, watcher.name).toBe(watcher.alerts.length);
      expect(
        ofCase.map((alert) => `${alert.kind} ${alert.txHash} ${alert.to.toLowerCase()}`).sort(),
        watcher.name,
      ).toEqual([...expected].sort());
      const deposit = ofCase.find((alert) => alert.kind === 'EXCHANGE_DEPOSIT');
      expect(deposit?.depositAddress?.toLowerCase()).toBe(A);
      const listed = await api<{ items: WalletView[] }>(
        watcher.stack,
        'GET',
        `/cases/${cases.get(watcher)}/wallets?chain=local&limit=100`,
      );
      wallets.set(
        watcher,
        listed.items
          // What the trace decided; not when it was written.
          .map(({ address, hop, holdings }) => ({ address: address.toLowerCase(), hop, holdings }))
          .sort((x, y) => x.address.localeCompare(y.address)),
      );
      expect(watcher.problems, watcher.name).toEqual([]);
    }

    // The same trace either way: alerts (amounts, hops, positions) and wallets.
    expect(targeted.alerts.map(comparable).sort()).toEqual(scanned.alerts.map(comparable).sort());
    expect(wallets.get(targeted)).toEqual(wallets.get(scanned));
    // No gap or double count at the hand-over: D got 1 tainted ETH in history and sent half of it live;
    // A got 10 ETH and 50,000 USDC, and sent 5 + 2 ETH and 10,000 USDC on.
    const holding = (address: string, symbol: string) =>
      wallets
        .get(targeted)
        ?.find((wallet) => wallet.address === address)
        ?.holdings.find((entry) => entry.symbol === symbol);
    expect(holding(D, 'ETH')).toMatchObject({ taintedIn: '1', taintedHeld: '0.5' });
    expect(holding(A, 'ETH')).toMatchObject({ taintedIn: '10', taintedHeld: '3' });
    expect(holding(A, 'USDC')).toMatchObject({ taintedIn: '50000', taintedHeld: '40000' });

    // What it cost: the scan read every block of the history, the targeted backfill a handful.
    const span = progressOf.get(targeted) as BackfillView;
    const spanBlocks = span.toBlock - span.fromBlock + 1;
    const scannedSpan = progressOf.get(scanned) as BackfillView;
    const readByTargeted = historyBlocksRead(
      callsDuringBackfill.get(targeted) ?? [],
      span.fromBlock,
      span.toBlock,
    );
    const readByScan = historyBlocksRead(
      callsDuringBackfill.get(scanned) ?? [],
      scannedSpan.fromBlock,
      scannedSpan.toBlock,
    );
    expect(spanBlocks).toBeGreaterThan(5 * GAP);
    expect(readByScan).toBeGreaterThanOrEqual(scannedSpan.toBlock - scannedSpan.fromBlock + 1);
    expect(readByTargeted).toBeLessThanOrEqual(20);
    expect(targeted.backfillSteps.every((step) => step.search === 'targeted')).toBe(true);
    expect(scanned.backfillSteps.every((step) => step.search === 'scan')).toBe(true);
    // Each quiet span was recorded as done in one step, with the active blocks after it: steps cover more
    // blocks than any range could, and their number follows the theft's moves, not the history's length.
    const stepsCovering = targeted.backfillSteps.filter((step) => step.to - step.from + 1 > GAP);
    expect(stepsCovering.length).toBeGreaterThanOrEqual(4);
    expect(targeted.backfillSteps.length).toBeLessThanOrEqual(10);
    // The figures, for the record (bench/ measures time; this is about calls).
    console.log(
      JSON.stringify({
        historyBlocks: spanBlocks,
        targeted: {
          blocksRead: readByTargeted,
          blocksInRanges: targeted.backfillSteps.reduce((sum, step) => sum + step.blocksRead, 0),
          steps: targeted.backfillSteps.map((step) => `${step.from}-${step.to}: ${step.blocksRead} read`),
          calls: callsByMethod(callsDuringBackfill.get(targeted) ?? []),
        },
        scanned: {
          blocksRead: readByScan,
          steps: scanned.backfillSteps.length,
          calls: callsByMethod(callsDuringBackfill.get(scanned) ?? []),
        },
      }),
    );
  });
});
