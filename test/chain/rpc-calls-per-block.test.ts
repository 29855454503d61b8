import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EthereumNode, startEthereumNode } from '../../infra/local/servers/index.ts';
import { ChainReader, type RangeRead, type WatchedAddresses } from '../../shared/chain/index.ts';
import { callData, latestBlockNumber, submitAs } from '../helpers/impersonated-sender.ts';
import { testContract } from '../helpers/solidity-compiler.ts';
import { PARTIES, playValueMoves, type ValueMovesScenario } from './value-moves-scenario.ts';

const ETH = 10n ** 18n;
const BLOCKS = 20;

/** A watched set that counts its lookups, to show the reader asks per transaction and log, never per address. */
function countingSet(addresses: Iterable<string>): WatchedAddresses & { lookups: number; size: number } {
  const set = new Set(addresses);
  return {
    lookups: 0,
    size: set.size,
    has(address) {
      this.lookups += 1;
      return set.has(address);
    },
  };
}

function randomAddresses(count: number): string[] {
  return Array.from({ length: count }, () => `0x${randomBytes(20).toString('hex')}`);
}

describe('RPC calls per block do not depend on the number of watched addresses', () => {
  let node: EthereumNode;
  let scenario: ValueMovesScenario;
  let from: number;
  let to: number;

  beforeAll(async () => {
    node = await startEthereumNode();
    scenario = await playValueMoves(node);
    const provider = node.provider;
    const router = testContract('ValueRouter');
    const token = testContract('TestToken');
    const account = testContract('SmartAccount');
    const { thief, alice, bob, stranger, strangerFriend, bundler, dave, frank } = PARTIES;
    // Blocks of several transactions: the thief's and the smart account's (in scope) among strangers' (not).
    await provider.request({ method: 'evm_setAutomine', params: [false] });
    from = (await latestBlockNumber(provider)) + 1;
    for (let b = 0; b < BLOCKS; b++) {
      await submitAs(provider, { from: thief, to: alice, value: ETH / 100n });
      await submitAs(provider, { from: stranger, to: strangerFriend, value: ETH / 100n });
      await submitAs(provider, {
        from: stranger,
        to: scenario.routerB,
        value: ETH / 50n,
        data: callData(router, 'split', [strangerFriend, dave]),
      });
      await submitAs(provider, {
        from: thief,
        to: scenario.usdc.address,
        data: callData(token, 'transfer', [bob, 10n]),
      });
      if (b % 2 === 0) {
        await submitAs(provider, {
          from: bundler,
          to: scenario.routerA,
          data: callData(router, 'relay', [scenario.account, callData(account, 'execute', [frank, 1_000n])]),
        });
      }
      await provider.request({ method: 'evm_mine', params: [] });
    }
    await provider.request({ method: 'evm_setAutomine', params: [true] });
    to = await latestBlockNumber(provider);
  });
  afterAll(async () => {
    await node?.close();
  });

  async function readWith(watched: WatchedAddresses): Promise<{ read: RangeRead; reader: ChainReader }> {
    const reader = new ChainReader({
      chain: 'ethereum-local',
      chainId: node.chainId,
      rpcUrls: [node.url],
      tracing: 'transaction',
    });
    const read = await reader.readRange(from, to, { tokens: [scenario.usdc.address], watched });
    return { read, reader };
  }

  it('makes the same calls, and as many lookups, with 10 and with 10,000 watched addresses', async () => {
    const tainted = [PARTIES.thief, scenario.account];
    const small = countingSet([...tainted, ...randomAddresses(8)]);
    const large = countingSet([...tainted, ...randomAddresses(9_998)]);
    expect([small.size, large.size]).toEqual([10, 10_000]);

    const withSmall = await readWith(small);
    const withLarge = await readWith(large);
    expect(withSmall.read.complete && withLarge.read.complete).toBe(true);
    expect(withLarge.read.transfers).toEqual(withSmall.read.transfers);

    const statsSmall = withSmall.reader.rpcStats;
    const statsLarge = withLarge.reader.rpcStats;
    expect(statsLarge.calls).toBe(statsSmall.calls);
    expect(Object.fromEntries(statsLarge.callsByMethod)).toEqual(
      Object.fromEntries(statsSmall.callsByMethod),
    );
    expect(statsLarge.httpRequests).toBe(statsSmall.httpRequests);
    expect(large.lookups).toBe(small.lookups);

    const blocks = to - from + 1;
    const perBlock = statsSmall.calls / blocks;
    console.info(
      `RPC calls for ${blocks} blocks of 4-5 transactions: ${statsSmall.calls} (${perBlock.toFixed(2)} per block) ` +
        `in ${statsSmall.httpRequests} HTTP requests; by method ${JSON.stringify(Object.fromEntries(statsSmall.callsByMethod))}`,
    );
    // Per block: the block, one receipt (the thief's payment), and traces of the 2-3 transactions in scope;
    // the strangers' transactions are neither traced nor given receipts.
    expect(statsSmall.callsByMethod.get('eth_getBlockByNumber')).toBe(blocks);
    expect(statsSmall.callsByMethod.get('eth_getTransactionReceipt')).toBe(blocks);
    expect(statsSmall.callsByMethod.get('debug_traceTransaction')).toBe(blocks * 2 + blocks / 2);
  });

  it('traces every transaction when there is no watched set (what whole-block tracing costs)', async () => {
    const reader = new ChainReader({
      chain: 'ethereum-local',
      chainId: node.chainId,
      rpcUrls: [node.url],
      tracing: 'transaction',
    });
    const read = await reader.readRange(from, to, { tokens: [scenario.usdc.address] });
    expect(read.complete).toBe(true);
    const blocks = to - from + 1;
    expect(reader.rpcStats.callsByMethod.get('debug_traceTransaction')).toBe(blocks * 4 + blocks / 2);
    console.info(
      `without a watched set: ${reader.rpcStats.calls} calls (${(reader.rpcStats.calls / blocks).toFixed(2)} per block)`,
    );
  });
});
