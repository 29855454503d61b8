/**
 * The parts of the local stack, started one by one so that a test can put a fault between them: the
 * embedded servers on free loopback ports, tables, the alert topic, a publish loop over the outbox.
 * The ingester is built by each test (through the production factory, or by hand to tune the reader).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAlertTopicAndQueue, type LocalMessaging } from '../../../infra/local/messaging.ts';
import {
  type EmbeddedServer,
  type EthereumNode,
  startDynamoDbServer,
  startEthereumNode,
  startSnsSqsServer,
} from '../../../infra/local/servers/index.ts';
import { publishPendingAlerts, SnsAlertPublisher } from '../../../shared/alerts/index.ts';
import type { Address } from '../../../shared/domain/address.ts';
import { createTable, DynamoDbStore, type StoreMetrics } from '../../../shared/store/index.ts';

export const LOCAL_CHAIN = 'local';
const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const ACTOR = { by: 'e2e-test', at: '2026-01-01T00:00:00.000Z' };

export interface EmbeddedServers {
  readonly dynamo: EmbeddedServer;
  readonly snsSqs: EmbeddedServer;
  readonly node: EthereumNode;
  /** The alert topic, with the stack's own viewer queue (unused here). */
  readonly messaging: LocalMessaging;
  close(): Promise<void>;
}

export async function startEmbeddedServers(): Promise<EmbeddedServers> {
  const dynamo = await startDynamoDbServer();
  const snsSqs = await startSnsSqsServer();
  const node = await startEthereumNode();
  const messaging = await createAlertTopicAndQueue(snsSqs.endpoint, {
    topic: 'laundering-alerts',
    queue: 'laundering-alerts-viewer',
  });
  return {
    dynamo,
    snsSqs,
    node,
    messaging,
    close: async () => {
      messaging.sns.destroy();
      messaging.sqs.destroy();
      await node.close();
      await snsSqs.close();
      await dynamo.close();
    },
  };
}

/** A new client each time: a restarted process has nothing of the old one. */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ ...LOCAL, endpoint, retryMode: 'standard', maxAttempts: 3 });
}

export async function newStore(
  endpoint: string,
  tableName: string,
  metrics?: StoreMetrics,
): Promise<{ store: DynamoDbStore; client: DynamoDBClient }> {
  const client = dynamoClient(endpoint);
  await createTable(client, tableName);
  return { store: new DynamoDbStore({ client, tableName, ...(metrics ? { metrics } : {}) }), client };
}

/** A case with one seed on the local chain, as the API would store it. */
export async function openCase(
  store: DynamoDbStore,
  caseId: string,
  seeds: readonly Address[],
): Promise<void> {
  await store.createCase(
    caseId,
    { name: `e2e ${caseId}`, model: 'haircut', maxHops: 6, minAmounts: {}, extraTokens: {} },
    ACTOR,
  );
  for (const address of seeds) await store.addSeed(caseId, { chain: LOCAL_CHAIN, address }, ACTOR);
}

export interface PublishLoop {
  readonly problems: string[];
  /** Resolves when the outbox is empty. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The publish function's loop (the table's stream in AWS), with its own client: it is another process
 * than the ingester and lives through the ingester's crashes.
 */
export function startPublishLoop(
  dynamoEndpoint: string,
  tableName: string,
  servers: EmbeddedServers,
): PublishLoop {
  const client = dynamoClient(dynamoEndpoint);
  const store = new DynamoDbStore({ client, tableName });
  const publisher = new SnsAlertPublisher(servers.messaging.sns, servers.messaging.topicArn);
  const problems: string[] = [];
  let running = true;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const loop = (async () => {
    while (running) {
      try {
        const run = await publishPendingAlerts(store, publisher);
        for (const failure of run.failed) problems.push(`${failure.alertId}: ${failure.error.message}`);
        if (run.published.length === 0) await sleep(30);
      } catch (error) {
        problems.push(String(error));
        await sleep(100);
      }
    }
  })();
  return {
    problems,
    drained: async () => {
      while ((await store.pendingAlerts(1)).length > 0) await sleep(30);
    },
    stop: async () => {
      running = false;
      await loop;
      client.destroy();
    },
  };
}
