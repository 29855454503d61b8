import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EthereumNode, LOOPBACK, startEthereumNode } from '../../infra/local/servers/index.ts';
import { ChainReader, type ChainReaderConfig, type RangeRead } from '../../shared/chain/index.ts';
import {
  type FaultAction,
  type FaultyRpcProxy,
  type ProxiedCall,
  startFaultyRpcProxy,
} from '../helpers/faulty-rpc-proxy.ts';
import { latestBlockNumber } from '../helpers/impersonated-sender.ts';
import { PARTIES, playValueMoves, type ValueMovesScenario } from './value-moves-scenario.ts';

const hexBlock = (n: number) => `0x${n.toString(16)}`;

/** Whether an eth_getLogs call covers block n. */
const logsCover = (n: number) => (call: ProxiedCall) => {
  const filter = call.params[0] as { fromBlock: string; toBlock: string };
  return Number(filter.fromBlock) <= n && n <= Number(filter.toBlock);
};

describe('chain reader against a faulty RPC (a fault-injecting proxy in front of the embedded node)', () => {
  let node: EthereumNode;
  let proxy: FaultyRpcProxy;
  let scenario: ValueMovesScenario;
  let baseline: RangeRead;
  let fastRetries: ChainReaderConfig;
  const watched = new Set<string>([PARTIES.thief]);
  const tokenTransfers = 12;

  beforeAll(async () => {
    node = await startEthereumNode();
    scenario = await playValueMoves(node);
    watched.add(scenario.account);
    // Token transfers spread over many blocks, so that log queries have something to split.
    for (let i = 0; i < tokenTransfers; i++) {
      await scenario.usdc.transfer(PARTIES.thief, PARTIES.alice, BigInt(1_000 + i));
    }
    proxy = await startFaultyRpcProxy(node.url);
    fastRetries = {
      chain: 'ethereum-local',
      chainId: node.chainId,
      rpcUrls: [proxy.url],
      tracing: 'transaction',
      maxAttempts: 4,
      backoffBaseMs: 5,
      backoffMaxMs: 50,
      requestTimeoutMs: 1_000,
    };
    baseline = await new ChainReader({ ...fastRetries, rpcUrls: [node.url] }).readRange(
      scenario.fromBlock,
      await latestBlockNumber(node.provider),
      scope(),
    );
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

  function scope() {
    return { tokens: [scenario.usdc.address], watched };
  }

  async function readAll(reader: ChainReader): Promise<RangeRead> {
    return reader.readRange(scenario.fromBlock, baseline.to, scope());
  }

  it('reads the baseline directly from the node', () => {
    expect(baseline.complete).toBe(true);
    expect(baseline.transfers.filter((t) => t.kind === 'erc20')).toHaveLength(tokenTransfers + 1);
  });

  const transientFaults: [string, FaultAction, string][] = [
    [
      'HTTP 429 with Retry-After',
      { kind: 'http-status', status: 429, retryAfterSeconds: 1 },
      'eth_getBlockByNumber',
    ],
    ['HTTP 500', { kind: 'http-status', status: 500 }, 'eth_getLogs'],
    ['HTTP 503', { kind: 'http-status', status: 503 }, 'debug_traceTransaction'],
    ['invalid JSON', { kind: 'garbage' }, 'eth_getTransactionReceipt'],
    ['a dropped connection', { kind: 'drop' }, 'eth_getBlockByNumber'],
    ['no answer (timeout)', { kind: 'hang' }, 'eth_getLogs'],
    ['an answer without result', { kind: 'missing-result' }, 'eth_getBlockByNumber'],
    ['a result of the wrong shape', { kind: 'wrong-shape' }, 'debug_traceTransaction'],
    [
      'a rate-limit error in the batch',
      { kind: 'rpc-error', code: 429, message: 'Too Many Requests' },
      'eth_getTransactionReceipt',
    ],
    [
      'a lagging node ("header not found")',
      { kind: 'rpc-error', code: -32000, message: 'header not found' },
      'eth_getLogs',
    ],
  ];

  it.each(transientFaults)('retries after %s and reads everything', async (_name, action, method) => {
    proxy.addFault({ method, action, times: 2 });
    const reader = new ChainReader(fastRetries);
    const read = await readAll(reader);
    expect(read.unreadable).toBeUndefined();
    expect(read.transfers).toEqual(baseline.transfers);
    expect(read.blocks).toEqual(baseline.blocks);
    expect(reader.rpcStats.retries).toBeGreaterThan(0);
  });

  it('batches calls, at most maxBatchSize per HTTP request, and resends only the call that failed', async () => {
    const blocks = baseline.to - scenario.fromBlock + 1;
    const one = scenario.fromBlock + 3;
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: (call) => call.params[0] === hexBlock(one),
      action: { kind: 'missing-result' },
      times: 1,
    });
    const reader = new ChainReader({ ...fastRetries, maxBatchSize: 10 });
    const read = await reader.readRange(scenario.fromBlock, baseline.to, { tokens: [], watched: new Set() });
    expect(read.complete).toBe(true);
    expect(proxy.callCount('eth_getBlockByNumber')).toBe(blocks + 1);
    const blockRequests = Math.ceil(blocks / 10) + 1;
    // eth_chainId, the blocks in batches of 10 and the one resent block, the scan of all logs for watched
    // addresses; nothing else is in scope (no tokens, nobody watched).
    expect(proxy.httpRequests).toBe(1 + blockRequests + 1);
    expect(proxy.callCount()).toBe(1 + blocks + 1 + 1);
  });

  it('waits with exponential backoff and full jitter while every URL is resting', async () => {
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      action: { kind: 'http-status', status: 503 },
      times: 3,
    });
    const sleeps: number[] = [];
    const reader = new ChainReader(
      { ...fastRetries, backoffBaseMs: 100, backoffMaxMs: 350, maxAttempts: 5 },
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 },
    );
    const read = await readAll(reader);
    expect(read.complete).toBe(true);
    // random() near 1 shows the window: base * 2^retry, capped.
    expect(sleeps).toEqual([99, 199, 349]);
    // Lower draws wait less: the wait is uniform over the window, not the window itself.
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      action: { kind: 'http-status', status: 503 },
      times: 3,
    });
    const jittered: number[] = [];
    await readAll(
      new ChainReader(
        { ...fastRetries, backoffBaseMs: 100, backoffMaxMs: 350, maxAttempts: 5 },
        { sleep: async (ms) => void jittered.push(ms), random: () => 0.25 },
      ),
    );
    expect(jittered).toEqual([25, 50, 87]);
  });

  it('fails over to the next URL at once and puts the failing one aside', async () => {
    const broken = await startFaultyRpcProxy(node.url);
    broken.addFault({ action: { kind: 'http-status', status: 502 } });
    const closedPort = await freePortWithNothingListening();
    try {
      const reader = new ChainReader({
        ...fastRetries,
        rpcUrls: [`http://${LOOPBACK}:${closedPort}/v2/secret-key`, broken.url, proxy.url],
        endpointCooldownMs: 60_000,
      });
      const first = await readAll(reader);
      expect(first.transfers).toEqual(baseline.transfers);
      expect(reader.endpointHealth()).toEqual([
        { label: `http://${LOOPBACK}:${closedPort}/...`, healthy: false },
        { label: broken.url, healthy: false },
        { label: proxy.url, healthy: true },
      ]);
      const brokenRequests = broken.httpRequests;
      const second = await readAll(reader);
      expect(second.transfers).toEqual(baseline.transfers);
      // Put aside: the second read did not knock on the broken URL again.
      expect(broken.httpRequests).toBe(brokenRequests);
    } finally {
      await broken.close();
    }
  });

  it('reports the whole range as unreadable when no URL answers, and never claims a block', async () => {
    proxy.addFault({ action: { kind: 'http-status', status: 503 } });
    const reader = new ChainReader(fastRetries);
    const read = await readAll(reader);
    expect(read).toMatchObject({
      readThrough: scenario.fromBlock - 1,
      complete: false,
      blocks: [],
      transfers: [],
    });
    expect(read.unreadable).toMatchObject({
      from: scenario.fromBlock,
      to: baseline.to,
      reason: 'rpc-unavailable',
    });
    expect(read.unreadable?.message).toMatch(/HTTP 503/);
  });

  it('splits log queries the provider refuses as too large, and remembers the span that worked', async () => {
    proxy.setLogRangeLimit(4);
    const reader = new ChainReader(fastRetries);
    const read = await readAll(reader);
    expect(read.complete).toBe(true);
    expect(read.transfers).toEqual(baseline.transfers);
    const firstReadLogCalls = proxy.callCount('eth_getLogs');
    expect(firstReadLogCalls).toBeGreaterThan(2);
    proxy.resetCounts();
    const again = await readAll(reader);
    expect(again.transfers).toEqual(baseline.transfers);
    // The learned span avoids most refused queries the second time.
    expect(proxy.callCount('eth_getLogs')).toBeLessThan(firstReadLogCalls);
  });

  it('stops before a block whose logs exceed the limit even alone, reporting it', async () => {
    const bad = scenario.txs.usdcTransfer?.blockNumber as number;
    proxy.addFault({
      method: 'eth_getLogs',
      when: logsCover(bad),
      action: { kind: 'rpc-error', code: -32005, message: 'query returned more than 10000 results' },
    });
    const read = await readAll(new ChainReader(fastRetries));
    expect(read.readThrough).toBe(bad - 1);
    expect(read.unreadable).toMatchObject({ from: bad, to: baseline.to, reason: 'log-query-too-large' });
    expect(read.blocks.at(-1)?.number).toBe(bad - 1);
    expect(read.transfers).toEqual(baseline.transfers.filter((t) => t.blockNumber < bad));
  });

  it('stops before a block that keeps failing and reads on once the node recovers', async () => {
    const bad = scenario.txs.delegated?.blockNumber as number;
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: (call) => call.params[0] === hexBlock(bad),
      action: { kind: 'wrong-shape' },
    });
    const reader = new ChainReader(fastRetries);
    const read = await readAll(reader);
    expect(read.readThrough).toBe(bad - 1);
    expect(read.unreadable).toMatchObject({ from: bad, reason: 'rpc-unavailable' });
    expect(read.unreadable?.message).toMatch(/eth_getBlockByNumber failed after 4 attempt\(s\).*malformed/);
    expect(read.transfers).toEqual(baseline.transfers.filter((t) => t.blockNumber < bad));

    proxy.clearFaults();
    const rest = await reader.readRange(bad, baseline.to, scope());
    expect(rest.complete).toBe(true);
    expect([...read.transfers, ...rest.transfers]).toEqual(baseline.transfers);
  });

  it('stops at a transaction the node cannot trace', async () => {
    const nested = scenario.txs.nested;
    proxy.addFault({
      method: 'debug_traceTransaction',
      when: (call) => call.params[0] === nested?.hash,
      action: {
        kind: 'rpc-error',
        code: -32000,
        message: 'missing trie node 1f2e (path ) state is not available',
      },
    });
    const read = await readAll(new ChainReader(fastRetries));
    expect(read.readThrough).toBe((nested?.blockNumber as number) - 1);
    expect(read.unreadable).toMatchObject({ from: nested?.blockNumber, reason: 'rpc-error' });
    expect(read.unreadable?.message).toMatch(/missing trie node/);
  });

  it('notices answers from another version of a block (a reorg while reading) and stops there', async () => {
    const moved = scenario.txs.usdcTransfer?.blockNumber as number;
    proxy.addFault({
      method: 'eth_getLogs',
      action: {
        kind: 'rewrite-result',
        rewrite: (logs) =>
          (logs as { blockNumber: string; blockHash: string }[]).map((log) =>
            Number(log.blockNumber) === moved ? { ...log, blockHash: `0x${'ab'.repeat(32)}` } : log,
          ),
      },
      times: 1,
    });
    const read = await readAll(new ChainReader(fastRetries));
    expect(read.readThrough).toBe(moved - 1);
    expect(read.unreadable).toMatchObject({ from: moved, reason: 'reorg-during-read' });
  });
});

async function freePortWithNothingListening(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
