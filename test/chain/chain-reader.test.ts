import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';
import {
  ChainConfigError,
  ChainIdMismatchError,
  ChainReader,
  type ChainReaderConfig,
  InvalidBlockRangeError,
} from '../../shared/chain/index.ts';
import type { Transfer } from '../../shared/domain/transfer.ts';
import { type FaultyRpcProxy, startFaultyRpcProxy } from '../helpers/faulty-rpc-proxy.ts';
import { latestBlockNumber, sendAs } from '../helpers/impersonated-sender.ts';
import {
  type ExpectedTransfer,
  PARTIES,
  playValueMoves,
  type ValueMovesScenario,
} from './value-moves-scenario.ts';

function shape(transfers: readonly Transfer[]): ExpectedTransfer[] {
  return transfers.map((t) => ({
    tx: t.txHash,
    position: t.position,
    from: t.from,
    to: t.to,
    asset: t.asset,
    amount: t.amount,
    kind: t.kind,
  }));
}

function byTxAndPosition(a: ExpectedTransfer, b: ExpectedTransfer): number {
  return a.tx === b.tx ? a.position.localeCompare(b.position) : a.tx.localeCompare(b.tx);
}

describe('chain reader on the embedded Ethereum node', () => {
  let node: EthereumNode;
  let scenario: ValueMovesScenario;
  let config: ChainReaderConfig;
  const watched = new Set<string>([PARTIES.thief]);

  beforeAll(async () => {
    node = await startEthereumNode();
    scenario = await playValueMoves(node);
    watched.add(scenario.account);
    config = { chain: 'ethereum-local', chainId: node.chainId, rpcUrls: [node.url], tracing: 'block' };
  });
  afterAll(async () => {
    await node?.close();
  });

  const scope = () => ({ tokens: [scenario.usdc.address], watched });

  it('reads native, token and internal transfers of the transactions that touch watched addresses', async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());

    expect(read.complete).toBe(true);
    expect(read.unreadable).toBeUndefined();
    expect(read.readThrough).toBe(scenario.toBlock);
    expect(shape(read.transfers).sort(byTxAndPosition)).toEqual(
      [...scenario.expectedForWatched].sort(byTxAndPosition),
    );
  });

  it('normalizes: chain name, lowercase addresses, bigint amounts, block time and chain order', async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const timeOf = new Map(read.blocks.map((block) => [block.number, block.timestamp]));
    for (const transfer of read.transfers) {
      expect(transfer.chain).toBe('ethereum-local');
      expect(transfer.from).toMatch(/^0x[0-9a-f]{40}$/);
      expect(transfer.to).toMatch(/^0x[0-9a-f]{40}$/);
      expect(typeof transfer.amount).toBe('bigint');
      expect(transfer.blockTime).toBe(timeOf.get(transfer.blockNumber));
      expect(transfer.txIndex).toBe(0);
    }
    const order = read.transfers.map((t) => `${t.blockNumber}:${t.position}`);
    const blocksInOrder = read.transfers.map((t) => t.blockNumber);
    expect(blocksInOrder).toEqual([...blocksInOrder].sort((a, b) => a - b));
    expect(order.indexOf(`${scenario.txs.nested?.blockNumber}:tx`)).toBeLessThan(
      order.indexOf(`${scenario.txs.nested?.blockNumber}:call:0.0`),
    );
  });

  it('gives a failed transaction and a reverted inner call no value', async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const failed = scenario.txs.failedPayment?.hash;
    const swallowed = scenario.txs.swallowedRevert?.hash;
    expect(read.transfers.filter((t) => t.txHash === failed)).toEqual([]);
    // Only the transaction's own value into the router; the reverted call to PayThenRevert and its payment to dave are gone.
    expect(read.transfers.filter((t) => t.txHash === swallowed).map((t) => t.position)).toEqual(['tx']);
    expect(read.transfers.some((t) => t.to === PARTIES.dave)).toBe(false);
  });

  it('counts no transfer for the delegate call itself, only for the calls the delegated code made', async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const delegated = read.transfers.filter((t) => t.txHash === scenario.txs.delegated?.hash);
    expect(delegated.map((t) => [t.position, t.from, t.to])).toEqual([
      ['tx', PARTIES.thief, scenario.routerA],
      ['call:0.0', scenario.routerA, PARTIES.bob],
      ['call:0.1', scenario.routerA, PARTIES.carol],
    ]);
  });

  it("ignores a spoofed token's Transfer logs: only the given tokens are read", async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    expect(read.transfers.filter((t) => t.kind === 'erc20').map((t) => t.asset)).toEqual([
      scenario.usdc.address,
    ]);
    const withSpoof = await reader.readRange(scenario.fromBlock, scenario.toBlock, {
      tokens: [scenario.usdc.address, scenario.spoof],
      watched,
    });
    // Asked for explicitly, the spoofed log is read like any other: filtering untrusted tokens is the caller's job.
    expect(withSpoof.transfers.filter((t) => t.asset === scenario.spoof)).toHaveLength(1);
  });

  it('traces a transaction that only a log ties to a watched address (a relayed smart account)', async () => {
    const reader = new ChainReader(config);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const relayed = read.transfers.filter((t) => t.txHash === scenario.txs.relayed?.hash);
    expect(relayed.map((t) => [t.position, t.from, t.to, t.amount])).toEqual([
      ['call:0.0', scenario.account, PARTIES.frank, 10n ** 18n],
    ]);
    // Without the log check it would be missed: the bundler and the router are not watched.
    expect(watched.has(PARTIES.bundler) || watched.has(scenario.routerA)).toBe(false);
  });

  it('traces only transactions that can move tainted value, and all of them without a watched set', async () => {
    const reader = new ChainReader(config);
    await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const tracedWithWatch = reader.rpcStats.callsByMethod.get('debug_traceTransaction') ?? 0;
    const traceableTxs = Object.keys(scenario.txs).filter((name) => !name.startsWith('stranger')).length;
    expect(tracedWithWatch).toBe(traceableTxs);

    const everything = new ChainReader(config);
    const read = await everything.readRange(scenario.fromBlock, scenario.toBlock, {
      tokens: [scenario.usdc.address],
    });
    expect(everything.rpcStats.callsByMethod.get('debug_traceTransaction')).toBe(
      Object.keys(scenario.txs).length,
    );
    expect(shape(read.transfers).sort(byTxAndPosition)).toEqual(
      [...scenario.expectedForWatched, ...scenario.expectedForStrangers].sort(byTxAndPosition),
    );
  });

  it('traces whole blocks when the chain config asks, still reading native value only in scope', async () => {
    const reader = new ChainReader({ ...config, traceWholeBlocks: true });
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const strangerSplit = read.transfers.filter((t) => t.txHash === scenario.txs.strangerSplit?.hash);
    expect(strangerSplit.map((t) => t.position)).toEqual(['call:0', 'call:1']);
    expect(reader.rpcStats.callsByMethod.get('debug_traceTransaction')).toBe(
      Object.keys(scenario.txs).length,
    );
  });

  it('reads no internal transfers and makes no trace call with tracing off', async () => {
    const reader = new ChainReader({ ...config, tracing: 'off' });
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    expect(read.transfers.filter((t) => t.kind === 'internal')).toEqual([]);
    expect(read.transfers.filter((t) => t.kind !== 'internal')).toHaveLength(
      scenario.expectedForWatched.filter((t) => t.kind !== 'internal').length,
    );
    expect([...reader.rpcStats.callsByMethod.keys()].filter((method) => method.startsWith('debug_'))).toEqual(
      [],
    );
  });

  it('detects once that the node lacks block tracing and block receipts, then uses per-transaction calls', async () => {
    const reader = new ChainReader(config);
    expect(reader.tracingInUse).toBe('block');
    const first = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    const second = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    expect(reader.tracingInUse).toBe('transaction');
    expect(reader.rpcStats.callsByMethod.get('debug_traceBlockByNumber')).toBe(1);
    expect(reader.rpcStats.callsByMethod.get('eth_getBlockReceipts')).toBe(1);
    expect(second.transfers).toEqual(first.transfers);
  });

  describe('on a node with eth_getBlockReceipts and debug_traceBlockByNumber (emulated by a proxy)', () => {
    let proxy: FaultyRpcProxy;
    beforeAll(async () => {
      proxy = await startFaultyRpcProxy(node.url, { emulateBlockReceipts: true, emulateBlockTracing: true });
    });
    afterAll(async () => {
      await proxy?.close();
    });

    it('reads the same transfers with one receipts call and one trace call per block that needs them', async () => {
      const reader = new ChainReader({ ...config, rpcUrls: [proxy.url] });
      const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
      expect(shape(read.transfers).sort(byTxAndPosition)).toEqual(
        [...scenario.expectedForWatched].sort(byTxAndPosition),
      );
      expect(reader.tracingInUse).toBe('block');
      const calls = reader.rpcStats.callsByMethod;
      expect(calls.get('debug_traceTransaction')).toBeUndefined();
      expect(calls.get('eth_getTransactionReceipt')).toBeUndefined();
      // One transaction per block here: blocks that need a trace are those of traceable transactions.
      const traceable = Object.keys(scenario.txs).filter((name) => !name.startsWith('stranger')).length;
      expect(calls.get('debug_traceBlockByNumber')).toBe(traceable);
      const valueCarrying = scenario.expectedForWatched.filter((t) => t.kind === 'native').length + 1; // + the failed payment
      expect(calls.get('eth_getBlockReceipts')).toBe(valueCarrying);
    });
  });

  it('returns block headers that link up, and the head by tag', async () => {
    const reader = new ChainReader(config);
    const headers = await reader.blockHeaders(scenario.fromBlock, scenario.toBlock);
    expect(headers.map((h) => h.number)).toEqual(
      Array.from({ length: scenario.toBlock - scenario.fromBlock + 1 }, (_, i) => scenario.fromBlock + i),
    );
    for (let i = 1; i < headers.length; i++) expect(headers[i]?.parentHash).toBe(headers[i - 1]?.hash);
    const read = await reader.readRange(scenario.fromBlock, scenario.toBlock, scope());
    expect(read.blocks).toEqual(headers);

    const latest = await reader.headBlock('latest');
    expect(latest.number).toBe(await latestBlockNumber(node.provider));
    // The embedded node has no consensus layer: its safe and finalized blocks are its head.
    expect((await reader.headBlock('finalized')).number).toBeLessThanOrEqual(latest.number);
    expect((await reader.headBlock('safe')).hash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('refuses an endpoint of another chain, naming both chain ids', async () => {
    const reader = new ChainReader({ ...config, chainId: 1 });
    await expect(reader.checkChainId()).rejects.toThrow(ChainIdMismatchError);
    await expect(reader.readRange(scenario.fromBlock, scenario.fromBlock, scope())).rejects.toThrow(
      /serves chain id 31337, but this chain is configured with chain id 1/,
    );
  });

  it('rejects bad configuration and bad ranges with specific errors', async () => {
    expect(() => new ChainReader({ ...config, rpcUrls: [] })).toThrow(ChainConfigError);
    expect(() => new ChainReader({ ...config, rpcUrls: ['ftp://127.0.0.1:1'] })).toThrow(
      /rpcUrls.0 must be an http/,
    );
    const reader = new ChainReader({ ...config, maxBlocksPerRange: 5 });
    await expect(reader.readRange(10, 20, scope())).rejects.toThrow(InvalidBlockRangeError);
    await expect(reader.readRange(20, 10, scope())).rejects.toThrow(InvalidBlockRangeError);
    await expect(reader.readRange(1, 1, { tokens: ['0x1234'], watched })).rejects.toThrow(/not an address/);
  });

  it('reports blocks beyond the head as unreadable and returns the prefix it read', async () => {
    const reader = new ChainReader({ ...config, maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2 });
    const head = await latestBlockNumber(node.provider);
    const read = await reader.readRange(head - 1, head + 2, scope());
    expect(read.complete).toBe(false);
    expect(read.readThrough).toBe(head);
    expect(read.blocks.map((b) => b.number)).toEqual([head - 1, head]);
    expect(read.unreadable).toMatchObject({ from: head + 1, to: head + 2, reason: 'rpc-unavailable' });
    expect(read.unreadable?.message).toMatch(/block \d+ not found on this node/);
  });

  it('shows a reorg in block hashes: same number and parent, another hash', async () => {
    const reader = new ChainReader(config);
    const snapshot = await node.provider.request({ method: 'evm_snapshot', params: [] });
    await sendAs(node.provider, { from: PARTIES.thief, to: PARTIES.alice, value: 1n });
    const tip = await latestBlockNumber(node.provider);
    const [before] = await reader.blockHeaders(tip, tip);
    await node.provider.request({ method: 'evm_revert', params: [snapshot] });
    await sendAs(node.provider, { from: PARTIES.thief, to: PARTIES.bob, value: 2n });
    const [after] = await reader.blockHeaders(tip, tip);
    expect(after?.number).toBe(before?.number);
    expect(after?.parentHash).toBe(before?.parentHash);
    expect(after?.hash).not.toBe(before?.hash);
    const read = await reader.readRange(tip, tip, scope());
    expect(read.transfers.map((t) => t.to)).toEqual([PARTIES.bob]);
  });
});
