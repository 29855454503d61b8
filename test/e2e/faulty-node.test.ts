/**
 * The ingester reads the node through a proxy that misbehaves like a flaky provider: 429s, 5xx,
 * truncated JSON, dropped connections, a hung request, JSON-RPC errors, answers without a result or of
 * the wrong shape, and one block that cannot be read at all for a while. Alerts may come late; none
 * may be lost or come twice, and the checkpoint may never pass a block that was not read.
 */
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoScenarioLog, expectedDemoAlerts, runDemoScenario } from '../../infra/local/demo/index.ts';
import { DemoAlertCheck } from '../../infra/local/demo-run.ts';
import { ChainReader } from '../../shared/chain/index.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { ChainIngester, type IngestStep } from '../../shared/ingest/index.ts';
import { builtInLabels, builtInTokens, chainRegistry } from '../../shared/labels/index.ts';
import type { Checkpoint, DynamoDbStore } from '../../shared/store/index.ts';
import { type FaultyRpcProxy, type ProxiedCall, startFaultyRpcProxy } from '../helpers/faulty-rpc-proxy.ts';
import { type CaseSnapshot, snapshotCase } from './support/case-snapshot.ts';
import { ExternalSubscriber } from './support/external-subscriber.ts';
import {
  type EmbeddedServers,
  LOCAL_CHAIN,
  newStore,
  openCase,
  type PublishLoop,
  startEmbeddedServers,
  startPublishLoop,
} from './support/pipeline.ts';

const CONFIRMATIONS = 2;
const RANGE = 5;
const hexBlock = (n: number) => `0x${n.toString(16)}`;
const blockRead = (n: number) => (call: ProxiedCall) =>
  call.params[0] === hexBlock(n) && call.params[1] === true;

/** One step of the ingester as the test saw it: its result or its error, and the checkpoint after it. */
interface ObservedStep {
  readonly result: IngestStep | { readonly status: 'failed'; readonly error: string };
  readonly before: Checkpoint;
  readonly after: Checkpoint;
}

