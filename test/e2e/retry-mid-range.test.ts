/**
 * A write that fails in the middle of a range while the process lives on: DynamoDB stays unavailable
 * through the SDK's retries for one request (not sent, or sent and its answer lost), the step fails,
 * and the ingest loop retries with the same ingester, whose memory (tainted set, learned labels) may
 * already hold what the failed range taught. Every write of the range that taints the first wallets
 * is failed once, both ways: the outcome must be that of an uninterrupted run, each alert once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoScenarioLog,
  type ExpectedDemoAlert,
  expectedDemoAlerts,
  runDemoScenario,
} from '../../infra/local/demo/index.ts';
import { DemoAlertCheck } from '../../infra/local/demo-run.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { type ChainIngester, runIngestLoop } from '../../shared/ingest/index.ts';
import { createChainIngester } from '../../shared/runtime/chain-ingester-factory.ts';
import { DynamoDbStore, type Store } from '../../shared/store/index.ts';
import { type CaseSnapshot, snapshotCase } from './support/case-snapshot.ts';
import { ExternalSubscriber } from './support/external-subscriber.ts';
import {
  dynamoClient,
  type EmbeddedServers,
  LOCAL_CHAIN,
  newStore,
  openCase,
  startEmbeddedServers,
  startPublishLoop,
} from './support/pipeline.ts';
import { type DeathPoint, ProcessDeath, storeThatDies } from './support/process-death.ts';

const CONFIRMATIONS = 2;
const RANGE = 6;

describe('a write failing in the middle of a range, the same ingester retrying', () => {
  let servers: EmbeddedServers;
  let log: DemoScenarioLog;
  let expected: readonly ExpectedDemoAlert[];
  let subscriber: ExternalSubscriber;
  /** The first hop of the peel chain: its range taints the wallets the rest of the demo moves. */
  let targetBlock: number;
  let reference: CaseSnapshot;
  let writesInTargetRange: string[];

  const ingesterOn = (store: Store): ChainIngester =>
    createChainIngester(
      {
        chain: LOCAL_CHAIN,
        rpcUrls: [servers.node.url],
        tracing: 'transaction',
        finality: { confirmations: CONFIRMATIONS },
        maxBlocksPerRange: RANGE,
        startBlock: 0,
      },
      store,
    ).ingester;

  /** The ingest loop as the Lambda and `npm start` run it, until the chain is caught up. */
  const ingestWithRetries = async (ingester: ChainIngester) => {
    let caughtUp = false;
    const errors: unknown[] = [];
    const summary = await runIngestLoop(ingester, {
      shouldContinue: () => !caughtUp,
      pollIntervalMs: 5,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      onStep: (step) => {
        if (step.status === 'caught-up') caughtUp = true;
      },
      onError: (error) => errors.push(error),
    });
    return { summary, errors };
  };

  beforeAll(async () => {
    servers = await startEmbeddedServers();
    log = await runDemoScenario(servers.node.provider, { confirmations: CONFIRMATIONS });
    expected = expectedDemoAlerts(log).alerts;
    targetBlock = log.steps.find((step) => step.id === 'peel-hop-1')?.blockNumber as number;
    subscriber = await ExternalSubscriber.subscribe(
      servers.snsSqs.endpoint,
      servers.messaging.topicArn,
      'retry-test-subscriber',
    );
    const { store, client } = await newStore(servers.dynamo.endpoint, 'reference');
    await openCase(store, 'reference', [log.seed.address]);
    const counter = new ProcessDeath(client, undefined);
    const { errors } = await ingestWithRetries(ingesterOn(storeThatDies(store, counter, targetBlock, 0)));
    expect(errors).toEqual([]);
    writesInTargetRange = counter.writesSinceArmed;
    reference = await snapshotCase(store, 'reference');
    client.destroy();
  }, 60_000);

  afterAll(async () => {
    subscriber?.close();
    await servers?.close();
  });

  it('the target range taints new wallets and writes them, edges, alerts and the checkpoint', () => {
    expect(writesInTargetRange.length).toBeGreaterThanOrEqual(6);
    const hop1 = reference.wallets.find((wallet) => wallet.hop === 1 && wallet.firstBlock === targetBlock);
    expect(hop1).toBeDefined();
  });

  it('whichever write fails, and whether or not it landed, the retry ends as an uninterrupted run', async () => {
    const points: DeathPoint[] = writesInTargetRange.flatMap((_, i) => [
      ...(i > 0 ? [{ write: i + 1, moment: 'before-send' as const, outcome: 'write-fails' as const }] : []),
      ...(i > 0 ? [{ write: i + 1, moment: 'after-answer' as const, outcome: 'write-fails' as const }] : []),
    ]);
    const runs: { caseId: string; when: string }[] = [];
    for (const point of points) {
      const when = `write ${point.write} failed ${point.moment === 'before-send' ? 'unsent' : 'after it landed'}`;
      const caseId = `retry-${point.moment}-${point.write}`;
      runs.push({ caseId, when });
      const setup = await newStore(servers.dynamo.endpoint, caseId);
      await openCase(setup.store, caseId, [log.seed.address]);
      const publisher = startPublishLoop(servers.dynamo.endpoint, caseId, servers);
      const client = dynamoClient(servers.dynamo.endpoint);
      const fault = new ProcessDeath(client, point);
      const store = storeThatDies(new DynamoDbStore({ client, tableName: caseId }), fault, targetBlock, 0);
      const { summary, errors } = await ingestWithRetries(ingesterOn(store));
      expect(fault.fired, when).toBe(true);
      expect(errors, when).toHaveLength(1);
      expect(summary.lostCheckpointRace, when).toBe(false);
      await publisher.drained();
      await publisher.stop();
      expect(publisher.problems).toEqual([]);
      expect(await snapshotCase(setup.store, caseId), when).toEqual(reference);
      client.destroy();
      setup.client.destroy();
    }

    const caseIds = new Set(runs.map((run) => run.caseId));
    await subscriber.receiveUntil(
      (received) =>
        received.filter((entry) => caseIds.has(entry.alert.caseId)).length >= runs.length * expected.length,
      20_000,
    );
    await subscriber.drain(1);
    for (const run of runs) {
      const check = new DemoAlertCheck({ caseId: run.caseId, log, expected });
      for (const entry of subscriber.received) check.record(entry.alert as unknown as Alert);
      const verdict = check.verdict();
      expect(
        {
          missing: verdict.missing.map(DemoAlertCheck.describeMissing),
          unexpected: verdict.unexpected.map((alert) => `${alert.kind} ${alert.txHash}`),
          duplicated: verdict.duplicated,
        },
        run.when,
      ).toEqual({ missing: [], unexpected: [], duplicated: [] });
    }
  }, 60_000);
});
