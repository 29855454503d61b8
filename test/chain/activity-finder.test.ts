import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';
import { ActivityFinder, type IndexedActivity } from '../../shared/chain/activity-finder.ts';
import { ChainReader } from '../../shared/chain/index.ts';
import { JsonRpcClient } from '../../shared/chain/json-rpc-client.ts';
import type { Transfer } from '../../shared/domain/transfer.ts';
import { type FaultyRpcProxy, type ProxiedCall, startFaultyRpcProxy } from '../helpers/faulty-rpc-proxy.ts';
import { callData, latestBlockNumber, sendAs } from '../helpers/impersonated-sender.ts';
import { testContract } from '../helpers/solidity-compiler.ts';
import { PARTIES, playValueMoves, type ValueMovesScenario } from './value-moves-scenario.ts';

const LOOKALIKE = '0x098b716b8aaf21512996dc57eb0615e2383e2f97';
const spanOf = (call: ProxiedCall) => {
  const filter = call.params[0] as { fromBlock: string; toBlock: string };
  return Number(filter.toBlock) - Number(filter.fromBlock) + 1;
};

/**
 * The activity finder against the embedded node. Hardhat has no trace_filter, so a proxy answers it from
 * the node's own call traces (the way Erigon, Nethermind and Reth answer it); without the proxy, the
 * finder meets the real "method not supported" and reports that the node cannot find native activity.
 *
 * The reference for "active" is the chain reader itself, reading every transaction of every block: a block
 * is active for a wallet when the reader finds a transfer of a followed asset from or to it there.
 */