describe('ingestion through a faulty node', () => {
  let servers: EmbeddedServers;
  let proxy: FaultyRpcProxy;
  let log: DemoScenarioLog;
  let subscriber: ExternalSubscriber;
  let store: DynamoDbStore;
  let publisher: PublishLoop;
  let reference: CaseSnapshot;
  /** A block the reader gives up on once (its range is read up to the block before). */
  let shortBlock: number;
  /** A block the node refuses to serve until the faults are lifted: the deposit sweep's. */
  let blocked: number;
  const observed: ObservedStep[] = [];
  let whileBlocked: { alertBlocks: number[]; receivedBlocks: number[]; checkpoint: Checkpoint };

  const ingesterOn = (target: DynamoDbStore, rpcUrl: string) =>
    new ChainIngester({
      chain: chainRegistry.require(LOCAL_CHAIN),
      source: new ChainReader({
        chain: LOCAL_CHAIN,
        chainId: servers.node.chainId,
        rpcUrls: [rpcUrl],
        tracing: 'transaction',
        maxBlocksPerRange: RANGE,
        // Few, quick retries: a fault that outlasts them makes the step stop short, which is the point.
        maxAttempts: 3,
        backoffBaseMs: 5,
        backoffMaxMs: 40,
        requestTimeoutMs: 800,
        endpointCooldownMs: 0,
      }),
      store: target,
      labels: builtInLabels(),
      tokens: builtInTokens(),
      formatAddress: getAddress,
      finality: { confirmations: CONFIRMATIONS },
      maxBlocksPerRange: RANGE,
      startBlock: 0,
    });

  beforeAll(async () => {
    servers = await startEmbeddedServers();
    log = await runDemoScenario(servers.node.provider, { confirmations: CONFIRMATIONS });
    blocked = log.steps.find((step) => step.id === 'deposit-sweep')?.blockNumber as number;
    proxy = await startFaultyRpcProxy(servers.node.url);
    subscriber = await ExternalSubscriber.subscribe(
      servers.snsSqs.endpoint,
      servers.messaging.topicArn,
      'faulty-node-subscriber',
    );

    // What a healthy node gives, for comparison.
    const clean = await newStore(servers.dynamo.endpoint, 'healthy-node');
    await openCase(clean.store, 'healthy', [log.seed.address]);
    const healthy = ingesterOn(clean.store, servers.node.url);
    while ((await healthy.step()).status !== 'caught-up') {}
    reference = await snapshotCase(clean.store, 'healthy');
    clean.client.destroy();

    ({ store } = await newStore(servers.dynamo.endpoint, 'faulty-node'));
    await openCase(store, 'faulty', [log.seed.address]);
    publisher = startPublishLoop(servers.dynamo.endpoint, 'faulty-node', servers);

    const mixer = log.steps.find((step) => step.id === 'mixer-deposit')?.blockNumber as number;
    // Transient faults, each outlasting the retries at most once, spread over every kind of call.
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: blockRead(mixer),
      action: { kind: 'http-status', status: 429, retryAfterSeconds: 0 },
      times: 4,
    });
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: (call) => call.params[0] === 'latest',
      action: { kind: 'http-status', status: 503 },
      times: 4,
    });
    proxy.addFault({ method: 'eth_getLogs', action: { kind: 'garbage' }, times: 2 });
    proxy.addFault({
      method: 'eth_getLogs',
      action: { kind: 'rpc-error', code: -32000, message: 'header not found' },
      times: 1,
    });
    proxy.addFault({ method: 'eth_getTransactionReceipt', action: { kind: 'missing-result' }, times: 2 });
    proxy.addFault({ method: 'eth_getTransactionReceipt', action: { kind: 'wrong-shape' }, times: 1 });
    proxy.addFault({ method: 'debug_traceTransaction', action: { kind: 'drop' }, times: 2 });
    proxy.addFault({ method: 'debug_traceTransaction', action: { kind: 'hang' }, times: 1 });
    proxy.addFault({
      method: 'debug_traceTransaction',
      action: { kind: 'http-status', status: 500 },
      times: 3,
    });
    // And one block nobody can read until the provider recovers.
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: blockRead(blocked),
      action: { kind: 'http-status', status: 502 },
    });

    const ingester = ingesterOn(store, proxy.url);
    const step = async (): Promise<void> => {
      const before = await store.getCheckpoint(LOCAL_CHAIN);
      const result = await ingester
        .step()
        .catch((error: Error) => ({ status: 'failed' as const, error: error.message }));
      observed.push({ result, before, after: await store.getCheckpoint(LOCAL_CHAIN) });
    };

    // Until the ingester has been held up before the blocked block for a few steps in a row (where
    // exactly depends on how the reader batched its calls: a 502 fails the whole HTTP request).
    let stuck = 0;
    for (let i = 0; i < 40 && stuck < 4; i++) {
      await step();
      const last = observed.at(-1) as ObservedStep;
      const heldUp = last.result.status !== 'caught-up' && last.after.block === last.before.block;
      stuck = heldUp && (last.after.block ?? -1) >= blocked - RANGE ? stuck + 1 : 0;
    }
    await publisher.drained();
    await subscriber.drain(1);
    whileBlocked = {
      alertBlocks: (await store.listAlerts('faulty', { limit: 100 })).items.map(
        (stored) => stored.alert.blockNumber,
      ),
      receivedBlocks: subscriber.received.map((entry) => Number(entry.alert.blockNumber)),
      checkpoint: await store.getCheckpoint(LOCAL_CHAIN),
    };

    // The provider recovers, but for one block in the middle of a later range, answered without a
    // result as many times as the reader tries: that range is read up to the block before, which is
    // all the checkpoint may move to; the next step reads the block.
    proxy.clearFaults();
    shortBlock = log.steps.find((step) => step.id === 'forward')?.blockNumber as number;
    proxy.addFault({
      method: 'eth_getBlockByNumber',
      when: blockRead(shortBlock),
      action: { kind: 'missing-result' },
      times: 3,
    });
    for (let i = 0; i < 20 && observed.at(-1)?.result.status !== 'caught-up'; i++) await step();
    await publisher.drained();
    await subscriber.receiveUntil(
      (received) => received.length >= expectedDemoAlerts(log).alerts.length,
      15_000,
    );
    await subscriber.drain(1);
  }, 60_000);

  afterAll(async () => {
    await publisher?.stop();
    subscriber?.close();
    await proxy?.close();
    await servers?.close();
  });

  it('met every kind of fault: some steps stopped short or failed', () => {
    const statuses = observed.map((entry) => entry.result.status);
    expect(statuses).toContain('unreadable');
    expect(statuses).toContain('processed');
    const stoppedShort = observed.find(
      (entry) => entry.result.status === 'processed' && entry.result.unreadable !== undefined,
    );
    expect(stoppedShort?.result).toMatchObject({
      to: shortBlock - 1,
      unreadable: { from: shortBlock },
    });
    expect(statuses.at(-1)).toBe('caught-up');
    expect(publisher.problems).toEqual([]);
  });

  it('the checkpoint only moves forward, by exactly the blocks a step read', () => {
    for (const { before, after, result } of observed) {
      if (result.status === 'processed') {
        expect(result.from).toBe((before.block ?? -1) + 1);
        expect(after.block).toBe(result.to);
        expect(after.inFlightTo).toBeNull();
      } else {
        expect(after.block).toBe(before.block);
      }
    }
    expect(observed.at(-1)?.after.block).toBe(log.headBlock - CONFIRMATIONS);
  });

  it('never passes the block it could not read, and holds back its alerts meanwhile', () => {
    expect(whileBlocked.checkpoint.block ?? -1).toBeLessThan(blocked);
    for (const { after } of observed.slice(
      0,
      observed.findIndex((entry) => (entry.after.block ?? -1) >= blocked),
    ))
      expect(after.block ?? -1).toBeLessThan(blocked);
    const late = expectedDemoAlerts(log).alerts.filter((alert) => alert.blockNumber >= blocked);
    expect(late.length).toBeGreaterThan(0);
    expect(whileBlocked.alertBlocks.length).toBeGreaterThan(0);
    expect(whileBlocked.alertBlocks.every((block) => block < blocked)).toBe(true);
    expect(whileBlocked.receivedBlocks.every((block) => block < blocked)).toBe(true);
  });

  it("once the node recovers, every alert has arrived exactly once and the taint is the healthy run's", async () => {
    const expected = expectedDemoAlerts(log).alerts;
    const check = new DemoAlertCheck({ caseId: 'faulty', log, expected });
    for (const entry of subscriber.received) check.record(entry.alert as unknown as Alert);
    const verdict = check.verdict();
    expect({
      missing: verdict.missing.map(DemoAlertCheck.describeMissing),
      unexpected: verdict.unexpected.map((alert) => `${alert.kind} ${alert.txHash}`),
      duplicated: verdict.duplicated,
    }).toEqual({ missing: [], unexpected: [], duplicated: [] });
    expect(subscriber.received).toHaveLength(expected.length);
    // Ranges split elsewhere than in the healthy run, so wallets were last written at other blocks.
    const comparable = ({ wallets, edges, learnedLabels }: CaseSnapshot) => ({
      wallets: wallets.map(({ asOfBlock: _, ...wallet }) => wallet),
      edges,
      learnedLabels,
    });
    expect(comparable(await snapshotCase(store, 'faulty'))).toEqual(comparable(reference));
  });
});