describe('activity finder (where a set of wallets sent or received value, without reading blocks)', () => {
  let node: EthereumNode;
  let proxy: FaultyRpcProxy;
  let scenario: ValueMovesScenario;
  let from: number;
  let to: number;
  let transfers: readonly Transfer[];
  let poisoningBlock: number;
  const parties: string[] = [];

  const client = (url: string) =>
    new JsonRpcClient({
      urls: [url],
      chainId: node.chainId,
      maxBatchSize: 50,
      requestTimeoutMs: 5_000,
      maxAttempts: 3,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
      endpointCooldownMs: 0,
    });
  const tokens = () => [scenario.usdc.address];
  /** Blocks where the reader found a transfer (non-zero, followed) from or to one of the wallets. */
  const truth = (wallets: readonly string[]) =>
    [
      ...new Set(
        transfers
          .filter((t) => t.amount > 0n && (wallets.includes(t.from) || wallets.includes(t.to)))
          .map((t) => t.blockNumber),
      ),
    ].sort((a, b) => a - b);
  const block = (name: string) => scenario.txs[name]?.blockNumber as number;
  const indexed = (found: Awaited<ReturnType<ActivityFinder['find']>>): IndexedActivity => {
    if (!found.indexed) throw new Error(`expected an indexed answer, got: ${found.reason}`);
    return found;
  };

  beforeAll(async () => {
    // Empty blocks are mined one by one: hardhat_mine with more than a few blocks reports zero parent
    // hashes for the blocks in between, which the reader rightly refuses as a chain changing under it.
    node = await startEthereumNode();
    scenario = await playValueMoves(node);
    from = scenario.fromBlock;
    // Address poisoning: anyone can make a token emit Transfer(thief -> look-alike, 0) with transferFrom.
    const poisoning = await sendAs(node.provider, {
      from: PARTIES.stranger,
      to: scenario.usdc.address,
      data: callData(testContract('TestToken'), 'transferFrom', [PARTIES.thief, LOOKALIKE, 0n]),
    });
    if (!poisoning.succeeded) throw new Error('the poisoning transfer failed');
    poisoningBlock = poisoning.blockNumber;
    for (let i = 0; i < 30; i++) await node.provider.request({ method: 'evm_mine', params: [] });
    const late = await scenario.usdc.transfer(PARTIES.thief, PARTIES.bob, 7n);
    to = await latestBlockNumber(node.provider);
    if (late.blockNumber !== to) throw new Error('the late transfer should be the last block');

    const reader = new ChainReader({
      chain: 'local',
      chainId: node.chainId,
      rpcUrls: [node.url],
      tracing: 'transaction',
      maxBlocksPerRange: 100,
    });
    const read = await reader.readRange(from, to, { tokens: tokens() });
    if (!read.complete) throw new Error(`the reference read is incomplete: ${read.unreadable?.message}`);
    transfers = read.transfers;
    for (const t of transfers)
      for (const party of [t.from, t.to]) if (!parties.includes(party)) parties.push(party);
    // The poisoning's zero-amount log names the look-alike: a party the reader saw, never active.
    if (!parties.includes(LOOKALIKE)) throw new Error('the poisoning log was not read');
    proxy = await startFaultyRpcProxy(node.url, { emulateTraceFilter: true });
  });
  afterEach(() => {
    proxy.clearFaults();
    proxy.setLogRangeLimit(undefined);
    proxy.resetCounts();
  });
  afterAll(async () => {
    await proxy?.close();
    await node?.close();
  });

  it('finds, for every party, the blocks where the reader sees it send or receive value, and only failed frames besides', async () => {
    const finder = new ActivityFinder(client(proxy.url));
    // Reverted frames are reported by trace_filter: reading those blocks is harmless (the reader drops them).
    const reverted = new Set([block('failedPayment'), block('swallowedRevert')]);
    for (const party of parties) {
      const found = indexed(await finder.find({ from, to, wallets: [party], tokens: tokens() }));
      expect(found.searchedThrough, party).toBe(to);
      expect(found.unsearchable, party).toBeUndefined();
      const expected = truth([party]);
      expect(
        found.activeBlocks.filter((b) => !reverted.has(b)),
        party,
      ).toEqual(expected.filter((b) => !reverted.has(b)));
      for (const b of expected) expect(found.activeBlocks, `${party} block ${b}`).toContain(b);
    }
    expect(finder.valueIndex).toBe('trace_filter');
  });

  it('finds token activity by sender and by recipient, and not poisoning (zero amounts) or tokens off the list', async () => {
    const finder = new ActivityFinder(client(proxy.url));
    const alice = indexed(await finder.find({ from, to, wallets: [PARTIES.alice], tokens: tokens() }));
    // Received ETH (payment) and USDC (usdcTransfer); the spoofed token's fake Transfer to her is not counted.
    expect(alice.activeBlocks).toEqual([block('payment'), block('usdcTransfer')]);
    expect(alice.activeBlocks).not.toContain(block('spoofed'));
    const bob = indexed(await finder.find({ from: to - 5, to, wallets: [PARTIES.bob], tokens: tokens() }));
    expect(bob.activeBlocks).toEqual([to]); // the late USDC transfer: by recipient
    const thief = indexed(
      await finder.find({ from: poisoningBlock, to, wallets: [PARTIES.thief], tokens: tokens() }),
    );
    expect(thief.activeBlocks).toEqual([to]); // by sender; the zero-amount poisoning is not activity
    const lookalike = indexed(await finder.find({ from, to, wallets: [LOOKALIKE], tokens: tokens() }));
    expect(lookalike.activeBlocks).toEqual([]);
    // The same without the token in the list: the USDC blocks are no longer activity.
    const noTokens = indexed(await finder.find({ from: to - 5, to, wallets: [PARTIES.bob], tokens: [] }));
    expect(noTokens.activeBlocks).toEqual([]);
    const logQueries = proxy.calls.filter((call) => call.method === 'eth_getLogs');
    expect(logQueries.length).toBeGreaterThan(0);
    for (const call of logQueries) {
      const filter = call.params[0] as { address: string[]; topics: unknown[] };
      expect(filter.address).toEqual([scenario.usdc.address]);
    }
  });

  it('splits the wallets into chunks for the OR-lists, with the same answer', async () => {
    const whole = indexed(
      await new ActivityFinder(client(proxy.url)).find({ from, to, wallets: parties, tokens: tokens() }),
    );
    expect(whole.activeBlocks).toEqual(
      [
        ...new Set(
          parties.flatMap((p) => truth([p])).concat([block('failedPayment'), block('swallowedRevert')]),
        ),
      ].sort((a, b) => a - b),
    );
    proxy.resetCounts();

    const chunked = new ActivityFinder(client(proxy.url), { walletsPerQuery: 3 });
    const found = indexed(await chunked.find({ from, to, wallets: parties, tokens: tokens() }));
    expect(found.activeBlocks).toEqual(whole.activeBlocks);
    const chunks = Math.ceil(parties.length / 3);
    expect(chunks).toBeGreaterThan(2);
    // Per chunk: trace_filter by sender and by recipient, eth_getLogs by sender and by recipient.
    expect(proxy.callCount('trace_filter')).toBe(2 * chunks);
    expect(proxy.callCount('eth_getLogs')).toBe(2 * chunks);
    for (const call of proxy.calls.filter((c) => c.method !== 'eth_chainId')) {
      const filter = call.params[0] as {
        fromAddress?: string[];
        toAddress?: string[];
        topics?: (string[] | null)[];
      };
      const list = filter.fromAddress ?? filter.toAddress ?? filter.topics?.[1] ?? filter.topics?.[2];
      expect(list?.length).toBeLessThanOrEqual(3);
    }
    // No eth_getBlockByNumber: no block was read.
    expect(proxy.callCount('eth_getBlockByNumber')).toBe(0);
  });

  it('splits block spans the node refuses as too large, down to what it accepts, with the same answer', async () => {
    const reference = indexed(
      await new ActivityFinder(client(proxy.url)).find({
        from,
        to,
        wallets: [PARTIES.thief, PARTIES.bob],
        tokens: tokens(),
      }),
    );
    proxy.setLogRangeLimit(8);
    proxy.addFault({
      method: 'trace_filter',
      when: (call) => spanOf(call) > 8,
      action: {
        kind: 'rpc-error',
        code: -32000,
        message: 'block range too large: at most 8 blocks per trace_filter',
      },
    });
    const finder = new ActivityFinder(client(proxy.url));
    const found = indexed(
      await finder.find({ from, to, wallets: [PARTIES.thief, PARTIES.bob], tokens: tokens() }),
    );
    expect(found.activeBlocks).toEqual(reference.activeBlocks);
    expect(found.searchedThrough).toBe(to);
    expect(finder.currentSpan('token-logs')).toBeLessThanOrEqual(8);
    expect(finder.currentSpan('value-traces')).toBeLessThanOrEqual(8);
    // Every block was asked about in an accepted query of each of the four kinds.
    const accepted = proxy.calls.filter(
      (call) => (call.method === 'trace_filter' || call.method === 'eth_getLogs') && spanOf(call) <= 8,
    );
    const covered = accepted.reduce((sum, call) => sum + spanOf(call), 0);
    expect(covered).toBe(4 * (to - from + 1));
  });

  it('answers a prefix when the node fails part-way, and names the failure', async () => {
    const failAt = block('usdcTransfer');
    proxy.setLogRangeLimit(4);
    proxy.addFault({
      method: 'trace_filter',
      when: (call) => spanOf(call) > 4,
      action: { kind: 'rpc-error', code: -32005, message: 'query returned more than 10000 results' },
    });
    proxy.addFault({
      method: 'trace_filter',
      // Any query covering the block fails, as a node missing that block's state would.
      when: (call) => {
        const filter = call.params[0] as { fromBlock: string; toBlock: string };
        return Number(filter.fromBlock) <= failAt && failAt <= Number(filter.toBlock);
      },
      action: { kind: 'rpc-error', code: -32000, message: 'missing trie node abc (path )' },
    });
    const finder = new ActivityFinder(client(proxy.url));
    const found = indexed(await finder.find({ from, to, wallets: [PARTIES.thief], tokens: tokens() }));
    expect(found.searchedThrough).toBeLessThan(failAt);
    expect(found.searchedThrough).toBeGreaterThanOrEqual(failAt - 4);
    expect(found.unsearchable).toMatchObject({ from: found.searchedThrough + 1, to, reason: 'rpc-error' });
    expect(found.unsearchable?.message).toContain('missing trie node');
    const reference = truth([PARTIES.thief])
      .concat(block('failedPayment'))
      .sort((a, b) => a - b);
    expect(found.activeBlocks).toEqual(reference.filter((b) => b <= found.searchedThrough));
  });

  it('reports a node without trace_filter (Hardhat itself) as unable to find native activity, asking once', async () => {
    const direct = client(node.url);
    const finder = new ActivityFinder(direct);
    const first = await finder.find({ from, to, wallets: [PARTIES.thief], tokens: tokens() });
    expect(first.indexed).toBe(false);
    if (!first.indexed) expect(first.reason).toMatch(/trace_filter/);
    expect(finder.valueIndex).toBe('none');
    const second = await finder.find({ from, to, wallets: [PARTIES.alice], tokens: tokens() });
    expect(second.indexed).toBe(false);
    // One trace_filter, and no token query: without native activity the span must be read anyway.
    expect(direct.stats.callsByMethod.get('trace_filter')).toBe(1);
    expect(direct.stats.callsByMethod.get('eth_getLogs')).toBeUndefined();
  });

  it('is reachable through the chain reader, which counts its calls', async () => {
    const reader = new ChainReader({
      chain: 'local',
      chainId: node.chainId,
      rpcUrls: [proxy.url],
      tracing: 'transaction',
    });
    const found = indexed(await reader.findActivity({ from, to, wallets: [PARTIES.erin], tokens: tokens() }));
    expect(found.activeBlocks).toEqual([block('selfDestruct')]);
    expect(reader.rpcStats.callsByMethod.get('trace_filter')).toBe(2);
    await expect(reader.findActivity({ from: to, to: from, wallets: [], tokens: [] })).rejects.toThrow(
      /not a block range/,
    );
    await expect(reader.findActivity({ from, to, wallets: ['0x12'], tokens: [] })).rejects.toThrow(
      /not an address/,
    );
  });
});
